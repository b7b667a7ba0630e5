// UI e2e (i), issue 12 problem 3: a reload keeps every result exactly. Thirteen datasets are
// clustered (fortunes.jsonl with k = 8, ten generated tables, samples.csv, notes/), the k setting
// is then changed to 2, and the window is reloaded: every dataset comes back, fortunes with k = 8
// (its stored model, not a re-fit with today's settings), and a CSV that is not clustered is not
// highlighted as prose with the text model. fortunes.jsonl comes from ../shared/data as in spec f.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../../scripts/real-vscode/tools.mjs';
import { FIXTURE, clusterFromExplorer, errorToast, openSession, setWorkspaceSettings } from './support.mjs';

const FORTUNES = process.env.NEON_SHARED_DATA
  ? path.join(process.env.NEON_SHARED_DATA, 'fortunes.jsonl')
  : path.resolve(repoRoot, '..', 'shared', 'data', 'fortunes.jsonl');
const present = fs.existsSync(FORTUNES);
if (!present && process.env.CI === 'true') throw new Error(`${FORTUNES} is missing: CI must run the reload test on the real corpus`);
const skip = present ? false : `${FORTUNES} is absent (a clone without ../shared): skipped`;

const TABLES = Array.from({ length: 10 }, (_, i) => `t${String(i + 1).padStart(2, '0')}.csv`);
const DATASETS = ['fortunes.jsonl', ...TABLES, 'samples.csv', 'notes'];

/** A small labelled table of three blobs (deterministic). */
function table(seed) {
  let x = seed;
  const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296);
  const lines = ['a,b,c,label'];
  for (let i = 0; i < 60; i++) {
    const c = i % 3;
    lines.push([c * 4 + next(), c * -3 + next(), next() * 2, `g${c}`].map((v) => (typeof v === 'number' ? v.toFixed(3) : v)).join(','));
  }
  return lines.join('\n') + '\n';
}

let s;
before(async () => {
  if (!present) return;
  s = await openSession({
    name: 'i-reload', workspace: FIXTURE, expectRow: 'fortunes.jsonl',
    prepare: (dir) => {
      fs.copyFileSync(FORTUNES, path.join(dir, 'fortunes.jsonl'));
      TABLES.forEach((name, i) => fs.writeFileSync(path.join(dir, name), table(1000 + i)));
      setWorkspaceSettings(dir, { 'neonClusterExplorer.k': '8', 'neonClusterExplorer.flippingSample': 20 });
    },
  });
}, { timeout: 180_000 });
after(async () => { await s?.close(); });

/** The Clusters tree with every dataset collapsed, in display order: one row per dataset. */
async function datasetRows() {
  await s.wb.focusView('Clusters');
  await s.page.locator('.sidebar .codicon-collapse-all').first().click({ timeout: 5_000 }).catch(() => {});
  await s.page.waitForTimeout(500);
  // Rows in display order (the list reuses row elements, so DOM order is not display order).
  return s.page.locator('.sidebar .monaco-list').first().evaluate((list) =>
    [...list.querySelectorAll('.monaco-list-row')]
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

/**
 * The extension's workspace storage as files: the stored model files (results/) and the
 * windows' leases (windows/*.json, storageLeases.ts), each with the model files it names.
 */
function storage() {
  const root = path.join(s.cs.userData, 'User', 'workspaceStorage');
  for (const hash of fs.readdirSync(root)) {
    const ext = path.join(root, hash, 'neon-explorer.neon-cluster-explorer');
    if (!fs.existsSync(path.join(ext, 'results'))) continue;
    const models = fs.readdirSync(path.join(ext, 'results')).filter((f) => f.endsWith('.neon-model.json')).sort();
    const folder = path.join(ext, 'windows');
    const leases = (fs.existsSync(folder) ? fs.readdirSync(folder) : []).filter((f) => f.endsWith('.json'))
      .map((f) => ({ file: f, models: [...JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')).models].sort() }));
    return { models, leases };
  }
  return { models: [], leases: [] };
}

/** Waits until the one open window's lease names every stored model (leases are written after each save). */
async function oneLeaseNamingAll(count, timeout = 30_000) {
  const end = Date.now() + timeout;
  let st = storage();
  while (Date.now() < end) {
    st = storage();
    if (st.models.length === count && st.leases.length === 1 && JSON.stringify(st.leases[0].models) === JSON.stringify(st.models)) break;
    await s.page.waitForTimeout(500);
  }
  return st;
}

/** Waits for the notification that ends `name`'s job (fails early on an error toast). */
async function waitForJob(name, timeout) {
  const end = Date.now() + timeout;
  const done = s.wb.toast(new RegExp(`${name.replace(/[.]/g, '\\.')}: \\d+ clusters of`));
  while (Date.now() < end) {
    if (await done.isVisible().catch(() => false)) return (await done.innerText()).trim();
    const err = await errorToast(s.wb);
    if (err) throw new Error(`error while clustering ${name}: ${err}`);
    await s.page.waitForTimeout(300);
  }
  return s.wb.waitNotification(new RegExp(`${name.replace(/[.]/g, '\\.')}: \\d+ clusters of`), 1_000);
}

test('thirteen datasets clustered, fortunes.jsonl with k = 8', { skip, timeout: 900_000 }, async () => {
  for (const name of DATASETS) {
    await s.step(`01-cluster-${name}`, async () => {
      await s.wb.clearNotifications();
      await clusterFromExplorer(s, name);
      await waitForJob(name, name === 'fortunes.jsonl' ? 300_000 : 120_000);
    });
  }
  const rows = await s.step('02-all-clustered', datasetRows);
  console.log(`before reload: ${JSON.stringify(rows)}`);
  for (const name of DATASETS) assert.ok(rows.some((r) => r.startsWith(name)), `${name} in the tree before the reload`);
  assert.match(rows.find((r) => r.startsWith('fortunes.jsonl')) ?? '', /k=8\b/);
  // Stored: one model file per dataset, and this window's lease names them all.
  const st = await oneLeaseNamingAll(DATASETS.length);
  console.log(`storage before reload: ${st.models.length} models, leases ${JSON.stringify(st.leases.map((l) => `${l.file}: ${l.models.length} models`))}`);
  assert.equal(st.models.length, DATASETS.length, 'one stored model per dataset');
  assert.equal(st.leases.length, 1, 'one lease: one open window');
  assert.deepEqual(st.leases[0].models, st.models, 'the window\'s lease names every stored model');
  leaseBefore = st.leases[0].file;
});

/** The lease file of the window before the reload. */
let leaseBefore;

test('after changing k to 2 and reloading, every dataset is back and fortunes still has k = 8', { skip, timeout: 600_000 }, async () => {
  setWorkspaceSettings(s.ws, { 'neonClusterExplorer.k': '2' });
  await s.page.waitForTimeout(1_500);
  const rows = await s.step('03-after-reload', async () => {
    await s.wb.runCommand('Developer: Reload Window');
    await s.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await s.page.waitForTimeout(3_000);
    // Restoring explains each dataset again under its stored model: wait for all of them.
    const end = Date.now() + 400_000;
    let last = [];
    while (Date.now() < end) {
      last = await datasetRows().catch(() => []);
      if (DATASETS.every((name) => last.some((r) => r.startsWith(name)))) return last;
      await s.page.waitForTimeout(3_000);
    }
    return last;
  });
  console.log(`after reload: ${JSON.stringify(rows)}`);
  const missing = DATASETS.filter((name) => !rows.some((r) => r.startsWith(name)));
  assert.deepEqual(missing, [], `datasets missing after the reload: ${missing.join(', ')}`);
  assert.match(rows.find((r) => r.startsWith('fortunes.jsonl')) ?? '', /k=8\b/, 'fortunes keeps k = 8 (its stored model), not the new setting');
  for (const t of TABLES) assert.match(rows.find((r) => r.startsWith(t)) ?? '', /k=8\b/, `${t} keeps k = 8`);
  // The closed window released its lease; the reloaded window (a new session id) leases the same
  // models, and its cleanup deleted none of them.
  const st = await oneLeaseNamingAll(DATASETS.length);
  console.log(`storage after reload: ${st.models.length} models, leases ${JSON.stringify(st.leases.map((l) => `${l.file}: ${l.models.length} models`))}`);
  assert.equal(st.models.length, DATASETS.length, 'every stored model survives the reload');
  assert.deepEqual(st.leases.map((l) => l.file).filter((f) => f === leaseBefore), [], 'the window closed by the reload released its lease');
  assert.equal(st.leases.length, 1, 'one lease: the reloaded window\'s');
  assert.deepEqual(st.leases[0].models, st.models, 'the reloaded window\'s lease names every stored model');
});

test('a CSV that is not clustered is not highlighted as prose with the text model', { skip, timeout: 120_000 }, async () => {
  const deco = await s.step('04-unclustered-csv', async () => {
    await s.wb.openFile('xss.csv');
    await s.page.waitForTimeout(4_000);
    return s.wb.editorDecorations();
  });
  const status = await s.page.locator('.statusbar').innerText();
  console.log(`xss.csv decorations: for=${deco.for} against=${deco.against}; status bar: ${status.replace(/\s+/g, ' ')}`);
  assert.equal(deco.for + deco.against, 0, 'no word of a CSV is coloured by a text model');
  assert.ok(!/Cluster \d+ · evidence/.test(status), 'no cluster in the status bar for a CSV nobody clustered');
});
