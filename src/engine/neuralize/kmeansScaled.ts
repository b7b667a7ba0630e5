/**
 * NEON for standard k-means on numbers whose squares do not fit in float64 (issue 8,
 * "Numerical range"): the same network and rules as `neuralizeKMeans`, evaluated so that every
 * *finite* evidence gets finite relevances that add up to it.
 *
 * Why: ‖x − μ‖² overflows (to ∞, then ∞ − ∞ = NaN) once coordinates pass ~1.3e154, long before
 * x itself does, and the factored form R_i = coef_i x_i − offset_i of the fast paths squares
 * the centroids (μ_ki²), so centroids of ~1e160 gave NaN even where the evidence is ~1e317.
 *
 * How:
 *  1. the whole row (x, the centroids, the reference) is divided by S, a power of two ≥ its
 *     largest magnitude / 2 (exact), and the layer-1 activations h'_k = h_k / S², the pool,
 *     the shares and the ratios a_k = R_k / den_k (dimensionless: both scale with S²) are
 *     computed there;
 *  2. each feature's relevance R_i = Σ_k a_k w_ki (x_i − x̃_ki) is computed with its own
 *     power-of-two scale σ_i (the largest magnitude in that column), so a small column next to
 *     a huge one is not flushed to zero, and scaled back as (R''_i σ_i) σ_i, which overflows
 *     only when the true R_i is beyond float64;
 *  3. the evidence f = (f' S) S likewise.
 * Values that are beyond float64 (|v| > 1.8e308) are returned as NaN and listed in `beyond`
 * (the evidence, and the features whose relevance cannot be represented), so callers can
 * name the row and column instead of printing Infinity.
 *
 * It costs about 3 passes over the K × D centroids per row plus a division per entry, so the
 * fast paths use it only for the rows they cannot compute accurately.
 */
import { softMin, softMinShares } from '../network/pooling';
import type { KMeansModel, NeonOptions } from '../types';
import { createPathScratch, pathPoolWeights } from './referencePath';
import { guard, pairFloor, referenceDenominator, referenceShift } from './rootPoint';

/** What could not be represented in float64 for one row. */
export interface BeyondRange {
  /** The evidence itself is beyond float64 (then every relevance is NaN too). */
  readonly evidence: boolean;
  /** Features whose relevance (or input value) is beyond float64 / not finite, in order. */
  readonly features: readonly number[];
  /** Input features that are not finite numbers (NaN, ±Infinity) — not explainable at all. */
  readonly nonFiniteInput?: boolean;
}

export interface ScaledRowOutput {
  readonly relevance: Float64Array; // D
  readonly competitorShares: Float64Array; // K
  readonly coef: Float64Array; // D
  readonly offset: Float64Array; // D
  /** K × D per-competitor terms, when wanted. */
  readonly perCompetitor?: Float64Array;
}

export interface ScaledRowResult {
  readonly cluster: number;
  /** NaN when beyond float64. */
  readonly evidence: number;
  readonly probability: number;
  readonly beyond?: BeyondRange;
}

const MAX = Number.MAX_VALUE;

/** Largest power of two ≤ v (v > 0 finite); 1 for v = 0. Dividing by it is exact. */
export function powerOfTwoBelow(v: number): number {
  if (!(v > 0)) return 1;
  const e = Math.floor(Math.log2(v));
  // log2 can round up across a power of two: correct by one step.
  const p = Math.pow(2, e);
  return p > v ? Math.pow(2, e - 1) : p;
}

/**
 * Explains one row x (length D) under `model` for cluster `cluster` (default: the nearest
 * centroid, lowest index on ties), writing into `out`. Rule, β, evidence form and reference
 * come from `options` (neon-method.md, "Standard k-means"; rootPoint.ts for the roots).
 */
export function explainKMeansRowScaled(model: KMeansModel, options: NeonOptions, x: ArrayLike<number>, out: ScaledRowOutput, cluster?: number): ScaledRowResult {
  const { k, dim: d, centroids: mu } = model;
  const { relevance, competitorShares, coef, offset, perCompetitor } = out;
  const reference = options.rule === 'reference' ? options.reference : undefined;
  relevance.fill(0);
  competitorShares.fill(0);
  coef.fill(0);
  offset.fill(0);
  perCompetitor?.fill(0);

  const bad: number[] = [];
  let top = 0;
  for (let j = 0; j < d; j++) {
    const v = x[j];
    if (!Number.isFinite(v)) bad.push(j);
    else top = Math.max(top, Math.abs(v));
  }
  for (let t = 0; t < mu.length; t++) top = Math.max(top, Math.abs(mu[t]));
  if (reference) for (let j = 0; j < d; j++) top = Math.max(top, Math.abs(reference[j]));
  const S = powerOfTwoBelow(top);

  // Scaled copies (this path is rare: allocation is fine).
  const xs = new Float64Array(d);
  for (let j = 0; j < d; j++) xs[j] = Number.isFinite(x[j]) ? x[j] / S : 0;
  const ms = new Float64Array(k * d);
  for (let t = 0; t < k * d; t++) ms[t] = mu[t] / S;
  const rs = reference ? reference.map((v) => v / S) : undefined;

  const c = cluster ?? nearestInScaledSpace(xs, ms, k, d);
  if (bad.length > 0) {
    relevance.fill(NaN);
    return { cluster: c, evidence: NaN, probability: NaN, beyond: { evidence: true, features: bad, nonFiniteInput: true } };
  }
  if (k === 1) return { cluster: c, evidence: 0, probability: 1 };

  // Layer 1 in the scaled space: h'_k = Σ_j (μ'_cj − μ'_kj)(2x'_j − μ'_cj − μ'_kj) = h_k / S².
  const cOff = c * d;
  const h = new Float64Array(k);
  for (let q = 0; q < k; q++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const a = ms[cOff + j];
      const b = ms[q * d + j];
      s += (a - b) * (2 * xs[j] - a - b);
    }
    h[q] = q === c ? Infinity : s;
  }
  // β' = β S² (β is per unit of evidence); an overflow makes the pool hard, as it is then.
  const betaS = options.beta * S * S;
  const shares = new Float64Array(k);
  softMinShares(h, betaS, shares, c);
  let hMin = Infinity;
  for (let q = 0; q < k; q++) if (q !== c && h[q] < hMin) hMin = h[q];
  const fs = options.evidence === 'soft' ? softMin(h, betaS, c) : hMin;
  const probability = assignmentProbability(h, betaS, c, hMin);

  // Denominators and the reference rule's shifts, scale-free ratios a_k = R_k / den_k.
  const a = new Float64Array(k);
  const shift = new Float64Array(k);
  let dist2 = 0;
  if (rs) for (let j = 0; j < d; j++) dist2 += (xs[j] - rs[j]) * (xs[j] - rs[j]);
  // Reference rule, pooling along the root segment (referencePath.ts): a_k = ∫ π_k dα is
  // scale-free (α is), R_k = a_k Δ_k.
  let pathed = false;
  const deltas = new Float64Array(k);
  if (rs && options.pooling !== 'min-takes-most') {
    const weightNorm = new Float64Array(k);
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      let delta = 0;
      let w2 = 0;
      for (let j = 0; j < d; j++) {
        const w = 2 * (ms[cOff + j] - ms[q * d + j]);
        delta += w * (xs[j] - rs[j]);
        w2 += w * w;
      }
      deltas[q] = delta;
      weightNorm[q] = Math.sqrt(w2);
    }
    pathed = pathPoolWeights(h, deltas, c, fs, options.evidence === 'soft', betaS, a, createPathScratch(k), weightNorm, 0, Math.sqrt(dist2)) >= 0;
    if (pathed) a[c] = 0;
  }
  for (let q = 0; q < k; q++) {
    if (pathed || q === c || shares[q] === 0) continue;
    // Guards relative to the neuron's own scale ‖w‖ ‖x − root‖ (the centroids may be tiny next
    // to x in this space, so an absolute ε would swamp h).
    let delta = 0;
    let w2 = 0;
    let toMid = 0;
    for (let j = 0; j < d; j++) {
      const w = 2 * (ms[cOff + j] - ms[q * d + j]);
      w2 += w * w;
      if (rs) delta += w * (xs[j] - rs[j]);
      else {
        const m = xs[j] - 0.5 * (ms[cOff + j] + ms[q * d + j]);
        toMid += m * m;
      }
    }
    let den: number;
    if (rs) {
      den = referenceDenominator(delta, h[q] >= 0, w2, dist2, pairFloor(w2));
      shift[q] = referenceShift(den, delta, w2);
    } else den = guard(h[q], Math.max(1e-12 * Math.sqrt(w2) * Math.sqrt(toMid), Number.MIN_VALUE));
    a[q] = (fs * shares[q]) / den;
  }

  // Per column, in its own scale σ_j: T''_kj = w''_kj (x''_j − root''_kj).
  const f = fs * S * S;
  const rule = options.rule;
  const beyondFeatures: number[] = [];
  for (let j = 0; j < d; j++) {
    let col = Math.abs(x[j]);
    for (let q = 0; q < k; q++) col = Math.max(col, Math.abs(mu[q * d + j]));
    if (reference) col = Math.max(col, Math.abs(reference[j]));
    const sj = powerOfTwoBelow(col);
    const xj = x[j] / sj;
    const mc = mu[cOff + j] / sj;
    const rj = reference ? reference[j] / sj : 0;
    let sum = 0;
    let cf = 0;
    for (let q = 0; q < k; q++) {
      const aq = a[q];
      if (aq === 0) continue;
      const mq = mu[q * d + j] / sj;
      const w = 2 * (mc - mq);
      let t: number;
      if (rule === 'midpoint') t = (mc - mq) * (2 * xj - mc - mq);
      else if (rule === 'reference') t = w * (xj - rj + shift[q] * w);
      else t = w * xj;
      sum += aq * t;
      cf += aq * w;
      if (perCompetitor) perCompetitor[q * d + j] = aq * t * sj * sj;
    }
    const r = sum * sj * sj;
    relevance[j] = r;
    coef[j] = cf * sj;
    offset[j] = coef[j] * x[j] - r;
    if (!Number.isFinite(r)) beyondFeatures.push(j);
  }
  for (let q = 0; q < k; q++) competitorShares[q] = q === c ? 0 : (pathed ? a[q] * deltas[q] : fs * shares[q]) * S * S;

  if (!Number.isFinite(f)) {
    // The evidence itself is beyond float64: name the features that carry it.
    const named = beyondFeatures.length > 0 ? beyondFeatures : largestFeatures(relevance, f);
    relevance.fill(NaN);
    competitorShares.fill(NaN);
    perCompetitor?.fill(NaN);
    return { cluster: c, evidence: NaN, probability, beyond: { evidence: true, features: named } };
  }
  if (beyondFeatures.length > 0) {
    for (const j of beyondFeatures) relevance[j] = NaN;
    return { cluster: c, evidence: f, probability, beyond: { evidence: false, features: beyondFeatures } };
  }
  return { cluster: c, evidence: f, probability };
}

/**
 * Nearest centroid (lowest index on ties) by pairwise differences of squared distances,
 * ‖x − μ_q‖² − ‖x − μ_b‖² = Σ_j (μ_bj − μ_qj)(2x_j − μ_bj − μ_qj): unlike the distances
 * themselves, this does not lose a difference of 4e-200 against a distance of 1.
 */
export function nearestInScaledSpace(xs: ArrayLike<number>, ms: ArrayLike<number>, k: number, d: number): number {
  let best = 0;
  for (let q = 1; q < k; q++) {
    let diff = 0;
    for (let j = 0; j < d; j++) {
      const b = ms[best * d + j];
      const m = ms[q * d + j];
      diff += (b - m) * (2 * xs[j] - b - m);
    }
    if (diff < 0) best = q;
  }
  return best;
}

/** Features whose relevance is within a factor D of overflowing (they make the sum overflow). */
function largestFeatures(relevance: Float64Array, f: number): number[] {
  const out: number[] = [];
  const limit = MAX / Math.max(1, relevance.length);
  for (let j = 0; j < relevance.length; j++) if (Math.abs(relevance[j]) >= limit || (Math.sign(relevance[j]) === Math.sign(f) && Math.abs(relevance[j]) >= limit / 2)) out.push(j);
  if (out.length > 0) return out;
  let best = 0;
  for (let j = 1; j < relevance.length; j++) if (Math.abs(relevance[j]) > Math.abs(relevance[best])) best = j;
  return relevance.length > 0 ? [best] : [];
}

/** p(c|x) = 1 / (1 + Σ_{k≠c} exp(−β h_k)), also for β = ∞ (hard assignment, ties shared). */
export function assignmentProbability(h: Float64Array, beta: number, c: number, hMin: number): number {
  if (!Number.isFinite(beta)) {
    if (hMin > 0) return 1;
    if (hMin < 0) return 0;
    let ties = 0;
    for (let q = 0; q < h.length; q++) if (q !== c && h[q] === 0) ties++;
    return 1 / (1 + ties);
  }
  let tail = 0;
  for (let q = 0; q < h.length; q++) if (q !== c) tail += Math.exp(-beta * (h[q] - hMin));
  const total = Math.exp(-beta * hMin) * tail;
  return Number.isFinite(total) ? 1 / (1 + total) : 0;
}
