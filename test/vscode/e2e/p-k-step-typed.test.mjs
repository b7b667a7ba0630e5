// UI e2e (p), trial 6 D4 and D15d on the tester's tickets.csv (test/fixtures/trial6):
// - the step counter follows the highlighted text-column answer: "1/4" once `description` is
//   highlighted, then 2/4, 3/4 (it jumped from "1/5" to "2/4");
// - at the k step, typing `1` shows the CLI's message and Enter does nothing (it silently took
//   k = 10, the prefix match); typing `7` offers "Use k = 7" and Enter takes 7 clusters.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../../scripts/real-vscode/tools.mjs';
import { MENU_CLUSTER, answerClusterInput, openSession, waitForClusters } from './support.mjs';

const DATA = path.join(repoRoot, 'test/fixtures/trial6');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let s;
before(async () => { s = await openSession({ name: 'p-k-typed', workspace: DATA, expectRow: 'tickets.csv' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

/** The quick input's title (with its step counter), rows and highlighted row. */
function inputState(page) {
  return page.locator('.quick-input-widget').evaluate((root) => {
    const clean = (t) => (t ?? '').replace(/\s+/g, ' ').trim();
    const rows = [...root.querySelectorAll('.quick-input-list .monaco-list-row')];
    return {
      title: clean(root.querySelector('.quick-input-title')?.textContent),
      placeholder: root.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? '',
      rows: rows.map((r) => clean(r.textContent)),
      active: clean(rows.find((r) => r.classList.contains('focused'))?.textContent),
    };
  });
}

test('tickets.csv: the step count follows the text column; typed k = 1 is refused with a message, typed 7 is taken', { timeout: 300_000 }, async () => {
  const page = s.wb.page;
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  const first = await s.step('01-text-step', async () => {
    await s.wb.explorerContextMenu('tickets.csv', MENU_CLUSTER);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Cluster tickets.csv' }).waitFor({ timeout: 60_000 });
    await input.fill('description');
    await sleep(800);
    return inputState(page);
  });
  console.log(`text step: ${JSON.stringify(first)}`);
  assert.match(first.active, /description/);
  assert.match(first.title, /1\/4/, 'with description highlighted the input has 4 steps (no columns to leave out)');
  await page.keyboard.press('Enter');
  const rest = await s.step('02-to-k', () => answerClusterInput(s, 'tickets.csv', { k: '1' }));
  console.log(`steps: ${JSON.stringify(rest.steps.map((st) => [st.key, st.step]))}`);
  assert.deepEqual(rest.steps.map((st) => st.key), ['label', 'k']);
  assert.match(rest.steps[0].step, /2\/4/);
  assert.match(rest.steps[1].step, /3\/4/);
  // Enter after typing 1 did not leave the k step; the message says why.
  const refused = await s.step('03-k-typed-1', () => inputState(page));
  console.log(`after 1 + Enter: ${JSON.stringify(refused)}`);
  assert.match(refused.placeholder, /^Number of clusters/);
  assert.ok(refused.rows.some((r) => r.includes('k must be an integer of at least 2, found "1"')), JSON.stringify(refused.rows));
  assert.ok(!refused.rows.some((r) => /^10\b/.test(r)), 'the prefix match 10 is not offered for a typed 1');
  const seven = await s.step('04-k-typed-7', async () => {
    await input.fill('7');
    await sleep(800);
    return inputState(page);
  });
  console.log(`typed 7: ${JSON.stringify(seven)}`);
  assert.match(seven.rows[0] ?? '', /Use k = 7/);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-box input[placeholder^="Model"]').waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  const tree = await s.step('05-tree', () => waitForClusters(s, 'tickets.csv', 180_000));
  await sleep(1500);
  const rows = await s.wb.treeRows('Clusters').allInnerTexts();
  const clusters = rows.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => /^Cluster \d+/.test(t));
  console.log(`tree: ${JSON.stringify(tree)} / clusters ${JSON.stringify(clusters)}`);
  assert.equal(clusters.length, 7, 'k = 7 as typed');
});

// Trial 6 D8: a click on a row of the panel's list only moved the highlight; the explanation
// was two screens below, under the cluster cards. Now it is brought into view; focus stays in the list.
test('tickets.csv panel: clicking a list row brings its explanation into view, focus stays in the list', { timeout: 240_000 }, async () => {
  const view = s.wb.webview();
  const result = await s.step('06-panel-click-row', async () => {
    await s.wb.runCommand('NEON: Show Clusters Panel');
    await view.locator('#map-list .map-option[data-index="3"]').waitFor({ timeout: 60_000 });
    await view.locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
    await sleep(1000);
    const before = await view.locator('#item').evaluate((el) => ({ top: el.getBoundingClientRect().top, height: window.innerHeight }));
    const row = view.locator('#map-list .map-option[data-index="3"]');
    await row.scrollIntoViewIfNeeded();
    await row.click();
    await view.locator('#item .item-name').first().waitFor({ timeout: 30_000 });
    await sleep(1500); // smooth scrolling
    const after = await view.locator('#item').evaluate((el) => ({ top: el.getBoundingClientRect().top, height: window.innerHeight, focus: document.activeElement?.id ?? '' }));
    return { before, after };
  });
  console.log(`explanation top before/after the click: ${JSON.stringify(result)}`);
  assert.ok(result.before.top > result.before.height, 'the explanation starts below the visible panel (the situation of the trial)');
  assert.ok(result.after.top >= -1 && result.after.top < result.after.height * 0.25, `the explanation's heading is in view after the click: ${JSON.stringify(result.after)}`);
  assert.equal(result.after.focus, 'map-list', 'the keyboard focus stays in the list');
});
