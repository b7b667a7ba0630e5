// Runs the mocha suites of test/vscode/suite inside code-server's real Node extension host.
// code-server honours ?payload= (extensionDevelopmentPath / extensionTestsPath) only with the
// smoke-test driver enabled; when run() settles the workbench calls window.codeAutomationExit(code),
// which we expose from Playwright and use as our exit code.
// Usage: node scripts/real-vscode/ext-host-tests.mjs [--no-compile] [--grep <text>]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { copyWorkspace, artifactsRoot } from './session.mjs';
import { INSTALL_HINT, missingTools, repoRoot } from './tools.mjs';

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
const timeoutMs = Number(process.env.NEON_EXT_TEST_TIMEOUT_MS || 15 * 60_000);
const t0 = Date.now();
const log = (...a) => console.log(`[ext-host ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const missing = missingTools();
if (missing.length > 0) {
  console.error(`Missing: ${missing.join('; ')}\n${INSTALL_HINT}`);
  process.exit(2);
}

if (!args.includes('--no-compile')) {
  log('compiling the extension-host tests: tsc -p src/extension/tsconfig.json');
  const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'src/extension/tsconfig.json'],
    { cwd: repoRoot, encoding: 'utf8' });
  if (tsc.status !== 0) {
    // tsc still emits on type errors; the typecheck step reports them, the tests run on what was emitted
    console.log(tsc.stdout.split('\n').slice(0, 40).join('\n'));
    log(`tsc exited with ${tsc.status}; running the emitted JavaScript anyway`);
  }
}
const suiteIndex = path.join(repoRoot, 'out/test/vscode/suite/index.js');
if (!fs.existsSync(suiteIndex)) {
  console.error(`${suiteIndex} was not produced by tsc`);
  process.exit(1);
}
if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) {
  console.error('dist/extension.js is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}

const outDir = path.join(artifactsRoot, 'ext-host');
fs.mkdirSync(outDir, { recursive: true });
const reportFile = path.join(outDir, 'report.txt');
fs.rmSync(reportFile, { force: true });
const ws = copyWorkspace(path.join(repoRoot, 'test/fixtures/e2e-workspace'), 'ext-host');
let cs, browser;
let exitCode = 1;
const consoleLines = [];
try {
  cs = await startCodeServer({ smokeDriver: true, logFile: path.join(outDir, 'code-server.log') });
  log(`code-server up on ${cs.authority}`);
  browser = await launchBrowser();
  const { page } = browser;
  page.on('console', (m) => consoleLines.push(m.text().replace(/%c/g, '')));
  const exited = new Promise((resolve) => { void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))); });
  const env = { NEON_TEST_REPORT: reportFile, NEON_E2E_WORKSPACE: ws.dir, ...(grep ? { NEON_TEST_GREP: grep } : {}) };
  const payload = [
    ['extensionDevelopmentPath', cs.remote(repoRoot)],
    ['extensionTestsPath', cs.remote(suiteIndex.replace(/\.js$/, ''))],
    ['extensionEnvironment', JSON.stringify(env)],
  ];
  await page.goto(cs.url(ws.dir, payload));
  let timer;
  exitCode = await Promise.race([exited, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no codeAutomationExit within ${timeoutMs} ms`)), timeoutMs);
  })]);
  clearTimeout(timer);
  log(`extension host exited with code ${exitCode}`);
} catch (e) {
  log(`ERROR: ${e.message}`);
  exitCode = 2;
} finally {
  fs.writeFileSync(path.join(outDir, 'console.log'), consoleLines.join('\n') + '\n');
  await browser?.close();
  await cs?.stop();
  ws.remove();
}
if (fs.existsSync(reportFile)) {
  process.stdout.write(fs.readFileSync(reportFile, 'utf8'));
} else {
  console.log('No report was written: the suite did not load. Last extension-host console lines:');
  console.log(consoleLines.slice(-40).join('\n'));
  console.log('0 passed, 1 failed');
  if (exitCode === 0) exitCode = 1;
}
process.exit(exitCode);
