import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepRepresentation, fitDeepKMeans, predictDeepKMeans } from '../../../src/engine/cluster/deepKMeans';
import { featureRange } from '../../../src/engine/nn/batches';
import { Rng } from '../../../src/engine/rng';
import { recovered } from '../helpers/recovered';
import type { Matrix } from '../../../src/engine/types';

/** Three Gaussian blobs in D = 5; row r belongs to blob r % 3. */
function blobs(n: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const d = 5;
  const data = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) data[r * d + j] = (j === r % 3 ? 4 : 0) + 0.6 * rng.normal();
  }
  return { rows: n, cols: d, data };
}


/** Within-cluster scatter over total scatter of the representation (lower = more compact clusters). */
function withinOverTotal(A: Matrix, labels: Int32Array, k: number): number {
  const e = A.cols;
  const mean = new Float64Array(e);
  const cm = new Float64Array(k * e);
  const cnt = new Int32Array(k);
  for (let r = 0; r < A.rows; r++) {
    cnt[labels[r]]++;
    for (let j = 0; j < e; j++) {
      mean[j] += A.data[r * e + j] / A.rows;
      cm[labels[r] * e + j] += A.data[r * e + j];
    }
  }
  let w = 0;
  let t = 0;
  for (let r = 0; r < A.rows; r++) {
    for (let j = 0; j < e; j++) {
      const v = A.data[r * e + j];
      w += (v - cm[labels[r] * e + j] / cnt[labels[r]]) ** 2;
      t += (v - mean[j]) ** 2;
    }
  }
  return w / t;
}

const SMALL = { k: 3, seed: 7, hidden: [16, 8], embedding: 3, pretrainEpochs: 15, epochs: 15 } as const;

test('deep k-means recovers three blobs; labels are the nearest centroids of φ(x); bounds are the data range', async () => {
  const X = blobs(150, 1);
  const epochs: number[] = [];
  const fit = await fitDeepKMeans(X, SMALL, { onEpoch: (e, loss) => { assert.ok(Number.isFinite(loss)); epochs.push(e); } });
  assert.ok(recovered(fit.labels, 3) >= 0.95, `recovered ${recovered(fit.labels, 3)}`);
  assert.deepEqual(Array.from(predictDeepKMeans(fit.model, X)), Array.from(fit.labels));
  assert.equal(fit.lossHistory.length, 30);
  assert.deepEqual(epochs, Array.from({ length: 30 }, (_, i) => i));
  const { low, high } = featureRange(X);
  assert.deepEqual(fit.model.inputLow, low);
  assert.deepEqual(fit.model.inputHigh, high);
  assert.equal(fit.model.layers[fit.model.layers.length - 1].activation, 'linear');
  assert.equal(fit.model.centroids.length, 3 * 3);
  // Pretraining (reconstruction only) lowers its loss.
  assert.ok(fit.lossHistory[14] < fit.lossHistory[0], `pretraining loss ${fit.lossHistory[0]} -> ${fit.lossHistory[14]}`);
});

test('joint epochs make the clusters in representation space more compact than pretraining alone', async () => {
  const X = blobs(150, 2);
  const pre = await fitDeepKMeans(X, { ...SMALL, epochs: 0 });
  const joint = await fitDeepKMeans(X, { ...SMALL, epochs: 20, clusterWeight: 0.3 });
  const before = withinOverTotal(deepRepresentation(pre.model, X), pre.labels, 3);
  const after = withinOverTotal(deepRepresentation(joint.model, X), joint.labels, 3);
  assert.ok(after < before, `within/total ${before} -> ${after}`);
});

test('seeded training reproduces exactly; another seed differs', async () => {
  const X = blobs(90, 3);
  const a = await fitDeepKMeans(X, { ...SMALL, pretrainEpochs: 4, epochs: 3 });
  const b = await fitDeepKMeans(X, { ...SMALL, pretrainEpochs: 4, epochs: 3 });
  assert.deepEqual(b.model.layers[0].weights, a.model.layers[0].weights);
  assert.deepEqual(b.model.centroids, a.model.centroids);
  assert.deepEqual(b.lossHistory, a.lossHistory);
  const c = await fitDeepKMeans(X, { ...SMALL, seed: 8, pretrainEpochs: 4, epochs: 3 });
  assert.notDeepEqual(c.model.layers[0].weights, a.model.layers[0].weights);
});

test('an abort during training rejects with CancelledError, and progress is reported', async () => {
  const X = blobs(90, 4);
  const controller = new AbortController();
  const stages: string[] = [];
  await assert.rejects(
    fitDeepKMeans(X, SMALL, { signal: controller.signal, onProgress: (p) => stages.push(p.stage), onEpoch: (e) => { if (e === 1) controller.abort(); } }),
    { name: 'CancelledError' },
  );
  assert.ok(stages.includes('deep k-means'));
});

test('bad options are rejected by message', async () => {
  const X = blobs(10, 5);
  await assert.rejects(fitDeepKMeans(X, { ...SMALL, k: 1 }), /k must be an integer >= 2, got 1/);
  await assert.rejects(fitDeepKMeans(X, { ...SMALL, k: 11 }), /k = 11 needs at least 11 rows, the data has 10/);
  await assert.rejects(fitDeepKMeans(X, { ...SMALL, epochs: -1 }), /epochs must be an integer >= 0, got -1/);
  await assert.rejects(fitDeepKMeans(X, { ...SMALL, hidden: [4, 0] }), /hidden\[1\] must be a positive integer, got 0/);
  const bad = { ...X, data: X.data.slice() };
  bad.data[7] = NaN;
  await assert.rejects(fitDeepKMeans(bad, SMALL), /non-finite value at row 2, column 3/);
});

test('progress events carry the epoch loss, equal to the loss history (live curve in the panel)', async () => {
  const X = blobs(60, 3);
  const reported: number[] = [];
  const fit = await fitDeepKMeans(X, { ...SMALL, pretrainEpochs: 3, epochs: 3 }, { onProgress: (p) => { if (p.loss !== undefined) reported.push(p.loss); } });
  assert.ok(reported.length > 0, 'no progress event carried a loss');
  const history = Array.from(fit.lossHistory);
  for (const loss of reported) assert.ok(history.includes(loss), `reported loss ${loss} is not in the loss history`);
});
