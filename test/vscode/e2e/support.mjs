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

/** Which step of the Cluster Dataset… input a placeholder belongs to. */
function stepKey(placeholder) {
  if (/^Label (column|field)/.test(placeholder)) return 'label';
  if (/^Columns to leave out/.test(placeholder)) return 'leaveOut';
  if (/^Number of clusters/.test(placeholder)) return 'k';
  if (/^Model/.test(placeholder)) return 'model';
  return 'text';
}

/**
 * Answers the "NEON: Cluster <name>" multi-step input like a person: on each step, the text of
 * `answers[step]` (label, k, model, text) is typed to filter the list and Enter takes the
 * highlighted row; a step without an answer is taken with Enter as proposed. For leaveOut, an
 * array of column names to toggle (Space) before Enter. Returns { shown, steps: [{ key,
 * placeholder, step, active, checked }] } — `shown` false when no input appeared within `waitMs`
 * (code without the input clusters straight away).
 */
export async function answerClusterInput(s, name, answers = {}, waitMs = 30_000) {
  const page = s.page;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input').first();
  const title = widget.locator('.quick-input-title', { hasText: `Cluster ${name}` });
  const shown = await title.waitFor({ timeout: waitMs }).then(() => true, () => false);
  const steps = [];
  if (!shown) return { shown, steps };
  for (let guard = 0; guard < 10; guard++) {
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 10_000 }).catch(() => {});
    // One read of the widget's DOM (locator calls on absent elements would wait).
    const seen = await widget.evaluate((root) => {
      const clean = (t) => (t ?? '').replace(/\s+/g, ' ').trim();
      const box = root.querySelector('.quick-input-box input');
      const list = [...root.querySelectorAll('.quick-input-list .monaco-list-row')];
      const isChecked = (row) => {
        const c = row.querySelector('input[type=checkbox]');
        if (c) return c.checked;
        const t = row.querySelector('[aria-checked], .monaco-custom-toggle');
        return t ? t.getAttribute('aria-checked') === 'true' || t.classList.contains('checked') : row.getAttribute('aria-checked') === 'true';
      };
      // A row's label without its description (the item's name).
      const name = (r) => clean((r.querySelector('.label-name') ?? r).textContent);
      const focused = list.find((r) => r.classList.contains('focused'));
      return {
        placeholder: box?.getAttribute('placeholder') ?? '',
        title: clean(root.querySelector('.quick-input-title')?.textContent),
        active: focused ? name(focused) : '',
        activeDescription: clean(focused?.querySelector('.label-description')?.textContent),
        checked: list.filter(isChecked).map(name),
      };
    });
    const { placeholder, active, checked, activeDescription } = seen;
    const key = stepKey(placeholder);
    const stepText = seen.title;
    steps.push({ key, placeholder, step: stepText, active, activeDescription, checked });
    await s.wb.screenshot(`input-${steps.length}-${key}`);
    const answer = answers[key];
    if (key === 'leaveOut' && Array.isArray(answer)) {
      for (const column of answer) {
        await input.fill(column);
        await page.waitForTimeout(300);
        await rows.first().locator('input[type=checkbox], .monaco-custom-toggle').first().click({ timeout: 5_000 });
      }
      await input.fill('');
    } else if (answer !== undefined) {
      await input.fill(String(answer));
      await page.waitForTimeout(400);
    }
    await page.keyboard.press('Enter');
    // The next step replaces the input (it may hide for a moment), or it closes after the last.
    const end = Date.now() + 10_000;
    let hiddenSince = 0;
    let next = false;
    while (Date.now() < end) {
      if (await widget.isVisible().catch(() => false)) {
        hiddenSince = 0;
        const now = (await input.getAttribute('placeholder', { timeout: 1_000 }).catch(() => '')) ?? '';
        if (now !== placeholder) { next = true; break; }
      } else if (hiddenSince === 0) {
        hiddenSince = Date.now();
      } else if (Date.now() - hiddenSince > 1_500) {
        break;
      }
      await page.waitForTimeout(100);
    }
    if (!next) break;
  }
  return { shown, steps };
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
