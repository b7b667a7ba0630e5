/**
 * Splitting a unit's relevance among the competitors it separates the point from.
 *
 * NEON's detailed explanation (paper Fig. 4c) gives R_ik: the part of feature i's relevance
 * owed to competitor k, with Σ_k R_ik = R_i. A unit u (a column, a token) holds some share of
 * each feature's relevance; we give competitor k the same proportion of that share as it has
 * of the feature: R_uk = Σ_i r_ui · R_ik / R_i. Then Σ_k R_uk = R_u exactly. Where R_i ≈ 0 the
 * proportions are undefined and the competitor shares R_k / f_c are used instead.
 */

/** Per-feature proportions P (K x D): P[k, i] = R_ik / R_i, with the fallback described above. */
export function competitorProportions(relevance: Float64Array, perCompetitor: Float64Array, shares: Float64Array, k: number): Float64Array {
  const d = relevance.length;
  const p = new Float64Array(k * d);
  let scale = 0;
  for (let i = 0; i < d; i++) scale += Math.abs(relevance[i]);
  const tiny = 1e-12 * (scale + 1e-300);
  let shareSum = 0;
  for (let c = 0; c < k; c++) shareSum += shares[c];
  for (let i = 0; i < d; i++) {
    const r = relevance[i];
    if (Math.abs(r) > tiny) {
      for (let c = 0; c < k; c++) p[c * d + i] = perCompetitor[c * d + i] / r;
    } else {
      for (let c = 0; c < k; c++) p[c * d + i] = shareSum !== 0 ? shares[c] / shareSum : 0;
    }
  }
  return p;
}

/**
 * Token t of a document with n known tokens holds u_ti = σ coef_i v_ti − offset_i / n of
 * feature i (the linear input layer, types.ts LinearAttribution; σ = the document's scale,
 * 1/n for the mean, data/documentVector.ts). Writes the K x T split Σ_i u_ti P[k, i] into
 * `out` (row k, column t).
 */
export function splitTokens(
  coef: Float64Array,
  offset: Float64Array,
  wordVectors: Float64Array,
  dim: number,
  tokenWords: ArrayLike<number>,
  proportions: Float64Array,
  k: number,
  out: Float64Array,
  scale?: number,
): void {
  const n = tokenWords.length;
  const sigma = scale ?? 1 / n;
  const u = new Float64Array(dim);
  for (let t = 0; t < n; t++) {
    const v = tokenWords[t] * dim;
    for (let i = 0; i < dim; i++) u[i] = sigma * coef[i] * wordVectors[v + i] - offset[i] / n;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const row = c * dim;
      for (let i = 0; i < dim; i++) s += u[i] * proportions[row + i];
      out[c * n + t] = s;
    }
  }
}

/**
 * The competitor a token most separates the point from: the one with the largest split in the
 * token's own direction (for a token speaking against the cluster, the competitor it speaks for).
 */
export function topCompetitor(split: Float64Array, k: number, n: number, t: number, relevance: number, assigned: number): number {
  const sign = relevance < 0 ? -1 : 1;
  let best = -1;
  let bestValue = -Infinity;
  for (let c = 0; c < k; c++) {
    if (c === assigned) continue;
    const v = sign * split[c * n + t];
    if (v > bestValue) [best, bestValue] = [c, v];
  }
  return best;
}
