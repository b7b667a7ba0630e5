// Starts code-server (VS Code 1.139 server + web workbench) on a free loopback port with a
// private user-data dir and extensions dir, and stops it with its whole process group.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot, toolEnv, toolPaths } from './tools.mjs';

/** User settings that keep the workbench quiet and offline (see shared/docs/real-vscode.md). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'editor.minimap.enabled': false,
  // whole documents visible: screenshots show every highlight, and hovers can reach every word
  'editor.wordWrap': 'on',
  // code-server otherwise announces every port some process on the machine opens
  'remote.autoForwardPorts': false,
  'remote.restoreForwardedPorts': false,
  'editor.hover.delay': 300,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The extension's folder name code-server expects in an extensions dir: <publisher>.<name>-<version>. */
export function extensionFolderName(extPath = repoRoot) {
  const pkg = JSON.parse(fs.readFileSync(path.join(extPath, 'package.json'), 'utf8'));
  return `${pkg.publisher}.${pkg.name}-${pkg.version}`;
}

async function waitHealthy(port, child, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer /healthz on port ${port} within ${ms} ms`);
}

/**
 * Start code-server.
 * @param {object} o
 * @param {string} [o.folder]          folder to open by default
 * @param {string} [o.linkExtension]   extension folder to symlink into the extensions dir (UI e2e, npm start)
 * @param {boolean} [o.smokeDriver]    pass enable-smoke-test-driver (needed for ?payload= dev/test paths)
 * @param {string} [o.stateDir]        keep user data + extensions here (npm start); default: fresh temp dirs
 * @param {number} [o.port]            default: a free port
 * @param {object} [o.userSettings]    merged over QUIET_SETTINGS
 * @param {string} [o.logFile]
 */
export async function startCodeServer(o = {}) {
  const tools = toolPaths();
  const env = toolEnv(tools);
  const port = o.port ?? (await freePort());
  const base = o.stateDir ?? fs.mkdtempSync(path.join(tools.tmp, 'cs-state-'));
  const userData = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = path.join(userData, 'User/settings.json');
  if (!o.stateDir || !fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify({ ...QUIET_SETTINGS, ...(o.userSettings ?? {}) }, null, 1));
  }
  if (o.linkExtension) {
    const link = path.join(extensionsDir, extensionFolderName(o.linkExtension));
    fs.rmSync(link, { force: true, recursive: false });
    fs.symlinkSync(path.resolve(o.linkExtension), link, 'dir');
  }
  const args = ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', userData, '--extensions-dir', extensionsDir,
    ...(o.smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(o.folder ? [o.folder] : [])];
  const logFile = o.logFile ?? path.join(base, 'code-server.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'a');
  // detached: own process group, so stop() ends code-server and every helper process it spawned
  const child = spawn(tools.codeServer, args, { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const end = Date.now() + 5000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    if (!o.stateDir) fs.rmSync(base, { recursive: true, force: true });
  };
  const onExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', onExit);
  try {
    await waitHealthy(port, child, 90_000);
  } catch (e) {
    await stop();
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    throw new Error(`${e.message}\n--- code-server log tail ---\n${tail}`);
  }
  const authority = `127.0.0.1:${port}`;
  return {
    port,
    authority,
    pid: child.pid,
    userData,
    extensionsDir,
    logFile,
    /** Workbench URL for a folder, optionally with a ?payload= (extension development / tests). */
    url(folder, payload) {
      // slashes stay readable: code-server takes ?folder=/abs/path as is
      let u = `http://${authority}/?folder=${encodeURIComponent(path.resolve(folder)).replace(/%2F/g, '/')}`;
      if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    /** vscode-remote:// URI of a local path, as the payload entries need. */
    remote(p) { return `vscode-remote://${authority}${path.resolve(p)}`; },
    stop,
  };
}
