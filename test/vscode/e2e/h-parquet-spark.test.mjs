// UI e2e (h), issue 10: data and models from beyond one machine.
//  1. right-click a .parquet file → "Cluster Dataset…" → clusters in the tree and the panel; the
//     panel shows a row of the (binary, undecoratable) file with its column values;
//  2. right-click a Spark ML PipelineModel folder → "Load Model…" → explain customers.csv (the
//     active editor): the clusters are Spark's (the fixture's reference assignments), and the
//     CSV is decorated by the raw columns the pipeline names;
//  3. a .parquet file with a free-text column: no text-column step (its text is not read as
//     documents yet), the columns step says so, and the table is clustered.
// Fixtures come from test/fixtures/foreign (copied into the temp workspace; never modified).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CMD, FIXTURE, clusterFromExplorer, openSession, waitForClusters, waitForDecorations } from './support.mjs';

const foreign = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/foreign');
const ref = JSON.parse(fs.readFileSync(path.join(foreign, 'reference.json'), 'utf8'));

let s;
before(async () => {
  s = await openSession({
    name: 'h-parquet-spark',
    workspace: FIXTURE,
    expectRow: 'customers.parquet',
    prepare: (dir) => {
      fs.copyFileSync(path.join(foreign, 'customers.zstd.parquet'), path.join(dir, 'customers.parquet'));
      fs.copyFileSync(path.join(foreign, 'customers.csv'), path.join(dir, 'customers.csv'));
      fs.copyFileSync(path.join(foreign, 'coffee-shops.parquet'), path.join(dir, 'coffee-shops.parquet'));
      fs.cpSync(path.join(foreign, 'spark-pipeline-model'), path.join(dir, 'spark-pipeline-model'), { recursive: true });
    },
  });
}, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('right-click customers.parquet → Cluster Dataset… fills the tree and the panel shows its rows', { timeout: 240_000 }, async () => {
  const rows = await s.step('01-parquet-tree', async () => {
    await clusterFromExplorer(s, 'customers.parquet');
    return waitForClusters(s, 'customers.parquet', 200_000);
  });
  console.log(`tree rows: ${JSON.stringify(rows.slice(0, 8))}`);
  assert.ok(rows.filter((r) => /Cluster \d+/.test(r)).length >= 2);

  const panel = await s.step('02-parquet-panel', async () => {
    await s.wb.runCommand(CMD.showPanel);
    const view = s.wb.webview();
    await view.locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
    await view.locator('.map-list-count', { hasText: /^300 items$/ }).waitFor({ timeout: 60_000 });
    await view.locator('#map-list .map-option[data-index="0"]').click();
    // Parquet has no lines: the row is "row 0" (0-based, as pandas), never "row 0 (line 1)".
    await view.locator('#item .item-name', { hasText: /^row 0$/ }).waitFor({ timeout: 30_000 });
    await view.locator('#item').scrollIntoViewIfNeeded();
    return view.locator('#item').innerText();
  });
  console.log(`panel item: ${JSON.stringify(panel.slice(0, 400))}`);
  // The row's values and per-column relevance come from the Parquet file itself.
  for (const column of ['age', 'income', 'visits', 'spend']) assert.match(panel, new RegExp(column));
  assert.doesNotMatch(panel, /\(line \d+\)/, 'a Parquet row is labelled with a line');
});

test('right-click a Spark PipelineModel folder → Load Model… explains customers.csv with Spark\'s clusters', { timeout: 240_000 }, async () => {
  const result = await s.step('03-spark-load-model', async () => {
    await s.wb.openFile('customers.csv');
    await s.wb.explorerContextMenu('spark-pipeline-model', 'Load Model…');
    // Which dataset: the active editor (customers.csv) is offered first.
    const page = s.wb.page;
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'customers.csv' }).first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    const tree = await waitForClusters(s, 'customers.csv', 200_000);
    await s.wb.openFile('customers.csv');
    const deco = await waitForDecorations(s.wb, (d) => d.for > 0);
    return { tree, deco };
  });
  console.log(`tree rows: ${JSON.stringify(result.tree.slice(0, 8))}; decorations for=${result.deco.for} against=${result.deco.against}`);
  // Cluster sizes in the tree equal the sizes of the reference (Spark / scikit-learn) assignments.
  const sizes = [0, 1, 2].map((c) => ref.scaledLabels.filter((l) => l === c).length).sort((a, b) => a - b);
  // A cluster row reads "Cluster N" then "<size> · <label>" (clusterTree.ts; innerText joins them, N < 10 here).
  const at = result.tree.findIndex((r) => r.includes('customers.csv'));
  const shown = result.tree.slice(at + 1).filter((r) => /Cluster \d+/.test(r)).slice(0, 3).map((r) => Number(/Cluster \d\s*(\d+) ·/.exec(r)?.[1]));
  console.log(`reference sizes ${JSON.stringify(sizes)}; tree sizes ${JSON.stringify(shown)}`);
  assert.deepEqual([...shown].sort((a, b) => a - b), sizes);
  assert.ok(result.deco.for > 0, 'customers.csv cells are decorated by relevance');
});

test('a Parquet file with a free-text column: no text-column step, the columns step says why, the table is clustered', { timeout: 240_000 }, async () => {
  const { input, rows } = await s.step('04-parquet-text-column', async () => {
    await s.wb.explorerContextMenu('coffee-shops.parquet', 'Cluster Dataset…');
    const input = await s.wb.answerClusterInput('coffee-shops.parquet');
    return { input, rows: await waitForClusters(s, 'coffee-shops.parquet', 200_000) };
  });
  console.log(`steps: ${JSON.stringify(input.steps.map((st) => ({ key: st.key, rows: st.rows.slice(0, 3) })))}`);
  assert.ok(input.shown);
  assert.ok(!input.steps.some((st) => st.key === 'text'), 'the text-column step is offered for Parquet');
  const leaveOut = input.steps.find((st) => st.key === 'leaveOut');
  assert.ok(leaveOut, 'the columns step is shown');
  assert.match(leaveOut.rows.join(' | '), /text columns of Parquet files are not supported yet; the table's other columns are clustered/);
  assert.ok(rows.filter((r) => /Cluster \d+/.test(r)).length >= 2);
});
