/**
 * One text for a cluster's split over the label values, wherever a user reads it (cluster
 * cards, the Clusters tree's tooltip, the CLI): "no 87.0% · yes 13.0%" — each value's share of
 * the members, one decimal, in the order given (most first: pipeline/labelCounts.ts).
 */
export interface LabelShare {
  readonly label: string;
  readonly count: number;
}

/**
 * @param counts members per label value (engine ClusterSummary.labelCounts)
 * @param size the cluster's members (the shares' denominator)
 * @returns "" for an empty cluster or no counts
 */
export function labelSharesText(counts: readonly LabelShare[] | undefined, size: number): string {
  if (!counts || counts.length === 0 || !(size > 0)) return '';
  return counts.map((c) => `${c.label} ${((100 * c.count) / size).toFixed(1)}%`).join(' · ');
}
