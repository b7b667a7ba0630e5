import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionError } from '../../../src/engine/errors';
import { betaForTargetProbability, betaFromMeanMargin, kmeansOutlierScores, resolveBeta } from '../../../src/engine/neuralize/beta';
import { Rng } from '../../../src/engine/rng';
import type { KMeansModel, Matrix } from '../../../src/engine/types';

function meanTop(scores: Float64Array, k: number, beta: number): number {
  const n = scores.length / k;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(scores.subarray(i * k, i * k + k));
    const m = Math.min(...row);
    const z = row.map((o) => Math.exp(-beta * (o - m)));
    total += Math.max(...z) / z.reduce((a, b) => a + b, 0);
  }
  return total / n;
}

function randomScores(seed: number, n: number, k: number): Float64Array {
  const rng = new Rng(seed);
  return new Float64Array(n * k).map(() => 1 + 5 * rng.next());
}

test('kmeansOutlierScores are the squared distances', () => {
  const model: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: new Float64Array([0, 0, 3, 4]) };
  const X: Matrix = { rows: 2, cols: 2, data: new Float64Array([0, 0, 1, 1]) };
  assert.deepEqual(Array.from(kmeansOutlierScores(model, X)), [0, 25, 2, 13]);
  assert.throws(() => kmeansOutlierScores(model, { rows: 1, cols: 3, data: new Float64Array(3) }), /data has 3 features, the model expects 2/);
});

test('betaForTargetProbability hits the target mean top probability (1e-9)', () => {
  for (const [k, target] of [[3, 0.8], [10, 0.8], [5, 0.9], [2, 0.55]] as const) {
    const scores = randomScores(k, 400, k);
    const beta = betaForTargetProbability(scores, k, target);
    assert.ok(beta > 0 && Number.isFinite(beta));
    assert.ok(Math.abs(meanTop(scores, k, beta) - target) < 1e-9, `k=${k} target=${target}`);
  }
});

test('beta scales inversely with the scores', () => {
  const scores = randomScores(1, 300, 4);
  const b1 = betaForTargetProbability(scores, 4, 0.8);
  const b2 = betaForTargetProbability(scores.map((v) => 10 * v), 4, 0.8);
  assert.ok(Math.abs(b1 / b2 - 10) < 1e-6, `${b1} / ${b2}`);
});

test('unreachable targets: out of (1/k, 1) is an OptionError; ties cap the probability', () => {
  const scores = randomScores(2, 50, 4);
  assert.throws(() => betaForTargetProbability(scores, 4, 0.2), (e: unknown) => e instanceof OptionError && /between 1\/k = 0.2500 and 1/.test(e.message));
  assert.throws(() => betaForTargetProbability(scores, 4, 1), /got 1/);
  assert.throws(() => betaForTargetProbability(new Float64Array(5), 2, 0.8), /not a non-empty N x k matrix with k = 2/);
  // Every point tied between two clusters: top probability never exceeds 1/2.
  const tied = new Float64Array([1, 1, 9, 2, 2, 9]);
  const beta = betaForTargetProbability(tied, 3, 0.8);
  assert.ok(beta > 10 && Number.isFinite(beta), `returns a stiff, finite beta (${beta})`);
  assert.ok(meanTop(tied, 3, beta) <= 0.5 + 1e-12);
});

test('resolveBeta keeps numbers, resolves auto, rejects bad numbers', () => {
  const scores = randomScores(3, 100, 3);
  assert.equal(resolveBeta(2.5, scores, 3, 0.8), 2.5);
  assert.equal(resolveBeta('auto', scores, 3, 0.8), betaForTargetProbability(scores, 3, 0.8));
  assert.throws(() => resolveBeta(-1, scores, 3, 0.8), /beta must be a finite number > 0 or 'auto', got -1/);
});

test('betaFromMeanMargin = 1 / mean margin (hand case)', () => {
  // margins: 3 − 1 = 2 and 6 − 2 = 4 -> mean 3.
  assert.equal(betaFromMeanMargin(new Float64Array([1, 3, 7, 6, 2, 9]), 3), 1 / 3);
  assert.equal(betaFromMeanMargin(new Float64Array([1, 1]), 2), 1);
});
