/**
 * Pictures of the clusters of an image-like table (digits: 8 x 8 pixels): each cluster's mean
 * image (the mean of every pixel over its members, in the file's units) and its relevance map
 * (the mean relevance of every pixel for the cluster over its members), laid out row-major.
 * Shown in the panel's cluster cards and the tree's cluster tooltips.
 */
import { imageLayoutOf } from './imageLayout';
import type { Session } from './session';

export interface ClusterImage {
  readonly cluster: number;
  readonly side: number;
  /** side² mean pixel values (NaN where unknown). */
  readonly mean: Float64Array;
  /** side² mean relevances (0 for pixels that are not features). */
  readonly relevance: Float64Array;
}

const cache = new WeakMap<Session, readonly ClusterImage[] | null>();

/**
 * The clusters' images, or undefined when the table is not image-like. Computed once per
 * session (its cluster means are fetched before the session is published).
 */
export function clusterImages(session: Session): readonly ClusterImage[] | undefined {
  const known = cache.get(session);
  if (known !== undefined) return known ?? undefined;
  const r = session.result;
  if (r.dataset.kind !== 'table') return remember(session, null);
  const layout = imageLayoutOf(r.units);
  if (!layout) return remember(session, null);
  const U = r.units.length;
  const K = r.model.k;
  const column = layout.columns.map((name) => r.units.indexOf(name));
  const sums = new Float64Array(K * U);
  const counts = new Float64Array(K);
  for (let i = 0; i < r.assignments.length; i++) {
    const c = r.assignments[i]!;
    counts[c]++;
    for (let u = 0; u < U; u++) sums[c * U + u] += r.rowRelevance[i * U + u]!;
  }
  const means = session.clusterMeans;
  const images: ClusterImage[] = [];
  for (let c = 0; c < K; c++) {
    const mean = new Float64Array(column.length).fill(NaN);
    const relevance = new Float64Array(column.length);
    column.forEach((u, p) => {
      if (u < 0) return;
      if (counts[c]! > 0) relevance[p] = sums[c * U + u]! / counts[c]!;
      if (means && means.units === U) mean[p] = means.means[c * U + u]!;
    });
    images.push({ cluster: c, side: layout.side, mean, relevance });
  }
  return remember(session, images);
}

function remember(session: Session, value: readonly ClusterImage[] | null): readonly ClusterImage[] | undefined {
  cache.set(session, value);
  return value ?? undefined;
}
