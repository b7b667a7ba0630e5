/**
 * One summary per cluster: size, mean evidence, the columns / words that speak for it most
 * and a readable label built from the top three of them.
 *
 * Tables: columns ranked by mean relevance over the members; the label also says which way a
 * numeric column points ("high crunch") or which category dominates ("color=red"), since
 * relevance alone does not say that.
 *
 * Text (issue 11: clusters a reader can name):
 * - Words are ranked by a class-TF-IDF-like score computed from NEON relevance: the word's
 *   mean relevance over the members (frequent in them AND carrying their evidence against
 *   the competitors) times the log of its lift, how much more often the members contain it
 *   than the other documents do. A word that every cluster uses has lift ≈ 1 and never
 *   labels a cluster, however often it occurs.
 * - A cluster is marked mixed (label prefix, `mixed` reason) when its documents share little
 *   (low cohesion of its document vectors: the length of their mean direction), or it does
 *   not come back when k-means is re-fitted on subsamples (clusterwise stability,
 *   evaluate/clusterStability.ts) while its members are less firmly assigned than the median
 *   cluster's, or its mean evidence is very low, or most of its members are weakly assigned.
 *   See `mixedReason` for the rule and its measurement.
 * - A member is weakly assigned when its evidence is near zero: below WEAK_EVIDENCE of the
 *   median evidence of all documents. Documents without a usable word are not members at
 *   all (memberStatus MEMBER_WORDLESS): their evidence is 0 and no word is highlighted.
 * - Each cluster names a few example documents, the most typical: the members (not weak)
 *   whose document vectors are closest in direction to the members' mean.
 */
import type { ClusterSummary, Dataset, RankedFeature, TableDataset, TextDataset } from '../types';
import type { AllExplanations } from './explainAll';
import { MEMBER_CONFIDENT, MEMBER_WEAK, MEMBER_WORDLESS } from './memberStatus';
import { clusterLabelCounts, labelCountTable } from './labelCounts';
import { tableClusterStats, type TableClusterStats } from './tableClusterStats';

export const TOP_UNITS = 10;
export const LABEL_UNITS = 3;
/**
 * A table column names its cluster only when its mean relevance is at least this share of the
 * cluster's top column: measured on coffee-shops, customers, wine, sales_de, breast_cancer and
 * the e2e tables, every informative name term carries ≥ 0.13 of the top term, while the terms
 * that said nothing (telco's "PaymentMethod=Bank transfer" at 0.000, IDC's "low opens_at" at
 * 0.055 on coffee-shops) sat below 0.06.
 */
export const LABEL_SHARE = 0.1;
/** Example documents per cluster card. */
export const EXAMPLES = 3;
/** A member whose evidence is below this fraction of the median evidence is weakly assigned. */
export const WEAK_EVIDENCE = 0.2;
/** Member status codes (PipelineResult.memberStatus), re-exported for the pipeline's callers. */
export { MEMBER_CONFIDENT, MEMBER_WEAK, MEMBER_WORDLESS };
/**
 * Mixed-cluster thresholds, relative to the median over the clusters with members: cohesion
 * (length of the members' mean unit direction) below MIXED_COHESION x median; or stability
 * below MIXED_STABILITY together with a mean evidence below MIXED_UNSTABLE_EVIDENCE x median;
 * or mean evidence below MIXED_EVIDENCE x median; or more than MIXED_WEAK_SHARE of members weak.
 */
export const MIXED_COHESION = 0.7;
/** Clusterwise Jaccard (Hennig 2007) below which a cluster counts as unstable: between his "dissolved" (0.5) and "stable" (0.75). */
export const MIXED_STABILITY = 2 / 3;
export const MIXED_UNSTABLE_EVIDENCE = 0.85;
const MIXED_EVIDENCE = 0.5;
const MIXED_WEAK_SHARE = 0.5;

/** Per-cluster stability (evaluate/clusterStability.ts) and how it was measured, for the reason text. */
export interface StabilityInput {
  /** Length K: mean Jaccard of each cluster with its best match over the re-fits (NaN = not measured). */
  readonly jaccard: Float64Array;
  readonly refits: number;
  /** Share of the documents each re-fit saw. */
  readonly fraction: number;
}

/** Units ranked by value, highest first (ties by name so the order is stable). */
export function rank(names: readonly string[], values: Float64Array, eligible: (u: number) => boolean, limit: number): number[] {
  const order: number[] = [];
  for (let u = 0; u < values.length; u++) if (eligible(u)) order.push(u);
  order.sort((a, b) => values[b] - values[a] || (names[a] < names[b] ? -1 : 1));
  return order.slice(0, limit);
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

/**
 * "high crunch" / "low acidity" / "color=red": how a column sets cluster c's members apart,
 * from the one-pass statistics (tableClusterStats.ts).
 */
function describeColumn(dataset: TableDataset, column: number, c: number, stats: TableClusterStats): string {
  const name = dataset.columns[column].name;
  const d = dataset.features.cols;
  const features: number[] = [];
  dataset.featureColumn.forEach((col, j) => {
    if (col === column) features.push(j);
  });
  if (features.length === 0 || stats.size[c] === 0) return name;
  if (features.length === 1 && dataset.columns[column].kind === 'numeric') {
    // Compared with the column over all rows, in its standard deviations (features may be
    // standardised or, for image-like tables, scaled as pixels): beyond ±0.25 sd is "high" /
    // "low"; closer is named too ("average"), so every term of a cluster name has a direction.
    const j = features[0];
    const sd = stats.columnSd[j];
    const z = sd > 0 ? (stats.featureMean[c * d + j] - stats.columnMean[j]) / sd : 0;
    if (z > 0.25) return `high ${name}`;
    if (z < -0.25) return `low ${name}`;
    return `average ${name}`;
  }
  // The category (one-hot feature) most frequent among the members; the first on a tie.
  let best = features[0];
  for (const j of features) if (stats.featureMean[c * d + j] > stats.featureMean[c * d + best]) best = j;
  return dataset.featureNames[best];
}

/**
 * Where cluster c's members sit on a column, to tell apart clusters whose names are the same
 * (distinctLabels' last resort): "py ≈ 511.5" for a numeric column (the members' mean in the
 * file's units; "py +1.8 sd" from all rows' mean when not standardised), "color=red 72%" for a categorical one (its most frequent category's share).
 */
function columnPosition(dataset: TableDataset, column: number, c: number, stats: TableClusterStats): string | undefined {
  const d = dataset.features.cols;
  const features: number[] = [];
  dataset.featureColumn.forEach((col, j) => {
    if (col === column) features.push(j);
  });
  if (features.length === 0) return undefined;
  if (features.length === 1 && dataset.columns[column].kind === 'numeric') {
    const j = features[0];
    const sd = stats.columnSd[j];
    if (!(sd > 0)) return undefined;
    const name = dataset.columns[column].name;
    // In the file's units when the column was standardised (x' = (x − mean) / std), else in sd.
    const t = dataset.preprocessing.columns.find((ct) => ct.column === name);
    if (t?.kind === 'numeric' && t.std > 0) return `${name} ≈ ${Number((stats.featureMean[c * d + j] * t.std + t.mean).toPrecision(4))}`;
    const z = (stats.featureMean[c * d + j] - stats.columnMean[j]) / sd;
    return `${name} ${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(1)} sd`;
  }
  let best = features[0];
  for (const j of features) if (stats.featureMean[c * d + j] > stats.featureMean[c * d + best]) best = j;
  return `${dataset.featureNames[best]} ${Math.round(100 * stats.featureMean[c * d + best])}%`;
}

/** Most terms a cluster name grows to when it must be told apart from another (LABEL_UNITS + 2). */
export const MAX_LABEL_UNITS = LABEL_UNITS + 2;

export interface DistinctLabelRules {
  /** Whether cluster c is named from its terms (false: empty, or named by the user: left as is). */
  readonly named: (c: number) => boolean;
  /** The name from the terms ("high py · low px", "mixed: a, b, c"). */
  readonly format: (c: number, parts: readonly string[]) => string;
  /** Last resort for a name still shared: a short position ("py ≈ 511.5"), else "cluster c" is used. */
  readonly fallback: (c: number) => string | undefined;
}

/**
 * Names that tell the clusters apart (trial 6 D9: tickets.csv at k = 4 had two clusters
 * "high resolution_hours", case 01's points.csv at k = 10 four "high py"). While names collide,
 * every cluster in a colliding group takes its next term from `more[c]` (its next ranked
 * column / word, ordered as the label's own terms are), up to MAX_LABEL_UNITS terms; a name
 * still shared then ends in the fallback's position in parentheses, and, if that is shared too,
 * "(cluster c)".
 * @param parts K lists: each cluster's label terms; `more`: K lists of further terms, best first
 * @returns K entries: the new name of a cluster whose name changed, undefined for the others
 */
export function distinctLabels(parts: readonly (readonly string[])[], more: readonly (readonly string[])[], rules: DistinctLabelRules): (string | undefined)[] {
  const k = parts.length;
  const now = parts.map((p) => [...p]);
  const next = new Int32Array(k);
  const suffix: (string | undefined)[] = new Array(k).fill(undefined);
  const changed = new Uint8Array(k);
  const name = (c: number): string => rules.format(c, now[c]) + (suffix[c] !== undefined ? ` (${suffix[c]})` : '');
  const collisions = (): number[][] => {
    const groups = new Map<string, number[]>();
    for (let c = 0; c < k; c++) {
      if (!rules.named(c)) continue;
      const key = name(c);
      const g = groups.get(key);
      if (g) g.push(c);
      else groups.set(key, [c]);
    }
    return [...groups.values()].filter((g) => g.length > 1);
  };
  for (;;) {
    let grew = false;
    for (const g of collisions()) {
      for (const c of g) {
        if (now[c].length >= MAX_LABEL_UNITS || next[c] >= more[c].length) continue;
        now[c].push(more[c][next[c]++]);
        changed[c] = 1;
        grew = true;
      }
    }
    if (!grew) break;
  }
  for (const g of collisions()) {
    for (const c of g) {
      suffix[c] = rules.fallback(c);
      changed[c] = 1;
    }
  }
  for (const g of collisions()) for (const c of g) suffix[c] = `cluster ${c}`;
  return now.map((_, c) => (changed[c] ? name(c) : undefined));
}

/**
 * Feature columns ordered by how far cluster c's mean departs from all rows' mean, in standard
 * deviations of the feature (stats: featureMean K x D, columnMean and columnSd D); a
 * categorical column counts by its most over-represented category, a numeric one either way.
 */
function distinctiveColumns(dataset: TableDataset, c: number, stats: TableClusterStats): number[] {
  const d = dataset.features.cols;
  const score = new Map<number, number>();
  for (let j = 0; j < d; j++) {
    const sd = stats.columnSd[j];
    if (!(sd > 0)) continue;
    const z = (stats.featureMean[c * d + j] - stats.columnMean[j]) / sd;
    const column = dataset.featureColumn[j];
    const value = dataset.columns[column].kind === 'numeric' ? Math.abs(z) : z;
    score.set(column, Math.max(score.get(column) ?? -Infinity, value));
  }
  return [...score].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([column]) => column);
}

function membersOf(assignments: Int32Array, k: number, status?: Uint8Array): number[][] {
  const members: number[][] = Array.from({ length: k }, () => []);
  assignments.forEach((c, i) => {
    if (status?.[i] !== MEMBER_WORDLESS) members[c].push(i);
  });
  return members;
}

/**
 * Median of `values` (the mean of the two middle values for an even count; 0 when empty).
 * NaNs count as larger than every number (they sort last, as Float64Array#sort puts them).
 * By selection (Hoare's quickselect, median-of-three pivots) on a copy: O(N) rather than a
 * sort — 1M evidences ~10 ms instead of ~100 ms. (The npm `quickselect` package is ESM-only,
 * which the engine's CommonJS build cannot require.)
 */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  // Numbers first, NaNs after them (counted, not stored).
  const s = new Float64Array(n);
  let numbers = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i])) s[numbers++] = values[i];
  const m = n >> 1;
  const at = (rank: number): number => (rank < numbers ? selectRank(s, numbers, rank) : NaN);
  if (n % 2) return at(m);
  // After selecting rank m, ranks < m sit left of m: the (m − 1)-th is their maximum.
  if (m >= numbers) return NaN;
  const upper = selectRank(s, numbers, m);
  let lower = -Infinity;
  for (let i = 0; i < m; i++) if (s[i] > lower) lower = s[i];
  return (lower + upper) / 2;
}

/** The rank-th smallest of a[0..n) (no NaN), partially reordering a so a[rank] holds it and smaller values come before. */
function selectRank(a: Float64Array, n: number, rank: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot (sorted into a[lo] ≤ a[mid] ≤ a[hi]).
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (rank <= j) hi = j;
    else if (rank >= i) lo = i;
    else break;
  }
  return a[rank];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Status of each item: MEMBER_WORDLESS for a document without a known token (text), else
 * MEMBER_WEAK when its evidence is below WEAK_EVIDENCE x the median evidence of the other
 * items, else MEMBER_CONFIDENT. Length N.
 */
export function memberStatus(dataset: Dataset, evidence: Float64Array): Uint8Array {
  const n = evidence.length;
  const status = new Uint8Array(n);
  if (dataset.kind === 'text') {
    const { docStart } = dataset.tokens;
    for (let d = 0; d < n; d++) if (docStart[d + 1] === docStart[d]) status[d] = MEMBER_WORDLESS;
  }
  let count = 0;
  const placed = new Float64Array(n);
  for (let i = 0; i < n; i++) if (status[i] !== MEMBER_WORDLESS) placed[count++] = evidence[i];
  const cut = WEAK_EVIDENCE * median(placed.subarray(0, count));
  for (let i = 0; i < n; i++) if (status[i] !== MEMBER_WORDLESS && evidence[i] < cut) status[i] = MEMBER_WEAK;
  return status;
}

/**
 * One ClusterSummary per cluster (length K). `status`: memberStatus (length N); `stability`:
 * text only, per-cluster stability over re-fits (absent: the stability reason is not used).
 */
export function summarizeClusters(dataset: Dataset, k: number, all: AllExplanations, clusterLabels?: readonly string[], status?: Uint8Array, stability?: StabilityInput): ClusterSummary[] {
  if (dataset.kind === 'table') {
    const stats = tableClusterStats(dataset, k, all, status);
    const units = dataset.columns.map((c) => c.name);
    const u = units.length;
    const used = new Uint8Array(u);
    dataset.featureColumn.forEach((c) => (used[c] = 1));
    const summaries: ClusterSummary[] = [];
    const parts: string[][] = [];
    const more: string[][] = [];
    const firstColumn: number[] = [];
    for (let c = 0; c < k; c++) {
      const mean = stats.relevanceMean.subarray(c * u, (c + 1) * u);
      const top = rank(units, mean, (j) => used[j] === 1, TOP_UNITS).map((j) => ({ name: units[j], relevance: mean[j] }));
      // A term must carry a real share of the top term's relevance, not just be positive (a
      // category of a noise column with relevance 1e-4 said nothing about the cluster).
      const floor = top.length ? LABEL_SHARE * top[0].relevance : 0;
      let labelParts = top
        .filter((t) => t.relevance > 0 && t.relevance >= floor)
        .slice(0, LABEL_UNITS)
        .map((t) => describeColumn(dataset, units.indexOf(t.name), c, stats));
      const size = stats.size[c];
      // No column carries positive evidence (IDC with its gates closed, relevance ≤ 0 everywhere):
      // name the cluster by the columns that set its members apart most, never "cluster N".
      if (labelParts.length === 0 && size > 0) {
        labelParts = distinctiveColumns(dataset, c, stats).slice(0, LABEL_UNITS).map((j) => describeColumn(dataset, j, c, stats));
      }
      // Further terms, should the name collide with another cluster's: the other ranked columns
      // with positive relevance, then the columns that set the members apart most.
      const named = new Set(labelParts);
      const further = [
        ...top.filter((t) => t.relevance > 0).map((t) => describeColumn(dataset, units.indexOf(t.name), c, stats)),
        ...distinctiveColumns(dataset, c, stats).map((j) => describeColumn(dataset, j, c, stats)),
      ].filter((t) => !named.has(t) && (named.add(t), true));
      parts.push(labelParts);
      more.push(further);
      firstColumn.push(top[0] && labelParts.length > 0 ? units.indexOf(top[0].name) : -1);
      const majorityOf = stats.majority?.[c];
      summaries.push({
        index: c,
        size,
        label: size === 0 ? '(empty)' : (clusterLabels?.[c] ?? labelParts.join(' · ')) || `cluster ${c}`,
        top,
        meanEvidence: stats.meanEvidence[c],
        ...(status ? { weakMembers: stats.weak[c] } : {}),
        ...(majorityOf ? { majorityLabel: majorityOf.label, purity: majorityOf.purity, labelCounts: stats.labelCounts![c] } : {}),
      });
    }
    const unique = distinctLabels(parts, more, {
      named: (c) => stats.size[c] > 0 && clusterLabels?.[c] === undefined && parts[c].length > 0,
      format: (_c, p) => p.join(' · '),
      fallback: (c) => (firstColumn[c] >= 0 ? columnPosition(dataset, firstColumn[c], c, stats) : undefined),
    });
    return summaries.map((sm, c) => (unique[c] === undefined ? sm : { ...sm, label: unique[c] }));
  }
  const members = membersOf(all.assignments, k, status);
  const summaries = summarizeText(dataset, k, all, members, clusterLabels, status, stability);
  if (!dataset.labels) return summaries;
  const { names, counts } = labelCountTable(dataset.labels, all.assignments, k, status ? (i) => status[i] === MEMBER_WORDLESS : undefined);
  const byCluster = clusterLabelCounts(counts, k, names);
  return summaries.map((sm, c) => (sm.size > 0 ? { ...sm, labelCounts: byCluster[c] } : sm));
}

function summarizeText(
  dataset: TextDataset,
  k: number,
  all: AllExplanations,
  members: number[][],
  clusterLabels: readonly string[] | undefined,
  status: Uint8Array | undefined,
  stability: StabilityInput | undefined,
): ClusterSummary[] {
  const vocabulary = dataset.preprocessing.vocabulary;
  const v = vocabulary.length;
  const { docStart, word } = dataset.tokens;
  const n = dataset.documents.length;
  // Relevance sums and document frequencies per (cluster, word); documents per word.
  const sums = new Float64Array(k * v);
  const docFreq = new Int32Array(k * v);
  const wordDocs = new Int32Array(v);
  const lastDoc = new Int32Array(v).fill(-1);
  const placedIn = new Int32Array(k);
  let placed = 0;
  for (let d = 0; d < n; d++) {
    if (status?.[d] === MEMBER_WORDLESS) continue;
    const c = all.assignments[d];
    placedIn[c]++;
    placed++;
    const row = c * v;
    for (let t = docStart[d]; t < docStart[d + 1]; t++) {
      const w = word[t];
      sums[row + w] += all.tokenRelevance[t];
      if (lastDoc[w] !== d) {
        lastDoc[w] = d;
        docFreq[row + w]++;
        wordDocs[w]++;
      }
    }
  }
  const cohesion = clusterCohesion(dataset, members);
  const evidenceOf = members.map((m) => (m.length ? m.reduce((s, i) => s + all.evidence[i], 0) / m.length : 0));
  const nonEmpty = members.map((_, c) => c).filter((c) => members[c].length > 0);
  const medianCohesion = median(nonEmpty.map((c) => cohesion[c]));
  const medianEvidence = median(nonEmpty.map((c) => evidenceOf[c]));

  const summaries: ClusterSummary[] = [];
  const parts: string[][] = [];
  const more: string[][] = [];
  const isMixed: boolean[] = [];
  for (let c = 0; c < k; c++) {
    const size = placedIn[c];
    const others = placed - size;
    const mean = new Float64Array(v);
    const score = new Float64Array(v);
    for (let w = 0; w < v; w++) {
      const df = docFreq[c * v + w];
      if (df === 0) continue;
      mean[w] = sums[c * v + w] / Math.max(1, size);
      // Only words the members use more often than the other documents can name them (a word
      // in every document never does); the lift is smoothed so a word seen once is not
      // infinitely distinctive.
      if (others > 0 && df / size <= (wordDocs[w] - df) / others) continue;
      const inside = (df + 0.5) / (size + 1);
      const outside = (wordDocs[w] - df + 0.5) / (others + 1);
      const lift = inside / outside;
      score[w] = mean[w] > 0 && lift > 1 ? mean[w] * Math.log(lift) : 0;
    }
    const order = rank(vocabulary, score, (w) => score[w] > 0, TOP_UNITS);
    const top: RankedFeature[] = order.map((w) => ({ name: vocabulary[w], relevance: mean[w] }));
    const weak = members[c].reduce((s, i) => s + (status?.[i] === MEMBER_WEAK ? 1 : 0), 0);
    const stable = stability?.jaccard[c];
    const measured = stability && stable !== undefined && Number.isFinite(stable) ? { jaccard: stable, refits: stability.refits, fraction: stability.fraction } : undefined;
    const mixed = size > 0 ? mixedReason({ cohesion: cohesion[c], medianCohesion, evidence: evidenceOf[c], medianEvidence, weak, size, stability: measured }) : undefined;
    const label = clusterLabels?.[c] ?? wordsLabel(mixed !== undefined, top.slice(0, LABEL_UNITS).map((t) => t.name));
    parts.push(top.slice(0, LABEL_UNITS).map((t) => t.name));
    more.push(top.slice(LABEL_UNITS).map((t) => t.name));
    isMixed.push(mixed !== undefined);
    const base = summary(c, members[c], all, top, label, dataset.labels, status);
    summaries.push({
      ...base,
      cohesion: cohesion[c],
      ...(measured ? { stability: measured.jaccard } : {}),
      examples: typicalMembers(dataset, members[c], status, EXAMPLES),
      ...(mixed ? { mixed } : {}),
    });
  }
  const unique = distinctLabels(parts, more, {
    named: (c) => placedIn[c] > 0 && clusterLabels?.[c] === undefined && parts[c].length > 0,
    format: (c, p) => wordsLabel(isMixed[c], p),
    fallback: () => undefined,
  });
  return summaries.map((sm, c) => (unique[c] === undefined ? sm : { ...sm, label: unique[c] }));
}

/** A text cluster's name: its top words, "mixed: …" for a catch-all. */
function wordsLabel(mixed: boolean, words: readonly string[]): string {
  const list = words.join(', ');
  return mixed ? `mixed: ${list || 'no distinctive word'}` : list;
}

export interface MixedEvidence {
  readonly cohesion: number;
  readonly medianCohesion: number;
  readonly evidence: number;
  readonly medianEvidence: number;
  readonly weak: number;
  readonly size: number;
  readonly stability?: { readonly jaccard: number; readonly refits: number; readonly fraction: number };
}

/**
 * Why a cluster is a catch-all, or undefined. Measured on 89 clusters (fortunes, Debian
 * package descriptions, man pages at k = their class counts, seeds 1-3; README, "Text
 * clustering quality"): cohesion < 0.7 x the median cluster's, or stability < 2/3 with a mean
 * evidence < 0.85 x the median, flags 5 of the 8 clusters of purity < 0.4, 11 of the 13 of
 * purity 0.4-0.6, and 3 of the 60 of purity >= 0.6 (0.65-0.80). Neither signal alone does as
 * well (stability alone: at best 3 of 8 with 2 pure ones; fortunes' catch-alls are often as
 * stable as its pure clusters). Three of fortunes' low-purity clusters stay unflagged: sayings
 * about love and life, and anecdotes, whose documents nothing in the vectors sets apart.
 */
export function mixedReason(m: MixedEvidence): string | undefined {
  const reasons: string[] = [];
  if (m.medianCohesion > 0 && m.cohesion < MIXED_COHESION * m.medianCohesion) {
    reasons.push(`its documents share little: cohesion ${m.cohesion.toFixed(2)} vs ${m.medianCohesion.toFixed(2)} for the median cluster`);
  }
  const s = m.stability;
  if (s && s.jaccard < MIXED_STABILITY && m.medianEvidence > 0 && m.evidence < MIXED_UNSTABLE_EVIDENCE * m.medianEvidence) {
    reasons.push(
      `it does not hold together: re-fitting k-means on ${s.refits} random ${Math.round(100 * s.fraction)}% samples of the documents keeps on average only ` +
        `${Math.round(100 * s.jaccard)}% of it together (Jaccard with its best match), and its members are less firmly assigned than the median cluster's ` +
        `(mean evidence ${m.evidence.toPrecision(2)} vs ${m.medianEvidence.toPrecision(2)})`,
    );
  } else if (m.medianEvidence > 0 && m.evidence < MIXED_EVIDENCE * m.medianEvidence) {
    reasons.push(`its members are barely closer to it than to other clusters: mean evidence ${m.evidence.toPrecision(2)} vs ${m.medianEvidence.toPrecision(2)} for the median cluster`);
  }
  if (m.weak > MIXED_WEAK_SHARE * m.size) reasons.push(`${m.weak} of ${m.size} members are weakly assigned`);
  return reasons.length ? `Mixed cluster: ${reasons.join('; ')}.` : undefined;
}

/** Length of the mean unit direction of each cluster's document vectors (1 = all alike, ~0 = scattered). */
function clusterCohesion(dataset: TextDataset, members: readonly number[][]): Float64Array {
  const { cols: d, data } = dataset.features;
  const out = new Float64Array(members.length);
  const sum = new Float64Array(d);
  members.forEach((m, c) => {
    if (m.length === 0) return;
    sum.fill(0);
    for (const i of m) {
      const o = i * d;
      let norm = 0;
      for (let j = 0; j < d; j++) norm += data[o + j] * data[o + j];
      if (norm === 0) continue;
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < d; j++) sum[j] += data[o + j] * inv;
    }
    let s = 0;
    for (let j = 0; j < d; j++) s += sum[j] * sum[j];
    out[c] = Math.sqrt(s) / m.length;
  });
  return out;
}

/** The `count` confident members closest in direction (cosine) to the members' mean vector. */
function typicalMembers(dataset: TextDataset, members: readonly number[], status: Uint8Array | undefined, count: number): { index: number; excerpt?: string }[] {
  const { cols: d, data } = dataset.features;
  const centre = new Float64Array(d);
  for (const i of members) for (let j = 0; j < d; j++) centre[j] += data[i * d + j];
  const cosine = (i: number): number => {
    let dot = 0;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      dot += data[i * d + j] * centre[j];
      norm += data[i * d + j] * data[i * d + j];
    }
    return norm > 0 ? dot / Math.sqrt(norm) : -Infinity;
  };
  const candidates = members.filter((i) => status?.[i] !== MEMBER_WEAK);
  return (candidates.length ? candidates : [...members])
    .map((i) => ({ i, c: cosine(i) }))
    .sort((a, b) => b.c - a.c || a.i - b.i)
    .slice(0, count)
    .map((e) => (dataset.excerpts ? { index: e.i, excerpt: dataset.excerpts[e.i] } : { index: e.i }));
}

function summary(
  index: number,
  members: readonly number[],
  all: AllExplanations,
  top: readonly RankedFeature[],
  label: string,
  labels: readonly string[] | undefined,
  status: Uint8Array | undefined,
): ClusterSummary {
  const explained = members.filter((i) => Number.isFinite(all.evidence[i]));
  const meanEvidence = explained.length ? explained.reduce((s, i) => s + all.evidence[i], 0) / explained.length : 0;
  const m = labels ? majority(labels, members) : {};
  const weak = status ? members.reduce((s, i) => s + (status[i] === MEMBER_WEAK ? 1 : 0), 0) : 0;
  return {
    index,
    size: members.length,
    label: members.length === 0 ? '(empty)' : label || `cluster ${index}`,
    top,
    meanEvidence,
    ...(status ? { weakMembers: weak } : {}),
    ...(m.label !== undefined ? { majorityLabel: m.label, purity: m.purity } : {}),
  };
}
