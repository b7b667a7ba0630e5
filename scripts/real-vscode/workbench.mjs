// Helpers that drive the VS Code web workbench like a person: command palette, quick open,
// explorer context menu, notifications, editor decorations and hovers, webview frames.
// Selectors are those of VS Code 1.139 (code-server 4.139); see shared/docs/real-vscode.md.
import fs from 'node:fs';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Match a label exactly, ignoring surrounding whitespace. */
export const exactly = (s) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`);

/** Which step of the Cluster Dataset… input a placeholder belongs to. */
function stepKey(placeholder) {
  if (/^Label (column|field)/.test(placeholder)) return 'label';
  if (/^Columns to leave out/.test(placeholder)) return 'leaveOut';
  if (/^Number of clusters/.test(placeholder)) return 'k';
  if (/^Model/.test(placeholder)) return 'model';
  return 'text';
}

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page, { artifactsDir, prefix = '' } = {}) {
    this.page = page;
    this.artifactsDir = artifactsDir;
    this.prefix = prefix;
  }

  /** Open the workbench URL and wait until the explorer shows `expectRow` (remote file system connected). */
  async open(url, expectRow, timeout = 90_000) {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    if (expectRow) await this.explorerRow(expectRow).waitFor({ timeout });
  }

  /** Screenshot after a settle delay (toasts and hovers fade in). */
  async screenshot(step) {
    if (!this.artifactsDir) return undefined;
    await sleep(700);
    fs.mkdirSync(this.artifactsDir, { recursive: true });
    const file = path.join(this.artifactsDir, `${this.prefix}${step}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async focusWorkbench() {
    await this.page.keyboard.press('Escape').catch(() => {});
  }

  /**
   * Run a command by its palette title ("NEON: Cluster Dataset…"). The palette snapshots the command
   * list when it opens, so if the row is missing (extension not registered yet) close and reopen.
   */
  async runCommand(title, totalMs = 60_000) {
    const page = this.page;
    const end = Date.now() + totalMs;
    for (let attempt = 1; ; attempt++) {
      await this.focusWorkbench();
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill('>' + title);
      const row = page.locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: exactly(title) }) }).first();
      try {
        await row.waitFor({ timeout: 3_000 });
        await row.click();
        // (commands that open their own quick pick keep the widget visible: do not wait long)
        await input.waitFor({ state: 'hidden', timeout: 1_500 }).catch(() => {});
        return attempt;
      } catch {
        await page.keyboard.press('Escape');
        if (Date.now() > end) throw new Error(`command '${title}' never appeared in the command palette`);
        await sleep(500);
      }
    }
  }

  /** Quick-open a workspace file by relative path and wait for its editor tab to be active. */
  async openFile(relPath, timeout = 30_000) {
    const page = this.page;
    const base = path.basename(relPath);
    await this.focusWorkbench();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(relPath);
    const row = page.locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: exactly(base) }) }).first();
    await row.waitFor({ timeout });
    await row.click();
    await page.locator('.tabs-container .tab.active', { hasText: base }).waitFor({ timeout });
    await this.activeEditor().locator('.view-lines .view-line').first().waitFor({ timeout });
  }

  activeEditor() {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  explorerRow(name) {
    return this.page.locator('.explorer-folders-view .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) }).first();
  }

  /**
   * Right-click an explorer row and choose a context-menu item by its label. Like the palette, the
   * menu is built when it opens: if the extension's contributions are not registered yet, reopen.
   */
  async explorerContextMenu(name, itemLabel, totalMs = 60_000) {
    const row = this.explorerRow(name);
    await this.showExplorer();
    await row.waitFor({ timeout: totalMs });
    const end = Date.now() + totalMs;
    for (;;) {
      await row.click({ button: 'right' });
      const item = this.page.locator('.monaco-menu .action-item .action-label', { hasText: exactly(itemLabel) }).first();
      try {
        await item.waitFor({ timeout: 3_000 });
        // the menu ignores a click that arrives right after it opened (the right-click's own mouse-up)
        await sleep(300);
        await item.click();
        const menu = this.page.locator('.monaco-menu').first();
        if (!(await menu.waitFor({ state: 'hidden', timeout: 1_500 }).then(() => true, () => false))) await item.click();
        return;
      } catch {
        await this.page.keyboard.press('Escape');
        if (Date.now() > end) throw new Error(`'${itemLabel}' never appeared in the explorer context menu of ${name}`);
        await sleep(1_000);
      }
    }
  }

  /** Bring the Explorer back into the side bar (another view container may be showing). */
  async showExplorer() {
    if (await this.page.locator('.explorer-folders-view').isVisible().catch(() => false)) return;
    await this.runCommand('View: Show Explorer', 15_000);
    await this.page.locator('.explorer-folders-view').waitFor({ timeout: 10_000 });
  }

  /** Visible toasts' texts. */
  async toastTexts() {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts().catch(() => []);
  }

  /** A toast containing `text`; severity 'error' | 'warning' | 'info' narrows by the toast's icon. */
  toast(text, severity) {
    const t = this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
    return (severity ? t.filter({ has: this.page.locator(`.codicon-${severity}`) }) : t).first();
  }

  /**
   * Wait for a notification containing `text` (string or RegExp): first as a toast, then in the
   * notification centre (toasts hide after a while, and the smoke-test driver hides them all).
   * Returns the notification's text.
   */
  async waitNotification(text, timeout = 30_000, severity = undefined) {
    const end = Date.now() + timeout;
    const toast = this.toast(text, severity);
    while (Date.now() < end) {
      if (await toast.isVisible().catch(() => false)) return (await toast.innerText()).trim();
      await sleep(150);
    }
    const fromCentre = await this.notificationInCentre(text, severity);
    if (fromCentre !== undefined) return fromCentre;
    throw new Error(`no notification matching ${text} within ${timeout} ms; toasts: ${JSON.stringify(await this.toastTexts())}`);
  }

  async notificationInCentre(text, severity = undefined) {
    const centre = this.page.locator('.notifications-center');
    if (!(await this.page.locator('.notifications-center.visible').isVisible().catch(() => false))) {
      await this.runCommand('Notifications: Show Notifications', 10_000).catch(() => {});
    }
    let items = centre.locator('.notification-list-item', { hasText: text });
    if (severity) items = items.filter({ has: this.page.locator(`.codicon-${severity}`) });
    const item = items.first();
    let found;
    try {
      await item.waitFor({ state: 'visible', timeout: 2_000 });
      found = (await item.innerText()).trim();
    } catch { /* not there */ }
    // The centre has no palette "hide" command: Escape with focus inside closes it.
    await centre.click({ position: { x: 5, y: 5 } }).catch(() => {});
    await this.page.keyboard.press('Escape');
    return found;
  }

  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
  }

  /** Click a button (e.g. "Cancel") on the toast containing `text`. */
  async clickToastButton(text, buttonLabel, timeout = 10_000) {
    const button = this.toast(text).locator('.monaco-button', { hasText: exactly(buttonLabel) }).first();
    await button.waitFor({ state: 'visible', timeout });
    await button.click();
  }

  /**
   * Extension text decorations in the active editor: every element whose class names contain
   * `ced-` (extension decoration types), classified by computed background colour.
   */
  async editorDecorations() {
    const editor = this.activeEditor();
    await editor.waitFor();
    return editor.evaluate((root) => {
      const out = { for: 0, against: 0, other: 0, items: [] };
      for (const el of root.querySelectorAll('[class*="ced-"]')) {
        const cs = getComputedStyle(el);
        const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(cs.backgroundColor);
        const r = el.getBoundingClientRect();
        if (!m || r.width === 0 || r.height === 0) continue;
        const [red, blue, alpha] = [Number(m[1]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
        if (alpha === 0) continue;
        const sign = red - blue > 30 ? 'for' : blue - red > 30 ? 'against' : 'other';
        out[sign]++;
        out.items.push({ sign, color: cs.backgroundColor, x: r.x + r.width / 2, y: r.y + r.height / 2, width: r.width,
          inLines: !!el.closest('.view-lines'), className: el.className });
      }
      return out;
    });
  }

  /** Hover the mouse at a point of the editor and return the hover widget's text ('' if none). */
  async hoverAt(x, y, timeout = 6_000) {
    const page = this.page;
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
    await page.mouse.move(x - 40, y + 1);
    await sleep(100);
    await page.mouse.move(x, y, { steps: 5 });
    const end = Date.now() + timeout;
    while (Date.now() < end) {
      const texts = (await hover.allInnerTexts().catch(() => [])).map((t) => t.trim()).filter(Boolean);
      if (texts.length > 0) return [...new Set(texts)].join('\n');
      await sleep(200);
    }
    return '';
  }

  /** The inner document of the (first ready) webview: two iframes down. */
  webview() {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** Show a contributed view by its palette focus command ("NEON: Focus on Clusters View" and variants). */
  async focusView(viewTitle) {
    const candidates = [`NEON: Focus on ${viewTitle} View`, `View: Focus on ${viewTitle} View`, `Focus on ${viewTitle} View`];
    let lastError;
    for (const c of candidates) {
      try { await this.runCommand(c, 6_000); return c; } catch (e) { lastError = e; }
    }
    throw lastError;
  }

  /** Rows of a tree view identified by its pane title ("Clusters"). */
  treeRows(paneTitle) {
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: paneTitle }) }).first();
    return pane.locator('.monaco-list-row');
  }

  /**
   * Answers the "NEON: Cluster <name>" multi-step input like a person: on each step, the text of
   * `answers[step]` (label, k, model, text) is typed to filter the list and Enter takes the
   * highlighted row; a step without an answer is taken with Enter as proposed. For leaveOut, an
   * array of column names whose checkbox is clicked before Enter. A screenshot of every step. Returns { shown, steps: [{ key,
   * placeholder, step, active, checked }] } — `shown` false when no input appeared within `waitMs`
   * (code without the input clusters straight away).
   */
  async answerClusterInput(name, answers = {}, waitMs = 30_000) {
    const page = this.page;
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input').first();
    const title = widget.locator('.quick-input-title', { hasText: `Cluster ${name}` });
    // The input appears, or the dataset cannot be read (an error toast: no input will come).
    const failed = page.locator('.notifications-toasts .notification-toast', { has: page.locator('.codicon-error'), hasText: name }).first();
    const shown = await Promise.race([
      title.waitFor({ timeout: waitMs }).then(() => true, () => false),
      failed.waitFor({ timeout: waitMs }).then(() => false, () => false),
    ]);
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
        // Whether the prompt shows whole in its box (the input clips it without an ellipsis).
        let placeholderFits = true;
        if (box) {
          const cs = getComputedStyle(box);
          const ctx = document.createElement('canvas').getContext('2d');
          if (ctx) {
            ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
            placeholderFits = ctx.measureText(box.getAttribute('placeholder') ?? '').width <= box.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
          }
        }
        return {
          placeholderFits,
          items: list.map(name),
          rows: list.map((r) => clean(r.textContent)),
          // Per row: whether its description and detail show whole (a long one ends in "…").
          rowsFit: list.map((r) => [...r.querySelectorAll('.label-description, .quick-input-list-label-meta .monaco-icon-label, .monaco-icon-label-container, .label-name')].every((e) => e.scrollWidth <= e.clientWidth + 1)),
          placeholder: box?.getAttribute('placeholder') ?? '',
          title: clean(root.querySelector('.quick-input-title')?.textContent),
          active: focused ? name(focused) : '',
          activeDescription: clean(focused?.querySelector('.label-description')?.textContent),
          checked: list.filter(isChecked).map(name),
        };
      });
      const { placeholder, active, checked, activeDescription, placeholderFits, items, rows: rowTexts, rowsFit } = seen;
      const key = stepKey(placeholder);
      const stepText = seen.title;
      steps.push({ key, placeholder, step: stepText, active, activeDescription, checked, placeholderFits, items, rows: rowTexts, rowsFit });
      await this.screenshot(`input-${name.replace(/[^\w.-]+/g, '_')}-${steps.length}-${key}`);
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
          // A read that times out (a busy machine) is no answer: read again. It once came back as ''
          // and a refused k step (same step, same placeholder) was taken for the next step.
          const now = await input.getAttribute('placeholder', { timeout: 1_000 }).catch(() => null);
          if (now !== null && now !== placeholder) {
            // Another quick pick (e.g. Explain Cluster's, right after) is not a step of this input.
            const heading = await widget.locator('.quick-input-title').first().textContent({ timeout: 1_000 }).catch(() => null);
            if (heading !== null) {
              next = heading.includes(`NEON: Cluster ${name}`);
              break;
            }
          }
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
}
