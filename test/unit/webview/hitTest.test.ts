import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestLinear, PointGrid } from '../../../webview/lib/hitTest';
import { Rng } from '../../../src/engine/rng';

test('PointGrid finds the nearest point within the radius, -1 outside it', () => {
  const xs = Float64Array.from([10, 50, 52]);
  const ys = Float64Array.from([10, 50, 50]);
  const g = new PointGrid(xs, ys, 16, 100);
  assert.equal(g.nearest(11, 11, 5), 0);
  assert.equal(g.nearest(53, 50, 5), 2);
  assert.equal(g.nearest(30, 30, 5), -1);
});

test('PointGrid skips NaN points and prefers the later point on ties', () => {
  const xs = Float64Array.from([0, NaN, 4]);
  const ys = Float64Array.from([0, 2, 0]);
  const g = new PointGrid(xs, ys, 8, 100);
  assert.equal(g.nearest(2, 0, 5), 2);
  assert.equal(g.nearest(2, 2, 1), -1);
});

test('PointGrid agrees with the brute-force search on 2000 random points and queries', () => {
  const rng = new Rng(7);
  const n = 2000;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = rng.next() * 800;
    ys[i] = rng.next() * 600;
  }
  const g = new PointGrid(xs, ys, 12, 800);
  for (let q = 0; q < 500; q++) {
    const x = rng.next() * 840 - 20;
    const y = rng.next() * 640 - 20;
    assert.equal(g.nearest(x, y, 9), nearestLinear(xs, ys, x, y, 9));
  }
});
