// UI e2e (p): the clusters panel comes back as the user left it. Its webview is not kept alive
// while hidden (retainContextWhenHidden is off), so switching to another editor tab in its group
// destroys the page; when the tab is shown again the page is rebuilt from the webview state
// (vscode.setState/getState) and the host's session. The user chose a cluster, picked an item
// far down the list, scrolled the list and the page; after another tab and back, the same
// cluster, item, list position and page position are shown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, clusterFromExplorer, openSession, waitForClusters } from './support.mjs';

let s;
before(async () => { s = await openSession({ name: 'p-restore', workspace: FIXTURE, expectRow: 'samples.csv' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

/** What the user sees in the panel: page and list scroll, the selected item, cluster and explanation. */
function panelState() {
  return s.wb.webview().locator('#map-list').evaluate((list) => ({
    scrollY: Math.round(window.scrollY),
    listScrollTop: Math.round(list.scrollTop),
    selectedOption: list.querySelector('.map-option[aria-selected="true"] .option-name')?.textContent ?? null,
    explained: document.querySelector('#item .item-name')?.textContent ?? null,
    card: document.querySelector('.cluster-card.selected')?.getAttribute('data-cluster') ?? null,
    chip: document.querySelector('.filter-chip:not([hidden]) .chip-label')?.textContent ?? null,
  }));
}

/** Editor tabs of the group holding the panel, and which one is active. */
function panelGroup() {
  return s.page.evaluate(() => {
    const g = [...document.querySelectorAll('.editor-group-container')].find((x) => [...x.querySelectorAll('.tabs-container .tab')].some((t) => (t.textContent ?? '').includes('NEON Clusters')));
    if (!g) return undefined;
    return {
      tabs: [...g.querySelectorAll('.tabs-container .tab')].map((t) => (t.querySelector('.monaco-icon-label-container')?.textContent ?? '').trim()),
      active: (g.querySelector('.tabs-container .tab.active .monaco-icon-label-container')?.textContent ?? '').trim(),
    };
  });
}

test('the panel restores its selection, list position and scroll position after another tab and back', { timeout: 300_000 }, async () => {
  const view = s.wb.webview();
  await s.step('01-panel', async () => {
    await clusterFromExplorer(s, 'samples.csv');
    await waitForClusters(s, 'samples.csv');
    await s.wb.openFile('samples.csv');
    await s.wb.runCommand(CMD.showPanel);
    await view.locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
  });

  let before;
  await s.step('02-user-state', async () => {
    // A cluster chosen on its card (the list shows its members), then an item near the end of
    // the list clicked, then the list scrolled up a little and the page scrolled down.
    await view.locator('.cluster-card[data-cluster="1"]').click({ position: { x: 8, y: 8 } });
    await view.locator('.filter-chip:not([hidden])').waitFor({ timeout: 10_000 });
    const list = view.locator('#map-list');
    await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await s.page.waitForTimeout(300);
    const options = view.locator('#map-list .map-option');
    const pick = options.nth((await options.count()) - 2);
    const name = await pick.locator('.option-name').innerText();
    await pick.click();
    await view.locator('#item .item-name', { hasText: name }).waitFor({ timeout: 30_000 });
    await list.evaluate((el) => { el.scrollTop = Math.max(0, el.scrollTop - 30); });
    await view.locator('#header').evaluate(() => window.scrollTo(0, Math.min(420, document.documentElement.scrollHeight - window.innerHeight)));
    await s.page.waitForTimeout(800);
    before = await panelState();
  });
  console.log(`before: ${JSON.stringify(before)}`);
  assert.equal(before.card, '1', 'cluster 1 is chosen');
  assert.ok(before.selectedOption && before.selectedOption === before.explained, `the clicked item is selected and explained: ${JSON.stringify(before)}`);
  assert.ok(before.scrollY > 100, `the page is scrolled: ${before.scrollY}`);
  assert.ok(before.listScrollTop > 0, `the list is scrolled: ${before.listScrollTop}`);

  await s.step('03-another-tab', async () => {
    // The panel's group is the active one (the user was clicking in the panel): open another
    // file there, which hides the panel and disposes its page.
    await s.wb.openFile('xss.csv');
    await s.page.waitForTimeout(1_500);
  });
  const hidden = await panelGroup();
  console.log(`hidden: ${JSON.stringify(hidden)}`);
  assert.ok(hidden && hidden.tabs.includes('xss.csv'), `xss.csv opened in the panel's group: ${JSON.stringify(hidden)}`);
  assert.equal(hidden.active, 'xss.csv', 'the panel is hidden behind xss.csv');

  await s.step('04-back', async () => {
    await s.page.locator('.tabs-container .tab', { hasText: 'NEON Clusters' }).first().click();
    await view.locator('#item .item-name', { hasText: before.explained }).waitFor({ timeout: 60_000 });
    await s.page.waitForTimeout(1_500);
  });
  const back = await panelState();
  console.log(`after:  ${JSON.stringify(back)}`);
  assert.deepEqual(back, before, 'the panel shows what it showed before it was hidden');
});
