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
