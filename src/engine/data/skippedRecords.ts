/**
 * Notes on records of the input a reader skipped while keeping the others: a JSONL line that
 * is not a JSON object, a CSV row with more values than the header has columns, a CSV record
 * whose quoted field never closes (the file's last record). pandas stops
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

/**
 * "new.csv: 1 record with an unterminated quoted field skipped (the other 2 are kept): line 5, column "x": …."
 * The record opens a quote that never closes, so it runs to the end of the file (pandas: "EOF inside string").
 */
export function unterminatedQuoteNote(name: string, kept: number, line: number, column: string | undefined, field: number, lines: number): string {
  const where = `line ${line}${column !== undefined ? `, column ${JSON.stringify(column)}` : ''}`;
  return `${name}: 1 ${UNTERMINATED} (the other ${kept} are kept): ${where}: the cell in field ${field} opens with " and never closes, so the record runs to the end of the file (${lines} line${lines === 1 ? '' : 's'}); close the quote to read it.`;
}

const UNTERMINATED = 'record with an unterminated quoted field skipped';
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
