/**
 * The reported input cases (test/fixtures/cases, copied from shared/cases) that concern
 * reading tables, each checked for its right value through the real reader and the real CLI.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadDataset } from '../../../src/engine/data';
import { readTable } from '../../../src/engine/data/tableFormats';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import type { TableDataset } from '../../../src/engine/types';
import { FIXTURES, runCli, tempDir } from './fixturePaths';

const CASES = path.join(FIXTURES, 'cases');
const dir = tempDir('cases');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const cli = runCli;

async function load(rel: string): Promise<TableDataset> {
  const d = await loadDataset({ kind: 'table', path: path.join(CASES, rel) }, DEFAULT_SETTINGS);
  assert.equal(d.kind, 'table');
  return d as TableDataset;
}

function numericMean(d: TableDataset, column: string): number {
  const t = d.preprocessing.columns.find((c) => c.column === column);
  assert.ok(t && t.kind === 'numeric', `"${column}" is not a numeric feature (${d.featureNames.join(', ')})`);
  return t.mean;
}

test('case 02 sales.csv: "1,250" is 1250; revenue (mean 6756.25) is a feature and fit says what it converted', async () => {
  const d = await load('02-quoted-thousands-separator/sales.csv');
  assert.equal(numericMean(d, 'revenue'), 6756.25);
  assert.deepEqual(d.featureNames, ['revenue', 'visitors', 'area_m2']);
  const r = cli('fit', path.join(CASES, '02-quoted-thousands-separator/sales.csv'), '--k', '2', '-o', path.join(dir, 'sales.json'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /note: sales\.csv: column "revenue" read as numbers: thousands separator comma removed in 8 cell\(s\) \(e\.g\. "1,250"\)/);
  // The one excluded column is named with its reason.
  assert.match(r.stderr, /note: sales\.csv: 1 identifier-like column\(s\) excluded from the features: "store"/);
});

test('case 10 sensors.csv: the user\'s "temp (2)" keeps its name and data (mean 45.317); the duplicate "temp" becomes "temp.1"', async () => {
  const d = await load('10-duplicate-header-rename-collision/sensors.csv');
  assert.deepEqual(d.columns.map((c) => c.name), ['temp', 'temp.1', 'temp (2)', 'humidity']);
  assert.ok(Math.abs(numericMean(d, 'temp (2)') - 45.31666666666667) < 1e-12);
  assert.ok(Math.abs(numericMean(d, 'temp.1') - (21.0 + 21.2 + 26.4 + 26.0 + 20.9 + 26.2) / 6) < 1e-12);
  assert.ok(d.notes.some((n) => n.includes('"temp" (column 2) → "temp.1"')), d.notes.join('\n'));
});

test('case 16 patients.csv: fit and explain both read line 39\'s "unknown" as missing, say so, and explain all 60 rows', () => {
  const data = path.join(CASES, '16-numeric-column-with-stray-text/patients.csv');
  const model = path.join(dir, 'patients.json');
  const fit = cli('fit', data, '--k', '2', '-o', model);
  assert.equal(fit.code, 0, fit.stderr);
  assert.match(fit.stderr, /note: patients\.csv: non-numeric values in numeric columns read as missing: "glucose" \(1 × "unknown", first at line 39, column \d+\)\. If they stand for "no value", add "unknown" to the missing-value tokens to say so \(--na-values "unknown"/);
  assert.match(fit.stderr, /patients\.csv: 60 of 60 rows \(all\)/);
  const explain = cli('explain', '--model-file', model, data);
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stderr, /note: patients\.csv: non-numeric cells in numeric columns of the model treated as missing: "glucose" \(1, first at line 39: "unknown"\)/);
  const lines = explain.stdout.trim().split('\n');
  assert.equal(lines.length, 61);
  assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[0])), Array.from({ length: 60 }, (_, i) => i));
});

test('case 09: magnitudes up to 9.99e307 are read exactly (no overflow, no rounding)', async () => {
  const sentinel = await readTable(path.join(CASES, '09-huge-magnitudes/new_batch_sentinel.csv'));
  assert.deepEqual(Array.from(sentinel.columns[0].values), [1, 5, 9.99e307]);
  assert.deepEqual(Array.from(sentinel.columns[1].values), [2, 9, 2]);
  assert.deepEqual(Array.from(sentinel.rowLine), [2, 3, 4]);
  const stars = await readTable(path.join(CASES, '09-huge-magnitudes/stars.csv'));
  assert.deepEqual(Array.from(stars.columns[0].values), [1.989e30, 3.978e30, 2.2e30, 5.0e301, 6.1e301, 5.5e301, 1.5e30]);
  assert.deepEqual(Array.from(stars.columns[1].values), [6.96e8, 1.2e9, 7.5e8, 1.0e154, 1.2e154, 1.1e154, 6.0e8]);
  const centroids = await readTable(path.join(CASES, '09-huge-magnitudes/centroids.csv'));
  assert.deepEqual(centroids.header, ['Unnamed: 0', 'a', 'b']);
  assert.deepEqual(Array.from(centroids.columns[2].values), [2.05e160, 8.9e160]);
});
