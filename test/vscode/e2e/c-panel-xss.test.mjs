// UI e2e (c): "NEON: Show Clusters Panel" shows the map and one card per cluster. Then a table
// whose cells hold an HTML payload: after selecting a payload row the payload is shown as text,
// no <img> element exists in the webview and no dialog fired.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, XSS, assertNoScriptInjection, clusterFromExplorer, openSession, waitForClusters } from './support.mjs';

let s;
before(async () => { s = await openSession({ name: 'c-panel', workspace: FIXTURE, expectRow: 'xss.csv' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('Show Clusters Panel renders #map and cluster cards', { timeout: 180_000 }, async () => {
  const cards = await s.step('01-panel', async () => {
    await clusterFromExplorer(s, 'samples.csv');
    await waitForClusters(s, 'samples.csv');
    await s.wb.runCommand(CMD.showPanel);
    const view = s.wb.webview();
    await view.locator('#map').waitFor({ timeout: 60_000 });
    await view.locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
    return view.locator('#cluster-cards .cluster-card').count();
  });
  console.log(`cluster cards: ${cards}`);
  assert.ok(cards >= 2, `expected at least 2 cluster cards, got ${cards}`);
});

test('one mouse click on a #map-list row selects it and shows its explanation', { timeout: 180_000 }, async () => {
  const view = s.wb.webview();
  await s.step('02-click-row', async () => {
    await clusterFromExplorer(s, 'xss.csv');
    await waitForClusters(s, 'xss.csv');
    await s.wb.runCommand(CMD.showPanel);
    // the panel follows the newest session: wait until it lists the 24 rows of xss.csv
    await view.locator('.map-list-count', { hasText: /^24 items$/ }).waitFor({ timeout: 60_000 });
    const row = view.locator('#map-list .map-option[data-index="2"]');
    await row.scrollIntoViewIfNeeded();
    await row.click();
    await view.locator('#item .item-name', { hasText: /^row 2\b/ }).waitFor({ timeout: 15_000 });
  });
});

test('an HTML payload in the data is shown as text, never as markup', { timeout: 180_000 }, async () => {
  const view = s.wb.webview();
  await s.step('03-xss-selected', async () => {
    await view.locator('.map-list-count', { hasText: /^24 items$/ }).waitFor({ timeout: 60_000 });
    // row 0 of xss.csv (item 0) holds the payload in `name` and `label`: select it with the
    // keyboard (the list is a listbox: Home, then Space selects)
    await view.locator('#map-list').focus();
    await s.page.keyboard.press('Home');
    await s.page.keyboard.press('Space');
    await view.locator('#item .item-name', { hasText: /^row 0\b/ }).waitFor({ timeout: 30_000 });
    await view.locator('#item').scrollIntoViewIfNeeded();
    await view.locator('#item').filter({ hasText: XSS }).waitFor({ timeout: 30_000 });
  });
  const text = await view.locator('body').innerText();
  console.log(`payload shown as text ${text.split(XSS).length - 1} time(s) in the panel`);
  assert.ok(text.includes(XSS), 'the payload is visible as text');
  assert.equal(await view.locator('img').count(), 0, 'no <img> element in the webview DOM');
  const outerImgs = await s.page.frameLocator('iframe.webview.ready').locator('img').count();
  assert.equal(outerImgs, 0, 'no <img> element in the webview host frame');
  await new Promise((r) => setTimeout(r, 1000)); // give a would-be onerror handler time to fire
  assertNoScriptInjection(s);
});
