import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, IDENTITY, MAX_ZOOM, panBy, zoomAt } from '../../../webview/lib/viewTransform';

test('zoomAt keeps the point under the pointer fixed', () => {
  const v = zoomAt(IDENTITY, 100, 50, 2);
  assert.deepEqual(v, { k: 2, tx: -100, ty: -50 });
  assert.deepEqual(apply(v, 100, 50), [100, 50]);
  const w = zoomAt(v, 30, 70, 1.5);
  // The base point that was under (30, 70) before is still there after.
  const bx = (30 - v.tx) / v.k;
  const by = (70 - v.ty) / v.k;
  const [sx, sy] = apply(w, bx, by);
  assert.ok(Math.abs(sx - 30) < 1e-9 && Math.abs(sy - 70) < 1e-9);
});

test('zoomAt clamps: zooming out past 1 returns the fitted view, zoom in stops at MAX_ZOOM', () => {
  assert.deepEqual(zoomAt(zoomAt(IDENTITY, 10, 10, 3), 40, 40, 0.1), IDENTITY);
  assert.equal(zoomAt(IDENTITY, 0, 0, 1e6).k, MAX_ZOOM);
});

test('panBy moves a zoomed view and leaves the fitted view alone', () => {
  assert.deepEqual(panBy({ k: 2, tx: 1, ty: 2 }, 5, -3), { k: 2, tx: 6, ty: -1 });
  assert.deepEqual(panBy(IDENTITY, 5, 5), IDENTITY);
});
