/**
 * k-means fit: ours (every core, through the compute pool) vs scikit-learn's Lloyd and Elkan
 * (every core, OpenMP) and ml-kmeans, on the same data, the same initial centroids, the same
 * iteration cap and relative tolerance. Iteration counts are printed next to the times and
 * the time per iteration is compared too; the inertias must agree (relative difference shown).
 * X should be on shared memory, as the pipeline's features are (else our fit's time includes
 * one copy of X into a SharedArrayBuffer, which a user's job never pays).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fitKMeans } from '../src/engine/cluster/kmeans';
import { buildTableDataset } from '../src/engine/data/tableDataset';
import { readTable } from '../src/engine/data/tableFormats';
import { computePool } from '../src/engine/parallel/pool';
import { toSharedMatrix } from '../src/engine/parallel/shared';
import type { Matrix } from '../src/engine/types';
import { makeBlobs, pickInit, toRows } from './blobs';

export interface PeerTiming {
  readonly peer: string;
  readonly ms: number;
  readonly iterations: number;
  readonly inertia: number;
  readonly note?: string;
}

export interface KMeansRow {
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly ours: PeerTiming;
  readonly peers: PeerTiming[];
}

type MlKMeans = (
  data: number[][],
  k: number,
  options: { initialization: number[][]; maxIterations: number; tolerance: number; seed: number },
) => { clusters: number[]; centroids: number[][]; iterations: number };

/** Finds a Python with scikit-learn: Debian's python3-sklearn lives under /usr/bin/python3. */
export function findSklearnPython(): string | undefined {
  for (const py of [process.env.NEON_BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean) as string[]) {
    const r = spawnSync(py, ['-c', 'import sklearn, threadpoolctl, pandas'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return undefined;
}

export interface KMeansBenchOptions {
  readonly mlKMeans: boolean;
  readonly python?: string;
  readonly maxIterations: number;
  readonly tolerance: number;
  /** scikit-learn algorithms to run ('lloyd', 'elkan'). */
  readonly sklearn?: readonly string[];
  /**
   * Fits per peer; the fastest is reported (ours and scikit-learn's alike), so a first run's
   * warm-up (JIT, WebAssembly compilation, OpenMP's thread start) or a neighbour's burst does
   * not decide a ratio. Default 1.
   */
  readonly repeats?: number;
}

export async function benchKMeans(X: Matrix, k: number, init: Float64Array, opts: KMeansBenchOptions): Promise<KMeansRow> {
  const { rows: n, cols: d } = X;
  const pool = computePool();
  const repeats = Math.max(1, opts.repeats ?? 1);
  let t0 = 0;
  let oursMs = Infinity;
  let fit: Awaited<ReturnType<typeof fitKMeans>> | undefined;
  for (let r = 0; r < repeats; r++) {
    t0 = performance.now();
    fit = await fitKMeans(X, { k, seed: 1, init, maxIterations: opts.maxIterations, tolerance: opts.tolerance, pool });
    oursMs = Math.min(oursMs, performance.now() - t0);
  }
  if (!fit) throw new Error('benchKMeans: no fit ran');
  const ours: PeerTiming = { peer: `neon (ours, ${pool.threads} thread${pool.threads > 1 ? 's' : ''})`, ms: oursMs, iterations: fit.iterations, inertia: fit.inertia };

  const peers: PeerTiming[] = [];
  if (opts.mlKMeans) {
    // ml-kmeans wants number[][]; converting is not part of its timed fit.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { kmeans } = require('ml-kmeans') as { kmeans: MlKMeans };
    const rows = toRows(X);
    const initRows = toRows({ rows: k, cols: d, data: init });
    t0 = performance.now();
    const r = kmeans(rows, k, { initialization: initRows, maxIterations: opts.maxIterations, tolerance: opts.tolerance, seed: 1 });
    const ms = performance.now() - t0;
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      const c = r.centroids[r.clusters[i]];
      for (let j = 0; j < d; j++) inertia += (rows[i][j] - c[j]) ** 2;
    }
    peers.push({ peer: 'ml-kmeans 7 (1 thread)', ms, iterations: r.iterations, inertia, note: 'absolute tolerance' });
  }
  if (opts.python && opts.sklearn?.length) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-bench-'));
    try {
      const dataFile = path.join(dir, 'x.f64');
      const initFile = path.join(dir, 'init.f64');
      fs.writeFileSync(dataFile, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
      fs.writeFileSync(initFile, new Uint8Array(init.buffer, init.byteOffset, init.byteLength));
      for (const algorithm of opts.sklearn) {
        const r = spawnSync(
          opts.python,
          [path.join(__dirname, '..', '..', 'bench', 'sklearn_kmeans.py'), dataFile, initFile, String(n), String(d), String(k), String(opts.maxIterations), algorithm, String(opts.tolerance), String(repeats)],
          { encoding: 'utf8', maxBuffer: 1 << 20 },
        );
        if (r.status !== 0) throw new Error(`scikit-learn peer failed: ${r.stderr}`);
        const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; iterations: number; inertia: number; version: string; threads: number | null };
        peers.push({ peer: `scikit-learn ${out.version} ${algorithm} (${out.threads ?? '?'} OpenMP threads)`, ms: out.ms, iterations: out.iterations, inertia: out.inertia });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { n, d, k, ours, peers };
}

/** Features of a real dataset shipped with the tests (standardised as the pipeline does). */
async function realData(file: string, labelColumn: string): Promise<Matrix> {
  const raw = await readTable(file);
  return (await buildTableDataset(raw, file, { labelColumn })).features;
}

const f1 = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/**
 * Bench section 2 (issue 9 target 3): k-means per iteration against scikit-learn's Lloyd and
 * Elkan on overlapping clusters, well-separated blobs and the digits table, markdown through
 * `out`. Runs alone too: `node out/bench/kmeansBench.js [--quick]`.
 */
export async function kmeansSection(out: (s?: string) => void, repo: string, python: string | undefined, quick: boolean): Promise<void> {
  const tol = 1e-4;
  const maxIterations = 300;
  const threads = computePool().threads;
  out(`## 2. k-means fit: same initial centroids, tol ${tol} (relative, as scikit-learn), max ${maxIterations} iterations, ${threads} threads for every peer that can use them`);
  out();
  out('Each peer: the fastest of 5 fits (≤ 200,000 rows) or 3 (larger); ours on X in shared memory, as the pipeline holds its features.');
  out();
  if (!python) out('scikit-learn: no /usr/bin/python3 with scikit-learn found (Debian: `apt-get install python3-sklearn python3-pandas`): its rows are skipped.\n');
  out('| data | N × D, K | ours ms (iterations) | peer | peer ms (iterations) | peer / ours (total) | peer / ours (per iteration) | inertia rel. diff |');
  out('|---|---|---|---|---|---|---|---|');
  const n = quick ? 20_000 : 1_000_000;
  const cases: { name: string; X: Matrix; k: number; ml: boolean }[] = [
    { name: 'overlapping clusters', X: makeBlobs(n, 20, 12, 7, 1).X, k: 12, ml: false },
    { name: 'well-separated blobs', X: makeBlobs(n, 20, 12, 7, 4).X, k: 12, ml: false },
    { name: 'overlapping, small', X: makeBlobs(quick ? 5_000 : 100_000, 20, 12, 8, 1).X, k: 12, ml: true },
  ];
  const fixtures = path.join(repo, 'test', 'fixtures');
  const digits = path.join(fixtures, 'e2e-labels', 'digits.csv');
  if (fs.existsSync(digits)) cases.push({ name: 'real: digits (1,797 images)', X: await realData(digits, 'digit'), k: 10, ml: true });
  for (const c of cases) {
    const init = pickInit(c.X, c.k, 11);
    // X on shared memory, as the pipeline's features are (the table reader writes them there).
    const X = toSharedMatrix(c.X);
    const repeats = X.rows <= 200_000 ? 5 : 3;
    const r = await benchKMeans(X, c.k, init, { mlKMeans: c.ml, python, maxIterations, tolerance: tol, sklearn: ['lloyd', 'elkan'], repeats });
    const shape = `${c.X.rows.toLocaleString('en')} × ${c.X.cols}, ${c.k}`;
    out(`| ${c.name} | ${shape} | ${f1(r.ours.ms)} (${r.ours.iterations}) | ${r.ours.peer} | | | | |`);
    for (const p of r.peers) {
      const rel = Math.abs(p.inertia - r.ours.inertia) / r.ours.inertia;
      out(
        `| ${c.name} | ${shape} | | ${p.peer} | ${f1(p.ms)} (${p.iterations}) | ${ratio(p.ms, r.ours.ms)} | ${ratio(p.ms / Math.max(1, p.iterations), r.ours.ms / Math.max(1, r.ours.iterations))} | ${rel.toExponential(1)} |`,
      );
    }
  }
  out();
  out('Targets (issue 9 #3): peer / ours ≥ 1.00× per iteration against scikit-learn Lloyd and Elkan; inertia within 1e-9 relative.');
  out();
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  void kmeansSection((s = '') => console.log(s), path.resolve(__dirname, '..', '..'), findSklearnPython(), quick).then(() => computePool().close());
}
