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
 * (at most MAX_ROWS rows) — deterministic, and the mean probability is a smooth average.
 */
import { OptionError } from '../errors';
import type { KMeansModel, Matrix } from '../types';

/** Standard target for k-means; kernel / deep models use 0.9. */
export const TARGET_PROBABILITY_KMEANS = 0.8;
export const TARGET_PROBABILITY_DEEP = 0.9;

const MAX_ROWS = 20_000;
const BISECTION_STEPS = 60;

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
 * β such that the mean over points of max_k softmax(−β o)_k equals `target` (within
 * bisection precision, ~1e-12 relative in β). Throws OptionError when the target is not in
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
  const f = (beta: number): number => meanTopProbability(outlierScores, k, gaps.stride, beta);
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
  let a = Math.log(lo);
  let b = Math.log(hi);
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = 0.5 * (a + b);
    if (f(Math.exp(mid)) < target) a = mid;
    else b = mid;
  }
  return Math.exp(0.5 * (a + b));
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
  const stride = Math.max(1, Math.ceil(n / MAX_ROWS));
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

/** Mean over the sampled rows of max_k softmax(−β o)_k = 1 / Σ_k exp(−β (o_k − o_min)). */
function meanTopProbability(scores: Float64Array, k: number, stride: number, beta: number): number {
  const n = scores.length / k;
  let total = 0;
  let rows = 0;
  for (let i = 0; i < n; i += stride) {
    const off = i * k;
    let m = Infinity;
    for (let c = 0; c < k; c++) if (scores[off + c] < m) m = scores[off + c];
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(-beta * (scores[off + c] - m));
    total += 1 / s;
    rows++;
  }
  return total / rows;
}
