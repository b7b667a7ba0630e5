// `npm test`: every check the project has, in order, with a summary at the end.
//   1 lint + typecheck (+ samples up to date)   2 unit tests (node:test)   3 build
//   3b distributed explain: Dask LocalCluster vs single process on 5M rows (test/integration)
//   4 real-VS-Code tools (install when root/CI, else say exactly what to install)
//   5 extension-host tests (mocha in code-server's extension host)
//   6 UI end-to-end specs (code-server + headless Chromium)   7 package the .vsix and install it
// Exits non-zero if any step failed. In CI (CI=true) nothing is skipped: missing tools are installed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { INSTALL_HINT, missingTools, repoRoot } from './real-vscode/tools.mjs';
import { ensureDependencies } from './ensure-deps.mjs';

ensureDependencies();

const node = process.execPath;
const bin = (p) => path.join(repoRoot, 'node_modules', p);
const t0 = Date.now();
const results = [];

/** Run a command with output passed through; resolves { code, tail } (last ~16 kB of output for counting). */
function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    console.log(`\n$ ${[cmd === node ? 'node' : cmd, ...args].map((a) => path.isAbsolute(a) ? path.relative(repoRoot, a) || '.' : a).join(' ')}`);
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let tail = '';
    const keep = (chunk) => { tail = (tail + chunk.toString()).slice(-16_384); };
    child.stdout.on('data', (c) => { process.stdout.write(c); keep(c); });
    child.stderr.on('data', (c) => { process.stderr.write(c); keep(c); });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), tail }));
  });
}

/** Test counts from node's runner ("ℹ pass N" / "ℹ fail N") or our plain line "N passed, N failed". */
function counts(tail) {
  const plain = [...tail.matchAll(/^(\d+) passed, (\d+) failed\s*$/gm)].pop();
  if (plain) return { passed: Number(plain[1]), failed: Number(plain[2]) };
  const pass = [...tail.matchAll(/^[ℹ#] pass (\d+)/gm)].pop();
  const fail = [...tail.matchAll(/^[ℹ#] fail (\d+)/gm)].pop();
  return pass || fail ? { passed: Number(pass?.[1] ?? 0), failed: Number(fail?.[1] ?? 0) } : undefined;
}

async function step(name, fn) {
  const start = Date.now();
  console.log(`\n======== ${name} ========`);
  let ok = false;
  let detail = '';
  let testCounts;
  try {
    const r = await fn();
    ok = r.ok;
    detail = r.detail ?? '';
    testCounts = r.counts;
  } catch (e) {
    detail = e instanceof Error ? e.message : String(e);
  }
  const seconds = (Date.now() - start) / 1000;
  results.push({ name, ok, seconds, detail, counts: testCounts });
  console.log(`-------- ${name}: ${ok ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)${detail ? ` ${detail}` : ''}`);
  return ok;
}

const all = (rs) => ({ ok: rs.every((r) => r.code === 0), detail: rs.some((r) => r.code !== 0) ? `(exit codes ${rs.map((r) => r.code).join(', ')})` : '' });
const tested = (r) => {
  const c = counts(r.tail);
  return { ok: r.code === 0 && (c === undefined || (c.failed === 0 && c.passed > 0)), counts: c, detail: c ? `${c.passed} passed, ${c.failed} failed` : '' };
};

await step('1 lint + typecheck', async () => all([
  await run(node, [bin('eslint/bin/eslint.js'), '.']),
  await run(node, [bin('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']),
  await run(node, [bin('typescript/bin/tsc'), '-p', 'src/extension/tsconfig.json', '--noEmit']),
  await run(node, [bin('typescript/bin/tsc'), '-p', 'webview/tsconfig.json', '--noEmit']),
  await run(node, ['scripts/make-samples.mjs', '--check']),
]));

await step('2 unit tests', async () => {
  fs.rmSync(path.join(repoRoot, 'out/test/unit'), { recursive: true, force: true });
  const tsc = await run(node, [bin('typescript/bin/tsc'), '-p', 'tsconfig.json']);
  if (!fs.existsSync(path.join(repoRoot, 'out/test/unit'))) return { ok: false, detail: 'tsc emitted no out/test/unit' };
  const r = await run(node, ['--test', '--test-reporter=spec', 'out/test/unit/']);
  const t = tested(r);
  return { ok: tsc.code === 0 && t.ok, counts: t.counts, detail: t.detail + (tsc.code !== 0 ? ' (tsc reported errors)' : '') };
});

const built = await step('3 build', async () => all([await run(node, ['scripts/build.mjs'])]));

// Issue 10: `neon-cluster explain` as a step of a distributed job (Dask LocalCluster, 2 workers,
// 5,000,000 rows through dist/cli.js) must equal the single-process run row for row.
await step('3b distributed explain (Dask, 5M rows)', async () => {
  if (!built) return { ok: false, detail: 'not run: build failed' };
  return tested(await run(node, ['--test', '--test-reporter=spec', 'test/integration/dask-explain.test.mjs']));
});

const toolsReady = await step('4 real VS Code tools', async () => {
  let missing = missingTools();
  if (missing.length === 0) return { ok: true, detail: '(cached)' };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot && process.env.CI !== 'true') {
    console.log(`Missing: ${missing.join('; ')}\n${INSTALL_HINT}`);
    return { ok: false, detail: 'tools missing (see the message above)' };
  }
  const r = await run('bash', ['scripts/install-real-vscode.sh']);
  missing = missingTools();
  if (r.code !== 0 || missing.length > 0) console.log(`Still missing: ${missing.join('; ')}\n${INSTALL_HINT}`);
  return { ok: r.code === 0 && missing.length === 0 };
});

const canRunVsCode = built && toolsReady;
await step('5 extension-host tests (code-server)', async () => {
  if (!canRunVsCode) return { ok: false, detail: 'not run: build or tools failed' };
  return tested(await run(node, ['scripts/real-vscode/ext-host-tests.mjs']));
});

await step('6 UI end-to-end (code-server + Chromium)', async () => {
  if (!canRunVsCode) return { ok: false, detail: 'not run: build or tools failed' };
  const dir = path.join(repoRoot, 'test/vscode/e2e');
  const only = process.env.NEON_E2E_SPECS?.split(',').filter(Boolean);
  const specs = fs.readdirSync(dir).filter((f) => f.endsWith('.test.mjs') && (!only || only.some((o) => f.startsWith(o)))).sort();
  if (specs.length === 0) return { ok: false, detail: 'no specs found' };
  fs.rmSync(path.join(repoRoot, 'test-artifacts/e2e'), { recursive: true, force: true });
  // one spec file at a time: each runs its own code-server + Chromium (~1.3 GB, 2 cores)
  return tested(await run(node, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...specs.map((f) => path.join('test/vscode/e2e', f))]));
});

await step('7 package .vsix + install into code-server', async () => {
  if (!canRunVsCode) return { ok: false, detail: 'not run: build or tools failed' };
  return all([await run(node, ['scripts/package.mjs', '--verify'])]);
});

// leave a development build behind (packaging made a production one)
if (built) spawnSync(node, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'ignore' });

const failed = results.filter((r) => !r.ok);
console.log('\n======== summary ========');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(44)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.detail}`);
console.log(`steps: ${results.length - failed.length} ok, ${failed.length} failed; total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
// plain closing line for CI: tests counted by the runners, plus one failure per failed step that counted none
const passedTests = results.reduce((n, r) => n + (r.counts?.passed ?? 0), 0);
const failedTests = results.reduce((n, r) => n + (r.counts ? r.counts.failed : r.ok ? 0 : 1), 0);
console.log(`${passedTests} passed, ${failedTests} failed`);
process.exit(failed.length === 0 ? 0 : 1);
