import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTablePreprocessing, buildTableDataset } from '../../../src/engine/data/tableDataset';
import { tableFromRows } from '../../../src/engine/data/tableFromRows';
import type { ColumnarTable } from '../../../src/engine/data/tableReader';
import { DataError } from '../../../src/engine/errors';

function table(header: string[], rows: string[][], delimiter = ','): ColumnarTable {
  return tableFromRows(header, rows, { delimiter, file: 't.csv' });
}

test('table: numeric columns are standardised with the population mean and std', async () => {
  const d = await buildTableDataset(table(['x', 'y'], [['1', '10'], ['2', '20'], ['3', '60']]), 't.csv');
  assert.deepEqual(d.featureNames, ['x', 'y']);
  // x: mean 2, std sqrt(2/3).
  const s = Math.sqrt(2 / 3);
  assert.ok(Math.abs(d.features.data[0] - -1 / s) < 1e-12);
  assert.ok(Math.abs(d.features.data[4] - 1 / s) < 1e-12);
  const pre = d.preprocessing.columns[1];
  assert.equal(pre.kind, 'numeric');
  if (pre.kind === 'numeric') {
    assert.equal(pre.mean, 30);
    assert.ok(Math.abs(pre.std - Math.sqrt((400 + 100 + 900) / 3)) < 1e-12);
  }
});

test('table: a categorical column is one-hot encoded and featureColumn maps back to it', async () => {
  const d = await buildTableDataset(
    table(['size', 'color'], [['1', 'red'], ['2', 'blue'], ['3', 'red'], ['4', ''], ['5', 'red'], ['6', 'blue']]),
    't.csv',
  );
  assert.deepEqual(d.featureNames, ['size', 'color=red', 'color=blue', 'color=(missing)']);
  assert.deepEqual(Array.from(d.featureColumn), [0, 1, 1, 1]);
  assert.equal(d.columns[1].kind, 'categorical');
  assert.equal(d.columns[1].missing, 1);
  // Row 0 is red, row 3 missing (indicators of 1/√2: data/categoryIndicator.ts).
  assert.deepEqual(Array.from(d.features.data.subarray(1, 4)), [Math.SQRT1_2, 0, 0]);
  assert.deepEqual(Array.from(d.features.data.subarray(13, 16)), [0, 0, Math.SQRT1_2]);
  assert.ok(d.notes.some((n) => n.includes('(missing)')));
});

test('table: missing numeric cells are filled with the mean (feature 0) with a note', async () => {
  const d = await buildTableDataset(table(['a', 'b'], [['1', '5'], ['NA', '6'], ['3', '9']]), 't.csv');
  assert.equal(d.features.data[2], 0);
  assert.equal(d.columns[0].missing, 1);
  assert.ok(d.notes.some((n) => n.includes('filled with the column mean') && n.includes('"a"')));
});

test('table: identifiers, constants, empty and free-text columns are excluded with reasons', async () => {
  const rows: string[][] = [];
  for (let i = 0; i < 25; i++) {
    rows.push([String(i + 1), `user${i}`, 'same', '', `This is a rather long free text comment number ${i} about things`, String((i * 7) % 5)]);
  }
  const d = await buildTableDataset(table(['row', 'user', 'const', 'empty', 'comment', 'v'], rows), 't.csv');
  const kinds = d.columns.map((c) => c.kind);
  assert.deepEqual(kinds, ['identifier', 'identifier', 'constant', 'constant', 'text', 'numeric']);
  assert.match(d.columns[0].excludedReason ?? '', /row id/);
  assert.match(d.columns[3].excludedReason ?? '', /empty/);
  assert.deepEqual(d.featureNames, ['v']);
  assert.deepEqual(Array.from(d.featureColumn), [5]);
});

test('table: the label column is kept out of the features and returned as labels', async () => {
  const d = await buildTableDataset(table(['x', 'Diagnosis'], [['1', 'benign'], ['2', 'malignant'], ['4', 'benign']]), 't.csv', { labelColumn: 'diagnosis' });
  assert.equal(d.labelColumn, 'Diagnosis');
  assert.deepEqual(d.labels, ['benign', 'malignant', 'benign']);
  assert.deepEqual(d.featureNames, ['x']);
  assert.equal(d.columns[1].kind, 'label');
  await assert.rejects(buildTableDataset(table(['x'], [['1'], ['2']]), 't.csv', { labelColumn: 'class' }), /t\.csv: label column "class" not found; the columns are "x"/);
});

test('table: a workspace-wide optional label column missing from this file is a note, not an error', async () => {
  const d = await buildTableDataset(table(['x', 'y'], [['1', '3'], ['2', '5'], ['4', '4']]), 't.csv', { labelColumn: 'segment', labelColumnOptional: true });
  assert.equal(d.labels, undefined);
  assert.equal(d.featureNames.length, 2);
  assert.ok(d.notes.some((n) => /no label column "segment" here; clustered without labels/.test(n)), d.notes.join('\n'));
});

test('table: with autoLabel, a column named like a label becomes the label with a note', async () => {
  const d = await buildTableDataset(table(['p0', 'p1', 'digit'], [['1', '3', '7'], ['2', '5', '1'], ['4', '4', '7']]), 't.csv', { autoLabel: true });
  assert.deepEqual(d.labels, ['7', '1', '7']);
  assert.deepEqual(d.featureNames, ['p0', 'p1']);
  assert.ok(d.notes.some((n) => /column "digit" is named like a label .*so it is the label: not a feature/.test(n)), d.notes.join('\n'));
});

test('table: a column named like a label is mentioned in a note when no label column is set', async () => {
  const d = await buildTableDataset(table(['x', 'target'], [['1', '0'], ['2', '1'], ['3', '0']]), 't.csv');
  assert.ok(d.notes.some((n) => n.includes('"target" looks like a label')));
  assert.deepEqual(d.featureNames, ['x', 'target']);
});

test('table: non-finite numbers are missing; 1e308 values still standardise; decimal commas with ";"', async () => {
  const d = await buildTableDataset(table(['a', 'b'], [['1e308', 'inf'], ['-1e308', '2'], ['0', '4']]), 't.csv');
  assert.ok(d.features.data.every(Number.isFinite));
  assert.equal(d.columns[1].missing, 1);
  assert.ok(d.notes.some((n) => n.includes('infinite')));
  const eu = await buildTableDataset(table(['a', 'b'], [['1,5', '2'], ['2,5', '3'], ['4,0', '1']], ';'), 't.csv');
  assert.deepEqual(eu.columns.map((c) => c.kind), ['numeric', 'numeric']);
  const pre = eu.preprocessing.columns[0];
  assert.ok(pre.kind === 'numeric' && Math.abs(pre.mean - 8 / 3) < 1e-12);
});

test('table: no usable column is a DataError listing why each was dropped', async () => {
  await assert.rejects(buildTableDataset(table(['a'], [['x'], ['x']]), 'only.csv'), (e: unknown) => e instanceof DataError && /only\.csv: no usable feature columns \("a": constant/.test(e.message));
});

test('applyTablePreprocessing: reproduces the training features; names missing columns and bad cells', async () => {
  const raw = table(['n', 'c', 'extra'], [['1', 'a', 'q'], ['3', 'b', 'q'], ['5', 'a', 'q'], ['7', 'b', 'q']]);
  const d = await buildTableDataset(raw, 'train.csv');
  const again = applyTablePreprocessing(raw, d.preprocessing, 'train.csv');
  assert.deepEqual(Array.from(again.data), Array.from(d.features.data));
  // Reordered columns and an unseen category (all zeros).
  const other = applyTablePreprocessing(table(['c', 'n'], [['z', '3'], ['', '']]), d.preprocessing, 'new.csv');
  // n = 3 standardises to (3 - 4) / sqrt(5); the missing n becomes the mean (0).
  assert.deepEqual(Array.from(other.data), [-1 / Math.sqrt(5), 0, 0, 0, 0, 0]);
  assert.throws(() => applyTablePreprocessing(table(['c'], [['a']]), d.preprocessing, 'new.csv'), /new\.csv: missing column\(s\) required by the model: "n"/);
  // A stray word in a numeric column is missing (the training mean, 0), with a note naming line and value: the same rule as fit.
  const notes: string[] = [];
  const stray = applyTablePreprocessing(table(['n', 'c'], [['1', 'a'], ['oops', 'b']]), d.preprocessing, 'new.csv', notes);
  assert.equal(stray.data[3], 0);
  assert.ok(notes.some((n) => /new\.csv: non-numeric cells in numeric columns of the model treated as missing: "n" \(1, first at line 3: "oops"\)/.test(n)), notes.join('\n'));
});

test('table: 10,000 columns x 20 rows build (one pass per column; speed is for npm run bench, not asserted here)', async () => {
  const cols = 10_000;
  const header = Array.from({ length: cols }, (_, j) => `c${j}`);
  const rows = Array.from({ length: 20 }, (_, i) => Array.from({ length: cols }, (_, j) => String((i * 31 + j * 17) % 13)));
  const d = await buildTableDataset(table(header, rows), 'wide.csv');
  assert.equal(d.features.cols, cols);
  assert.equal(d.features.rows, 20);
});

test('Parquet-like tables (no lines: delimiter "") name a stray cell by its 0-based row (as pandas), CSV by its line', async () => {
  const rows = Array.from({ length: 20 }, (_, i) => [i === 2 ? 'oops' : String(1.5 + (i % 4))]);
  const note = (d: { notes: readonly string[] }) => d.notes.find((n) => n.includes('non-numeric cells')) ?? '';
  const parquet = tableFromRows(['n'], rows, { delimiter: '', file: 't.parquet', rowLine: Int32Array.from(rows, (_, i) => i + 1) });
  const fromParquet = await buildTableDataset(parquet, 't.parquet');
  assert.match(note(fromParquet), /"n" \(1, first at row 2, column 1: "oops"\)/, fromParquet.notes.join('\n'));
  assert.match(note(await buildTableDataset(table(['n'], rows), 't.csv')), /"n" \(1, first at line 4, column 1: "oops"\)/);
  // Under a saved model, the same wording.
  const d = await buildTableDataset(table(['n'], [['1'], ['3'], ['5']]), 'train.csv');
  const notes: string[] = [];
  applyTablePreprocessing(tableFromRows(['n'], [['2'], ['bad']], { delimiter: '', file: 'new.parquet', rowLine: Int32Array.from([1, 2]) }), d.preprocessing, 'new.parquet', notes);
  assert.ok(notes.some((n) => /"n" \(1, first at row 1: "bad"\)/.test(n)), notes.join('\n'));
});
