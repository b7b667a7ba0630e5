/**
 * Mean silhouette (Euclidean) on a seeded subsample of at most `sample` points: O(m² D), so it
 * comes in two drivers over one core — `silhouette` (synchronous, for tests and the CLI) and
 * `silhouetteAsync`, which yields to the event loop every ~40 ms and honours the job's abort
 * signal (the worker must see a Cancel while k is being chosen). Both give the same value.
 */
import { OptionError } from '../errors';
import { Pacer, throttledProgress } from '../jobs';
import { Rng } from '../rng';
import type { JobHooks, Matrix } from '../types';

export const SILHOUETTE_SAMPLE = 2000;
const YIELD_MS = 40;

export interface SilhouetteOptions {
  readonly sample?: number;
  readonly seed?: number;
}

/** Scores rows of the subsample one at a time; `total / m` is the mean silhouette. */
class SilhouetteScorer {
  readonly m: number;
  total = 0;
  private readonly idx: Int32Array;
  private readonly sizes: Float64Array;
  private readonly sums: Float64Array;
  /** Fewer than two non-empty clusters: the silhouette is 0 by convention. */
  readonly degenerate: boolean;

  constructor(
    private readonly X: Matrix,
    private readonly assignments: Int32Array,
    private readonly k: number,
    opts: SilhouetteOptions = {},
  ) {
    const n = X.rows;
    if (assignments.length !== n) throw new OptionError(`silhouette: ${assignments.length} assignments for ${n} rows`);
    const sample = opts.sample ?? SILHOUETTE_SAMPLE;
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    if (n > sample) new Rng(opts.seed ?? 0).shuffle(all);
    this.idx = n > sample ? all.slice(0, sample).sort() : all;
    this.m = this.idx.length;
    this.sizes = new Float64Array(k);
    for (let a = 0; a < this.m; a++) this.sizes[assignments[this.idx[a]]]++;
    let used = 0;
    for (let c = 0; c < k; c++) if (this.sizes[c] > 0) used++;
    this.degenerate = used < 2;
    this.sums = new Float64Array(k);
  }

  /** Adds the silhouette of subsample point a to `total`. */
  score(a: number): void {
    const { X, assignments, k, idx, sizes, sums, m } = this;
    const d = X.cols;
    const data = X.data;
    sums.fill(0);
    const ia = idx[a] * d;
    for (let b = 0; b < m; b++) {
      if (a === b) continue;
      const ib = idx[b] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[ia + j] - data[ib + j];
        s += t * t;
      }
      sums[assignments[idx[b]]] += Math.sqrt(s);
    }
    const own = assignments[idx[a]];
    if (sizes[own] <= 1) return; // a singleton's silhouette is 0
    const inner = sums[own] / (sizes[own] - 1);
    let outer = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0 && sums[c] / sizes[c] < outer) outer = sums[c] / sizes[c];
    const mx = Math.max(inner, outer);
    if (mx > 0) this.total += (outer - inner) / mx;
  }
}

/** Mean silhouette, synchronously. */
export function silhouette(X: Matrix, assignments: Int32Array, k: number, opts?: SilhouetteOptions): number {
  const s = new SilhouetteScorer(X, assignments, k, opts);
  if (s.degenerate) return 0;
  for (let a = 0; a < s.m; a++) s.score(a);
  return s.total / s.m;
}

/** Mean silhouette in chunks that yield to the event loop and check the abort signal. */
export async function silhouetteAsync(X: Matrix, assignments: Int32Array, k: number, opts?: SilhouetteOptions, hooks?: JobHooks): Promise<number> {
  const s = new SilhouetteScorer(X, assignments, k, opts);
  if (s.degenerate) return 0;
  const progress = throttledProgress(hooks);
  const pacer = new Pacer(hooks, YIELD_MS);
  for (let a = 0; a < s.m; a++) {
    await pacer.tick(() => progress({ stage: 'quality', fraction: a / s.m, message: 'silhouette' }));
    s.score(a);
  }
  return s.total / s.m;
}
