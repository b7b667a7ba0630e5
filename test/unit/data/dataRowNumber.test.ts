import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataRowNumber } from '../../../src/engine/data/tableReader';

test('dataRowNumber: 0-based as pandas numbers rows, with the gap a skipped record leaves; Parquet from its 1-based row number', () => {
  const csv = { delimiter: ',', rowLine: Int32Array.from([2, 3, 5]) };
  assert.deepEqual([0, 1, 2].map((i) => dataRowNumber(csv, i)), [0, 1, 2]);
  const skipped = { delimiter: ';', rowLine: Int32Array.from([2, 3, 5]), rowIndex: Int32Array.from([0, 1, 3]) };
  assert.deepEqual([0, 1, 2].map((i) => dataRowNumber(skipped, i)), [0, 1, 3]);
  // A uniform sample of a Parquet file keeps each row's own place in the file.
  const parquet = { delimiter: '', rowLine: Int32Array.from([7, 12, 40]) };
  assert.deepEqual([0, 1, 2].map((i) => dataRowNumber(parquet, i)), [6, 11, 39]);
});
