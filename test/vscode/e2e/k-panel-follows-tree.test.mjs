// UI e2e (k), issue 12 problem 5: the panel follows the tree. With samples.csv and notes/
// clustered and another file (xss.csv) in the active editor: clicking a dataset in the tree
// switches the panel to it; the panel's Re-cluster… button acts on the panel's dataset (not on
// the active editor's file); Show Clusters Panel from the palette shows the active editor's
// dataset; a dataset can be removed from the tree, and the panel moves on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { exactly } from '../../../scripts/real-vscode/workbench.mjs';
import { CMD, FIXTURE, clusterFromExplorer, openSession, waitForClusters } from './support.mjs';

let s;
/** 6,000 rows of two groups: more than the map's 5,000 points, so its list holds an evenly spaced sample. */
function writeManyRows(dir) {
  const lines = ['a,b'];
  for (let i = 0; i < 6000; i++) lines.push(`${(i % 2) * 5 + ((i * 7919) % 100) / 100},${((i * 104729) % 100) / 50}`);
  fs.writeFileSync(path.join(dir, 'many-rows.csv'), lines.join('\n') + '\n');
}

before(async () => { s = await openSession({ name: 'k-follows', workspace: FIXTURE, expectRow: 'samples.csv', prepare: writeManyRows }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

function treeRow(label) {
  return s.page.locator('.sidebar .monaco-list-row', { has: s.page.locator('.label-name', { hasText: label }) }).first();
}

async function panelTitle() {
  return (await s.wb.webview().locator('.panel-title').innerText().catch(() => '')).trim();
}

async function waitPanelTitle(title, timeout = 15_000) {
  const end = Date.now() + timeout;
  let last = '';
  while (Date.now() < end) {
    last = await panelTitle();
    if (last === title) return last;
    await s.page.waitForTimeout(250);
  }
  return last;
}

test('two datasets clustered; the panel shows the last one', { timeout: 300_000 }, async () => {
  await s.step('01-two-datasets', async () => {
    const table = await clusterFromExplorer(s, 'samples.csv');
    await waitForClusters(s, 'samples.csv');
    const text = await clusterFromExplorer(s, 'notes');
    await waitForClusters(s, 'notes');
    // k = auto is chosen by the silhouette for a table, by stability over re-fits for text: the input says which (trial s18).
    const autoRow = (input) => input.steps.find((st) => st.key === 'k')?.rows.find((r) => r.startsWith('auto')) ?? '';
    assert.match(autoRow(table), /^autothe best silhouette over k = 2 … 10 ?every k's silhouette in the panel$/);
    assert.match(autoRow(text), /^autothe most stable, best separated clusters, k = 2 … 10 ?score = stability over re-fits × silhouette; every k in the panel$/);
    // Trial s19: the text row was cut at "silhouette…"; now its description and detail line show whole.
    for (const input of [table, text]) {
      const k = input.steps.find((st) => st.key === 'k');
      const at = k.rows.findIndex((r) => r.startsWith('auto'));
      console.log(`k step auto row: ${k.rows[at]} fits=${k.rowsFit[at]}`);
      assert.equal(k.rowsFit[at], true, `the auto row shows whole: ${k.rows[at]}`);
    }
    // Another file in the editor (the active editor), the panel beside it.
    await s.wb.openFile('xss.csv');
    await s.wb.runCommand(CMD.showPanel);
    await s.wb.webview().locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
  });
  assert.equal(await waitPanelTitle('notes'), 'notes');
});

test('clicking a dataset in the tree switches the panel to it', { timeout: 120_000 }, async () => {
  const title = await s.step('02-tree-switches-panel', async () => {
    await s.page.locator('.tabs-container .tab', { hasText: 'xss.csv' }).first().click();
    await s.wb.focusView('Clusters');
    await s.page.locator('.sidebar .codicon-collapse-all').first().click({ timeout: 5_000 }).catch(() => {});
    await treeRow(exactly('samples.csv')).click();
    return waitPanelTitle('samples.csv');
  });
  assert.equal(title, 'samples.csv', 'the panel shows the dataset selected in the tree');
  const back = await s.step('03-tree-switches-back', async () => {
    await treeRow(exactly('notes')).click();
    return waitPanelTitle('notes');
  });
  assert.equal(back, 'notes');
});

test('Show Clusters Panel from the palette shows the active editor\'s dataset; a file outside any dataset keeps the panel as it is', { timeout: 120_000 }, async () => {
  // notes is shown (the test before); samples.csv goes in the editor (trial s18: the panel stayed on notes).
  const title = await s.step('03b-palette-follows-editor', async () => {
    await s.wb.openFile('samples.csv');
    await s.wb.runCommand(CMD.showPanel);
    return waitPanelTitle('samples.csv');
  });
  assert.equal(title, 'samples.csv', 'the panel shows the dataset of the active editor');
  const kept = await s.step('03c-unclustered-editor-keeps-panel', async () => {
    await s.wb.openFile('xss.csv');
    await s.wb.runCommand(CMD.showPanel);
    await s.page.waitForTimeout(1_000);
    return panelTitle();
  });
  assert.equal(kept, 'samples.csv', 'xss.csv is not clustered: the panel keeps its dataset');
});

test("the panel's Re-cluster… button acts on the panel's dataset, not the active editor's file", { timeout: 120_000 }, async () => {
  const asked = await s.step('04-panel-button', async () => {
    await treeRow(exactly('samples.csv')).click();
    assert.equal(await waitPanelTitle('samples.csv'), 'samples.csv');
    await s.wb.webview().locator('#action-cluster').click();
    const title = s.page.locator('.quick-input-widget .quick-input-title');
    await title.first().waitFor({ timeout: 20_000 }).catch(() => {});
    return (await title.first().innerText().catch(() => '')).trim();
  });
  console.log(`the button opened: ${asked}`);
  assert.match(asked, /Cluster samples\.csv/, 'Re-cluster… asks about samples.csv (the panel\'s dataset), not xss.csv');
  await s.page.keyboard.press('Escape');
});

test('a dataset can be removed from the tree; the panel shows another one', { timeout: 120_000 }, async () => {
  const rows = await s.step('05-removed', async () => {
    const row = treeRow(exactly('samples.csv'));
    await row.hover();
    await row.locator('.action-label.codicon-close').first().click({ timeout: 10_000 });
    await s.page.waitForTimeout(1_500);
    return s.wb.treeRows('Clusters').allInnerTexts();
  });
  console.log(`tree after remove: ${JSON.stringify(rows)}`);
  assert.ok(!rows.some((r) => r.includes('samples.csv')), 'samples.csv is gone from the tree');
  assert.ok(rows.some((r) => r.includes('notes')), 'notes stays');
  assert.equal(await waitPanelTitle('notes'), 'notes', 'the panel shows the remaining dataset');
});

test('a table of 6,000 rows: the list under the map says it holds an evenly spaced 5,000 of them (trial s18)', { timeout: 240_000 }, async () => {
  const count = await s.step('06-sampled-list-count', async () => {
    await clusterFromExplorer(s, 'many-rows.csv', { k: '2' });
    await waitForClusters(s, 'many-rows.csv');
    await treeRow(exactly('many-rows.csv')).click();
    assert.equal(await waitPanelTitle('many-rows.csv'), 'many-rows.csv');
    const el = s.wb.webview().locator('.map-list-count');
    await el.filter({ hasText: /of 6,000/ }).waitFor({ timeout: 30_000 });
    const notes = (await s.wb.webview().locator('#notes').innerText()).replace(/\s+/g, ' ');
    return { text: (await el.innerText()).trim(), title: await el.getAttribute('title'), notes };
  });
  assert.equal(count.text, '5,000 of 6,000 items (evenly spaced)');
  // The panel's note groups digits like every other count in the panel (it said "5000 of 6000").
  assert.match(count.notes, /The map shows 5,000 of 6,000 points \(evenly spaced sample\)/);
  assert.match(count.title, /evenly spaced sample of 5,000 of the 6,000 items; the Clusters tree and Export Explanations… have all of them/);
});
