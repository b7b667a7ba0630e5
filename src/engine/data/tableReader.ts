/**
 * The table-reader interface: every table format (CSV/TSV today, Parquet next) is a module
 * that opens a file into a `TableReader`, and everything downstream (column typing, features,
 * explain under a saved model, streaming every row) consumes the same columnar chunks.
 *
 * ## Implementing a reader (e.g. Parquet)
 * 1. `open(file, options)` returns a TableReader whose `schema` is known before any row is
 *    read: unique column names (use `uniqueColumnNames` from headerNames.ts so duplicates are
 *    named as everywhere else), each column's `storage` ('number' when the format itself
 *    stores numbers, e.g. Parquet DOUBLE/INT64; 'text' when cells are strings the shared rules
 *    must read), `hasLines` (false for binary formats), and the notes known so far.
 * 2. `chunks()` yields `TableChunk`s of at most `chunkRows` rows, in file order, each with
 *    one `CellColumn` per schema column. Build each column with `CellColumnBuilder` (one per
 *    column, reused across chunks): `pushNumber(v)` for a number the format stores,
 *    `pushEmpty()` for a null, `pushText(s)` for a string cell — the builder applies the
 *    shared missing-value and number-format rules (missingValues.ts, numberFormat.ts), so a
 *    Parquet string column `"1.250,00"` reads exactly as the same CSV cell would. Set
 *    `rowLine` when the format has lines (1-based line where each row starts), else leave it
 *    undefined (consumers then use row numbers). Put notes about skipped or repaired rows in
 *    the chunk's `notes`.
 * 3. Honour `signal` (throw CancelledError) and `maxRows`; report progress as the fraction
 *    of the file's bytes consumed. Errors are DataError naming the file, line (where the
 *    format has lines) and column.
 * 4. Add the reader for its file extensions to `TABLE_FORMATS` in tableFormats.ts.
 *
 * ## Consuming chunks
 * - Read everything: `readTable(file, options)` (tableFormats.ts) → `ColumnarTable` (chunks merged column by
 *   column; peak memory ≈ the table + one column). Column typing and features then work on it.
 * - Stream: `const reader = await openTable(file, options); for await (const chunk of
 *   reader.chunks({ chunkRows })) { ... }` then `reader.close()` (also on error: use
 *   try/finally). Memory is bounded by one chunk: every array of a chunk is fresh, so keep
 *   only what you need. `codes` index the chunk's own `texts` (they may grow across chunks or
 *   restart for very high-cardinality columns), so map texts to your categories per chunk.
 *   Ambiguous number cells (`1.299`) carry their decimal-point reading; decide the column's
 *   convention with `resolveConvention` on the evidence gathered so far (or a saved one) and
 *   read each cell with `resolvedValue` (numberFormat.ts). `TablePreprocessor`
 *   (tableDataset.ts) does all of this for data under a saved model.
 */
import { DataError } from '../errors';
import type { Progress } from '../types';
import type { CellColumn } from './cellColumn';
import { CELL_NUMBER } from './numberFormat';
import type { MissingValueOptions } from './missingValues';
import { NumberFormatEvidence } from './numberFormat';

/** One column as the reader sees it before reading rows. */
export interface ColumnSchema {
  /** Unique name (duplicates renamed pandas-style, see headerNames.ts). */
  readonly name: string;
  /** The name as written in the file. */
  readonly sourceName: string;
  /** 0-based position in the file. */
  readonly sourceIndex: number;
  /** 'number': the format stores numbers; 'text': strings read by the shared cell rules. */
  readonly storage: 'number' | 'text';
}

export interface TableSchema {
  readonly file: string;
  /** Format name, e.g. 'csv', 'parquet'. */
  readonly format: string;
  readonly columns: readonly ColumnSchema[];
  /** Field delimiter of delimited text ('' for formats without one). */
  readonly delimiter: string;
  /** Whether rows have source lines (text formats): chunks then carry `rowLine`. */
  readonly hasLines: boolean;
  /** File size in bytes (progress is reported as a fraction of it). */
  readonly sizeBytes: number;
  /** Data rows when the format records them (Parquet metadata); undefined for text formats. */
  readonly rowCount?: number;
  /** Notes known at open: encoding, delimiter line, header detection, renamed headers. */
  readonly notes: readonly string[];
}

/** At most `chunkRows` consecutive rows, column by column. */
export interface TableChunk {
  /** 0-based index (among data rows) of the chunk's first row. */
  readonly firstRow: number;
  readonly rows: number;
  /** 1-based source line where each row starts; undefined for formats without lines. */
  readonly rowLine?: Int32Array;
  /**
   * 0-based row number of each row as pandas would number it had every data record been
   * readable: rows after a skipped bad record (too many values) or a repeated header keep
   * their place, so joining the output with the file's rows stays right. Undefined while no
   * record has been skipped (then the row number is firstRow + i).
   */
  readonly rowIndex?: Int32Array;
  /** One per schema column, in schema order. */
  readonly columns: readonly CellColumn[];
  /** Notes raised while reading these rows (skipped comment lines, repaired rows, ...). */
  readonly notes: readonly string[];
}

export interface ChunkOptions {
  /** Rows per chunk (default 65,536; readers may use fewer for very wide tables). */
  readonly chunkRows?: number;
  /** Stop after this many data rows (a note says so when more exist). */
  readonly maxRows?: number;
  readonly signal?: AbortSignal;
  /** 'loading' progress as the fraction of the file's bytes read. */
  readonly onProgress?: (p: Progress) => void;
  /**
   * The caller keeps every chunk (readAll): one text dictionary per column for the whole
   * read. Otherwise a reader may restart a very large dictionary between chunks.
   */
  readonly wholeTable?: boolean;
  /**
   * The caller merges the chunks into whole columns (readAll): a reader may ignore `chunkRows`
   * and hand out every row in one chunk sized from the file, so nothing is copied to merge.
   */
  readonly oneChunk?: boolean;
  /**
   * A delimited-text row with more values than the header has columns: 'skip' (the default:
   * skipped, a note names it, the other rows are kept) or 'error' (a DataError naming file and
   * line as soon as the reader meets it, before the chunk holding it is handed out; pandas
   * read_csv's on_bad_lines). The CLI's --strict asks for 'error'.
   */
  readonly onBadLines?: 'skip' | 'error';
}

export interface TableReader {
  readonly schema: TableSchema;
  /** The data rows in chunks (call once). */
  chunks(options?: ChunkOptions): AsyncIterable<TableChunk>;
  /** Releases the file; safe to call twice. */
  close(): Promise<void>;
}

export interface OpenTableOptions extends MissingValueOptions {
  /** Longest record accepted, in bytes (default 64 MiB): bounds memory on a stray quote. */
  readonly maxRecordBytes?: number;
}

export type TableReaderFactory = (file: string, options: OpenTableOptions) => Promise<TableReader>;

/** A whole table in columnar form. */
export interface ColumnarTable {
  readonly schema: TableSchema;
  /** Unique column names (schema order). */
  readonly header: readonly string[];
  readonly rows: number;
  /** 1-based source line of each row (row number + 1 for formats without lines). */
  readonly rowLine: Int32Array;
  /** Row numbers with gaps where records were skipped (see TableChunk.rowIndex); undefined when none was. */
  readonly rowIndex?: Int32Array;
  readonly columns: readonly CellColumn[];
  readonly delimiter: string;
  /** Schema notes followed by every chunk's notes. */
  readonly notes: string[];
}

/**
 * Whether the rows of a table (a ColumnarTable, TableDataset or the extension's summary of one)
 * start on lines of its file: delimited text does, and `rowLine` names those lines; a binary
 * format (Parquet: delimiter '') does not, and `rowLine` is then just the 1-based row number —
 * so show "row N", never "line N".
 */
export function hasSourceLines(table: { readonly delimiter: string }): boolean {
  return table.delimiter !== '';
}

/**
 * The number a user sees for data row i of a table: 0-based, as pandas numbers the rows of
 * `read_csv` (and as `neon-cluster explain` and the `row:N` reference do), with gaps where the
 * reader skipped a record (`rowIndex`). Parquet's `rowLine` is the 1-based row number, so a
 * sampled Parquet table still names the file's own row. One convention for the panel, the tree,
 * hovers, exports, notes and the CLI; the line (delimited text) is always shown next to it.
 */
export function dataRowNumber(table: { readonly delimiter: string; readonly rowLine: Int32Array; readonly rowIndex?: Int32Array }, i: number): number {
  if (!hasSourceLines(table)) return table.rowLine[i]! - 1;
  return table.rowIndex?.[i] ?? i;
}

export interface ReadTableOptions extends OpenTableOptions, Omit<ChunkOptions, 'chunkRows' | 'wholeTable'> {}

/** Drains a reader into one ColumnarTable. */
export async function readAll(reader: TableReader, options: Omit<ChunkOptions, 'chunkRows' | 'wholeTable'> = {}): Promise<ColumnarTable> {
  const schema = reader.schema;
  const width = schema.columns.length;
  const chunks: TableChunk[] = [];
  const notes = [...schema.notes];
  let rows = 0;
  for await (const chunk of reader.chunks({ ...options, chunkRows: 65_536, wholeTable: true, oneChunk: true })) {
    chunks.push(chunk);
    rows += chunk.rows;
    notes.push(...chunk.notes);
  }
  if (rows === 0) throw new DataError('the file has no data rows', schema.file);
  if (chunks.length === 1) {
    // One chunk (a reader honouring oneChunk): its arrays are the table's.
    const c = chunks[0];
    const rowLine = c.rowLine ?? Int32Array.from({ length: rows }, (_, i) => c.firstRow + i + 1);
    return { schema, header: schema.columns.map((s) => s.name), rows, rowLine, ...(c.rowIndex ? { rowIndex: c.rowIndex } : {}), columns: c.columns.map((col) => mergeColumn([col], rows)), delimiter: schema.delimiter, notes };
  }
  const rowLine = new Int32Array(rows);
  {
    let at = 0;
    for (const c of chunks) {
      if (c.rowLine) rowLine.set(c.rowLine, at);
      else for (let i = 0; i < c.rows; i++) rowLine[at + i] = c.firstRow + i + 1;
      at += c.rows;
    }
  }
  let rowIndex: Int32Array | undefined;
  if (chunks.some((c) => c.rowIndex)) {
    rowIndex = new Int32Array(rows);
    let at = 0;
    for (const c of chunks) {
      if (c.rowIndex) rowIndex.set(c.rowIndex, at);
      else for (let i = 0; i < c.rows; i++) rowIndex[at + i] = c.firstRow + i;
      at += c.rows;
    }
  }
  const columns: CellColumn[] = new Array(width);
  for (let j = 0; j < width; j++) {
    columns[j] = mergeColumn(chunks.map((c) => c.columns[j]), rows);
    // Drop this column's chunk arrays now, so peak memory is the table plus one column.
    for (let k = 0; k < chunks.length; k++) (chunks[k].columns as CellColumn[])[j] = EMPTY_COLUMN;
  }
  return { schema, header: schema.columns.map((c) => c.name), rows, rowLine, ...(rowIndex ? { rowIndex } : {}), columns, delimiter: schema.delimiter, notes };
}

const EMPTY_COLUMN: CellColumn = { values: new Float64Array(0), texts: [], evidence: new NumberFormatEvidence() };

/** Concatenates one column's chunks; text codes are remapped into one dictionary. */
export function mergeColumn(parts: readonly CellColumn[], rows: number): CellColumn {
  if (parts.length === 1 && parts[0].values.length === rows) {
    // One part: already one dictionary of distinct texts, codes and arrays as they are.
    const p = parts[0];
    const evidence = new NumberFormatEvidence();
    evidence.merge(p.evidence);
    return { values: p.values, ...(p.kinds ? { kinds: p.kinds } : {}), ...(p.codes ? { codes: p.codes } : {}), texts: [...p.texts], evidence };
  }
  const values = new Float64Array(rows);
  const anyKinds = parts.some((p) => p.kinds !== undefined);
  const anyCodes = parts.some((p) => p.codes !== undefined);
  const kinds = anyKinds ? new Uint8Array(rows) : undefined;
  const codes = anyCodes ? new Int32Array(rows).fill(-1) : undefined;
  const evidence = new NumberFormatEvidence();
  const texts: string[] = [];
  const dict = new Map<string, number>();
  let lastTexts: readonly string[] | undefined;
  let remap: number[] = [];
  let at = 0;
  for (const p of parts) {
    const n = p.values.length;
    values.set(p.values, at);
    if (kinds) {
      if (p.kinds) kinds.set(p.kinds, at);
      else kinds.fill(CELL_NUMBER, at, at + n);
    }
    if (codes && p.codes) {
      // Same dictionary array as the previous chunk: only its new entries need mapping.
      if (p.texts !== lastTexts) remap = [];
      for (let t = remap.length; t < p.texts.length; t++) {
        const s = p.texts[t];
        let c = dict.get(s);
        if (c === undefined) {
          c = texts.length;
          texts.push(s);
          dict.set(s, c);
        }
        remap.push(c);
      }
      lastTexts = p.texts;
      const pc = p.codes;
      for (let i = 0; i < n; i++) codes[at + i] = pc[i] >= 0 ? remap[pc[i]] : -1;
    }
    evidence.merge(p.evidence);
    at += n;
  }
  return { values, ...(kinds ? { kinds } : {}), ...(codes ? { codes } : {}), texts, evidence };
}
