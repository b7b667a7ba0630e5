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
 *   linear, z-rule (eq. 10): R_i = Σ_k w_ki x_i / h_k · R_k, which leaks Σ_k R_k b_k / h_k.
 * Both rules are linear in x: R_i = coef_i x_i − offset_i with a_k = R_k / h_k,
 *   coef_i = Σ_k a_k w_ki = 2(A μ_ci − Σ_k a_k μ_ki),  A = Σ_k a_k,
 *   offset_i = Σ_k a_k w_ki m_ki = Σ_k a_k (μ_ci² − μ_ki²)   (midpoint; 0 for the z-rule).
 * Denominators |h_k| below a tiny ε (relative to the centroid scale) are replaced by ±ε with
 * the sign of h_k, so a point on a decision boundary cannot blow the relevance up.
 *
 * K = 1: there is no competitor, so nothing separates x from another cluster. The evidence
 * is reported as 0 (neutral), probability 1, relevance and gradient 0 — a defined, conserved
 * answer instead of the +∞ of an empty min, so a one-cluster run still explains and renders.
 */
import { OptionError } from '../errors';
import { softMin, softMinShares } from '../network/pooling';
import type { KMeansModel, LinearAttribution, NeonOptions, NeuralizedModel, PointExplanation } from '../types';

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
  if (options.rule !== 'midpoint' && options.rule !== 'z') {
    throw new OptionError(`NEON: rule must be 'midpoint' or 'z', got '${String(options.rule)}'`);
  }
}

class NeuralizedKMeans implements NeuralizedModel {
  readonly k: number;
  readonly dim: number;
  private readonly mu: Float64Array;
  /** Element-wise squares μ_ki², for the midpoint offsets. */
  private readonly muSq: Float64Array;
  /** ||μ_k||². */
  private readonly norms: Float64Array;
  private readonly eps: number;
  // Scratch (one explanation at a time; the engine is single-threaded per worker).
  private readonly dots: Float64Array;
  private readonly h: Float64Array;
  private readonly shares: Float64Array;

  constructor(
    model: KMeansModel,
    readonly options: NeonOptions,
  ) {
    const { k, dim, centroids } = model;
    this.k = k;
    this.dim = dim;
    this.mu = centroids.slice();
    this.muSq = new Float64Array(k * dim);
    this.norms = new Float64Array(k);
    let scale = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const v = this.mu[c * dim + j];
        this.muSq[c * dim + j] = v * v;
        s += v * v;
      }
      this.norms[c] = s;
      if (s > scale) scale = s;
    }
    this.eps = 1e-12 * (1 + scale);
    this.dots = new Float64Array(k);
    this.h = new Float64Array(k);
    this.shares = new Float64Array(k);
  }

  assign(x: Float64Array): number {
    this.checkInput(x);
    const { k, dim, mu } = this;
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const co = c * dim;
      for (let j = 0; j < dim; j++) {
        const t = x[j] - mu[co + j];
        s += t * t;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    return best;
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
    const cluster = c ?? this.assign(x);
    this.checkInput(x);
    this.checkCluster(cluster);
    const { k, dim, mu, muSq, h, shares, eps } = this;
    const relevance = new Float64Array(dim);
    const coef = new Float64Array(dim);
    const offset = new Float64Array(dim);
    const competitorShares = new Float64Array(k);
    const attribution: LinearAttribution = { coef, offset };
    if (k === 1) {
      return { cluster, evidence: 0, probability: 1, relevance, competitorShares, attribution, ...(detail?.perCompetitor ? { perCompetitor: new Float64Array(dim) } : {}) };
    }
    this.forwardLayer1(x, cluster);
    const f = this.pool(cluster);
    const probability = this.probability(cluster);

    // Pool layer: min-takes-most shares of f.
    softMinShares(h, this.options.beta, shares, cluster);
    const midpoint = this.options.rule === 'midpoint';
    const cOff = cluster * dim;
    let total = 0; // A = Σ_k a_k
    for (let q = 0; q < k; q++) {
      if (q === cluster) continue;
      const rk = f * shares[q];
      competitorShares[q] = rk;
      if (rk === 0) continue;
      const a = rk / guard(h[q], eps);
      total += a;
      const qOff = q * dim;
      // coef accumulates −Σ a_k μ_k (completed below), offset −Σ a_k μ_k².
      for (let j = 0; j < dim; j++) coef[j] -= a * mu[qOff + j];
      if (midpoint) for (let j = 0; j < dim; j++) offset[j] -= a * muSq[qOff + j];
    }
    for (let j = 0; j < dim; j++) {
      coef[j] = 2 * (total * mu[cOff + j] + coef[j]);
      if (midpoint) offset[j] += total * muSq[cOff + j];
      relevance[j] = coef[j] * x[j] - offset[j];
    }

    let perCompetitor: Float64Array | undefined;
    if (detail?.perCompetitor) {
      perCompetitor = new Float64Array(k * dim);
      for (let q = 0; q < k; q++) {
        const rk = competitorShares[q];
        if (q === cluster || rk === 0) continue;
        const a = rk / guard(h[q], eps);
        const qOff = q * dim;
        for (let j = 0; j < dim; j++) {
          const w = 2 * (mu[cOff + j] - mu[qOff + j]);
          const m = midpoint ? muSq[cOff + j] - muSq[qOff + j] : 0; // w_kj m_kj
          perCompetitor[qOff + j] = a * (w * x[j] - m);
        }
      }
    }
    return { cluster, evidence: f, probability, relevance, competitorShares, attribution, ...(perCompetitor ? { perCompetitor } : {}) };
  }

  /** h_k = 2(μ_cᵀx − μ_kᵀx) + ||μ_k||² − ||μ_c||² for all k (h_c = +∞ is never read). */
  private forwardLayer1(x: Float64Array, c: number): void {
    const { k, dim, mu, dots, h, norms } = this;
    for (let q = 0; q < k; q++) {
      const qOff = q * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += mu[qOff + j] * x[j];
      dots[q] = s;
    }
    for (let q = 0; q < k; q++) h[q] = q === c ? Infinity : 2 * (dots[c] - dots[q]) + norms[q] - norms[c];
  }

  /** Layer 2 on the current h. */
  private pool(c: number): number {
    const { h, k } = this;
    if (this.options.evidence === 'soft') return softMin(h, this.options.beta, c);
    let m = Infinity;
    for (let q = 0; q < k; q++) if (q !== c && h[q] < m) m = h[q];
    return m;
  }

  /** p(c|x) = softmax(−β o)_c = 1 / (1 + Σ_{k≠c} exp(−β h_k)), h_k = o_k − o_c. */
  private probability(c: number): number {
    const { h, k } = this;
    const beta = this.options.beta;
    let s = 1;
    for (let q = 0; q < k; q++) if (q !== c) s += Math.exp(-beta * h[q]);
    return 1 / s;
  }

  private checkInput(x: Float64Array): void {
    if (x.length !== this.dim) throw new OptionError(`NEON k-means: input has ${x.length} features, the model expects ${this.dim}`);
  }

  private checkCluster(c: number): void {
    if (!Number.isInteger(c) || c < 0 || c >= this.k) throw new OptionError(`NEON k-means: cluster ${c} is out of range 0..${this.k - 1}`);
  }
}

/** Denominator guard: |h| < ε becomes ±ε with the sign of h (0 counts as positive). */
function guard(h: number, eps: number): number {
  if (h >= 0) return h < eps ? eps : h;
  return h > -eps ? -eps : h;
}
