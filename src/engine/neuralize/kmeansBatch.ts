/**
 * NEON for standard k-means over many rows at once: the same network and rules as
 * `neuralizeKMeans` (neon-method.md, "Standard k-means"), organised so that explaining all N
 * points costs about two passes over the centroids per row — one for the K dot products
 * (which also give the assignment), one for the relevance — with no allocation per row.
 *
 * Why a separate path: `NeuralizedModel.explain` serves one point and returns fresh arrays
 * (attribution, shares) that the item view needs; for the whole dataset those allocations and
 * the separate assignment pass cost an order of magnitude more than the arithmetic.
 *
 * The relevance is the midpoint rule in factored form. With a_k = R_k / h_k, A = Σ_k a_k,
 * u = Σ_k a_k μ_k and v = Σ_k a_k μ_k² (element-wise),
 *   R_i = Σ_k a_k w_ki (x_i − m_ki) = 2x_i (A μ_ci − u_i) − (A μ_ci² − v_i),
 * and for the z-rule R_i = 2 x_i (A μ_ci − u_i): about three multiply-adds per centroid entry
 * in all, against two for the distances of an assignment pass. Competitors whose share of the
 * evidence underflows below 1e-15 of it are skipped: their terms are below rounding.
 */
import { OptionError } from '../errors';
import type { KMeansModel, Matrix, NeonOptions } from '../types';

export interface BatchExplanation {
  readonly cluster: Int32Array;      // N
  readonly evidence: Float64Array;   // N
  readonly probability: Float64Array; // N
  /** N x D relevance, row-major; omit it to receive rows through `onRow` instead. */
  readonly relevance?: Float64Array;
}

/**
 * Explains rows [start, end) of X. When `onRow` is given it receives each row's relevance in a
 * reused scratch buffer (valid only during the call), e.g. to sum it per column without
 * keeping N x D numbers.
 */
export function explainKMeansRows(
  model: KMeansModel,
  options: NeonOptions,
  X: Matrix,
  out: BatchExplanation,
  start = 0,
  end = X.rows,
  onRow?: (row: number, relevance: Float64Array) => void,
): void {
  const { k, dim, centroids: mu } = model;
  if (X.cols !== dim) throw new OptionError(`NEON k-means: data has ${X.cols} features, the model expects ${dim}`);
  const data = X.data;
  const norms = new Float64Array(k);
  let scale = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += mu[c * dim + j] * mu[c * dim + j];
    norms[c] = s;
    if (s > scale) scale = s;
  }
  const eps = 1e-12 * (1 + scale);
  const beta = options.beta;
  const soft = options.evidence === 'soft';
  const midpoint = options.rule === 'midpoint';
  const dots = new Float64Array(k);
  const a = new Float64Array(k);
  const active = new Int32Array(k);
  const scratch = new Float64Array(dim);

  const ex = new Float64Array(k);
  const u = new Float64Array(dim);
  const v = new Float64Array(dim);
  const muSq = new Float64Array(k * dim);
  for (let j = 0; j < k * dim; j++) muSq[j] = mu[j] * mu[j];

  for (let i = start; i < end; i++) {
    const xo = i * dim;
    // Pass 1: dot products -> nearest centroid (argmin ||μ||² − 2μᵀx) and h_k. Four centroids
    // per sweep over x keep the row in registers (the same blocking as the assignment pass).
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
        const x = data[xo + j];
        s0 += mu[o0 + j] * x;
        s1 += mu[o1 + j] * x;
        s2 += mu[o2 + j] * x;
        s3 += mu[o3 + j] * x;
      }
      dots[q] = s0;
      dots[q + 1] = s1;
      dots[q + 2] = s2;
      dots[q + 3] = s3;
    }
    for (; q < k; q++) {
      const qo = q * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += mu[qo + j] * data[xo + j];
      dots[q] = s;
    }
    let c = 0;
    let bestD = Infinity;
    for (q = 0; q < k; q++) {
      const d = norms[q] - 2 * dots[q];
      if (d < bestD) {
        bestD = d;
        c = q;
      }
    }
    out.cluster[i] = c;
    const row = out.relevance ? out.relevance.subarray(xo, xo + dim) : scratch;
    if (k === 1) {
      out.evidence[i] = 0;
      out.probability[i] = 1;
      row.fill(0);
      onRow?.(i, row);
      continue;
    }
    // h_k = o_k − o_c; hMin is the hard margin.
    let hMin = Infinity;
    for (q = 0; q < k; q++) {
      if (q === c) continue;
      const h = 2 * (dots[c] - dots[q]) + norms[q] - norms[c];
      a[q] = h;
      if (h < hMin) hMin = h;
    }
    // Min-takes-most shares exp(−β(h_k − hMin)) / Z, Z ≥ 1; p(c|x) = 1 / (1 + Σ exp(−β h_k)).
    let z = 0;
    for (q = 0; q < k; q++) {
      if (q === c) continue;
      const e = Math.exp(-beta * (a[q] - hMin));
      ex[q] = e;
      z += e;
    }
    const f = soft ? hMin - Math.log(z) / beta : hMin;
    out.evidence[i] = f;
    const tail = Math.exp(-beta * hMin) * z;
    out.probability[i] = Number.isFinite(tail) ? 1 / (1 + tail) : 0;
    // a_k = R_k / h_k with R_k = f · share_k; keep the non-negligible ones.
    let nActive = 0;
    let total = 0;
    const cut = 1e-15 * z;
    for (q = 0; q < k; q++) {
      if (q === c || ex[q] < cut) continue;
      const h = a[q];
      const g = h >= 0 ? (h < eps ? eps : h) : h > -eps ? -eps : h;
      const ak = (f * ex[q]) / z / g;
      a[q] = ak;
      active[nActive++] = q;
      total += ak;
    }
    // Pass 2: u = Σ_k a_k μ_k and v = Σ_k a_k μ_k² over the active competitors, four at a
    // time (one sweep of the row per four centroids), then R = 2x(Aμ_c − u) − (Aμ_c² − v).
    u.fill(0);
    v.fill(0);
    let t = 0;
    for (; t + 4 <= nActive; t += 4) {
      const a0 = a[active[t]];
      const a1 = a[active[t + 1]];
      const a2 = a[active[t + 2]];
      const a3 = a[active[t + 3]];
      const o0 = active[t] * dim;
      const o1 = active[t + 1] * dim;
      const o2 = active[t + 2] * dim;
      const o3 = active[t + 3] * dim;
      for (let j = 0; j < dim; j++) {
        u[j] += a0 * mu[o0 + j] + a1 * mu[o1 + j] + a2 * mu[o2 + j] + a3 * mu[o3 + j];
        if (midpoint) v[j] += a0 * muSq[o0 + j] + a1 * muSq[o1 + j] + a2 * muSq[o2 + j] + a3 * muSq[o3 + j];
      }
    }
    for (; t < nActive; t++) {
      const a0 = a[active[t]];
      const o0 = active[t] * dim;
      for (let j = 0; j < dim; j++) {
        u[j] += a0 * mu[o0 + j];
        if (midpoint) v[j] += a0 * muSq[o0 + j];
      }
    }
    const co = c * dim;
    if (midpoint) for (let j = 0; j < dim; j++) row[j] = 2 * data[xo + j] * (total * mu[co + j] - u[j]) - (total * muSq[co + j] - v[j]);
    else for (let j = 0; j < dim; j++) row[j] = 2 * data[xo + j] * (total * mu[co + j] - u[j]);
    onRow?.(i, row);
  }
}
