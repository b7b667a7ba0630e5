/**
 * Clustering quality for the pipeline, without blocking the worker: the same numbers as
 * evaluate/metrics.ts `qualityMetrics` (silhouette on the same seeded subsample of at most
 * SILHOUETTE_SAMPLE points, plus purity / NMI / ARI / accuracy against labels), but the
 * O(m² D) silhouette loop is split into chunks that yield to the event loop, so a Cancel posted
 * to the worker is seen within ~100 ms even on thousands of points.
 */
import { ari, clusteringAccuracy, nmi, purity } from '../evaluate/metrics';
import { SILHOUETTE_SAMPLE, silhouetteAsync } from '../evaluate/silhouette';
import type { JobHooks, Matrix, QualityMetrics } from '../types';

/** The pipeline's silhouette: seed 0, like `qualityMetrics`, so both give the same value. */
export function chunkedSilhouette(X: Matrix, assignments: Int32Array, k: number, hooks?: JobHooks, sample = SILHOUETTE_SAMPLE): Promise<number> {
  return silhouetteAsync(X, assignments, k, { sample, seed: 0 }, hooks);
}

export async function computeQuality(X: Matrix, assignments: Int32Array, k: number, labels?: readonly string[], hooks?: JobHooks): Promise<QualityMetrics> {
  const silhouette = await chunkedSilhouette(X, assignments, k, hooks);
  if (!labels) return { silhouette };
  return {
    silhouette,
    purity: purity(labels, assignments),
    nmi: nmi(labels, assignments),
    ari: ari(labels, assignments),
    accuracy: clusteringAccuracy(labels, assignments),
  };
}
