import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pca, type PcaMethod } from '../../../src/engine/linalg/pca';
import { Rng } from '../../../src/engine/rng';
import type { Matrix } from '../../../src/engine/types';

function matrix(rows: number[][]): Matrix {
  return { rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) };
}

/** Points with a planted spectrum: scale s_j along orthogonal random directions, plus noise. */
function planted(n: number, d: number, scales: number[], seed: number): Matrix {
  const rng = new Rng(seed);
  const dirs = scales.map(() => Float64Array.from({ length: d }, () => rng.normal()));
  // Gram-Schmidt so the planted directions are orthonormal.
  for (let a = 0; a < dirs.length; a++) {
    for (let b = 0; b < a; b++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += dirs[a][j] * dirs[b][j];
      for (let j = 0; j < d; j++) dirs[a][j] -= dot * dirs[b][j];
    }
    const norm = Math.hypot(...dirs[a]);
    for (let j = 0; j < d; j++) dirs[a][j] /= norm;
  }
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) data[i * d + j] = 3 + 0.01 * rng.normal();
    scales.forEach((s, a) => {
      const z = s * rng.normal();
      for (let j = 0; j < d; j++) data[i * d + j] += z * dirs[a][j];
    });
  }
  return { rows: n, cols: d, data };
}

test('pca: points on the line y = 2x give component (1, 2)/sqrt(5) and the exact variance', () => {
  const X = matrix([[0, 0], [1, 2], [2, 4], [3, 6]]);
  const r = pca(X, 1);
  assert.deepEqual(Array.from(r.mean), [1.5, 3]);
  assert.ok(Math.abs(r.components[0] - 1 / Math.sqrt(5)) < 1e-12);
  assert.ok(Math.abs(r.components[1] - 2 / Math.sqrt(5)) < 1e-12);
  // Projections are -1.5, -0.5, 0.5, 1.5 times sqrt(5); variance (N - 1 divisor) = 5 * 5/3.
  assert.ok(Math.abs(r.explainedVariance[0] - 25 / 3) < 1e-9);
  assert.ok(Math.abs(r.projected.data[0] + 1.5 * Math.sqrt(5)) < 1e-12);
});

for (const method of ['covariance', 'gram', 'randomized'] as PcaMethod[]) {
  test(`pca (${method}): recovers a planted spectrum with orthonormal components`, () => {
    const X = planted(80, 30, [10, 5, 2], 7);
    const r = pca(X, 3, { method, seed: 1 });
    const ref = pca(X, 3, { method: 'covariance' });
    for (let c = 0; c < 3; c++) {
      for (let c2 = 0; c2 < 3; c2++) {
        let dot = 0;
        for (let j = 0; j < 30; j++) dot += r.components[c * 30 + j] * r.components[c2 * 30 + j];
        assert.ok(Math.abs(dot - (c === c2 ? 1 : 0)) < 1e-8, `component ${c}.${c2} dot ${dot}`);
      }
      // Same direction (up to 1e-6) and same variance as the covariance route.
      let agree = 0;
      for (let j = 0; j < 30; j++) agree += r.components[c * 30 + j] * ref.components[c * 30 + j];
      assert.ok(Math.abs(agree - 1) < 1e-6, `component ${c} agreement ${agree}`);
      assert.ok(Math.abs(r.explainedVariance[c] - ref.explainedVariance[c]) < 1e-6 * ref.explainedVariance[c]);
    }
    assert.ok(r.explainedVariance[0] > r.explainedVariance[1] && r.explainedVariance[1] > r.explainedVariance[2]);
    // Projection of row 0 equals (x0 - mean) . component.
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = 0; j < 30; j++) s += (X.data[j] - r.mean[j]) * r.components[c * 30 + j];
      assert.ok(Math.abs(s - r.projected.data[c]) < 1e-9);
    }
  });
}

test('pca: a single row or dims > D stays well-shaped', () => {
  const one = pca(matrix([[1, 2, 3]]), 2);
  assert.equal(one.projected.rows, 1);
  assert.equal(one.projected.cols, 1);
  assert.equal(one.projected.data[0], 0);
  const wide = pca(matrix([[1, 0], [0, 1], [1, 1]]), 5);
  assert.equal(wide.projected.cols, 2);
});

test('pca: 200,000 x 20 to 2-D (covariance route) projects every row and finds the planted spread', () => {
  const X = planted(200_000, 20, [4, 2], 3);
  const r = pca(X, 2);
  assert.equal(r.projected.rows, 200_000);
  assert.ok(Math.abs(Math.sqrt(r.explainedVariance[0]) - 4) < 0.1);
});

test('pca: beyond maxFitRows the fit uses a seeded sample, every row is projected, directions agree', () => {
  const X = planted(20_000, 10, [6, 3], 11);
  const full = pca(X, 2, { maxFitRows: 1_000_000 });
  const sampled = pca(X, 2, { maxFitRows: 2_000, seed: 4 });
  assert.equal(sampled.projected.rows, 20_000);
  for (let c = 0; c < 2; c++) {
    let dot = 0;
    for (let j = 0; j < 10; j++) dot += full.components[c * 10 + j] * sampled.components[c * 10 + j];
    assert.ok(dot > 0.999, `component ${c}: ${dot}`);
  }
  // Deterministic for a seed.
  const again = pca(X, 2, { maxFitRows: 2_000, seed: 4 });
  assert.deepEqual(Array.from(again.components), Array.from(sampled.components));
});
