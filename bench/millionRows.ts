/**
 * The whole-job file, generated: N rows x (an `id`, 16 numeric columns `f01`..`f16`,
 * a 4-value `segment`), overlapping Gaussian clusters around 12 centres (centres drawn with
 * standard deviation 0.9 per feature, unit noise: neighbouring clusters overlap heavily, so
 * Hamerly's bounds skip little), values with 4 decimals. 1,000,000 rows ≈ 130 MB. The
 * segment follows the cluster (cluster mod 4) for 70 % of the rows. Seeded: the same file
 * every run, for every peer.
 */
import fs from 'node:fs';
import { Rng } from '../src/engine/rng';

export const MILLION_ROWS_K = 12;
const NUMERIC = 16;
const SEGMENTS = ['north', 'south', 'east', 'west'];

export function writeMillionRowCsv(file: string, rows: number, seed = 2024): void {
  const rng = new Rng(seed);
  const centres = Array.from({ length: MILLION_ROWS_K }, () => Array.from({ length: NUMERIC }, () => 0.9 * rng.normal()));
  const scale = Array.from({ length: NUMERIC }, (_, j) => 10 ** ((j % 4) - 1)); // columns in different units
  const fd = fs.openSync(file, 'w');
  try {
    const header = ['id', ...Array.from({ length: NUMERIC }, (_, j) => `f${String(j + 1).padStart(2, '0')}`), 'segment'];
    fs.writeSync(fd, header.join(',') + '\n');
    let lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const c = rng.int(MILLION_ROWS_K);
      const centre = centres[c];
      const cells: string[] = [String(100000 + i)];
      for (let j = 0; j < NUMERIC; j++) cells.push(((centre[j] + rng.normal()) * scale[j]).toFixed(4));
      cells.push(SEGMENTS[rng.next() < 0.7 ? c % 4 : rng.int(4)]);
      lines.push(cells.join(','));
      if (lines.length === 20_000) {
        fs.writeSync(fd, lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length) fs.writeSync(fd, lines.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
}
