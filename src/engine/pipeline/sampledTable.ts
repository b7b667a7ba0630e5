/**
 * Reads a seeded uniform random sample of a table's rows, for files whose rows do not all fit
 * the memory budget (rowBudget.ts): one streaming pass counts the rows, a second keeps the
 * chosen ones chunk by chunk (peak memory ≈ the sample + one chunk). The result is an ordinary
 * ColumnarTable of the sampled rows in file order, with their own source lines, so column
 * typing, features, highlighting and notes work on it unchanged.
 */
import type { CellColumn } from '../data/cellColumn';
import { missingValueOptions } from '../data/loadDataset';
import { openTable, readTable } from '../data/tableFormats';
import { mergeColumn, type ColumnarTable, type OpenTableOptions } from '../data/tableReader';
import { NumberFormatEvidence } from '../data/numberFormat';
import { throwIfAborted } from '../jobs';
import { Rng } from '../rng';
import type { ClusterSettings, RowSelection } from '../pipelineTypes';
import type { JobHooks } from '../types';
import { bytesPerRow, estimateRows, memoryBudgetBytes } from './rowBudget';

const CHUNK_ROWS = 65_536;

/** Number of data rows of the table (one streaming pass, nothing kept). */
export async function countTableRows(file: string, options: OpenTableOptions, hooks?: JobHooks): Promise<number> {
  const reader = await openTable(file, options);
  try {
    let rows = 0;
    for await (const chunk of reader.chunks({ chunkRows: CHUNK_ROWS, ...(hooks?.signal ? { signal: hooks.signal } : {}) })) rows += chunk.rows;
    return rows;
  } finally {
    await reader.close();
  }
}

/** `m` distinct indices of [0, n), uniform, seeded (Floyd's algorithm), ascending. */
export function sampleIndices(n: number, m: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const chosen = new Set<number>();
  for (let j = n - m; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}

/** Rows `at` (chunk-relative, ascending) of one chunk's column. */
function takeRows(col: CellColumn, at: Int32Array): CellColumn {
  const values = new Float64Array(at.length);
  for (let r = 0; r < at.length; r++) values[r] = col.values[at[r]];
  const kinds = col.kinds ? Uint8Array.from(at, (i) => col.kinds![i]) : undefined;
  const codes = col.codes ? Int32Array.from(at, (i) => col.codes![i]) : undefined;
  return { values, ...(kinds ? { kinds } : {}), ...(codes ? { codes } : {}), texts: col.texts, evidence: col.evidence };
}

/**
 * The rows `indices` (ascending 0-based data-row indices) of the table, in file order. Number
 * format evidence is gathered from every row read, not only the kept ones.
 */
export async function readTableRows(file: string, indices: Int32Array, options: OpenTableOptions, hooks?: JobHooks): Promise<ColumnarTable> {
  const reader = await openTable(file, options);
  try {
    const schema = reader.schema;
    const width = schema.columns.length;
    const parts: CellColumn[][] = Array.from({ length: width }, () => []);
    const evidence = Array.from({ length: width }, () => new NumberFormatEvidence());
    const rowLine = new Int32Array(indices.length);
    const notes = [...schema.notes];
    let next = 0;
    for await (const chunk of reader.chunks({ chunkRows: CHUNK_ROWS, wholeTable: true, ...(hooks?.signal ? { signal: hooks.signal } : {}) })) {
      throwIfAborted(hooks);
      notes.push(...chunk.notes);
      const end = chunk.firstRow + chunk.rows;
      const from = next;
      while (next < indices.length && indices[next] < end) next++;
      const at = Int32Array.from(indices.subarray(from, next), (i) => i - chunk.firstRow);
      for (let r = 0; r < at.length; r++) rowLine[from + r] = chunk.rowLine ? chunk.rowLine[at[r]] : indices[from + r] + 1;
      for (let j = 0; j < width; j++) {
        evidence[j].merge(chunk.columns[j].evidence);
        if (at.length > 0) parts[j].push(takeRows(chunk.columns[j], at));
      }
    }
    const rows = next;
    const columns = parts.map((p, j) => ({ ...mergeColumn(p, rows), evidence: evidence[j] }));
    return { schema, header: schema.columns.map((c) => c.name), rows, rowLine: rowLine.subarray(0, rows), columns, delimiter: schema.delimiter, notes };
  } finally {
    await reader.close();
  }
}

/**
 * The table's rows as rowBudget.ts decides: the user's first maxRows rows; else every row when
 * they fit the memory budget (estimated from the file size first, counted when the estimate
 * says they may not); else a seeded uniform random sample of as many rows as fit.
 */
export async function readTableRowsInBudget(file: string, settings: ClusterSettings, hooks: JobHooks = {}): Promise<{ raw: ColumnarTable; selection: RowSelection }> {
  const open = missingValueOptions(settings);
  const signal = hooks.signal ? { signal: hooks.signal } : {};
  const readAllRows = async (): Promise<{ raw: ColumnarTable; selection: RowSelection }> => {
    const raw = await readTable(file, { ...open, ...signal });
    return { raw, selection: { rows: raw.rows, totalRows: raw.rows, method: 'all' } };
  };
  if (settings.maxRows > 0) {
    const raw = await readTable(file, { maxRows: settings.maxRows, ...open, ...signal });
    const cut = raw.rows >= settings.maxRows;
    return { raw, selection: cut ? { rows: raw.rows, method: 'first' } : { rows: raw.rows, totalRows: raw.rows, method: 'all' } };
  }
  const budgetBytes = memoryBudgetBytes(settings);
  const reader = await openTable(file, open);
  const schema = reader.schema;
  await reader.close();
  const fits = Math.max(1, Math.floor(budgetBytes / bytesPerRow(schema.columns.length)));
  if (estimateRows(file, schema.sizeBytes, schema.rowCount) <= fits) return readAllRows();
  const total = await countTableRows(file, open, hooks);
  if (total <= fits) return readAllRows();
  const raw = await readTableRows(file, sampleIndices(total, fits, settings.seed), open, hooks);
  return { raw, selection: { rows: raw.rows, totalRows: total, method: 'sample', seed: settings.seed, budgetBytes } };
}
