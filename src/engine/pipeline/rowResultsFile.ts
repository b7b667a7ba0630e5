/**
 * Every row's explanation on disk, for tables too large to keep explained in memory (the
 * streaming pass of a sampled fit, pipeline/everyRow.ts). The extension writes it in its own
 * storage (never next to the user's file) and reads the records of the lines on screen, so
 * hover and highlights work on any row of the file, not only the fitted sample's.
 *
 * Layout (little-endian): a 32-byte header — magic "NEONROWS", version u32 = 1, U u32 (units
 * per record), rows f64 (written at close), record bytes u32, 4 reserved — then one record per
 * data row in file order: line i32 (1-based line where the row starts), cluster i32, evidence
 * f64, probability f64, then U relevances f32 (one per `PipelineResult.units`, excluded columns 0; NaN where a
 * value is beyond range). Float32 keeps a relevance to ~7 digits, more than hover shows;
 * records are ordered by line, so the rows of a range of lines are found by binary search.
 */
import fs from 'node:fs';
import path from 'node:path';

const MAGIC = 'NEONROWS';
const VERSION = 1;
const HEADER_BYTES = 32;

export function recordBytes(units: number): number {
  return 24 + 4 * units;
}

/** Explained rows: cluster, evidence, probability and relevance (rows × U, row-major) per row. */
export interface RowResults {
  readonly rows: number;
  /** 1-based line where each row starts. */
  readonly rowLine: Int32Array;
  readonly cluster: Int32Array;
  readonly evidence: Float64Array;
  readonly probability: Float64Array;
  readonly relevance: Float64Array;
}

/** Appends chunks of row results to `file` (created, or replaced). */
export class RowResultsWriter {
  private readonly fd: number;
  private rows = 0;

  constructor(
    readonly file: string,
    private readonly units: number,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(MAGIC, 0, 'latin1');
    header.writeUInt32LE(VERSION, 8);
    header.writeUInt32LE(units, 12);
    header.writeDoubleLE(0, 16);
    header.writeUInt32LE(recordBytes(units), 24);
    fs.writeSync(this.fd, header, 0, HEADER_BYTES, 0);
  }

  write(chunk: RowResults): void {
    const U = this.units;
    const size = recordBytes(U);
    const buf = Buffer.alloc(chunk.rows * size);
    for (let i = 0; i < chunk.rows; i++) {
      const at = i * size;
      buf.writeInt32LE(chunk.rowLine[i], at);
      buf.writeInt32LE(chunk.cluster[i], at + 4);
      buf.writeDoubleLE(chunk.evidence[i], at + 8);
      buf.writeDoubleLE(chunk.probability[i], at + 16);
      for (let u = 0; u < U; u++) buf.writeFloatLE(chunk.relevance[i * U + u], at + 24 + 4 * u);
    }
    fs.writeSync(this.fd, buf, 0, buf.length, HEADER_BYTES + this.rows * size);
    this.rows += chunk.rows;
  }

  /** Writes the row count and closes the file. */
  close(): void {
    const count = Buffer.alloc(8);
    count.writeDoubleLE(this.rows, 0);
    fs.writeSync(this.fd, count, 0, 8, 16);
    fs.closeSync(this.fd);
  }

  /** Closes and deletes a file that will not be completed (cancelled or failed pass). */
  discard(): void {
    discardOpenFile(this.fd, this.file);
  }
}

/**
 * Closes `fd` (if it is still open) and deletes `file`: what a writer of a per-row results file
 * (this binary one, the CLI's `--rows-out` CSV) does when its pass is cancelled or fails, so no
 * half-written file is left behind. Never throws for a file already closed or already gone.
 */
export function discardOpenFile(fd: number, file: string): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed (by a finished pass)
  }
  fs.rmSync(file, { force: true });
}

/** One row read back. */
export interface RowResult {
  /** 0-based data row. */
  readonly row: number;
  readonly line: number;
  readonly cluster: number;
  readonly evidence: number;
  readonly probability: number;
  /** U relevances over the result's units. */
  readonly relevance: Float32Array;
}

/**
 * Reads the records of given lines from a results file. Throws when the file is not a
 * complete results file with `units` units (e.g. a pass that was cancelled).
 */
export class RowResultsReader {
  readonly rows: number;
  private readonly size: number;

  private constructor(
    private readonly fd: number,
    readonly units: number,
    rows: number,
  ) {
    this.rows = rows;
    this.size = recordBytes(units);
  }

  static open(file: string, units: number): RowResultsReader {
    const fd = fs.openSync(file, 'r');
    const header = Buffer.alloc(HEADER_BYTES);
    const got = fs.readSync(fd, header, 0, HEADER_BYTES, 0);
    const rows = header.readDoubleLE(16);
    const ok =
      got === HEADER_BYTES &&
      header.toString('latin1', 0, 8) === MAGIC &&
      header.readUInt32LE(8) === VERSION &&
      header.readUInt32LE(12) === units &&
      fs.fstatSync(fd).size === HEADER_BYTES + rows * recordBytes(units);
    if (!ok) {
      fs.closeSync(fd);
      throw new Error(`${path.basename(file)} is not a complete row results file for ${units} columns`);
    }
    return new RowResultsReader(fd, units, rows);
  }

  /** 1-based line where 0-based row `row` starts. */
  lineAt(row: number): number {
    const b = Buffer.alloc(4);
    fs.readSync(this.fd, b, 0, 4, HEADER_BYTES + row * this.size);
    return b.readInt32LE(0);
  }

  /** The rows starting on 1-based lines first..last (inclusive), in file order. */
  rowsInLines(first: number, last: number): RowResult[] {
    let lo = 0;
    let hi = this.rows;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.lineAt(mid) < first) lo = mid + 1;
      else hi = mid;
    }
    // Every row starts on its own line, so at most last - first + 1 rows can fall in the range.
    return this.records(lo, Math.max(0, last - first + 1)).filter((r) => r.line <= last);
  }

  /**
   * The last row starting on or before 1-based `line`, if any: the row whose record covers
   * `line` when the record spans several lines (the caller checks where the record ends).
   */
  rowStartingAtOrBefore(line: number): RowResult | undefined {
    let lo = 0;
    let hi = this.rows;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.lineAt(mid) <= line) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.records(lo - 1, 1)[0] : undefined;
  }

  /** Up to `count` records from record `first` on (0-based, file order): a sequential read of the whole file in slices. */
  records(first: number, count: number): RowResult[] {
    const n = Math.min(this.rows - first, count);
    if (n <= 0) return [];
    const buf = Buffer.alloc(n * this.size);
    fs.readSync(this.fd, buf, 0, buf.length, HEADER_BYTES + first * this.size);
    const out: RowResult[] = [];
    for (let i = 0; i < n; i++) {
      const at = i * this.size;
      const relevance = new Float32Array(this.units);
      for (let u = 0; u < this.units; u++) relevance[u] = buf.readFloatLE(at + 24 + 4 * u);
      out.push({ row: first + i, line: buf.readInt32LE(at), cluster: buf.readInt32LE(at + 4), evidence: buf.readDoubleLE(at + 8), probability: buf.readDoubleLE(at + 16), relevance });
    }
    return out;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
