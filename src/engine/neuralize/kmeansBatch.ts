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
 * The relevance is the first-layer rule in factored form; the rule itself (midpoint, reference,
 * z) is plugged in from batchRoots.ts. With a_k = R_k / den_k, A = Σ_k a_k,
 * u = Σ_k a_k μ_k and v = Σ_k a_k μ_k² (element-wise), the midpoint rule is
 *   R_i = Σ_k a_k w_ki (x_i − m_ki) = 2x_i (A μ_ci − u_i) − (A μ_ci² − v_i),
 * the reference rule R_i = 2(x_i − r_i)(A μ_ci − u_i) (one sweep fewer) and the z-rule
 * R_i = 2 x_i (A μ_ci − u_i): two to three multiply-adds per centroid entry in all, against two
 * for the distances of an assignment pass. Competitors whose share of the evidence underflows
 * below 1e-15 of it are skipped: their terms are below rounding.
 *
 * Numerical range: a row whose result is not finite, or whose relevances do not add up to its
 * evidence to 1e-10 (numbers whose squares overflow, huge offsets with a tiny spread), is
 * recomputed in the rescaled space of kmeansScaled.ts; `status[i]` then says whether part of it
 * is beyond float64 (those values are NaN; the per-point API names the features).
 */
import { OptionError } from '../errors';
import { batchRoot } from './batchRoots';
import { explainKMeansRowScaled } from './kmeansScaled';
import type { KMeansModel, Matrix, NeonOptions } from '../types';

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
  const root = batchRoot(model, options, eps);
  const squares = root.needsSquares;
  const conservative = options.rule !== 'z';
  const a = new Float64Array(k);
  // + 1 for the assigned cluster, + 3 for padding to a block of four.
  const active = new Int32Array(k + 4);
  const weight = new Float64Array(k + 4);
  const scratch = new Float64Array(dim);

  const ex = new Float64Array(k);
  const u = new Float64Array(dim);
  const v = new Float64Array(dim);
  const muSq = new Float64Array(squares ? k * dim : 0);
  for (let j = 0; j < muSq.length; j++) muSq[j] = mu[j] * mu[j];
  // Scratch of the rescaled path (rows it must recompute).
  const scaledOut = { relevance: scratch, competitorShares: new Float64Array(k), coef: new Float64Array(dim), offset: new Float64Array(dim) };

  // Pass 1 for two rows at once: dot products with four centroids per sweep, so each loaded
  // centroid entry serves two rows and each row entry four centroids (the assignment pass's
  // blocking). dots2 holds row i's products at [0, k) and row i+1's at [k, 2k).
  const dots2 = new Float64Array(2 * k);
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
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let j = 0; j < dim; j++) {
        const x = data[xa + j];
        const y = data[xb + j];
        const m0 = mu[o0 + j];
        const m1 = mu[o1 + j];
        const m2 = mu[o2 + j];
        const m3 = mu[o3 + j];
        s0 += m0 * x;
        s1 += m1 * x;
        s2 += m2 * x;
        s3 += m3 * x;
        t0 += m0 * y;
        t1 += m1 * y;
        t2 += m2 * y;
        t3 += m3 * y;
      }
      dots2[q] = s0;
      dots2[q + 1] = s1;
      dots2[q + 2] = s2;
      dots2[q + 3] = s3;
      dots2[k + q] = t0;
      dots2[k + q + 1] = t1;
      dots2[k + q + 2] = t2;
      dots2[k + q + 3] = t3;
    }
    for (; q < k; q++) {
      const qo = q * dim;
      let s = 0;
      let t = 0;
      for (let j = 0; j < dim; j++) {
        s += mu[qo + j] * data[xa + j];
        t += mu[qo + j] * data[xb + j];
      }
      dots2[q] = s;
      dots2[k + q] = t;
    }
    finishRow(i, 0);
    if (pair) finishRow(i + 1, k);
  }

  /** Assignment, evidence, probability and relevance of row i from its dot products. */
  function finishRow(i: number, at: number): void {
    const xo = i * dim;
    let q = 0;
    let c = 0;
    let bestD = Infinity;
    for (q = 0; q < k; q++) {
      const d = norms[q] - 2 * dots2[at + q];
      if (d < bestD) {
        bestD = d;
        c = q;
      }
    }
    out.cluster[i] = c;
    if (out.status) out.status[i] = 0;
    const row = scratch;
    if (k === 1) {
      out.evidence[i] = 0;
      out.probability[i] = 1;
      row.fill(0);
      out.relevance?.set(row, xo);
      onRow?.(i, row);
      return;
    }
    // h_k = o_k − o_c; hMin is the hard margin.
    let hMin = Infinity;
    for (q = 0; q < k; q++) {
      if (q === c) continue;
      const h = 2 * (dots2[at + c] - dots2[at + q]) + norms[q] - norms[c];
      a[q] = h;
      if (h < hMin) hMin = h;
    }
    // Min-takes-most shares exp(−β(h_k − hMin)) / Z, Z ≥ 1; p(c|x) = 1 / (1 + Σ exp(−β h_k)).
    // Weights below e^-40 of the largest are dropped without calling exp: their relevance
    // terms are far below rounding (the share cut-off below is 1e-15).
    let z = 0;
    for (q = 0; q < k; q++) {
      if (q === c) continue;
      const arg = beta * (a[q] - hMin);
      const e = arg > 40 ? 0 : Math.exp(-arg);
      ex[q] = e;
      z += e;
    }
    const f = soft ? hMin - Math.log(z) / beta : hMin;
    out.evidence[i] = f;
    const tail = Math.exp(-beta * hMin) * z;
    out.probability[i] = Number.isFinite(tail) ? 1 / (1 + tail) : 0;
    // a_k = R_k / h_k with R_k = f · share_k; keep the non-negligible ones. The assigned
    // cluster joins the list with weight −A, so that with U = Σ a_k μ_k − Aμ_c and
    // V = Σ a_k μ_k² − Aμ_c², R = V − 2x ⊙ U (midpoint) or −2x ⊙ U (z-rule).
    let nActive = 1;
    let total = 0;
    const cut = 1e-15 * z;
    root.startRow(data, xo);
    for (q = 0; q < k; q++) {
      if (q === c || ex[q] < cut) continue;
      const h = a[q];
      const ak = (f * ex[q]) / z / root.denominator(c, q, h, dots2, at);
      a[q] = ak;
      active[nActive++] = q;
      total += ak;
    }
    active[0] = c;
    a[c] = -total;
    // Pad to a multiple of four with zero weights, so every sweep is a full block of four.
    while (nActive % 4 !== 0) {
      weight[nActive] = 0;
      active[nActive++] = c;
    }
    for (let t = 0; t < nActive; t++) if (t === 0 || active[t] !== c) weight[t] = a[active[t]];
    // Pass 2: four centroids per sweep of the row.
    u.fill(0);
    v.fill(0);
    for (let t = 0; t < nActive; t += 4) {
      const a0 = weight[t];
      const a1 = weight[t + 1];
      const a2 = weight[t + 2];
      const a3 = weight[t + 3];
      const o0 = active[t] * dim;
      const o1 = active[t + 1] * dim;
      const o2 = active[t + 2] * dim;
      const o3 = active[t + 3] * dim;
      if (squares) {
        for (let j = 0; j < dim; j++) {
          u[j] += a0 * mu[o0 + j] + a1 * mu[o1 + j] + a2 * mu[o2 + j] + a3 * mu[o3 + j];
          v[j] += a0 * muSq[o0 + j] + a1 * muSq[o1 + j] + a2 * muSq[o2 + j] + a3 * muSq[o3 + j];
        }
      } else {
        for (let j = 0; j < dim; j++) u[j] += a0 * mu[o0 + j] + a1 * mu[o1 + j] + a2 * mu[o2 + j] + a3 * mu[o3 + j];
      }
    }
    root.relevance(row, data, xo, c, u, v, active, weight, nActive);
    if (!exactRow(row, f, conservative)) recompute(i, xo);
    out.relevance?.set(row, xo);
    onRow?.(i, row);
  }

  /** The row again in the rescaled space (kmeansScaled.ts), its cluster included. */
  function recompute(i: number, xo: number): void {
    const r = explainKMeansRowScaled(model, options, data.subarray(xo, xo + dim), scaledOut);
    out.cluster[i] = r.cluster;
    out.evidence[i] = r.evidence;
    out.probability[i] = r.probability;
    if (out.status) out.status[i] = r.beyond ? ROW_BEYOND_RANGE : ROW_EXACT;
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
