import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxRule, gammaRule, referenceRule } from '../../../src/engine/nn/deepTaylor';
import { Rng } from '../../../src/engine/rng';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${a} vs ${b}`);

test('γ-rule, hand-computed: positive output boosts positive contributions, the bias keeps its share', () => {
  // One output: a = (1, 2), w = (3, −1), b = 1 → z = 3 − 2 + 1 = 2 > 0.
  // γ = 0.5: c = (3·1.5, −2) = (4.5, −2), c_b = 1.5, den = 4. R_out = 8 → R = (9, −4), bias 3.
  const rIn = new Float64Array(2);
  const lost = gammaRule(Float64Array.from([3, -1]), Float64Array.from([1]), 2, 1, Float64Array.from([1, 2]), Float64Array.from([2]), Float64Array.from([8]), 0.5, rIn);
  close(rIn[0], 9);
  close(rIn[1], -4);
  close(lost, 3);
});

test('γ-rule, hand-computed: a negative output boosts negative contributions; signed relevance passes through', () => {
  // a = (1, 2), w = (1, −2), b = −1 → z = 1 − 4 − 1 = −4 < 0.
  // γ = 1: c = (1, −8), c_b = −2, den = −9. R_out = −3 → s = 1/3: R = (1/3, −8/3), bias −2/3.
  const rIn = new Float64Array(2);
  const lost = gammaRule(Float64Array.from([1, -2]), Float64Array.from([-1]), 2, 1, Float64Array.from([1, 2]), Float64Array.from([-4]), Float64Array.from([-3]), 1, rIn);
  close(rIn[0], 1 / 3);
  close(rIn[1], -8 / 3);
  close(lost, -2 / 3);
});

test('γ-rule conserves up to the bias share, and γ = 0 equals the z-rule, on random layers', () => {
  const rng = new Rng(4);
  for (let trial = 0; trial < 20; trial++) {
    const nIn = 6;
    const nOut = 4;
    const w = Float64Array.from({ length: nIn * nOut }, () => rng.normal());
    const b = Float64Array.from({ length: nOut }, () => rng.normal());
    const a = Float64Array.from({ length: nIn }, () => Math.max(0, rng.normal()));
    const z = new Float64Array(nOut);
    for (let j = 0; j < nOut; j++) {
      z[j] = b[j];
      for (let i = 0; i < nIn; i++) z[j] += a[i] * w[j * nIn + i];
    }
    const rOut = Float64Array.from({ length: nOut }, () => rng.normal());
    const rIn = new Float64Array(nIn);
    const lost = gammaRule(w, b, nIn, nOut, a, z, rOut, 0.7, rIn);
    close(rIn.reduce((s, v) => s + v, 0) + lost, rOut.reduce((s, v) => s + v, 0), 1e-10);
    // Slow reference for γ = 0: R_i = Σ_j a_i w_ji / z_j · R_j.
    gammaRule(w, b, nIn, nOut, a, z, rOut, 0, rIn);
    for (let i = 0; i < nIn; i++) {
      let ref = 0;
      for (let j = 0; j < nOut; j++) ref += ((a[i] * w[j * nIn + i]) / z[j]) * rOut[j];
      close(rIn[i], ref, 1e-9);
    }
  }
});

test('box rule, hand-computed, in linear form R_i = coef_i x_i − offset_i, and conservative', () => {
  // w = (2, −1), x = (0.5, 0.5), box [0, 1]²: c = (2·0.5 − 0, −0.5 + 1) = (1, 0.5), den 1.5.
  // R_out = 3 → R = (2, 1); coef = (2, −1)·2 = (4, −2), offset = (0, −1·1)·2 = (0, −2).
  const coef = new Float64Array(2);
  const offset = new Float64Array(2);
  const x = Float64Array.from([0.5, 0.5]);
  const lost = boxRule(Float64Array.from([2, -1]), 2, 1, x, Float64Array.from([0, 0]), Float64Array.from([1, 1]), Float64Array.from([3]), coef, offset);
  assert.deepEqual(Array.from(coef), [4, -2]);
  assert.deepEqual(Array.from(offset), [0, -2]);
  close(coef[0] * x[0] - offset[0], 2);
  close(coef[1] * x[1] - offset[1], 1);
  assert.equal(lost, 0);
  // At the lowest corner of the box (x = (0, 1)) the denominator is 0: nothing passes, all is reported lost.
  const lostAtCorner = boxRule(Float64Array.from([2, -1]), 2, 1, Float64Array.from([0, 1]), Float64Array.from([0, 0]), Float64Array.from([1, 1]), Float64Array.from([3]), coef, offset);
  assert.equal(lostAtCorner, 3);
  assert.deepEqual(Array.from(coef), [0, 0]);
});

test('reference rule, hand-computed: contributions measured from the reference, conservative, bias-free', () => {
  // w = (1, −2), x = (3, 1), r = (1, 2): d = ((3−1)·1, (1−2)·(−2)) = (2, 2), den = 4 (γ = 0).
  // R_out = 2 → s = 0.5: coef = (0.5, −1), offset = coef ⊙ r = (0.5, −2), R = (1, 1).
  const coef = new Float64Array(2);
  const offset = new Float64Array(2);
  const x = Float64Array.from([3, 1]);
  const lost = referenceRule(Float64Array.from([1, -2]), 2, 1, x, Float64Array.from([1, 2]), Float64Array.from([2]), 0, coef, offset);
  assert.deepEqual(Array.from(coef), [0.5, -1]);
  assert.deepEqual(Array.from(offset), [0.5, -2]);
  assert.equal(lost, 0);
  // γ = 1 with mixed signs: w = (1, 1), x − r = (2, −1): d = (2, −1), plain 1 > 0 → boost the
  // positive one: c = (4, −1), den = 3. R_out = 3 → R = (4, −1), still summing to 3.
  referenceRule(Float64Array.from([1, 1]), 2, 1, Float64Array.from([2, -1]), Float64Array.from([0, 0]), Float64Array.from([3]), 1, coef, offset);
  close(coef[0] * 2 - offset[0], 4);
  close(coef[1] * -1 - offset[1], -1);
});
