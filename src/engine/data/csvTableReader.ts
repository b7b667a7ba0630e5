/**
 * The CSV / TSV table reader (TableReader implementation, see tableReader.ts): bytes are
 * tokenized in place (csvTokenizer.ts) and each field goes straight into its column's typed
 * arrays. Plain numbers are parsed from the bytes without a string (Clinger's fast path:
 * ≤ 15 significant digits and a power of ten ≤ 22 is one correctly rounded operation; anything
 * else goes through `Number`, so every value is the correctly rounded double); other cells go
 * through the shared cell rules (cells.ts).
 *
 * What spreadsheets and exports write is handled here: a UTF-8/UTF-16 BOM, UTF-16 and
 * Windows-1252 files (transcoded to UTF-8 block by block), invalid UTF-8 part-way (read as
 * Windows-1252 from there, with a note), Excel's `sep=;` first line, comment lines (`#`),
 * blank and whitespace-only lines, a header row repeated mid-file, rows with a trailing
 * delimiter, short rows (padded as missing), rows with extra values (skipped with a note
 * naming the line and field; the other rows are kept), no final newline, mixed line endings.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { CancelledError, DataError } from '../errors';
import { CellColumnBuilder } from './cellColumn';
import { FIELD_ESCAPED, FIELD_MESSY, FIELD_QUOTED, CsvTokenizer, fieldText, NUM_NONE, NUM_POINT, type RecordSink, type UnterminatedQuote } from './csvTokenizer';
import { delimiterForExtension, sniffDelimiter } from './delimiter';
import { decodeWindows1252, MAX_STREAMED_BYTES, readHead, sniffEncoding, SNIFF_BYTES, statDataFile, type EncodingGuess } from './fileText';
import { hasTextOverNumbers, looksLikeHeader, uniqueColumnNames } from './headerNames';
import { MissingValueRule } from './missingValues';
import { CELL_NONFINITE, CELL_POINT_AMBIGUOUS } from './numberFormat';
import type { ChunkOptions, OpenTableOptions, TableChunk, TableReader, TableSchema } from './tableReader';
import { extraValuesRowsNote, unterminatedQuoteNote } from './skippedRecords';

const BLOCK_BYTES = 4 * 1024 * 1024;
/** Bytes of the file's start used to sniff the delimiter and the header. */
const HEAD_BYTES = 256 * 1024;
const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
const DEFAULT_CHUNK_ROWS = 65_536;
/** Upper bound on rows x columns of one chunk (memory of a chunk ≈ 13 bytes per cell). */
const CHUNK_CELLS = 1 << 22;
/** Records looked at for header detection and the column count without a header. */
const HEAD_RECORDS = 201;
/** Streaming: a column with more distinct texts than this restarts its dictionary per chunk. */
const STREAM_DICTIONARY_LIMIT = 1 << 18;

const HASH = 35;
const PLAIN_EXPONENT = /^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;

function latin1(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Raw bytes of the input, block by block. */
interface RawBlocks {
  /**
   * The next block, after `room` bytes left for the caller: the caller writes the bytes it
   * carries over from the previous block there, so a block boundary costs no copy of the
   * block. The buffer may be reused by the next call. Undefined at the end of the input.
   */
  next(room: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

const NO_BYTES = Buffer.alloc(0);

/** A file from a byte offset. Asynchronous reads: each block returns to the event loop, so a worker sees Cancel promptly. */
class FileBlocks implements RawBlocks {
  private fh: fs.promises.FileHandle | undefined;
  /** One buffer for every block: a fresh 4 MB buffer per block cost ~8 % of a read in page faults. */
  private buffer: Buffer | undefined;
  constructor(
    private readonly file: string,
    private offset: number,
  ) {}

  async next(room: number): Promise<Buffer | undefined> {
    this.fh ??= await fs.promises.open(this.file, 'r');
    if (!this.buffer || this.buffer.length < room + BLOCK_BYTES) this.buffer = Buffer.allocUnsafe(room + BLOCK_BYTES);
    const raw = this.buffer;
    const { bytesRead } = await this.fh.read(raw, room, BLOCK_BYTES, this.offset);
    this.offset += bytesRead;
    return bytesRead === 0 ? undefined : raw.subarray(0, room + bytesRead);
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }
}

/** A stream read once: its buffered head blocks replayed (from `skip` bytes on), then the rest of the stream. */
class ReplayBlocks implements RawBlocks {
  private i = 0;
  constructor(
    private readonly head: readonly Buffer[],
    private readonly rest: AsyncIterator<Uint8Array> | undefined,
    private skip: number,
  ) {}

  async next(room: number): Promise<Buffer | undefined> {
    const b = await this.block();
    return b === undefined || room === 0 ? b : Buffer.concat([Buffer.alloc(room), b]);
  }

  private async block(): Promise<Buffer | undefined> {
    while (this.i < this.head.length) {
      let b = this.head[this.i++];
      if (this.skip > 0) {
        const cut = Math.min(this.skip, b.length);
        b = b.subarray(cut);
        this.skip -= cut;
      }
      if (b.length > 0) return b;
    }
    if (!this.rest) return undefined;
    const r = await this.rest.next();
    return r.done ? undefined : Buffer.from(r.value);
  }

  async close(): Promise<void> {
    await this.rest?.return?.(undefined);
  }
}

/** UTF-8 blocks of the input in any supported encoding. Switches to Windows-1252 at invalid UTF-8. */
class Utf8Source {
  private carry = Buffer.alloc(0);
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  encoding: EncodingGuess['encoding'];
  /** Set when the file turned out not to be UTF-8 part-way. */
  switchedAtByte = -1;
  /** Raw bytes consumed, including the byte-order mark. */
  bytesRead: number;

  constructor(
    private readonly raw: RawBlocks,
    guess: EncodingGuess,
  ) {
    this.bytesRead = guess.bomBytes;
    this.encoding = guess.encoding;
    if (guess.encoding === 'utf-16le' || guess.encoding === 'utf-16be') this.decoder = new TextDecoder(guess.encoding, { ignoreBOM: true });
  }

  /**
   * `prefix` followed by the next block as UTF-8 bytes, in one buffer valid until the next
   * call; undefined at the end of the input (the prefix is then the caller's to finish).
   */
  async next(prefix: Uint8Array = NO_BYTES): Promise<Buffer | undefined> {
    if (this.decoder || this.encoding === 'windows-1252') return withPrefix(prefix, await this.transcoded());
    // UTF-8 from a file: the prefix and the held-back bytes of a cut sequence go in front of
    // the block in the block's own buffer; the new bytes are validated in place.
    const held = this.carry.length;
    const block = await this.raw.next(prefix.length + held);
    if (block === undefined) return withPrefix(prefix, await this.transcoded(NO_BYTES));
    this.bytesRead += block.length - prefix.length - held;
    block.set(prefix, 0);
    block.set(this.carry, prefix.length);
    const fresh = block.subarray(prefix.length);
    const cut = completeUtf8Prefix(fresh);
    if (isUtf8(fresh.subarray(0, cut))) {
      this.carry = Buffer.from(fresh.subarray(cut));
      return block.subarray(0, prefix.length + cut);
    }
    this.switchedAtByte = this.bytesRead - fresh.length;
    this.encoding = 'windows-1252';
    this.carry = NO_BYTES;
    return withPrefix(prefix, Buffer.from(decodeWindows1252(fresh), 'utf8'));
  }

  /** The next block of a UTF-16 / Windows-1252 input (or the end of a UTF-8 one) as UTF-8. */
  private async transcoded(given?: Buffer): Promise<Buffer | undefined> {
    const block = given ?? (await this.raw.next(0));
    const last = block === undefined || block.length === 0;
    const bytes = block ?? Buffer.alloc(0);
    this.bytesRead += bytes.length;
    if (this.decoder) {
      const s = this.decoder.decode(bytes, { stream: !last });
      return s === '' && last ? undefined : Buffer.from(s, 'utf8');
    }
    if (this.encoding === 'windows-1252') return last ? undefined : Buffer.from(decodeWindows1252(bytes), 'utf8');
    // UTF-8: hold back a multi-byte sequence cut at the block end, validate the rest.
    const all = this.carry.length ? Buffer.concat([this.carry, bytes]) : bytes;
    if (all.length === 0) return undefined;
    const cut = last ? all.length : completeUtf8Prefix(all);
    const body = all.subarray(0, cut);
    if (isUtf8(body)) {
      this.carry = Buffer.from(all.subarray(cut));
      return body;
    }
    // Not UTF-8 after all: everything from this block on is Windows-1252.
    this.switchedAtByte = this.bytesRead - bytes.length - this.carry.length;
    this.encoding = 'windows-1252';
    this.carry = Buffer.alloc(0);
    return Buffer.from(decodeWindows1252(all), 'utf8');
  }

  async close(): Promise<void> {
    await this.raw.close();
  }
}

function withPrefix(prefix: Uint8Array, block: Buffer | undefined): Buffer | undefined {
  return block === undefined || prefix.length === 0 ? block : Buffer.concat([prefix, block]);
}

/** Length of the longest prefix of `b` that does not end inside a UTF-8 sequence. */
function completeUtf8Prefix(b: Buffer): number {
  const n = b.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const c = b[n - back];
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    if (c < 0x80) return n;
    const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return back < len ? n - back : n;
  }
  return n;
}

/** Collects the first records as strings (header detection, column count). */
class HeadSink implements RecordSink {
  readonly records: string[][] = [];
  readonly lines: number[] = [];
  /** Records tokenized, blank ones included. */
  seen = 0;
  record(buf: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, fields: number, line: number): boolean {
    this.seen++;
    const r: string[] = new Array(fields);
    for (let j = 0; j < fields; j++) r[j] = fieldText(buf, starts[j], ends[j], flags[j]);
    if (r.every((c) => c.trim() === '')) return true;
    this.records.push(r);
    this.lines.push(line);
    return this.records.length < HEAD_RECORDS + 8;
  }

  /** A quote that never closes: read on below it (the data pass reports it), unless it is in the first record. */
  skipUnterminated(): boolean {
    return this.records.length > 0;
  }
}

interface HeadInfo {
  delimiter: string;
  /** Non-blank records before the first data row (sep= line, comments, header). */
  preambleRecords: number;
  header: string[] | undefined;
  width: number;
  /** The file has comment lines before its header: `#` lines are comments everywhere. */
  usesComments: boolean;
  notes: string[];
  headerLine: number;
  /** Mean bytes per record of the file's head (0: unknown), to size a one-chunk read. */
  bytesPerRecord: number;
}

const SEP_LINE = /^"?sep=(.)"?[ \t]*(?:\r\n|\n|\r|$)/i;

/** Reads the start of the file: delimiter, `sep=` line, leading comments, header. */
async function readHeadInfo(file: string, guess: EncodingGuess, rule: MissingValueRule, raw: RawBlocks, partial = false): Promise<HeadInfo> {
  const name = path.basename(file);
  const source = new Utf8Source(raw, guess);
  const parts: Buffer[] = [];
  let total = 0;
  let whole = false;
  try {
    while (total < HEAD_BYTES) {
      const b = await source.next();
      if (!b) {
        whole = true;
        break;
      }
      parts.push(Buffer.from(b)); // the source reuses its buffer
      total += b.length;
    }
  } finally {
    await source.close();
  }
  // A stream's buffered head ends before the stream does.
  if (partial) whole = false;
  const bytes = Buffer.concat(parts);
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new DataError('the file is empty (no text)', file);
  const notes: string[] = [];
  let delimiter: string;
  const sep = SEP_LINE.exec(text);
  if (sep) {
    delimiter = sep[1];
    notes.push(`${name}: first line "${sep[0].trim()}" (Excel's delimiter line) names the delimiter ${JSON.stringify(delimiter)}; it is not data.`);
  } else {
    delimiter = sniffDelimiter(text, whole, delimiterForExtension(file));
  }
  const sink = new HeadSink();
  const tokenizer = new CsvTokenizer(delimiter.charCodeAt(0), sink, file, DEFAULT_MAX_RECORD_BYTES);
  let bytesPerRecord = 0;
  try {
    const used = tokenizer.parse(bytes, bytes.length, whole);
    if (sink.seen > 0) bytesPerRecord = used / sink.seen;
  } catch (e) {
    // A broken record below the header: decide the header from the records before it; the
    // data pass then reports the error with the column's name.
    if (!(e instanceof DataError) || sink.records.length === 0) throw e;
  }
  let records = sink.records;
  let lines = sink.lines;
  // The first record opens a quote that never closes: no header or row can be read.
  if (records.length === 0 && tokenizer.unterminated) throw tokenizer.unterminatedError();
  if (records.length === 0) throw new DataError('the file is empty (only blank lines)', file);
  let preamble = 0;
  if (sep) {
    preamble = 1;
    records = records.slice(1);
    lines = lines.slice(1);
  }
  // Leading `#` lines are comments, unless the rows below have no header of their own and the
  // last `#` line has exactly their fields (a header like `#,name,value`).
  const isHash = (r: readonly string[]): boolean => r[0].trimStart().startsWith('#');
  let hashLines = 0;
  while (hashLines < records.length && isHash(records[hashLines])) hashLines++;
  let comments = hashLines;
  if (hashLines > 0 && hashLines < records.length) {
    const rest = records.slice(hashLines);
    const width0 = modeOf(rest.map((r) => r.length));
    const last = records[hashLines - 1];
    if (!hasTextOverNumbers(rest, rule) && last.length === width0 && width0 > 1 && hasTextOverNumbers([last, ...rest], rule)) comments = hashLines - 1;
  }
  records = records.slice(comments);
  lines = lines.slice(comments);
  preamble += comments;
  if (comments > 0) notes.push(`${name}: ${comments} comment line(s) starting with "#" before the header skipped.`);
  if (records.length === 0) throw new DataError('the file has no rows (only comment lines)', file);
  const hasHeader = looksLikeHeader(records, rule);
  let header: string[] | undefined;
  let width: number;
  if (hasHeader) {
    header = records[0].map((h) => h.trim());
    width = header.length;
    preamble++;
    // (A quote that never closes below the header: the data pass names its line and column.)
    if (records.length === 1 && whole && !tokenizer.unterminated) throw new DataError('the file has a header row but no data rows', file, lines[0]);
  } else {
    width = Math.max(...records.map((r) => r.length));
    notes.push(`${name}: no header row detected (the first row looks like data): columns are named "column 1", "column 2", ...`);
  }
  return { delimiter, preambleRecords: preamble, header, width, usesComments: comments > 0, notes, headerLine: hasHeader ? lines[0] : 0, bytesPerRecord };
}

function modeOf(xs: readonly number[]): number {
  const freq = new Map<number, number>();
  let best = 0;
  let bestF = 0;
  for (const x of xs) {
    const f = (freq.get(x) ?? 0) + 1;
    freq.set(x, f);
    if (f > bestF || (f === bestF && x > best)) {
      best = x;
      bestF = f;
    }
  }
  return best;
}

/** Counts of repaired / skipped input, turned into notes at the end. */
interface Repairs {
  whitespaceLines: number;
  comments: number;
  firstComment: number;
  repeatedHeaders: number;
  firstRepeatedHeader: number;
  short: number;
  firstShort: number;
  trailing: number;
  badRows: number;
  badExamples: string[];
  firstBadLine: number;
  /** Quoted fields over several lines whose closing quote is followed by text: a stray quote (trial s21 D5). */
  strayQuotes: number;
  firstStrayQuote: { line: number; column: string; lines: number; delimiters: number } | undefined;
  /** Records skipped for a quoted field that never closes (review7 F3), the lines they held, the first few. */
  unterminated: number;
  unterminatedLines: number;
  unterminatedExamples: UnterminatedQuote[];
}

/** Turns records into typed columns, chunk by chunk. */
class ColumnSink implements RecordSink {
  readonly builders: CellColumnBuilder[];
  rowLine: Int32Array;
  /** Row numbers counting skipped records (allocated at the first skipped record; see TableChunk.rowIndex). */
  rowIndex: Int32Array | undefined;
  /** Data records skipped so far (too many values, repeated header): pandas would number them. */
  skippedRecords = 0;
  n = 0;
  rows = 0;
  firstRow = 0;
  truncated = false;
  readonly ready: TableChunk[] = [];
  /** Set (to the file's name for the message): a row with too many values is a DataError, not skipped (ChunkOptions.onBadLines). */
  badRowsFile: string | undefined;
  readonly repairs: Repairs = {
    whitespaceLines: 0, comments: 0, firstComment: 0, repeatedHeaders: 0, firstRepeatedHeader: 0,
    short: 0, firstShort: 0, trailing: 0, badRows: 0, badExamples: [], firstBadLine: 0, strayQuotes: 0, firstStrayQuote: undefined,
    unterminated: 0, unterminatedLines: 0, unterminatedExamples: [],
  };
  private skip: number;
  private readonly headerBytes: Buffer[] | undefined;
  private readonly numericNa: boolean;
  /** Per column: bytes -> text of recent short texts (null: too many distinct texts to cache). */
  private readonly textCache: (Map<number, { bytes: Uint8Array; text: string }> | null | undefined)[] = [];

  /** Rows the arrays of the current chunk hold (≤ chunkRows; grows when a one-chunk read was underestimated). */
  private capacity: number;

  constructor(
    private readonly head: HeadInfo,
    private readonly rule: MissingValueRule,
    private readonly chunkRows: number,
    private readonly maxRows: number,
    dictionaryLimit: number,
    capacity = chunkRows,
  ) {
    this.capacity = Math.min(capacity, chunkRows);
    this.builders = Array.from({ length: head.width }, () => new CellColumnBuilder(rule, this.capacity, dictionaryLimit));
    this.rowLine = new Int32Array(this.capacity);
    this.skip = head.preambleRecords;
    this.headerBytes = head.header?.map((h) => Buffer.from(h, 'utf8'));
    this.numericNa = rule.numericTokens.size > 0;
  }

  record(buf: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, fields: number, line: number, numbers: Uint8Array, values: Float64Array, extraLines: number): boolean {
    if (extraLines > 0) this.checkStrayQuote(buf, starts, ends, flags, fields, line);
    // Blank line (one empty field) or whitespace-only line.
    if (fields === 1 && starts[0] === ends[0] && flags[0] === 0) return true;
    if (isBlank(buf, starts, ends, fields)) {
      if (this.skip === 0 || fields > 1 || flags[0] !== 0 || ends[0] > starts[0]) this.repairs.whitespaceLines++;
      return true;
    }
    if (this.skip > 0) {
      this.skip--;
      return true;
    }
    const width = this.head.width;
    if (flags[0] === 0 && ends[0] > starts[0] && buf[firstNonSpace(buf, starts[0], ends[0])] === HASH && (this.head.usesComments || fields !== width)) {
      if (this.repairs.comments++ === 0) this.repairs.firstComment = line;
      return true;
    }
    if (this.headerBytes && fields === width && this.isHeaderAgain(buf, starts, ends, flags, fields)) {
      if (this.repairs.repeatedHeaders++ === 0) this.repairs.firstRepeatedHeader = line;
      this.skipRecord();
      return true;
    }
    let used = fields;
    if (fields > width) {
      for (let j = width; j < fields; j++) {
        if (firstNonSpace(buf, starts[j], ends[j]) < ends[j]) {
          const value = fieldText(buf, starts[j], ends[j], flags[j]).trim();
          const what = `${fields} fields; "${value.length > 30 ? value.slice(0, 27) + '...' : value}" in field ${j + 1} has no column`;
          if (this.badRowsFile !== undefined) throw new DataError(`the row has more values than the header has columns (${what}); this read stops at such a row (pandas on_bad_lines='error'), without it the row is skipped and the others kept`, this.badRowsFile, line);
          if (this.repairs.badRows++ === 0) this.repairs.firstBadLine = line;
          if (this.repairs.badExamples.length < 3) this.repairs.badExamples.push(`line ${line} (${what})`);
          this.skipRecord();
          return true;
        }
      }
      this.repairs.trailing++;
      used = width;
    } else if (fields < width) {
      if (this.repairs.short++ === 0) this.repairs.firstShort = line;
    }
    if (this.rows >= this.maxRows) {
      this.truncated = true;
      return false;
    }
    if (this.n === this.capacity) this.grow();
    const b = this.builders;
    if (this.numericNa) {
      for (let j = 0; j < used; j++) this.cell(j, b[j], buf, starts[j], ends[j], flags[j]);
    } else {
      for (let j = 0; j < used; j++) {
        // Plain numbers were parsed by the tokenizer; everything else goes through cell().
        const k = numbers[j];
        if (k === NUM_NONE) this.cell(j, b[j], buf, starts[j], ends[j], flags[j]);
        else {
          const bj = b[j];
          bj.values[bj.n++] = values[j];
          if (k === NUM_POINT) bj.evidence.decimalPoint++;
        }
      }
    }
    for (let j = used; j < width; j++) b[j].pushEmpty();
    if (this.rowIndex) this.rowIndex[this.n] = this.rows + this.skippedRecords;
    this.rowLine[this.n++] = line;
    this.rows++;
    if (this.n === this.chunkRows) this.flush([]);
    return true;
  }

  /**
   * A quoted field over several lines whose closing quote is followed by text (`"60.000,00;…⏎
   * …;"Rückruf erbeten,`) is a stray quote: it opened a field that ran on to the next quote,
   * an opening one, merging the lines between into one cell. pandas reads it the same way
   * without a word; we name where it opened (trial s21 D5). A proper multi-line cell ends at
   * its closing quote.
   */
  private checkStrayQuote(buf: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, fields: number, line: number): void {
    for (let j = 0; j < fields; j++) {
      if ((flags[j] & (FIELD_QUOTED | FIELD_MESSY)) !== (FIELD_QUOTED | FIELD_MESSY)) continue;
      const breaks = lineBreaks(buf, starts[j], ends[j]);
      if (breaks === 0) continue;
      if (this.repairs.strayQuotes++ > 0) continue;
      const d = this.head.delimiter.charCodeAt(0);
      let delimiters = 0;
      for (let p = starts[j]; p < ends[j]; p++) if (buf[p] === d) delimiters++;
      this.repairs.firstStrayQuote = {
        line: line + lineBreaks(buf, starts[0], starts[j]),
        column: this.head.header?.[j] ?? `column ${j + 1}`,
        lines: breaks + 1,
        delimiters,
      };
    }
  }

  private isHeaderAgain(buf: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, fields: number): boolean {
    const h = this.headerBytes as Buffer[];
    if (!bytesEqualTrimmed(buf, starts[0], ends[0], h[0])) return false;
    for (let j = 1; j < fields; j++) {
      if (flags[j] & (FIELD_ESCAPED | FIELD_MESSY)) {
        if (fieldText(buf, starts[j], ends[j], flags[j]).trim() !== (this.head.header as string[])[j]) return false;
      } else if (!bytesEqualTrimmed(buf, starts[j], ends[j], h[j])) return false;
    }
    return true;
  }

  /** One field into its column: plain numbers from the bytes, anything else as text. */
  private cell(j: number, b: CellColumnBuilder, buf: Uint8Array, s: number, e: number, flags: number): void {
    if (flags & (FIELD_ESCAPED | FIELD_MESSY)) {
      b.pushText(fieldText(buf, s, e, flags));
      return;
    }
    let c = buf[s];
    if (c === 32 || c === 9) {
      while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
      c = buf[s];
    }
    while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
    if (s === e) {
      b.pushEmpty();
      return;
    }
    // Plain number: [+-] digits [. digits] [e [+-] digits], parsed without a string.
    let i = s;
    let negative = false;
    if (c === 45) {
      negative = true;
      i++;
    } else if (c === 43) i++;
    let mant = 0;
    let sig = 0;
    const intStart = i;
    // Leading zeros are not significant digits.
    while (i < e && buf[i] === 48) i++;
    while (i < e) {
      c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      mant = mant * 10 + c;
      sig++;
      i++;
    }
    const intDigits = i - intStart;
    let frac = 0;
    let point = false;
    if (i < e && buf[i] === 46) {
      point = true;
      const fracStart = ++i;
      if (sig === 0) while (i < e && buf[i] === 48) i++;
      const sigStart = i;
      while (i < e) {
        c = buf[i] - 48;
        if (c < 0 || c > 9) break;
        mant = mant * 10 + c;
        i++;
      }
      sig += i - sigStart;
      frac = i - fracStart;
    }
    if (i !== e || intDigits + frac === 0) {
      this.notPlain(j, b, buf, s, e, i, intDigits + frac > 0);
      return;
    }
    let v: number;
    if (sig <= 15 && frac <= 22) v = negative ? -mant / POW10[frac] : mant / POW10[frac];
    else v = Number(latin1(buf, s, e)); // more than 15 significant digits: exact via Number
    if (this.numericNa && this.rule.isNumericToken(v)) {
      b.pushText(latin1(buf, s, e));
      return;
    }
    if (v === Infinity || v === -Infinity) {
      // 400 digits without an exponent overflow too.
      b.pushKind(CELL_NONFINITE, v);
      return;
    }
    if (point) {
      // `1.299`: a decimal point or a thousands point? The column decides (numberFormat.ts).
      if (frac === 3 && intDigits >= 1 && intDigits <= 3 && buf[negative || buf[s] === 43 ? s + 1 : s] !== 48) {
        this.ambiguousPoint(b, buf, s, e, v);
        return;
      }
      b.evidence.decimalPoint++;
    }
    b.values[b.n++] = v;
  }

  /** Not [+-]digits[.digits]: an exponent (still plain), or text for the shared rules. */
  private notPlain(j: number, b: CellColumnBuilder, buf: Uint8Array, s: number, e: number, at: number, digits: boolean): void {
    const c = buf[at];
    if (digits && (c === 101 || c === 69) && PLAIN_EXPONENT.test(latin1(buf, s, e))) {
      const text = latin1(buf, s, e);
      const v = Number(text);
      if (this.numericNa && this.rule.isNumericToken(v)) {
        b.pushText(text);
        return;
      }
      if (!Number.isFinite(v)) {
        b.pushKind(CELL_NONFINITE, v);
        return;
      }
      if (text.includes('.')) b.evidence.decimalPoint++;
      b.values[b.n++] = v;
      return;
    }
    b.pushText(this.textOf(j, buf, s, e));
  }

  /**
   * The text of a short field, from a per-column cache keyed by its bytes: a categorical column
   * repeats a few values, so most cells need no new string. Columns with many distinct short
   * texts stop caching.
   */
  private textOf(j: number, buf: Uint8Array, s: number, e: number): string {
    const len = e - s;
    let cache = this.textCache[j];
    if (len > 32 || cache === null) return Buffer.from(buf.buffer, buf.byteOffset + s, len).toString('utf8');
    let h = 0x811c9dc5 ^ len;
    for (let k = s; k < e; k++) h = Math.imul(h ^ buf[k], 0x01000193);
    if (cache === undefined) cache = this.textCache[j] = new Map();
    const hit = cache.get(h);
    if (hit !== undefined && hit.bytes.length === len) {
      let same = true;
      for (let k = 0; k < len; k++) {
        if (hit.bytes[k] !== buf[s + k]) {
          same = false;
          break;
        }
      }
      if (same) return hit.text;
    }
    const text = Buffer.from(buf.buffer, buf.byteOffset + s, len).toString('utf8');
    if (cache.size >= 256) this.textCache[j] = null;
    else cache.set(h, { bytes: Uint8Array.from(buf.subarray(s, e)), text });
    return text;
  }

  private ambiguousPoint(b: CellColumnBuilder, buf: Uint8Array, s: number, e: number, v: number): void {
    const ev = b.evidence;
    ev.pointAmbiguous++;
    if (!ev.example.has('point-ambiguous')) ev.example.set('point-ambiguous', latin1(buf, s, e));
    b.pushKind(CELL_POINT_AMBIGUOUS, v);
  }

  /** More room in the current chunk (a one-chunk read holding more rows than estimated). */
  private grow(): void {
    this.capacity = Math.min(this.chunkRows, Math.ceil(this.capacity * 1.5) + 1024);
    for (const b of this.builders) b.grow(this.capacity);
    this.rowLine = grownInt32(this.rowLine, this.capacity);
    if (this.rowIndex) this.rowIndex = grownInt32(this.rowIndex, this.capacity);
  }

  /**
   * A record whose quoted field never closes: skipped like a row with too many values (its
   * lines through the quote's; the tokenizer reads on below), or, under onBadLines 'error',
   * the DataError naming its line and column (pandas: "EOF inside string").
   */
  skipUnterminated(q: UnterminatedQuote): boolean {
    if (this.badRowsFile !== undefined) {
      throw new DataError(`unterminated quoted field: the cell in field ${q.field} opens with " and never closes before the end of the file; this read stops at such a record (pandas: "EOF inside string"), without it the line is skipped and the others kept`, this.badRowsFile, q.line, q.column);
    }
    const r = this.repairs;
    r.unterminated++;
    r.unterminatedLines += q.lines;
    if (r.unterminatedExamples.length < 3) r.unterminatedExamples.push(q);
    // (Before the header it is not a data record: the head's reading skipped it too.)
    if (this.skip === 0) this.skipRecord();
    return true;
  }

  /** A data record skipped: later rows keep the numbers pandas would give them. */
  private skipRecord(): void {
    if (!this.rowIndex) {
      // First skip: the rows of this chunk so far are numbered without a gap.
      this.rowIndex = new Int32Array(this.capacity);
      for (let i = 0; i < this.n; i++) this.rowIndex[i] = this.firstRow + i;
    }
    this.skippedRecords++;
  }

  /** Hands out the rows so far as a chunk; `last`: no rows follow. */
  flush(notes: string[], last = false): void {
    const n = this.n;
    const columns = this.builders.map((b) => b.finish(last ? 0 : this.capacity));
    const rows = this.rowLine.subarray(0, n);
    // A short chunk does not keep its spare room alive (see CellColumnBuilder.finish).
    const trim = n < this.capacity - (this.capacity >> 4);
    const rowLine = trim ? rows.slice() : rows;
    const rowIndex = this.rowIndex && (trim ? this.rowIndex.slice(0, n) : this.rowIndex.subarray(0, n));
    this.ready.push({ firstRow: this.firstRow, rows: n, rowLine, ...(rowIndex ? { rowIndex } : {}), columns, notes });
    this.firstRow += n;
    this.n = 0;
    if (last) this.capacity = 0;
    this.rowLine = new Int32Array(this.capacity);
    if (this.rowIndex) this.rowIndex = new Int32Array(this.capacity);
  }
}

function grownInt32(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

/** Line breaks (LF, CRLF, lone CR) in `buf[s, e)`. */
function lineBreaks(buf: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let p = s; p < e; p++) {
    const c = buf[p];
    if (c === 10 || (c === 13 && buf[p + 1] !== 10)) n++;
  }
  return n;
}

function isBlank(buf: Uint8Array, starts: Int32Array, ends: Int32Array, fields: number): boolean {
  for (let j = 0; j < fields; j++) if (firstNonSpace(buf, starts[j], ends[j]) < ends[j]) return false;
  return true;
}

function firstNonSpace(buf: Uint8Array, s: number, e: number): number {
  while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
  return s;
}

function bytesEqualTrimmed(buf: Uint8Array, s: number, e: number, want: Buffer): boolean {
  s = firstNonSpace(buf, s, e);
  while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
  if (e - s !== want.length) return false;
  for (let k = 0; k < want.length; k++) if (buf[s + k] !== want[k]) return false;
  return true;
}

function repairNotes(name: string, r: Repairs, truncated: boolean, maxRows: number, delimiter: string): string[] {
  const notes: string[] = [];
  const q = r.firstStrayQuote;
  if (q) {
    const more = r.strayQuotes > 1 ? ` (${r.strayQuotes} such fields; the first is named)` : '';
    notes.push(
      `${name}: quoted field opened at line ${q.line}, column ${JSON.stringify(q.column)}, spans ${q.lines} lines (to line ${q.line + q.lines - 1}) and holds ${q.delimiters} ${JSON.stringify(delimiter)}${more} — check the quote: ` +
        `text follows its closing quote, so a stray " has joined the lines up to the next " into one cell and the records in between are not rows (pandas reads it the same way, without a warning).`,
    );
  }
  if (r.comments > 0) notes.push(`${name}: ${r.comments} comment line(s) starting with "#" skipped (first at line ${r.firstComment}).`);
  if (r.repeatedHeaders > 0) notes.push(`${name}: the header row is repeated ${r.repeatedHeaders} time(s) inside the data (first at line ${r.firstRepeatedHeader}); those lines were skipped.`);
  if (r.whitespaceLines > 0) notes.push(`${name}: ${r.whitespaceLines} whitespace-only line(s) skipped.`);
  if (r.short > 0) notes.push(`${name}: ${r.short} row(s) have fewer fields than the header (first at line ${r.firstShort}); the missing cells are treated as missing values.`);
  if (r.trailing > 0) notes.push(`${name}: ${r.trailing} row(s) end with extra empty fields (trailing delimiter); ignored.`);
  if (r.badRows > 0) notes.push(extraValuesRowsNote(name, r.badRows, r.badExamples));
  if (truncated) notes.push(`${name}: only the first ${maxRows} data rows were loaded (maxRows).`);
  return notes;
}

class CsvTableReader implements TableReader {
  private consumed = false;
  private source: Utf8Source | undefined;

  constructor(
    readonly schema: TableSchema,
    private readonly guess: EncodingGuess,
    private readonly head: HeadInfo,
    private readonly rule: MissingValueRule,
    private readonly maxRecordBytes: number,
    private readonly raw: () => RawBlocks,
  ) {}

  async *chunks(options: ChunkOptions = {}): AsyncGenerator<TableChunk> {
    if (this.consumed) throw new Error('CsvTableReader.chunks() can be called only once');
    this.consumed = true;
    const file = this.schema.file;
    const name = path.basename(file);
    const maxRows = options.maxRows ?? Number.MAX_SAFE_INTEGER;
    // A chunk holds at most ~4 Mi cells whatever the width (10,000 columns: 419 rows per chunk).
    const cellsBound = Math.max(256, Math.floor(CHUNK_CELLS / Math.max(1, this.head.width)));
    let chunkRows = Math.max(1, Math.min(options.chunkRows ?? DEFAULT_CHUNK_ROWS, maxRows, cellsBound));
    let capacity = chunkRows;
    if (options.oneChunk && this.schema.sizeBytes > 0 && this.head.bytesPerRecord > 0) {
      // One chunk sized from the file (2 % over the head's record length, then grown by half
      // when short): readAll then has nothing to copy (copying 65,536-row chunks into whole
      // columns was ~12 % of a read).
      chunkRows = Math.max(1, maxRows);
      capacity = Math.max(1, Math.min(chunkRows, Math.ceil((this.schema.sizeBytes / this.head.bytesPerRecord) * 1.02) + 1024));
    }
    // readAll keeps one dictionary per column (codes stay global); streaming bounds it.
    const sink = new ColumnSink(this.head, this.rule, chunkRows, maxRows, options.wholeTable ? Number.POSITIVE_INFINITY : STREAM_DICTIONARY_LIMIT, capacity);
    if (options.onBadLines === 'error') sink.badRowsFile = file;
    const names = this.schema.columns.map((c) => c.name);
    const tokenizer = new CsvTokenizer(this.head.delimiter.charCodeAt(0), sink, file, this.maxRecordBytes, (field) => names[field]);
    const source = new Utf8Source(this.raw(), this.guess);
    this.source = source;
    let carry: Buffer | undefined;
    let switchNoted = false;
    const switchNotes: string[] = [];
    try {
      for (;;) {
        if (options.signal?.aborted) throw new CancelledError();
        const block = await source.next(carry);
        if (source.switchedAtByte >= 0 && !switchNoted) {
          switchNoted = true;
          switchNotes.push(`${name}: not valid UTF-8 from about byte ${source.switchedAtByte} (line ${tokenizer.line}): read as Windows-1252 (Latin-1) from there.`);
        }
        const final = block === undefined;
        const buf = final ? (carry ?? NO_BYTES) : block;
        const used = tokenizer.parse(buf, buf.length, final);
        carry = final || tokenizer.stopped ? undefined : Buffer.from(buf.subarray(used));
        while (sink.ready.length > 0) yield sink.ready.shift() as TableChunk;
        if (this.schema.sizeBytes > 0) options.onProgress?.({ stage: 'loading', fraction: Math.min(1, source.bytesRead / this.schema.sizeBytes), message: name });
        if (final || tokenizer.stopped) break;
      }
    } finally {
      await source.close();
    }
    const notes = [...switchNotes, ...repairNotes(name, sink.repairs, sink.truncated, maxRows, this.head.delimiter)];
    const u = sink.repairs;
    if (u.unterminated > 0) {
      // Records whose quote never closes were skipped and the lines after them read (review7
      // F3): an error when no row could be read at all (nothing to keep), else a warning.
      if (sink.rows === 0 && !sink.truncated) throw tokenizer.unterminatedError();
      notes.push(unterminatedQuoteNote(name, u.unterminated, sink.rows, u.unterminatedExamples, u.unterminatedLines));
    }
    if (sink.rows === 0) {
      if (sink.repairs.badRows > 0) throw new DataError(`every row has more values than the header has columns (${sink.repairs.badExamples[0]})`, file, sink.repairs.firstBadLine);
      if (this.head.header) throw new DataError('the file has a header row but no data rows', file, this.head.headerLine);
      throw new DataError('the file has no data rows', file);
    }
    sink.flush(notes, true);
    yield sink.ready.shift() as TableChunk;
  }

  async close(): Promise<void> {
    await this.source?.close();
  }
}

/** Opens a delimited text file (TableReaderFactory). Throws DataError naming the file. */
export async function openCsvTable(file: string, options: OpenTableOptions = {}): Promise<TableReader> {
  const st = statDataFile(file, MAX_STREAMED_BYTES);
  if (st.size === 0) throw new DataError('the file is empty', file);
  const head = await readHead(file, SNIFF_BYTES);
  const guess = sniffEncoding(head, file, st.size <= SNIFF_BYTES);
  return openWith(file, st.size, guess, options, () => new FileBlocks(file, guess.bomBytes), false);
}

/**
 * Delimited text from a stream that can be read only once (standard input: a partition piped
 * by Spark's `RDD.pipe` or a Dask task), with every rule of the file reader: encodings,
 * `sep=` line, comments, repeated headers, number formats, lines. The first 256 KB are
 * buffered to sniff the encoding, delimiter and header, then replayed. `name` names the input
 * in notes and errors.
 */
export async function openCsvStream(stream: AsyncIterable<Uint8Array>, name: string, options: OpenTableOptions = {}): Promise<TableReader> {
  const it = stream[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let total = 0;
  let ended = false;
  while (total < HEAD_BYTES) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = Buffer.from(r.value);
    head.push(b);
    total += b.length;
  }
  if (total === 0) throw new DataError('the input is empty', name);
  const all = Buffer.concat(head);
  const guess = sniffEncoding(all.subarray(0, SNIFF_BYTES), name, ended && total <= SNIFF_BYTES);
  const info = await readHeadInfo(name, guess, new MissingValueRule(options), new ReplayBlocks([all], undefined, guess.bomBytes), !ended);
  return openWith(name, 0, guess, options, () => new ReplayBlocks([all], ended ? undefined : it, guess.bomBytes), true, info);
}

async function openWith(
  file: string,
  size: number,
  guess: EncodingGuess,
  options: OpenTableOptions,
  raw: () => RawBlocks,
  stream: boolean,
  known?: HeadInfo,
): Promise<TableReader> {
  const rule = new MissingValueRule(options);
  const info = known ?? (await readHeadInfo(file, guess, rule, raw()));
  const name = path.basename(file);
  const notes = [...guess.notes, ...info.notes];
  const rawNames = info.header ?? Array.from({ length: info.width }, (_, j) => `column ${j + 1}`);
  const names = uniqueColumnNames(rawNames, notes, name);
  const schema: TableSchema = {
    file,
    format: stream ? 'csv-stream' : 'csv',
    columns: names.map((n, j) => ({ name: n, sourceName: rawNames[j], sourceIndex: j, storage: 'text' as const })),
    delimiter: info.delimiter,
    hasLines: true,
    sizeBytes: size,
    notes,
  };
  return new CsvTableReader(schema, guess, info, rule, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, raw);
}
