import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { readTable } from '../../../src/engine/data/tableFormats';
import { detectImageColumns, MIN_IMAGE_COLUMNS } from '../../../src/engine/data/imageScaling';
import { applyTablePreprocessing, buildTableDataset } from '../../../src/engine/data/tableDataset';
import { tableFromRows } from '../../../src/engine/data/tableFromRows';
import { FIXTURES } from './fixturePaths';

const DIGITS = path.join(FIXTURES, 'e2e-labels', 'digits.csv');

function candidate(name: string, values: number[]) {
  return { name, numeric: true, values: Float64Array.from(values) };
}

test('image scaling: a numbered series with one common range is detected, with that range; blank pixels count', () => {
  const cols = Array.from({ length: 62 }, (_, j) => candidate(`p${j}`, [0, j % 4 === 0 ? 8 : 16, 4]));
  const blank = [{ name: 'p62', numeric: false, constant: true }, { name: 'p63', numeric: false, constant: true }];
  const s = detectImageColumns([candidate('age', [20, 60, 30]), ...cols, ...blank]);
  assert.ok(s);
  assert.equal(s.prefix, 'p');
  assert.deepEqual(s.columns, Array.from({ length: 62 }, (_, j) => j + 1));
  assert.equal(s.low, 0);
  assert.equal(s.high, 16);
  // Intensities in [0, 1] (normalised pixels) are pixels too.
  assert.ok(detectImageColumns(Array.from({ length: 64 }, (_, j) => candidate(`px_${j}`, [0, 0.5, j % 2 ? 1 : 0.75]))));
});

test('image scaling: too few columns, unnumbered names, decimals, negatives or unrelated ranges are not an image', () => {
  const few = Array.from({ length: MIN_IMAGE_COLUMNS - 1 }, (_, j) => candidate(`p${j}`, [0, 16]));
  assert.equal(detectImageColumns(few), undefined);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const unnamed = Array.from({ length: 70 }, (_, j) => candidate(`${letters[j % 26]}${letters[Math.floor(j / 26)]}`, [0, 16]));
  assert.equal(detectImageColumns(unnamed), undefined);
  // Numbered measurements with decimals (x1 … x80 in 0..10.5) are not pixel intensities.
  assert.equal(detectImageColumns(Array.from({ length: 80 }, (_, j) => candidate(`x${j + 1}`, [0.25, 10.5, 3.75]))), undefined);
  // Negative values are not intensities.
  assert.equal(detectImageColumns(Array.from({ length: 80 }, (_, j) => candidate(`p${j}`, [-3, 4]))), undefined);
  // Numbered measurements on wildly different scales (the median column spans < half the range).
  const scales = Array.from({ length: 80 }, (_, j) => candidate(`feature_${j}`, [0, 10 ** (j % 5)]));
  assert.equal(detectImageColumns(scales), undefined);
  // Mostly constant series: not enough pixels vary.
  assert.equal(detectImageColumns(Array.from({ length: 80 }, (_, j) => (j < 30 ? candidate(`p${j}`, [0, 16]) : { name: `p${j}`, numeric: false, constant: true }))), undefined);
});

test('the issue-9 benchmark table (x0 … x15) is standardised per column, as the pandas + scikit-learn peer does', async () => {
  const header = ['id', ...Array.from({ length: 16 }, (_, j) => `x${j}`), 'region'];
  const rows = Array.from({ length: 40 }, (_, i) => [String(i + 1), ...Array.from({ length: 16 }, (_, j) => (Math.sin(i * 3.1 + j) * 2.2).toFixed(4)), ['north', 'south', 'east', 'west'][i % 4]!]);
  const d = await buildTableDataset(tableFromRows(header, rows), 'million.csv');
  assert.ok(!d.notes.some((n) => n.includes('image pixels')), d.notes.join('\n'));
  const x0 = d.preprocessing.columns.find((c) => c.column === 'x0')!;
  assert.ok(x0.kind === 'numeric');
  const values = rows.map((r) => Number(r[1]));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(x0.mean - mean) < 1e-12, `mean ${x0.mean} vs ${mean}`);
});

test('digits: the 61 non-constant pixels are scaled by pixels / 16 (the paper), not standardised; a note says so', async () => {
  const raw = await readTable(DIGITS);
  const d = await buildTableDataset(raw, DIGITS, { labelColumn: 'digit' });
  assert.equal(d.labelColumn, 'digit');
  assert.ok(!d.featureNames.includes('digit'));
  assert.equal(d.featureNames.length, 61); // p0, p32, p39 are constant 0 in this file
  for (const t of d.preprocessing.columns) {
    assert.equal(t.kind, 'numeric');
    if (t.kind === 'numeric') assert.deepEqual([t.mean, t.std], [0, 16], t.column);
  }
  // Feature = raw / 16 exactly: row 0, column p2 is 5 in the file.
  const j = d.featureNames.indexOf('p2');
  assert.equal(d.features.data[j], 5 / 16);
  assert.ok(d.notes.some((n) => /look like image pixels.*\(x − 0\) \/ 16/.test(n)), d.notes.join('\n'));
  // The saved preprocessing reproduces the same features on the same file (model files).
  const again = applyTablePreprocessing(raw, d.preprocessing, DIGITS);
  assert.deepEqual(Array.from(again.data.subarray(0, 61)), Array.from(d.features.data.subarray(0, 61)));
});

test('a table with a few numbered columns keeps per-column standardisation', async () => {
  const rows = Array.from({ length: 6 }, (_, i) => [String(i), String(i * 10), String(i % 2)]);
  const raw = tableFromRows(['x1', 'x2', 'x3'], rows);
  const d = await buildTableDataset(raw, 't.csv');
  const t = d.preprocessing.columns[1]!;
  assert.ok(t.kind === 'numeric' && t.mean === 25, JSON.stringify(t));
  assert.ok(!d.notes.some((n) => n.includes('image pixels')));
});
