/**
 * What the extension says about a finished job, in the notification that ends it, the tree and
 * the panel: how many of how many rows (and how they were chosen), the label column, the
 * columns left out, and the dataset notes about columns dropped or converted (issue 8 §4).
 */
import type { PipelineResult } from '../engine/pipelineTypes';
import { plain } from './editor/format';
import type { Session } from './session';

/** "wine.csv: 3 clusters of 178 rows; label column class (not a feature); dropped: …". */
export function jobSummary(session: Session): string {
  const r = session.result;
  const ds = r.dataset;
  const parts: string[] = [];
  const kNote = r.kSuggestion ? ` (k chosen by silhouette ${plain(r.kSuggestion.scores.find((s) => s.k === r.model.k)?.silhouette ?? NaN, 2)})` : '';
  const how = session.origin.kind === 'loaded' ? ` explained with ${session.origin.file}` : '';
  parts.push(`${session.title}: ${r.model.k} clusters of ${rowsPhrase(r)}${how}${kNote}.`);
  if (ds.kind === 'table') {
    if (ds.labelColumn !== undefined) parts.push(`Label column ${ds.labelColumn} (not a feature).`);
    const left = ds.columns.filter((c) => c.excludedReason?.includes('your choice')).map((c) => c.name);
    if (left.length > 0) parts.push(`Left out: ${listNames(left)}.`);
  }
  const columnNotes = columnChangeNotes(r);
  if (columnNotes.length > 0) parts.push(columnNotes.slice(0, 2).map((n) => n.replace(/^[^:]+: /, '')).join(' ') + (columnNotes.length > 2 ? ` (${columnNotes.length - 2} more notes in the panel)` : ''));
  return parts.join(' ');
}

/** "178 rows", or "the first 200000 of more rows (maxRows)": how many rows, of how many, chosen how. */
export function rowsPhrase(r: PipelineResult): string {
  const ds = r.dataset;
  const unit = ds.kind === 'table' ? 'rows' : 'documents';
  const truncated = [...ds.notes, ...r.notes].find((n) => /only the first \d+ (data rows|documents|lines)/.test(n));
  if (truncated) return `the first ${ds.rows} ${unit} (the file has more; the maxRows setting)`;
  return `${ds.rows} ${unit}`;
}

/**
 * The dataset notes about columns dropped from the features or converted on reading (issue 8
 * §4: they end the job's notification as well as the panel). Left-out columns by the user's
 * choice are said separately.
 */
export function columnChangeNotes(r: PipelineResult): string[] {
  const seen = new Set<string>();
  return [...r.dataset.notes, ...r.notes].filter((n) => {
    if (seen.has(n)) return false;
    seen.add(n);
    if (/left-out column/.test(n)) return false;
    return /excluded from the features|dropped|converted|treated as missing|read as|renamed|look like image pixels|decimal comma|thousands/i.test(n);
  });
}

function listNames(names: readonly string[], max = 4): string {
  return names.slice(0, max).join(', ') + (names.length > max ? `, … (${names.length} in all)` : '');
}

