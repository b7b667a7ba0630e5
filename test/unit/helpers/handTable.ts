/**
 * A small TableDataset built by hand for summary / statistics tests: columns named with their
 * kind (an identifier column is excluded, as the reader does), features as N × D row-major with
 * one name per feature (`col` or `col=category`, which also gives each feature its column),
 * row r on line r + 2 (a header on line 1).
 */
import type { ColumnKind, TableDataset } from '../../../src/engine/types';

export function handTable(
  columns: readonly (readonly [name: string, kind: ColumnKind])[],
  featureNames: readonly string[],
  data: Float64Array,
  labels?: readonly string[],
): TableDataset {
  const d = featureNames.length;
  const rows = data.length / d;
  const names = columns.map(([name]) => name);
  return {
    kind: 'table',
    source: '/tmp/hand.csv',
    delimiter: ',',
    columns: columns.map(([name, kind], sourceIndex) => ({ name, sourceIndex, kind, missing: 0, ...(kind === 'identifier' ? { excludedReason: 'identifier' } : {}) })),
    rowLine: Int32Array.from({ length: rows }, (_, i) => i + 2),
    features: { rows, cols: d, data },
    featureNames,
    featureColumn: Int32Array.from(featureNames, (f) => names.indexOf(f.split('=')[0])),
    ...(labels ? { labels } : {}),
    preprocessing: { kind: 'table', missing: 'mean', columns: [] },
    notes: [],
  };
}
