/**
 * How many table rows a job keeps in memory, and how they are chosen.
 *
 * Default (`maxRows` 0): every row, as long as the job's in-memory form fits the memory
 * budget; beyond it a seeded uniform random sample of as many rows as fit (never the first
 * rows: a file sorted by date or id would give a biased fit). A positive `maxRows` is the
 * user's own cap and keeps the first rows, as pandas' `nrows` does. Every result carries
 * `RowSelection` and a note saying how many of how many rows were used and how.
 *
 * Memory per row, in bytes, of the whole job (pipeline.ts): the columnar table (8 bytes per
 * cell + its kind byte + dictionary codes for text columns, ~13 per cell at worst), the
 * standardised features (8 per feature; one-hot columns add features), the explanations
 * (cluster, evidence, probability: 20; relevance per column, Float32: 4 per column; map: 8),
 * k-means (labels, two bounds, seeding buffers: ~60) and the row's source line (4).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { ClusterSettings, RowSelection } from '../pipelineTypes';

/** Default budget: 40 % of the machine's memory, at most 4 GiB (the worker's default heap limit). */
export function memoryBudgetBytes(settings: Pick<ClusterSettings, 'memoryBudgetMb'>): number {
  if (settings.memoryBudgetMb !== undefined && settings.memoryBudgetMb > 0) return settings.memoryBudgetMb * 2 ** 20;
  return Math.min(4 * 2 ** 30, 0.4 * os.totalmem());
}

/** Estimated bytes per row of the whole job for a table of `columns` columns. */
export function bytesPerRow(columns: number): number {
  const features = 1.5 * columns; // one-hot columns widen the features; 1.5x is generous for typical tables
  return columns * 13 + features * 8 + columns * 4 + 20 + 8 + 60 + 4;
}

/** The user's cap (maxRows > 0), else no cap. */
export function rowCap(settings: Pick<ClusterSettings, 'maxRows'>): number {
  return settings.maxRows > 0 ? settings.maxRows : Number.MAX_SAFE_INTEGER;
}

/** A memory budget for people: "4096 MB", "0.11 MB". */
export function budgetText(bytes: number): string {
  const mb = bytes / 2 ** 20;
  return `${mb >= 10 ? Math.round(mb) : Number(mb.toPrecision(2))} MB`;
}

/** The note every job gets: how many of how many rows, and how they were chosen. */
export function selectionNote(name: string, s: RowSelection): string {
  const of = `${s.rows.toLocaleString('en')} of ${s.totalRows === undefined ? 'more' : s.totalRows.toLocaleString('en')} rows`;
  switch (s.method) {
    case 'all':
      return `${name}: all ${s.rows.toLocaleString('en')} rows clustered and explained.`;
    case 'first':
      return `${name}: ${of} clustered and explained: the first rows, as maxRows = ${s.rows.toLocaleString('en')} asks (0 = every row).`;
    case 'sample': {
      const fitted = `${name}: ${of} ${s.modelGiven ? 'kept in memory' : 'fitted'}: a uniform random sample (seed ${s.seed}) of the rows that fit the memory budget of ${budgetText(s.budgetBytes ?? 0)}`;
      if (s.explainedRows === undefined) return `${fitted}; the other rows are not explained.`;
      return `${fitted}; all ${s.explainedRows.toLocaleString('en')} rows assigned and explained in a streaming pass (cluster sizes, mean relevance and evidence count every row; the map, quality and per-row lists show the sample).`;
    }
  }
}

/**
 * Rows of a file, estimated without reading it all: exact when the format records it
 * (`rowCount`), else the file size over the mean length of the lines in its first MiB.
 */
export function estimateRows(file: string, sizeBytes: number, rowCount?: number): number {
  if (rowCount !== undefined) return rowCount;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(sizeBytes, 1 << 20));
    const got = fs.readSync(fd, head, 0, head.length, 0);
    let lines = 0;
    for (let i = 0; i < got; i++) if (head[i] === 10) lines++;
    if (got >= sizeBytes) return Math.max(0, lines - 1);
    return Math.ceil(sizeBytes / (got / Math.max(1, lines)));
  } finally {
    fs.closeSync(fd);
  }
}
