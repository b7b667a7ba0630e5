import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equalAspect, extentOf, linearScale, niceTicks, padExtent, sparklinePoints } from '../../../webview/lib/plotScale';

test('extentOf reads x and y of a flattened N x 2 array and widens a zero span', () => {
  const xy = [1, 10, -2, 20, 3, 15];
  assert.deepEqual(extentOf(xy, 2, 0), { min: -2, max: 3 });
  assert.deepEqual(extentOf(xy, 2, 1), { min: 10, max: 20 });
  assert.deepEqual(extentOf([4, 4]), { min: 3.5, max: 4.5 });
  assert.deepEqual(extentOf([]), { min: 0, max: 1 });
  assert.deepEqual(padExtent({ min: 0, max: 10 }, 0.1), { min: -1, max: 11 });
});

test('linearScale maps and inverts, including a flipped range', () => {
  const y = linearScale(0, 10, 100, 0);
  assert.equal(y(0), 100);
  assert.equal(y(10), 0);
  assert.equal(y(2.5), 75);
  assert.equal(y.invert(75), 2.5);
});

test('niceTicks gives round steps covering the range', () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-3, 7, 5), [-2, 0, 2, 4, 6]);
  assert.deepEqual(niceTicks(0, 100, 4), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(niceTicks(5, 5), [5]);
});

test('equalAspect gives both axes the same data-units-per-pixel', () => {
  const r = equalAspect({ min: 0, max: 10 }, { min: 0, max: 1 }, 200, 100);
  const ux = (r.x.max - r.x.min) / 200;
  const uy = (r.y.max - r.y.min) / 100;
  assert.ok(Math.abs(ux - uy) < 1e-12);
  assert.ok(r.x.min <= 0 && r.x.max >= 10 && r.y.min <= 0 && r.y.max >= 1);
});

test('sparklinePoints spans the box with y pointing up', () => {
  assert.equal(sparklinePoints([3, 2, 1], 102, 12, 1), '1,1 51,6 101,11');
  assert.equal(sparklinePoints([], 10, 10), '');
});
