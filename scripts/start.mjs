// `npm start`: build, then serve a real VS Code (code-server) with this extension loaded and the
// samples/ workspace open; prints the URL to open in a browser and runs until Ctrl-C.
// The extension never writes to the user's data files, so samples/ is opened in place.
// With NEON_USE_DESKTOP=1 and a desktop `code` on PATH: `code --extensionDevelopmentPath=<repo> samples`.
// Environment: PORT (default 8080; a free port if that one is taken), NEON_REAL_VSCODE_DIR.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort, startCodeServer } from './real-vscode/codeServer.mjs';
import { INSTALL_HINT, missingTools, repoRoot, toolsDir } from './real-vscode/tools.mjs';
import { ensureDependencies } from './ensure-deps.mjs';

ensureDependencies();

const samples = path.join(repoRoot, 'samples');
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const onPath = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
if (process.env.NEON_USE_DESKTOP === '1' && onPath('code')) {
  console.log(`Opening desktop VS Code: code --extensionDevelopmentPath=${repoRoot} ${samples}`);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, samples], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

let missing = missingTools();
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`npm start serves VS Code in your browser through code-server, which is not installed yet.\nMissing: ${missing.join('; ')}\n${INSTALL_HINT}`);
    process.exit(1);
  }
  console.log('Installing code-server and Node 24 (first run only, 3-4 minutes) with scripts/install-real-vscode.sh ...');
  const r = spawnSync('bash', ['scripts/install-real-vscode.sh'], { cwd: repoRoot, stdio: 'inherit' });
  missing = missingTools();
  if (r.status !== 0 || missing.length > 0) {
    console.error(`Install failed; missing: ${missing.join('; ')}\n${INSTALL_HINT}`);
    process.exit(1);
  }
}

const wanted = Number(process.env.PORT || 8080);
const port = (await isFree(wanted)) ? wanted : await freePort();
const cs = await startCodeServer({
  folder: samples,
  linkExtension: repoRoot,
  port,
  // settings and UI state survive restarts, next to the tools
  stateDir: path.join(toolsDir(), 'start-state'),
  userSettings: { 'workbench.startupEditor': 'none' },
});
console.log(`\nNEON Cluster Explorer is running in VS Code (code-server):\n\n    ${cs.url(samples)}\n`);
console.log('Right-click coffee-shops.csv or the notes folder → "Cluster Dataset…" (Enter keeps each proposed answer).');
console.log('After rebuilding (npm run build / npm run watch): F1 → "Developer: Reload Window".');
console.log(`Server log: ${cs.logFile}\nPress Ctrl-C to stop.`);

const stop = async () => { await cs.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);

function isFree(p) {
  return new Promise((resolve) => {
    const probe = spawn(process.execPath, ['-e', `require('net').createServer().once('error',()=>process.exit(1)).listen(${p},'127.0.0.1',()=>process.exit(0))`]);
    probe.on('close', (code) => resolve(code === 0));
  });
}
