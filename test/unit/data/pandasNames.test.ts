/**
 * Column names as pandas gives them, on files pandas wrote (test/fixtures/pandas, made by its
 * make.py with pandas itself; the expected names are what pandas' read_csv gives back): a
 * `df.to_csv()` index column is "Unnamed: 0" in our notes, panel and exports, and it is never
 * a feature.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadDataset } from '../../../src/engine/data';
import { applyTablePreprocessing } from '../../../src/engine/data/tableDataset';
import { readTable } from '../../../src/engine/data/tableFormats';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import type { TableDataset, TablePreprocessing } from '../../../src/engine/types';
import { FIXTURES } from './fixturePaths';

const PANDAS = path.join(FIXTURES, 'pandas');

async function load(name: string): Promise<TableDataset> {
  const d = await loadDataset({ kind: 'table', path: path.join(PANDAS, name) }, DEFAULT_SETTINGS);
  assert.equal(d.kind, 'table');
  return d as TableDataset;
}

test('df.to_csv() index column: named "Unnamed: 0" as pandas names it, an identifier, not a feature', async () => {
  const d = await load('range_index.csv');
  assert.deepEqual(d.columns.map((c) => c.name), ['Unnamed: 0', 'length', 'width', 'species']);
  assert.equal(d.columns[0].kind, 'identifier');
  assert.ok(!d.featureNames.includes('Unnamed: 0'), d.featureNames.join(', '));
  assert.deepEqual(d.featureNames.slice(0, 2), ['length', 'width']);
  assert.ok(d.notes.some((n) => n.includes('range_index.csv: 1 column(s) without a header name are called "Unnamed: 0", as pandas names them.')), d.notes.join('\n'));
});

test('a filtered frame\'s index (12 unique, non-consecutive integers) is an identifier by its pandas name', async () => {
  const d = await load('filtered_index.csv');
  assert.equal(d.columns[0].name, 'Unnamed: 0');
  assert.equal(d.columns[0].kind, 'identifier');
  assert.equal(d.columns[0].excludedReason, 'unique integer per row named like an id');
  assert.ok(!d.featureNames.includes('Unnamed: 0'), d.featureNames.join(', '));
});

test('empty and duplicate header cells get pandas\' names; a user\'s own "Unnamed: 2" keeps its name', async () => {
  const d = await load('empty_and_duplicate_headers.csv');
  assert.deepEqual(d.columns.map((c) => c.name), ['a', 'Unnamed: 1', 'Unnamed: 2.1', 'a.2', 'Unnamed: 2', 'a.1']);
  assert.ok(d.notes.some((n) => n.includes('duplicate column names were made unique (as pandas does; no other column has these names): "a" (column 4) → "a.2".')), d.notes.join('\n'));
  assert.ok(d.notes.some((n) => n.includes('2 column(s) without a header name are called "Unnamed: 1", "Unnamed: 2.1", as pandas names them.')), d.notes.join('\n'));
});

test('a model saved when an empty header cell was called "column N" still applies to that column', async () => {
  const file = path.join(PANDAS, 'empty_and_duplicate_headers.csv');
  const d = await load('empty_and_duplicate_headers.csv');
  const table = await readTable(file);
  const rename = (from: Record<string, string>): TablePreprocessing => ({ ...d.preprocessing, columns: d.preprocessing.columns.map((c) => ({ ...c, column: from[c.column] ?? c.column })) });
  // Earlier versions called the empty cells at columns 2 and 3 (1-based) "column 2", "column 3".
  const former = applyTablePreprocessing(table, rename({ 'Unnamed: 1': 'column 2', 'Unnamed: 2.1': 'column 3' }), file);
  assert.deepEqual(Array.from(former.data), Array.from(d.features.data));
  // "column 5" was never a name here (the cell at column 5 has a header): still missing.
  assert.throws(() => applyTablePreprocessing(table, rename({ 'Unnamed: 2': 'column 5' }), file), /missing column\(s\) required by the model: "column 5"/);
});
