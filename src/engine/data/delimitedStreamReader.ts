/**
 * A table-reader (tableReader.ts) over a stream of delimited text that can be read only once:
 * standard input, as `neon-cluster explain -` receives a partition from Spark's `RDD.pipe`
 * or a Dask task. The first record is the header; the delimiter is sniffed from the first
 * block (comma, semicolon, tab, pipe). Cells go through the shared cell rules
 * (CellColumnBuilder.pushText), so a streamed row reads exactly as the same row of a file.
 * Memory: one chunk of rows plus csv-parse's buffer, whatever the stream's length.
 */
import type { Readable } from 'node:stream';
import { CsvError, parse, type Parser } from 'csv-parse';
import { CancelledError, DataError } from '../errors';
import { CellColumnBuilder } from './cellColumn';
import { sniffDelimiter } from './delimiter';
import { uniqueColumnNames } from './headerNames';
import { MissingValueRule } from './missingValues';
import type { ChunkOptions, OpenTableOptions, TableChunk, TableReader, TableSchema } from './tableReader';

const DEFAULT_CHUNK_ROWS = 65_536;
const STREAM_DICTIONARY_LIMIT = 1 << 18;

class DelimitedStreamReader implements TableReader {
  private consumed = false;

  constructor(
    readonly schema: TableSchema,
    private readonly records: AsyncIterator<string[]>,
    private readonly parser: Parser,
    private readonly rule: MissingValueRule,
    private readonly lineOf: () => number,
  ) {}

  async *chunks(options: ChunkOptions = {}): AsyncGenerator<TableChunk> {
    if (this.consumed) throw new Error('DelimitedStreamReader.chunks() can be called only once');
    this.consumed = true;
    const { file } = this.schema;
    const width = this.schema.columns.length;
    const maxRows = options.maxRows ?? Number.MAX_SAFE_INTEGER;
    const chunkRows = Math.max(1, Math.min(options.chunkRows ?? DEFAULT_CHUNK_ROWS, maxRows));
    const builders = Array.from({ length: width }, () => new CellColumnBuilder(this.rule, chunkRows, options.wholeTable ? Number.POSITIVE_INFINITY : STREAM_DICTIONARY_LIMIT));
    let rowLine = new Int32Array(chunkRows);
    let pending = 0;
    let emitted = 0;
    let short = 0;
    const flush = (notes: string[]): TableChunk => {
      const chunk: TableChunk = { firstRow: emitted, rows: pending, rowLine: rowLine.subarray(0, pending), columns: builders.map((b) => b.finish()), notes };
      emitted += pending;
      pending = 0;
      rowLine = new Int32Array(chunkRows);
      return chunk;
    };
    let truncated = false;
    try {
      for (;;) {
        if (options.signal?.aborted) throw new CancelledError();
        const next = await this.records.next();
        if (next.done) break;
        const record = next.value;
        if (record.length === 1 && record[0].trim() === '') continue; // blank line
        if (emitted + pending >= maxRows) {
          truncated = true;
          break;
        }
        if (record.length > width && record.slice(width).some((c) => c.trim() !== '')) {
          throw new DataError(`row has ${record.length} fields but the header has ${width}`, file, this.lineOf());
        }
        if (record.length < width) short++;
        for (let j = 0; j < width; j++) {
          const cell = record[j];
          if (cell === undefined) builders[j].pushEmpty();
          else builders[j].pushText(cell);
        }
        rowLine[pending] = this.lineOf();
        if (++pending === chunkRows) yield flush([]);
      }
    } catch (e) {
      if (e instanceof CsvError) throw new DataError(`cannot parse as delimited text: ${e.message.replace(/^[^:]*:\s*/, '')}`, file, this.lineOf());
      throw e;
    } finally {
      if (truncated) this.parser.destroy();
    }
    const notes: string[] = [];
    if (short > 0) notes.push(`${file}: ${short} row(s) have fewer fields than the header; the missing cells are treated as missing values.`);
    if (truncated) notes.push(`${file}: only the first ${maxRows} data rows were read (maxRows).`);
    if (pending > 0 || notes.length > 0) yield flush(notes);
  }

  async close(): Promise<void> {
    this.parser.destroy();
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

/**
 * Opens a readable stream of delimited text with a header row. `name` stands for the stream
 * in messages (e.g. "stdin"). Throws DataError when the stream is empty.
 */
export async function openDelimitedStream(stream: Readable, name: string, options: OpenTableOptions & { delimiter?: string } = {}): Promise<TableReader> {
  stream.setEncoding('utf8');
  // The first block decides the delimiter; it is then fed to the parser like every other block.
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  let first = '';
  while (first.indexOf('\n') < 0) {
    const next = await iterator.next();
    if (next.done) break;
    first += next.value;
  }
  if (first.replace(/^\uFEFF/, '').trim() === '') throw new DataError('is empty: expected a header row and data rows', name);
  const delimiter = options.delimiter ?? sniffDelimiter(first.slice(0, 64 * 1024), false);
  const parser = parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, record_delimiter: ['\r\n', '\n', '\r'] });
  // 1-based line where the last record started: each record starts one line after the previous
  // one ended (csv-parse's own counter runs ahead of the records consumed).
  let line = 0;
  let nextLine = 1;
  const feed = (async () => {
    try {
      const write = async (s: string): Promise<void> => {
        if (parser.destroyed) return;
        if (!parser.write(s)) await new Promise<void>((resolve) => parser.once('drain', resolve).once('close', resolve));
      };
      await write(first);
      for (;;) {
        if (parser.destroyed) break;
        const next = await iterator.next();
        if (next.done) break;
        await write(next.value);
      }
      if (!parser.destroyed) parser.end();
    } catch (e) {
      parser.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  void feed;
  const records = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();
  const counted: AsyncIterator<string[]> = {
    async next() {
      const r = await records.next();
      if (!r.done) {
        line = nextLine;
        nextLine = line + 1 + lineBreaks(r.value);
      }
      return r;
    },
  };
  const head = await counted.next();
  if (head.done) throw new DataError('is empty: expected a header row and data rows', name);
  const notes: string[] = [];
  const header = uniqueColumnNames(head.value.map((h) => h.trim()), notes, name);
  const schema: TableSchema = {
    file: name,
    format: 'csv',
    columns: header.map((n, j) => ({ name: n, sourceName: head.value[j], sourceIndex: j, storage: 'text' as const })),
    delimiter,
    hasLines: true,
    sizeBytes: 0,
    notes,
  };
  return new DelimitedStreamReader(schema, counted, parser, new MissingValueRule(options), () => line);
}
