import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SingularValueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { orthonormalizeColumns } from '../../../src/engine/linalg/orthonormalize';
import { randomizedSvd, type LinearOperator } from '../../../src/engine/linalg/randomizedSvd';
import { Rng } from '../../../src/engine/rng';

/** Dense row-major m x n matrix as an operator on column-major blocks. */
function dense(a: Float64Array, m: number, n: number): LinearOperator {
  return {
    rows: m,
    cols: n,
    apply(x, l, out) {
      for (let c = 0; c < l; c++) for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * x[c * n + j];
        out[c * m + i] = s;
      }
    },
    applyTranspose(y, l, out) {
      for (let c = 0; c < l; c++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += a[i * n + j] * y[c * m + i];
        out[c * n + j] = s;
      }
    },
  };
}

test('randomizedSvd: matches ml-matrix SVD on a matrix with a decaying spectrum', () => {
  const m = 60;
  const n = 40;
  const rng = new Rng(3);
  // A = U diag(s) V^T with s_k = 2^-k, plus nothing else: exact rank 12.
  const u = Float64Array.from({ length: m * 12 }, () => rng.normal());
  const v = Float64Array.from({ length: n * 12 }, () => rng.normal());
  orthonormalizeColumns(u, m, 12);
  orthonormalizeColumns(v, n, 12);
  const a = new Float64Array(m * n);
  for (let k = 0; k < 12; k++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[i * n + j] += 2 ** -k * u[k * m + i] * v[k * n + j];
  const r = randomizedSvd(dense(a, m, n), 5, { seed: 1, powerIterations: 2 });
  const rows: number[][] = [];
  for (let i = 0; i < m; i++) rows.push(Array.from(a.subarray(i * n, i * n + n)));
  const ref = new SingularValueDecomposition(new MlMatrix(rows));
  for (let k = 0; k < 5; k++) {
    assert.ok(Math.abs(r.s[k] - ref.diagonal[k]) < 1e-10, `s${k}: ${r.s[k]} vs ${ref.diagonal[k]}`);
    // Same left / right singular vectors up to sign.
    let du = 0;
    let dv = 0;
    for (let i = 0; i < m; i++) du += r.u[k * m + i] * ref.leftSingularVectors.get(i, k);
    for (let j = 0; j < n; j++) dv += r.v[k * n + j] * ref.rightSingularVectors.get(j, k);
    assert.ok(Math.abs(Math.abs(du) - 1) < 1e-8 && Math.abs(Math.abs(dv) - 1) < 1e-8);
    assert.ok(Math.sign(du) === Math.sign(dv), 'u and v signs agree');
  }
});

test('orthonormalizeColumns: orthonormal to 1e-12, dependent columns zeroed', () => {
  const rows = 50;
  const rng = new Rng(9);
  const a = Float64Array.from({ length: rows * 4 }, () => rng.normal());
  for (let i = 0; i < rows; i++) a[2 * rows + i] = 3 * a[i] - a[rows + i]; // column 2 depends on 0, 1
  orthonormalizeColumns(a, rows, 4);
  const dot = (p: number, q: number): number => {
    let s = 0;
    for (let i = 0; i < rows; i++) s += a[p * rows + i] * a[q * rows + i];
    return s;
  };
  assert.ok(Math.abs(dot(0, 0) - 1) < 1e-12 && Math.abs(dot(3, 3) - 1) < 1e-12);
  assert.ok(Math.abs(dot(0, 1)) < 1e-12 && Math.abs(dot(1, 3)) < 1e-12);
  assert.equal(dot(2, 2), 0);
});
