/**
 * Rows whose explanation is partly beyond float64 (issue 8, "Numerical range"; the engine lists
 * them in `PipelineResult.beyondRange` and leaves their values NaN): hovers, cell decorations,
 * the status bar and the tree say "not explained: <reason>" for them, never "NaN" or a blank.
 * Pure functions of a PipelineResult (no vscode import), shared by all of those.
 */
import type { PipelineResult, RowBeyondRange } from '../engine/pipelineTypes';

const BEYOND = 'beyond what float64 can hold (|value| > 1.8e308)';

/** The beyondRange entries by row, built once per result. */
const byRowCache = new WeakMap<PipelineResult, ReadonlyMap<number, RowBeyondRange>>();

function entryOf(result: PipelineResult, row: number): RowBeyondRange | undefined {
  const list = result.beyondRange;
  if (!list || list.length === 0) return undefined;
  let byRow = byRowCache.get(result);
  if (!byRow) {
    byRow = new Map(list.map((r) => [r.row, r]));
    byRowCache.set(result, byRow);
  }
  return byRow.get(row);
}

/**
 * Why row `row` (a table row or a document) has no evidence, or undefined when it has one.
 * A NaN evidence the engine did not list (it always should) still gets a reason.
 */
export function rowNotExplained(result: PipelineResult, row: number): string | undefined {
  const entry = entryOf(result, row);
  if (entry?.nonFiniteInput) return 'the row holds a value that is not a finite number';
  if (entry?.evidence) return `its evidence is ${BEYOND}`;
  const evidence = result.evidence[row];
  if (evidence !== undefined && !Number.isFinite(evidence)) return 'its evidence is not a finite number';
  return undefined;
}

/**
 * Why the relevance of table column `unit` (index into `result.units`) in row `row` is not
 * shown, or undefined when it is. The row's own reason comes first (no part of it is explained).
 */
export function cellNotExplained(result: PipelineResult, row: number, unit: number): string | undefined {
  const whole = rowNotExplained(result, row);
  if (whole) return whole;
  const value = result.rowRelevance[row * result.units.length + unit];
  const listed = entryOf(result, row)?.units.includes(unit) ?? false;
  if (!listed && (value === undefined || Number.isFinite(value))) return undefined;
  return `the relevance of "${result.units[unit] ?? unit}" is ${BEYOND}`;
}
