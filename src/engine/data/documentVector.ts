/**
 * A document's vector in the model's input space from its known tokens, and the factor that
 * makes it an exact multiple of the sum of its tokens' word-vector rows.
 *
 * With the rows r_t of `TextPreprocessing.wordVectors` (centering and PCA folded in), a
 * document is x = σ · Σ_t r_t, where σ depends only on the document:
 *  - `mean` (model files written before length normalisation): σ = 1 / n, x = the mean row;
 *  - `l2` (default since the text-quality comparison in README, "Text features"): the mean
 *    row scaled to unit length, σ = 1 / ‖Σ_t r_t‖ — k-means on unit vectors is spherical
 *    k-means, the usual choice for text, and NEON explains the unit vector itself.
 * Because x is σ times a sum, the first-layer relevance R_i = coef_i x_i − offset_i splits
 * exactly over the occurrences: r_t = σ Σ_i coef_i r_ti − (1/n) Σ_i offset_i
 * (relevance/units.ts `tokenRelevance` with `scale` = σ), and Σ_t r_t = Σ_i R_i.
 * A document without known tokens has x = 0 and σ = 0: no word accounts for anything.
 */
import type { TextPreprocessing } from '../types';

export type DocumentNormalization = NonNullable<TextPreprocessing['normalization']>;

/**
 * Writes x (length dim) for the tokens `word[from..to)` into `out` and returns σ.
 * `out` is overwritten; with no token it is all zeros and σ = 0.
 */
export function documentVector(
  wordVectors: Float64Array,
  dim: number,
  normalization: DocumentNormalization,
  word: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
): number {
  out.fill(0, 0, dim);
  if (to <= from) return 0;
  for (let t = from; t < to; t++) {
    const r = word[t] * dim;
    for (let j = 0; j < dim; j++) out[j] += wordVectors[r + j];
  }
  let scale: number;
  if (normalization === 'l2') {
    let s = 0;
    for (let j = 0; j < dim; j++) s += out[j] * out[j];
    // A sum of exactly cancelling rows has no direction: keep it at the origin (σ = 0).
    scale = s > 0 ? 1 / Math.sqrt(s) : 0;
  } else {
    scale = 1 / (to - from);
  }
  for (let j = 0; j < dim; j++) out[j] *= scale;
  return scale;
}

/** The normalization a preprocessing uses (model files without the field: `mean`). */
export function normalizationOf(pre: TextPreprocessing): DocumentNormalization {
  return pre.normalization ?? 'mean';
}

/**
 * N x dim document vectors (row-major) of a token table, with σ of every document.
 * Row d uses the tokens `word[docStart[d]..docStart[d+1])`.
 */
export function documentVectors(
  wordVectors: Float64Array,
  dim: number,
  normalization: DocumentNormalization,
  word: Int32Array,
  docStart: Int32Array,
): { data: Float64Array; scale: Float64Array } {
  const n = docStart.length - 1;
  const data = new Float64Array(n * dim);
  const scale = new Float64Array(n);
  for (let d = 0; d < n; d++) scale[d] = documentVector(wordVectors, dim, normalization, word, docStart[d], docStart[d + 1], data.subarray(d * dim, (d + 1) * dim));
  return { data, scale };
}
