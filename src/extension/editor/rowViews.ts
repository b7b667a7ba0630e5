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
import { splitCsvRecord } from './csvRecord';
import type { CsvRecordSpans, LineSource } from './csvRecord';

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
  const ds = session.result.dataset;
  if (ds.kind !== 'table') return out;
  for (let line = first; line <= last; line++) {
    const i = rowAtLine(ds.rowLine, line);
    if (i !== undefined) out.set(line, inMemoryView(session, i));
  }
  return out;
}

/** The view of in-memory row i. */
function inMemoryView(session: Session, i: number): RowView {
  const r = session.result;
  const U = r.units.length;
  // Without the results file a sample row's place in the file is its line, not its index.
  const row = r.rowSelection?.method === 'sample' || r.dataset.kind !== 'table' ? -1 : dataRowNumber(r.dataset, i);
  return { row, cluster: r.assignments[i]!, evidence: r.evidence[i]!, probability: r.probability[i]!, relevance: (u) => r.rowRelevance[i * U + u]!, inMemory: i };
}

/** A row with its record's place in the editor: the lines it covers and its cells' ranges. */
export interface RowRecord {
  readonly row: RowView;
  readonly record: CsvRecordSpans;
}

/**
 * The row whose record covers 0-based `line` of the table's text: the row starting on it, or
 * one starting above whose quoted line breaks carry it down to `line` (trial 6 D7: a comment
 * cell over two lines). Where each row starts is the reader's (rowLine / the results file);
 * where it ends is found by following its quotes in `text` (csvRecord.ts), so a continuation
 * line of a record is that record's, and a line after it (a skipped record, a blank line) is no row's.
 */
export function rowRecordAtLine(session: Session, text: LineSource, line: number): RowRecord | undefined {
  const ds = session.result.dataset;
  if (ds.kind !== 'table' || line < 0 || line >= text.lineCount) return undefined;
  const start = rowStartingAtOrBefore(session, line);
  if (!start) return undefined;
  const record = splitCsvRecord(text, start.line, ds.delimiter);
  return record.lastLine >= line ? { row: start.row, record } : undefined;
}

/**
 * Every row whose record covers a line of first..last (0-based), in file order, with its
 * record's cells: the record already running at `first` (begun above it) and those starting on the lines.
 */
export function rowRecordsInLines(session: Session, text: LineSource, first: number, last: number): RowRecord[] {
  const ds = session.result.dataset;
  if (ds.kind !== 'table' || last < first) return [];
  const out: RowRecord[] = [];
  const running = first > 0 ? rowRecordAtLine(session, text, first) : undefined;
  if (running && running.record.firstLine < first) out.push(running);
  for (const [line, row] of rowsInLines(session, first, last)) {
    out.push({ row, record: splitCsvRecord(text, line, ds.delimiter) });
  }
  return out;
}

/** The last row starting on or before 0-based `line`, with that start line. */
function rowStartingAtOrBefore(session: Session, line: number): { row: RowView; line: number } | undefined {
  const r = session.result;
  const ds = r.dataset;
  if (ds.kind !== 'table') return undefined;
  if (r.rowResults) {
    try {
      const reader = RowResultsReader.open(r.rowResults.file, r.units.length);
      try {
        const found = reader.rowStartingAtOrBefore(line + 1);
        if (!found) return undefined;
        const at = rowAtLine(ds.rowLine, found.line - 1);
        const row: RowView = { row: found.row, cluster: found.cluster, evidence: found.evidence, probability: found.probability, relevance: (u) => found.relevance[u]!, ...(at !== undefined ? { inMemory: at } : {}) };
        return { row, line: found.line - 1 };
      } finally {
        reader.close();
      }
    } catch {
      // The file is gone or being rewritten (as rowsInLines): fall back to the rows in memory.
    }
  }
  // Largest i with rowLine[i] <= line + 1 (rowLine is 1-based and increasing).
  let lo = 0;
  let hi = ds.rowLine.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ds.rowLine[mid]! <= line + 1) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? { row: inMemoryView(session, lo - 1), line: ds.rowLine[lo - 1]! - 1 } : undefined;
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
