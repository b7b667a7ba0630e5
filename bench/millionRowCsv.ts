/**
 * The issue-9 benchmark table: 1,000,000 rows × (an integer id, 16 numeric columns, a 4-value
 * category), about 130 MB, drawn from 12 overlapping Gaussian clusters (centres uniform in
 * [-1.5, 1.5]^16, unit noise, so k-means has real work to do, unlike well-separated blobs).
 * Seeded: the same file for every peer and every run. Shared by the reading benchmark
 * (readBench.ts) and the whole-job benchmark.
 */
import fs from 'node:fs';
import { Rng } from '../src/engine/rng';

export interface MillionRowCsvOptions {
  readonly rows?: number;
  readonly seed?: number;
  /** Number of generating clusters (default 12). */
  readonly clusters?: number;
}

export const MILLION_ROW_COLUMNS = 16;
export const MILLION_ROW_CATEGORIES = ['north', 'south', 'east', 'west'] as const;

/** Writes the table to `file` (overwriting) and returns its size in bytes. */
export function writeMillionRowCsv(file: string, options: MillionRowCsvOptions = {}): number {
  const rows = options.rows ?? 1_000_000;
  const k = options.clusters ?? 12;
  const d = MILLION_ROW_COLUMNS;
  const rng = new Rng(options.seed ?? 9);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => (rng.next() * 2 - 1) * 1.5));
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  try {
    const header = ['id', ...Array.from({ length: d }, (_, j) => `x${j}`), 'region'].join(',') + '\n';
    bytes += fs.writeSync(fd, header);
    let lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const c = centres[rng.int(k)];
      const cells: string[] = [String(i + 1)];
      for (let j = 0; j < d; j++) cells.push((c[j] + rng.normal()).toFixed(4));
      // The category follows the cluster loosely (it overlaps too).
      cells.push(MILLION_ROW_CATEGORIES[(rng.next() < 0.7 ? centres.indexOf(c) : rng.int(4)) % 4]);
      lines.push(cells.join(','));
      if (lines.length === 20_000) {
        bytes += fs.writeSync(fd, lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length) bytes += fs.writeSync(fd, lines.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}
