// UI e2e (f): kernel k-means on the real fortunes corpus (../shared/data/fortunes.jsonl, 2,531
// labelled short texts), explained word by word in the editor. The corpus is copied into the
// temp workspace; a clone without ../shared skips this spec with a message, CI (CI=true) fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../../scripts/real-vscode/tools.mjs';
import { FIXTURE, clusterFromExplorer, hoverDecoration, openSession, setWorkspaceSettings, waitForClusters, waitForDecorations } from './support.mjs';

const FORTUNES = process.env.NEON_SHARED_DATA
  ? path.join(process.env.NEON_SHARED_DATA, 'fortunes.jsonl')
  : path.resolve(repoRoot, '..', 'shared', 'data', 'fortunes.jsonl');
const present = fs.existsSync(FORTUNES);
if (!present && process.env.CI === 'true') throw new Error(`${FORTUNES} is missing: CI must run the kernel k-means end-to-end test on the real corpus`);
const skip = present ? false : `${FORTUNES} is absent (a clone without ../shared): skipped`;

let s;
before(async () => {
  if (!present) return;
  s = await openSession({
    name: 'f-kernel-fortunes', workspace: FIXTURE, expectRow: 'notes',
    prepare: (dir) => {
      fs.copyFileSync(FORTUNES, path.join(dir, 'fortunes.jsonl'));
      setWorkspaceSettings(dir, { 'neonClusterExplorer.model': 'kernel-kmeans', 'neonClusterExplorer.k': 8, 'neonClusterExplorer.flippingSample': 50 });
    },
  });
}, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('kernel k-means clusters fortunes.jsonl and highlights its words', { skip, timeout: 300_000 }, async () => {
  const rows = await s.step('01-kernel-tree', async () => {
    await clusterFromExplorer(s, 'fortunes.jsonl');
    return waitForClusters(s, 'fortunes.jsonl', 240_000);
  });
  console.log(`tree rows: ${JSON.stringify(rows.slice(0, 10))}`);
  assert.ok(rows.some((r) => /kernel-kmeans/.test(r)), `the dataset row names the kernel model: ${JSON.stringify(rows.slice(0, 3))}`);
  const deco = await s.step('02-kernel-words', async () => {
    await s.wb.openFile('fortunes.jsonl');
    return waitForDecorations(s.wb, (d) => d.for > 0 && d.against > 0, 60_000);
  });
  console.log(`fortunes word decorations (visible range): for=${deco.for} against=${deco.against}`);
  assert.ok(deco.for > 0 && deco.against > 0);
  const text = await s.step('03-kernel-hover', async () => hoverDecoration(s.wb, await s.wb.editorDecorations(), 'for', /Cluster \d+/));
  console.log(`hover: ${JSON.stringify(text)}`);
  assert.match(text, /Relevance/);
  assert.match(text, /Cluster \d+/);
});
