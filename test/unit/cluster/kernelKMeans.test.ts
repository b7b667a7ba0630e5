import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { medianGamma, stiffGamma } from '../../../src/engine/cluster/bandwidth';
import { fitKernelKMeans, leaveOneOutLoop, predictKernelKMeans } from '../../../src/engine/cluster/kernelKMeans';
import { reduceToSupportVectors, supportVectorBias } from '../../../src/engine/cluster/supportVectors';
import { CancelledError, DataError, OptionError } from '../../../src/engine/errors';
import { Rng } from '../../../src/engine/rng';
import type { Matrix } from '../../../src/engine/types';

/** Two tight pairs {0,1} and {2,3}: within-pair similarity 0.9, across 0.1. */
const PAIRS = Float64Array.from([1, 0.9, 0.1, 0.1, 0.9, 1, 0.1, 0.1, 0.1, 0.1, 1, 0.9, 0.1, 0.1, 0.9, 1]);

/** Three separated Gaussian blobs in 2-D; returns the data and the true blob of each row. */
function blobs(seed: number, perBlob = 50): { X: Matrix; truth: Int32Array } {
  const rng = new Rng(seed);
  const centres = [
    [0, 0],
    [6, 0],
    [0, 6],
  ];
  const n = 3 * perBlob;
  const data = new Float64Array(n * 2);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = i % 3;
    truth[i] = b;
    data[i * 2] = centres[b][0] + rng.normal();
    data[i * 2 + 1] = centres[b][1] + rng.normal();
  }
  return { X: { rows: n, cols: 2, data }, truth };
}

/** True when `a` and `b` are the same partition (labels may be permuted). */
function samePartition(a: Int32Array, b: Int32Array): boolean {
  const map = new Map<number, number>();
  const back = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((map.get(a[i]) ?? b[i]) !== b[i] || (back.get(b[i]) ?? a[i]) !== a[i]) return false;
    map.set(a[i], b[i]);
    back.set(b[i], a[i]);
  }
  return true;
}

function gaussianKernel(X: Matrix, gamma: number): Float64Array {
  const { rows: n, cols: d, data } = X;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (data[i * d + t] - data[j * d + t]) ** 2;
      K[i * n + j] = Math.exp(-gamma * s);
    }
  }
  return K;
}

describe('leaveOneOutLoop (hand-computed kernels)', () => {
  it('moves a point to the nearest leave-one-out centroid and stops when nothing changes', async () => {
    // Point 2 in {0,1,2}: own LOO centroid {0,1} scores 0.2/√3.8 ≈ 0.10, cluster {3} scores 0.9.
    const r = await leaveOneOutLoop(PAIRS, 4, 2, Int32Array.from([0, 0, 0, 1]), 10);
    assert.deepEqual(Array.from(r.labels), [0, 0, 1, 1]);
    assert.equal(r.iterations, 2);
    assert.equal(r.converged, true);
    assert.equal(r.cycled, false);
  });

  it('ends the batch alternation [0,1,0,1] ↔ [1,0,1,0] with sequential sweeps', async () => {
    // Every point prefers the other cluster (score 1/√2.2 ≈ 0.67 vs 0.1), so batch updates
    // swap all labels forever; one-at-a-time moves separate the pairs.
    const initial = Int32Array.from([0, 1, 0, 1]);
    const r = await leaveOneOutLoop(PAIRS, 4, 2, initial, 10);
    assert.equal(r.cycled, true);
    assert.equal(r.converged, true);
    assert.ok(samePartition(r.labels, Int32Array.from([0, 0, 1, 1])), `labels ${Array.from(r.labels)}`);
    assert.deepEqual(Array.from(initial), [0, 1, 0, 1], 'the initial labels are not modified');
  });

  it('keeps a lone point in its cluster (its leave-one-out centroid is empty)', async () => {
    const r = await leaveOneOutLoop(PAIRS, 4, 2, Int32Array.from([0, 0, 0, 1]), 1);
    assert.equal(r.labels[3], 1);
  });
});

describe('fitKernelKMeans', () => {
  it('recovers separated blobs; the full model is a fixed point of the LOO loop; reduction agrees', async () => {
    const { X, truth } = blobs(1);
    const fit = await fitKernelKMeans(X, { k: 3, seed: 4, gamma: 'stiff', supportVectorsPerCluster: 5 });
    assert.equal(fit.converged, true);
    assert.deepEqual(fit.warnings, []);
    assert.ok(samePartition(fit.fullLabels, truth));
    assert.ok(samePartition(fit.labels, truth));
    assert.equal(fit.reductionAgreement, 1);
    assert.equal(fit.trainingRows, X.rows);
    // Labels stop changing: one more LOO pass from the result moves nothing.
    const again = await leaveOneOutLoop(gaussianKernel(X, fit.gamma), X.rows, 3, fit.fullLabels, 5);
    assert.equal(again.iterations, 1);
    assert.deepEqual(Array.from(again.labels), Array.from(fit.fullLabels));
    // Model shape and consistency.
    const { model } = fit;
    assert.equal(model.supportCluster.length, 15);
    assert.equal(model.supportVectors.length, 30);
    assert.equal(model.gamma, fit.gamma);
    const sv: Matrix = { rows: 15, cols: 2, data: model.supportVectors };
    assert.deepEqual(Array.from(model.bias), Array.from(supportVectorBias(sv, model.supportCluster, 3, fit.gamma)));
    assert.deepEqual(Array.from(predictKernelKMeans(model, X)), Array.from(fit.labels));
    assert.ok(Math.abs(fit.selfShare - 0.9) < 0.1, `self share of the final support vectors ${fit.selfShare}`);
  });

  it('is seeded: the same seed gives an identical model', async () => {
    const { X } = blobs(2);
    const a = await fitKernelKMeans(X, { k: 3, seed: 11, gamma: 'stiff', supportVectorsPerCluster: 4 });
    const b = await fitKernelKMeans(X, { k: 3, seed: 11, gamma: 'stiff', supportVectorsPerCluster: 4 });
    assert.deepEqual(a.model, b.model);
    assert.deepEqual(a.labels, b.labels);
    assert.equal(a.iterations, b.iterations);
  });

  it('bandwidth: a number is used as given, median = 1/median squared distance, stiff = 90% on the initial clusters', async () => {
    const { X, truth } = blobs(3);
    assert.equal((await fitKernelKMeans(X, { k: 3, seed: 1, gamma: 0.37, supportVectorsPerCluster: 3 })).gamma, 0.37);
    assert.equal((await fitKernelKMeans(X, { k: 3, seed: 1, gamma: 'median', supportVectorsPerCluster: 3 })).gamma, medianGamma(X, { seed: 1 }));
    const stiff = await fitKernelKMeans(X, { k: 3, seed: 1, gamma: 'stiff', supportVectorsPerCluster: 3, initLabels: truth });
    const reduced = await reduceToSupportVectors(X, truth, 3, 3, 1);
    assert.equal(stiff.gamma, stiffGamma(reduced.supportVectors, reduced.supportCluster).gamma);
  });

  it('trains on a seeded subsample beyond maxTrainingPoints and assigns the other rows', async () => {
    const { X, truth } = blobs(4, 40);
    const fit = await fitKernelKMeans(X, { k: 3, seed: 2, gamma: 'stiff', supportVectorsPerCluster: 3, maxTrainingPoints: 45 });
    assert.equal(fit.trainingRows, 45);
    assert.match(fit.warnings.join('\n'), /seeded sample of 45 of 120 rows/);
    assert.ok(samePartition(fit.fullLabels, truth));
    assert.ok(samePartition(fit.labels, truth));
  });

  it('reports progress under its own stage, ending at 1', async () => {
    const { X } = blobs(6, 20);
    const seen: { stage: string; fraction?: number }[] = [];
    await fitKernelKMeans(X, { k: 3, seed: 1, gamma: 'stiff', supportVectorsPerCluster: 3 }, { onProgress: (p) => seen.push(p) });
    assert.ok(seen.length >= 2);
    for (const p of seen) {
      assert.equal(p.stage, 'kernel k-means');
      assert.ok(p.fraction !== undefined && p.fraction >= 0 && p.fraction <= 1);
    }
    assert.equal(seen[seen.length - 1].fraction, 1);
  });

  it('rejects bad options by message and honours the abort signal', async () => {
    const { X } = blobs(5, 4);
    const base = { k: 3, seed: 1, gamma: 'stiff' as const, supportVectorsPerCluster: 2 };
    await assert.rejects(fitKernelKMeans(X, { ...base, k: 1 }), (e: unknown) => e instanceof OptionError && /k must be an integer >= 2, got 1/.test(e.message));
    await assert.rejects(fitKernelKMeans(X, { ...base, gamma: -1 }), /gamma must be a positive number, 'stiff' or 'median', got -1/);
    await assert.rejects(fitKernelKMeans(X, { ...base, initLabels: new Int32Array(12).fill(3) }), /initLabels\[0\] = 3 is outside 0..2/);
    await assert.rejects(fitKernelKMeans(X, { ...base, initLabels: new Int32Array(12).fill(1) }), /initLabels leave cluster 0 without training rows/);
    await assert.rejects(fitKernelKMeans(X, { ...base, supportVectorsPerCluster: 0 }), /supportVectorsPerCluster must be an integer >= 1, got 0/);
    const bad = { ...X, data: X.data.slice() };
    bad.data[5] = NaN;
    await assert.rejects(fitKernelKMeans(bad, base), (e: unknown) => e instanceof DataError && /row 3, feature 2 is not a finite number \(NaN\)/.test(e.message));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(fitKernelKMeans(X, base, { signal: controller.signal }), CancelledError);
  });
});
