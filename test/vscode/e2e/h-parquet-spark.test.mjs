// UI e2e (h), issue 10: data and models from beyond one machine.
//  1. right-click a .parquet file → "Cluster Dataset…" → clusters in the tree and the panel; the
//     panel shows a row of the (binary, undecoratable) file with its column values;
//  2. right-click a Spark ML PipelineModel folder → "Load Model…" → explain customers.csv (the
//     active editor): the clusters are Spark's (the fixture's reference assignments), and the
//     CSV is decorated by the raw columns the pipeline names;
//  3. a .parquet file with a free-text column: the text-column step offers it, its documents are
//     clustered, and choosing one in the tree shows its text with its words highlighted in the
//     panel (no editor: the file is binary); after a reload the documents come back.
// Fixtures come from test/fixtures/foreign (copied into the temp workspace; never modified).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CMD, FIXTURE, clusterFromExplorer, editorGroups, openSession, waitForClusters, waitForDecorations } from './support.mjs';

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

/** The review of each row of coffee-shops.parquet: the last quoted field of samples/coffee-shops.csv (the file it was written from). */
const reviews = fs.readFileSync(path.join(foreign, '..', '..', '..', 'samples', 'coffee-shops.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => /"([^"]*)",[^,]*$/.exec(l)?.[1]);

/**
 * Expands the first cluster of coffee-shops.parquet in the Clusters tree and clicks its first
 * document (the tree's open command); returns the document's name and what the panel shows.
 */
async function openFirstDocument() {
  const tree = s.wb.treeRows('Clusters');
  const texts = async () => (await tree.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const clean = await texts();
  const at = clean.findIndex((t) => t.startsWith('coffee-shops.parquet') && !/row \d/.test(t));
  const cluster = clean.findIndex((t, i) => i > at && /Cluster \d+/.test(t));
  assert.ok(at >= 0 && cluster > at, `the dataset and a cluster in the tree: ${JSON.stringify(clean)}`);
  const member = tree.filter({ hasText: /coffee-shops\.parquet row \d+/ }).first();
  // A click toggles the cluster: a second one if it was open already (a reload may keep it open).
  await tree.nth(cluster).click();
  if (!(await member.waitFor({ timeout: 5_000 }).then(() => true, () => false))) {
    await tree.nth(cluster).click();
    await member.waitFor({ timeout: 30_000 });
  }
  const name = /coffee-shops\.parquet row \d+/.exec(await member.innerText())[0];
  await member.click();
  const view = s.wb.webview();
  await view.locator('#item .item-name', { hasText: name }).waitFor({ timeout: 60_000 });
  await view.locator('#item .doc-text').waitFor({ timeout: 30_000 });
  await view.locator('#item').scrollIntoViewIfNeeded();
  return {
    name,
    tree: await texts(),
    text: await view.locator('#item .doc-text').innerText(),
    tokens: await view.locator('#item .doc-text .token.pos, #item .doc-text .token.neg').allInnerTexts(),
    forWords: await view.locator('#item .top-words .word-item.pos .word').allInnerTexts(),
    openButtons: await view.locator('#item .item-header button', { hasText: 'Open' }).count(),
    groups: await editorGroups(s.page),
  };
}

test('a Parquet file with a free-text column: the text step offers it, its documents are clustered, the panel shows a document\'s text with its words highlighted, also after a reload', { timeout: 420_000 }, async () => {
  const { input, rows } = await s.step('04-parquet-text-column', async () => {
    await s.wb.explorerContextMenu('coffee-shops.parquet', 'Cluster Dataset…');
    const input = await s.wb.answerClusterInput('coffee-shops.parquet', { text: 'review', k: 3 });
    return { input, rows: await waitForClusters(s, 'coffee-shops.parquet', 200_000) };
  });
  console.log(`steps: ${JSON.stringify(input.steps.map((st) => ({ key: st.key, rows: st.rows.slice(0, 3) })))}`);
  assert.ok(input.shown);
  const text = input.steps.find((st) => st.key === 'text');
  assert.ok(text, 'the text-column step is offered for Parquet, as for the CSV');
  assert.equal(text.items.length, 2, JSON.stringify(text.items));
  assert.match(text.items[0], /None: cluster the table/);
  assert.match(text.items[1], /review/);
  assert.ok(!input.steps.some((st) => st.key === 'leaveOut'), 'documents: no columns step');
  const own = rows.slice(rows.findIndex((r) => r.startsWith('coffee-shops.parquet')));
  console.log(`tree: ${JSON.stringify(own)}`);
  assert.match(own[0], /120 documents/);
  assert.equal(own.slice(1).filter((r) => /Cluster \d+/.test(r)).length, 3);

  const shown = await s.step('05-parquet-document-panel', openFirstDocument);
  console.log(`document ${shown.name}: ${JSON.stringify(shown.text)}; highlighted ${JSON.stringify(shown.tokens)}; for ${JSON.stringify(shown.forWords)}`);
  // The document's text is the row's review, taken from the dataset (a binary file has no text to slice).
  const row = Number(/row (\d+)$/.exec(shown.name)[1]);
  assert.equal(shown.text.trim(), reviews[row]);
  assert.ok(shown.tokens.length >= 3, 'its words are highlighted');
  for (const t of shown.tokens) assert.ok(reviews[row].includes(t), `highlighted "${t}" is a word of the review`);
  assert.ok(shown.forWords.length > 0, 'top words for the cluster');
  assert.equal(shown.openButtons, 0, 'no Open button: no editor can show a Parquet cell');
  assert.ok(!shown.groups.some((g) => g.tabs.includes('coffee-shops.parquet')), `coffee-shops.parquet opened in an editor: ${JSON.stringify(shown.groups)}`);

  // Results persist: after a reload the documents come back and the panel shows them again.
  const again = await s.step('06-parquet-text-after-reload', async () => {
    await s.wb.runCommand('Developer: Reload Window');
    await s.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await s.page.waitForTimeout(2_000);
    await waitForClusters(s, 'coffee-shops.parquet', 200_000);
    return openFirstDocument();
  });
  console.log(`after reload ${again.name}: ${JSON.stringify(again.text)}`);
  assert.equal(again.text.trim(), reviews[Number(/row (\d+)$/.exec(again.name)[1])]);
  assert.ok(again.tokens.length >= 3, 'its words are highlighted after the reload');
});
