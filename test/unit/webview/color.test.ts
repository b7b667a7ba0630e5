import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contrastRatio, mixRgb, over, parseCssColor, toCss } from '../../../webview/lib/color';

test('parseCssColor reads hex forms', () => {
  assert.deepEqual(parseCssColor('#fff'), { r: 255, g: 255, b: 255, a: 1 });
  assert.deepEqual(parseCssColor('#1e1e1e'), { r: 30, g: 30, b: 30, a: 1 });
  assert.deepEqual(parseCssColor('#ff000080'), { r: 255, g: 0, b: 0, a: 128 / 255 });
  assert.equal(parseCssColor('#12345'), undefined);
});

test('parseCssColor reads rgb() and rgba() in comma and space syntax', () => {
  assert.deepEqual(parseCssColor('rgb(10, 20, 30)'), { r: 10, g: 20, b: 30, a: 1 });
  assert.deepEqual(parseCssColor('rgba(10, 20, 30, 0.5)'), { r: 10, g: 20, b: 30, a: 0.5 });
  assert.deepEqual(parseCssColor('rgb(10 20 30 / 25%)'), { r: 10, g: 20, b: 30, a: 0.25 });
  assert.equal(parseCssColor('color-mix(in srgb, red, blue)'), undefined);
  assert.deepEqual(parseCssColor('color(srgb 1 0 0.5 / 0.4)'), { r: 255, g: 0, b: 127.5, a: 0.4 });
  assert.equal(parseCssColor(''), undefined);
});

test('mixRgb interpolates and clamps t', () => {
  const black = { r: 0, g: 0, b: 0, a: 1 };
  const white = { r: 255, g: 255, b: 255, a: 1 };
  assert.deepEqual(mixRgb(black, white, 0.5), { r: 127.5, g: 127.5, b: 127.5, a: 1 });
  assert.deepEqual(mixRgb(black, white, 2), white);
  assert.deepEqual(mixRgb(black, white, -1), black);
});

test('over flattens a translucent colour onto its background', () => {
  const c = over({ r: 255, g: 0, b: 0, a: 0.5 }, { r: 0, g: 0, b: 255, a: 1 });
  assert.deepEqual(c, { r: 127.5, g: 0, b: 127.5, a: 1 });
  assert.equal(toCss(c), 'rgb(128, 0, 128)');
  assert.equal(toCss({ r: 1, g: 2, b: 3, a: 0.25 }), 'rgba(1, 2, 3, 0.25)');
});

test('contrastRatio: black on white is 21, a colour with itself is 1', () => {
  const black = { r: 0, g: 0, b: 0, a: 1 };
  const white = { r: 255, g: 255, b: 255, a: 1 };
  assert.ok(Math.abs(contrastRatio(black, white) - 21) < 1e-9);
  assert.equal(contrastRatio(white, white), 1);
});
