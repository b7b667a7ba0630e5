/** Seeded mini-batching: a shuffled row order per epoch and row gathering into a buffer. */
import type { Rng } from '../rng';
import type { Matrix } from '../types';

/** A random permutation of 0..n-1 drawn from `rng` (one per epoch). */
export function shuffledOrder(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return rng.shuffle(order);
}

/** Copies rows order[from..to) of X into `out` (row-major); returns the number of rows. */
export function gatherRows(X: Matrix, order: Int32Array, from: number, to: number, out: Float64Array): number {
  const d = X.cols;
  for (let r = from; r < to; r++) {
    const src = order[r] * d;
    out.set(X.data.subarray(src, src + d), (r - from) * d);
  }
  return to - from;
}

/** Per-feature minimum and maximum over the rows of X. */
export function featureRange(X: Matrix): { low: Float64Array; high: Float64Array } {
  const low = new Float64Array(X.cols).fill(Infinity);
  const high = new Float64Array(X.cols).fill(-Infinity);
  for (let r = 0; r < X.rows; r++) {
    const o = r * X.cols;
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[o + j];
      if (v < low[j]) low[j] = v;
      if (v > high[j]) high[j] = v;
    }
  }
  return { low, high };
}
