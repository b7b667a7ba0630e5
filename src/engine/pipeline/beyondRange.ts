/**
 * Rows whose explanation is partly beyond float64 (issue 8, "Numerical range"): which row,
 * line and column, said in a note, so the user can find the value — and the other rows are
 * explained as usual. The values themselves are NaN in the result (never ±Infinity), printed
 * as empty cells by the CLI.
 */
import path from 'node:path';
import { hasSourceLines } from '../data/tableReader';
import type { RowBeyondRange } from '../pipelineTypes';
import type { Dataset } from '../types';
import type { BeyondRangeRow } from './explainAll';

/** Rows named one by one in the notes; the rest are counted. */
const NAMED_ROWS = 20;

/** Feature indices → the user's units (table columns; text has no per-feature unit). */
export function beyondRangeRows(rows: readonly BeyondRangeRow[], dataset: Dataset): RowBeyondRange[] {
  return rows.map((r) => {
    const units = dataset.kind === 'table' ? [...new Set(r.features.map((f) => dataset.featureColumn[f]))].sort((a, b) => a - b) : [];
    return { row: r.row, cluster: r.cluster, evidence: r.evidence, units, ...(r.nonFiniteInput ? { nonFiniteInput: true } : {}) };
  });
}

/**
 * One note per row (up to NAMED_ROWS), naming file, line and column(s). `rowOffset`: the index
 * of `dataset`'s first row in the whole input (a streamed chunk), added to the row numbers shown.
 */
export function beyondRangeNotes(rows: readonly RowBeyondRange[], dataset: Dataset, name: string, rowOffset = 0): string[] {
  if (rows.length === 0) return [];
  const notes = rows.slice(0, NAMED_ROWS).map((r) => {
    let where: string;
    if (dataset.kind === 'table') {
      const cols = r.units.map((u) => `"${dataset.columns[u]?.name ?? u}"`);
      // Parquet has no lines: the row number in the message says where.
      const line = hasSourceLines(dataset) ? `, line ${dataset.rowLine[r.row]}` : '';
      where = `${name}${line}${cols.length ? `, column${cols.length > 1 ? 's' : ''} ${cols.join(', ')}` : ''}`;
    } else {
      where = dataset.documents[r.row]?.name ?? `${name}, document ${r.row}`;
    }
    const row = r.row + rowOffset;
    if (r.nonFiniteInput) return `${where}: row ${row} holds a value that is not a finite number; it is not explained.`;
    if (r.evidence) {
      return `${where}: row ${row}'s evidence is beyond what float64 can hold (|value| > 1.8e308), so it is assigned to cluster ${r.cluster} but not explained (its evidence and relevances are left empty).`;
    }
    return `${where}: row ${row}'s relevance there is beyond what float64 can hold (|value| > 1.8e308) and is left empty; its evidence and other columns are explained.`;
  });
  if (rows.length > NAMED_ROWS) notes.push(`${rows.length - NAMED_ROWS} more row(s) of ${path.basename(name)} have values beyond float64 and are not fully explained.`);
  notes.push(`All other rows of ${path.basename(name)} are explained; every finite evidence is split into finite relevances that add up to it.`);
  return notes;
}
