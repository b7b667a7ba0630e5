import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AllExplanations } from '../../../src/engine/pipeline/explainAll';
import { median, MEMBER_CONFIDENT, MEMBER_WEAK, summarizeClusters } from '../../../src/engine/pipeline/summaries';
import { tableClusterStats } from '../../../src/engine/pipeline/tableClusterStats';
import { Rng } from '../../../src/engine/rng';
import type { ClusterSummary, TableDataset } from '../../../src/engine/types';
import { handTable } from '../helpers/handTable';

/**
 * A random table of N rows: numeric columns a, b (standardised-like), a category c with 3
 * one-hot features, an excluded id column, labels of 4 values; K clusters (the last empty),
 * some rows' relevance and evidence NaN (beyond float64), some rows weak.
 */
function randomTable(seed: number, n: number, k: number): { dataset: TableDataset; all: AllExplanations; status: Uint8Array } {
  const rng = new Rng(seed);
  const d = 5;
  const u = 4;
  const data = new Float64Array(n * d);
  const assignments = new Int32Array(n);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.int(k - 1); // cluster k-1 stays empty
    assignments[i] = c;
    data[i * d] = c * 0.3 + rng.normal();
    data[i * d + 1] = -c * 0.2 + rng.normal();
    data[i * d + 2 + ((c + (rng.next() < 0.3 ? 1 : 0)) % 3)] = 1;
    labels.push(['ant', 'bee', 'cat', 'dog'][rng.next() < 0.6 ? c % 4 : rng.int(4)]);
  }
  const rowRelevance = new Float64Array(n * u).map(() => rng.normal() + 0.3);
  for (let i = 0; i < n; i++) rowRelevance[i * u + 3] = 0; // the excluded column carries none
  const evidence = new Float64Array(n).map(() => 1 + rng.next());
  for (let i = 7; i < n; i += 97) {
    evidence[i] = NaN;
    rowRelevance[i * u] = NaN;
    rowRelevance[i * u + 2] = NaN;
  }
  const status = new Uint8Array(n).map(() => (rng.next() < 0.1 ? MEMBER_WEAK : MEMBER_CONFIDENT));
  const dataset = handTable([['a', 'numeric'], ['b', 'numeric'], ['c', 'categorical'], ['id', 'identifier']], ['a', 'b', 'c=x', 'c=y', 'c=z'], data, labels);
  const all: AllExplanations = { assignments, evidence, probability: new Float64Array(n), rowRelevance, tokenRelevance: new Float64Array(0), conservationGap: 0, beyondRange: [] };
  return { dataset, all, status };
}

/** The straightforward computation: member lists, then a sum over each list per statistic. */
function referenceSummaries(dataset: TableDataset, k: number, all: AllExplanations, status: Uint8Array): ClusterSummary[] {
  const { data, cols: d, rows: n } = dataset.features;
  const u = dataset.columns.length;
  const members: number[][] = Array.from({ length: k }, () => []);
  all.assignments.forEach((c, i) => members[c].push(i));
  const units = dataset.columns.map((c) => c.name);
  return members.map((m, c) => {
    const mean = units.map((_, j) => {
      const finite = m.map((i) => all.rowRelevance[i * u + j]).filter(Number.isFinite);
      return finite.reduce((s, r) => s + r, 0) / Math.max(1, finite.length);
    });
    const top = units
      .map((name, j) => ({ name, relevance: mean[j], j }))
      .filter((t) => t.name !== 'id')
      .sort((x, y) => y.relevance - x.relevance || (x.name < y.name ? -1 : 1))
      .map(({ name, relevance }) => ({ name, relevance }));
    const terms = top
      .filter((t) => t.relevance > 0)
      .slice(0, 3)
      .map((t) => {
        const features = dataset.featureNames.map((_, j) => j).filter((j) => units[dataset.featureColumn[j]] === t.name);
        const means = features.map((j) => m.reduce((s, i) => s + data[i * d + j], 0) / m.length);
        if (features.length > 1) return dataset.featureNames[features[means.indexOf(Math.max(...means))]];
        const col = Array.from({ length: n }, (_, i) => data[i * d + features[0]]);
        const colMean = col.reduce((s, v) => s + v, 0) / n;
        const sd = Math.sqrt(col.reduce((s, v) => s + (v - colMean) * (v - colMean), 0) / n);
        const z = (means[0] - colMean) / sd;
        return z > 0.25 ? `high ${t.name}` : z < -0.25 ? `low ${t.name}` : `average ${t.name}`;
      });
    const explained = m.filter((i) => Number.isFinite(all.evidence[i]));
    const counts = new Map<string, number>();
    for (const i of m) counts.set(dataset.labels![i], (counts.get(dataset.labels![i]) ?? 0) + 1);
    const majority = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    return {
      index: c,
      size: m.length,
      label: m.length === 0 ? '(empty)' : terms.join(' · '),
      top,
      meanEvidence: explained.length ? explained.reduce((s, i) => s + all.evidence[i], 0) / explained.length : 0,
      weakMembers: m.filter((i) => status[i] === MEMBER_WEAK).length,
      ...(majority
        ? {
            majorityLabel: majority[0],
            purity: majority[1] / m.length,
            // Every one of the 4 label values (at most 5: all listed), most members first.
            labelCounts: ['ant', 'bee', 'cat', 'dog'].map((label) => ({ label, count: counts.get(label) ?? 0 })).sort((x, y) => y.count - x.count || (x.label < y.label ? -1 : 1)),
          }
        : {}),
    };
  });
}

describe('table cluster summaries in one pass (tableClusterStats)', () => {
  it('equal the member-list computation: sizes, top columns and their mean relevance, names, mean evidence, weak members, majority label, members per label value', () => {
    for (const [seed, n, k] of [[1, 3_000, 5], [2, 10_007, 8]] as const) {
      const { dataset, all, status } = randomTable(seed, n, k);
      const ours = summarizeClusters(dataset, k, all, undefined, status);
      const reference = referenceSummaries(dataset, k, all, status);
      assert.deepEqual(ours, reference, `seed ${seed}`);
      assert.equal(ours[k - 1].label, '(empty)');
      assert.ok(ours.slice(0, -1).every((c) => c.size > 0 && c.label.includes(' · ')), 'every non-empty cluster is named by its terms');
    }
  });

  it('column moments over all rows and feature means per cluster (hand case)', () => {
    const { dataset, all } = randomTable(3, 4, 2);
    // Overwrite with a hand case: 4 rows, cluster 0 = rows 0, 2; feature a = 1, 2, 3, 6.
    const a = [1, 2, 3, 6];
    a.forEach((v, i) => (dataset.features.data[i * 5] = v));
    all.assignments.set([0, 1, 0, 1]);
    const stats = tableClusterStats(dataset, 2, all);
    assert.equal(stats.columnMean[0], 3);
    assert.equal(stats.columnSd[0], Math.sqrt((4 + 1 + 0 + 9) / 4));
    assert.equal(stats.featureMean[0], 2);
    assert.equal(stats.featureMean[5], 4);
    assert.deepEqual(Array.from(stats.size), [2, 2]);
  });
});

describe('median by selection', () => {
  /** The definition: sort (NaN last, as Float64Array#sort does), take the middle (mean of two). */
  function sortedMedian(values: number[]): number {
    const s = Float64Array.from(values).sort();
    const m = s.length >> 1;
    return s.length === 0 ? 0 : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  it('equals the sorted middle on random arrays with ties and NaNs, odd and even lengths', () => {
    const rng = new Rng(4);
    for (let trial = 0; trial < 300; trial++) {
      const n = trial < 10 ? trial : 1 + rng.int(400);
      const ties = rng.next() < 0.5;
      const values = Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : ties ? rng.int(5) : rng.normal()));
      const want = sortedMedian(values);
      const got = median(values);
      assert.ok(Object.is(got, want) || got === want, `trial ${trial}: ${got} vs ${want} for ${values.join(',')}`);
    }
  });

  it('hand cases', () => {
    assert.equal(median([]), 0);
    assert.equal(median([5]), 5);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([1, NaN])));
    assert.equal(median([NaN, 1, 2]), 2);
  });
});
