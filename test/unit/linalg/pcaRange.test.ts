/**
 * The 2-D map's PCA on numbers whose squares overflow float64 (issue 8 "Numerical range"):
 * the covariance used to be infinite and the eigensolver threw a TypeError.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pca } from '../../../src/engine/linalg/pca';

test('PCA of data at 1e160 (squares beyond float64) finds the same directions as at 1', () => {
  const base = [1, 2, 1.1, 2.1, 5, 9, 5.2, 8.8, 0.9, 2.2];
  const small = pca({ rows: 5, cols: 2, data: Float64Array.from(base) }, 2);
  const huge = pca({ rows: 5, cols: 2, data: Float64Array.from(base.map((v) => v * 1e160)) }, 2);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(huge.components[j] - small.components[j]) < 1e-12, `component entry ${j}`);
  for (let j = 0; j < 10; j++) {
    assert.ok(Number.isFinite(huge.projected.data[j]));
    assert.ok(Math.abs(huge.projected.data[j] / 1e160 - small.projected.data[j]) < 1e-9 * (1 + Math.abs(small.projected.data[j])));
  }
  assert.ok(Math.abs(huge.mean[0] / 1e160 - small.mean[0]) < 1e-12);
});
