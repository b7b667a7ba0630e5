// Shared steps of the UI end-to-end specs: the fixture workspace, the UI contract's titles,
// and flows every spec needs (cluster a file from the explorer, wait for the Clusters tree,
// wait for decorations). Each spec opens its own session (code-server + Chromium).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../scripts/real-vscode/tools.mjs';

export { openSession } from '../../../scripts/real-vscode/session.mjs';
export const FIXTURE = path.join(repoRoot, 'test/fixtures/e2e-workspace');
export const XSS = '<img src=x onerror=alert(1)>';
export const CMD = {
  cluster: 'NEON: Cluster Dataset…',
  explainCluster: 'NEON: Explain Cluster',
  explainDocument: 'NEON: Explain This Document',
  showPanel: 'NEON: Show Clusters Panel',
  clearHighlights: 'NEON: Clear Highlights',
};
export const MENU_CLUSTER = 'Cluster Dataset…';
/** Slow machines (2 shared cores): generous waits for work, tight ones only where the contract says so. */
export const WORK_TIMEOUT = 120_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` (every 200 ms) until `ok(value)` holds and returns that value, instead of a fixed
 * sleep before reading the UI; throws after `timeout` ms naming `what` and the last value read.
 */
export async function until(what, probe, ok, timeout = 30_000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (ok(last)) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting until ${what}; last: ${JSON.stringify(last)}`);
    await sleep(200);
  }
}

/** Text of a visible error toast, if any (fail fast instead of waiting for a result that will not come). */
export async function errorToast(wb) {
  const t = wb.page.locator('.notifications-toasts .notification-toast', { has: wb.page.locator('.codicon-error') }).first();
  return (await t.isVisible().catch(() => false)) ? (await t.innerText()).trim() : undefined;
}

/**
 * Right-click `name` in the explorer and choose "Cluster Dataset…", then answer the dataset's
 * questions (see answerClusterInput; Enter on every step unless `answers` says otherwise).
 * Returns what the input showed.
 */
export async function clusterFromExplorer(s, name, answers = {}) {
  await s.wb.explorerContextMenu(name, MENU_CLUSTER);
  return answerClusterInput(s, name, answers);
}

/**
 * Answers the "NEON: Cluster <name>" multi-step input like a person (Workbench.answerClusterInput):
 * Enter on each step unless `answers` says otherwise. Returns { shown, steps }.
 */
export function answerClusterInput(s, name, answers = {}, waitMs = Number(process.env.NEON_E2E_INPUT_WAIT_MS || 30_000)) {
  return s.wb.answerClusterInput(name, answers, waitMs);
}

/**
 * Wait until the NEON Clusters tree shows cluster rows under the dataset `datasetName`; returns
 * the row texts. Fails early with the toast's text if an error notification shows up.
 */
export async function waitForClusters(s, datasetName, timeout = WORK_TIMEOUT) {
  const { wb } = s;
  await wb.focusView('Clusters');
  const rows = wb.treeRows('Clusters');
  const start = Date.now();
  const end = start + timeout;
  let expandedOnce = false;
  while (Date.now() < end) {
    const texts = (await rows.allInnerTexts().catch(() => [])).map((t) => t.replace(/\s+/g, ' ').trim());
    const at = texts.findIndex((t) => t.includes(datasetName));
    if (at >= 0) {
      const clusters = texts.slice(at + 1).filter((t) => /Cluster \d+/.test(t));
      if (clusters.length >= 2) return texts;
      if (!expandedOnce && Date.now() > start + 5_000) {
        // a collapsed dataset node: expand it once
        await rows.nth(at).click().catch(() => {});
        expandedOnce = true;
      }
    }
    const err = await errorToast(wb);
    if (err) throw new Error(`error notification while clustering ${datasetName}: ${err}`);
    await sleep(300);
  }
  const texts = await rows.allInnerTexts().catch(() => []);
  throw new Error(`the Clusters view never showed clusters of ${datasetName} within ${timeout} ms; rows: ${JSON.stringify(texts)}`);
}

/** Wait until the active editor shows extension decorations satisfying `ok(counts)`. */
export async function waitForDecorations(wb, ok, timeout = 30_000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await wb.editorDecorations();
    if (ok(last)) return last;
    await sleep(300);
  }
  throw new Error(`decorations never satisfied the condition; last counts for=${last?.for} against=${last?.against} other=${last?.other}`);
}

/** Hover the decorations of one sign until a hover with text appears; returns that text. */
export async function hoverDecoration(wb, decorations, sign, mustContain) {
  const items = decorations.items.filter((d) => d.sign === sign && d.width >= 6).slice(0, 6);
  assert.ok(items.length > 0, `no '${sign}' decoration to hover`);
  let text = '';
  for (const d of items) {
    text = await wb.hoverAt(d.x, d.y);
    if (text && (!mustContain || mustContain.test(text))) return text;
    await wb.page.mouse.move(5, 400);
    await sleep(300);
  }
  return text;
}

/** No dialog fired and no blocked-alert / inline-handler message reached the console. */
export function assertNoScriptInjection(s) {
  assert.deepEqual(s.dialogs, [], `dialogs fired: ${s.dialogs.join(' | ')}`);
  const suspicious = s.consoleLines.filter((l) => /alert\(|allow-modals|inline event handler/i.test(l));
  assert.deepEqual(suspicious, [], 'console shows an attempt to run injected script');
}

/** Writes workspace settings into the temp copy (the workbench watches the file). */
export function setWorkspaceSettings(wsDir, patch) {
  const file = path.join(wsDir, '.vscode/settings.json');
  const now = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...now, ...patch }, null, 2));
}

/** Editor groups left to right: their tabs and the active tab's label. */
export function editorGroups(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.editor-group-container')]
      .map((g) => ({
        left: g.getBoundingClientRect().left,
        tabs: [...g.querySelectorAll('.tabs-container .tab')].map((t) => (t.querySelector('.monaco-icon-label-container')?.textContent ?? '').trim()),
        active: (g.querySelector('.tabs-container .tab.active .monaco-icon-label-container')?.textContent ?? '').trim(),
      }))
      .sort((a, b) => a.left - b.left),
  );
}
