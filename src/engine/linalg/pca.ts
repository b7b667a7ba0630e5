/**
 * Principal component analysis of a dense N x D matrix. Three routes, chosen by estimated
 * cost so that every shape stays cheap:
 *  - covariance (D x D, O(N D^2 / 2) + eigen O(D^3)): few features, any N (the 2-D map of a
 *    million points with D = 50 costs ~1.3e9 multiply-adds, one pass over the data);
 *  - Gram (N x N, O(N^2 D / 2) + eigen O(N^3)): few rows, many features (10,000 columns);
 *  - randomized subspace iteration (O(N D (dims + 10) (2 q + 2))): both large.
 * Beyond `maxFitRows` rows (default 50,000) mean and components are fitted on a seeded
 * uniform sample of that many rows and every row is projected: O(N D dims) for the rest.
 * A sample of 50,000 pins the leading directions far below plotting resolution, and keeps
 * e.g. 200,000 x 784 pixels to a few seconds instead of a minute.
 * Components are signed so their largest-magnitude entry is positive.
 */
import { Rng } from '../rng';
import type { Matrix } from '../types';
import { randomizedSvd, type LinearOperator } from './randomizedSvd';
import { symmetricEigen } from './symmetricEigen';

export interface PcaResult {
  readonly mean: Float64Array;
  /** dims x D, row-major, orthonormal rows. */
  readonly components: Float64Array;
  /** N x dims: (x - mean) projected on the components. */
  readonly projected: Matrix;
  /** Variance of the data along each component (divisor N - 1). */
  readonly explainedVariance: Float64Array;
}

const POWER_ITERATIONS = 3;
const DEFAULT_MAX_FIT_ROWS = 50_000;

/** Route override, for tests and benchmarks; 'auto' (default) picks the cheapest. */
export type PcaMethod = 'auto' | 'covariance' | 'gram' | 'randomized';

export interface PcaOptions {
  readonly seed?: number;
  readonly method?: PcaMethod;
  /** Fit on a seeded sample of at most this many rows (all rows are projected). */
  readonly maxFitRows?: number;
}

export function pca(X: Matrix, dims: number, opts: PcaOptions = {}): PcaResult {
  const scale = magnitudeScale(X.data);
  if (scale !== 1) return rescaled(X, dims, opts, scale);
  const maxFit = opts.maxFitRows ?? DEFAULT_MAX_FIT_ROWS;
  const fitOn = X.rows > maxFit ? sampleRows(X, maxFit, opts.seed ?? 0) : X;
  const fit = fitPca(fitOn, dims, opts);
  const { rows: n, cols: d, data } = X;
  const { mean, components } = fit;
  const k = fit.explainedVariance.length;
  const projected = new Float64Array(n * k);
  const centered = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) centered[j] = data[o + j] - mean[j];
    for (let c = 0; c < k; c++) {
      const oc = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += centered[j] * components[oc + j];
      projected[i * k + c] = s;
    }
  }
  return { mean, components, projected: { rows: n, cols: k, data: projected }, explainedVariance: fit.explainedVariance };
}

/**
 * Numbers whose squares overflow float64 (|x| ≳ 1e154) make the covariance infinite and the
 * eigensolver fail. PCA commutes with a uniform scale, so such data is analysed divided by a
 * power of two S (exact) and mean, projection and variances are scaled back (values beyond
 * float64 become ±Infinity there, e.g. a variance of 1e320; the directions stay exact).
 */
const RESCALE_ABOVE = 1e100;

/** A power of two to divide the data by, or 1 when its magnitudes are unproblematic. */
function magnitudeScale(data: Float64Array): number {
  let top = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]);
    if (v > top && v !== Infinity) top = v;
  }
  if (top < RESCALE_ABOVE) return 1;
  return Math.pow(2, Math.floor(Math.log2(top)));
}

function rescaled(X: Matrix, dims: number, opts: PcaOptions, scale: number): PcaResult {
  const r = pca({ rows: X.rows, cols: X.cols, data: X.data.map((v) => v / scale) }, dims, opts);
  return {
    mean: r.mean.map((v) => v * scale),
    components: r.components,
    projected: { rows: r.projected.rows, cols: r.projected.cols, data: r.projected.data.map((v) => v * scale) },
    explainedVariance: r.explainedVariance.map((v) => v * scale * scale),
  };
}

/** `m` distinct rows chosen uniformly with a seeded partial Fisher-Yates shuffle, kept in order. */
function sampleRows(X: Matrix, m: number, seed: number): Matrix {
  const { rows: n, cols: d, data } = X;
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const rng = new Rng(seed);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = index[i];
    index[i] = index[j];
    index[j] = t;
  }
  const chosen = index.subarray(0, m).sort();
  const out = new Float64Array(m * d);
  for (let r = 0; r < m; r++) out.set(data.subarray(chosen[r] * d, chosen[r] * d + d), r * d);
  return { rows: m, cols: d, data: out };
}

/** Mean, components and variances of X (no projection). */
function fitPca(X: Matrix, dims: number, opts: PcaOptions): { mean: Float64Array; components: Float64Array; explainedVariance: Float64Array } {
  const { rows: n, cols: d, data } = X;
  const k = Math.max(0, Math.min(dims, d, n));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[o + j];
  }
  if (n > 0) for (let j = 0; j < d; j++) mean[j] /= n;

  const components = new Float64Array(k * d);
  const explainedVariance = new Float64Array(k);
  if (k > 0 && n > 1) {
    const l = k + 10;
    const costCov = (n * d * d) / 2 + 10 * d * d * d;
    const costGram = (n * n * d) / 2 + 10 * n * n * n;
    const costRandom = n * d * l * (2 * POWER_ITERATIONS + 2) + n * l * l * 2;
    let method = opts.method ?? 'auto';
    if (method === 'auto') method = costCov <= costGram && costCov <= costRandom ? 'covariance' : costGram <= costRandom ? 'gram' : 'randomized';
    if (method === 'covariance') viaCovariance(X, mean, k, components, explainedVariance);
    else if (method === 'gram') viaGram(X, mean, k, components, explainedVariance);
    else viaRandomized(X, mean, k, opts.seed ?? 0, components, explainedVariance);
  } else {
    // No spread to analyse: identity directions keep the output shape meaningful.
    for (let c = 0; c < k; c++) components[c * d + c] = 1;
  }
  return { mean, components, explainedVariance };
}

function signFix(components: Float64Array, c: number, d: number): void {
  let big = 0;
  for (let j = 0; j < d; j++) {
    const v = components[c * d + j];
    if (Math.abs(v) > Math.abs(big)) big = v;
  }
  if (big < 0) for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j];
}

function viaCovariance(X: Matrix, mean: Float64Array, k: number, components: Float64Array, variance: Float64Array): void {
  const { rows: n, cols: d, data } = X;
  const cov = new Float64Array(d * d);
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) r[j] = data[o + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = r[a];
      if (ra === 0) continue;
      const oa = a * d;
      for (let b = a; b < d; b++) cov[oa + b] += ra * r[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
  const eig = symmetricEigen(cov, d, k);
  for (let c = 0; c < k; c++) {
    variance[c] = Math.max(0, eig.values[c]) / (n - 1);
    components.set(eig.vectors.subarray(c * d, c * d + d), c * d);
  }
}

function viaGram(X: Matrix, mean: Float64Array, k: number, components: Float64Array, variance: Float64Array): void {
  const { rows: n, cols: d, data } = X;
  const centered = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centered[i * d + j] = data[i * d + j] - mean[j];
  const gram = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      const oa = a * d;
      const ob = b * d;
      for (let j = 0; j < d; j++) s += centered[oa + j] * centered[ob + j];
      gram[a * n + b] = s;
      gram[b * n + a] = s;
    }
  }
  const eig = symmetricEigen(gram, n, k);
  for (let c = 0; c < k; c++) {
    const lambda = Math.max(0, eig.values[c]);
    variance[c] = lambda / (n - 1);
    if (lambda <= 1e-12 * Math.max(eig.values[0], 1e-300)) continue; // rank-deficient: leave the zero row
    // v_c = Xc^T u_c / sqrt(lambda_c).
    const inv = 1 / Math.sqrt(lambda);
    for (let i = 0; i < n; i++) {
      const w = eig.vectors[c * n + i] * inv;
      if (w === 0) continue;
      const o = i * d;
      for (let j = 0; j < d; j++) components[c * d + j] += w * centered[o + j];
    }
    signFix(components, c, d);
  }
}

function viaRandomized(X: Matrix, mean: Float64Array, k: number, seed: number, components: Float64Array, variance: Float64Array): void {
  const { rows: n, cols: d, data } = X;
  // The centred matrix is applied implicitly: (X - 1 m^T) v = X v - (m . v) 1. Both
  // products stream X once, row by row, against a row-major copy of the block (l columns
  // contiguous), instead of once per block column.
  const op: LinearOperator = {
    rows: n,
    cols: d,
    apply(x, l, out) {
      const xr = new Float64Array(d * l);
      for (let c = 0; c < l; c++) for (let j = 0; j < d; j++) xr[j * l + c] = x[c * d + j];
      const mv = new Float64Array(l);
      for (let j = 0; j < d; j++) for (let c = 0; c < l; c++) mv[c] += mean[j] * xr[j * l + c];
      const acc = new Float64Array(l);
      for (let i = 0; i < n; i++) {
        acc.fill(0);
        const o = i * d;
        for (let j = 0; j < d; j++) {
          const v = data[o + j];
          if (v === 0) continue;
          const oj = j * l;
          for (let c = 0; c < l; c++) acc[c] += v * xr[oj + c];
        }
        for (let c = 0; c < l; c++) out[c * n + i] = acc[c] - mv[c];
      }
    },
    applyTranspose(y, l, out) {
      const outr = new Float64Array(d * l);
      const yi = new Float64Array(l);
      const sy = new Float64Array(l);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < l; c++) {
          yi[c] = y[c * n + i];
          sy[c] += yi[c];
        }
        const o = i * d;
        for (let j = 0; j < d; j++) {
          const v = data[o + j];
          if (v === 0) continue;
          const oj = j * l;
          for (let c = 0; c < l; c++) outr[oj + c] += v * yi[c];
        }
      }
      for (let c = 0; c < l; c++) for (let j = 0; j < d; j++) out[c * d + j] = outr[j * l + c] - sy[c] * mean[j];
    },
  };
  const svd = randomizedSvd(op, k, { seed, powerIterations: POWER_ITERATIONS });
  for (let c = 0; c < svd.rank; c++) {
    variance[c] = (svd.s[c] * svd.s[c]) / (n - 1);
    components.set(svd.v.subarray(c * d, c * d + d), c * d);
    signFix(components, c, d);
  }
}
