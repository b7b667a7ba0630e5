/**
 * The cells of some columns of a clustered table. A dataset keeps only its features (and
 * labels): identifier columns are left out of it, yet Export… needs them so that a user can
 * join the exported assignments back to their table by id. Small tables keep every row's cells
 * (SessionState.rawRows); otherwise the file is read again and rows are matched by `rowLine`
 * (the 1-based source line for delimited text, the 1-based row number for Parquet), so a
 * sampled fit or a file with skipped records still gets each row's own cells.
 */
import { cellText } from '../engine/data/cellColumn';
import { openTable } from '../engine/data/tableFormats';
import { DataError } from '../engine/errors';
import type { SessionState } from '../engine/pipeline/session';

/**
 * @returns one array per name in `columns`, each of length N (the dataset's rows): the cell as
 *   the reader shows it (cellColumn.ts cellText: a text as read, a number in its shortest
 *   round-trip form, '' when empty or when the file no longer has the row).
 * @throws DataError when the session is not a table or a column is not in the file.
 */
export async function readColumnCells(state: SessionState, columns: readonly string[], signal?: AbortSignal): Promise<string[][]> {
  const dataset = state.dataset;
  if (dataset.kind !== 'table') throw new DataError('only a table has columns to export', dataset.source);
  const n = dataset.rowLine.length;
  const out = columns.map(() => new Array<string>(n).fill(''));
  if (columns.length === 0 || n === 0) return out;
  if (state.rawRows) {
    const sourceIndex = columns.map((name) => {
      const col = dataset.columns.find((c) => c.name === name);
      if (!col) throw new DataError(`no column "${name}"`, dataset.source);
      return col.sourceIndex;
    });
    for (let i = 0; i < n; i++) sourceIndex.forEach((j, c) => (out[c]![i] = state.rawRows![i]?.[j] ?? ''));
    return out;
  }
  const position = new Map<number, number>();
  dataset.rowLine.forEach((line, i) => position.set(line, i));
  const reader = await openTable(dataset.source);
  try {
    const at = columns.map((name) => {
      const j = reader.schema.columns.findIndex((c) => c.name === name);
      if (j < 0) throw new DataError(`column "${name}" is no longer in the file`, dataset.source);
      return j;
    });
    for await (const chunk of reader.chunks(signal ? { signal } : {})) {
      for (let r = 0; r < chunk.rows; r++) {
        const i = position.get(chunk.rowLine ? chunk.rowLine[r]! : chunk.firstRow + r + 1);
        if (i !== undefined) at.forEach((j, c) => (out[c]![i] = cellText(chunk.columns[j]!, r)));
      }
    }
  } finally {
    await reader.close();
  }
  return out;
}
