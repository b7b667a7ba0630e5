/**
 * The corpus half of a rare word's row, predicted from its general-English vector (trial s19,
 * defect D1). A word seen once or a few times has no reliable corpus PPMI-SVD vector (its
 * co-occurrence row is one document's handful of neighbours), but the shipped general vectors
 * know what it means. Leaving its corpus half at 0 places every rare word near the origin of the
 * corpus space, whatever it means; instead the corpus half is the ridge-regression prediction
 * from the general half, fitted on the corpus words that have both (a linear map between two
 * embedding spaces: Mikolov, Le & Sutskever 2013, "Exploiting similarities among languages for
 * machine translation"). A rare word about football lands near the corpus's football words.
 *
 * Ridge, not least squares: on a small corpus there are fewer shared words than general
 * dimensions (40 one-sentence notes: 34 words, 100 dimensions). The penalty α is the mean
 * eigenvalue of GᵀG, so it scales with the data and needs no tuned constant; it shrinks the
 * prediction toward 0 where the evidence is thin.
 *
 * Measured (bench/text-seeds.ts, k-means at k = classes, seeds 1-3; mean NMI over fortunes,
 * Debian packages and man pages; README "Text clustering quality"): before (rare words left
 * out) 0.563; rare words with a corpus half of 0: 0.554 (the packages lose 0.02 and get a 14%
 * catch-all); with the predicted half: 0.565, and the 40 notes of trial s19 find their 4 topics.
 */
import { symmetricEigen } from '../linalg/symmetricEigen';

/**
 * A rare word's token weight relative to a corpus word of the same IDF (data/textDataset.ts
 * tokenWeights; the factor is folded into the word's row, so a document stays σ × the sum of its
 * tokens' rows and each occurrence keeps an exact share of the relevance). A corpus word's row
 * has two measured halves of equal mean energy (the corpus PPMI-SVD vector and the general one,
 * balanced by λ in data/generalVectors.ts); a rare word has one measured half and a predicted
 * one, so its occurrence counts half. With the √IDF weight alone a word seen once weighs the
 * most of all, and a short document becomes its rarest words' general meaning. Measured
 * (k-means at k = classes): on 200 one-line package descriptions of 4 sections
 * (test/fixtures/text-corpora/small-labelled.jsonl, seeds 1-8) NMI 0.704 before, 0.675 with
 * factor 1, 0.722 / 0.710 / 0.715 with 0.75 / 0.5 / 0.25; on the 40 notes of trial s19 (k = auto,
 * seeds 42, 1-3) 4 clusters on every seed, one sentence misplaced at 1 and 0.25, none at 0.75 and
 * 0.5; on the three large corpora (seeds 1-3) mean NMI 0.565 / 0.565 / 0.562 at 1 / 0.75 / 0.5
 * against 0.563 before, all within the seeds' spread.
 */
export const RARE_WORD_WEIGHT = 0.5;

/**
 * Fills the corpus half (columns 0..ownDim) of rows `from..V` of `vectors` (V × dim,
 * row-major; columns ownDim..dim are the general half, already filled, 0 for a word without a
 * general vector) with B applied to the row's general half, where B (gd × ownDim, gd = dim −
 * ownDim) minimises Σ ‖g_v B − own_v‖² + α ‖B‖² over the rows v < `from` with `known[v]`.
 * Rows without a general vector keep a corpus half of 0. Nothing happens without shared rows.
 */
export function predictCorpusHalf(vectors: Float64Array, dim: number, ownDim: number, from: number, known: readonly boolean[]): void {
  const V = vectors.length / dim;
  const gd = dim - ownDim;
  if (from >= V || ownDim === 0 || gd === 0) return;
  const gtg = new Float64Array(gd * gd);
  const gto = new Float64Array(gd * ownDim);
  let shared = 0;
  for (let v = 0; v < from; v++) {
    if (!known[v]) continue;
    shared++;
    const o = v * dim;
    const g = o + ownDim;
    for (let i = 0; i < gd; i++) {
      const gi = vectors[g + i];
      if (gi === 0) continue;
      for (let j = 0; j < gd; j++) gtg[i * gd + j] += gi * vectors[g + j];
      for (let j = 0; j < ownDim; j++) gto[i * ownDim + j] += gi * vectors[o + j];
    }
  }
  if (shared === 0) return;
  let trace = 0;
  for (let i = 0; i < gd; i++) trace += gtg[i * gd + i];
  const alpha = trace / gd;
  // B = Q diag(1 / (l + α)) Qᵀ Gᵀ O with GᵀG = Q diag(l) Qᵀ (eigenvectors as rows of `q`).
  const { values, vectors: q } = symmetricEigen(gtg, gd, gd);
  const inner = new Float64Array(gd * ownDim);
  for (let c = 0; c < gd; c++) {
    const f = 1 / (Math.max(0, values[c]) + alpha);
    for (let i = 0; i < gd; i++) {
      const e = f * q[c * gd + i];
      if (e === 0) continue;
      for (let j = 0; j < ownDim; j++) inner[c * ownDim + j] += e * gto[i * ownDim + j];
    }
  }
  const b = new Float64Array(gd * ownDim);
  for (let c = 0; c < gd; c++) {
    for (let i = 0; i < gd; i++) {
      const e = q[c * gd + i];
      for (let j = 0; j < ownDim; j++) b[i * ownDim + j] += e * inner[c * ownDim + j];
    }
  }
  for (let v = from; v < V; v++) {
    if (!known[v]) continue;
    const o = v * dim;
    const g = o + ownDim;
    for (let j = 0; j < ownDim; j++) vectors[o + j] = 0;
    for (let i = 0; i < gd; i++) {
      const gi = vectors[g + i];
      if (gi === 0) continue;
      for (let j = 0; j < ownDim; j++) vectors[o + j] += gi * b[i * ownDim + j];
    }
  }
}
