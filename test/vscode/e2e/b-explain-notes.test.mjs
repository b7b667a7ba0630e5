// UI e2e (b): cluster the notes/ folder from the explorer, open a note, "NEON: Explain Cluster"
// (its own cluster, listed first) → words decorated with evidence for (reddish) and against
// (bluish); the hover names the cluster.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, clusterFromExplorer, hoverDecoration, openSession, waitForClusters, waitForDecorations } from './support.mjs';

/**
 * A note mixing two of the corpus' topics, written into the temp copy only: its words pull
 * towards two clusters, so the explanation has evidence for (its cluster's words) and against
 * (the other topic's words). The pure fixture notes may legitimately be all-positive.
 */
const MIXED = [
  'The telescope tracked Saturn and its rings while the tomato sauce simmered with garlic and basil.',
  'We watched the meteor shower from a dark field, then roasted the vegetables in the oven with olive oil.',
  'The astronomers measured the orbit of the comet and the galaxy; the bread dough was left to rise.',
  'Jupiter and its moons were bright in the night sky.',
].join(' ') + '\n';

let s;
before(async () => {
  s = await openSession({ name: 'b-notes', workspace: FIXTURE, expectRow: 'notes',
    prepare: (dir) => fs.writeFileSync(path.join(dir, 'notes/mixed-topics.txt'), MIXED) });
}, { timeout: 180_000 });
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
    await s.wb.openFile('notes/mixed-topics.txt');
    await s.wb.runCommand(CMD.explainCluster);
    // the command may ask which cluster: take the first (the document's own cluster is listed first)
    const pickTitle = s.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Explain Cluster' });
    if (await pickTitle.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
      await s.wb.screenshot('02a-pick-cluster');
      await s.page.keyboard.press('Enter');
    }
    await s.wb.openFile('notes/mixed-topics.txt');
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
