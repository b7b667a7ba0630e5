import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barPercent, divergingColor, intensity, maxAbs, relevanceSign, relevanceStep } from '../../../webview/lib/relevanceScale';

test('maxAbs ignores non-finite values and is 0 for an empty list', () => {
  assert.equal(maxAbs([0.2, -0.5, NaN, 0.1]), 0.5);
  assert.equal(maxAbs([]), 0);
});

test('intensity is |r| / scale clamped to [0, 1], 0 for a zero scale', () => {
  assert.equal(intensity(-0.25, 0.5), 0.5);
  assert.equal(intensity(2, 0.5), 1);
  assert.equal(intensity(1, 0), 0);
});

test('relevanceStep rounds |r| / scale to five steps; tiny values are step 0', () => {
  assert.equal(relevanceStep(1, 1), 5);
  assert.equal(relevanceStep(-0.6, 1), 3);
  assert.equal(relevanceStep(0.05, 1), 0);
  assert.equal(relevanceStep(0.11, 1), 1);
  // Step grows monotonically with |r|.
  let prev = 0;
  for (let r = 0; r <= 1; r += 0.01) {
    const s = relevanceStep(r, 1);
    assert.ok(s >= prev);
    prev = s;
  }
});

test('relevanceSign: positive is evidence for, negative against, negligible is zero', () => {
  assert.equal(relevanceSign(0.4, 1), 'pos');
  assert.equal(relevanceSign(-0.4, 1), 'neg');
  assert.equal(relevanceSign(0.01, 1), 'zero');
});

test('divergingColor is neutral at 0 and the pure end colours at ±scale', () => {
  const neutral = { r: 255, g: 255, b: 255, a: 1 };
  const red = { r: 255, g: 0, b: 0, a: 1 };
  const blue = { r: 0, g: 0, b: 255, a: 1 };
  assert.deepEqual(divergingColor(0, 1, neutral, red, blue), neutral);
  assert.deepEqual(divergingColor(1, 1, neutral, red, blue), red);
  assert.deepEqual(divergingColor(-2, 1, neutral, red, blue), blue);
  assert.deepEqual(divergingColor(0.5, 1, neutral, red, blue), { r: 255, g: 127.5, b: 127.5, a: 1 });
});

test('barPercent gives a percentage of the half-track with one decimal', () => {
  assert.equal(barPercent(0.25, 1), 25);
  assert.equal(barPercent(-1 / 3, 1), 33.3);
  assert.equal(barPercent(5, 1), 100);
});
