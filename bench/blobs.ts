/** Synthetic Gaussian blobs, seeded: the benchmarks' common data (same data, same seeds for every peer). */
import { Rng } from '../src/engine/rng';
import type { Matrix } from '../src/engine/types';

export interface Blobs {
  readonly X: Matrix;
  readonly labels: Int32Array;
}

/** N points in D dims around K centres drawn uniformly in [-spread, spread]^D, unit variance. */
export function makeBlobs(n: number, d: number, k: number, seed: number, spread = 4): Blobs {
  const rng = new Rng(seed);
  const centres = new Float64Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = (rng.next() * 2 - 1) * spread;
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    labels[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + rng.normal();
  }
  return { X: { rows: n, cols: d, data }, labels };
}

/** K rows picked by a seeded draw: a shared initialisation so every peer starts from the same centroids. */
export function pickInit(X: Matrix, k: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const init = new Float64Array(k * X.cols);
  for (let c = 0; c < k; c++) {
    const r = rng.int(X.rows);
    init.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), c * X.cols);
  }
  return init;
}

export function toRows(X: Matrix): number[][] {
  const rows: number[][] = new Array(X.rows);
  for (let i = 0; i < X.rows; i++) rows[i] = Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
  return rows;
}
