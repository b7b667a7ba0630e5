/**
 * Cell ranges of one CSV / TSV record in an editor, for decorations and hovers: the record
 * that starts on a given line, followed across the line breaks inside its quoted fields
 * (an Excel comment cell `"Rückruf erbeten,⏎bitte vormittags"` puts the rest of the record on
 * the next line). The rules are the table reader's (engine/data/csvTokenizer.ts), so a record
 * ends on the line where the reader's ends: a quote opens a quoted field only as the field's
 * first character, `""` inside it is a quote, a line break inside it continues the record,
 * text after its closing quote belongs to the field, a quote elsewhere is literal. Lines are
 * the editor's (LF, CRLF and lone CR each end one, as they do for the reader's line numbers;
 * VS Code removes a UTF-8 BOM from the text, as the reader does).
 *
 * No vscode import: unit-tested on the reader's own fixtures (test/unit/editor/csvRecord.test.ts).
 */

/** The part of a cell on one line: 0-based line, character offsets in that line (end exclusive); quotes included. */
export interface CellPiece {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface CsvRecordSpans {
  /** 0-based line where the record starts. */
  readonly firstLine: number;
  /** 0-based line where it ends (firstLine for a record on one line). */
  readonly lastLine: number;
  /** Per field (the file's column order), its pieces in line order: one per line the field touches. */
  readonly cells: readonly (readonly CellPiece[])[];
  /** False when a quoted field is still open at the end of the text (the reader skips such a record). */
  readonly complete: boolean;
}

/** How many lines there are and the text of 0-based line `line` without its line break (a vscode.TextDocument is one). */
export interface LineSource {
  readonly lineCount: number;
  lineAt(line: number): { readonly text: string };
}

/**
 * Splits the record starting at the beginning of 0-based line `firstLine` into its cells.
 * Reads lines only as far as the record goes. `delimiter` is the table's (ds.delimiter).
 */
export function splitCsvRecord(source: LineSource, firstLine: number, delimiter: string): CsvRecordSpans {
  const d = delimiter.length > 0 ? delimiter : ',';
  const cells: CellPiece[][] = [];
  let pieces: CellPiece[] = [];
  let line = firstLine;
  let text = lineWithoutCr(source.lineAt(line).text);
  let start = 0; // where the current field (or its piece on this line) starts
  let fieldStart = 0; // where the current field starts on its first line (quotes open only there)
  let inQuotes = false;
  let i = 0;
  for (;;) {
    if (i >= text.length) {
      pieces.push({ line, start, end: text.length });
      if (!inQuotes || line + 1 >= source.lineCount) break;
      // A line break inside a quoted field: the field, and the record, go on on the next line.
      line++;
      text = lineWithoutCr(source.lineAt(line).text);
      start = 0;
      fieldStart = -1;
      i = 0;
      continue;
    }
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++; // a doubled quote is one quote of the content
        else inQuotes = false;
      }
      i++;
    } else if (ch === '"' && i === fieldStart) {
      inQuotes = true;
      i++;
    } else if (text.startsWith(d, i)) {
      pieces.push({ line, start, end: i });
      cells.push(pieces);
      pieces = [];
      i += d.length;
      start = i;
      fieldStart = i;
    } else {
      i++;
    }
  }
  cells.push(pieces);
  return { firstLine, lastLine: line, cells, complete: !inQuotes };
}

/** A line as the reader sees it: a CR left before the line end (a source that splits on LF only) is not content. */
function lineWithoutCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * Index of the field under character `ch` of 0-based `line`, or undefined (a delimiter belongs
 * to no field). The end of a line counts for the field that reaches it.
 */
export function cellAt(record: CsvRecordSpans, line: number, ch: number): number | undefined {
  let atLineEnd: number | undefined;
  let lineEnd = -1;
  for (let f = 0; f < record.cells.length; f++) {
    for (const p of record.cells[f]!) {
      if (p.line !== line) continue;
      if (ch >= p.start && ch < p.end) return f;
      if (p.end >= lineEnd) {
        lineEnd = p.end;
        atLineEnd = f;
      }
    }
  }
  return ch === lineEnd ? atLineEnd : undefined;
}

/**
 * The field's text as the reader gives it (csvTokenizer fieldText): a quoted field without its
 * quotes and with doubled quotes undone, text after the closing quote appended; line breaks as `\n` (an editor's text does not
 * keep which break the file had).
 */
export function cellText(source: LineSource, pieces: readonly CellPiece[]): string {
  const raw = pieces.map((p) => lineWithoutCr(source.lineAt(p.line).text).slice(p.start, p.end)).join('\n');
  if (!raw.startsWith('"')) return raw;
  let close = 1;
  while (close < raw.length && (raw[close] !== '"' || raw[close + 1] === '"')) close += raw[close] === '"' ? 2 : 1;
  return raw.slice(1, close).replace(/""/g, '"') + raw.slice(close + 1);
}

/** A LineSource over a whole text (unit tests, the CLI): lines split as VS Code and the reader split them. */
export function linesOf(text: string): LineSource {
  const lines = text.split(/\r\n|\r|\n/);
  return { lineCount: lines.length, lineAt: (line) => ({ text: lines[line] ?? '' }) };
}
