/**
 * Mean silhouette (Euclidean) on a seeded subsample of at most `sample` points: O(m² D), run as
 * a block kernel on the compute pool (every core). Two drivers give the same value:
 * `silhouette` (synchronous, one thread, for tests and metrics) and `silhouetteAsync` (the
 * pool; honours the job's abort signal between blocks, so a Cancel is seen while k is being
 * chosen). Each block of subsample points adds its silhouettes into its own slot and the slots
 * are summed in block order, so the value does not depend on the thread count.
 */
import { OptionError } from '../errors';
import { throttledProgress } from '../jobs';
import { blockCount, rowsPerBlock } from '../parallel/blocks';
import { computePool, type ComputePool } from '../parallel/pool';
import { sharedFloat64, sharedInt32 } from '../parallel/shared';
import { Rng } from '../rng';
import type { JobHooks, Matrix } from '../types';
import { silhouetteBlock, type SilhouetteArgs } from './silhouetteKernel';

export const SILHOUETTE_SAMPLE = 2000;

export interface SilhouetteOptions {
  readonly sample?: number;
  readonly seed?: number;
}

/** The subsample (seeded, rows in file order) gathered into shared memory, and its cluster sizes. */
function prepare(X: Matrix, assignments: Int32Array, k: number, opts: SilhouetteOptions = {}): { args: SilhouetteArgs; blocks: number; degenerate: boolean } {
  const n = X.rows;
  const d = X.cols;
  if (assignments.length !== n) throw new OptionError(`silhouette: ${assignments.length} assignments for ${n} rows`);
  const sample = opts.sample ?? SILHOUETTE_SAMPLE;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (n > sample) new Rng(opts.seed ?? 0).shuffle(all);
  const idx = n > sample ? all.slice(0, sample).sort() : all;
  const m = idx.length;
  const data = sharedFloat64(m * d);
  const labels = sharedInt32(m);
  const sizes = sharedFloat64(k);
  for (let a = 0; a < m; a++) {
    data.set(X.data.subarray(idx[a] * d, idx[a] * d + d), a * d);
    labels[a] = assignments[idx[a]];
    sizes[labels[a]]++;
  }
  let used = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) used++;
  const blockRows = rowsPerBlock(m * d);
  const blocks = blockCount(m, blockRows);
  return { args: { data, m, d, k, labels, sizes, blockRows, blockTotal: sharedFloat64(blocks) }, blocks, degenerate: used < 2 };
}

function mean(args: SilhouetteArgs, blocks: number): number {
  let total = 0;
  for (let b = 0; b < blocks; b++) total += args.blockTotal[b];
  return total / args.m;
}

/** Mean silhouette, synchronously on the calling thread. */
export function silhouette(X: Matrix, assignments: Int32Array, k: number, opts?: SilhouetteOptions): number {
  const { args, blocks, degenerate } = prepare(X, assignments, k, opts);
  if (degenerate) return 0;
  for (let b = 0; b < blocks; b++) silhouetteBlock(args, b);
  return mean(args, blocks);
}

/** Mean silhouette on the compute pool (same value as `silhouette`); rejects with CancelledError when aborted. */
export async function silhouetteAsync(X: Matrix, assignments: Int32Array, k: number, opts?: SilhouetteOptions, hooks?: JobHooks, pool: ComputePool = computePool()): Promise<number> {
  const { args, blocks, degenerate } = prepare(X, assignments, k, opts);
  if (degenerate) return 0;
  const progress = throttledProgress(hooks);
  await pool.run('silhouette', args, blocks, {
    work: args.m * args.m * args.d,
    ...(hooks?.signal ? { signal: hooks.signal } : {}),
    onProgress: (fraction) => progress({ stage: 'quality', fraction, message: 'silhouette' }),
  });
  return mean(args, blocks);
}
