/**
 * What the extension says about a finished job, in the notification that ends it, the tree and
 * the panel: how many of how many rows (and how they were chosen), the label column, the
 * columns left out, and the dataset notes about columns dropped or converted (issue 8 §4).
 */
import type { PipelineResult } from '../engine/pipelineTypes';
import { plain } from './editor/format';
import type { Session } from './session';
import { budgetText } from '../engine/pipeline/rowBudget';
import { isSkippedRecordsNote, skippedRecords } from '../engine/data/skippedRecords';

/** "wine.csv: 3 clusters of 178 rows; label column class (not a feature); dropped: …". */
export function jobSummary(session: Session): string {
  const r = session.result;
  const ds = r.dataset;
  const parts: string[] = [];
  const kNote = kPhrase(r);
  const how = session.origin.kind === 'loaded' ? ` explained with ${session.origin.file}` : '';
  const notes = distinctNotes(session);
  const skipped = skippedRecords(notes);
  if (skipped) {
    // Records lost on reading come first: the user must learn that data is missing (trial7 D1).
    parts.push(`${session.title}: ${skipped.phrase} — ${rowsOfFile(r, skipped.count)} clustered; details in the panel's notes.`);
    parts.push(`${r.model.k} clusters${how}${kNote}.`);
  } else parts.push(`${session.title}: ${r.model.k} clusters of ${rowsPhrase(r)}${how}${kNote}.`);
  if (ds.kind === 'table') {
    if (ds.labelColumn !== undefined) parts.push(`Label column ${ds.labelColumn} (not a feature).`);
    const left = ds.columns.filter((c) => c.excludedReason?.includes('your choice')).map((c) => c.name);
    if (left.length > 0) parts.push(`Left out: ${listNames(left)}.`);
  }
  // k clusters asked for, fewer filled (IDC can leave some empty): say so where the count is read.
  const empty = r.clusters.filter((c) => c.size === 0).map((c) => c.index);
  if (empty.length > 0) parts.push(`${empty.length} of the ${r.model.k} clusters ${empty.length > 1 ? 'are' : 'is'} empty (${empty.map((c) => `Cluster ${c}`).join(', ')}): the data may have fewer clusters.`);
  const mixed = r.clusters.filter((c) => c.mixed !== undefined);
  if (mixed.length > 0) parts.push(`${mixed.length} mixed cluster${mixed.length > 1 ? 's' : ''} (catch-all: ${mixed.map((c) => c.index).join(', ')}), marked in the tree and the panel.`);
  const shown = columnChangeNotes(r).slice(0, 2);
  if (shown.length > 0) parts.push(shown.map((n) => n.replace(/^[^:]+: /, '')).join(' '));
  // Every other note of the panel is counted (the skip notes are named above).
  const more = notes.filter((n) => !shown.includes(n) && !isSkippedRecordsNote(n)).length;
  if (more > 0) parts.push(`(${more} more note${more === 1 ? '' : 's'} in the panel)`);
  return parts.join(' ');
}

/** Whether the job's notification is a warning: records of the input were skipped on reading (trial7 D1). */
export function jobLostRecords(session: Session): boolean {
  return skippedRecords(distinctNotes(session)) !== undefined;
}

/** The notes the panel lists (toWebview.ts), once each. */
function distinctNotes(session: Session): string[] {
  return [...new Set([...(session.hostNotes ?? []), ...session.result.dataset.notes, ...session.result.notes])];
}

/**
 * "79 of 80 rows" (the rows read of the file's rows: those read plus those skipped) when every
 * row read was clustered; otherwise how the rows were chosen (rowsPhrase) and "(N skipped)".
 */
function rowsOfFile(r: PipelineResult, skipped: number): string {
  const s = r.rowSelection;
  const unit = r.dataset.kind === 'table' ? 'rows' : 'documents';
  if (s && s.method !== 'all') return rowsPhrase(r);
  const read = s ? s.rows : r.dataset.rows;
  return `${read.toLocaleString('en')} of ${(read + skipped).toLocaleString('en')} ${unit}`;
}

/**
 * How many of how many rows / documents were clustered and explained, and how they were chosen:
 * "178 rows", "all 1,000,000 rows", "the first 5,000 rows (maxRows = 5,000; the file has more)",
 * "a random sample of 250,000 of 1,000,000 rows (seed 42, to fit the 4096 MB memory budget)",
 * "all 1,000,000 rows (fitted on a uniform random sample of 250,000, seed 42, to fit the 512 MB
 * memory budget; every row assigned and explained)" once the streaming pass explained every row.
 */
export function rowsPhrase(r: PipelineResult): string {
  const ds = r.dataset;
  const unit = ds.kind === 'table' ? 'rows' : 'documents';
  const n = (x: number) => x.toLocaleString('en');
  const s = r.rowSelection;
  if (s) {
    if (s.method === 'first') return `the first ${n(s.rows)} ${unit} (maxRows = ${n(s.rows)}${s.totalRows !== undefined ? ` of ${n(s.totalRows)}` : '; the file has more'})`;
    if (s.method === 'sample') {
      const budget = s.budgetBytes !== undefined ? `, to fit the ${budgetText(s.budgetBytes)} memory budget` : '';
      // The streaming pass assigned and explained every row after fitting the sample.
      if (s.explainedRows !== undefined) return `all ${n(s.explainedRows)} ${unit} (${s.modelGiven ? 'a uniform random sample' : 'fitted on a uniform random sample'} of ${n(s.rows)}${s.modelGiven ? ' kept in memory' : ''}, seed ${s.seed ?? '?'}${budget}; every row assigned and explained)`;
      return `a random sample of ${n(s.rows)} of ${n(s.totalRows ?? s.rows)} ${unit} (seed ${s.seed ?? '?'}${budget})`;
    }
    return s.rows > 1000 ? `all ${n(s.rows)} ${unit}` : `${n(s.rows)} ${unit}`;
  }
  const truncated = [...ds.notes, ...r.notes].find((t) => /only the first \d+ (data rows|documents|lines)/.test(t));
  if (truncated) return `the first ${n(ds.rows)} ${unit} (maxRows = ${n(ds.rows)}; the file has more)`;
  return `${n(ds.rows)} ${unit}`;
}

/** "(k = 8 chosen by the best silhouette, 0.19)" when k was chosen automatically. */
export function kPhrase(r: PipelineResult): string {
  const k = r.kSuggestion;
  if (!k) return '';
  const score = k.scores.find((x) => x.k === r.model.k)?.silhouette;
  return ` (k chosen by ${k.rule ?? 'the best silhouette'}${score !== undefined && Number.isFinite(score) ? `, silhouette ${plain(score, 2)}` : ''})`;
}

/**
 * The dataset notes about columns dropped from the features or converted on reading (issue 8
 * §4: they end the job's notification as well as the panel). Left-out columns by the user's
 * choice are said separately.
 */
export function columnChangeNotes(r: PipelineResult): string[] {
  const seen = new Set<string>();
  const notes = [...r.dataset.notes, ...r.notes].filter((n) => {
    if (seen.has(n)) return false;
    seen.add(n);
    if (/left-out column/.test(n)) return false;
    return /excluded from the features|dropped|converted|treated as missing|read as|read two ways|renamed|made unique|without a header name|look like image pixels|decimal comma|thousands/i.test(n);
  });
  // Columns that are not features (ids, dates, dropped) first: the notification shows two notes,
  // and which columns were left out matters more than how a number was written (trial s18).
  const leftOut = (n: string): number => (/excluded from the features|dropped/i.test(n) ? 0 : 1);
  return notes.sort((a, b) => leftOut(a) - leftOut(b));
}

function listNames(names: readonly string[], max = 4): string {
  return names.slice(0, max).join(', ') + (names.length > max ? `, … (${names.length} in all)` : '');
}

