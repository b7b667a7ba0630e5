// `npm run test:electron`: the extension-host suites in desktop VS Code via @vscode/test-electron
// (downloads VS Code from Microsoft's update server; machines without that access use `npm test`,
// which runs the same suites in code-server).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const [args, what] of [[['scripts/build.mjs'], 'build'], [['node_modules/typescript/bin/tsc', '-p', 'src/extension/tsconfig.json'], 'compile tests']]) {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0 && what === 'build') process.exit(r.status ?? 1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-electron-'));
const workspace = path.join(tmp, 'e2e-workspace');
fs.cpSync(path.join(repoRoot, 'test/fixtures/e2e-workspace'), workspace, { recursive: true });
const report = path.join(repoRoot, 'test-artifacts/electron/report.txt');
fs.mkdirSync(path.dirname(report), { recursive: true });
let code = 0;
try {
  await runTests({
    // downloaded VS Code builds live in the user's cache, not in the clone (.vscode-test/ by default)
    cachePath: path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'neon-cluster-explorer', 'vscode-test'),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out/test/vscode/suite/index'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { NEON_TEST_REPORT: report, NEON_E2E_WORKSPACE: workspace },
  });
} catch (e) {
  code = 1;
  const msg = e instanceof Error ? e.message : String(e);
  if (!fs.existsSync(report)) {
    console.error(`\ntest:electron could not run desktop VS Code: ${msg}`);
    console.error('@vscode/test-electron downloads VS Code from update.code.visualstudio.com; this machine cannot reach it.');
    console.error('Run the same extension-host suites in code-server instead: node scripts/real-vscode/ext-host-tests.mjs (part of `npm test`).');
  }
} finally {
  if (fs.existsSync(report)) process.stdout.write(fs.readFileSync(report, 'utf8'));
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
