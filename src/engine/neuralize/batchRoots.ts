/**
 * The first layer's root-point rules (rootPoint.ts) in the form the k-means batch path
 * (kmeansBatch.ts) plugs in: the batch code owns the passes over the data and centroids; a
 * rule only says what each competitor's denominator is and how the row's relevance is formed
 * from the two weighted sums the batch path builds,
 *   U = Σ_k a_k μ_k − A μ_c   and (midpoint only)   V = Σ_k a_k μ_k² − A μ_c²,
 * with a_k = R_k / den_k and A = Σ_k a_k (so coef = −2U, neon-method.md "Standard k-means"):
 *   midpoint:  den_k = h_k,                     R = V − 2 x ⊙ U
 *   reference: den_k = Δ_k (+ t_k ‖w_k‖², guard), R = −2 (x − r) ⊙ U + Σ_k a_k t_k w_k²
 *   z-rule:    den_k = h_k,                     R = −2 x ⊙ U
 * The reference rule needs one sweep over the centroids instead of the midpoint's two.
 */
import type { KMeansModel, NeonOptions } from '../types';
import { guard, pairFloor, referenceDenominator, referenceShift } from './rootPoint';

export interface BatchRoot {
  /** Whether the batch path must also accumulate V = Σ_k a_k μ_k² − A μ_c². */
  readonly needsSquares: boolean;
  /** Called once per row before its competitors (x = data[xo .. xo + D)). */
  startRow(data: Float64Array, xo: number): void;
  /**
   * den_k of competitor q for the row's cluster c, with h = h_q(x) and the row's dot products
   * μ_kᵀx at dots[at + k]. Remembers what `relevance` needs (the reference rule's shift).
   */
  denominator(c: number, q: number, h: number, dots: Float64Array, at: number): number;
  /**
   * Writes the row's relevance into `row` from U, V (see the module comment); `active` lists the
   * `count` competitors with their weights a_k in `weight` (entries equal to c are padding).
   */
  relevance(row: Float64Array, data: Float64Array, xo: number, c: number, u: Float64Array, v: Float64Array, active: Int32Array, weight: Float64Array, count: number): void;
}

/** The rule of `options` for `model` (options.reference is required for 'reference'). */
export function batchRoot(model: KMeansModel, options: NeonOptions, eps: number): BatchRoot {
  if (options.rule === 'reference' && options.reference) return new ReferenceRoot(model, options.reference);
  return options.rule === 'z' ? new ZRoot(eps) : new MidpointRoot(eps);
}

class MidpointRoot implements BatchRoot {
  readonly needsSquares = true;
  constructor(private readonly eps: number) {}
  startRow(): void {}
  denominator(_c: number, _q: number, h: number): number {
    return guard(h, this.eps);
  }
  relevance(row: Float64Array, data: Float64Array, xo: number, _c: number, u: Float64Array, v: Float64Array): void {
    for (let j = 0; j < row.length; j++) row[j] = v[j] - 2 * data[xo + j] * u[j];
  }
}

class ZRoot implements BatchRoot {
  readonly needsSquares = false;
  constructor(private readonly eps: number) {}
  startRow(): void {}
  denominator(_c: number, _q: number, h: number): number {
    return guard(h, this.eps);
  }
  relevance(row: Float64Array, data: Float64Array, xo: number, _c: number, u: Float64Array): void {
    for (let j = 0; j < row.length; j++) row[j] = -2 * data[xo + j] * u[j];
  }
}

class ReferenceRoot implements BatchRoot {
  readonly needsSquares = false;
  private readonly k: number;
  private readonly dim: number;
  private readonly mu: Float64Array;
  private readonly r: Float64Array;
  /** μ_kᵀr. */
  private readonly dotsRef: Float64Array;
  /** ‖w_ck‖² = 4‖μ_c − μ_k‖², K × K. */
  private readonly weightNorm2: Float64Array;
  /** t_k of the current row (0 unless the guard moved the reference). */
  private readonly shift: Float64Array;
  private dist2 = 0;
  private shifted = false;

  constructor(model: KMeansModel, reference: Float64Array) {
    const { k, dim, centroids: mu } = model;
    this.k = k;
    this.dim = dim;
    this.mu = mu;
    this.r = reference;
    this.dotsRef = new Float64Array(k);
    for (let q = 0; q < k; q++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += mu[q * dim + j] * reference[j];
      this.dotsRef[q] = s;
    }
    this.weightNorm2 = new Float64Array(k * k);
    for (let c = 0; c < k; c++) {
      for (let q = 0; q < k; q++) {
        let s = 0;
        for (let j = 0; j < dim; j++) {
          const w = 2 * (mu[c * dim + j] - mu[q * dim + j]);
          s += w * w;
        }
        this.weightNorm2[c * k + q] = s;
      }
    }
    this.shift = new Float64Array(k);
  }

  startRow(data: Float64Array, xo: number): void {
    const { r } = this;
    let s = 0;
    for (let j = 0; j < this.dim; j++) {
      const t = data[xo + j] - r[j];
      s += t * t;
    }
    this.dist2 = s;
    if (this.shifted) this.shift.fill(0);
    this.shifted = false;
  }

  denominator(c: number, q: number, h: number, dots: Float64Array, at: number): number {
    // Δ_k = w_kᵀ(x − r) = h_k(x) − h_k(r), from the row's dot products.
    const delta = 2 * (dots[at + c] - dots[at + q] - (this.dotsRef[c] - this.dotsRef[q]));
    const w2 = this.weightNorm2[c * this.k + q];
    const den = referenceDenominator(delta, h >= 0, w2, this.dist2, pairFloor(w2));
    const t = referenceShift(den, delta, w2);
    this.shift[q] = t;
    if (t !== 0) this.shifted = true;
    return den;
  }

  relevance(row: Float64Array, data: Float64Array, xo: number, c: number, u: Float64Array, _v: Float64Array, active: Int32Array, weight: Float64Array, count: number): void {
    const { r, dim, mu } = this;
    for (let j = 0; j < dim; j++) row[j] = -2 * (data[xo + j] - r[j]) * u[j];
    if (!this.shifted) return;
    // Guarded competitors: + a_k t_k w_kj² (the root moved along w_k).
    for (let t = 0; t < count; t++) {
      const q = active[t];
      if (q === c) continue;
      const at = weight[t] * this.shift[q];
      if (at === 0) continue;
      for (let j = 0; j < dim; j++) {
        const w = 2 * (mu[c * dim + j] - mu[q * dim + j]);
        row[j] += at * w * w;
      }
    }
  }
}
