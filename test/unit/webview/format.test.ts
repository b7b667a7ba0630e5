import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatMs, formatNumber, formatPercent, formatSigned, methodName, MISSING, qualityEntries, shareFractions } from '../../../webview/lib/format';

test('formatNumber keeps 3 significant digits and drops padding zeros', () => {
  assert.equal(formatNumber(0.123456), '0.123');
  assert.equal(formatNumber(12.5), '12.5');
  assert.equal(formatNumber(2), '2');
  assert.equal(formatNumber(-0.04567), '-0.0457');
  assert.equal(formatNumber(1234.5), '1230');
  assert.equal(formatNumber(0), '0');
});

test('formatNumber switches to exponent form for extremes and shows a dash for missing values', () => {
  assert.equal(formatNumber(0.0001234), '1.23e-4');
  assert.equal(formatNumber(12345678), '1.23e7');
  assert.equal(formatNumber(undefined), MISSING);
  assert.equal(formatNumber(NaN), MISSING);
  assert.equal(formatNumber(Infinity), MISSING);
});

test('formatSigned adds a plus for positive values and uses an ASCII minus', () => {
  assert.equal(formatSigned(0.5), '+0.5');
  assert.equal(formatSigned(-0.25), '-0.25');
  assert.equal(formatSigned(0), '0');
});

test('formatPercent, formatMs and formatCount', () => {
  assert.equal(formatPercent(0.8345), '83.5%');
  assert.equal(formatPercent(1, 0), '100%');
  assert.equal(formatMs(0.4234), '0.42 ms');
  assert.equal(formatMs(12.6), '13 ms');
  assert.equal(formatMs(3100), '3.1 s');
  assert.equal(formatCount(1234567), '1,234,567'); // no <html lang> in a unit test: English grouping, as the tree and hovers
  assert.equal(formatCount(-999), '-999');
});

test('qualityEntries orders known metrics, skips missing ones and keeps unknown keys', () => {
  const e = qualityEntries({ ari: 0.5, silhouette: 0.31, NMI: 0.6, purity: undefined, custom: 2 });
  assert.deepEqual(
    e.map((x) => [x.label, x.value]),
    [
      ['Silhouette', 0.31],
      ['NMI', 0.6],
      ['ARI', 0.5],
      ['custom', 2],
    ],
  );
});

test('methodName maps engine ids to display names and keeps unknown ones', () => {
  assert.equal(methodName('gradient-x-input'), 'Gradient × Input');
  assert.equal(methodName('NEON'), 'NEON');
  assert.equal(methodName('lime'), 'lime');
});

test('shareFractions normalises non-negative shares and refuses negative or empty ones', () => {
  assert.deepEqual(shareFractions([3, 1]), [0.75, 0.25]);
  assert.deepEqual(shareFractions([0.5, 0.5]), [0.5, 0.5]);
  assert.equal(shareFractions([2, -1]), undefined);
  assert.equal(shareFractions([0, 0]), undefined);
  assert.equal(shareFractions([]), undefined);
});

test('formatCount (protocol/count.ts): one locale-aware grouping for the tree, hovers, pickers and panel', async () => {
  const { formatCount: count } = await import('../../../src/protocol/count');
  assert.equal(count(200000, 'en'), '200,000');
  assert.equal(count(200000, 'de'), '200.000');
  assert.equal(count(1234.6, 'en'), '1,235');
  assert.equal(count(5, 'not a tag!'), '5');
});
