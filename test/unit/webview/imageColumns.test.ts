import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsByName, pickImageColumns, pixelValues, squareSide } from '../../../webview/lib/imageColumns';

const col = (name: string, value: string, relevance = 0) => ({ name, value, relevance });

test('squareSide accepts perfect squares from 4 up', () => {
  assert.equal(squareSide(64), 8);
  assert.equal(squareSide(4), 2);
  assert.equal(squareSide(63), undefined);
  assert.equal(squareSide(1), undefined);
});

test('pickImageColumns takes all columns when there are exactly side²', () => {
  const cols = [col('a', '1'), col('b', '2'), col('c', '3'), col('d', '4')];
  assert.deepEqual(pickImageColumns(cols, 2)?.map((c) => c.name), ['a', 'b', 'c', 'd']);
});

test('pickImageColumns prefers the model units, then the first numeric columns', () => {
  const cols = [col('label', 'seven'), col('p0', '0'), col('p1', '5'), col('id', '17'), col('p2', '9'), col('p3', '1')];
  assert.deepEqual(pickImageColumns(cols, 2, ['p0', 'p1', 'p2', 'p3'])?.map((c) => c.name), ['p0', 'p1', 'p2', 'p3']);
  assert.deepEqual(pickImageColumns(cols, 2)?.map((c) => c.name), ['p0', 'p1', 'id', 'p2']);
  assert.equal(pickImageColumns(cols, 3), undefined);
});

test('pixelValues parses numbers and reports their range', () => {
  const { values, min, max } = pixelValues([col('a', '2'), col('b', ''), col('c', '16')]);
  assert.equal(values[0], 2);
  assert.ok(Number.isNaN(values[1]));
  assert.equal(min, 2);
  assert.equal(max, 16);
});

test('columnsByName orders pixels by the given names and blanks missing ones', () => {
  const cols = [col('p1', '5', 0.5), col('label', '3'), col('p3', '1', -0.2), col('p2', '9', 0.1)];
  const px = columnsByName(cols, 2, ['p0', 'p1', 'p2', 'p3'])!;
  assert.deepEqual(px.map((c) => [c.name, c.value, c.relevance]), [
    ['p0', '', 0],
    ['p1', '5', 0.5],
    ['p2', '9', 0.1],
    ['p3', '1', -0.2],
  ]);
  assert.equal(columnsByName(cols, 2, ['p0', 'p1']), undefined);
});
