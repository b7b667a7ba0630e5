/**
 * Per-cluster means of a table's columns in the user's units (raw values, not features), for
 * pictures of clusters: an image-like table's cluster is shown as its mean image. Computed in the
 * worker, which holds the data; the host only has the relevances.
 */
import type { SessionState } from '../engine/pipeline';
import type { ClusterMeans } from '../protocol/worker';

/**
 * K x U means (U = the table's columns, in dataset.columns order) of each column's values over
 * each cluster's members, NaN for a column that is not a numeric feature or an empty cluster. The
 * features are mapped back through the preprocessing's numeric transforms (x = f * std + mean),
 * so a value is read exactly as the engine read it (number formats, missing cells filled).
 * @throws Error for a text session (no columns).
 */
export function clusterMeans(state: SessionState, assignments: Int32Array, k: number): ClusterMeans {
  const ds = state.dataset;
  if (ds.kind !== 'table') throw new Error('cluster means are defined for tables only');
  const U = ds.columns.length;
  const sums = new Float64Array(k * U);
  const counts = new Float64Array(k * U);
  const n = Math.min(assignments.length, ds.features.rows);
  const { data, cols } = ds.features;
  const transforms = new Map(ds.preprocessing.columns.map((t) => [t.column, t] as const));
  for (let u = 0; u < U; u++) {
    const t = transforms.get(ds.columns[u]!.name);
    const f = ds.featureColumn.indexOf(u);
    if (!t || t.kind !== 'numeric' || f < 0) continue;
    for (let i = 0; i < n; i++) {
      const c = assignments[i]!;
      if (c < 0 || c >= k) continue;
      sums[c * U + u] += data[i * cols + f]! * t.std + t.mean;
      counts[c * U + u]++;
    }
  }
  const means = new Float64Array(k * U);
  for (let i = 0; i < means.length; i++) means[i] = counts[i]! > 0 ? sums[i]! / counts[i]! : NaN;
  return { k, units: U, means };
}
