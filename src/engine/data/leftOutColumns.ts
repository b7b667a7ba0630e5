/**
 * Columns the user leaves out of the features (the extension's "Columns to leave out" step, a
 * label-like column the user did not make the label): matched by name like the label column
 * (exact, then case-insensitive), kept in the table for display, never a feature.
 */
import path from 'node:path';
import type { CellColumn } from './cellColumn';
import type { ColumnAnalysis } from './columnTyping';
import { CELL_EMPTY, CELL_NA_TOKEN } from './numberFormat';

export const LEFT_OUT_REASON = 'left out of the features by your choice';

/** Source indices of the columns named in `names` (the label column excepted); unknown names get a note. */
export function leftOutColumns(header: readonly string[], names: readonly string[] | undefined, labelIndex: number, file: string, notes: string[]): Set<number> {
  const out = new Set<number>();
  if (!names || names.length === 0) return out;
  const unknown: string[] = [];
  for (const wanted of names) {
    let j = header.indexOf(wanted);
    if (j < 0) {
      const lower = wanted.trim().toLowerCase();
      j = header.findIndex((h) => h.trim().toLowerCase() === lower);
    }
    if (j < 0) unknown.push(`"${wanted}"`);
    else if (j !== labelIndex) out.add(j);
  }
  if (unknown.length > 0) notes.push(`${path.basename(file)}: no column ${unknown.join(', ')} to leave out.`);
  return out;
}

/** The analysis of a left-out column: not a feature, its missing cells still counted. */
export function leftOutAnalysis(col: CellColumn): ColumnAnalysis {
  let empty = 0;
  const tokens = new Map<string, number>();
  if (col.kinds) {
    for (let i = 0; i < col.kinds.length; i++) {
      const k = col.kinds[i];
      if (k === CELL_EMPTY) empty++;
      else if (k === CELL_NA_TOKEN) {
        const t = col.texts[(col.codes as Int32Array)[i]];
        tokens.set(t, (tokens.get(t) ?? 0) + 1);
      }
    }
  }
  let missing = empty;
  for (const n of tokens.values()) missing += n;
  return { kind: 'identifier', missing, empty, tokens, excludedReason: LEFT_OUT_REASON };
}
