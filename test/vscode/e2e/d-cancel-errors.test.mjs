// UI e2e (d): cancelling a long clustering job from the progress notification, a malformed
// file's error message, and that the next command still works afterwards.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURE, clusterFromExplorer, openSession, waitForClusters } from './support.mjs';

const BIG_ROWS = Number(process.env.NEON_E2E_BIG_ROWS || 400_000);
const BIG_COLS = 24;

/** A large numeric CSV, written into the temp copy only (never into the committed fixture). */
function writeBigCsv(dir) {
  const file = path.join(dir, 'big.csv');
  const fd = fs.openSync(file, 'w');
  let seed = 12345;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  fs.writeSync(fd, Array.from({ length: BIG_COLS }, (_, j) => `c${j + 1}`).join(',') + '\n');
  let chunk = [];
  for (let i = 0; i < BIG_ROWS; i++) {
    const centre = (i % 5) * 3;
    const row = new Array(BIG_COLS);
    for (let j = 0; j < BIG_COLS; j++) row[j] = (centre + next() * 2).toFixed(3);
    chunk.push(row.join(','));
    if (chunk.length === 5000) { fs.writeSync(fd, chunk.join('\n') + '\n'); chunk = []; }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  fs.closeSync(fd);
}

let s;
before(async () => {
  s = await openSession({ name: 'd-cancel', workspace: FIXTURE, expectRow: 'big.csv', prepare: writeBigCsv });
}, { timeout: 240_000 });
after(async () => { await s?.close(); });

test('Cancel on the progress notification stops the job within a second', { timeout: 180_000 }, async () => {
  const { wb } = s;
  let appearedAt = 0;
  let clickedAt = 0;
  let cancelledAt = 0;
  await s.step('01-cancelled', async () => {
    await clusterFromExplorer(s, 'big.csv');
    const progress = wb.toast(/Clustering big\.csv/);
    await progress.waitFor({ state: 'visible', timeout: 60_000 });
    appearedAt = Date.now();
    await wb.screenshot('00-progress');
    await wb.clickToastButton(/Clustering big\.csv/, 'Cancel', 10_000);
    clickedAt = Date.now();
    const cancelled = wb.toast(/cancelled/i);
    while (!(await cancelled.isVisible().catch(() => false))) {
      if (Date.now() - clickedAt > 10_000) throw new Error('no "cancelled" message within 10 s of Cancel');
      await new Promise((r) => setTimeout(r, 25));
    }
    cancelledAt = Date.now();
    // It says what the user has now (issue 12, trial 2: Cancel gave no feedback).
    const text = (await cancelled.innerText()).replace(/\s+/g, ' ');
    console.log(`cancelled message: ${text}`);
    assert.match(text, /Clustering big\.csv cancelled — nothing was changed/);
  });
  console.log(`progress toast → Cancel click: ${clickedAt - appearedAt} ms; Cancel → "cancelled" message: ${cancelledAt - clickedAt} ms`);
  // the click itself includes the screenshot above (~0.7 s settle), so allow that on top of ~2 s
  assert.ok(clickedAt - appearedAt < 3_500, 'Cancel clicked soon after the progress toast appeared');
  assert.ok(cancelledAt - clickedAt <= 1_000, `"cancelled" shown ${cancelledAt - clickedAt} ms after Cancel (limit 1000 ms)`);
  await new Promise((r) => setTimeout(r, 2_000));
  await wb.focusView('Clusters');
  const rows = await wb.treeRows('Clusters').allInnerTexts().catch(() => []);
  assert.ok(!rows.some((r) => r.includes('big.csv')), `a cancelled job must leave no result; tree rows: ${JSON.stringify(rows)}`);
});

test('a malformed CSV gives an error naming the file and line', { timeout: 120_000 }, async () => {
  const text = await s.step('02-malformed-error', async () => {
    await s.wb.clearNotifications();
    await clusterFromExplorer(s, 'malformed.csv');
    return s.wb.waitNotification(/malformed\.csv/, 60_000, 'error');
  });
  console.log(`error message: ${JSON.stringify(text)}`);
  assert.match(text, /malformed\.csv/);
  assert.match(text, /line \d+/);
});

test('the next command still works after cancel and error', { timeout: 180_000 }, async () => {
  await s.step('03-recovered', async () => {
    await s.wb.clearNotifications();
    await clusterFromExplorer(s, 'samples.csv');
    await waitForClusters(s, 'samples.csv');
  });
});
