/**
 * A ColumnarTable from rows of cell texts already in memory (other sources than a file
 * reader, and tests): each cell goes through the same CellColumnBuilder rules as a file's.
 */
import { CellColumnBuilder } from './cellColumn';
import { uniqueColumnNames } from './headerNames';
import { MissingValueRule, type MissingValueOptions } from './missingValues';
import type { ColumnarTable } from './tableReader';

export interface RowsOptions extends MissingValueOptions {
  /** Delimiter the rows came from (decides the default decimal separator); default ','. */
  readonly delimiter?: string;
  /** 1-based line of each row; default: row index + 2 (after a header line). */
  readonly rowLine?: Int32Array;
  readonly file?: string;
  readonly notes?: readonly string[];
}

/** rows: N rows of cells in header order (short rows are padded with empty cells). */
export function tableFromRows(header: readonly string[], rows: readonly (readonly string[])[], options: RowsOptions = {}): ColumnarTable {
  const file = options.file ?? 'rows';
  const notes = [...(options.notes ?? [])];
  const names = uniqueColumnNames(header, notes, file);
  const rule = new MissingValueRule(options);
  const n = rows.length;
  const columns = names.map((_, j) => {
    const b = new CellColumnBuilder(rule, Math.max(1, n));
    for (let i = 0; i < n; i++) {
      const cell = rows[i][j];
      if (cell === undefined) b.pushEmpty();
      else b.pushText(cell);
    }
    return b.finish();
  });
  const delimiter = options.delimiter ?? ',';
  return {
    schema: {
      file,
      format: 'rows',
      columns: names.map((name, j) => ({ name, sourceName: header[j], sourceIndex: j, storage: 'text' as const })),
      delimiter,
      hasLines: true,
      sizeBytes: 0,
      notes,
    },
    header: names,
    rows: n,
    rowLine: options.rowLine ?? Int32Array.from({ length: n }, (_, i) => i + 2),
    columns,
    delimiter,
    notes,
  };
}
