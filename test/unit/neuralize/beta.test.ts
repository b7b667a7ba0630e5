import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionError } from '../../../src/engine/errors';
import { betaForTargetProbability, betaFromMeanMargin, betaSampleRows, betaSampleStride, kmeansOutlierScores, resolveBeta } from '../../../src/engine/neuralize/beta';
import { resolveNeonOptions } from '../../../src/engine/pipeline/neuralizeModel';
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

/**
 * The previous definition of the 'auto' β (before Brent's method and the sampled scoring):
 * every stride-th row of the scores (stride ⌈N / 20,000⌉), bracket from 1 / mean margin by
 * factors of 4, then 60 bisection steps on log β.
 */
function bisectionBeta(scores: Float64Array, k: number, target: number): number {
  const n = scores.length / k;
  const stride = Math.max(1, Math.ceil(n / 20_000));
  const mean = (beta: number): number => {
    let total = 0;
    let rows = 0;
    for (let i = 0; i < n; i += stride) {
      const row = scores.subarray(i * k, i * k + k);
      const m = Math.min(...row);
      let s = 0;
      for (const o of row) s += Math.exp(-beta * (o - m));
      total += 1 / s;
      rows++;
    }
    return total / rows;
  };
  let gap = 0;
  let rows = 0;
  for (let i = 0; i < n; i += stride) {
    const sorted = Array.from(scores.subarray(i * k, i * k + k)).sort((a, b) => a - b);
    gap += sorted[1] - sorted[0];
    rows++;
  }
  let lo = rows / gap;
  let hi = lo;
  while (mean(lo) > target) lo /= 4;
  while (mean(hi) < target) hi *= 4;
  let a = Math.log(lo);
  let b = Math.log(hi);
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (a + b);
    if (mean(Math.exp(mid)) < target) a = mid;
    else b = mid;
  }
  return Math.exp(0.5 * (a + b));
}

/** N points around K centres in D dimensions, overlapping (unit noise, centres in [-1.5, 1.5]^D). */
function overlappingBlobs(seed: number, n: number, d: number, k: number): { model: KMeansModel; X: Matrix } {
  const rng = new Rng(seed);
  const centroids = new Float64Array(k * d).map(() => (rng.next() * 2 - 1) * 1.5);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let j = 0; j < d; j++) data[i * d + j] = centroids[c * d + j] + rng.normal();
  }
  return { model: { kind: 'kmeans', k, dim: d, centroids }, X: { rows: n, cols: d, data } };
}

test('auto β equals the previous bisection definition to 1e-12 relative (random scores; overlapping blobs of 50,001 rows, stride 3)', () => {
  for (const [k, target] of [[3, 0.8], [10, 0.8], [5, 0.9], [2, 0.55], [12, 0.8]] as const) {
    const scores = randomScores(10 + k, 2_000, k);
    const ours = betaForTargetProbability(scores, k, target);
    const before = bisectionBeta(scores, k, target);
    assert.ok(Math.abs(ours / before - 1) <= 1e-12, `k=${k} target=${target}: ${ours} vs ${before}`);
  }
  const { model, X } = overlappingBlobs(5, 50_001, 8, 12);
  const scores = kmeansOutlierScores(model, X);
  for (const target of [0.8, 0.9]) {
    const ours = betaForTargetProbability(scores, 12, target);
    const before = bisectionBeta(scores, 12, target);
    assert.ok(Math.abs(ours / before - 1) <= 1e-12, `blobs, target ${target}: ${ours} vs ${before}`);
  }
});

test('betaSampleRows keeps rows 0, s, 2s, … (s = ⌈N / 20,000⌉); scoring only them gives the same β as scoring all N rows', () => {
  assert.equal(betaSampleStride(20_000), 1);
  assert.equal(betaSampleStride(20_001), 2);
  assert.equal(betaSampleStride(1_000_000), 50);
  const { model, X } = overlappingBlobs(6, 45_001, 5, 7);
  const sample = betaSampleRows(X);
  assert.equal(sample.rows, 15_001); // stride 3: rows 0, 3, …, 45,000
  assert.deepEqual(Array.from(sample.data.subarray(5 * 2, 5 * 3)), Array.from(X.data.subarray(5 * 6, 5 * 7)));
  assert.deepEqual(Array.from(sample.data.subarray(5 * 15_000)), Array.from(X.data.subarray(5 * 45_000)));
  const small: Matrix = { rows: 10, cols: 5, data: X.data.subarray(0, 50) };
  assert.equal(betaSampleRows(small), small);
  const all = betaForTargetProbability(kmeansOutlierScores(model, X), 7, 0.8);
  assert.equal(betaForTargetProbability(kmeansOutlierScores(model, sample), 7, 0.8), all);
  // The pipeline's 'auto' β (resolveNeonOptions) scores only the sample: bit-identical.
  const reference = { point: new Float64Array(5), name: 'zero' };
  assert.equal(resolveNeonOptions(model, X, { beta: 'auto', evidence: 'hard', rule: 'reference', reference }).beta, all);
});
