// A sampled fit (table beyond the memory budget) can have a cluster that no sampled row falls
// in while the streaming pass assigns rows of the file to it: it was labelled "cluster c".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clustersOverEveryRow, type EveryRowTotals } from '../../../src/engine/pipeline/everyRow';
import type { ClusterSummary } from '../../../src/engine/types';

test('a cluster without a sampled member is named from its every-row relevance and says why; an unreached one stays (empty)', () => {
  const units = ['a', 'b', 'c', 'id'];
  const sample: ClusterSummary[] = [
    { index: 0, size: 40, label: 'high a', top: [], meanEvidence: 2 },
    { index: 1, size: 0, label: '(empty)', top: [], meanEvidence: 0 },
    { index: 2, size: 0, label: '(empty)', top: [], meanEvidence: 0 },
  ];
  // Mean relevance per cluster over every row (K x U): cluster 1 leans on c, then a; b is 0.05 of c (below LABEL_SHARE).
  const totals: EveryRowTotals = {
    rows: 107,
    sizes: Float64Array.from([100, 7, 0]),
    meanEvidence: Float64Array.from([2, 0.5, 0]),
    weak: Float64Array.from([3, 2, 0]),
    meanRelevance: Float64Array.from([1.5, 0.3, 0.2, 0, 0.4, 0.05, 1, 0, 0, 0, 0, 0]),
    notes: [],
  };
  const [kept, unsampled, empty] = clustersOverEveryRow(sample, totals, units, (u) => u < 3);
  assert.equal(kept!.label, 'high a', "a sampled cluster keeps the sample's name");
  assert.equal(unsampled!.size, 7);
  assert.deepEqual(unsampled!.top.map((t) => t.name), ['c', 'a', 'b']);
  assert.equal(unsampled!.label, 'c · a (no member in the fitted sample: named from every row\'s relevance)');
  assert.equal(empty!.label, '(empty)');
});
