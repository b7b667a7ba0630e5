/**
 * NEON for standard k-means over many rows at once: the same network and rules as
 * `neuralizeKMeans` (neon-method.md, "Standard k-means"), organised so that explaining a row
 * costs little more than assigning it, with no allocation per row. Three steps per row, each
 * also available on its own so the WebAssembly path (wasm/explainKernels.ts) runs steps 1 and 3
 * and step 2 with the same operations (wasm/poolKernel.ts), handing back to `RowPooling` the rows
 * it does not pool:
 *
 *  1. Forward pass = the assignment pass: the squared distances d_k = ||x − μ_k||² in the
 *     canonical order of the SIMD kernels (wasm/simdKernels.ts `canonicalDist2`: even and
 *     odd features in two sums), so both paths see the same bits. The layer-1 activations are their
 *     differences, h_k = d_k − d_c (= w_kᵀx + b_k, exactly, without the cancellation of the
 *     dot-product form).
 *  2. Pool (`RowPooling`): min-takes-most shares exp(−β(h_k − h_min)) / Z, evidence f (hard or
 *     soft), probability 1 / (1 + Σ exp(−β h_k)); each competitor's weight a_k = R_k / denominator_k
 *     (the rule's denominator; R_k = f · share_k), or the reference rule's path weights.
 *     Competitors whose share is below 1e-15 are skipped: their terms are below rounding.
 *  3. First layer, with δ_k = μ_c − μ_k (neon-method.md, "Propagation"): every rule here is
 *        R_i = 2 (x_i − b_i) U_i + V_i,   U = Σ_k a_k δ_k,   V = Σ_k v_k δ_k²
 *     (a small sparse GEMM over the active competitors), with
 *      - midpoint ('squares' form): b = μ_c, v_k = a_k — since
 *        (x_i − μ_ki)² − (x_i − μ_ci)² = 2 (x_i − μ_ci) δ_ki + δ_ki², i.e. w_ki (x_i − m_ki);
 *      - 'linear' form: b = the rule's `base` (the reference r; the origin for the z-rule),
 *        v_k = 4 a_k t_k for a root the rule's guard moved by t_k along w_k = 2 δ_k
 *        (rootPoint.ts: the extra term a_k t_k w_k²), else 0.
 *     Centred on μ_c (or r), no large terms cancel; the sum over i is f exactly up to rounding.
 *  4. Numerical range: a row whose result is not finite, or whose relevances do not add up to
 *     its evidence to 1e-10 (numbers whose squares overflow), is recomputed exactly in the
 *     rescaled space of kmeansScaled.ts; `status[i]` says whether part of it is beyond float64
 *     (those values are NaN; the per-point network names the features).
 */
import { OptionError } from '../errors';
import { canonicalDist2 } from '../wasm/simdKernels';
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
  /** 'squares': the midpoint rule (b = μ_c, v_k = a_k); 'linear': b = `base`, v_k from `shift`. */
  readonly form: 'squares' | 'linear';
  /** 'linear' form: the point b of the factor s(x) = 2(x − b) (length D); absent: the origin. */
  readonly base?: Float64Array;
  /**
   * Denominator of competitor q's weight a_q = R_q / denominator for the row being explained,
   * given its assigned cluster c and layer-1 activation h_q (before the ε guard). Absent: h_q
   * itself (midpoint and z-rule), without a call per competitor.
   */
  denominator?(c: number, q: number, h: number): number;
  /**
   * 'linear' form: how far the rule's guard moved competitor q's root along w_q = 2(μ_c − μ_q)
   * for the final denominator `den` (0 when it did not). The relevance then carries the extra
   * term a_q t_q w_q² (rootPoint.ts), as v_q = 4 a_q t_q, so the row stays exact without the
   * rescaled fallback. Absent: roots are never moved.
   */
  shift?(c: number, q: number, h: number, den: number): number;
  /**
   * Pooling along the root segment (referencePath.ts): the weights a_q of every competitor
   * (index c and competitors without weight: 0) from the row's layer-1 activations h (h[c] is
   * not read) and evidence f, replacing the min-takes-most shares and `denominator`. Returns
   * false when the row has no root on its path; the shares are used then.
   */
  poolWeights?(c: number, h: Float64Array, f: number, weights: Float64Array): boolean;
  /**
   * Called once per row before its denominators with ‖x − base‖² (canonical order, as the
   * distances: the SIMD path gets it from its distance kernel with the base as centroid K).
   */
  startRow?(baseDistance2: number): void;
  /**
   * The reference rule's numbers, for kernels that pool a row without calling back
   * (wasm/poolKernel.ts): ‖r − μ_q‖² (K), ‖w_cq‖² and ‖w_cq‖ (K × K, row c; w_cq = 2(μ_c − μ_q)),
   * and whether competitors are pooled along the root segment (`poolWeights`).
   */
  readonly referenceTables?: { readonly refDist: Float64Array; readonly weightNorm2: Float64Array; readonly weightLength: Float64Array; readonly path: boolean };
  /** Whether Σ R = f holds under this rule (false for the z-rule): rows that miss it are recomputed. */
  readonly conservative?: boolean;
}

/** The midpoint (root point) rule: exactly conservative. */
const MIDPOINT: BatchRule = { form: 'squares', conservative: true };

/** The paper's z-rule (eq. 10): leaks the bias share. Factor 2x: base the origin. */
const Z_RULE: BatchRule = { form: 'linear', conservative: false };

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
 * Step 2 for one row at a time, from its K squared distances: assigned cluster, evidence,
 * probability and the active competitors' weights (`count` entries: `which[e]`, `a[e]`, `v[e]`
 * of the module comment's step 3). One instance per model, options and rule; reused per row.
 */
export class RowPooling {
  cluster = 0;
  evidence = 0;
  probability = 0;
  /** Active competitors of the last row, in increasing index order. */
  count = 0;
  /** Where rows' entries go (`into` redirects them, e.g. to a kernel's lists). */
  which: Int32Array;
  a: Float64Array;
  v: Float64Array;
  private readonly k: number;
  /** The ε guard of the denominators (1e-12 · (1 + max_k ‖μ_k‖²)). */
  readonly eps: number;
  private readonly beta: number;
  private readonly soft: boolean;
  private readonly squares: boolean;
  private readonly h: Float64Array;
  private readonly ex: Float64Array;
  private readonly pooled: Float64Array;

  constructor(
    model: KMeansModel,
    options: NeonOptions,
    readonly rule: BatchRule,
  ) {
    const { k, dim, centroids: mu } = model;
    let scale = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += mu[c * dim + j] * mu[c * dim + j];
      if (s > scale) scale = s;
    }
    this.k = k;
    this.eps = 1e-12 * (1 + scale);
    this.beta = options.beta;
    this.soft = options.evidence === 'soft';
    this.squares = rule.form === 'squares';
    this.which = new Int32Array(k);
    this.a = new Float64Array(k);
    this.v = new Float64Array(k);
    this.h = new Float64Array(k);
    this.ex = new Float64Array(k);
    this.pooled = new Float64Array(k);
  }

  /** Entries are written to these arrays from now on (each at least `e0` + K long for `row`). */
  into(which: Int32Array, a: Float64Array, v: Float64Array): void {
    this.which = which;
    this.a = a;
    this.v = v;
  }

  /**
   * The row whose squared distances to the centroids are dist[at … at + K), and, for a rule
   * with `startRow`, whose ‖x − base‖² is dist[at + K]. Its `count` entries are written from
   * index `e0` on.
   */
  row(dist: Float64Array, at: number, e0 = 0): void {
    const { k, h, ex } = this;
    let c = 0;
    let bestD = Infinity;
    for (let q = 0; q < k; q++) {
      const dq = dist[at + q];
      if (dq < bestD) {
        bestD = dq;
        c = q;
      }
    }
    // h_k = d_k − d_c; hMin is the hard margin.
    let hMin = Infinity;
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      const hq = dist[at + q] - bestD;
      h[q] = hq;
      if (hq < hMin) hMin = hq;
    }
    // Min-takes-most shares exp(−β(h_k − hMin)) / Z, Z ≥ 1; p(c|x) = 1 / (1 + Σ exp(−β h_k)).
    // Weights below e^-40 of the largest are dropped without calling exp: their relevance
    // terms are far below rounding (the share cut-off below is 1e-15).
    const beta = this.beta;
    let z = 0;
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      const arg = beta * (h[q] - hMin);
      const e = arg > 40 ? 0 : expNeg(arg);
      ex[q] = e;
      z += e;
    }
    this.finish(c, hMin, z, h, ex, 0, dist[at + k], e0);
  }

  /**
   * The row as `row` would see it, from a kernel that did the first part (wasm/explainKernels.ts
   * `prepare`, the same bits): cluster c, hMin, z, and h, shares at h[ho … ho + K), ex[ho … ho + K)
   * (read in place).
   */
  prepared(c: number, hMin: number, z: number, h: Float64Array, ex: Float64Array, ho: number, baseDistance2: number, e0: number): void {
    this.finish(c, hMin, z, h, ex, ho, baseDistance2, e0);
  }

  /**
   * Evidence, probability and weights from the row's cluster c, hMin, and h, shares ex at
   * [ho, ho + K) of `h`, `ex` with their sum z.
   */
  private finish(c: number, hMin: number, z: number, h: Float64Array, ex: Float64Array, ho: number, baseDistance2: number, e0: number): void {
    const { k, rule, which, a, v, beta } = this;
    this.cluster = c;
    this.count = 0;
    if (k === 1) {
      this.evidence = 0;
      this.probability = 1;
      return;
    }
    const f = this.soft ? hMin - Math.log(z) / beta : hMin;
    this.evidence = f;
    const tail = Math.exp(-beta * hMin) * z;
    this.probability = Number.isFinite(tail) ? 1 / (1 + tail) : 0;
    let n = e0;
    rule.startRow?.(baseDistance2);
    // The path pooling takes the row's h as its own K-array.
    const own = this.h;
    if (rule.poolWeights && h !== own) for (let q = 0; q < k; q++) own[q] = h[ho + q];
    if (rule.poolWeights && rule.poolWeights(c, own, f, this.pooled)) {
      const pooled = this.pooled;
      for (let q = 0; q < k; q++) {
        const ak = pooled[q];
        if (q === c || ak === 0) continue;
        which[n] = q;
        a[n] = ak;
        v[n++] = 0;
      }
      this.count = n - e0;
      return;
    }
    // a_k = R_k / denominator_k with R_k = f · share_k; keep the non-negligible ones.
    const cut = 1e-15 * z;
    const fz = f / z;
    const { denominator, shift } = rule;
    const eps = this.eps;
    const squares = this.squares;
    for (let q = 0; q < k; q++) {
      const eq = ex[ho + q];
      if (q === c || eq < cut) continue;
      const hq = h[ho + q];
      // The ε guard (neuralize/kmeans.ts `guard`): a point on a boundary cannot blow R up.
      let den = denominator ? denominator(c, q, hq) : hq;
      if (den >= 0) den = den < eps ? eps : den;
      else den = den > -eps ? -eps : den;
      const ak = (fz * eq) / den;
      which[n] = q;
      a[n] = ak;
      // Midpoint: v = a (the δ² term); a moved root: + a t w² = 4 a t δ².
      v[n++] = squares ? ak : shift ? 4 * ak * shift(c, q, hq, den) : 0;
    }
    this.count = n - e0;
  }
}

/**
 * Step 3 for one row (module comment): R_i = 2 (x_i − b_i) U_i + V_i into `out` (length D),
 * with `u`, `w` scratch of length D. The same operations in the same order per feature as the
 * WebAssembly kernel (wasm/explainKernels.ts `relevance`), so both give the same bits.
 */
export function rowRelevance(mu: Float64Array, dim: number, data: Float64Array, xo: number, base: Float64Array, bo: number, p: RowPooling, u: Float64Array, w: Float64Array, out: Float64Array): void {
  const co = p.cluster * dim;
  u.fill(0);
  w.fill(0);
  const { which, a, v } = p;
  for (let e = 0; e < p.count; e++) {
    const qo = which[e] * dim;
    const ae = a[e];
    const ve = v[e];
    if (ve !== 0) {
      for (let j = 0; j < dim; j++) {
        const t = mu[co + j] - mu[qo + j];
        u[j] += ae * t;
        w[j] += ve * (t * t);
      }
    } else {
      for (let j = 0; j < dim; j++) u[j] += ae * (mu[co + j] - mu[qo + j]);
    }
  }
  for (let j = 0; j < dim; j++) out[j] = (data[xo + j] - base[bo + j]) * u[j] * 2 + w[j];
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
  const dist = new Float64Array(k + 1);
  const row = new Float64Array(dim);
  const u = new Float64Array(dim);
  const w = new Float64Array(dim);
  const pooling = new RowPooling(model, options, rule);
  const squares = rule.form === 'squares';
  const base = squares ? mu : rule.base ?? new Float64Array(dim);
  const conservative = rule.conservative !== false;
  // Scratch of the rescaled path (rows it must recompute).
  const scaledOut = { relevance: row, competitorShares: new Float64Array(k), coef: new Float64Array(dim), offset: new Float64Array(dim) };
  for (let r = start; r < end; r++) {
    const xo = r * dim;
    for (let q = 0; q < k; q++) dist[q] = canonicalDist2(data, xo, mu, q * dim, dim);
    if (rule.startRow) dist[k] = canonicalDist2(data, xo, base, 0, dim);
    pooling.row(dist, 0);
    const f = pooling.evidence;
    out.cluster[r] = pooling.cluster;
    out.evidence[r] = f;
    out.probability[r] = pooling.probability;
    if (out.status) out.status[r] = ROW_EXACT;
    rowRelevance(mu, dim, data, xo, base, squares ? pooling.cluster * dim : 0, pooling, u, w, row);
    let sum = 0;
    let abs = 0;
    for (let j = 0; j < dim; j++) {
      sum += row[j];
      abs += Math.abs(row[j]);
    }
    if (!exactRow(sum, abs, f, conservative)) {
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

/**
 * Finite, and (conservative rules) Σ R within 1e-10 of the evidence, as `isExact` in kmeans.ts,
 * from the row's Σ_i R_i and Σ_i |R_i|.
 */
export function exactRow(sum: number, abs: number, f: number, conservative: boolean): boolean {
  if (!Number.isFinite(f) || !Number.isFinite(abs)) return false;
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
/** expNeg's constants and tables, for kernels that must compute the same bits (wasm/explainKernels.ts). */
export const EXP_NEG = { POW2_NEG, POW2_NEG_32TH, LN2_32_HI, LN2_32_LO, INV_LN2_32, C3, C4, C5, C6 } as const;

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
