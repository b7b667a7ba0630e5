// Bundles the three targets with esbuild (one entry per target, as the webview samples do):
// extension host (node, cjs, `vscode` external), engine worker (node), CLI (node, shebang),
// webview UI (browser, esm). Copies the webview's third-party assets (vscode-elements, codicons)
// into media/dist so the webview loads them from localResourceRoots only.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root };
const targets = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['src/worker/engineWorker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The compute pool's thread (src/engine/parallel/pool.ts loads it from next to the worker / CLI bundle).
  { ...common, entryPoints: ['src/engine/parallel/computeThread.ts'], outfile: 'dist/computeThread.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'media/dist/webview.js', platform: 'browser', format: 'esm', target: 'es2022' },
];

function copyAssets() {
  const out = path.join(root, 'media/dist');
  fs.mkdirSync(out, { recursive: true });
  const copies = [
    ['node_modules/@vscode-elements/elements/dist/bundled.js', 'vscode-elements.js'],
    ['node_modules/@vscode/codicons/dist/codicon.css', 'codicon.css'],
    ['node_modules/@vscode/codicons/dist/codicon.ttf', 'codicon.ttf'],
  ];
  for (const [from, to] of copies) fs.copyFileSync(path.join(root, from), path.join(out, to));
}

copyAssets();
if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
  console.log('[build] watching');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
  console.log('[build] dist/extension.js dist/worker.js dist/computeThread.js dist/cli.js media/dist/webview.js');
}
