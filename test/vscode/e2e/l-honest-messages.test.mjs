// UI e2e (l), issue 12 problem 6: scale and state messages tell the truth. A 124 MB CSV is
// generated at test time in the temporary workspace (never committed). Cancel during "choosing k"
// leaves no spinner in the panel; a run cut by maxRows says it clustered the first rows of a
// longer file; and opening the 124 MB file says why it shows no highlights, hover or status
// (VS Code does not hand files over 50 MB to extensions) and points to the panel.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, answerClusterInput, clusterFromExplorer, errorToast, openSession, setWorkspaceSettings } from './support.mjs';

const TARGET_BYTES = 124 * 1024 * 1024;
const COLS = 16;

/** ~124 MB of numeric rows around 4 centres (deterministic), written in chunks. */
function writeHugeCsv(dir) {
  const file = path.join(dir, 'huge.csv');
  const fd = fs.openSync(file, 'w');
  let seed = 4242;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  let written = fs.writeSync(fd, Array.from({ length: COLS }, (_, j) => `x${j + 1}`).join(',') + '\n');
  let i = 0;
  while (written < TARGET_BYTES) {
    const lines = [];
    for (let r = 0; r < 5000; r++, i++) {
      const centre = (i % 4) * 2.5;
      const row = new Array(COLS);
      for (let j = 0; j < COLS; j++) row[j] = (centre + next() * 3).toFixed(4);
      lines.push(row.join(','));
    }
    written += fs.writeSync(fd, lines.join('\n') + '\n');
  }
  fs.closeSync(fd);
  return written;
}

let s;
let bytes = 0;
before(async () => {
  s = await openSession({
    name: 'l-messages', workspace: FIXTURE, expectRow: 'huge.csv',
    prepare: (dir) => {
      bytes = writeHugeCsv(dir);
      setWorkspaceSettings(dir, { 'neonClusterExplorer.labelColumn': '' });
    },
  });
  console.log(`huge.csv: ${(bytes / 1024 / 1024).toFixed(1)} MB`);
}, { timeout: 300_000 });
after(async () => { await s?.close(); });

test('Cancel during a job clears the panel\'s progress', { timeout: 300_000 }, async () => {
  const view = s.wb.webview();
  const seen = await s.step('01-progress-in-panel', async () => {
    await s.wb.runCommand(CMD.showPanel);
    await view.locator('#empty, #content').first().waitFor({ timeout: 60_000 });
    await clusterFromExplorer(s, 'huge.csv');
    const progress = view.locator('#progress:not([hidden])');
    await progress.waitFor({ timeout: 120_000 });
    // Let it reach a later stage (reading 200,000 rows, then choosing k), as in the report.
    const end = Date.now() + 120_000;
    let text = '';
    while (Date.now() < end) {
      text = (await view.locator('#progress .progress-text').innerText().catch(() => '')).trim();
      if (/choosing k|fitting/.test(text)) break;
      await s.page.waitForTimeout(200);
    }
    return text;
  });
  console.log(`panel progress before Cancel: ${seen}`);
  assert.match(seen, /\S/, 'the panel shows the job\'s progress');
  const after = await s.step('02-cancelled', async () => {
    await s.wb.clickToastButton(/Clustering huge\.csv/, 'Cancel', 20_000);
    await s.page.waitForTimeout(2_500);
    return {
      visible: await view.locator('#progress').isVisible().catch(() => false),
      spinning: await view.locator('#progress:not([hidden]) .codicon-modifier-spin').count(),
      text: (await view.locator('#progress .progress-text').innerText().catch(() => '')).trim(),
    };
  });
  console.log(`panel after Cancel: ${JSON.stringify(after)}`);
  assert.equal(after.visible, false, `no progress left in the panel after Cancel (it showed "${after.text}")`);
});

test('a run cut by maxRows says it clustered the first rows of a longer file', { timeout: 300_000 }, async () => {
  setWorkspaceSettings(s.ws, { 'neonClusterExplorer.maxRows': 5000, 'neonClusterExplorer.k': '4' });
  await s.page.waitForTimeout(1_500);
  const text = await s.step('03-first-rows', async () => {
    await s.wb.clearNotifications();
    await s.wb.explorerContextMenu('huge.csv', 'Cluster Dataset…');
    await answerClusterInput(s, 'huge.csv', { k: '4' });
    const done = s.wb.toast(/huge\.csv: \d+ clusters of/);
    const end = Date.now() + 180_000;
    while (Date.now() < end) {
      if (await done.isVisible().catch(() => false)) return (await done.innerText()).trim();
      const err = await errorToast(s.wb);
      if (err) throw new Error(err);
      await s.page.waitForTimeout(300);
    }
    return s.wb.waitNotification(/huge\.csv: \d+ clusters of/, 1_000);
  });
  console.log(`notification: ${text.replace(/\s+/g, ' ')}`);
  assert.match(text, /of the first 5,000 rows \(maxRows = 5,000; the file has more\)/, 'says these are the first rows of a longer file');
  const chip = await s.wb.webview().locator('.setting-chips .chip').first().getAttribute('title');
  console.log(`panel data chip: ${chip}`);
  assert.match(chip ?? '', /first 5,000 rows/);
});

test('opening the 124 MB file says why it has no highlights and points to the panel', { timeout: 300_000 }, async () => {
  const message = await s.step('04-large-file', async () => {
    await s.wb.clearNotifications();
    await s.wb.showExplorer();
    await s.wb.explorerRow('huge.csv').dblclick();
    return s.wb.waitNotification(/VS Code does not hand files over 50 MB/, 120_000);
  });
  console.log(`large-file message: ${message.replace(/\s+/g, ' ')}`);
  assert.match(message, /huge\.csv is 12\d MB/);
  assert.match(message, /Clusters panel/);
  const status = await s.page.locator('.statusbar').innerText();
  console.log(`status bar: ${status.replace(/\s+/g, ' ')}`);
  assert.match(status, /huge\.csv is 12\d MB: results in the panel/);
});
