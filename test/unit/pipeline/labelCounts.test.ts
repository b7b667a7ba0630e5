// The label rate per cluster (trial 6 D10: churn data showed only "purity 52.4% · majority no"
// on every card; the churn share per cluster, as pd.crosstab gives it, was missing).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runPipeline } from '../../../src/engine/pipeline';
import { clusterLabelCounts, labelCountTable, labelSharesText } from '../../../src/engine/pipeline/labelCounts';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';

const TRIAL = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'trial6');

describe('label counts per cluster', () => {
  it('up to 5 label values: every value, a value no member has included (0%)', () => {
    const { names, counts } = labelCountTable(['yes', 'no', 'no', 'no', 'yes', 'no'], Int32Array.from([0, 0, 0, 1, 1, 1]), 2);
    const byCluster = clusterLabelCounts(counts, 2, names);
    assert.deepEqual(byCluster[0], [{ label: 'no', count: 2 }, { label: 'yes', count: 1 }]);
    assert.deepEqual(byCluster[1], [{ label: 'no', count: 2 }, { label: 'yes', count: 1 }]);
    const pure = clusterLabelCounts(labelCountTable(['a', 'a', 'b'], Int32Array.from([0, 0, 1]), 2).counts, 2, ['a', 'b']);
    assert.deepEqual(pure[0], [{ label: 'a', count: 2 }, { label: 'b', count: 0 }]);
    assert.equal(labelSharesText(pure[0], 2), 'a 100.0% · b 0.0%');
  });

  it('more than 5 values: the cluster\'s 3 most frequent; skipped items are not counted', () => {
    const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'f', 'e', 'e', 'd'];
    const { names, counts } = labelCountTable(labels, new Int32Array(10), 1, (i) => i === 9);
    assert.deepEqual(clusterLabelCounts(counts, 1, names)[0], [{ label: 'e', count: 3 }, { label: 'f', count: 2 }, { label: 'a', count: 1 }]);
    assert.equal(labelSharesText([], 3), '');
    assert.equal(labelSharesText([{ label: 'x', count: 1 }], 0), '');
  });

  it('kunden_export.csv (the tester\'s churn export, k = 3): churn shares per cluster, not one majority "no"', async () => {
    const { result } = await runPipeline({ kind: 'auto', path: path.join(TRIAL, 'kunden_export.csv') }, { ...DEFAULT_SETTINGS, k: 3, flippingSample: 0 });
    const shares = result.clusters.map((c) => labelSharesText(c.labelCounts, c.size)).sort();
    // As `fit -k 3` prints them: each cluster's members per churned value over its size.
    assert.deepEqual(shares, ['no 52.4% · yes 47.6%', 'no 75.1% · yes 24.9%', 'no 87.4% · yes 12.6%']);
    for (const c of result.clusters) assert.equal(c.labelCounts!.reduce((s, l) => s + l.count, 0), c.size);
  });
});
