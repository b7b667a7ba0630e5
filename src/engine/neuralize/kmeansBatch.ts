/**
 * NEON for standard k-means over many rows at once: the same network and rules as
 * `neuralizeKMeans` (neon-method.md, "Standard k-means"), organised so that explaining a row
 * costs little more than assigning it, with no allocation per row.
 *
 * Why a separate path: `NeuralizedModel.explain` serves one point and returns fresh arrays
 * (attribution, shares) that the item view needs; for the whole dataset those allocations and
 * a separate assignment pass cost an order of magnitude more than the arithmetic.
 *
 * Per pair of rows:
 *  1. Forward pass = the assignment pass: the squared distances d_k = ||x − μ_k||² with two rows
 *     x four centroids per sweep (k-means' own blocking). The layer-1 activations are their
 *     differences, h_k = d_k − d_c (= w_kᵀx + b_k, exactly, without the cancellation of the
 *     dot-product form). The squares forms keep each term (x_i − μ_ki)² in an L1-sized scratch.
 *  2. Pool: min-takes-most shares exp(−β(h_k − h_min)) / Z, evidence f (hard or soft),
 *     probability 1 / (1 + Σ exp(−β h_k)). Competitors whose share is below 1e-15 are skipped:
 *     their terms are below rounding.
 *  3. First layer: a rule is two pluggable pieces (`BatchRule`): the denominator that turns a
 *     competitor's relevance R_k into its weight a_k = R_k / denominator_k, and the form that
 *     spreads the weights over the inputs:
 *      - 'squares':  R_i = Σ_k a_k [(x_i − μ_ki)² − (x_i − μ_ci)²]. For the midpoint rule this
 *        is w_ki (x_i − m_ki) with w_k = 2(μ_c − μ_k), m_k = (μ_c + μ_k)/2, expanded: one
 *        multiply-add per active centroid entry, reading the squares of step 1.
 *      - 'linear':   R_i = s_i(x) · Σ_k a_k (μ_ci − μ_ki) = s_i(x) (A μ_ci − u_i), u = Σ_k a_k μ_k,
 *        with a per-feature factor s(x): 2x for the z-rule; 2(x − r) for a root point on the
 *        segment from x to a reference r (denominator h_k(x) − h_k(r)).
 *     A new first-layer rule is a new `BatchRule`; the passes above do not change. The
     reference rule (neuralize/rootPoint.ts) is plugged in from batchRoots.ts.
 *  4. Numerical range: a row whose result is not finite, or whose relevances do not add up to
 *     its evidence to 1e-10 (numbers whose squares overflow; a reference-rule guard that moved
 *     the root, whose extra term the linear form leaves out), is recomputed exactly in the
 *     rescaled space of kmeansScaled.ts; `status[i]` says whether part of it is beyond float64
 *     (those values are NaN; the per-point network names the features).
 */
import { OptionError } from '../errors';
import type { KMeansModel, Matrix, NeonOptions } from '../types';
import { referenceBatchRule } from './batchRoots';
import { explainKMeansRowScaled } from './kmeansScaled';

/** `BatchExplanation.status` values. */
export const ROW_EXACT = 0;
/** Part of the row's explanation (the evidence, or some relevances) is beyond float64: NaN. */
export const ROW_BEYOND_RANGE = 1;

export interface BatchExplanation {
  readonly cluster: Int32Array;      // N
  readonly evidence: Float64Array;   // N
  readonly probability: Float64Array; // N
  /** N x D relevance, row-major; omit it to receive rows through `onRow` instead. */
  readonly relevance?: Float64Array;
  /** N: ROW_EXACT, or ROW_BEYOND_RANGE when part of the row is beyond float64 (NaN values). */
  readonly status?: Uint8Array;
}

/** A first-layer LRP rule as the batch path needs it (see the module comment, step 3). */
export interface BatchRule {
  readonly form: 'squares' | 'linear';
  /**
   * Denominator of competitor q's weight a_q = R_q / denominator for the row being explained,
   * given its assigned cluster c and layer-1 activation h_q (before the ε guard). Absent: h_q
   * itself (midpoint and z-rule), without a call per competitor.
   */
  denominator?(c: number, q: number, h: number): number;
  /** 'linear' form: the per-feature factor s(x) of the row at offset `xo` of `data`, into `out` (D). */
  factor?(data: Float64Array, xo: number, out: Float64Array): void;
  /**
   * 'linear' form: how far the rule's guard moved competitor q's root along w_q = 2(μ_c − μ_q)
   * for the final denominator `den` (0 when it did not). The relevance then carries the extra
   * term a_q t_q w_q² (rootPoint.ts), added here in one sweep per moved competitor, so the row
   * stays exact without the rescaled fallback. Absent: roots are never moved.
   */
  shift?(c: number, q: number, h: number, den: number): number;
  /**
   * Pooling along the root segment (referencePath.ts): the weights a_q of every competitor
   * (index c and competitors without weight: 0) from the row's layer-1 activations h (h[c] is
   * not read) and evidence f, replacing the min-takes-most shares and `denominator`. Returns
   * false when the row has no root on its path; the shares are used then.
   */
  poolWeights?(c: number, h: Float64Array, f: number, weights: Float64Array): boolean;
  /** Called once per row before its denominators (e.g. the reference rule's ‖x − r‖²). */
  startRow?(data: Float64Array, xo: number): void;
  /** Whether Σ R = f holds under this rule (false for the z-rule): rows that miss it are recomputed. */
  readonly conservative?: boolean;
}

/** The midpoint (root point) rule: exactly conservative. */
const MIDPOINT: BatchRule = { form: 'squares', conservative: true };

/** The paper's z-rule (eq. 10): leaks the bias share. */
const Z_RULE: BatchRule = {
  form: 'linear',
  conservative: false,
  factor(data, xo, out) {
    for (let j = 0; j < out.length; j++) out[j] = 2 * data[xo + j];
  },
};

/** The batch form of the rule named in the NEON options (the reference rule needs the model). */
export function batchRule(options: NeonOptions, model?: KMeansModel): BatchRule {
  switch (options.rule) {
    case 'midpoint':
      return MIDPOINT;
    case 'z':
      return Z_RULE;
    case 'reference':
      if (model && options.reference) return referenceBatchRule(model, options.reference, options);
      throw new OptionError('NEON k-means batch: the reference rule needs the model and a reference point');
    default:
      throw new OptionError(`NEON k-means batch: no batch form for the rule '${String(options.rule)}'`);
  }
}

/**
 * Explains rows [start, end) of X (N x D, row-major) under the k-means model (K x D
 * centroids). When `onRow` is given it receives each row's relevance (length D) in a reused
 * scratch buffer (valid only during the call), e.g. to sum it per column without keeping
 * N x D numbers. Throws OptionError when X's width is not the model's.
 */
export function explainKMeansRows(
  model: KMeansModel,
  options: NeonOptions,
  X: Matrix,
  out: BatchExplanation,
  start = 0,
  end = X.rows,
  onRow?: (row: number, relevance: Float64Array) => void,
  rule: BatchRule = batchRule(options, model),
): void {
  const { k, dim, centroids: mu } = model;
  if (X.cols !== dim) throw new OptionError(`NEON k-means: data has ${X.cols} features, the model expects ${dim}`);
  const data = X.data;
  let scale = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += mu[c * dim + j] * mu[c * dim + j];
    if (s > scale) scale = s;
  }
  const eps = 1e-12 * (1 + scale);
  const beta = options.beta;
  const soft = options.evidence === 'soft';
  const squares = rule.form === 'squares';
  const kd = k * dim;
  // Row pair scratch: distances at [0, k) and [k, 2k); squares at [0, kd) and [kd, 2kd).
  const dist = new Float64Array(2 * k);
  const sq = new Float64Array(squares ? 2 * kd : 0);
  const h = new Float64Array(k);
  const ex = new Float64Array(k);
  // + 1 for the assigned cluster, + 3 for padding to a block of four.
  const active = new Int32Array(k + 4);
  const weight = new Float64Array(k + 4);
  const row = new Float64Array(dim);
  const u = new Float64Array(dim);
  const factor = new Float64Array(squares ? 0 : dim);
  // Competitors whose root the rule's guard moved (linear form), and a_q t_q for each.
  const movedWhich = new Int32Array(k);
  const movedWeight = new Float64Array(k);
  const pooled = new Float64Array(k);
  const conservative = rule.conservative !== false;
  // Scratch of the rescaled path (rows it must recompute).
  const scaledOut = { relevance: row, competitorShares: new Float64Array(k), coef: new Float64Array(dim), offset: new Float64Array(dim) };

  for (let i = start; i < end; i += 2) {
    const pair = i + 1 < end;
    const xa = i * dim;
    const xb = pair ? xa + dim : xa;
    let q = 0;
    for (; q + 4 <= k; q += 4) {
      const o0 = q * dim;
      const o1 = o0 + dim;
      const o2 = o1 + dim;
      const o3 = o2 + dim;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let e0 = 0;
      let e1 = 0;
      let e2 = 0;
      let e3 = 0;
      if (squares) {
        // The squares are kept for the first layer; row b's at kd + the same offset.
        for (let j = 0; j < dim; j++) {
          const x = data[xa + j];
          const y = data[xb + j];
          const m0 = mu[o0 + j];
          const m1 = mu[o1 + j];
          const m2 = mu[o2 + j];
          const m3 = mu[o3 + j];
          let t = x - m0;
          let s = t * t;
          sq[o0 + j] = s;
          a0 += s;
          t = x - m1;
          s = t * t;
          sq[o1 + j] = s;
          a1 += s;
          t = x - m2;
          s = t * t;
          sq[o2 + j] = s;
          a2 += s;
          t = x - m3;
          s = t * t;
          sq[o3 + j] = s;
          a3 += s;
          t = y - m0;
          s = t * t;
          sq[kd + o0 + j] = s;
          e0 += s;
          t = y - m1;
          s = t * t;
          sq[kd + o1 + j] = s;
          e1 += s;
          t = y - m2;
          s = t * t;
          sq[kd + o2 + j] = s;
          e2 += s;
          t = y - m3;
          s = t * t;
          sq[kd + o3 + j] = s;
          e3 += s;
        }
      } else {
        for (let j = 0; j < dim; j++) {
          const x = data[xa + j];
          const y = data[xb + j];
          const m0 = mu[o0 + j];
          const m1 = mu[o1 + j];
          const m2 = mu[o2 + j];
          const m3 = mu[o3 + j];
          let t = x - m0;
          a0 += t * t;
          t = x - m1;
          a1 += t * t;
          t = x - m2;
          a2 += t * t;
          t = x - m3;
          a3 += t * t;
          t = y - m0;
          e0 += t * t;
          t = y - m1;
          e1 += t * t;
          t = y - m2;
          e2 += t * t;
          t = y - m3;
          e3 += t * t;
        }
      }
      dist[q] = a0;
      dist[q + 1] = a1;
      dist[q + 2] = a2;
      dist[q + 3] = a3;
      dist[k + q] = e0;
      dist[k + q + 1] = e1;
      dist[k + q + 2] = e2;
      dist[k + q + 3] = e3;
    }
    for (; q < k; q++) {
      const qo = q * dim;
      let a = 0;
      let e = 0;
      for (let j = 0; j < dim; j++) {
        const m = mu[qo + j];
        let t = data[xa + j] - m;
        let s = t * t;
        a += s;
        if (squares) sq[qo + j] = s;
        t = data[xb + j] - m;
        s = t * t;
        e += s;
        if (squares) sq[kd + qo + j] = s;
      }
      dist[q] = a;
      dist[k + q] = e;
    }
    // Assignment, evidence, probability and relevance of each row of the pair from its
    // distances (inline, not a closure: every variable stays a local of this one function).
    for (let slot = 0; slot < (pair ? 2 : 1); slot++) {
    const r = i + slot;
    const xo = r * dim;
    const at = slot * k;
    let c = 0;
    let bestD = Infinity;
    for (q = 0; q < k; q++) {
      const dq = dist[at + q];
      if (dq < bestD) {
        bestD = dq;
        c = q;
      }
    }
    out.cluster[r] = c;
    if (out.status) out.status[r] = ROW_EXACT;
    if (k === 1) {
      out.evidence[r] = 0;
      out.probability[r] = 1;
      row.fill(0);
      out.relevance?.set(row, xo);
      onRow?.(r, row);
      continue;
    }
    // h_k = d_k − d_c; hMin is the hard margin.
    let hMin = Infinity;
    for (q = 0; q < k; q++) {
      if (q === c) continue;
      const hq = dist[at + q] - bestD;
      h[q] = hq;
      if (hq < hMin) hMin = hq;
    }
    // Min-takes-most shares exp(−β(h_k − hMin)) / Z, Z ≥ 1; p(c|x) = 1 / (1 + Σ exp(−β h_k)).
    // Weights below e^-40 of the largest are dropped without calling exp: their relevance
    // terms are far below rounding (the share cut-off below is 1e-15).
    let z = 0;
    for (q = 0; q < k; q++) {
      if (q === c) continue;
      const arg = beta * (h[q] - hMin);
      const e = arg > 40 ? 0 : expNeg(arg);
      ex[q] = e;
      z += e;
    }
    const f = soft ? hMin - Math.log(z) / beta : hMin;
    out.evidence[r] = f;
    const tail = Math.exp(-beta * hMin) * z;
    out.probability[r] = Number.isFinite(tail) ? 1 / (1 + tail) : 0;
    // a_k = R_k / denominator_k with R_k = f · share_k; keep the non-negligible ones. The
    // assigned cluster joins the list with weight −A (A = Σ a_k), padded to a multiple of four.
    let nActive = 1;
    let total = 0;
    const cut = 1e-15 * z;
    const fz = f / z;
    const denominator = rule.denominator;
    const shift = rule.shift;
    let nMoved = 0;
    rule.startRow?.(data, xo);
    const pathed = rule.poolWeights ? rule.poolWeights(c, h, f, pooled) : false;
    if (pathed) {
      for (q = 0; q < k; q++) {
        const ak = pooled[q];
        if (q === c || ak === 0) continue;
        active[nActive] = q;
        weight[nActive++] = ak;
        total += ak;
      }
    }
    for (q = 0; q < k; q++) {
      if (pathed || q === c || ex[q] < cut) continue;
      // The ε guard (neuralize/kmeans.ts `guard`): a point on a boundary cannot blow R up.
      let den = denominator ? denominator(c, q, h[q]) : h[q];
      if (den >= 0) den = den < eps ? eps : den;
      else den = den > -eps ? -eps : den;
      const ak = (fz * ex[q]) / den;
      if (shift) {
        const t = shift(c, q, h[q], den);
        if (t !== 0) {
          movedWhich[nMoved] = q;
          movedWeight[nMoved++] = ak * t;
        }
      }
      active[nActive] = q;
      weight[nActive++] = ak;
      total += ak;
    }
    active[0] = c;
    weight[0] = -total;
    while (nActive % 4 !== 0) {
      weight[nActive] = 0;
      active[nActive++] = c;
    }
    if (squares) {
      // R_i = Σ_t weight_t (x_i − μ_{active_t, i})², four centroids per sweep.
      const base = slot * kd;
      {
        const w0 = weight[0];
        const w1 = weight[1];
        const w2 = weight[2];
        const w3 = weight[3];
        const o0 = base + active[0] * dim;
        const o1 = base + active[1] * dim;
        const o2 = base + active[2] * dim;
        const o3 = base + active[3] * dim;
        for (let j = 0; j < dim; j++) row[j] = w0 * sq[o0 + j] + w1 * sq[o1 + j] + w2 * sq[o2 + j] + w3 * sq[o3 + j];
      }
      for (let t = 4; t < nActive; t += 4) {
        const w0 = weight[t];
        const w1 = weight[t + 1];
        const w2 = weight[t + 2];
        const w3 = weight[t + 3];
        const o0 = base + active[t] * dim;
        const o1 = base + active[t + 1] * dim;
        const o2 = base + active[t + 2] * dim;
        const o3 = base + active[t + 3] * dim;
        for (let j = 0; j < dim; j++) row[j] += w0 * sq[o0 + j] + w1 * sq[o1 + j] + w2 * sq[o2 + j] + w3 * sq[o3 + j];
      }
    } else {
      // R_i = s_i(x) · (A μ_ci − u_i) = −s_i(x) · Σ_t weight_t μ_{active_t, i}.
      u.fill(0);
      for (let t = 0; t < nActive; t += 4) {
        const w0 = weight[t];
        const w1 = weight[t + 1];
        const w2 = weight[t + 2];
        const w3 = weight[t + 3];
        const o0 = active[t] * dim;
        const o1 = active[t + 1] * dim;
        const o2 = active[t + 2] * dim;
        const o3 = active[t + 3] * dim;
        for (let j = 0; j < dim; j++) u[j] += w0 * mu[o0 + j] + w1 * mu[o1 + j] + w2 * mu[o2 + j] + w3 * mu[o3 + j];
      }
      (rule.factor as NonNullable<BatchRule['factor']>)(data, xo, factor);
      for (let j = 0; j < dim; j++) row[j] = -factor[j] * u[j];
      // Moved roots: + a_q t_q w_q², w_q = 2(μ_c − μ_q).
      const co = c * dim;
      for (let m = 0; m < nMoved; m++) {
        const g = 4 * movedWeight[m];
        const qo = movedWhich[m] * dim;
        for (let j = 0; j < dim; j++) {
          const e = mu[co + j] - mu[qo + j];
          row[j] += g * e * e;
        }
      }
    }
    if (!exactRow(row, f, conservative)) {
      // Step 4: the row again, exactly, in the rescaled space (its cluster included).
      const e = explainKMeansRowScaled(model, options, data.subarray(xo, xo + dim), scaledOut);
      out.cluster[r] = e.cluster;
      out.evidence[r] = e.evidence;
      out.probability[r] = e.probability;
      if (out.status) out.status[r] = e.beyond ? ROW_BEYOND_RANGE : ROW_EXACT;
    }
    out.relevance?.set(row, xo);
    onRow?.(r, row);
    }
  }
}

/** Finite, and (conservative rules) Σ R within 1e-10 of the evidence, as `isExact` in kmeans.ts. */
function exactRow(row: Float64Array, f: number, conservative: boolean): boolean {
  if (!Number.isFinite(f)) return false;
  let sum = 0;
  let abs = 0;
  for (let j = 0; j < row.length; j++) {
    sum += row[j];
    abs += Math.abs(row[j]);
  }
  if (!Number.isFinite(abs)) return false;
  return !conservative || Math.abs(sum - f) <= 1e-10 * (abs + Math.abs(f)) + Number.MIN_VALUE;
}

/** 2^−m for m = 0 … 63 (exact) and 2^−j/32 for j = 0 … 31 (correctly rounded by `**`). */
const POW2_NEG = Float64Array.from({ length: 64 }, (_, m) => 2 ** -m);
const POW2_NEG_32TH = Float64Array.from({ length: 32 }, (_, j) => 2 ** (-j / 32));
/** ln 2 / 32 split as fdlibm splits ln 2 (Cody–Waite): n · LN2_32_HI is exact for n < 2^11. */
const LN2_32_HI = 6.9314718036912381649e-1 / 32;
const LN2_32_LO = 1.9082149292705877e-10 / 32;
const INV_LN2_32 = 32 / Math.LN2;
/** Taylor coefficients 1/3!, 1/4!, 1/5!, 1/6! (products, not divisions, in the hot path). */
const C3 = 1 / 6;
const C4 = 1 / 24;
const C5 = 1 / 120;
const C6 = 1 / 720;

/**
 * e^−a for 0 ≤ a ≤ 40, within a few ulp of Math.exp and cheaper on the pool's K − 1 calls per
 * row (Math.exp is a call into C from optimised code; this is short inline arithmetic with
 * independent products). Range reduction a = (32m + j) ln 2 / 32 + r with |r| ≤ ln 2 / 64,
 * e^−r by its Taylor series to degree 6 (truncation below 4e-18, Estrin's scheme), times
 * 2^−j/32 and 2^−m from tables.
 */
export function expNeg(a: number): number {
  const n = (a * INV_LN2_32 + 0.5) | 0; // round half up; a ≥ 0
  const r = a - n * LN2_32_HI - n * LN2_32_LO;
  const r2 = r * r;
  const p = 1 - r + r2 * (0.5 - r * C3 + r2 * (C4 - r * C5 + r2 * C6));
  return p * POW2_NEG_32TH[n & 31] * POW2_NEG[n >> 5];
}
