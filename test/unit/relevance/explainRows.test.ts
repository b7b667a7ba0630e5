import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitClusterModel } from '../../../src/engine/pipeline/fitModel';
import { neuralize, resolveNeonOptions } from '../../../src/engine/pipeline/neuralizeModel';
import { explainRowsInto, explainWith, integratedGradients } from '../../../src/engine/relevance/baselines';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { Rng } from '../../../src/engine/rng';
import type { ExplanationMethod, Matrix, ModelKind } from '../../../src/engine/types';

/** Three overlapping Gaussian blobs in D = 6 (standardised-looking, so the mean is near 0). */
function blobs(n: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const d = 6;
  const data = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) data[r * d + j] = (j === r % 3 ? 2 : 0) + 0.9 * rng.normal();
  return { rows: n, cols: d, data };
}

const METHODS: readonly ExplanationMethod[] = ['neon', 'integrated-gradients', 'gradient-x-input', 'sensitivity'];

for (const kind of ['kmeans', 'kernel-kmeans', 'deep-kmeans'] as ModelKind[]) {
  test(`explainRowsInto gives explainWith's numbers row by row, every method, ${kind} (reference rule, hard)`, async () => {
    const X = blobs(60, 3);
    const fit = await fitClusterModel(X, 3, { ...DEFAULT_SETTINGS, model: kind, seed: 2, k: 3, epochs: 5 });
    const mean = new Float64Array(X.cols);
    for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) mean[j] += X.data[i * X.cols + j] / X.rows;
    const net = neuralize(fit.model, resolveNeonOptions(fit.model, X, { beta: 'auto', evidence: 'hard', rule: 'reference', reference: { point: mean, name: 'data mean' } }));
    // Rows out of order and repeated: the r-th block belongs to rows[r].
    const rows = Int32Array.from([7, 0, 59, 7, 31, 12]);
    const clusters = Int32Array.from(rows, (i) => net.assign(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
    // Explain one row for another cluster too (a negative evidence).
    clusters[2] = (clusters[2] + 1) % 3;
    for (const method of METHODS) {
      const out = new Float64Array(rows.length * X.cols).fill(NaN);
      explainRowsInto(method, net, X, rows, clusters, mean, out);
      for (let r = 0; r < rows.length; r++) {
        const x = X.data.slice(rows[r] * X.cols, (rows[r] + 1) * X.cols);
        const one = explainWith(method, net, x, clusters[r], mean);
        for (let j = 0; j < X.cols; j++) assert.equal(out[r * X.cols + j], one[j], `${method}, row ${rows[r]}, feature ${j}`);
      }
      if (method === 'neon') {
        // Exact conservation holds for the batch as for one row: Σ_j R_j = evidence.
        for (let r = 0; r < rows.length; r++) {
          const x = X.data.slice(rows[r] * X.cols, (rows[r] + 1) * X.cols);
          let s = 0;
          for (let j = 0; j < X.cols; j++) s += out[r * X.cols + j];
          const f = net.evidence(x, clusters[r]);
          assert.ok(Math.abs(s - f) <= 1e-9 * (1 + Math.abs(f)), `row ${rows[r]}: Σ R = ${s}, evidence ${f}`);
        }
      }
    }
  });
}

test('explainRowsInto: shapes that disagree fail with messages', async () => {
  const X = blobs(12, 1);
  const fit = await fitClusterModel(X, 2, { ...DEFAULT_SETTINGS, model: 'kmeans', seed: 1, k: 2 });
  const net = neuralize(fit.model, resolveNeonOptions(fit.model, X, { beta: 'auto', evidence: 'hard', rule: 'midpoint' }));
  const zero = new Float64Array(6);
  assert.throws(() => explainRowsInto('neon', net, X, [0, 1], [0], zero, new Float64Array(12)), /2 rows but 1 clusters/);
  assert.throws(() => explainRowsInto('neon', net, X, [0, 1], [0, 0], zero, new Float64Array(11)), /output has 11 values, expected 2 x 6/);
  assert.throws(() => explainRowsInto('integrated-gradients', net, X, [0], [0], new Float64Array(5), new Float64Array(6)), /reference has 5 features/);
  assert.throws(() => explainRowsInto('integrated-gradients', net, X, [0], [0], zero, new Float64Array(6), 0), /steps must be an integer >= 1, got 0/);
  const narrow: Matrix = { rows: 1, cols: 5, data: new Float64Array(5) };
  assert.throws(() => explainRowsInto('sensitivity', net, narrow, [0], [0], zero, new Float64Array(5)), /data have 5 features, the model expects 6/);
});

test('integrated gradients: a batch and a single row reject bad arguments with the same message', async () => {
  const X = blobs(12, 1);
  const fit = await fitClusterModel(X, 2, { ...DEFAULT_SETTINGS, model: 'kmeans', seed: 1, k: 2 });
  const net = neuralize(fit.model, resolveNeonOptions(fit.model, X, { beta: 'auto', evidence: 'hard', rule: 'midpoint' }));
  const x = X.data.subarray(0, 6);
  const cases: [Float64Array, number, string][] = [
    [new Float64Array(5), 32, 'integrated gradients: reference has 5 features, the model expects 6'],
    [new Float64Array(6), 0, 'integrated gradients: steps must be an integer >= 1, got 0'],
    [new Float64Array(6), 2.5, 'integrated gradients: steps must be an integer >= 1, got 2.5'],
    [new Float64Array(6), -3, 'integrated gradients: steps must be an integer >= 1, got -3'],
  ];
  for (const [reference, steps, message] of cases) {
    assert.throws(() => integratedGradients(net, x, 0, reference, steps), { name: 'OptionError', message });
    assert.throws(() => explainRowsInto('integrated-gradients', net, X, [0], [0], reference, new Float64Array(6), steps), { name: 'OptionError', message });
    assert.throws(() => explainWith('integrated-gradients', net, x, 0, reference, steps), { name: 'OptionError', message });
  }
  // The other methods take no reference and no steps: the same arguments are no error for them.
  explainRowsInto('neon', net, X, [0], [0], new Float64Array(5), new Float64Array(6), 0);
});
