// UI e2e (p), trial 6's defects on a new user's files (test/fixtures/e2e-ux: sales_de.csv, a German
// Excel export with many reading notes, and texts.jsonl):
//  - D2: the palette's Re-cluster… acts on the active editor's dataset, not on the one clustered last;
//  - D13: in a JSONL file the status bar shows the record's cluster with the cursor anywhere on its line;
//  - D12: Explain This Document never covers the document it explains (a panel in its group moves beside);
//  - D1 + D11: the first browser closes the window; the same workspace opened from a second, fresh
//    browser profile (its own, empty workspaceState) restores every clustered dataset from the
//    storage on the server, and the panel shows the fit's reading notes again, with the
//    "Restored after a reload" note.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from '../../../scripts/real-vscode/browser.mjs';
import { repoRoot } from '../../../scripts/real-vscode/tools.mjs';
import { Workbench } from '../../../scripts/real-vscode/workbench.mjs';
import { CMD, clusterFromExplorer, editorGroups, openSession, until, waitForClusters } from './support.mjs';

const DATA = path.join(repoRoot, 'test/fixtures/e2e-ux');

let s;
/** The second browser (a fresh profile) of the last test. */
let second;
before(async () => {
  s = await openSession({
    name: 'p-trial6', workspace: DATA, expectRow: 'sales_de.csv',
    prepare: (dir) => fs.rmSync(path.join(dir, '.vscode'), { recursive: true, force: true }),
  });
}, { timeout: 180_000 });
after(async () => {
  await second?.close();
  await s?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every note of the panel (also those behind "Show N more"). */
async function panelNotes(wb) {
  const view = wb.webview();
  await view.locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
  await sleep(800);
  return view.locator('#notes li.note').evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

/** Clicks the start of the editor's line that contains `text` (column 1). */
async function clickLineStart(wb, text) {
  const line = wb.page.locator('.view-lines .view-line', { hasText: text }).first();
  // The editor renders its lines after openFile returns (in the fresh-clone CI of 3d6af40 the line
  // was not there yet 1.6 s after): wait for it to be drawn, up to 30 s, before reading its box.
  let box = null;
  for (let i = 0; i < 60 && !box; i++) {
    box = await line.boundingBox({ timeout: 500 }).catch(() => null);
    if (!box) await sleep(500);
  }
  assert.ok(box, `a line with ${text} is on screen`);
  await wb.page.mouse.click(box.x + 2, box.y + box.height / 2);
  await sleep(800);
}

let notesBefore = [];

test('sales_de.csv, then texts.jsonl clustered; the panel of sales_de.csv lists its reading notes', { timeout: 360_000 }, async () => {
  await s.step('01-sales', async () => {
    await clusterFromExplorer(s, 'sales_de.csv');
    await waitForClusters(s, 'sales_de.csv');
    await s.wb.waitNotification(/sales_de\.csv: \d+ clusters/, 60_000);
  });
  await s.step('02-texts', async () => {
    await s.wb.clearNotifications();
    await clusterFromExplorer(s, 'texts.jsonl');
    await waitForClusters(s, 'texts.jsonl', 240_000);
    await s.wb.waitNotification(/texts\.jsonl: \d+ clusters/, 60_000);
  });
});

test('D2: palette Re-cluster… with sales_de.csv active asks about sales_de.csv, not texts.jsonl (clustered last)', { timeout: 120_000 }, async () => {
  const widget = s.page.locator('.quick-input-widget');
  const title = await s.step('03-recluster-from-palette', async () => {
    await s.wb.clearNotifications();
    await s.wb.openFile('sales_de.csv');
    await s.wb.runCommand('NEON: Re-cluster…');
    const t = widget.locator('.quick-input-title', { hasText: /NEON: Cluster/ });
    await t.waitFor({ timeout: 60_000 });
    return (await t.innerText()).trim();
  });
  console.log(`Re-cluster… input: ${title}`);
  await s.page.keyboard.press('Escape');
  assert.match(title, /Cluster sales_de\.csv/, 'the active editor\'s dataset');
});

test('D13: texts.jsonl, cursor at column 1 of a record (its "id", outside the text field): the status bar shows its cluster', { timeout: 120_000 }, async () => {
  const status = await s.step('04-jsonl-status-column-1', async () => {
    await s.wb.openFile('texts.jsonl');
    await clickLineStart(s.wb, '"id": 89');
    const item = s.page.locator('.statusbar-item', { hasText: /Cluster \d+ · evidence/ }).first();
    await item.waitFor({ timeout: 15_000 }).catch(() => {});
    return s.page.locator('.statusbar').innerText();
  });
  const cursor = status.match(/Ln \d+, Col \d+/)?.[0];
  console.log(`status bar at ${cursor}: ${status.replace(/\s+/g, ' ')}`);
  assert.match(cursor ?? '', /Ln 2, Col 1$/, 'the cursor is at the start of record 2 (outside the "body" string)');
  assert.match(status, /Cluster \d+ · evidence/, 'the record\'s cluster is shown');
});

test('D12: Explain This Document on a file in the panel\'s group opens the panel beside it, the file stays in view', { timeout: 180_000 }, async () => {
  const layout = await s.step('05-panel-in-the-files-group', async () => {
    await s.wb.runCommand('View: Close All Editors');
    await s.wb.openFile('sales_de.csv');
    await s.wb.runCommand(CMD.showPanel);
    await s.wb.webview().locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
    // The panel (focused) is moved into the file's group, as a reload or a user's drag leaves it.
    await s.wb.runCommand('View: Move Editor into Left Group');
    const holding = (groups) => groups.filter((g) => g.tabs.length > 0);
    await until('one editor group holds sales_de.csv and the panel', () => editorGroups(s.page), (gs) => holding(gs).length === 1 && ['sales_de.csv', 'NEON Clusters'].every((t) => holding(gs)[0].tabs.includes(t)), 30_000);
    await s.page.locator('.tabs-container .tab', { hasText: 'sales_de.csv' }).first().click();
    return until('sales_de.csv is the active tab of that group', () => editorGroups(s.page), (gs) => holding(gs).length === 1 && holding(gs)[0].active === 'sales_de.csv', 30_000);
  });
  console.log(`before: ${JSON.stringify(layout)}`);
  assert.equal(layout.filter((g) => g.tabs.length > 0).length, 1, 'one editor group holds the file and the panel');
  assert.equal(layout.find((g) => g.tabs.length > 0)?.active, 'sales_de.csv');
  const after = await s.step('06-explain-this-document', async () => {
    await clickLineStart(s.wb, '100004');
    await s.wb.runCommand(CMD.explainDocument);
    // Poll until the panel shows in a group other than the file's (or fail naming the last layout).
    const beside = (gs) => {
      const file = gs.find((g) => g.active === 'sales_de.csv');
      const panel = gs.find((g) => g.active === 'NEON Clusters');
      return file !== undefined && panel !== undefined && file !== panel;
    };
    return until('sales_de.csv and the panel are shown in two groups', () => editorGroups(s.page), beside, 30_000);
  });
  console.log(`after Explain This Document: ${JSON.stringify(after)}`);
  const fileGroup = after.find((g) => g.active === 'sales_de.csv');
  const panelGroup = after.find((g) => g.active === 'NEON Clusters');
  assert.ok(fileGroup, 'sales_de.csv is still shown');
  assert.ok(panelGroup, 'the panel is shown');
  assert.notEqual(fileGroup, panelGroup, 'in two groups: the panel beside the file');
  notesBefore = await s.step('07-notes-before', () => panelNotes(s.wb));
  console.log(`panel notes (${notesBefore.length}): ${JSON.stringify(notesBefore)}`);
  assert.ok(notesBefore.some((n) => /decimal comma|thousands/i.test(n)), 'a reading note about the decimal comma');
});

/** The extension's workspace storage folders (a window holding one locks it: `vscode.lock`). */
function storageFolders() {
  const root = path.join(s.cs.userData, 'User', 'workspaceStorage');
  return fs.readdirSync(root).filter((id) => fs.existsSync(path.join(root, id, 'neon-explorer.neon-cluster-explorer'))).map((id) => path.join(root, id));
}

test('D1 + D11: the workspace opened again from a fresh browser profile gets both datasets back, sales_de.csv with all its notes', { timeout: 600_000 }, async () => {
  assert.ok(notesBefore.length > 0, 'the notes were read before (test above)');
  const [folder] = storageFolders();
  assert.ok(folder && fs.existsSync(path.join(folder, 'neon-explorer.neon-cluster-explorer', 'datasets.json')), 'the index file is in the workspace storage on the server');
  // The first browser closes its window (as a person closes the tab): its extension host ends and
  // unlocks the storage folder, which the next window of the workspace then uses.
  await s.page.close({ runBeforeUnload: true });
  const end = Date.now() + 60_000;
  while (fs.existsSync(path.join(folder, 'vscode.lock')) && Date.now() < end) await sleep(500);
  assert.ok(!fs.existsSync(path.join(folder, 'vscode.lock')), 'the first window released the storage folder');
  second = await launchBrowser();
  const wb2 = new Workbench(second.page, { artifactsDir: path.join(repoRoot, 'test-artifacts', 'e2e'), prefix: 'p-trial6-second-' });
  await wb2.open(s.cs.url(s.ws), 'sales_de.csv');
  const s2 = { wb: wb2, page: second.page };
  let rows;
  try {
    await waitForClusters(s2, 'sales_de.csv', 300_000);
    rows = await waitForClusters(s2, 'texts.jsonl', 300_000);
  } finally {
    await wb2.screenshot('08-tree');
  }
  console.log(`second browser's tree: ${JSON.stringify(rows.map((r) => r.replace(/\s+/g, ' ')))}; storage folders ${JSON.stringify(storageFolders().map((f) => path.basename(f)))}`);
  assert.ok(rows.some((r) => r.includes('sales_de.csv')) && rows.some((r) => r.includes('texts.jsonl')), 'both datasets are back');
  await wb2.openFile('sales_de.csv');
  await wb2.runCommand(CMD.showPanel);
  const notes = await panelNotes(wb2);
  await wb2.screenshot('09-panel');
  console.log(`restored panel notes (${notes.length}): ${JSON.stringify(notes)}`);
  assert.ok(notes.some((n) => /^Restored after a reload with the stored model/.test(n)), 'the restore says so');
  const missing = notesBefore.filter((n) => !notes.includes(n));
  assert.deepEqual(missing, [], 'every note of the fit is shown again');
});
