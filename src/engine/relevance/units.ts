/**
 * Relevance over the units a user sees (neon-method.md, "Tables" and "Text").
 *
 * Tables: a column expanded into several features (one-hot categories) gets the sum of their
 * relevances, so the per-column relevance still sums to the evidence.
 *
 * Text: the document vector is a per-document multiple σ of the sum of its n known tokens'
 * word vectors v_t (σ = 1/n for the mean; data/documentVector.ts), and the input-layer
 * relevance is linear, R_i = coef_i x_i − offset_i. Splitting x_i = σ Σ_t v_ti gives each token
 * occurrence r_t = σ Σ_i coef_i v_ti − (1/n) Σ_i offset_i, and Σ_t r_t = Σ_i R_i exactly.
 */
import { OptionError } from '../errors';
import type { LinearAttribution, Relevance } from '../types';

/** out[u] = Σ of relevance[j] over the features j with featureColumn[j] = u (out has length `columns`). */
export function sumByColumn(relevance: Relevance, featureColumn: Int32Array, columns: number, out: Float64Array): void {
  if (featureColumn.length !== relevance.length) {
    throw new OptionError(`sumByColumn: ${relevance.length} relevances but ${featureColumn.length} feature-column entries`);
  }
  if (out.length < columns) throw new OptionError(`sumByColumn: output has length ${out.length}, expected ${columns}`);
  out.fill(0, 0, columns);
  for (let j = 0; j < relevance.length; j++) {
    const u = featureColumn[j];
    if (u < 0 || u >= columns) throw new OptionError(`sumByColumn: feature ${j} maps to column ${u}, outside 0..${columns - 1}`);
    out[u] += relevance[j];
  }
}

/**
 * Relevance of each token occurrence (out has the length of `tokenWords`). Tokens whose word
 * index is negative (unknown words, not part of the document vector) get 0 and do not count
 * in n. With no known token the document vector is 0 and every token gets 0. `scale` is the
 * document's σ (default 1/n, the mean).
 */
export function tokenRelevance(
  attribution: LinearAttribution,
  wordVectors: Float64Array,
  dim: number,
  tokenWords: Int32Array,
  out: Float64Array,
  scale?: number,
): void {
  const { coef, offset } = attribution;
  if (coef.length !== dim || offset.length !== dim) {
    throw new OptionError(`tokenRelevance: attribution has ${coef.length} features, word vectors have ${dim}`);
  }
  if (out.length < tokenWords.length) throw new OptionError(`tokenRelevance: output has length ${out.length}, expected ${tokenWords.length}`);
  const vocab = wordVectors.length / dim;
  let n = 0;
  for (let t = 0; t < tokenWords.length; t++) if (tokenWords[t] >= 0) n++;
  let offsetSum = 0;
  for (let i = 0; i < dim; i++) offsetSum += offset[i];
  const sigma = scale ?? 1 / n;
  for (let t = 0; t < tokenWords.length; t++) {
    const w = tokenWords[t];
    if (w < 0) {
      out[t] = 0;
      continue;
    }
    if (w >= vocab) throw new OptionError(`tokenRelevance: token ${t} has word index ${w}, vocabulary size is ${vocab}`);
    const off = w * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += coef[i] * wordVectors[off + i];
    out[t] = sigma * s - offsetSum / n;
  }
}
