// One UI end-to-end session: a temp copy of a workspace, code-server with the extension
// symlinked in, headless Chromium on the workbench, and a Workbench driver. Every spec file
// opens one session; committed fixtures are never modified (the copy is deleted on close).
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { repoRoot, toolPaths } from './tools.mjs';
import { Workbench } from './workbench.mjs';

export const artifactsRoot = path.join(repoRoot, 'test-artifacts');

/** Copy `source` to a fresh temp folder named like the source (the explorer shows that name). */
export function copyWorkspace(source, tag = 'ws') {
  const tmp = fs.mkdtempSync(path.join(toolPaths().tmp, `neon-${tag}-`));
  const dest = path.join(tmp, path.basename(source));
  fs.cpSync(source, dest, { recursive: true });
  return { dir: dest, remove: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/**
 * @param {object} o
 * @param {string} o.name            short spec name: screenshot prefix and log name
 * @param {string} o.workspace       folder to copy and open
 * @param {(dir: string) => void} [o.prepare]  called on the copy before code-server starts
 * @param {string} o.expectRow       explorer row that proves the folder is loaded
 * @param {object} [o.userSettings]
 * @param {string} [o.artifactsDir]  screenshots and logs (default test-artifacts/e2e)
 */
export async function openSession(o) {
  const main = path.join(repoRoot, 'dist/extension.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`node scripts/build.mjs\` first`);
  const artifactsDir = o.artifactsDir ?? path.join(artifactsRoot, 'e2e');
  fs.mkdirSync(path.join(artifactsDir, 'logs'), { recursive: true });
  const ws = copyWorkspace(o.workspace, o.name);
  o.prepare?.(ws.dir);
  const cs = await startCodeServer({ folder: ws.dir, linkExtension: repoRoot, userSettings: o.userSettings,
    logFile: path.join(artifactsDir, 'logs', `${o.name}-code-server.log`) });
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await cs.stop();
    ws.remove();
    throw e;
  }
  const { page } = browser;
  const dialogs = [];
  const consoleLines = [];
  const pageErrors = [];
  // A dialog anywhere (alert/confirm/prompt) is a failure for XSS checks; dismiss it so nothing hangs.
  page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const wb = new Workbench(page, { artifactsDir, prefix: `${o.name}-` });
  const close = async () => {
    fs.writeFileSync(path.join(artifactsDir, 'logs', `${o.name}-console.log`), consoleLines.join('\n') + '\n');
    await browser.close();
    await cs.stop();
    ws.remove();
  };
  try {
    await wb.open(cs.url(ws.dir), o.expectRow);
  } catch (e) {
    await wb.screenshot('FAILED-open').catch(() => {});
    await close();
    throw e;
  }
  return {
    ws: ws.dir, cs, page, wb, dialogs, consoleLines, pageErrors, close,
    /** Run one step; on failure save a screenshot named after the step, then rethrow. */
    async step(name, fn) {
      try {
        const r = await fn();
        await wb.screenshot(name);
        return r;
      } catch (e) {
        await wb.screenshot(`FAILED-${name}`).catch(() => {});
        throw e;
      }
    },
  };
}
