/**
 * One summary per cluster: size, mean evidence, the columns / words that speak for it most
 * (mean relevance over its members) and a readable label built from the top three of them.
 * For tables the label also says which way a numeric column points ("high crunch") or which
 * category dominates ("color=red"), since relevance alone does not say that.
 */
import type { ClusterSummary, Dataset, RankedFeature, TableDataset } from '../types';
import type { AllExplanations } from './explainAll';

export const TOP_UNITS = 10;
const LABEL_UNITS = 3;

/** Units ranked by value, highest first (ties by name so the order is stable). */
function rank(names: readonly string[], values: Float64Array, eligible: (u: number) => boolean, limit: number): RankedFeature[] {
  const order: number[] = [];
  for (let u = 0; u < values.length; u++) if (eligible(u)) order.push(u);
  order.sort((a, b) => values[b] - values[a] || (names[a] < names[b] ? -1 : 1));
  return order.slice(0, limit).map((u) => ({ name: names[u], relevance: values[u] }));
}

function majority(labels: readonly string[], members: readonly number[]): { label?: string; purity?: number } {
  if (members.length === 0) return {};
  const counts = new Map<string, number>();
  for (const i of members) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  let best = '';
  let bestCount = -1;
  for (const [label, count] of counts) if (count > bestCount || (count === bestCount && label < best)) [best, bestCount] = [label, count];
  return { label: best, purity: bestCount / members.length };
}

/** "high crunch" / "low acidity" / "color=red": how a column sets a cluster's members apart. */
function describeColumn(dataset: TableDataset, column: number, members: readonly number[]): string {
  const name = dataset.columns[column].name;
  const { data, cols } = dataset.features;
  const features: number[] = [];
  dataset.featureColumn.forEach((c, j) => {
    if (c === column) features.push(j);
  });
  if (features.length === 0 || members.length === 0) return name;
  const means = features.map((j) => members.reduce((s, i) => s + data[i * cols + j], 0) / members.length);
  if (features.length === 1 && dataset.columns[column].kind === 'numeric') {
    // Standardised features: a mean beyond ±0.25 sd is a direction worth naming.
    if (means[0] > 0.25) return `high ${name}`;
    if (means[0] < -0.25) return `low ${name}`;
    return name;
  }
  const best = means.indexOf(Math.max(...means));
  return dataset.featureNames[features[best]];
}

function membersOf(assignments: Int32Array, k: number): number[][] {
  const members: number[][] = Array.from({ length: k }, () => []);
  assignments.forEach((c, i) => members[c].push(i));
  return members;
}

export function summarizeClusters(dataset: Dataset, k: number, all: AllExplanations, clusterLabels?: readonly string[]): ClusterSummary[] {
  const members = membersOf(all.assignments, k);
  const summaries: ClusterSummary[] = [];
  if (dataset.kind === 'table') {
    const units = dataset.columns.map((c) => c.name);
    const u = units.length;
    const used = new Uint8Array(u);
    dataset.featureColumn.forEach((c) => (used[c] = 1));
    for (let c = 0; c < k; c++) {
      const mean = new Float64Array(u);
      // Values beyond float64 (NaN, PipelineResult.beyondRange) are left out of the means.
      const counted = new Float64Array(u);
      for (const i of members[c]) {
        for (let j = 0; j < u; j++) {
          const r = all.rowRelevance[i * u + j];
          if (!Number.isFinite(r)) continue;
          mean[j] += r;
          counted[j]++;
        }
      }
      for (let j = 0; j < u; j++) mean[j] /= Math.max(1, counted[j]);
      const top = rank(units, mean, (j) => used[j] === 1, TOP_UNITS);
      const labelParts = top
        .filter((t) => t.relevance > 0)
        .slice(0, LABEL_UNITS)
        .map((t) => describeColumn(dataset, units.indexOf(t.name), members[c]));
      summaries.push(summary(c, members[c], all, top, clusterLabels?.[c] ?? labelParts.join(' · '), dataset.labels));
    }
    return summaries;
  }
  const vocabulary = dataset.preprocessing.vocabulary;
  const v = vocabulary.length;
  const { docStart, word } = dataset.tokens;
  const sums = new Float64Array(k * v);
  const seen = new Uint8Array(k * v);
  for (let d = 0; d < dataset.documents.length; d++) {
    const row = all.assignments[d] * v;
    for (let t = docStart[d]; t < docStart[d + 1]; t++) {
      sums[row + word[t]] += all.tokenRelevance[t];
      seen[row + word[t]] = 1;
    }
  }
  for (let c = 0; c < k; c++) {
    const mean = sums.subarray(c * v, (c + 1) * v).map((s) => s / Math.max(1, members[c].length));
    const top = rank(vocabulary, mean, (w) => seen[c * v + w] === 1, TOP_UNITS);
    const label = top.filter((t) => t.relevance > 0).slice(0, LABEL_UNITS).map((t) => t.name).join(', ');
    summaries.push(summary(c, members[c], all, top, clusterLabels?.[c] ?? label, dataset.labels));
  }
  return summaries;
}

function summary(
  index: number,
  members: readonly number[],
  all: AllExplanations,
  top: readonly RankedFeature[],
  label: string,
  labels?: readonly string[],
): ClusterSummary {
  const explained = members.filter((i) => Number.isFinite(all.evidence[i]));
  const meanEvidence = explained.length ? explained.reduce((s, i) => s + all.evidence[i], 0) / explained.length : 0;
  const m = labels ? majority(labels, members) : {};
  return {
    index,
    size: members.length,
    label: members.length === 0 ? '(empty)' : label || `cluster ${index}`,
    top,
    meanEvidence,
    ...(m.label !== undefined ? { majorityLabel: m.label, purity: m.purity } : {}),
  };
}
