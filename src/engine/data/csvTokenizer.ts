/**
 * RFC 4180 delimited-text tokenizer over UTF-8 bytes: finds each record's fields as byte spans
 * (no string per cell) and the 1-based line where the record starts. Quoted fields may hold
 * delimiters, doubled quotes and line breaks; LF, CRLF and lone CR all end a record. Like
 * csv-parse's `relax_quotes`, a quote inside an unquoted field is literal and text after a
 * closing quote is kept (the field is flagged MESSY).
 *
 * Works on a buffer holding complete and incomplete records: `parse` consumes complete records
 * only and returns where the first incomplete one starts, so the caller carries those bytes
 * over to the next buffer.
 */
import { DataError } from '../errors';

export const FIELD_QUOTED = 1;
/** The quoted content holds doubled quotes `""` to unescape. */
export const FIELD_ESCAPED = 2;
/** Text follows the closing quote: the span is the raw field including its quotes. */
export const FIELD_MESSY = 4;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Where a quoted field that never closes opens (see CsvTokenizer.parse). */
export interface UnterminatedQuote {
  /** 1-based line where the quote opens. */
  readonly line: number;
  /** 1-based line where its record starts (earlier than `line` when a closed quoted field before it spans lines). */
  readonly recordLine: number;
  /** 1-based field number and its header name, when known. */
  readonly field: number;
  readonly column: string | undefined;
  /** Lines skipped: from `recordLine` through `line`. */
  readonly lines: number;
}

/** Receives each complete record; spans are valid only during the call. Return false to stop. */
export interface RecordSink {
  /** `extraLines`: line breaks inside the record's quoted fields (0: the record is one line). */
  record(buf: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, fields: number, line: number, numbers: Uint8Array, values: Float64Array, extraLines: number): boolean;
  /**
   * A record whose quoted field never closes before the end of the input: true to skip its
   * lines through the quote's and read on from the next line, false (or no method) to stop
   * there. May throw (a read that stops at a bad record).
   */
  skipUnterminated?(quote: UnterminatedQuote): boolean;
}

/** Per field: not parsed as a plain number (the sink reads it), an integer, a decimal with a point. */
export const NUM_NONE = 0;
export const NUM_INTEGER = 1;
export const NUM_POINT = 2;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

export class CsvTokenizer {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private flags = new Uint8Array(64);
  /** Per field of the current record: NUM_* and, for numbers, the value. */
  private numbers = new Uint8Array(64);
  private values = new Float64Array(64);
  /** Line where the next record starts. */
  line = 1;
  stopped = false;
  /**
   * The first quoted field found that never closes before the end of the input (see parse),
   * for `unterminatedError()` when no record could be read.
   */
  unterminated: UnterminatedQuote | undefined;

  constructor(
    private readonly delimiter: number,
    private readonly sink: RecordSink,
    private readonly file: string,
    private readonly maxRecordBytes: number,
    /** Header name of a field (0-based), for error messages. */
    private readonly columnName: (field: number) => string | undefined = () => undefined,
  ) {}

  private grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    const e = new Int32Array(n);
    e.set(this.ends);
    const f = new Uint8Array(n);
    f.set(this.flags);
    const k = new Uint8Array(n);
    k.set(this.numbers);
    const v = new Float64Array(n);
    v.set(this.values);
    this.starts = s;
    this.ends = e;
    this.flags = f;
    this.numbers = k;
    this.values = v;
  }

  /**
   * Tokenizes `buf[0, end)`. With `final` the buffer holds the rest of the input and every
   * record is complete. Returns the offset of the first byte not consumed (the start of an
   * incomplete record), or `end`.
   *
   * A quoted field that never closes before the end of the input (pandas: "EOF inside string")
   * would make the rest of the input one cell. One rule wherever it is (review7 F3; the last
   * line, trial s21 D3): its record is bad from its first line through the line where the quote
   * opens; the sink is told (`skipUnterminated`) and, unless it stops, reading goes on at the
   * next line, so one stray quote costs its line, not every row after it.
   */
  parse(buf: Uint8Array, end: number, final: boolean): number {
    const d = this.delimiter;
    let pos = 0;
    records: while (pos < end && !this.stopped) {
      const recStart = pos;
      let p = pos;
      let nf = 0;
      let extraLines = 0;
      for (;;) {
        if (nf === this.starts.length) this.grow();
        let c = p < end ? buf[p] : -1;
        if (c === QUOTE) {
          const open = p;
          const linesBefore = extraLines;
          p++;
          let fl = FIELD_QUOTED;
          let closed = false;
          while (p < end) {
            c = buf[p];
            if (c === QUOTE) {
              if (p + 1 < end) {
                if (buf[p + 1] === QUOTE) {
                  fl |= FIELD_ESCAPED;
                  p += 2;
                  continue;
                }
              } else if (!final) break; // the next byte decides: wait for it
              closed = true;
              break;
            }
            if (c === LF) extraLines++;
            else if (c === CR) {
              extraLines++;
              if (p + 1 < end && buf[p + 1] === LF) p++;
            }
            p++;
          }
          if (!closed) {
            if (!final) return this.incomplete(recStart, end);
            const quote: UnterminatedQuote = { line: this.line + linesBefore, recordLine: this.line, field: nf + 1, column: this.columnName(nf), lines: linesBefore + 1 };
            this.unterminated ??= quote;
            if (!this.sink.skipUnterminated?.(quote)) {
              this.stopped = true;
              return end;
            }
            // Read on from the line after the quote's.
            let next = open;
            while (next < end && buf[next] !== LF && buf[next] !== CR) next++;
            if (next < end) next += buf[next] === CR && next + 1 < end && buf[next + 1] === LF ? 2 : 1;
            this.line += quote.lines;
            pos = next;
            continue records;
          }
          this.starts[nf] = open + 1;
          this.ends[nf] = p;
          p++; // past the closing quote
          if (p < end) {
            c = buf[p];
            if (c !== d && c !== LF && c !== CR) {
              // Text after the closing quote (`"abc"x`): keep the raw field, read leniently.
              fl |= FIELD_MESSY;
              while (p < end) {
                c = buf[p];
                if (c === d || c === LF || c === CR) break;
                p++;
              }
              if (p >= end && !final) return this.incomplete(recStart, end);
              this.starts[nf] = open;
              this.ends[nf] = p;
            }
          } else if (!final) return this.incomplete(recStart, end);
          this.flags[nf] = fl;
          this.numbers[nf] = NUM_NONE;
        } else {
          const start = p;
          this.starts[nf] = p;
          // Fused fast path: a plain number ([-+]digits[.digits]) is parsed while it is scanned,
          // so numeric fields are read once (Clinger: ≤ 15 significant digits and ≤ 22 decimals
          // give one correctly rounded division; anything else is left to the sink, kind 0).
          let kind = NUM_NONE;
          let negative = false;
          if (c === 45) {
            negative = true;
            p++;
          } else if (c === 43) p++;
          const intStart = p;
          let mant = 0;
          let sig = 0;
          while (p < end && buf[p] === 48) p++;
          while (p < end) {
            const digit = buf[p] - 48;
            if (digit < 0 || digit > 9) break;
            mant = mant * 10 + digit;
            sig++;
            p++;
          }
          const intDigits = p - intStart;
          let frac = 0;
          let point = false;
          if (p < end && buf[p] === 46) {
            point = true;
            const fracStart = ++p;
            if (sig === 0) while (p < end && buf[p] === 48) p++;
            const sigStart = p;
            while (p < end) {
              const digit = buf[p] - 48;
              if (digit < 0 || digit > 9) break;
              mant = mant * 10 + digit;
              p++;
            }
            sig += p - sigStart;
            frac = p - fracStart;
          }
          c = p < end ? buf[p] : -1;
          if (c === d || c === LF || c === CR || (c === -1 && (final || p < end))) {
            if (intDigits + frac > 0 && sig <= 15 && frac <= 22) {
              // `1.299`-like cells are left to the sink, which decides what the point means.
              const ambiguous = point && frac === 3 && intDigits >= 1 && intDigits <= 3 && buf[intStart] !== 48;
              if (!ambiguous) {
                this.values[nf] = negative ? -mant / POW10[frac] : mant / POW10[frac];
                kind = point ? NUM_POINT : NUM_INTEGER;
              }
            }
          } else {
            while (p < end) {
              c = buf[p];
              if (c === d || c === LF || c === CR) break;
              p++;
            }
          }
          if (p === start && p < end) kind = NUM_NONE;
          this.ends[nf] = p;
          this.flags[nf] = 0;
          this.numbers[nf] = kind;
        }
        nf++;
        if (p >= end) {
          if (!final) return this.incomplete(recStart, end);
          break;
        }
        c = buf[p];
        if (c === d) {
          p++;
          continue;
        }
        if (c === CR) {
          if (p + 1 < end) {
            if (buf[p + 1] === LF) p++;
          } else if (!final) return this.incomplete(recStart, end);
        }
        p++;
        break;
      }
      if (p - recStart > this.maxRecordBytes) this.tooLong();
      const line = this.line;
      this.line += 1 + extraLines;
      if (!this.sink.record(buf, this.starts, this.ends, this.flags, nf, line, this.numbers, this.values, extraLines)) {
        this.stopped = true;
        return p;
      }
      pos = p;
    }
    return pos;
  }

  /** The error for the unterminated quoted field found (see `unterminated`), naming file, line and column. */
  unterminatedError(): DataError {
    const u = this.unterminated;
    if (!u) throw new Error('no unterminated quoted field');
    return new DataError(`unterminated quoted field: the cell in field ${u.field} opens with " and never closes before the end of the file (check the quote: close it, or write a literal quote as "")`, this.file, u.line, u.column);
  }

  private incomplete(recStart: number, end: number): number {
    if (end - recStart > this.maxRecordBytes) this.tooLong();
    return recStart;
  }

  private tooLong(): never {
    throw new DataError(`a record is longer than ${this.maxRecordBytes} bytes (an unterminated quoted field?)`, this.file, this.line);
  }
}

/** The text of a field (unescaped). */
export function fieldText(buf: Uint8Array, start: number, end: number, flags: number): string {
  const raw = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
  if (flags & FIELD_MESSY) {
    // `"abc"x` → `abc` + `x`; doubled quotes inside the quoted part are unescaped.
    const close = findClosingQuote(raw);
    return raw.slice(1, close).replace(/""/g, '"') + raw.slice(close + 1);
  }
  return flags & FIELD_ESCAPED ? raw.replace(/""/g, '"') : raw;
}

function findClosingQuote(raw: string): number {
  for (let i = 1; i < raw.length; i++) {
    if (raw.charCodeAt(i) !== QUOTE) continue;
    if (raw.charCodeAt(i + 1) === QUOTE) {
      i++;
      continue;
    }
    return i;
  }
  return raw.length;
}
