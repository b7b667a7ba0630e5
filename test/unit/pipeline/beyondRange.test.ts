/**
 * Notes for rows beyond float64 name file, line and column in delimited text; a Parquet table
 * (no lines, delimiter '') is named by file and column, the row number saying where.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { beyondRangeNotes } from '../../../src/engine/pipeline/beyondRange';
import type { TableDataset } from '../../../src/engine/types';

function dataset(delimiter: string): TableDataset {
  return {
    kind: 'table',
    source: '/d/t',
    delimiter,
    columns: [{ name: 'a' }, { name: 'b' }],
    rowLine: Int32Array.from(delimiter === '' ? [1, 2, 3] : [2, 3, 4]),
    notes: [],
  } as unknown as TableDataset;
}

test('beyondRangeNotes: "line N" for CSV rows, no line for Parquet rows', () => {
  const rows = [{ row: 2, cluster: 1, evidence: true, units: [0] }];
  const [csv] = beyondRangeNotes(rows, dataset(','), 't.csv');
  assert.equal(csv, `t.csv, line 4, column "a": row 2's evidence is beyond what float64 can hold (|value| > 1.8e308), so it is assigned to cluster 1 but not explained (its evidence and relevances are left empty).`);
  const [parquet] = beyondRangeNotes(rows, dataset(''), 't.parquet');
  assert.equal(parquet, `t.parquet, column "a": row 2's evidence is beyond what float64 can hold (|value| > 1.8e308), so it is assigned to cluster 1 but not explained (its evidence and relevances are left empty).`);
});
