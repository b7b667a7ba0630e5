/**
 * The Parquet implementation of the table-reader interface (tableReader.ts): a `.parquet`
 * file, or a folder of part files as Spark and Dask write them (parquetFiles.ts), read row
 * group by row group into columnar chunks.
 *
 * Column types come from the Parquet schema, not from guessing:
 *  - INT32 / INT64 / FLOAT / DOUBLE / DECIMAL → numbers (storage 'number'; nulls are empty cells);
 *  - strings (BYTE_ARRAY UTF8 / STRING / ENUM) and booleans ("true" / "false") → text cells,
 *    typed downstream as categories exactly as the same CSV column would be;
 *  - timestamps, dates and times (TIMESTAMP_*, DATE, TIME_*, INT96), binary, and nested
 *    columns (structs, lists, maps) → not read, with a note naming them.
 * Compression: whatever hyparquet-compressors decodes (snappy, gzip, zstd, brotli, lz4).
 * Memory: one row group's selected columns at a time, handed out in chunks of `chunkRows`.
 */
import path from 'node:path';
import { parquetRead, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CancelledError, DataError } from '../errors';
import { CellColumnBuilder } from './cellColumn';
import { uniqueColumnNames } from './headerNames';
import { pandasIndexDisplayName } from './pandasIndex';
import { MissingValueRule } from './missingValues';
import { openParquet, parquetParts, schemaOf, type ParquetFile } from './parquetFiles';
import type { ChunkOptions, OpenTableOptions, TableChunk, TableReader, TableSchema } from './tableReader';
import fs from 'node:fs';

const DEFAULT_CHUNK_ROWS = 65_536;
/** Streaming: restart a text column's dictionary past this many distinct values. */
const STREAM_DICTIONARY_LIMIT = 1 << 18;

type ValueKind = 'number' | 'bigint' | 'string' | 'boolean';

interface ReadColumn {
  /** Top-level column name in the file. */
  readonly source: string;
  readonly kind: ValueKind;
}

/** How a top-level schema node is read, or why it is not. */
function classify(node: SchemaTree): { kind: ValueKind } | { skip: string } {
  const e = node.element;
  if (node.children.length > 0) return { skip: 'nested (struct / list / map)' };
  const logical = e.logical_type?.type;
  const converted = e.converted_type;
  if (logical === 'TIMESTAMP' || logical === 'DATE' || logical === 'TIME' || (converted && /^(TIMESTAMP|DATE|TIME)/.test(converted)) || e.type === 'INT96') {
    return { skip: 'timestamp / date' };
  }
  switch (e.type) {
    case 'BOOLEAN':
      return { kind: 'boolean' };
    case 'INT32':
    case 'FLOAT':
    case 'DOUBLE':
      return { kind: 'number' };
    case 'INT64':
      return { kind: 'bigint' };
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      if (converted === 'DECIMAL' || logical === 'DECIMAL') return { kind: 'number' };
      if (converted === 'UTF8' || converted === 'ENUM' || logical === 'STRING' || logical === 'ENUM') return { kind: 'string' };
      return { skip: 'binary' };
    default:
      return { skip: `type ${e.type ?? 'unknown'}` };
  }
}

function describeSkipped(name: string, skipped: ReadonlyMap<string, string[]>): string[] {
  const out: string[] = [];
  for (const [why, cols] of skipped) {
    const shown = cols.slice(0, 6).map((c) => `"${c}"`).join(', ') + (cols.length > 6 ? `, ... (${cols.length} in all)` : '');
    out.push(`${name}: ${cols.length} ${why} column(s) not read (not usable as features): ${shown}.`);
  }
  return out;
}

class ParquetTableReader implements TableReader {
  private consumed = false;

  constructor(
    readonly schema: TableSchema,
    private readonly parts: readonly ParquetFile[],
    private readonly columns: readonly ReadColumn[],
    private readonly rule: MissingValueRule,
  ) {}

  async *chunks(options: ChunkOptions = {}): AsyncGenerator<TableChunk> {
    if (this.consumed) throw new Error('ParquetTableReader.chunks() can be called only once');
    this.consumed = true;
    const file = this.schema.file;
    const name = path.basename(file);
    const maxRows = options.maxRows ?? Number.MAX_SAFE_INTEGER;
    const chunkRows = Math.max(1, Math.min(options.chunkRows ?? DEFAULT_CHUNK_ROWS, maxRows));
    const limit = options.wholeTable ? Number.POSITIVE_INFINITY : STREAM_DICTIONARY_LIMIT;
    const builders = this.columns.map(() => new CellColumnBuilder(this.rule, chunkRows, limit));
    const totalBytes = Math.max(1, this.schema.sizeBytes);
    let bytesDone = 0;
    let emitted = 0;
    let pending = 0;
    const flush = (notes: string[]): TableChunk => {
      const chunk: TableChunk = { firstRow: emitted, rows: pending, columns: builders.map((b) => b.finish()), notes };
      emitted += pending;
      pending = 0;
      return chunk;
    };
    const names = this.columns.map((c) => c.source);
    for (const part of this.parts) {
      let groupStart = 0;
      for (const group of part.metadata.row_groups) {
        if (emitted + pending >= maxRows) break;
        if (options.signal?.aborted) throw new CancelledError();
        const groupRows = Number(group.num_rows);
        const take = Math.min(groupRows, maxRows - emitted - pending);
        const data = await this.readGroup(part, names, groupStart, groupStart + take);
        // Column by column over each stretch that fills the current chunk.
        for (let from = 0; from < take; ) {
          const to = Math.min(take, from + chunkRows - pending);
          for (let j = 0; j < this.columns.length; j++) pushRange(builders[j], this.columns[j].kind, data[j], from, to);
          pending += to - from;
          from = to;
          if (pending === chunkRows) yield flush([]);
        }
        groupStart += groupRows;
        bytesDone += group.total_byte_size !== undefined ? Number(group.total_byte_size) : 0;
        options.onProgress?.({ stage: 'loading', fraction: Math.min(1, bytesDone / totalBytes), message: name });
      }
    }
    const truncated = emitted + pending >= maxRows && (this.schema.rowCount ?? 0) > maxRows;
    const notes = truncated ? [`${name}: only the first ${maxRows} data rows were loaded (maxRows).`] : [];
    if (emitted + pending === 0) throw new DataError('the file has no data rows', file);
    if (pending > 0 || notes.length) yield flush(notes);
  }

  /** One column array per selected column for rows [rowStart, rowEnd) of a part (one row group). */
  private async readGroup(part: ParquetFile, names: readonly string[], rowStart: number, rowEnd: number): Promise<ArrayLike<unknown>[]> {
    const out: unknown[][] = names.map(() => new Array<unknown>(rowEnd - rowStart));
    const index = new Map(names.map((n, j) => [n, j] as const));
    try {
      await parquetRead({
        file: part.buffer,
        metadata: part.metadata,
        compressors,
        columns: [...names],
        rowStart,
        rowEnd,
        onChunk: (c) => {
          const j = index.get(c.columnName);
          if (j === undefined) return;
          const values = c.columnData;
          const target = out[j];
          for (let r = Math.max(c.rowStart, rowStart); r < Math.min(c.rowEnd, rowEnd); r++) target[r - rowStart] = values[r - c.rowStart];
        },
      });
    } catch (e) {
      throw new DataError(`cannot decode the Parquet data (${e instanceof Error ? e.message : String(e)})`, part.file);
    }
    return out;
  }

  async close(): Promise<void> {
    // Positioned reads open and close the file per request: nothing stays open.
  }
}

/** Cells [from, to) of one decoded column into its builder (null = an empty cell). */
function pushRange(b: CellColumnBuilder, kind: ValueKind, values: ArrayLike<unknown>, from: number, to: number): void {
  switch (kind) {
    case 'number':
      for (let i = from; i < to; i++) {
        const v = values[i];
        if (v === null || v === undefined) b.pushEmpty();
        else {
          const n = typeof v === 'number' ? v : Number(v);
          if (Number.isFinite(n)) b.pushNumber(n);
          else if (Number.isNaN(n)) b.pushEmpty();
          else b.pushText(String(n));
        }
      }
      return;
    case 'bigint':
      for (let i = from; i < to; i++) {
        const v = values[i];
        if (v === null || v === undefined) b.pushEmpty();
        else b.pushNumber(Number(v as bigint));
      }
      return;
    case 'boolean':
      for (let i = from; i < to; i++) {
        const v = values[i];
        if (v === null || v === undefined) b.pushEmpty();
        else b.pushText(v ? 'true' : 'false');
      }
      return;
    case 'string':
      for (let i = from; i < to; i++) {
        const v = values[i];
        if (v === null || v === undefined) b.pushEmpty();
        else b.pushText(String(v));
      }
      return;
  }
}

/** The top-level columns of a part as (name, how read / why skipped), for schema comparison. */
function columnPlan(pf: ParquetFile): { name: string; plan: { kind: ValueKind } | { skip: string } }[] {
  return schemaOf(pf).children.map((node) => ({ name: node.element.name, plan: classify(node) }));
}

/**
 * Opens a Parquet file or a folder of part files (TableReaderFactory). Throws DataError naming
 * the file when it is not Parquet, when the parts disagree on their columns, or when no column
 * can be read.
 */
export async function openParquetTable(file: string, options: OpenTableOptions = {}): Promise<TableReader> {
  const name = path.basename(file.replace(/[\\/]+$/, ''));
  const partFiles = parquetParts(file);
  const parts: ParquetFile[] = [];
  for (const p of partFiles) parts.push(await openParquet(p));
  const plan = columnPlan(parts[0]);
  const signature = (pl: ReturnType<typeof columnPlan>) => pl.map((c) => `${c.name}:${'kind' in c.plan ? c.plan.kind : 'skip'}`).join(',');
  for (let i = 1; i < parts.length; i++) {
    if (signature(columnPlan(parts[i])) !== signature(plan)) {
      throw new DataError(`part files disagree on their columns: ${path.basename(partFiles[i])} has ${columnPlan(parts[i]).map((c) => c.name).join(', ')}; ${path.basename(partFiles[0])} has ${plan.map((c) => c.name).join(', ')}`, file);
    }
  }
  const notes: string[] = [];
  if (parts.length > 1) notes.push(`${name}: ${parts.length} Parquet part files read in order (${path.basename(partFiles[0])}, ...).`);
  const skipped = new Map<string, string[]>();
  const read: ReadColumn[] = [];
  for (const c of plan) {
    if ('skip' in c.plan) skipped.set(c.plan.skip, [...(skipped.get(c.plan.skip) ?? []), c.name]);
    else read.push({ source: c.name, kind: c.plan.kind });
  }
  notes.push(...describeSkipped(name, skipped));
  if (read.length === 0) throw new DataError(`has no column that can be read as numbers, text or booleans (${plan.map((c) => c.name).join(', ')})`, file);
  // pandas' to_parquet stores a non-default index as a column `__index_level_0__`: shown as the index it is (trial7 D11c).
  const names = uniqueColumnNames(read.map((c) => pandasIndexDisplayName(c.source)), notes, name);
  const sourceIndex = new Map(plan.map((c, j) => [c.name, j] as const));
  const sizeBytes = partFiles.reduce((s, p) => s + fs.statSync(p).size, 0);
  const schema: TableSchema = {
    file,
    format: 'parquet',
    columns: read.map((c, j) => ({ name: names[j], sourceName: c.source, sourceIndex: sourceIndex.get(c.source) ?? j, storage: c.kind === 'number' || c.kind === 'bigint' ? 'number' : 'text' })),
    delimiter: '',
    hasLines: false,
    sizeBytes,
    rowCount: parts.reduce((s, p) => s + p.rows, 0),
    notes,
  };
  return new ParquetTableReader(schema, parts, read, new MissingValueRule(options));
}
