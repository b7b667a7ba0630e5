/**
 * Notes on records of the input a reader skipped while keeping the others: a JSONL line that
 * is not a JSON object, a CSV row with more values than the header has columns, a CSV record
 * whose quoted field never closes (its line is skipped, the lines after it are read). pandas stops
 * there by default (read_json(lines=True) raises, read_csv's on_bad_lines='error'); NEON keeps
 * every good record, so these notes are the one place a user learns data was dropped. Their
 * wording lives here, with the test that recognises them, so the CLI can print them as
 * warnings and `--strict` can turn them into an error (trial s19 D7).
 */

/** "bad.jsonl: 1 line(s) that are not a valid JSON object skipped (the other 40 are kept): line 21, column 51: …." */
export function invalidJsonLinesNote(name: string, count: number, kept: number, examples: readonly string[]): string {
  return `${name}: ${count} ${INVALID_JSON} (the other ${kept} are kept): ${examples.join('; ')}${count > examples.length ? '; ...' : ''}.`;
}

/** "bad.csv: 2 row(s) have more values than the header has columns and were skipped: line 4 (…); …." */
export function extraValuesRowsNote(name: string, count: number, examples: readonly string[]): string {
  return `${name}: ${count} ${EXTRA_VALUES}: ${examples.join('; ')}${count > examples.length ? '; ...' : ''}.`;
}

/** Where a skipped record's quote opens: "line 5, column "x" (field 2)", "line 5 (its record starts on line 4), …". */
function quoteWhere(q: QuoteWhere): string {
  return `line ${q.line}${q.recordLine !== undefined && q.recordLine < q.line ? ` (its record starts on line ${q.recordLine})` : ''}, ${q.column !== undefined ? `column ${JSON.stringify(q.column)} (field ${q.field})` : `field ${q.field}`}`;
}

/**
 * "stray.csv: 1 record(s) with an unterminated quoted field skipped (the other 999 are kept): line 3, column "comment" (field 3): …."
 * The cell opens a quote that never closes before the end of the file (pandas: "EOF inside
 * string"); its lines through the quote's are skipped (`lines` in all) and the rest is read
 * (review7 F3).
 */
export function unterminatedQuoteNote(name: string, count: number, kept: number, examples: readonly QuoteWhere[], lines: number): string {
  const where = examples.map(quoteWhere).join('; ') + (count > examples.length ? '; ...' : '');
  const lost = `${lines} line${lines === 1 ? '' : 's'}`;
  return `${name}: ${count} ${UNTERMINATED} (the other ${kept} are kept): ${where}: the cell opens with " and never closes before the end of the file, so ${count === 1 ? 'that record was' : 'those records were'} skipped (${lost} in all) and reading went on at the next line; check the quote (close it, or write a literal quote as "") to read ${count === 1 ? 'that row' : 'those rows'}.`;
}

interface QuoteWhere {
  readonly line: number;
  readonly recordLine?: number;
  readonly column: string | undefined;
  readonly field: number;
}

const UNTERMINATED = 'record(s) with an unterminated quoted field skipped';
const INVALID_JSON = 'line(s) that are not a valid JSON object skipped';
const EXTRA_VALUES = 'row(s) have more values than the header has columns and were skipped';
const SKIPPED = new RegExp(`^[^\\n]*?: \\d+ (${escape(INVALID_JSON)}|${escape(EXTRA_VALUES)}|${escape(UNTERMINATED)})`);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `note` says records of the input were skipped (one of the notes above). */
export function isSkippedRecordsNote(note: string): boolean {
  return SKIPPED.test(note);
}

/** What the skip notes of a run say, in short: how many records, and where (trial7 D1). */
export interface SkippedRecords {
  /** Records skipped, summed over the notes. */
  readonly count: number;
  /** "1 record skipped (line 41: unterminated quote)", "3 records skipped (lines 4, 9: more values than the header; line 21: not a JSON object)". */
  readonly phrase: string;
}

const SHORT: readonly (readonly [string, string])[] = [
  [UNTERMINATED, 'unterminated quote'],
  [INVALID_JSON, 'not a JSON object'],
  [EXTRA_VALUES, 'more values than the header'],
];

/**
 * The skip notes among `notes` (isSkippedRecordsNote) summed up for a one-line message: the
 * count is each note's leading number, the places the first three "line N" each note names.
 * Undefined when no record was skipped.
 */
export function skippedRecords(notes: readonly string[]): SkippedRecords | undefined {
  let count = 0;
  const places: string[] = [];
  for (const note of new Set(notes)) {
    const m = SKIPPED.exec(note);
    if (!m) continue;
    count += Number(/: (\d+) /.exec(m[0])?.[1] ?? 1);
    const kind = SHORT.find(([k]) => k === m[1])?.[1] ?? 'skipped';
    const rest = note.slice(m[0].length);
    const lines = [...rest.matchAll(/(?<!starts on )\bline (\d+)/g)].map((l) => l[1]!).filter((l, i, all) => all.indexOf(l) === i);
    const shown = lines.slice(0, 3).join(', ') + (lines.length > 3 ? ', …' : '');
    places.push(lines.length === 0 ? kind : `line${lines.length > 1 ? 's' : ''} ${shown}: ${kind}`);
  }
  if (count === 0) return undefined;
  return { count, phrase: `${count.toLocaleString('en')} record${count === 1 ? '' : 's'} skipped (${places.join('; ')})` };
}
