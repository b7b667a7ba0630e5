// IDC with k = auto takes the k-means silhouette's k and could leave clusters without a row
// ("(empty)" cards for clusters the model never uses): it is fitted again with the k it filled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import type { FittedModel } from '../../../src/engine/pipeline/fitModel';
import { filledClusters, fitIdcFillingK } from '../../../src/engine/pipeline/idcFilledK';
import type { ClusterModel, Matrix } from '../../../src/engine/types';

const X: Matrix = { rows: 12, cols: 1, data: new Float64Array(12) };

/** A fit that fills `fills(k)` of its k clusters (rows spread over clusters 0..filled-1), recording each k it was asked for. */
function fitFilling(fills: (k: number) => number, asked: number[]) {
  return (_x: Matrix, k: number): Promise<FittedModel> => {
    asked.push(k);
    const filled = fills(k);
    return Promise.resolve({ model: { kind: 'kmeans', k, dim: 1, centroids: new Float64Array(k) } as ClusterModel, labels: Int32Array.from({ length: 12 }, (_, i) => i % filled), warnings: [] });
  };
}

test('filledClusters counts the clusters that have a row', () => {
  assert.equal(filledClusters(Int32Array.from([0, 2, 2, 0]), 4), 2);
  assert.equal(filledClusters(Int32Array.from([3, 1, 0, 2]), 4), 4);
});

test('k = 10 leaving 2 empty: fitted again with k = 8, every cluster filled, and a note says so', async () => {
  const asked: number[] = [];
  const fit = await fitIdcFillingK(X, 10, { ...DEFAULT_SETTINGS, model: 'idc' }, fitFilling((k) => Math.min(k, 8), asked));
  assert.deepEqual(asked, [10, 8]);
  assert.equal(fit.model.k, 8);
  assert.equal(filledClusters(fit.labels, fit.model.k), 8);
  assert.deepEqual(fit.warnings, ['IDC left clusters without a row at k = 10 (k = auto is chosen by the k-means silhouette), so it was fitted again with k = 8, the number it filled: every cluster has rows.']);
});

test('a refit that still leaves one empty is refitted once more; a fit that fills every cluster is kept as it is', async () => {
  const asked: number[] = [];
  const fit = await fitIdcFillingK(X, 6, { ...DEFAULT_SETTINGS, model: 'idc' }, fitFilling((k) => k - 1, asked));
  // 6 -> fills 5 -> fit 5 -> fills 4 -> fit 4 -> fills 3 (MAX_REFITS = 2: stop, one still empty).
  assert.deepEqual(asked, [6, 5, 4]);
  assert.equal(fit.model.k, 4);
  assert.match(fit.warnings[0]!, /at k = 6, then 5 .* fitted again with k = 4, the number it filled; 1 cluster\(s\) are still empty\.$/);
  const full: number[] = [];
  const kept = await fitIdcFillingK(X, 3, { ...DEFAULT_SETTINGS, model: 'idc' }, fitFilling((k) => k, full));
  assert.deepEqual(full, [3]);
  assert.deepEqual(kept.warnings, []);
});
