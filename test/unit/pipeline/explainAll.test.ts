import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTableDataset } from '../../../src/engine/data/tableDataset';
import { tableFromRows } from '../../../src/engine/data/tableFromRows';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { explainAll, progressCount } from '../../../src/engine/pipeline/explainAll';
import { Rng } from '../../../src/engine/rng';
import type { KMeansModel, NeonOptions } from '../../../src/engine/types';

test('explainAll: the k-means batch path gives the per-point numbers, per column', async () => {
  const rng = new Rng(4);
  const colors = ['red', 'green', 'blue'];
  const rows: string[][] = [];
  for (let i = 0; i < 120; i++) rows.push([(rng.normal() * 3).toFixed(3), (rng.normal() + (i % 3)).toFixed(3), colors[rng.int(3)], (rng.normal() * 2).toFixed(3)]);
  const dataset = await buildTableDataset(tableFromRows(['a', 'b', 'color', 'c'], rows), 't.csv');
  const d = dataset.features.cols;
  const k = 4;
  const centroids = new Float64Array(k * d).map(() => rng.normal());
  const model: KMeansModel = { kind: 'kmeans', k, dim: d, centroids };
  const options: NeonOptions = { beta: 1.5, evidence: 'hard', rule: 'midpoint' };
  const nm = neuralizeKMeans(model, options);
  const slow = await explainAll(nm, dataset);
  const fast = await explainAll(nm, dataset, undefined, model, options);
  assert.deepEqual(Array.from(fast.assignments), Array.from(slow.assignments));
  for (let i = 0; i < dataset.features.rows; i++) {
    assert.ok(Math.abs(fast.evidence[i] - slow.evidence[i]) <= 1e-9 * Math.max(1, Math.abs(slow.evidence[i])), `row ${i} evidence`);
    assert.ok(Math.abs(fast.probability[i] - slow.probability[i]) <= 1e-12, `row ${i} probability`);
  }
  assert.equal(fast.rowRelevance.length, slow.rowRelevance.length);
  for (let j = 0; j < fast.rowRelevance.length; j++) assert.ok(Math.abs(fast.rowRelevance[j] - slow.rowRelevance[j]) <= 1e-5 * (1 + Math.abs(slow.rowRelevance[j])), `entry ${j}`);
  assert.ok(fast.conservationGap < 1e-9, `conservation gap ${fast.conservationGap}`);
});

test('progressCount groups digits as the rest of the UI does (trial 6 D15e: "65306 of 400000")', () => {
  assert.equal(progressCount(65306, 400000), '65,306 of 400,000');
  assert.equal(progressCount(0, 999), '0 of 999');
});
