/**
 * CSV / TSV reading into raw string cells, streamed through csv-parse so that memory is
 * proportional to the rows kept (`maxRows`), not to the file.
 *
 * Source lines: csv-parse's `info.lines` counts a CRLF inside a quoted cell as two lines (and
 * `info: true` costs an object per record), so the 1-based start line of each record is
 * tracked here instead: previous record's start + 1 + the line breaks inside its cells. Blank
 * lines are not skipped by the parser: each arrives as a one-empty-cell record, is counted as
 * one line, and dropped here.
 */
import path from 'node:path';
import { CsvError, parse } from 'csv-parse';
import { CancelledError, DataError } from '../errors';
import { throttledProgress } from '../jobs';
import type { Progress } from '../types';
import { CELL_MISSING, CELL_NUMBER, CELL_NONFINITE, parseCell } from './cells';
import { delimiterForExtension, sniffDelimiter } from './delimiter';
import {
  decodedChunks,
  InvalidUtf8Error,
  MAX_STREAMED_BYTES,
  readHead,
  sniffEncoding,
  SNIFF_BYTES,
  statDataFile,
  type EncodingGuess,
} from './fileText';

/** A table as read: header names (made unique), raw cells, and where each row starts. */
export interface RawTable {
  header: string[];
  rows: string[][];
  /** 1-based line in the source file where each data row starts. */
  rowLine: Int32Array;
  delimiter: string;
  notes: string[];
}

export interface ReadTableOptions {
  /** Data rows beyond this are not kept (with a note). */
  maxRows?: number;
  signal?: AbortSignal;
  /** Reading progress ('loading' stage, fraction of the file's bytes). */
  onProgress?: (p: Progress) => void;
  /**
   * Longest record accepted, in characters (default 64 Mi). Bounds memory when a stray quote
   * would otherwise make the rest of a huge file one cell.
   */
  maxRecordChars?: number;
}

const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024;

const CHUNK_BYTES = 256 * 1024;

/** Reads a delimited text file. Throws DataError naming the file and line on unusable input. */
export async function readTable(file: string, options: ReadTableOptions = {}): Promise<RawTable> {
  const st = statDataFile(file, MAX_STREAMED_BYTES);
  if (st.size === 0) throw new DataError('the file is empty', file);
  const head = await readHead(file, SNIFF_BYTES);
  const guess = sniffEncoding(head, file, st.size <= SNIFF_BYTES);
  try {
    return await parseFile(file, guess, st.size, options);
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw new CancelledError();
    if (!(e instanceof InvalidUtf8Error)) throw e;
    const fallback: EncodingGuess = {
      encoding: 'windows-1252',
      bomBytes: guess.bomBytes,
      notes: [`${path.basename(file)}: not valid UTF-8 (past the first ${SNIFF_BYTES / 1024} KB): read as Windows-1252 (Latin-1).`],
    };
    try {
      return await parseFile(file, fallback, st.size, options);
    } catch (e2) {
      if (e2 instanceof Error && e2.name === 'AbortError') throw new CancelledError();
      throw e2;
    }
  }
}

/** Growable Int32 list (row start lines) without per-row allocation. */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

function lineBreaks(record: readonly string[]): number {
  let n = 0;
  for (const cell of record) {
    if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) continue;
    for (let i = 0; i < cell.length; i++) {
      const c = cell.charCodeAt(i);
      if (c === 10) n++;
      else if (c === 13) {
        n++;
        if (cell.charCodeAt(i + 1) === 10) i++;
      }
    }
  }
  return n;
}

function isBlankRecord(record: readonly string[]): boolean {
  for (const cell of record) if (cell.trim() !== '') return false;
  return true;
}

async function parseFile(file: string, guess: EncodingGuess, size: number, options: ReadTableOptions): Promise<RawTable> {
  const name = path.basename(file);
  const maxRows = options.maxRows ?? Number.MAX_SAFE_INTEGER;
  const notes = [...guess.notes];
  const chunks = decodedChunks(file, guess, options.signal);

  // The first decoded chunk is the sample for delimiter sniffing.
  const first = await chunks.next();
  const sample = first.done ? '' : first.value;
  if (sample.trim() === '') {
    await chunks.return(undefined);
    throw new DataError('the file is empty (no text)', file);
  }
  const sampleIsWhole = size - guess.bomBytes <= CHUNK_BYTES;
  const delimiter = sniffDelimiter(sample, sampleIsWhole, delimiterForExtension(file));

  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
  });
  let fed = 0;

  const producer = (async () => {
    try {
      const feed = async (s: string): Promise<void> => {
        if (parser.destroyed) return;
        fed += s.length;
        if (!parser.write(s)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              parser.off('drain', done);
              parser.off('close', done);
              resolve();
            };
            parser.on('drain', done);
            parser.on('close', done);
          });
        }
      };
      await feed(sample);
      for (;;) {
        if (parser.destroyed) break;
        const next = await chunks.next();
        if (next.done) break;
        await feed(next.value);
      }
      if (!parser.destroyed) parser.end();
    } catch (e) {
      parser.destroy(e instanceof Error ? e : new Error(String(e)));
    } finally {
      await chunks.return(undefined);
    }
  })();

  // Header + up to maxRows data rows, plus one to learn whether rows were dropped.
  const records: string[][] = [];
  const lines = new IntList();
  let nextLine = 1;
  let blankRecords = 0;
  let count = 0;
  let truncated = false;
  const progress = throttledProgress(options.onProgress ? { onProgress: options.onProgress } : undefined);
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if ((++count & 4095) === 0) {
        if (options.signal?.aborted) throw new CancelledError();
        // Characters handed to the parser vs bytes of the file: close enough for a progress bar.
        progress({ stage: 'loading', fraction: Math.min(1, fed / Math.max(1, size)), message: name });
      }
      const start = nextLine;
      nextLine = start + 1 + lineBreaks(record);
      if (isBlankRecord(record)) {
        // An empty line is a one-empty-cell record; whitespace-only lines are noted.
        if (record.length > 1 || record[0] !== '') blankRecords++;
        continue;
      }
      if (records.length > maxRows) {
        truncated = true;
        break;
      }
      records.push(record);
      lines.push(start);
    }
  } catch (e) {
    if (e instanceof InvalidUtf8Error || e instanceof DataError || e instanceof CancelledError) throw e;
    if (e instanceof Error && e.name === 'AbortError') throw new CancelledError();
    if (e instanceof CsvError) {
      if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
        throw new DataError('unterminated quoted field: a cell opens with " and never closes', file, nextLine);
      }
      if (e.code === 'CSV_MAX_RECORD_SIZE') {
        const limit = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
        throw new DataError(`a record is longer than ${limit} characters (an unterminated quoted field?)`, file, nextLine);
      }
      throw new DataError(`cannot parse as delimited text: ${e.message.replace(/^[^:]*:\s*/, '')}`, file, nextLine);
    }
    throw e;
  } finally {
    parser.destroy();
    await producer;
  }
  if (records.length === 0) throw new DataError('the file is empty (only blank lines)', file);
  if (blankRecords > 0) notes.push(`${name}: ${blankRecords} whitespace-only line(s) skipped.`);

  const lineArr = lines.toArray();
  const hasHeader = looksLikeHeader(records);
  let header: string[];
  let dataStart: number;
  if (hasHeader) {
    header = records[0].map((h) => h.trim());
    dataStart = 1;
  } else {
    header = records[0].map((_, j) => `column ${j + 1}`);
    dataStart = 0;
    notes.push(`${name}: no header row detected (the first row looks like data): columns are named "column 1", "column 2", ...`);
  }
  let rows = records.slice(dataStart);
  let rowLine = lineArr.subarray(dataStart, lineArr.length);
  if (rows.length === 0) throw new DataError('the file has a header row but no data rows', file, lineArr[0]);
  if (rows.length > maxRows) {
    rows = rows.slice(0, maxRows);
    rowLine = rowLine.subarray(0, maxRows);
    truncated = true;
  }
  if (truncated) notes.push(`${name}: only the first ${maxRows} data rows were loaded (maxRows).`);

  // Header cells that end in an empty name (a trailing delimiter on the header line) become columns too.
  const width = fixRaggedRows(header, rows, rowLine, file, notes);
  header = uniqueHeader(header.slice(0, width), notes, name);
  return { header, rows, rowLine: Int32Array.from(rowLine), delimiter, notes };
}

/**
 * Rows shorter than the header are padded with missing cells (note); extra cells that are all
 * empty (a trailing delimiter) are dropped (note); extra cells holding values are an error,
 * since the row cannot be lined up with the header. Returns the table width.
 */
function fixRaggedRows(header: string[], rows: string[][], rowLine: Int32Array, file: string, notes: string[]): number {
  const width = header.length;
  const name = path.basename(file);
  let short = 0;
  let firstShort = 0;
  let trailing = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.length === width) continue;
    if (r.length < width) {
      if (short++ === 0) firstShort = rowLine[i];
      while (r.length < width) r.push('');
      continue;
    }
    for (let j = width; j < r.length; j++) {
      if (r[j].trim() !== '') {
        throw new DataError(`row has ${r.length} fields but the header has ${width} (value "${truncate(r[j])}" in field ${j + 1} has no column)`, file, rowLine[i]);
      }
    }
    r.length = width;
    trailing++;
  }
  if (short > 0) notes.push(`${name}: ${short} row(s) have fewer fields than the header (first at line ${firstShort}); the missing cells are treated as missing values.`);
  if (trailing > 0) notes.push(`${name}: ${trailing} row(s) end with extra empty fields (trailing delimiter); ignored.`);
  return width;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Empty names become `column j`; repeated names get ` (2)`, ` (3)` suffixes. */
export function uniqueHeader(header: readonly string[], notes: string[], name: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const renamed: string[] = [];
  for (let j = 0; j < header.length; j++) {
    const base = header[j] === '' ? `column ${j + 1}` : header[j];
    let candidate = base;
    for (let k = 2; seen.has(candidate); k++) candidate = `${base} (${k})`;
    if (candidate !== base) renamed.push(`"${candidate}"`);
    seen.add(candidate);
    out.push(candidate);
  }
  if (renamed.length > 0) {
    const shown = renamed.slice(0, 5).join(', ') + (renamed.length > 5 ? `, ... (${renamed.length} in all)` : '');
    notes.push(`${name}: duplicate column names were made unique: ${shown}.`);
  }
  return out;
}

/**
 * Header detection: the first row is a header when one of its cells is text in a column whose
 * other values are mostly numbers; it is data when all its cells are numbers. For all-text
 * tables it is a header when its values are non-empty and none reappears below in its column.
 */
export function looksLikeHeader(records: readonly (readonly string[])[]): boolean {
  const first = records[0];
  const sample = records.slice(1, 201);
  const num = new Float64Array(1);
  let allNumeric = true;
  for (const cell of first) {
    const c = parseCell(cell, num);
    if (c !== CELL_NUMBER && c !== CELL_NONFINITE) allNumeric = false;
  }
  if (allNumeric) return false;
  if (sample.length === 0) return true;
  let textColumnsRepeat = false;
  let anyEmpty = false;
  for (let j = 0; j < first.length; j++) {
    const c = parseCell(first[j], num);
    if (c === CELL_MISSING) {
      if (first[j].trim() === '') anyEmpty = true;
      continue;
    }
    if (c === CELL_NUMBER || c === CELL_NONFINITE) continue;
    let numeric = 0;
    let present = 0;
    for (const r of sample) {
      if (j >= r.length) continue;
      const k = parseCell(r[j], num);
      if (k === CELL_MISSING) continue;
      present++;
      if (k === CELL_NUMBER || k === CELL_NONFINITE) numeric++;
      else if (r[j].trim() === first[j].trim()) textColumnsRepeat = true;
    }
    if (present > 0 && numeric >= 0.8 * present) return true;
  }
  return !anyEmpty && !textColumnsRepeat;
}
