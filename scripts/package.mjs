// `npm run package`: production build, then `vsce package` into neon-cluster-explorer-<version>.vsix.
// Runtime dependencies are bundled by esbuild, so the .vsix carries no node_modules (.vscodeignore).
// --verify: also install the .vsix into a throwaway code-server extensions dir and check its files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { INSTALL_HINT, missingTools, repoRoot, toolEnv, toolPaths } from './real-vscode/tools.mjs';

const verify = process.argv.includes('--verify');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const vsix = path.join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
const sh = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) {
    console.error(`failed (${r.status ?? r.signal}): ${cmd} ${args.join(' ')}`);
    process.exit(1);
  }
  return r;
};

sh(process.execPath, ['scripts/build.mjs', '--production']);
const hasLicense = fs.readdirSync(repoRoot).some((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
if (!hasLicense) console.log('[package] no LICENSE file: packaging with --skip-license (package.json says MIT)');
fs.rmSync(vsix, { force: true });
// README images are relative links to media/ files that ship in the .vsix: VS Code resolves them
// against the installed extension folder. Rewriting them to absolute URLs needs a GitHub/GitLab
// repository vsce can detect, which this package does not declare, so keep them relative.
sh(process.execPath, [path.join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsix,
  '--no-rewrite-relative-links', ...(hasLicense ? [] : ['--skip-license'])]);
console.log(`[package] ${path.relative(process.cwd(), vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} kB)`);

if (verify) {
  const missing = missingTools();
  if (missing.length > 0) {
    console.error(`cannot verify the .vsix: missing ${missing.join('; ')}\n${INSTALL_HINT}`);
    process.exit(1);
  }
  const tools = toolPaths();
  const extDir = fs.mkdtempSync(path.join(tools.tmp, 'vsix-ext-'));
  const userData = fs.mkdtempSync(path.join(tools.tmp, 'vsix-ud-'));
  try {
    sh(tools.codeServer, ['--extensions-dir', extDir, '--user-data-dir', userData, '--install-extension', vsix], { env: toolEnv(tools) });
    const installed = path.join(extDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    const mustHave = ['package.json', 'dist/extension.js', 'dist/worker.js', 'dist/computeThread.js', 'media/dist/webview.js', 'media/word-vectors/debian-english.bin.gz'];
    const mustNotHave = ['src', 'test', 'node_modules', 'out', 'scripts', 'samples', 'bench'];
    // relative images of the README must ship too (the extension page shows them from the install)
    const readme = path.join(installed, 'readme.md');
    const readmeText = fs.existsSync(readme) ? fs.readFileSync(readme, 'utf8') : fs.existsSync(path.join(installed, 'README.md')) ? fs.readFileSync(path.join(installed, 'README.md'), 'utf8') : '';
    const images = [...readmeText.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]).filter((u) => !/^[a-z]+:/i.test(u));
    const problems = [
      ...images.filter((u) => !fs.existsSync(path.join(installed, decodeURIComponent(u)))).map((u) => `README image ${u} is not in the package`),
      ...mustHave.filter((f) => !fs.existsSync(path.join(installed, f))).map((f) => `missing ${f}`),
      ...mustNotHave.filter((f) => fs.existsSync(path.join(installed, f))).map((f) => `should not ship ${f}/`),
    ];
    if (problems.length > 0) {
      console.error(`[package] installed extension at ${installed} is wrong: ${problems.join('; ')}`);
      process.exit(1);
    }
    const files = spawnSync('find', [installed, '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
    console.log(`[package] verified: code-server installed ${path.basename(installed)} (${files} files) with ${mustHave.join(', ')}; ${images.length} README image(s) present`);
  } finally {
    fs.rmSync(extDir, { recursive: true, force: true });
    fs.rmSync(userData, { recursive: true, force: true });
  }
}
