/**
 * Truncated SVD by randomized subspace iteration (Halko, Martinsson, Tropp 2011, Alg. 4.4):
 * only products with A and A^T are needed, so A can be sparse or implicit (e.g. centred).
 * Blocks of vectors are column-major: column c of an r x l block is `[c * r, (c + 1) * r)`.
 */
import { Rng } from '../rng';
import { orthonormalizeColumns } from './orthonormalize';
import { symmetricEigen } from './symmetricEigen';

export interface LinearOperator {
  readonly rows: number;
  readonly cols: number;
  /** out (rows x l) = A * x (cols x l). `out` arrives zeroed. */
  apply(x: Float64Array, l: number, out: Float64Array): void;
  /** out (cols x l) = A^T * y (rows x l). `out` arrives zeroed. */
  applyTranspose(y: Float64Array, l: number, out: Float64Array): void;
}

export interface TruncatedSvd {
  /** Left singular vectors, column-major rows x rank. */
  readonly u: Float64Array;
  /** Right singular vectors, column-major cols x rank (empty when not requested). */
  readonly v: Float64Array;
  /** Singular values, largest first. */
  readonly s: Float64Array;
  readonly rank: number;
}

export interface RandomizedSvdOptions {
  readonly seed: number;
  /** Extra random directions beyond `rank` (accuracy of the top `rank`). */
  readonly oversample?: number;
  /** Power iterations (sharpen a slowly decaying spectrum). */
  readonly powerIterations?: number;
  /**
   * Orthonormalise between power iterations (default true). With 1-2 iterations on a
   * moderately conditioned matrix, normalising column lengths is enough and much cheaper;
   * the final basis is always fully orthonormalised.
   */
  readonly stabilizeIterations?: boolean;
  /** Compute `v` (default true); skipping it saves a rows-sized pass per component. */
  readonly rightVectors?: boolean;
}

export function randomizedSvd(op: LinearOperator, rank: number, options: RandomizedSvdOptions): TruncatedSvd {
  const { rows, cols } = op;
  const l = Math.min(rank + (options.oversample ?? 10), rows, cols);
  const k = Math.min(rank, l);
  const q = options.powerIterations ?? 2;
  const rng = new Rng(options.seed);
  const omega = new Float64Array(cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();

  let y = new Float64Array(rows * l);
  const stabilize = options.stabilizeIterations ?? true;
  // Intermediate bases only carry the subspace: one Gram-Schmidt pass (or just unit column
  // lengths, against overflow); the final Q gets two passes.
  const intermediate = (a: Float64Array, n: number): void => {
    if (stabilize) orthonormalizeColumns(a, n, l, 1);
    else normalizeColumns(a, n, l);
  };
  op.apply(omega, l, y);
  if (q === 0) orthonormalizeColumns(y, rows, l, 2);
  else intermediate(y, rows);
  for (let it = 0; it < q; it++) {
    const z = new Float64Array(cols * l);
    op.applyTranspose(y, l, z);
    intermediate(z, cols);
    y = new Float64Array(rows * l);
    op.apply(z, l, y);
    if (it === q - 1) orthonormalizeColumns(y, rows, l, 2);
    else intermediate(y, rows);
  }
  // B = Q^T A (l x cols); its transpose Bt = A^T Q (cols x l, column-major).
  const bt = new Float64Array(cols * l);
  op.applyTranspose(y, l, bt);
  // B B^T = Bt^T Bt (l x l) = U_B diag(s^2) U_B^T.
  const g = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let s = 0;
      const oa = a * cols;
      const ob = b * cols;
      for (let i = 0; i < cols; i++) s += bt[oa + i] * bt[ob + i];
      g[a * l + b] = s;
      g[b * l + a] = s;
    }
  }
  const eig = symmetricEigen(g, l, k);
  const s = new Float64Array(k);
  const u = new Float64Array(rows * k);
  const wantV = options.rightVectors ?? true;
  const v = new Float64Array(wantV ? cols * k : 0);
  for (let c = 0; c < k; c++) {
    const sc = Math.sqrt(Math.max(0, eig.values[c]));
    s[c] = sc;
    // u_c = Q * U_B[:, c]; v_c = Bt * U_B[:, c] / s_c.
    const uc = c * rows;
    const vc = c * cols;
    for (let a = 0; a < l; a++) {
      const w = eig.vectors[c * l + a];
      if (w === 0) continue;
      const oa = a * rows;
      for (let i = 0; i < rows; i++) u[uc + i] += w * y[oa + i];
      if (!wantV) continue;
      const ob = a * cols;
      const wv = sc > 0 ? w / sc : 0;
      for (let i = 0; i < cols; i++) v[vc + i] += wv * bt[ob + i];
    }
  }
  return { u, v, s, rank: k };
}

function normalizeColumns(a: Float64Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    const o = c * rows;
    let s = 0;
    for (let i = 0; i < rows; i++) s += a[o + i] * a[o + i];
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let i = 0; i < rows; i++) a[o + i] *= inv;
    }
  }
}
