import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AllExplanations } from '../../../src/engine/pipeline/explainAll';
import { LABEL_SHARE, summarizeClusters } from '../../../src/engine/pipeline/summaries';
import { handTable } from '../helpers/handTable';

describe('cluster summaries (hand case)', () => {
  // 4 rows, columns: size (numeric), color (categorical: red, blue), id (excluded), label.
  // features: size (standardised), color=red, color=blue
  const dataset = handTable(
    [['size', 'numeric'], ['color', 'categorical'], ['id', 'identifier']],
    ['size', 'color=red', 'color=blue'],
    Float64Array.from([1, 1, 0, 1.2, 1, 0, -1, 0, 1, -1.2, 0, 1]),
    ['big', 'big', 'small', 'big'],
  );
  const all: AllExplanations = {
    assignments: Int32Array.from([0, 0, 1, 1]),
    evidence: Float64Array.from([2, 4, 1, 3]),
    probability: Float64Array.from([0.9, 0.9, 0.8, 0.8]),
    // per row: size, color, id
    rowRelevance: Float64Array.from([1.5, 0.5, 0, 3, 1, 0, 0.25, 0.75, 0, 0.5, 2.5, 0]),
    tokenRelevance: new Float64Array(0),
    conservationGap: 0,
    beyondRange: [],
  };

  it('ranks columns by mean relevance, names directions and categories, and measures purity', () => {
    const [a, b] = summarizeClusters(dataset, 2, all);
    assert.equal(a.size, 2);
    assert.equal(a.meanEvidence, 3);
    assert.deepEqual(a.top, [
      { name: 'size', relevance: 2.25 },
      { name: 'color', relevance: 0.75 },
    ]);
    assert.equal(a.label, 'high size · color=red');
    assert.equal(a.majorityLabel, 'big');
    assert.equal(a.purity, 1);
    assert.equal(b.label, 'color=blue · low size');
    assert.equal(b.purity, 0.5);
    assert.equal(b.majorityLabel, 'big'); // tie broken by name: "big" < "small"
  });

  it('a cluster without any positive relevance (IDC with closed gates) is named by its distinctive columns, not "cluster N"', () => {
    // Every relevance ≤ 0: cluster 1 (rows 2, 3) is small and blue, cluster 0 (rows 0, 1) big and red.
    const none: AllExplanations = { ...all, rowRelevance: all.rowRelevance.map((r) => -r) };
    const [a, b] = summarizeClusters(dataset, 2, none);
    // color=red: share 1 vs 0.5 (sd 0.5) = +1.0 sd; size: mean 1.1 vs 0 (sd 1.105) = +0.995 sd.
    assert.equal(a.label, 'color=red · high size');
    assert.equal(b.label, 'color=blue · low size');
  });

  it('leaves a column out of the name when its relevance is below LABEL_SHARE of the top column (a noise category named nothing)', () => {
    // Cluster 0: size 2.25, color 0.2 (0.089 of the top: below 0.1); cluster 1: color 1.625, size 0.375 (0.23: kept).
    const faint: AllExplanations = { ...all, rowRelevance: Float64Array.from([1.5, 0.2, 0, 3, 0.2, 0, 0.25, 0.75, 0, 0.5, 2.5, 0]) };
    const [a, b] = summarizeClusters(dataset, 2, faint);
    assert.equal(LABEL_SHARE, 0.1);
    assert.deepEqual(a.top.map((t) => t.name), ['size', 'color'], 'the faint column still ranks in top');
    assert.equal(a.label, 'high size');
    assert.equal(b.label, 'color=blue · low size');
  });

  it('uses the given cluster labels and marks empty clusters', () => {
    const s = summarizeClusters(dataset, 3, all, ['first', 'second', 'third']);
    assert.deepEqual(s.map((c) => c.label), ['first', 'second', '(empty)']);
    assert.equal(s[2].size, 0);
  });
});

describe('cluster names of table columns always carry a direction (trial 2: "high share · low a · b", "p21 · high p5")', () => {
  // 4 rows, one numeric column not standardised (pixel-like values 10..16, sd ~2.4): cluster 0
  // (rows 0, 1: mean 13) sits at the column's mean, cluster 1 (rows 2, 3: 10, 16) also, but the
  // test adds a shifted column to check "high" / "low" against the column's own mean and sd.
  // p5: 15, 15, 11, 11 (cluster 0 high, cluster 1 low; all values > 0.25, unstandardised);
  // p21: 12, 14, 10, 16 (both clusters at the mean 13).
  const dataset = handTable([['p5', 'numeric'], ['p21', 'numeric']], ['p5', 'p21'], Float64Array.from([15, 12, 15, 14, 11, 10, 11, 16]));
  const all: AllExplanations = {
    assignments: Int32Array.from([0, 0, 1, 1]),
    evidence: Float64Array.from([2, 2, 2, 2]),
    probability: Float64Array.from([0.9, 0.9, 0.9, 0.9]),
    rowRelevance: Float64Array.from([2, 1, 2, 1, 2, 1, 2, 1]),
    tokenRelevance: new Float64Array(0),
    conservationGap: 0,
    beyondRange: [],
  };

  it('names p5 high / low against its own mean and sd, and p21 "average" (not a bare name)', () => {
    const [a, b] = summarizeClusters(dataset, 2, all);
    assert.equal(a.label, 'high p5 · average p21');
    assert.equal(b.label, 'low p5 · average p21');
  });
});
