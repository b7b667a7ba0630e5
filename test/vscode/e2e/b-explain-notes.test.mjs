// UI e2e (b): cluster the notes/ folder from the explorer, open one note, "NEON: Explain Cluster"
// → words decorated with evidence for (reddish) and against (bluish); the hover names the cluster.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, clusterFromExplorer, hoverDecoration, openSession, waitForClusters, waitForDecorations } from './support.mjs';

let s;
before(async () => { s = await openSession({ name: 'b-notes', workspace: FIXTURE, expectRow: 'notes' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('right-click notes/ → Cluster Dataset… clusters the folder', { timeout: 180_000 }, async () => {
  const rows = await s.step('01-tree', async () => {
    await clusterFromExplorer(s, 'notes');
    return waitForClusters(s, 'notes');
  });
  console.log(`tree rows: ${JSON.stringify(rows)}`);
});

test('Explain Cluster decorates words of both signs', { timeout: 120_000 }, async () => {
  const deco = await s.step('02-word-decorations', async () => {
    await s.wb.openFile('notes/astronomy-01.txt');
    await s.wb.runCommand(CMD.explainCluster);
    // the command may ask which cluster: take the first (the document's own cluster is listed first)
    const picker = s.page.locator('.quick-input-widget input.input');
    if (await picker.isVisible({ timeout: 2_000 }).catch(() => false)) await s.page.keyboard.press('Enter');
    await s.wb.openFile('notes/astronomy-01.txt');
    return waitForDecorations(s.wb, (d) => d.for > 0 && d.against > 0);
  });
  console.log(`word decorations: for=${deco.for} against=${deco.against}`);
  assert.ok(deco.for > 0 && deco.against > 0);
});

test('hovering a highlighted word names the cluster', { timeout: 120_000 }, async () => {
  const text = await s.step('03-word-hover', async () => {
    const deco = await s.wb.editorDecorations();
    return hoverDecoration(s.wb, deco, 'for', /Cluster \d+/);
  });
  console.log(`hover: ${JSON.stringify(text)}`);
  assert.match(text, /Cluster \d+/);
  assert.match(text, /relevance/i);
});
