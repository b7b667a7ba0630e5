/**
 * How a cluster's members split over the known classes (a label column): the per-cluster
 * label rate a data scientist reads from `pd.crosstab(cluster, label)`. Purity and the majority
 * label alone hide it (trial 6 D10: churn data showed "purity 52.4% · majority no" on every
 * card, while the churn share was about 48% in one cluster and 13% in another).
 *
 * Which values a cluster lists: with at most ALL_LABEL_VALUES distinct values in the data,
 * every one (a value no member has shows 0), else the cluster's TOP_LABEL_VALUES most frequent.
 */
import type { LabelCount } from '../types';

/** Label values up to which every value's share is listed. */
export const ALL_LABEL_VALUES = 5;
/** Values listed per cluster when the label has more. */
export const TOP_LABEL_VALUES = 3;

/**
 * @param counts K x L members per (cluster, label value), row-major
 * @param names the L label values
 * @returns K lists of { label, count }, most members first (ties: smaller value first)
 */
export function clusterLabelCounts(counts: Int32Array, k: number, names: readonly string[]): LabelCount[][] {
  const L = names.length;
  const all = L <= ALL_LABEL_VALUES;
  return Array.from({ length: k }, (_, c) => {
    const row: LabelCount[] = [];
    for (let l = 0; l < L; l++) if (all || counts[c * L + l] > 0) row.push({ label: names[l], count: counts[c * L + l] });
    row.sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    return all ? row : row.slice(0, TOP_LABEL_VALUES);
  });
}

/**
 * One text for a cluster's split over the label values, wherever a user reads it (cluster
 * cards, the Clusters tree's tooltip, the CLI's fit summary): "no 87.0% · yes 13.0%" — each
 * value's share of the members, one decimal, in the order given (most first).
 * @param counts members per label value (engine ClusterSummary.labelCounts)
 * @param size the cluster's members (the shares' denominator)
 * @returns "" for an empty cluster or no counts
 */
export function labelSharesText(counts: readonly LabelCount[] | undefined, size: number): string {
  if (!counts || counts.length === 0 || !(size > 0)) return '';
  return counts.map((c) => `${c.label} ${((100 * c.count) / size).toFixed(1)}%`).join(' · ');
}

/**
 * The distinct values of values[0..n) in order of first appearance, and each item's index
 * into them (evaluate/metrics.ts's contingency table uses it too).
 */
export function indexValues(values: readonly string[], n = values.length): { names: string[]; index: Int32Array } {
  const seen = new Map<string, number>();
  const names: string[] = [];
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let l = seen.get(values[i]);
    if (l === undefined) {
      l = names.length;
      seen.set(values[i], l);
      names.push(values[i]);
    }
    index[i] = l;
  }
  return { names, index };
}

/**
 * Members per (cluster, label value) from per-item labels (N) and assignments (N); items whose
 * `skip` is true are not counted (documents without a usable word).
 */
export function labelCountTable(labels: readonly string[], assignments: Int32Array, k: number, skip?: (i: number) => boolean): { names: string[]; counts: Int32Array } {
  const { names, index: rowLabel } = indexValues(labels, assignments.length);
  const L = names.length;
  const counts = new Int32Array(k * L);
  for (let i = 0; i < assignments.length; i++) if (!skip?.(i)) counts[assignments[i] * L + rowLabel[i]]++;
  return { names, counts };
}
