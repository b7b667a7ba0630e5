/**
 * Clustering quality against reference labels and without them.
 *
 * - purity: Σ_clusters max_class |cluster ∩ class| / N.
 * - nmi: mutual information / arithmetic mean of the two entropies (scikit-learn's default
 *   `average_method='arithmetic'`); 1 when both partitions are a single block.
 * - ari: Hubert & Arabie adjusted Rand index (scikit-learn's `adjusted_rand_score`);
 *   1 for identical partitions up to relabelling, ~0 for random ones.
 * - clusteringAccuracy: best one-to-one matching of clusters to classes (Hungarian
 *   algorithm, O(n³)), fraction of points on matched pairs.
 * - silhouette: mean of (b − a) / max(a, b) with Euclidean distances; a singleton cluster's
 *   point scores 0. Above `sample` points a seeded uniform subsample is scored against
 *   itself (as scikit-learn's `sample_size`).
 */
import { OptionError } from '../errors';
import { indexValues } from '../pipeline/labelCounts';
import { silhouette } from './silhouette';
import type { Matrix, QualityMetrics } from '../types';

/** Default points scored by `silhouette` (O(S²·D) work). */

interface Contingency {
  /** classes x clusters counts, row-major. */
  readonly table: Float64Array;
  readonly classes: number;
  readonly clusters: number;
  readonly n: number;
}

function contingency(labels: readonly string[], assignments: Int32Array): Contingency {
  if (labels.length !== assignments.length) {
    throw new OptionError(`metrics: ${labels.length} labels but ${assignments.length} assignments`);
  }
  const { names: classNames, index: classOf } = indexValues(labels);
  // Compact cluster ids (assignments may skip numbers).
  const clusterIndex = new Map<number, number>();
  const clusterOf = new Int32Array(assignments.length);
  for (let i = 0; i < assignments.length; i++) {
    let c = clusterIndex.get(assignments[i]);
    if (c === undefined) {
      c = clusterIndex.size;
      clusterIndex.set(assignments[i], c);
    }
    clusterOf[i] = c;
  }
  const classes = classNames.length;
  const clusters = clusterIndex.size;
  const table = new Float64Array(classes * clusters);
  for (let i = 0; i < labels.length; i++) table[classOf[i] * clusters + clusterOf[i]]++;
  return { table, classes, clusters, n: labels.length };
}

export function purity(labels: readonly string[], assignments: Int32Array): number {
  const { table, classes, clusters, n } = contingency(labels, assignments);
  if (n === 0) return 0;
  let total = 0;
  for (let k = 0; k < clusters; k++) {
    let m = 0;
    for (let c = 0; c < classes; c++) if (table[c * clusters + k] > m) m = table[c * clusters + k];
    total += m;
  }
  return total / n;
}

/** Normalised mutual information, arithmetic-mean normalisation. */
export function nmi(labels: readonly string[], assignments: Int32Array): number {
  const { table, classes, clusters, n } = contingency(labels, assignments);
  if (n === 0) return 0;
  const rowSum = new Float64Array(classes);
  const colSum = new Float64Array(clusters);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < clusters; k++) {
      rowSum[c] += table[c * clusters + k];
      colSum[k] += table[c * clusters + k];
    }
  }
  if (classes === 1 && clusters === 1) return 1;
  if (classes === 1 || clusters === 1) return 0;
  let mi = 0;
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < clusters; k++) {
      const v = table[c * clusters + k];
      if (v > 0) mi += (v / n) * Math.log((v * n) / (rowSum[c] * colSum[k]));
    }
  }
  const hu = entropy(rowSum, n);
  const hv = entropy(colSum, n);
  const denominator = (hu + hv) / 2;
  return denominator > 0 ? Math.max(0, Math.min(1, mi / denominator)) : 1;
}

function entropy(counts: Float64Array, n: number): number {
  let h = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) h -= (counts[i] / n) * Math.log(counts[i] / n);
  return h;
}

/** Adjusted Rand index. */
export function ari(labels: readonly string[], assignments: Int32Array): number {
  const { table, classes, clusters, n } = contingency(labels, assignments);
  // Both partitions trivial in the same way (one block each, or all singletons): identical.
  if (n === 0 || (classes === clusters && (classes === 1 || classes === n))) return 1;
  const pairs = (v: number): number => (v * (v - 1)) / 2;
  let sumCells = 0;
  const rowSum = new Float64Array(classes);
  const colSum = new Float64Array(clusters);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < clusters; k++) {
      const v = table[c * clusters + k];
      sumCells += pairs(v);
      rowSum[c] += v;
      colSum[k] += v;
    }
  }
  let sumRows = 0;
  for (let c = 0; c < classes; c++) sumRows += pairs(rowSum[c]);
  let sumCols = 0;
  for (let k = 0; k < clusters; k++) sumCols += pairs(colSum[k]);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 0;
  return (sumCells - expected) / (max - expected);
}

/** Hungarian-matched accuracy: fraction of points whose cluster maps to their class. */
export function clusteringAccuracy(labels: readonly string[], assignments: Int32Array): number {
  const { table, classes, clusters, n } = contingency(labels, assignments);
  if (n === 0) return 0;
  // Square cost matrix (pad with zero-count rows/cols): minimise −count.
  const size = Math.max(classes, clusters);
  const cost = new Float64Array(size * size);
  for (let c = 0; c < classes; c++) for (let k = 0; k < clusters; k++) cost[k * size + c] = -table[c * clusters + k];
  const match = hungarian(cost, size, size);
  let hit = 0;
  for (let k = 0; k < clusters; k++) {
    const c = match[k];
    if (c < classes) hit += table[c * clusters + k];
  }
  return hit / n;
}

/**
 * Minimum-cost assignment (Hungarian algorithm with potentials, O(rows²·cols)).
 * cost is rows x cols row-major with rows <= cols; returns for each row its column.
 */
export function hungarian(cost: Float64Array, rows: number, cols: number): Int32Array {
  if (rows > cols) throw new OptionError(`hungarian: needs rows <= cols, got ${rows} x ${cols}`);
  if (cost.length !== rows * cols) throw new OptionError(`hungarian: cost has ${cost.length} entries, expected ${rows} x ${cols}`);
  // 1-based arrays as in the classic formulation; p[j] = row matched to column j.
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const p = new Int32Array(cols + 1);
  const way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * cols + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (p[j] !== 0) result[p[j] - 1] = j - 1;
  return result;
}

/** Silhouette always; purity / NMI / ARI / accuracy when reference labels are given. */
export function qualityMetrics(X: Matrix, assignments: Int32Array, k: number, labels?: readonly string[]): QualityMetrics {
  const s = silhouette(X, assignments, k);
  if (!labels) return { silhouette: s };
  return {
    silhouette: s,
    purity: purity(labels, assignments),
    nmi: nmi(labels, assignments),
    ari: ari(labels, assignments),
    accuracy: clusteringAccuracy(labels, assignments),
  };
}

export { silhouette, silhouetteAsync, SILHOUETTE_SAMPLE } from './silhouette';
