/**
 * Neuralized standard k-means (neon-method.md, "Standard k-means (2 layers)").
 *
 * For the cluster c under explanation, with μ_k the centroids:
 *   layer 1 (linear, one neuron per competitor k ≠ c):
 *     h_k(x) = w_kᵀx + b_k,  w_k = 2(μ_c − μ_k),  b_k = ||μ_k||² − ||μ_c||²  (= o_k − o_c)
 *   layer 2 (pool):  f_c = min_{k≠c} h_k ('hard', default)  or  smin_β{h_k} ('soft').
 *
 * Layer 1 is evaluated as h_k = 2(μ_cᵀx − μ_kᵀx) + ||μ_k||² − ||μ_c||² from the K dot
 * products μ_kᵀx, so no per-cluster K×D weight matrix is ever built: one explanation costs
 * O(K·D), about two passes over the centroids (the dot products, then the relevance).
 *
 * Backward pass:
 *   pool, min-takes-most:   R_k = f_c · exp(−β h_k) / Σ_{k'≠c} exp(−β h_k')   (Σ_k R_k = f_c)
 *   linear, midpoint rule:  R_i = Σ_k w_ki (x_i − m_ki) / h_k · R_k, m_k = (μ_c + μ_k)/2,
 *                           exactly conservative because w_kᵀm_k = −b_k;
 *   linear, reference rule: R_i = Σ_k w_ki (x_i − r_i) / wₖᵀ(x − r) · R_k, root on the line
 *                           from x through the reference r (rootPoint.ts, with its guard for a
 *                           reference as close to the boundary as x), exactly conservative;
 *   linear, z-rule (eq. 10): R_i = Σ_k w_ki x_i / h_k · R_k, which leaks Σ_k R_k b_k / h_k.
 * The reference rule's default pooling (`pooling: 'path'`, referencePath.ts) replaces the
 * min-takes-most shares and per-neuron roots by one root of the whole network on the line
 * from x through r: a_k = ∫ π_k dα along the segment from x to that root (R_k = a_k Δ_k), i.e.
 * integrated gradients from the root, exact for the hard pool; rows whose line has no usable
 * root keep the min-takes-most form above.
 * All rules are linear in x: R_i = coef_i x_i − offset_i with a_k = R_k / den_k,
 *   coef_i = Σ_k a_k w_ki = 2(A μ_ci − Σ_k a_k μ_ki),  A = Σ_k a_k,
 *   offset_i = Σ_k a_k w_ki m_ki = Σ_k a_k (μ_ci² − μ_ki²)   (midpoint, den_k = h_k),
 *   offset_i = coef_i r_i − Σ_k a_k t_k w_ki²                 (reference, den_k = Δ_k + t_k‖w_k‖²),
 *   offset_i = 0                                               (z-rule, den_k = h_k).
 * Denominators |h_k| below a tiny ε (relative to the centroid scale) are replaced by ±ε with
 * the sign of h_k, so a point on a decision boundary cannot blow the relevance up.
 *
 * Numerical range: a row whose numbers are too large (or too small) for this factored form —
 * its result is not finite or does not add up to the evidence — is recomputed in a rescaled
 * space (kmeansScaled.ts); what is beyond float64 there comes back as NaN with `beyondRange`.
 *
 * K = 1: there is no competitor, so nothing separates x from another cluster. The evidence
 * is reported as 0 (neutral), probability 1, relevance and gradient 0 — a defined, conserved
 * answer instead of the +∞ of an empty min, so a one-cluster run still explains and renders.
 */
import { OptionError } from '../errors';
import { softMin, softMinShares } from '../network/pooling';
import type { KMeansModel, LinearAttribution, NeonOptions, NeuralizedModel, PointExplanation } from '../types';
import { explainKMeansRowScaled, nearestInScaledSpace, powerOfTwoBelow } from './kmeansScaled';
import { createPathScratch, pathPoolWeights, type PathScratch } from './referencePath';
import { guard, pairFloor, referenceDenominator, referenceShift } from './rootPoint';

export { guard } from './rootPoint';

export function neuralizeKMeans(model: KMeansModel, options: NeonOptions): NeuralizedModel {
  validate(model, options);
  return new NeuralizedKMeans(model, options);
}

function validate(model: KMeansModel, options: NeonOptions): void {
  if (!Number.isInteger(model.k) || model.k < 1) throw new OptionError(`k-means model: k must be an integer >= 1, got ${model.k}`);
  if (model.centroids.length !== model.k * model.dim) {
    throw new OptionError(`k-means model: centroids hold ${model.centroids.length} values, expected k x dim = ${model.k} x ${model.dim}`);
  }
  if (!(options.beta > 0) || !Number.isFinite(options.beta)) {
    throw new OptionError(`NEON: beta must be a finite number > 0, got ${options.beta}`);
  }
  if (options.evidence !== 'hard' && options.evidence !== 'soft') {
    throw new OptionError(`NEON: evidence must be 'hard' or 'soft', got '${String(options.evidence)}'`);
  }
  checkRule(options, model.dim);
}

/** The rule is known, and the reference rule has a finite reference point of the model's width. */
export function checkRule(options: NeonOptions, dim: number): void {
  if (options.rule !== 'midpoint' && options.rule !== 'reference' && options.rule !== 'z') {
    throw new OptionError(`NEON: rule must be 'midpoint', 'reference' or 'z', got '${String(options.rule)}'`);
  }
  if (options.rule !== 'reference') return;
  const r = options.reference;
  if (!r) throw new OptionError('NEON: the reference rule needs a reference point (e.g. the data mean)');
  if (r.length !== dim) throw new OptionError(`NEON: the reference point has ${r.length} values, the model expects ${dim}`);
  for (let j = 0; j < dim; j++) if (!Number.isFinite(r[j])) throw new OptionError(`NEON: the reference point's value ${j + 1} is not a finite number (${r[j]})`);
}

class NeuralizedKMeans implements NeuralizedModel {
  readonly k: number;
  readonly dim: number;
  private readonly model: KMeansModel;
  private readonly mu: Float64Array;
  /** Element-wise squares μ_ki², for the midpoint offsets. */
  private readonly muSq: Float64Array;
  /** ||μ_k||². */
  private readonly norms: Float64Array;
  private readonly eps: number;
  /** Reference rule: r, μ_kᵀr and ‖w_ck‖² per (c, k) built on first use. */
  private readonly reference?: Float64Array;
  private readonly dotsRef: Float64Array;
  private readonly weightNorms: (Float64Array | undefined)[];
  private readonly weightLengths: (Float64Array | undefined)[];
  /** The fast path is exact only for numbers whose squares fit comfortably in float64. */
  private readonly safeRange: boolean;
  // Scratch (one explanation at a time; the engine is single-threaded per worker).
  private readonly dots: Float64Array;
  private readonly h: Float64Array;
  private readonly shares: Float64Array;
  /** a_k = R_k / den_k of the current explanation. */
  private readonly weights: Float64Array;
  /** Reference rule: t_k of the moved reference (0 unless the guard acted). */
  private readonly shifts: Float64Array;
  /** Reference rule, path pooling (referencePath.ts): Δ_k = h_k(x) − h_k(r), and scratch. */
  private readonly deltas: Float64Array;
  private readonly pathScratch?: PathScratch;
  /** Scratch of `relevance` (only the relevance leaves the network). */
  private readonly coefScratch: Float64Array;
  private readonly offsetScratch: Float64Array;
  private readonly sharesScratch: Float64Array;
  /** Whether the last `sharedWeights` moved a root (some t_k ≠ 0). */
  private anyShift = false;
  /** Evidence and p(c|x) of the last `fastInto`. */
  private lastEvidence = 0;
  private lastProbability = 1;

  constructor(
    model: KMeansModel,
    readonly options: NeonOptions,
  ) {
    const { k, dim, centroids } = model;
    this.model = model;
    this.k = k;
    this.dim = dim;
    this.mu = centroids.slice();
    this.muSq = new Float64Array(k * dim);
    this.norms = new Float64Array(k);
    let scale = 0;
    let top = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const v = this.mu[c * dim + j];
        this.muSq[c * dim + j] = v * v;
        s += v * v;
        top = Math.max(top, Math.abs(v));
      }
      this.norms[c] = s;
      if (s > scale) scale = s;
    }
    this.eps = 1e-12 * (1 + scale);
    this.dots = new Float64Array(k);
    this.h = new Float64Array(k);
    this.shares = new Float64Array(k);
    this.weights = new Float64Array(k);
    this.shifts = new Float64Array(k);
    this.deltas = new Float64Array(k);
    if (options.rule === 'reference' && options.pooling !== 'min-takes-most') this.pathScratch = createPathScratch(k);
    this.coefScratch = new Float64Array(dim);
    this.offsetScratch = new Float64Array(dim);
    this.sharesScratch = new Float64Array(k);
    this.dotsRef = new Float64Array(k);
    this.weightNorms = new Array<Float64Array | undefined>(k).fill(undefined);
    this.weightLengths = new Array<Float64Array | undefined>(k).fill(undefined);
    if (options.rule === 'reference' && options.reference) {
      const r = options.reference.slice();
      this.reference = r;
      for (let q = 0; q < k; q++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += this.mu[q * dim + j] * r[j];
        this.dotsRef[q] = s;
        for (let j = 0; j < dim; j++) top = Math.max(top, Math.abs(r[j]));
      }
    }
    this.safeRange = top < SAFE_MAGNITUDE;
  }

  /**
   * Nearest centroid from the same dot products layer 1 uses (argmin ||μ_k||² − 2μ_kᵀx), so
   * explain(x) needs a single pass over the centroids for assignment and forward pass.
   */
  assign(x: Float64Array): number {
    this.checkInput(x);
    this.computeDots(x);
    return this.nearestFromDots(x);
  }

  evidence(x: Float64Array, c: number): number {
    this.checkInput(x);
    this.checkCluster(c);
    if (this.k === 1) return 0;
    this.forwardLayer1(x, c);
    return this.pool(c);
  }

  gradient(x: Float64Array, c: number, out: Float64Array): void {
    this.checkInput(x);
    this.checkCluster(c);
    const { k, dim, mu, h, shares } = this;
    out.fill(0);
    if (k === 1) return;
    this.forwardLayer1(x, c);
    // ∂f/∂h_k: the active competitor (hard) or the softmin shares (soft); ∂h_k/∂x = w_k.
    if (this.options.evidence === 'hard') {
      let arg = -1;
      for (let q = 0; q < k; q++) if (q !== c && (arg < 0 || h[q] < h[arg])) arg = q;
      shares.fill(0);
      shares[arg] = 1;
    } else softMinShares(h, this.options.beta, shares, c);
    const cOff = c * dim;
    for (let q = 0; q < k; q++) {
      const s = shares[q];
      if (q === c || s === 0) continue;
      const qOff = q * dim;
      for (let j = 0; j < dim; j++) out[j] += 2 * s * (mu[cOff + j] - mu[qOff + j]);
    }
  }

  explain(x: Float64Array, c?: number, detail?: { perCompetitor?: boolean }): PointExplanation {
    this.checkInput(x);
    if (c !== undefined) this.checkCluster(c);
    const fast = this.safeRange && inSafeRange(x) ? this.explainFast(x, c, detail) : undefined;
    if (fast && isExact(fast, this.options.rule !== 'z')) return fast;
    return this.explainScaled(x, c, detail);
  }

  /**
   * Relevance only (length D), for the feature-flipping comparison: the same numbers as
   * `explain(x, c).relevance` without building the explanation's other vectors and objects.
   */
  relevance(x: Float64Array, c: number): Float64Array {
    const relevance = new Float64Array(this.dim);
    this.relevanceInto(x, c, relevance);
    return relevance;
  }

  /** `relevance(x, c)` written into `out` (length D): no allocation on the fast path. */
  relevanceInto(x: Float64Array, c: number, out: Float64Array): void {
    this.checkInput(x);
    this.checkCluster(c);
    const { dim, k } = this;
    if (out.length !== dim) throw new OptionError(`NEON k-means: output has ${out.length} values, the model has ${dim} features`);
    if (k === 1) {
      out.fill(0);
      return;
    }
    if (this.safeRange && inSafeRange(x)) {
      this.computeDots(x);
      this.fastInto(x, c, out, this.coefScratch, this.offsetScratch, this.sharesScratch, false);
      if (exactRelevance(out, this.lastEvidence, this.options.rule !== 'z')) return;
    }
    out.set(this.explainScaled(x, c, undefined).relevance);
  }

  /** The factored form (module comment): two passes over the centroids. */
  private explainFast(x: Float64Array, c: number | undefined, detail: { perCompetitor?: boolean } | undefined): PointExplanation {
    this.computeDots(x);
    const cluster = c ?? this.nearestFromDots(x);
    const { k, dim, mu, muSq } = this;
    // One backing store for the four result vectors: a separate ArrayBuffer per vector
    // made allocation and GC the dominant cost of an explanation. They are views, so a
    // consumer that transfers `relevance.buffer` must copy first.
    const store = new Float64Array(3 * dim + k);
    const relevance = store.subarray(0, dim);
    const coef = store.subarray(dim, 2 * dim);
    const offset = store.subarray(2 * dim, 3 * dim);
    const competitorShares = store.subarray(3 * dim);
    const attribution: LinearAttribution = { coef, offset };
    if (k === 1) {
      const trivial: PointExplanation = { cluster, evidence: 0, probability: 1, relevance, competitorShares, attribution };
      return detail?.perCompetitor ? { ...trivial, perCompetitor: new Float64Array(dim) } : trivial;
    }
    this.fastInto(x, cluster, relevance, coef, offset, competitorShares, true);
    const f = this.lastEvidence;
    const probability = this.lastProbability;
    const rule = this.options.rule;
    const r = this.reference;
    const cOff = cluster * dim;
    const { weights, shifts } = this;
    let perCompetitor: Float64Array | undefined;
    if (detail?.perCompetitor) {
      perCompetitor = new Float64Array(k * dim);
      for (let q = 0; q < k; q++) {
        const a = weights[q];
        if (a === 0) continue;
        const qOff = q * dim;
        for (let j = 0; j < dim; j++) {
          const w = 2 * (mu[cOff + j] - mu[qOff + j]);
          let term: number;
          if (rule === 'midpoint') term = w * x[j] - (muSq[cOff + j] - muSq[qOff + j]); // w_kj (x_j − m_kj)
          else if (r) term = w * (x[j] - r[j] + shifts[q] * w);
          else term = w * x[j];
          perCompetitor[qOff + j] = a * term;
        }
      }
    }
    const result: PointExplanation = { cluster, evidence: f, probability, relevance, competitorShares, attribution };
    return perCompetitor ? { ...result, perCompetitor } : result;
  }

  /**
   * The factored form for cluster `cluster` with the dot products already in this.dots: writes
   * relevance, coef, offset and the competitor shares R_k, leaves evidence and probability in
   * lastEvidence / lastProbability (NaN unless `withProbability`, when the exponentials are
   * skipped) and a_k, t_k in weights / shifts (K ≥ 2).
   */
  private fastInto(x: Float64Array, cluster: number, relevance: Float64Array, coef: Float64Array, offset: Float64Array, competitorShares: Float64Array, withProbability: boolean): void {
    const { k, dim, mu, muSq, h } = this;
    this.layer1FromDots(cluster);
    const hMin = this.lowestCompetitor(cluster);
    const beta = this.options.beta;
    const rule = this.options.rule;
    const r = this.reference;
    // Pool layer: min-takes-most shares of f; a_k = R_k / den_k for the linear layer. One
    // pass of exponentials serves shares, soft evidence and p(c|x). The relevance alone under
    // the hard pool with path pooling needs none of them (unless the row falls back to the
    // shares): skipping the K exponentials is most of the cost of a row of a small table.
    const lazyShares = !withProbability && this.options.evidence !== 'soft' && r !== undefined && this.pathScratch !== undefined;
    const sum = lazyShares ? NaN : this.sharesFrom(cluster, hMin);
    const f = this.options.evidence === 'soft' ? hMin - Math.log(sum) / beta : hMin;
    // p(c|x) = 1 / (1 + Σ_{k≠c} exp(−β h_k)) and Σ_k exp(−β h_k) = sum · exp(−β hMin).
    const probability = 1 / (1 + sum * Math.exp(-beta * hMin));
    const cOff = cluster * dim;
    const { weights } = this;
    let total = 0; // A = Σ_k a_k
    let pathed = false;
    this.anyShift = false;
    if (r && this.pathScratch) {
      // Pooling along the root segment (referencePath.ts): a_k = ∫ π_k dα, R_k = a_k Δ_k.
      const { deltas, dots, dotsRef } = this;
      for (let q = 0; q < k; q++) deltas[q] = q === cluster ? 0 : 2 * (dots[cluster] - dots[q] - (dotsRef[cluster] - dotsRef[q]));
      let dist2 = 0;
      for (let j = 0; j < dim; j++) dist2 += (x[j] - r[j]) * (x[j] - r[j]);
      pathed = pathPoolWeights(h, deltas, cluster, f, this.options.evidence === 'soft', beta, weights, this.pathScratch, this.weightLengthsOf(cluster), 0, Math.sqrt(dist2)) >= 0;
      if (pathed) {
        this.shifts.fill(0);
        for (let q = 0; q < k; q++) {
          const a = q === cluster ? 0 : weights[q];
          weights[q] = a;
          competitorShares[q] = a * deltas[q];
          total += a;
        }
      }
    }
    if (!pathed) {
      if (lazyShares) this.sharesFrom(cluster, hMin);
      total = this.sharedWeights(x, cluster, f, competitorShares);
    }
    // coef = 2(A μ_c − Σ_k a_k μ_k); midpoint offset = A μ_c² − Σ_k a_k μ_k² (element-wise).
    for (let j = 0; j < dim; j++) {
      coef[j] = total * mu[cOff + j];
      if (rule === 'midpoint') offset[j] = total * muSq[cOff + j];
    }
    subtractWeightedRows(mu, weights, k, dim, coef);
    if (rule === 'midpoint') subtractWeightedRows(muSq, weights, k, dim, offset);
    if (r && !this.anyShift) {
      // The common case in one pass (no guarded root): offset = coef ⊙ r.
      for (let j = 0; j < dim; j++) {
        const cj = 2 * coef[j];
        const oj = cj * r[j];
        coef[j] = cj;
        offset[j] = oj;
        relevance[j] = cj * x[j] - oj;
      }
      this.lastEvidence = f;
      this.lastProbability = probability;
      return;
    }
    for (let j = 0; j < dim; j++) coef[j] *= 2;
    if (r) {
      for (let j = 0; j < dim; j++) offset[j] = coef[j] * r[j];
      // Guarded competitors: their root moved along w_k adds −a_k t_k w_kj² to the offset.
      if (this.anyShift) {
        const { shifts } = this;
        for (let q = 0; q < k; q++) {
          const at = weights[q] * shifts[q];
          if (at === 0) continue;
          for (let j = 0; j < dim; j++) {
            const w = 2 * (mu[cOff + j] - mu[q * dim + j]);
            offset[j] -= at * w * w;
          }
        }
      }
    }
    for (let j = 0; j < dim; j++) relevance[j] = coef[j] * x[j] - offset[j];

    this.lastEvidence = f;
    this.lastProbability = probability;
  }

  /**
   * Min-takes-most: R_k = f · share_k into `competitorShares`, a_k = R_k / den_k into this.weights
   * (the reference rule's guarded per-neuron roots, t_k into this.shifts); returns A = Σ_k a_k.
   */
  private sharedWeights(x: Float64Array, cluster: number, f: number, competitorShares: Float64Array): number {
    const { k, dim, h, shares, eps, weights, shifts } = this;
    const r = this.reference;
    shifts.fill(0);
    let dist2 = 0;
    if (r) for (let j = 0; j < dim; j++) dist2 += (x[j] - r[j]) * (x[j] - r[j]);
    const wNorms = r ? this.weightNormsOf(cluster) : undefined;
    let shifted = false;
    let total = 0;
    for (let q = 0; q < k; q++) {
      const rk = q === cluster ? 0 : f * shares[q];
      competitorShares[q] = rk;
      let den: number;
      if (r && wNorms && rk !== 0) {
        // Δ_k = w_kᵀ(x − r) = h_k(x) − h_k(r), from the dot products already at hand.
        const delta = 2 * (this.dots[cluster] - this.dots[q] - (this.dotsRef[cluster] - this.dotsRef[q]));
        den = referenceDenominator(delta, h[q] >= 0, wNorms[q], dist2, pairFloor(wNorms[q]));
        const t = referenceShift(den, delta, wNorms[q]);
        shifts[q] = t;
        if (t !== 0) shifted = true;
      } else den = guard(h[q], eps);
      const a = rk === 0 ? 0 : rk / den;
      weights[q] = a;
      total += a;
    }
    this.anyShift = shifted;
    return total;
  }

  /** The rescaled path (kmeansScaled.ts) for rows the factored form cannot compute exactly. */
  private explainScaled(x: Float64Array, c: number | undefined, detail: { perCompetitor?: boolean } | undefined): PointExplanation {
    const { k, dim } = this;
    const store = new Float64Array(3 * dim + k);
    const relevance = store.subarray(0, dim);
    const coef = store.subarray(dim, 2 * dim);
    const offset = store.subarray(2 * dim, 3 * dim);
    const competitorShares = store.subarray(3 * dim);
    const perCompetitor = detail?.perCompetitor ? new Float64Array(k * dim) : undefined;
    const out = { relevance, competitorShares, coef, offset, ...(perCompetitor ? { perCompetitor } : {}) };
    const r = explainKMeansRowScaled(this.model, this.options, x, out, c);
    const result: PointExplanation = {
      cluster: r.cluster,
      evidence: r.evidence,
      probability: r.probability,
      relevance,
      competitorShares,
      attribution: { coef, offset },
      ...(r.beyond ? { beyondRange: r.beyond } : {}),
    };
    return perCompetitor ? { ...result, perCompetitor } : result;
  }

  /** ‖w_ck‖² = 4‖μ_c − μ_k‖² for every k (built once per cluster c). */
  private weightNormsOf(c: number): Float64Array {
    const cached = this.weightNorms[c];
    if (cached) return cached;
    const { k, dim, mu } = this;
    const out = new Float64Array(k);
    for (let q = 0; q < k; q++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const w = 2 * (mu[c * dim + j] - mu[q * dim + j]);
        s += w * w;
      }
      out[q] = s;
    }
    this.weightNorms[c] = out;
    return out;
  }

  /** ‖w_ck‖ for every k (built once per cluster c), for the path pooling's bound. */
  private weightLengthsOf(c: number): Float64Array {
    const cached = this.weightLengths[c];
    if (cached) return cached;
    const out = this.weightNormsOf(c).map(Math.sqrt);
    this.weightLengths[c] = out;
    return out;
  }

  /** h_k = 2(μ_cᵀx − μ_kᵀx) + ||μ_k||² − ||μ_c||² for all k (h_c = +∞ is never read). */
  private forwardLayer1(x: Float64Array, c: number): void {
    this.computeDots(x);
    this.layer1FromDots(c);
  }

  /** dots[k] = μ_kᵀx, four centroids per pass over x (independent sums, x loaded once). */
  private computeDots(x: Float64Array): void {
    const { k, dim, mu, dots } = this;
    let q = 0;
    for (; q + 4 <= k; q += 4) {
      const o0 = q * dim;
      const o1 = o0 + dim;
      const o2 = o1 + dim;
      const o3 = o2 + dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < dim; j++) {
        const v = x[j];
        s0 += mu[o0 + j] * v;
        s1 += mu[o1 + j] * v;
        s2 += mu[o2 + j] * v;
        s3 += mu[o3 + j] * v;
      }
      dots[q] = s0;
      dots[q + 1] = s1;
      dots[q + 2] = s2;
      dots[q + 3] = s3;
    }
    for (; q < k; q++) {
      const qOff = q * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += mu[qOff + j] * x[j];
      dots[q] = s;
    }
  }

  private layer1FromDots(c: number): void {
    const { k, dots, h, norms } = this;
    for (let q = 0; q < k; q++) h[q] = q === c ? Infinity : 2 * (dots[c] - dots[q]) + norms[q] - norms[c];
  }

  /**
   * argmin_k ||μ_k||² − 2 μ_kᵀx (lowest index on ties); when those numbers overflow, the
   * nearest centroid in the rescaled space.
   */
  private nearestFromDots(x: Float64Array): number {
    const { k, dots, norms } = this;
    let best = 0;
    let bestD = Infinity;
    for (let q = 0; q < k; q++) {
      const v = norms[q] - 2 * dots[q];
      if (v < bestD) {
        bestD = v;
        best = q;
      }
    }
    if (Number.isFinite(bestD) && this.safeRange) return best;
    return nearestScaled(this.model, x);
  }

  /** Layer 2 on the current h. */
  private pool(c: number): number {
    const { h, k } = this;
    if (this.options.evidence === 'soft') return softMin(h, this.options.beta, c);
    let m = Infinity;
    for (let q = 0; q < k; q++) if (q !== c && h[q] < m) m = h[q];
    return m;
  }

  /** min_{k≠c} h_k on the current h. */
  private lowestCompetitor(c: number): number {
    const { h, k } = this;
    let hMin = Infinity;
    for (let q = 0; q < k; q++) if (q !== c && h[q] < hMin) hMin = h[q];
    return hMin;
  }

  /**
   * Min-takes-most shares exp(−β(h_k − hMin)) / sum over k ≠ c into `shares` (0 at c), with
   * hMin = min_{k≠c} h_k; returns sum = Σ_{k≠c} exp(−β(h_k − hMin)) ≥ 1.
   */
  private sharesFrom(c: number, hMin: number): number {
    const { h, k, shares } = this;
    const beta = this.options.beta;
    let sum = 0;
    for (let q = 0; q < k; q++) {
      const e = q === c ? 0 : Math.exp(-beta * (h[q] - hMin));
      shares[q] = e;
      sum += e;
    }
    for (let q = 0; q < k; q++) shares[q] /= sum;
    return sum;
  }

  private checkInput(x: Float64Array): void {
    if (x.length !== this.dim) throw new OptionError(`NEON k-means: input has ${x.length} features, the model expects ${this.dim}`);
  }

  private checkCluster(c: number): void {
    if (!Number.isInteger(c) || c < 0 || c >= this.k) throw new OptionError(`NEON k-means: cluster ${c} is out of range 0..${this.k - 1}`);
  }
}

/**
 * Magnitudes below which the factored form cannot overflow (its largest intermediate is
 * ~K·D·|v|², far below 1.8e308) and rarely loses precision; beyond it, rows go to the
 * rescaled path directly.
 */
export const SAFE_MAGNITUDE = 1e100;

function inSafeRange(x: Float64Array): boolean {
  const limit = SAFE_MAGNITUDE; // a local: the compiled module would read exports.SAFE_MAGNITUDE per element
  for (let j = 0; j < x.length; j++) if (!(Math.abs(x[j]) < limit)) return false;
  return true;
}

/**
 * The factored form's result is trusted when everything is finite and the relevances add up
 * to the evidence to 1e-10 of their magnitude (rounding; a cancellation-heavy row — huge
 * offsets, tiny spread — fails this and is recomputed exactly in the rescaled space).
 */
export function isExact(e: PointExplanation, conservative = true): boolean {
  if (!Number.isFinite(e.evidence)) return false;
  let sum = 0;
  let abs = 0;
  for (let j = 0; j < e.relevance.length; j++) {
    const r = e.relevance[j];
    sum += r;
    abs += Math.abs(r);
  }
  if (!Number.isFinite(abs)) return false;
  if (e.relevance.length === 0 || !conservative) return true;
  return Math.abs(sum - e.evidence) <= 1e-10 * (abs + Math.abs(e.evidence)) + Number.MIN_VALUE;
}

/** `isExact` on a relevance vector and its evidence. */
function exactRelevance(relevance: Float64Array, evidence: number, conservative: boolean): boolean {
  if (!Number.isFinite(evidence)) return false;
  let sum = 0;
  let abs = 0;
  for (let j = 0; j < relevance.length; j++) {
    sum += relevance[j];
    abs += Math.abs(relevance[j]);
  }
  if (!Number.isFinite(abs)) return false;
  return !conservative || Math.abs(sum - evidence) <= 1e-10 * (abs + Math.abs(evidence)) + Number.MIN_VALUE;
}

/** Nearest centroid after dividing x and the centroids by a common power of two. */
export function nearestScaled(model: KMeansModel, x: ArrayLike<number>): number {
  const { k, dim, centroids: mu } = model;
  let top = 0;
  for (let j = 0; j < dim; j++) if (Number.isFinite(x[j])) top = Math.max(top, Math.abs(x[j]));
  for (let t = 0; t < mu.length; t++) top = Math.max(top, Math.abs(mu[t]));
  const S = powerOfTwoBelow(top);
  const xs = new Float64Array(dim);
  for (let j = 0; j < dim; j++) xs[j] = Number.isFinite(x[j]) ? x[j] / S : 0;
  return nearestInScaledSpace(xs, mu.map((v) => v / S), k, dim);
}

/** out −= Σ_k w_k rows_k (rows K x D), four rows per pass; rows with w_k = 0 are skipped. */
function subtractWeightedRows(rows: Float64Array, w: Float64Array, k: number, dim: number, out: Float64Array): void {
  let q = 0;
  while (q < k) {
    // Gather up to four rows with non-zero weight.
    let r0 = -1;
    let r1 = -1;
    let r2 = -1;
    let r3 = -1;
    for (; q < k && r3 < 0; q++) {
      if (w[q] === 0) continue;
      if (r0 < 0) r0 = q;
      else if (r1 < 0) r1 = q;
      else if (r2 < 0) r2 = q;
      else r3 = q;
    }
    if (r3 >= 0) {
      const a0 = w[r0];
      const a1 = w[r1];
      const a2 = w[r2];
      const a3 = w[r3];
      const o0 = r0 * dim;
      const o1 = r1 * dim;
      const o2 = r2 * dim;
      const o3 = r3 * dim;
      for (let j = 0; j < dim; j++) out[j] -= a0 * rows[o0 + j] + a1 * rows[o1 + j] + (a2 * rows[o2 + j] + a3 * rows[o3 + j]);
    } else {
      if (r0 >= 0) subtractRow(rows, w[r0], r0 * dim, dim, out);
      if (r1 >= 0) subtractRow(rows, w[r1], r1 * dim, dim, out);
      if (r2 >= 0) subtractRow(rows, w[r2], r2 * dim, dim, out);
    }
  }
}

function subtractRow(rows: Float64Array, a: number, o: number, dim: number, out: Float64Array): void {
  for (let j = 0; j < dim; j++) out[j] -= a * rows[o + j];
}

