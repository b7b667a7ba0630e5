// UI e2e (a): right-click samples.csv → "Cluster Dataset…" → the Clusters tree lists the
// clusters; the CSV editor shows cell decorations coloured by sign; hovering a cell explains it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FIXTURE, clusterFromExplorer, hoverDecoration, openSession, waitForClusters, waitForDecorations } from './support.mjs';

let s;
before(async () => { s = await openSession({ name: 'a-csv', workspace: FIXTURE, expectRow: 'samples.csv' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('right-click samples.csv → Cluster Dataset… fills the Clusters view', { timeout: 180_000 }, async () => {
  const rows = await s.step('01-tree', async () => {
    await clusterFromExplorer(s, 'samples.csv');
    return waitForClusters(s, 'samples.csv');
  });
  console.log(`tree rows: ${JSON.stringify(rows)}`);
  assert.ok(rows.filter((r) => /Cluster \d+/.test(r)).length >= 2);
});

test('the CSV editor shows reddish / bluish cell decorations', { timeout: 120_000 }, async () => {
  const deco = await s.step('02-csv-decorations', async () => {
    await s.wb.openFile('samples.csv');
    return waitForDecorations(s.wb, (d) => d.for > 0);
  });
  console.log(`cell decorations: for=${deco.for} against=${deco.against}`);
  assert.ok(deco.for > 0, 'some cells carry evidence for their cluster');
});

test('hovering a decorated cell shows its relevance', { timeout: 120_000 }, async () => {
  const text = await s.step('03-csv-hover', async () => {
    const deco = await s.wb.editorDecorations();
    return hoverDecoration(s.wb, deco, 'for', /relevance/i);
  });
  console.log(`hover: ${JSON.stringify(text)}`);
  assert.match(text, /relevance/i);
  assert.match(text, /Cluster \d+/);
});
