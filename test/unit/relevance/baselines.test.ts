import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainWith, integratedGradients } from '../../../src/engine/relevance/baselines';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { Rng } from '../../../src/engine/rng';
import type { KMeansModel } from '../../../src/engine/types';

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

test('sensitivity and gradient x input on the hand case', () => {
  // μ0 = (0,0), μ1 = (2,0): gradient of the margin = w = (−4, 0).
  const model: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: new Float64Array([0, 0, 2, 0]) };
  const net = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
  const x = new Float64Array([0.5, 3]);
  const ref = new Float64Array([1, 1]);
  assert.deepEqual(Array.from(explainWith('sensitivity', net, x, 0, ref)), [16, 0]);
  assert.deepEqual(Array.from(explainWith('gradient-x-input', net, x, 0, ref)), [-2, 0]);
  assert.deepEqual(Array.from(explainWith('neon', net, x, 0, ref)), [2, 0]);
  // f is linear here, so IG = (x − r) ⊙ w exactly: ((0.5 − 1)(−4), 0) = (2, 0).
  assert.deepEqual(Array.from(explainWith('integrated-gradients', net, x, 0, ref)), [2, 0]);
});

test('integrated gradients completeness: Σ IG = f(x) − f(ref) (soft: 1e-2 rel at 32 steps, 1e-4 at 256)', () => {
  const rng = new Rng(4);
  const k = 5;
  const d = 6;
  const model: KMeansModel = { kind: 'kmeans', k, dim: d, centroids: new Float64Array(k * d).map(() => 2 * rng.normal()) };
  const net = neuralizeKMeans(model, { beta: 0.5, evidence: 'soft', rule: 'midpoint' });
  const ref = new Float64Array(d);
  for (let t = 0; t < 20; t++) {
    const x = new Float64Array(d).map(() => 2 * rng.normal());
    const c = net.assign(x);
    const delta = net.evidence(x, c) - net.evidence(ref, c);
    for (const [steps, tol] of [[32, 1e-2], [256, 1e-4]] as const) {
      const ig = integratedGradients(net, x, c, ref, steps);
      assert.ok(Math.abs(sum(ig) - delta) <= tol * Math.max(1, Math.abs(delta)), `steps=${steps}: ${sum(ig)} vs ${delta}`);
    }
  }
});

test('integrated gradients on the piecewise-linear hard margin: error shrinks like 1/steps', () => {
  const rng = new Rng(5);
  const k = 4;
  const d = 3;
  const model: KMeansModel = { kind: 'kmeans', k, dim: d, centroids: new Float64Array(k * d).map(() => 2 * rng.normal()) };
  const net = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
  const ref = new Float64Array(d);
  let worst32 = 0;
  let worst1024 = 0;
  for (let t = 0; t < 20; t++) {
    const x = new Float64Array(d).map(() => 2 * rng.normal());
    const c = net.assign(x);
    const delta = net.evidence(x, c) - net.evidence(ref, c);
    const scale = Math.max(1, Math.abs(delta));
    worst32 = Math.max(worst32, Math.abs(sum(integratedGradients(net, x, c, ref, 32)) - delta) / scale);
    worst1024 = Math.max(worst1024, Math.abs(sum(integratedGradients(net, x, c, ref, 1024)) - delta) / scale);
  }
  assert.ok(worst32 < 0.1, `32 steps: ${worst32}`);
  assert.ok(worst1024 < 5e-3, `1024 steps: ${worst1024}`);
});

test('bad steps and shapes fail with messages', () => {
  const model: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: new Float64Array([0, 0, 2, 0]) };
  const net = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
  assert.throws(() => integratedGradients(net, new Float64Array(2), 0, new Float64Array(2), 0), /steps must be an integer >= 1, got 0/);
  assert.throws(() => integratedGradients(net, new Float64Array(2), 0, new Float64Array(3)), /reference has 3 features, the model expects 2/);
  assert.throws(() => explainWith('sensitivity', net, new Float64Array(1), 0, new Float64Array(2)), /input has 1 features, the model expects 2/);
});
