/**
 * k-means fit: ours vs ml-kmeans vs scikit-learn, same data, same initial centroids, same
 * iteration cap and tolerance, so the peers run (close to) equal iteration counts; the
 * iteration counts are printed next to the times and the ratio per iteration is reported too.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fitKMeans } from '../src/engine/cluster/kmeans';
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

const MAX_ITER = 50;

type MlKMeans = (
  data: number[][],
  k: number,
  options: { initialization: number[][]; maxIterations: number; tolerance: number; seed: number },
) => { clusters: number[]; centroids: number[][]; iterations: number };

/** Finds a Python with scikit-learn: Debian's python3-sklearn lives under /usr/bin/python3. */
export function findSklearnPython(): string | undefined {
  for (const py of [process.env.NEON_BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean) as string[]) {
    const r = spawnSync(py, ['-c', 'import sklearn, threadpoolctl'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return undefined;
}

export async function benchKMeans(n: number, d: number, k: number, opts: { mlKMeans: boolean; python?: string }): Promise<KMeansRow> {
  const { X } = makeBlobs(n, d, k, 7);
  const init = pickInit(X, k, 11);

  let t0 = performance.now();
  const fit = await fitKMeans(X, { k, seed: 1, init, maxIterations: MAX_ITER, tolerance: 1e-6 });
  const ours: PeerTiming = { peer: 'neon (ours)', ms: performance.now() - t0, iterations: fit.iterations, inertia: fit.inertia };

  const peers: PeerTiming[] = [];
  if (opts.mlKMeans) {
    // ml-kmeans wants number[][]; converting is not part of its timed fit.
    // ml-kmeans is ESM-only with `exports`; Node 20's require(esm) loads it, and this local type
    // stands in for its declarations (unreachable under moduleResolution "node").
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { kmeans } = require('ml-kmeans') as { kmeans: MlKMeans };
    const rows = toRows(X);
    const initRows = toRows({ rows: k, cols: d, data: init });
    t0 = performance.now();
    const r = kmeans(rows, k, { initialization: initRows, maxIterations: MAX_ITER, tolerance: 1e-6, seed: 1 });
    const ms = performance.now() - t0;
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      const c = r.centroids[r.clusters[i]];
      for (let j = 0; j < d; j++) inertia += (rows[i][j] - c[j]) ** 2;
    }
    peers.push({ peer: 'ml-kmeans 7', ms, iterations: r.iterations, inertia });
  }
  if (opts.python) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-bench-'));
    try {
      const dataFile = path.join(dir, 'x.f64');
      const initFile = path.join(dir, 'init.f64');
      fs.writeFileSync(dataFile, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
      fs.writeFileSync(initFile, new Uint8Array(init.buffer, init.byteOffset, init.byteLength));
      const r = spawnSync(opts.python, [path.join(__dirname, '..', '..', 'bench', 'sklearn_kmeans.py'), dataFile, initFile, String(n), String(d), String(k), String(MAX_ITER)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (r.status !== 0) throw new Error(`scikit-learn peer failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; iterations: number; inertia: number; version: string; threads: number | null };
      peers.push({ peer: `scikit-learn ${out.version}`, ms: out.ms, iterations: out.iterations, inertia: out.inertia, note: out.threads ? `${out.threads} OpenMP threads` : undefined });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { n, d, k, ours, peers };
}
