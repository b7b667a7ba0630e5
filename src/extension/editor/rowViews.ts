/**
 * A table row's explanation for the editor (hover, highlights, status bar), wherever it is:
 * in the session's result (every row was kept in memory), or — when a sample was fitted
 * because the file exceeds the memory budget — in the every-row results file the worker's
 * streaming pass wrote into the extension's storage (engine pipeline/rowResultsFile.ts), so
 * any line of the file shows its cluster and evidence, not only the sampled ones. The file is
 * read for just the lines asked (binary search by line), never held whole.
 */
import { dataRowNumber } from '../../engine/data/tableReader';
import { RowResultsReader } from '../../engine/pipeline/rowResultsFile';
import { cellNotExplained, rowNotExplained } from '../notExplained';
import { rowAtLine } from '../session';
import type { Session } from '../session';

export interface RowView {
  /** 0-based data row of the file, as pandas numbers it (dataRowNumber); -1 when unknown. */
  readonly row: number;
  readonly cluster: number;
  readonly evidence: number;
  readonly probability: number;
  /** Relevance of unit u (PipelineResult.units). */
  relevance(u: number): number;
  /** Index into the session's in-memory rows (the fitted sample's), when the row is one of them. */
  readonly inMemory?: number;
}

/** The session explains rows beyond those in memory (a sampled fit with its results file). */
export function hasRowResults(session: Session): boolean {
  return session.result.rowResults !== undefined && session.result.dataset.kind === 'table';
}

/** Rows starting on 0-based lines first..last, by line. */
export function rowsInLines(session: Session, first: number, last: number): Map<number, RowView> {
  const out = new Map<number, RowView>();
  const r = session.result;
  const ds = r.dataset;
  if (ds.kind !== 'table' || last < first) return out;
  const U = r.units.length;
  if (r.rowResults) {
    let reader: RowResultsReader;
    try {
      reader = RowResultsReader.open(r.rowResults.file, U);
    } catch {
      // The file is gone (storage cleared) or being rewritten by a refit: show the sample's rows.
      return inMemoryRows(session, first, last);
    }
    try {
      for (const row of reader.rowsInLines(first + 1, last + 1)) {
        const at = rowAtLine(ds.rowLine, row.line - 1);
        out.set(row.line - 1, { row: row.row, cluster: row.cluster, evidence: row.evidence, probability: row.probability, relevance: (u) => row.relevance[u]!, ...(at !== undefined ? { inMemory: at } : {}) });
      }
    } finally {
      reader.close();
    }
    return out;
  }
  return inMemoryRows(session, first, last);
}

function inMemoryRows(session: Session, first: number, last: number): Map<number, RowView> {
  const out = new Map<number, RowView>();
  const r = session.result;
  const ds = r.dataset;
  if (ds.kind !== 'table') return out;
  const U = r.units.length;
  const sampled = r.rowSelection?.method === 'sample';
  for (let line = first; line <= last; line++) {
    const i = rowAtLine(ds.rowLine, line);
    if (i === undefined) continue;
    // Without the results file a sample row's place in the file is its line, not its index.
    out.set(line, { row: sampled ? -1 : dataRowNumber(ds, i), cluster: r.assignments[i]!, evidence: r.evidence[i]!, probability: r.probability[i]!, relevance: (u) => r.rowRelevance[i * U + u]!, inMemory: i });
  }
  return out;
}

/** The row starting on 0-based `line`, if any. */
export function rowOnLine(session: Session, line: number): RowView | undefined {
  return rowsInLines(session, line, line).get(line);
}

/** 0-based line of the table's first data row (a sample's first row need not be the file's). */
export function firstRowLine(session: Session): number | undefined {
  const ds = session.result.dataset;
  if (ds.kind !== 'table') return undefined;
  if (session.result.rowResults) {
    try {
      const reader = RowResultsReader.open(session.result.rowResults.file, session.result.units.length);
      try {
        if (reader.rows > 0) return reader.lineAt(0) - 1;
      } finally {
        reader.close();
      }
    } catch {
      // fall back to the sample's first row
    }
  }
  return ds.rowLine.length > 0 ? ds.rowLine[0]! - 1 : undefined;
}

/**
 * Why the row has no evidence (notExplained.ts), or undefined. A row outside the in-memory
 * sample has no beyondRange entry (the pass names such rows in the notes): a non-finite
 * evidence is all there is to go by.
 */
export function rowViewNotExplained(session: Session, row: RowView): string | undefined {
  if (row.inMemory !== undefined) return rowNotExplained(session.result, row.inMemory);
  return Number.isFinite(row.evidence) ? undefined : 'its evidence is not a finite number (the notes name the row and why)';
}

/** Why the relevance of unit `unit` in the row is not shown, or undefined when it is. */
export function cellViewNotExplained(session: Session, row: RowView, unit: number): string | undefined {
  if (row.inMemory !== undefined) return cellNotExplained(session.result, row.inMemory, unit);
  const whole = rowViewNotExplained(session, row);
  if (whole) return whole;
  return Number.isFinite(row.relevance(unit)) ? undefined : `the relevance of "${session.result.units[unit] ?? unit}" is not a finite number (the notes name the row and why)`;
}
