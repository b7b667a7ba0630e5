/**
 * `npm run bench`: every speed / memory target is checked here against a peer measured in
 * the same run on the same data and seeds, and reported as a ratio. Nothing here is a unit
 * test: the numbers are printed and saved to bench-results/bench.md for the README.
 * `--quick` uses small sizes (a smoke run of the harness itself).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchExplain, type ExplainRow } from './explainBench';
import { lagInWorker, lagOnMainThread, tempCsvPath, writeBigCsv, type LagRow } from './hostLag';
import { benchKMeans, findSklearnPython, type KMeansRow } from './kmeansBench';
import { streamExplainSection } from './streamExplainBench';

const quick = process.argv.includes('--quick');
const REPO = path.resolve(__dirname, '..', '..');
const lines: string[] = [];
const out = (s = ''): void => {
  lines.push(s);
  console.log(s);
};
const f1 = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

const d0 = (sizes: [number, number, number, boolean][]): number => sizes[0][1];

async function kmeansSection(python: string | undefined): Promise<void> {
  out('## k-means fit (same data, same initial centroids, max 50 iterations, tol 1e-6)');
  out();
  if (!python) out('scikit-learn: no Python with scikit-learn found (Debian: `apt-get install python3-sklearn`): its column is skipped.\n');
  out('| N × D, K | ours ms (iter) | peer | peer ms (iter) | peer / ours (total) | peer / ours (per iteration) |');
  out('|---|---|---|---|---|---|');
  const sizes: [number, number, number, boolean][] = quick
    ? [[5_000, 32, 16, true]]
    : [
        [10_000, 32, 16, true],
        [100_000, 32, 16, true],
        [1_000_000, 32, 16, false],
      ];
  // Warm the JIT of both JavaScript peers first, so the first timed size is not a compile benchmark.
  await benchKMeans(2_000, d0(sizes), 8, { mlKMeans: true });
  for (const [n, d, k, ml] of sizes) {
    const r: KMeansRow = await benchKMeans(n, d, k, { mlKMeans: ml, python });
    for (const p of r.peers) {
      out(
        `| ${n.toLocaleString('en')} × ${d}, ${k} | ${f1(r.ours.ms)} (${r.ours.iterations}) | ${p.peer}${p.note ? ` (${p.note})` : ''} | ${f1(p.ms)} (${p.iterations}) | ${ratio(p.ms, r.ours.ms)} | ${ratio(p.ms / Math.max(1, p.iterations), r.ours.ms / Math.max(1, r.ours.iterations))} |`,
      );
    }
    if (!ml) out(`| ${n.toLocaleString('en')} × ${d}, ${k} | ${f1(r.ours.ms)} (${r.ours.iterations}) | ml-kmeans 7 | not run: number[][] of this size takes minutes | | |`);
  }
  out();
  out('Targets: ≥ 10× faster than ml-kmeans; no slower than scikit-learn (ratio ≥ 1.00×).');
  out();
}

async function explainSection(): Promise<void> {
  out('## Explaining every point vs one assignment pass (same fitted k-means, K = 16)');
  out();
  out('| N × D | assignment pass ms | NEON for all N ms | NEON / assignment | per-point API / assignment | max conservation error |');
  out('|---|---|---|---|---|---|');
  for (const [n, d] of quick ? [[5_000, 32]] : [[100_000, 32], [1_000_000, 32]]) {
    const r: ExplainRow = await benchExplain(n, d, 16);
    out(`| ${n.toLocaleString('en')} × ${d} | ${f1(r.assignMs)} | ${f1(r.explainMs)} | ${ratio(r.explainMs, r.assignMs)} | ${ratio(r.perPointMs, r.assignMs)} | ${r.maxConservationError.toExponential(1)} |`);
  }
  out();
  out('Target: explanation ≤ 2× an assignment pass.');
  out();
}

function memorySection(): void {
  const [n, d, k] = quick ? [20_000, 32, 16] : [1_000_000, 32, 16];
  out(`## Peak memory of a k-means fit (${n.toLocaleString('en')} × ${d}, K = ${k}, 3 restarts, separate process)`);
  out();
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'memoryChild.js'), String(n), String(d), String(k)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`memory child failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim()) as { rawBytes: number; rssStart: number; rssData: number; peak: number; ms: number };
  const mb = (b: number): string => (b / 2 ** 20).toFixed(0);
  out('| raw data MB | RSS before data MB | RSS with data MB | peak RSS during fit MB | (peak − baseline) / raw |');
  out('|---|---|---|---|---|');
  out(`| ${mb(m.rawBytes)} | ${mb(m.rssStart)} | ${mb(m.rssData)} | ${mb(m.peak)} | ${((m.peak - m.rssStart) / m.rawBytes).toFixed(2)}× |`);
  out();
  out('Target: peak memory ≤ 2× the raw data (the Node runtime baseline is subtracted).');
  out();
}

async function lagSection(): Promise<void> {
  const rows = quick ? 20_000 : 1_000_000;
  out(`## Extension-host event-loop delay during a ${rows.toLocaleString('en')}-row job (8 numeric columns, K = 8, load + fit + explain)`);
  out();
  const workerFile = path.join(REPO, 'dist', 'worker.js');
  if (!fs.existsSync(workerFile)) throw new Error('dist/worker.js missing: run `npm run build` first');
  const csv = tempCsvPath();
  writeBigCsv(rows, csv);
  try {
    const w: LagRow = await lagInWorker(csv, rows, workerFile);
    const m: LagRow = await lagOnMainThread(csv, rows);
    out('| mode | job s | loop delay p50 ms | p99 ms | max ms |');
    out('|---|---|---|---|---|');
    for (const r of [w, m]) out(`| ${r.mode} | ${(r.jobMs / 1000).toFixed(1)} | ${f1(r.p50Ms)} | ${f1(r.p99Ms)} | ${f1(r.maxMs)} |`);
    out();
    out(`Max delay, main thread / worker: ${ratio(m.maxMs, w.maxMs)} (the worker keeps the host responsive; the peer shows what it would cost without it).`);
    out();
  } finally {
    fs.rmSync(path.dirname(csv), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const python = findSklearnPython();
  out(`# NEON Cluster Explorer benchmarks (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} cores${quick ? ', --quick' : ''})`);
  out();
  await kmeansSection(python);
  await explainSection();
  memorySection();
  await lagSection();
  streamExplainSection(out, REPO, python, quick);
  const dir = path.join(REPO, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, quick ? 'bench-quick.md' : 'bench.md'), lines.join('\n') + '\n');
  console.log(`\nSaved to bench-results/${quick ? 'bench-quick.md' : 'bench.md'}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
