// UI e2e (n), issue 8 case 09 as a user meets it in the editor: centres trained elsewhere
// (a NumPy .npy, right-click → Load Model…) explain a CSV whose line 4 holds a = 9.99e307, a
// value whose squared distance to any centre is beyond float64. That row is assigned but cannot
// be explained: its cells are outlined, the line ends with "not explained: <reason>", the hover
// says why and the status bar says "not explained" on that line — never "NaN" or an empty
// hover; the other rows are coloured as usual.
// Files: test/fixtures/cases/09-huge-magnitudes/new_batch_sentinel.csv (copied as huge.csv) and
// a .npy of two centres written here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FIXTURE, openSession, setWorkspaceSettings, waitForClusters, waitForDecorations } from './support.mjs';

const CASE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/cases/09-huge-magnitudes');

/** A float64 C-order .npy (NEP 1: magic, version 1.0, header padded to 64 bytes, data). */
function npy(rows) {
  const shape = `(${rows.length}, ${rows[0].length})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  const size = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header + ' '.repeat(size - 10 - header.length - 1) + '\n';
  const values = rows.flat();
  const buf = Buffer.alloc(size + 8 * values.length);
  buf.write('\x93NUMPY', 0, 'latin1');
  buf[6] = 1;
  buf[7] = 0;
  buf.writeUInt16LE(header.length, 8);
  buf.write(header, 10, 'latin1');
  values.forEach((v, i) => buf.writeDoubleLE(v, size + 8 * i));
  return buf;
}

let s;
before(async () => {
  s = await openSession({
    name: 'n-not-explained',
    workspace: FIXTURE,
    expectRow: 'huge.csv',
    prepare: (dir) => {
      fs.copyFileSync(path.join(CASE, 'new_batch_sentinel.csv'), path.join(dir, 'huge.csv'));
      fs.writeFileSync(path.join(dir, 'centres.npy'), npy([[1, 2], [5, 9]]));
      setWorkspaceSettings(dir, { 'neonClusterExplorer.labelColumn': '' });
    },
  });
}, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('a row beyond float64 is outlined, its line says "not explained: …", the hover says why', { timeout: 300_000 }, async () => {
  await s.step('01-load-npy-on-huge-csv', async () => {
    await s.wb.openFile('huge.csv');
    await s.wb.explorerContextMenu('centres.npy', 'Load Model…');
    const item = s.wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'huge.csv' }).first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    return waitForClusters(s, 'huge.csv', 200_000);
  });

  const { note, deco } = await s.step('02-line-note-and-colours', async () => {
    await s.wb.openFile('huge.csv');
    const deco = await waitForDecorations(s.wb, (d) => d.for + d.against > 0);
    // The note is an `after` decoration: CSS generated content of a span at the line's end.
    const line = s.wb.page.locator('.view-lines .view-line', { hasText: '9.99e307' }).first();
    await line.waitFor({ timeout: 30_000 });
    const end = Date.now() + 30_000;
    let note = '';
    while (Date.now() < end && !note.includes('not explained')) {
      note = await line.evaluate((el) =>
        el.innerText + [...el.querySelectorAll('span')].map((span) => getComputedStyle(span, '::after').content).filter((c) => c && c !== 'none' && c !== 'normal').map((c) => c.replace(/^"|"$/g, '')).join(''));
      await new Promise((r) => setTimeout(r, 300));
    }
    return { note, deco };
  });
  console.log(`line 4 reads: ${JSON.stringify(note)}; decorations for=${deco.for} against=${deco.against}`);
  assert.match(note, /^9\.99e307,2\s*not explained: its evidence is beyond what float64 can hold/);
  assert.doesNotMatch(note, /NaN/);
  assert.ok(deco.for > 0, 'the ordinary rows keep their colours');

  const hover = await s.step('03-hover-not-explained', async () => {
    const cell = s.wb.page.locator('.view-lines .view-line', { hasText: '9.99e307' }).first();
    const box = await cell.boundingBox();
    assert.ok(box, 'line 4 is on screen');
    return s.wb.hoverAt(box.x + 12, box.y + box.height / 2);
  });
  console.log(`hover: ${JSON.stringify(hover.slice(0, 300))}`);
  assert.match(hover, /Row 2 is in Cluster \d — .*; not explained: its evidence is beyond what float64 can hold/);
  assert.doesNotMatch(hover, /NaN|Relevance/);

  // The status bar follows the cursor: on line 4 it says the row is not explained, not "evidence NaN".
  const status = await s.step('04-status-bar-on-line-4', async () => {
    await s.wb.page.mouse.move(5, 400);
    const cell = s.wb.page.locator('.view-lines .view-line', { hasText: '9.99e307' }).first();
    const box = await cell.boundingBox();
    assert.ok(box, 'line 4 is on screen');
    await s.wb.page.mouse.click(box.x + 4, box.y + box.height / 2);
    const item = s.wb.page.locator('.statusbar-item', { hasText: /Cluster \d+ · not explained/ }).first();
    await item.waitFor({ timeout: 30_000 });
    return s.wb.page.locator('.statusbar').innerText();
  });
  assert.doesNotMatch(status, /NaN/);
});
