import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitKMeans } from '../../../src/engine/cluster/kmeans';
import { fitDeepKMeans } from '../../../src/engine/cluster/deepKMeans';
import { softMin } from '../../../src/engine/network/pooling';
import { deepOutlierScores, neuralizeDeepKMeans } from '../../../src/engine/neuralize/deepKMeans';
import { featureRange } from '../../../src/engine/nn/batches';
import { createMlp, mlpPredict } from '../../../src/engine/nn/mlp';
import { Rng } from '../../../src/engine/rng';
import type { DeepKMeansModel, Matrix, NeonOptions } from '../../../src/engine/types';
import { assertGradientMatchesDifferences } from '../helpers/gradientCheck';

/** Three Gaussian blobs in D = 6 (features 0..2 carry the structure). */
function blobs(n: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const d = 6;
  const centers = [
    [3, 0, 0],
    [0, 3, 0],
    [0, 0, 3],
  ];
  const data = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const c = centers[r % 3];
    for (let j = 0; j < d; j++) data[r * d + j] = (j < 3 ? c[j] : 0) + 0.5 * rng.normal();
  }
  return { rows: n, cols: d, data };
}

/** A model with random φ (non-zero biases) and k-means centroids on φ(X): fast and deterministic. */
async function randomModel(X: Matrix, seed: number): Promise<DeepKMeansModel> {
  const rng = new Rng(seed);
  const layers = createMlp(X.cols, [{ outputs: 8, activation: 'relu' }, { outputs: 5, activation: 'relu' }, { outputs: 4, activation: 'linear' }], rng);
  for (const l of layers) for (let j = 0; j < l.outputs; j++) l.bias[j] = 0.2 * rng.normal();
  const fit = await fitKMeans(mlpPredict(layers, X), { k: 3, seed });
  const { low, high } = featureRange(X);
  return { kind: 'deep-kmeans', k: 3, dim: X.cols, layers, centroids: fit.model.centroids, inputLow: low, inputHigh: high };
}

function row(X: Matrix, r: number): Float64Array {
  return X.data.slice(r * X.cols, (r + 1) * X.cols);
}

/** Evidence straight from the definition on a = φ(x): min or smin_β over k ≠ c of o_k − o_c. */
function directEvidence(model: DeepKMeansModel, x: Float64Array, c: number, options: NeonOptions): number {
  const a = mlpPredict(model.layers, { rows: 1, cols: model.dim, data: x }).data;
  const e = a.length;
  const o = new Float64Array(model.k);
  for (let q = 0; q < model.k; q++) for (let j = 0; j < e; j++) o[q] += (a[j] - model.centroids[q * e + j]) ** 2;
  const h = new Float64Array(model.k);
  for (let q = 0; q < model.k; q++) h[q] = q === c ? Infinity : o[q] - o[c];
  if (options.evidence === 'soft') return softMin(h, options.beta, c);
  return Math.min(...Array.from(h));
}

const HARD: NeonOptions = { beta: 1, evidence: 'hard', rule: 'midpoint' };
const SOFT: NeonOptions = { beta: 0.7, evidence: 'soft', rule: 'midpoint' };

test('the top layers equal the k-means evidence on φ(x) (hard and soft, every cluster) to 1e-9', async () => {
  const X = blobs(60, 1);
  const model = await randomModel(X, 2);
  for (const options of [HARD, SOFT]) {
    const net = neuralizeDeepKMeans(model, options);
    for (let r = 0; r < 20; r++) {
      const x = row(X, r);
      for (let c = 0; c < 3; c++) {
        const direct = directEvidence(model, x, c, options);
        assert.ok(Math.abs(net.evidence(x, c) - direct) <= 1e-9 * (1 + Math.abs(direct)), `row ${r} c ${c}`);
      }
      assert.equal(net.explain(x).evidence, net.evidence(x, net.assign(x)));
    }
  }
});

test('gradient() equals finite differences of the evidence', async () => {
  const X = blobs(60, 3);
  const model = await randomModel(X, 4);
  const net = neuralizeDeepKMeans(model, SOFT);
  for (let r = 0; r < 5; r++) {
    const x = row(X, r);
    assertGradientMatchesDifferences(net, x, net.assign(x), 1e-6, 1e-6, `row ${r}`);
  }
});

test('conservation down to the input: Σ R_i + biasRelevance = f_c (1e-9), for every rule variant; zero biases conserve exactly', async () => {
  const X = blobs(60, 5);
  const model = await randomModel(X, 6);
  const mean = new Float64Array(6);
  for (let r = 0; r < X.rows; r++) for (let j = 0; j < 6; j++) mean[j] += X.data[r * 6 + j] / X.rows;
  const variants = [
    { options: HARD, rules: {} },
    { options: SOFT, rules: {} },
    { options: { ...HARD, rule: 'z' as const }, rules: {} },
    { options: HARD, rules: { top: 'folded' as const } },
    { options: SOFT, rules: { top: 'folded' as const, gamma: 0 } },
    { options: HARD, rules: { reference: mean } },
    { options: HARD, rules: { top: 'folded' as const, reference: mean, gamma: 1 } },
  ];
  for (const { options, rules } of variants) {
    const net = neuralizeDeepKMeans(model, options, rules);
    for (let r = 0; r < 30; r++) {
      const x = row(X, r);
      const ex = net.explain(x);
      const sum = ex.relevance.reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(sum + ex.biasRelevance - ex.evidence) <= 1e-9 * (1 + Math.abs(ex.evidence)), `${options.rule}/${options.evidence} row ${r}`);
      for (let i = 0; i < 6; i++) assert.ok(Math.abs(ex.relevance[i] - (ex.attribution.coef[i] * x[i] - ex.attribution.offset[i])) <= 1e-12);
      const sumA = ex.representationRelevance.reduce((s, v) => s + v, 0);
      if (options.rule === 'midpoint') assert.ok(Math.abs(sumA - ex.evidence) <= 1e-9 * (1 + Math.abs(ex.evidence)));
      // Per-competitor rows are the same rules applied to each competitor's share: they sum to R.
      const per = net.explain(x, undefined, { perCompetitor: true }).perCompetitor as Float64Array;
      for (let i = 0; i < 6; i++) {
        const s = per[i] + per[6 + i] + per[12 + i];
        assert.ok(Math.abs(s - ex.relevance[i]) <= 1e-9 * (1 + Math.abs(ex.relevance[i])), `${JSON.stringify(rules)} row ${r} feature ${i}`);
      }
    }
  }
  const zeroBias: DeepKMeansModel = { ...model, layers: model.layers.map((l) => ({ ...l, bias: new Float64Array(l.outputs) })) };
  const fit = await fitKMeans(mlpPredict(zeroBias.layers, X), { k: 3, seed: 1 });
  const net = neuralizeDeepKMeans({ ...zeroBias, centroids: fit.model.centroids }, HARD);
  for (let r = 0; r < 30; r++) {
    const ex = net.explain(row(X, r));
    assert.ok(Math.abs(ex.biasRelevance) <= 1e-9 * (1 + ex.evidence), `row ${r}: bias share ${ex.biasRelevance}`);
    assert.ok(Math.abs(ex.relevance.reduce((s, v) => s + v, 0) - ex.evidence) <= 1e-9 * (1 + ex.evidence));
  }
});

test('on a trained deep k-means model the bias share stays bounded and per-competitor rows add up', async () => {
  const X = blobs(150, 7);
  const { model } = await fitDeepKMeans(X, { k: 3, seed: 1, hidden: [16, 8], embedding: 4, epochs: 5, pretrainEpochs: 15 });
  const net = neuralizeDeepKMeans(model, HARD);
  let shareSum = 0;
  for (let r = 0; r < X.rows; r++) {
    const x = row(X, r);
    const ex = net.explain(x, undefined, { perCompetitor: true });
    assert.ok(ex.evidence >= 0);
    shareSum += Math.abs(ex.biasRelevance) / Math.max(ex.evidence, 1e-12);
    // Per-competitor rows are the same rules applied to each competitor's share: they sum to R.
    const per = ex.perCompetitor as Float64Array;
    for (let i = 0; i < 6; i++) {
      let s = 0;
      for (let q = 0; q < 3; q++) s += per[q * 6 + i];
      assert.ok(Math.abs(s - ex.relevance[i]) <= 1e-9 * (1 + Math.abs(ex.relevance[i])));
    }
  }
  const meanShare = shareSum / X.rows;
  assert.ok(meanShare < 0.5, `mean |bias share| ${meanShare}`);
});

test('points outside the training range still get finite relevance (box widened to contain x)', async () => {
  const X = blobs(60, 8);
  const model = await randomModel(X, 9);
  const net = neuralizeDeepKMeans(model, HARD);
  const x = Float64Array.from([10, -10, 4, 8, -6, 2]);
  const ex = net.explain(x);
  assert.ok(ex.relevance.every(Number.isFinite));
  assert.ok(Math.abs(ex.relevance.reduce((s, v) => s + v, 0) + ex.biasRelevance - ex.evidence) <= 1e-9 * (1 + Math.abs(ex.evidence)));
});

test('deepOutlierScores are squared distances to the centroids in representation space', async () => {
  const X = blobs(30, 10);
  const model = await randomModel(X, 11);
  const o = deepOutlierScores(model, X);
  const net = neuralizeDeepKMeans(model, HARD);
  for (let r = 0; r < 30; r++) {
    const a = net.representation(row(X, r));
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = 0; j < a.length; j++) s += (a[j] - model.centroids[c * a.length + j]) ** 2;
      assert.ok(Math.abs(o[r * 3 + c] - s) <= 1e-12 * (1 + s));
    }
  }
});

test('models the rules do not cover are rejected by message', async () => {
  const X = blobs(30, 12);
  const model = await randomModel(X, 13);
  const tanh: DeepKMeansModel = { ...model, layers: model.layers.map((l, i) => (i === 0 ? { ...l, activation: 'tanh' as const } : l)) };
  assert.throws(() => neuralizeDeepKMeans(tanh, HARD), /layer 0 has activation 'tanh', the NEON rules need 'relu'/);
  assert.throws(() => neuralizeDeepKMeans({ ...model, centroids: new Float64Array(5) }, HARD), /centroids hold 5 values, expected k x embedding = 3 x 4/);
  assert.throws(() => neuralizeDeepKMeans(model, HARD, { gamma: -1 }), /gamma must be a finite number >= 0/);
  assert.throws(() => neuralizeDeepKMeans(model, HARD, { reference: new Float64Array(2) }), /reference point has 2 values, the model expects 6/);
  assert.throws(() => neuralizeDeepKMeans(model, HARD).explain(new Float64Array(3)), /input has 3 features, the model expects 6/);
});
