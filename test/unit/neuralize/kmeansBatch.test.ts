import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { explainKMeansRows } from '../../../src/engine/neuralize/kmeansBatch';
import { Rng } from '../../../src/engine/rng';
import type { EvidenceForm, FirstLayerRule, KMeansModel, Matrix, PoolingRule } from '../../../src/engine/types';

function randomCase(seed: number, n: number, d: number, k: number): { model: KMeansModel; X: Matrix } {
  const rng = new Rng(seed);
  const centroids = new Float64Array(k * d).map(() => rng.normal() * 2);
  const data = new Float64Array(n * d).map(() => rng.normal() * 2);
  return { model: { kind: 'kmeans', k, dim: d, centroids }, X: { rows: n, cols: d, data } };
}

for (const evidence of ['hard', 'soft'] as EvidenceForm[]) {
  for (const [rule, pooling] of [['midpoint'], ['reference'], ['reference', 'min-takes-most'], ['z']] as [FirstLayerRule, PoolingRule?][]) {
    test(`batch explanation equals the per-point network (${evidence}, ${rule}${pooling ? `, ${pooling} pooling` : ''})`, () => {
      const { model, X } = randomCase(3, 300, 7, 5);
      // The reference: a data row, so some rows sit as close to a boundary as it does (guard).
      const options = { beta: 0.7, evidence, rule, reference: X.data.slice(0, X.cols), ...(pooling ? { pooling } : {}) };
      const nm = neuralizeKMeans(model, options);
      const out = {
        cluster: new Int32Array(X.rows),
        evidence: new Float64Array(X.rows),
        probability: new Float64Array(X.rows),
        relevance: new Float64Array(X.rows * X.cols),
      };
      explainKMeansRows(model, options, X, out);
      for (let i = 0; i < X.rows; i++) {
        const x = X.data.slice(i * X.cols, (i + 1) * X.cols);
        const e = nm.explain(x);
        assert.equal(out.cluster[i], e.cluster, `row ${i} cluster`);
        const scale = Math.max(1, Math.abs(e.evidence));
        assert.ok(Math.abs(out.evidence[i] - e.evidence) <= 1e-9 * scale, `row ${i} evidence ${out.evidence[i]} vs ${e.evidence}`);
        assert.ok(Math.abs(out.probability[i] - e.probability) <= 1e-12, `row ${i} probability`);
        for (let j = 0; j < X.cols; j++) {
          assert.ok(Math.abs(out.relevance[i * X.cols + j] - e.relevance[j]) <= 1e-9 * scale, `row ${i} feature ${j}`);
        }
      }
    });
  }
}

test('batch midpoint relevance sums to the evidence, rows delivered through onRow', () => {
  const { model, X } = randomCase(9, 200, 16, 8);
  const options = { beta: 2, evidence: 'hard' as const, rule: 'midpoint' as const };
  const out = { cluster: new Int32Array(X.rows), evidence: new Float64Array(X.rows), probability: new Float64Array(X.rows) };
  let seen = 0;
  explainKMeansRows(model, options, X, out, 0, X.rows, (i, r) => {
    seen++;
    let s = 0;
    for (let j = 0; j < r.length; j++) s += r[j];
    assert.ok(Math.abs(s - out.evidence[i]) <= 1e-9 * Math.max(1, Math.abs(out.evidence[i])), `row ${i}: ${s} vs ${out.evidence[i]}`);
  });
  assert.equal(seen, X.rows);
});

test('batch rejects data of the wrong width by message', () => {
  const { model } = randomCase(1, 1, 4, 3);
  const X = { rows: 1, cols: 5, data: new Float64Array(5) };
  const out = { cluster: new Int32Array(1), evidence: new Float64Array(1), probability: new Float64Array(1) };
  assert.throws(() => explainKMeansRows(model, { beta: 1, evidence: 'hard', rule: 'midpoint' }, X, out), /data has 5 features, the model expects 4/);
});

test('reference rule on overlapping clusters with the data mean: rows whose root the guard moves stay exact in the batch path (per-point network to 1e-9)', () => {
  // The mean sits near many boundaries of overlapping clusters: the guard moves roots often.
  const rng = new Rng(17);
  const k = 8;
  const d = 6;
  const n = 3000;
  const centroids = new Float64Array(k * d).map(() => 0.6 * rng.normal());
  const data = new Float64Array(n * d).map(() => rng.normal());
  const model: KMeansModel = { kind: 'kmeans', k, dim: d, centroids };
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  const options = { beta: 1.2, evidence: 'hard' as const, rule: 'reference' as FirstLayerRule, reference: mean };
  const X: Matrix = { rows: n, cols: d, data };
  const out = { cluster: new Int32Array(n), evidence: new Float64Array(n), probability: new Float64Array(n), relevance: new Float64Array(n * d) };
  explainKMeansRows(model, options, X, out);
  const nm = neuralizeKMeans(model, options);
  for (let i = 0; i < n; i++) {
    const e = nm.explain(data.slice(i * d, (i + 1) * d));
    const scale = Math.max(1, Math.abs(e.evidence));
    assert.equal(out.cluster[i], e.cluster);
    for (let j = 0; j < d; j++) assert.ok(Math.abs(out.relevance[i * d + j] - e.relevance[j]) <= 1e-9 * scale, `row ${i} feature ${j}: ${out.relevance[i * d + j]} vs ${e.relevance[j]}`);
  }
});
