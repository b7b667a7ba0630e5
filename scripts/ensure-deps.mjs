// `npm start` and `npm test` work straight after a clone: when node_modules is missing or older
// than package-lock.json, install exactly the locked dependencies first (`npm ci`, whose
// `prepare` step also builds the extension). Imports only Node built-ins, so it runs before
// any dependency exists.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function ensureDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  console.log('[deps] node_modules is missing or out of date: running `npm ci` (once)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[deps] `npm ci` failed; see the output above.');
    process.exit(r.status ?? 1);
  }
}
