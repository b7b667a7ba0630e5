/**
 * IDC with k = auto. k is chosen by the k-means silhouette (fitModel.ts chooseK), but IDC's
 * cluster head is trained by its own loss and can leave some of those k clusters without a row:
 * a user then sees "(empty)" cards for clusters the model never uses. Here IDC is fitted again
 * with as many clusters as it filled, until every cluster has a row (at most MAX_REFITS times),
 * and a note says what happened. A k the user gave is kept as given (its empty clusters are
 * named by the pipeline's empty-cluster note).
 */
import type { ClusterSettings } from '../pipelineTypes';
import type { JobHooks, Matrix } from '../types';
import type { FittedModel } from './fitModel';

/** Refits after the first; each can only lower k. */
export const MAX_REFITS = 2;

/** Distinct clusters among `labels` (length N, values in 0..k-1). */
export function filledClusters(labels: Int32Array, k: number): number {
  const seen = new Uint8Array(k);
  let filled = 0;
  for (let i = 0; i < labels.length; i++) {
    if (seen[labels[i]] === 0) {
      seen[labels[i]] = 1;
      filled++;
    }
  }
  return filled;
}

/**
 * Fits IDC on X (N x D row-major) with `k` clusters through `fit`, then again with the number it
 * filled while some are empty (k >= 2). Returns the last fit with a note in its warnings when
 * k changed. Throws what `fit` throws (CancelledError on abort).
 */
export async function fitIdcFillingK(
  X: Matrix,
  k: number,
  settings: ClusterSettings,
  fit: (X: Matrix, k: number, settings: ClusterSettings, hooks?: JobHooks) => Promise<FittedModel>,
  hooks?: JobHooks,
): Promise<FittedModel> {
  let result = await fit(X, k, settings, hooks);
  const tried = [k];
  for (let r = 0; r < MAX_REFITS; r++) {
    const filled = filledClusters(result.labels, result.model.k);
    if (filled === result.model.k || filled < 2) break;
    result = await fit(X, filled, settings, hooks);
    tried.push(filled);
  }
  if (tried.length === 1) return result;
  const left = result.model.k - filledClusters(result.labels, result.model.k);
  const note =
    `IDC left clusters without a row at k = ${tried.slice(0, -1).join(', then ')} (k = auto is chosen by the k-means silhouette), ` +
    `so it was fitted again with k = ${tried[tried.length - 1]}, the number it filled` +
    (left === 0 ? ': every cluster has rows.' : `; ${left} cluster(s) are still empty.`);
  return { ...result, warnings: [...result.warnings, note] };
}
