// UI e2e (q), trial 6 D7: in the tester's German Excel export (test/fixtures/trial6/kunden_export.csv:
// BOM, `;`, CRLF records, comment cells with a line break inside their quotes) a third of the rows
// span two lines. Lines 6-7 are row 4: `100028;…;963,82;"Rückruf erbeten,` / `bitte vormittags";yes`.
// The continuation line 7 must be coloured like its record, its cells hovered as row 4's, and the
// status bar on it must name row 4 and its cluster (before the fix: plain, no hover, empty status bar).
// The columns step shows the columns left out whatever the answer (Kunden-ID, Anmeldedatum), ticked.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../../scripts/real-vscode/tools.mjs';
import { MENU_CLUSTER, answerClusterInput, openSession, waitForClusters, waitForDecorations } from './support.mjs';

const DATA = path.join(repoRoot, 'test/fixtures/trial6');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let s;
before(async () => { s = await openSession({ name: 'q-multiline', workspace: DATA, expectRow: 'kunden_export.csv' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

/** The box of the first editor line containing `text` (waits for the editor to draw it). */
async function lineBox(text) {
  const line = s.page.locator('.view-lines .view-line', { hasText: text }).first();
  for (let i = 0; i < 60; i++) {
    const box = await line.boundingBox({ timeout: 500 }).catch(() => null);
    if (box) return box;
    await sleep(500);
  }
  assert.fail(`a line with ${text} is on screen`);
}

/** Extension decorations whose centre lies on the editor line drawn in `box`. */
function onLine(deco, box) {
  return deco.items.filter((d) => d.y >= box.y && d.y <= box.y + box.height);
}

/** The quick input's rows as drawn: name, whole text, ticked, and whether the text shows whole. */
function quickRows() {
  return s.page.locator('.quick-input-widget').evaluate((root) => [...root.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => ({
    name: (r.querySelector('.label-name')?.textContent ?? '').trim(),
    text: (r.textContent ?? '').replace(/\s+/g, ' ').trim(),
    ticked: r.querySelector('input[type=checkbox]')?.checked ?? r.getAttribute('aria-checked') === 'true',
    visible: r.getBoundingClientRect().height > 0,
  })));
}

test('kunden_export.csv: the columns step shows Kunden-ID and Anmeldedatum left out, and keeps them ticked; then clustered', { timeout: 240_000 }, async () => {
  const { before, after } = await s.step('01-columns-step', async () => {
    await s.wb.explorerContextMenu('kunden_export.csv', MENU_CLUSTER);
    const box = s.page.locator('.quick-input-widget .quick-input-box input').first();
    await s.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Cluster kunden_export.csv' }).waitFor({ timeout: 60_000 });
    // Step 1 (label: churned proposed): Enter; step 2 is the columns step.
    await s.page.keyboard.press('Enter');
    for (let i = 0; i < 40 && !/leave out/.test((await box.getAttribute('placeholder')) ?? ''); i++) await sleep(250);
    await sleep(500);
    const before = await quickRows();
    // Unticking an identifier is refused: it is ticked again.
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Kunden-ID' }).first().locator('input[type=checkbox], .monaco-custom-toggle').first().click();
    await sleep(1_000);
    const after = await quickRows();
    // Back to the input box (as answerClusterInput does after ticking): Enter there accepts the step.
    await box.click();
    return { before, after };
  });
  console.log(`columns step rows: ${JSON.stringify(before)}`);
  const id = before.find((r) => r.name === 'Kunden-ID');
  const date = before.find((r) => r.name === 'Anmeldedatum');
  assert.ok(id?.visible && /always left out: identifier/.test(id.text) && id.ticked, `Kunden-ID is shown, ticked, as an identifier: ${JSON.stringify(id)}`);
  assert.ok(date?.visible && /always left out: date.*dates are not clustered/.test(date.text) && date.ticked, `Anmeldedatum is shown, ticked, as a date: ${JSON.stringify(date)}`);
  assert.ok(!before.find((r) => r.name === 'Alter')?.ticked, 'a feature is not ticked');
  assert.ok(after.find((r) => r.name === 'Kunden-ID')?.ticked, 'Kunden-ID is still ticked after a click on its box');
  const rows = await s.step('02-tree', async () => {
    await answerClusterInput(s, 'kunden_export.csv');
    return waitForClusters(s, 'kunden_export.csv', 180_000);
  });
  assert.ok(rows.filter((r) => /Cluster \d+/.test(r)).length >= 2);
});

test('D7: the continuation line 7 of row 4 is coloured, hovered and named in the status bar as row 4', { timeout: 180_000 }, async () => {
  const { first, second, deco } = await s.step('03-decorations-on-both-lines', async () => {
    await s.wb.openFile('kunden_export.csv');
    await waitForDecorations(s.wb, (d) => d.for + d.against > 0, 60_000);
    await sleep(1_000);
    const firstBox = await lineBox('100028;25.03.2022');
    const secondBox = await lineBox('bitte vormittags";yes');
    const all = await s.wb.editorDecorations();
    return { first: firstBox, second: secondBox, deco: all };
  });
  const onFirst = onLine(deco, first);
  const onSecond = onLine(deco, second);
  console.log(`decorations: line 6 ${onFirst.length} (${onFirst.map((d) => d.sign).join(' ')}), line 7 ${onSecond.length} (${onSecond.map((d) => `${d.sign} x=${Math.round(d.x - second.x)} w=${Math.round(d.width)}`).join(', ')})`);
  assert.ok(onFirst.length >= 5, 'line 6 (the record\'s first line) has its cells coloured');
  assert.ok(onSecond.length >= 1, 'line 7 (the rest of the comment cell) is coloured too');
  // The comment's piece on line 7 starts at column 1: `bitte vormittags"` (17 characters of 21).
  assert.ok(onSecond.some((d) => d.x - d.width / 2 < second.x + 10 && d.width > 40), 'the coloured range on line 7 starts at the line\'s start');

  const status = await s.step('04-status-bar-on-line-7', async () => {
    await s.page.mouse.click(second.x + 30, second.y + second.height / 2);
    const item = s.page.locator('.statusbar-item', { hasText: /Row 4 · Cluster \d+ · evidence/ }).first();
    await item.waitFor({ timeout: 15_000 }).catch(() => {});
    return s.page.locator('.statusbar').innerText();
  });
  const cursor = status.match(/Ln \d+, Col \d+/)?.[0];
  console.log(`status bar at ${cursor}: ${status.replace(/\s+/g, ' ')}`);
  assert.match(cursor ?? '', /^Ln 7,/, 'the cursor is on line 7, the continuation line');
  assert.match(status, /Row 4 · Cluster \d+ · evidence/, 'the status bar names row 4 (lines 6-7) and its cluster');

  const hover = await s.step('05-hover-on-line-7', async () => {
    await s.page.mouse.move(5, 400);
    return s.wb.hoverAt(second.x + 30, second.y + second.height / 2);
  });
  console.log(`hover on line 7: ${JSON.stringify(hover.slice(0, 300))}`);
  assert.match(hover, /Kommentar = Rückruf erbeten,\s*bitte vormittags/, 'the hovered cell is the whole comment');
  assert.match(hover, /Row 4 is in Cluster \d+/);
});
