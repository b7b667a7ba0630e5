// UI e2e (p): the clusters panel comes back as the user left it. Its webview is not kept alive
// while hidden (retainContextWhenHidden is off), so switching to another editor tab in its group
// destroys the page; when the tab is shown again the page is rebuilt from the webview state
// (vscode.setState/getState) and the host's session. The user chose a cluster, picked an item
// far down the list, scrolled the list and the page; after another tab and back, the same
// cluster, item, list position and page position are shown.
// Waits poll the asserted state (support.mjs `until`), not fixed waits (review 7, F8).
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, clusterFromExplorer, openSession, until, waitForClusters } from './support.mjs';

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

/**
 * The panel's state once it is still: read twice with a page timer of 200 ms between the reads,
 * until both reads agree. The panel saves the page and list scroll positions 150 ms after the
 * last scroll event (main.ts); a page timer of 200 ms set after that event fires after the save's,
 * so the state returned is also the one saved (what the rebuilt page restores), and a smooth
 * scroll still moving shows as two reads that differ.
 */
function settledState(what) {
  return until(what, async () => {
    const first = await panelState();
    await s.wb.webview().locator('#map-list').evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    return { first, second: await panelState() };
  }, ({ first, second }) => isDeepStrictEqual(first, second), 30_000).then(({ second }) => second);
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
    // The list draws the rows in view: wait until its last item is drawn.
    await until('the list shows its last rows', () => list.evaluate((el) => {
      const shown = [...el.querySelectorAll('.map-option')];
      return { shown: shown.length, bottom: el.scrollTop + el.clientHeight >= el.scrollHeight - 1, last: shown.at(-1)?.getBoundingClientRect().bottom ?? 0, listBottom: el.getBoundingClientRect().bottom };
    }), (st) => st.shown >= 2 && st.bottom && st.last <= st.listBottom + 1, 15_000);
    const options = view.locator('#map-list .map-option');
    const pick = options.nth((await options.count()) - 2);
    const name = await pick.locator('.option-name').innerText();
    await pick.click();
    await view.locator('#item .item-name', { hasText: name }).waitFor({ timeout: 30_000 });
    await list.evaluate((el) => { el.scrollTop = Math.max(0, el.scrollTop - 30); });
    await view.locator('#header').evaluate(() => window.scrollTo(0, Math.min(420, document.documentElement.scrollHeight - window.innerHeight)));
    before = await settledState('the panel stops scrolling after the user scrolled it');
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
  });
  const hidden = await until("xss.csv is the active tab of the panel's group", panelGroup, (g) => g !== undefined && g.active === 'xss.csv', 30_000);
  console.log(`hidden: ${JSON.stringify(hidden)}`);
  assert.ok(hidden && hidden.tabs.includes('xss.csv'), `xss.csv opened in the panel's group: ${JSON.stringify(hidden)}`);
  assert.equal(hidden.active, 'xss.csv', 'the panel is hidden behind xss.csv');

  await s.step('04-back', async () => {
    await s.page.locator('.tabs-container .tab', { hasText: 'NEON Clusters' }).first().click();
    await view.locator('#item .item-name', { hasText: before.explained }).waitFor({ timeout: 60_000 });
  });
  // The rebuilt page restores the item, the list and then the page scroll (held while it settles):
  // poll until it is still and shows the state before, or fail on the deepEqual with the last one.
  let back;
  await until('the panel is still and shows what it showed before it was hidden', async () => (back = await settledState('the rebuilt panel stops scrolling')), (st) => isDeepStrictEqual(st, before), 30_000).catch((e) => console.log(e.message));
  console.log(`after:  ${JSON.stringify(back)}`);
  assert.deepEqual(back, before, 'the panel shows what it showed before it was hidden');
});
