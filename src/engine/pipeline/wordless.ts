/**
 * Documents without a usable word (issue 8, "Degenerate clusterings"; case 06): only stop
 * words, numbers, words shorter than the minimum or outside the vocabulary, or nothing. Their
 * document vector is 0 because no word says anything, so they are neither fitted (a block of
 * identical zero vectors would pull a centroid or form a cluster of its own) nor presented as
 * members: their evidence is reported as 0, the sum of their (no) word relevances, and their
 * soft assignment as 1/K.
 */
import type { Dataset, Matrix } from '../types';
import type { AllExplanations } from './explainAll';
import { MEMBER_WORDLESS } from './summaries';

export interface FittingRows {
  /** The rows to fit on (all rows, or the documents that have a known word). */
  readonly X: Matrix;
  /** Maps labels of the fitted rows back to all N rows (-1 for rows not fitted). */
  spread(labels: Int32Array): Int32Array;
}

export function fittingRows(dataset: Dataset): FittingRows {
  const X = dataset.features;
  if (dataset.kind !== 'text') return { X, spread: (labels) => labels };
  const { docStart } = dataset.tokens;
  const kept: number[] = [];
  for (let d = 0; d < X.rows; d++) if (docStart[d + 1] > docStart[d]) kept.push(d);
  if (kept.length === X.rows) return { X, spread: (labels) => labels };
  const dim = X.cols;
  const data = new Float64Array(kept.length * dim);
  kept.forEach((d, r) => data.set(X.data.subarray(d * dim, (d + 1) * dim), r * dim));
  return {
    X: { rows: kept.length, cols: dim, data },
    spread: (labels) => {
      const out = new Int32Array(X.rows).fill(-1);
      kept.forEach((d, r) => (out[d] = labels[r]));
      return out;
    },
  };
}

/** Word-less documents: evidence 0 (what their words account for) and probability 1/K. */
export function placeWordless(all: AllExplanations, status: Uint8Array, k: number): void {
  for (let i = 0; i < status.length; i++) {
    if (status[i] !== MEMBER_WORDLESS) continue;
    all.evidence[i] = 0;
    all.probability[i] = 1 / k;
  }
}
