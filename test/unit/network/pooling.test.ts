import assert from 'node:assert/strict';
import { test } from 'node:test';
import { softMax, softMaxShares, softMin, softMinShares } from '../../../src/engine/network/pooling';

const close = (a: number, b: number, tol: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('softMin / softMax equal the textbook formulas on small values', () => {
  const v = new Float64Array([0.3, -1.2, 2.5, 0.7]);
  for (const beta of [0.1, 1, 3.7]) {
    let sMin = 0;
    let sMax = 0;
    for (const a of v) {
      sMin += Math.exp(-beta * a);
      sMax += Math.exp(beta * a);
    }
    close(softMin(v, beta), -Math.log(sMin) / beta, 1e-14, `softMin beta=${beta}`);
    close(softMax(v, beta), Math.log(sMax) / beta, 1e-14, `softMax beta=${beta}`);
  }
});

test('skip leaves one entry out', () => {
  const v = new Float64Array([5, 1, 2]);
  const beta = 2;
  close(softMin(v, beta, 1), -Math.log(Math.exp(-10) + Math.exp(-4)) / beta, 1e-14, 'softMin skip');
  close(softMax(v, beta, 0), Math.log(Math.exp(2) + Math.exp(4)) / beta, 1e-14, 'softMax skip');
  const out = new Float64Array(3);
  softMinShares(v, beta, out, 1);
  assert.equal(out[1], 0);
  close(out[0] + out[2], 1, 1e-15, 'shares sum');
});

test('stable for stiff pools and large activations (naive formula overflows)', () => {
  const v = new Float64Array([1000, 1001, 1003]);
  const beta = 50;
  assert.equal(Math.exp(beta * 1003), Infinity); // the naive max would overflow
  close(softMin(v, beta), 1000 - Math.log(1 + Math.exp(-50) + Math.exp(-150)) / beta, 1e-15, 'stiff softMin');
  close(softMax(v, beta), 1003 + Math.log(1 + Math.exp(-100) + Math.exp(-150)) / beta, 1e-15, 'stiff softMax');
  const out = new Float64Array(3);
  softMaxShares(v, beta, out);
  assert.ok(out.every(Number.isFinite));
  close(out[2], 1, 1e-15, 'max share');
});

test('shares are the derivatives of the pools (finite differences, 1e-7)', () => {
  const v = new Float64Array([0.4, 1.1, -0.3, 0.9]);
  const beta = 1.7;
  const sMin = new Float64Array(4);
  const sMax = new Float64Array(4);
  softMinShares(v, beta, sMin);
  softMaxShares(v, beta, sMax);
  const h = 1e-6;
  for (let j = 0; j < 4; j++) {
    const up = v.slice();
    const dn = v.slice();
    up[j] += h;
    dn[j] -= h;
    close((softMin(up, beta) - softMin(dn, beta)) / (2 * h), sMin[j], 1e-7, `dsmin/da${j}`);
    close((softMax(up, beta) - softMax(dn, beta)) / (2 * h), sMax[j], 1e-7, `dsmax/da${j}`);
  }
  close(sMin.reduce((a, b) => a + b, 0), 1, 1e-15, 'min shares sum');
});

test('beta = Infinity is the hard pool; ties share equally; empty pool', () => {
  const v = new Float64Array([3, 1, 1, 4]);
  assert.equal(softMin(v, Infinity), 1);
  assert.equal(softMax(v, Infinity), 4);
  const out = new Float64Array(4);
  softMinShares(v, Infinity, out);
  assert.deepEqual(Array.from(out), [0, 0.5, 0.5, 0]);
  const single = new Float64Array([7]);
  assert.equal(softMin(single, 1, 0), Infinity);
  assert.equal(softMax(single, 1, 0), -Infinity);
  const o1 = new Float64Array(1).fill(9);
  softMinShares(single, 1, o1, 0);
  assert.equal(o1[0], 0);
});

test('large beta approaches the hard min from below', () => {
  const v = new Float64Array([2, 2.5, 7]);
  const prev = [softMin(v, 1), softMin(v, 10), softMin(v, 100)];
  assert.ok(prev[0] < prev[1] && prev[1] < 2 && prev[1] <= prev[2] && prev[2] <= 2);
  close(prev[2], 2, 1e-10, 'beta=100');
});
