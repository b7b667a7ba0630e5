import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idcGates, predictIdc } from '../../../src/engine/cluster/idc';
import { idcExplain, neuralizeIdc } from '../../../src/engine/neuralize/idc';
import { createMlp, mlpPredict } from '../../../src/engine/nn/mlp';
import { Rng } from '../../../src/engine/rng';
import type { IdcModel, NeonOptions } from '../../../src/engine/types';
import { assertGradientMatchesDifferences } from '../helpers/gradientCheck';

/** A random IDC model (D = 6, K = 3) whose gates are mostly strictly inside (0, 1). */
function randomModel(seed: number): IdcModel {
  const rng = new Rng(seed);
  const gateNet = createMlp(6, [{ outputs: 8, activation: 'tanh' }, { outputs: 6, activation: 'tanh' }], rng);
  for (let i = 0; i < gateNet[1].weights.length; i++) gateNet[1].weights[i] *= 0.2;
  gateNet[1].bias.set([3, -3, 0.2, 0.1, -0.2, 0]); // gate 0 open (1), gate 1 closed (0), others in between
  const encoder = createMlp(6, [{ outputs: 7, activation: 'relu' }, { outputs: 4, activation: 'linear' }], rng);
  for (const l of encoder) for (let j = 0; j < l.outputs; j++) l.bias[j] = 0.3 * rng.normal();
  const clusterHead = createMlp(4, [{ outputs: 5, activation: 'relu' }, { outputs: 3, activation: 'linear' }], rng);
  for (const l of clusterHead) for (let j = 0; j < l.outputs; j++) l.bias[j] = 0.3 * rng.normal();
  return { kind: 'idc', k: 3, dim: 6, gateNet, encoder, clusterHead, clusterGates: new Float64Array(18).fill(0.5) };
}

function point(rng: Rng): Float64Array {
  return Float64Array.from({ length: 6 }, () => rng.normal());
}

/** Head logits on x ⊙ clamp(gateNet(x) + 0.5, 0, 1), from the networks directly. */
function logitsOf(model: IdcModel, x: Float64Array): Float64Array {
  const mu = mlpPredict(model.gateNet, { rows: 1, cols: 6, data: x }).data;
  const g = x.map((v, i) => v * Math.min(1, Math.max(0, mu[i] + 0.5)));
  return mlpPredict(model.clusterHead, mlpPredict(model.encoder, { rows: 1, cols: 6, data: g })).data;
}

const HARD: NeonOptions = { beta: 1, evidence: 'hard', rule: 'midpoint' };
const SOFT: NeonOptions = { beta: 1, evidence: 'soft', rule: 'midpoint' };

test('evidence is the logit margin (hard) or log p/(1 − p) (soft) of the head on the gated input', () => {
  const model = randomModel(1);
  const rng = new Rng(2);
  for (let t = 0; t < 20; t++) {
    const x = point(rng);
    const l = logitsOf(model, x);
    const p = Array.from(l).map((v) => Math.exp(v));
    const z = p.reduce((s, v) => s + v, 0);
    for (let c = 0; c < 3; c++) {
      const others = [0, 1, 2].filter((q) => q !== c);
      const hard = l[c] - Math.max(...others.map((q) => l[q]));
      const soft = Math.log(p[c] / z / (1 - p[c] / z));
      assert.ok(Math.abs(neuralizeIdc(model, HARD).evidence(x, c) - hard) <= 1e-12 * (1 + Math.abs(hard)));
      assert.ok(Math.abs(neuralizeIdc(model, SOFT).evidence(x, c) - soft) <= 1e-9 * (1 + Math.abs(soft)));
    }
    const ex = idcExplain(model, x);
    assert.equal(ex.cluster, l.indexOf(Math.max(...l)));
    assert.ok(Math.abs(ex.probability - p[ex.cluster] / z) <= 1e-12);
    assert.deepEqual(Array.from(ex.gates), Array.from(idcGates(model, { rows: 1, cols: 6, data: x }).data));
    assert.equal(ex.gates[0], 1);
    assert.equal(ex.gates[1], 0);
    assert.equal(predictIdc(model, { rows: 1, cols: 6, data: x })[0], ex.cluster);
  }
});

test('gradient() equals finite differences, through the gates as well', () => {
  const model = randomModel(3);
  const rng = new Rng(4);
  for (const options of [HARD, SOFT]) {
    const net = neuralizeIdc(model, options);
    for (let t = 0; t < 10; t++) {
      const x = point(rng);
      assertGradientMatchesDifferences(net, x, net.assign(x), 1e-6, 1e-6, `${options.evidence} point ${t}`);
    }
  }
});

test('relevance is gradient × input at the gated input: zero behind closed gates, linear form, shares sum to f', () => {
  const model = randomModel(5);
  const rng = new Rng(6);
  for (const options of [HARD, SOFT]) {
    const net = neuralizeIdc(model, options);
    for (let t = 0; t < 10; t++) {
      const x = point(rng);
      const ex = net.explain(x, undefined, { perCompetitor: true });
      assert.equal(Math.abs(ex.relevance[1]), 0); // gate 1 is closed
      for (let i = 0; i < 6; i++) assert.ok(Math.abs(ex.relevance[i] - (ex.attribution.coef[i] * x[i] - ex.attribution.offset[i])) <= 1e-15);
      const shares = ex.competitorShares.reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(shares - ex.evidence) <= 1e-12 * (1 + Math.abs(ex.evidence)));
      assert.equal(ex.competitorShares[ex.cluster], 0);
      const per = ex.perCompetitor as Float64Array;
      for (let i = 0; i < 6; i++) {
        const s = per[i] + per[6 + i] + per[12 + i];
        assert.ok(Math.abs(s - ex.relevance[i]) <= 1e-9 * (1 + Math.abs(ex.relevance[i])));
      }
      if (options.evidence === 'hard') assert.ok(ex.evidence >= 0);
    }
  }
});

test('malformed models and bad calls are rejected by message', () => {
  const model = randomModel(7);
  assert.throws(() => neuralizeIdc({ ...model, clusterGates: new Float64Array(3) }, HARD), /cluster gates hold 3 values, expected k x D = 3 x 6/);
  assert.throws(() => neuralizeIdc({ ...model, k: 4 }, HARD), /cluster head outputs 3 logits for k = 4/);
  assert.throws(() => neuralizeIdc({ ...model, encoder: model.encoder.slice(1) }, HARD), /IDC encoder: layer 0 takes 7 inputs but receives 6/);
  assert.throws(() => neuralizeIdc(model, HARD).evidence(new Float64Array(6), 3), /cluster 3 is out of range 0..2/);
  assert.throws(() => idcExplain(model, new Float64Array(2)), /input has 2 features, the model expects 6/);
});
