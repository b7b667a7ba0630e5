/**
 * Choosing the stiffness β of the soft min-pool (neon-method.md, "Evidence for membership").
 *
 * The paper picks β so that the mean over the data of the highest soft-assignment
 * probability max_k softmax(−β o(x))_k is about 0.8 (standard k-means) or 0.9 (kernel /
 * deep). That mean grows monotonically from 1/K (β = 0) towards 1 (β → ∞), so β is found
 * by bisection on log β. The authors' demo also uses β = 1 / mean(hard margin), offered
 * as `betaFromMeanMargin`.
 *
 * Outlier scores are N x K row-major (o_k(x) for every point and cluster); for k-means they
 * are squared distances (`kmeansOutlierScores`). Large N is subsampled with an even stride
 * (at most BETA_SAMPLE_ROWS rows: rows 0, s, 2s, … with s = ⌈N / BETA_SAMPLE_ROWS⌉) —
 * deterministic, and the mean probability is a smooth average. `betaSampleRows` gives that
 * sample up front, so a caller scores only those rows (the same β, bit for bit, as scoring
 * all N: 1M rows × 12 centroids cost ~0.6 s and 96 MB before).
 *
 * The root in log β is found by Brent's method (bracketing, inverse quadratic interpolation,
 * bisection fallback) to 1e-13 in log β: 12–15 evaluations of the mean in all (bracket
 * included; measured for K = 3, 12 and targets 0.8, 0.9) instead of ~65 with plain bisection;
 * the result agrees with that bisection to 1e-12 relative (test: beta.test.ts).
 */
import { OptionError } from '../errors';
import type { KMeansModel, Matrix } from '../types';

/** Standard target for k-means; kernel / deep models use 0.9. */
export const TARGET_PROBABILITY_KMEANS = 0.8;
export const TARGET_PROBABILITY_DEEP = 0.9;

/** At most this many rows (an even stride over N) enter the mean top probability. */
export const BETA_SAMPLE_ROWS = 20_000;
/** Brent's tolerance on log β (so β is found to ~1e-13 relative). */
const LOG_BETA_TOLERANCE = 1e-13;
const MAX_ROOT_STEPS = 200;

/** Row stride of the β sample of N rows: rows 0, stride, 2·stride, … (⌈N / stride⌉ ≤ BETA_SAMPLE_ROWS rows). */
export function betaSampleStride(n: number): number {
  return Math.max(1, Math.ceil(n / BETA_SAMPLE_ROWS));
}

/**
 * The rows of X (N x D, row-major) the β search looks at: every stride-th row from row 0
 * (`betaSampleStride`), as a new ⌈N / stride⌉ x D matrix (X itself when the stride is 1).
 * Scoring these gives `betaForTargetProbability` exactly the rows it would sample from the
 * scores of all N rows.
 */
export function betaSampleRows(X: Matrix): Matrix {
  const stride = betaSampleStride(X.rows);
  if (stride === 1) return X;
  const rows = Math.ceil(X.rows / stride);
  const d = X.cols;
  const data = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) data.set(X.data.subarray(r * stride * d, (r * stride + 1) * d), r * d);
  return { rows, cols: d, data };
}

/** N x K squared distances ||x_n − μ_k||² (the k-means outlier scores). */
export function kmeansOutlierScores(model: KMeansModel, X: Matrix): Float64Array {
  const { k, dim, centroids } = model;
  if (X.cols !== dim) throw new OptionError(`k-means outlier scores: data has ${X.cols} features, the model expects ${dim}`);
  const { rows, data } = X;
  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const off = i * dim;
    for (let c = 0; c < k; c++) {
      const co = c * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const t = data[off + j] - centroids[co + j];
        s += t * t;
      }
      out[i * k + c] = s;
    }
  }
  return out;
}

/**
 * β such that the mean over points of max_k softmax(−β o)_k equals `target` (to ~1e-13
 * relative in β). Throws OptionError when the target is not in
 * (1/K, 1). When ties between outlier scores cap the reachable mean below the target, the
 * largest β examined is returned (the pool is then effectively hard).
 */
export function betaForTargetProbability(outlierScores: Float64Array, k: number, target: number): number {
  const gaps = marginRows(outlierScores, k);
  if (k < 2) return 1;
  if (!(target > 1 / k && target < 1)) {
    throw new OptionError(`beta: target probability must be between 1/k = ${(1 / k).toFixed(4)} and 1 (exclusive), got ${target}`);
  }
  // Scale guess: 1 / mean gap between nearest and second nearest cluster.
  const rows = gaps.rows;
  let meanGap = 0;
  for (let i = 0; i < rows; i++) meanGap += gaps.second[i];
  meanGap /= rows;
  const start = meanGap > 0 && Number.isFinite(meanGap) ? 1 / meanGap : 1;
  let lo = start;
  let hi = start;
  const gapsToNearest = shiftedScores(outlierScores, k, gaps.stride);
  const f = (beta: number): number => meanTopProbability(gapsToNearest, k, beta);
  for (let i = 0; i < 200 && f(lo) > target; i++) lo /= 4;
  // Grow hi until the target is reached, or until the mean stops growing (a plateau below
  // the target: ties between scores; the pool is then effectively hard already).
  let previous = -1;
  for (let i = 0; i < 200; i++) {
    const p = f(hi);
    if (p >= target) break;
    if (p - previous <= 1e-12) return hi;
    previous = p;
    hi *= 4;
  }
  return Math.exp(brentRoot((t) => f(Math.exp(t)) - target, Math.log(lo), Math.log(hi), LOG_BETA_TOLERANCE));
}

/**
 * A root of g in [a, b] with g(a) ≤ 0 ≤ g(b) (g continuous), to within `tolerance`: Brent's
 * method (R. P. Brent, Algorithms for Minimization without Derivatives, 1973, ch. 4; the
 * zeroin form of Numerical Recipes §9.3). Keeps a bracket, so it never does worse than
 * bisection; returns the bracket end where g is closest to 0 when the steps run out.
 */
function brentRoot(g: (t: number) => number, a: number, b: number, tolerance: number): number {
  let fa = g(a);
  let fb = g(b);
  // Not a bracket (the search for one ran out of steps): the end nearer the target.
  if (fa >= 0) return a;
  if (fb <= 0) return b;
  let c = b;
  let fc = fb;
  let d = b - a;
  let e = d;
  for (let step = 0; step < MAX_ROOT_STEPS; step++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      e = d = b - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tolerance;
    const half = 0.5 * (c - b);
    if (Math.abs(half) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // Inverse quadratic interpolation (secant when only two points are distinct).
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * half * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * half * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * half * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = half;
        e = d;
      }
    } else {
      d = half;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : half > 0 ? tol : -tol;
    fb = g(b);
  }
  return b;
}

/** A number is validated and kept; 'auto' means `betaForTargetProbability(scores, k, target)`. */
export function resolveBeta(beta: number | 'auto', outlierScores: Float64Array, k: number, target: number): number {
  if (beta === 'auto') return betaForTargetProbability(outlierScores, k, target);
  if (!(beta > 0) || !Number.isFinite(beta)) throw new OptionError(`beta must be a finite number > 0 or 'auto', got ${beta}`);
  return beta;
}

/**
 * The authors' demo default β = 1 / mean hard margin, the margin of a point being
 * min_{k≠c} o_k − o_c for its assigned (nearest) cluster c. Returns 1 when all margins are 0.
 */
export function betaFromMeanMargin(outlierScores: Float64Array, k: number): number {
  const gaps = marginRows(outlierScores, k);
  if (k < 2) return 1;
  let mean = 0;
  for (let i = 0; i < gaps.rows; i++) mean += gaps.second[i];
  mean /= gaps.rows;
  return mean > 0 && Number.isFinite(mean) ? 1 / mean : 1;
}

/** Margin (second smallest − smallest score) of the sampled rows, and the row stride used. */
function marginRows(scores: Float64Array, k: number): { rows: number; stride: number; second: Float64Array } {
  if (!Number.isInteger(k) || k < 1) throw new OptionError(`beta: k must be an integer >= 1, got ${k}`);
  if (scores.length % k !== 0 || scores.length === 0) {
    throw new OptionError(`beta: outlier scores hold ${scores.length} values, not a non-empty N x k matrix with k = ${k}`);
  }
  const n = scores.length / k;
  const stride = betaSampleStride(n);
  const rows = Math.ceil(n / stride);
  const second = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const off = r * stride * k;
    let m1 = Infinity;
    let m2 = Infinity;
    for (let c = 0; c < k; c++) {
      const v = scores[off + c];
      if (v < m1) {
        m2 = m1;
        m1 = v;
      } else if (v < m2) m2 = v;
    }
    second[r] = k > 1 ? m2 - m1 : 0;
  }
  return { rows, stride, second };
}

/** o_k − min_k o of every stride-th row (rows × K), computed once for all the β trials. */
function shiftedScores(scores: Float64Array, k: number, stride: number): Float64Array {
  const n = scores.length / k;
  const out = new Float64Array(Math.ceil(n / stride) * k);
  for (let i = 0, r = 0; i < n; i += stride, r++) {
    const off = i * k;
    let m = Infinity;
    for (let c = 0; c < k; c++) if (scores[off + c] < m) m = scores[off + c];
    for (let c = 0; c < k; c++) out[r * k + c] = scores[off + c] - m;
  }
  return out;
}

/** Mean over the rows of max_k softmax(−β o)_k = 1 / Σ_k exp(−β (o_k − o_min)), from the shifted scores. */
function meanTopProbability(shifted: Float64Array, k: number, beta: number): number {
  const rows = shifted.length / k;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const off = r * k;
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(-beta * shifted[off + c]);
    total += 1 / s;
  }
  return total / rows;
}
