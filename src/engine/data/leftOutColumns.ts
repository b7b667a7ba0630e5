/**
 * Columns the user leaves out of the features (the extension's "Columns to leave out" step, a
 * label-like column the user did not make the label): matched by name like the label column
 * (exact, then case-insensitive), kept in the table for display, never a feature.
 */
import path from 'node:path';
import type { ColumnAnalysis } from './columnTyping';

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
export function leftOutAnalysis(rows: readonly (readonly string[])[], j: number, isMissing: (cell: string) => boolean): ColumnAnalysis {
  let missing = 0;
  for (const row of rows) if (isMissing(row[j] ?? '')) missing++;
  return { kind: 'identifier', missing, excludedReason: LEFT_OUT_REASON };
}
