/**
 * Cell ranges of one CSV / TSV line, for decorations and hovers. Quote-aware (RFC 4180:
 * a quoted cell may contain the delimiter and doubled quotes). A line that ends inside an
 * open quote is a record spanning several lines: reported as `complete: false`.
 */

export interface CellSpan {
  /** Character offsets within the line, end exclusive; quotes included. */
  readonly start: number;
  readonly end: number;
}

export interface SplitLine {
  readonly cells: readonly CellSpan[];
  readonly complete: boolean;
}

export function splitCsvLine(line: string, delimiter: string): SplitLine {
  const cells: CellSpan[] = [];
  const d = delimiter.length > 0 ? delimiter : ',';
  let start = 0;
  let inQuotes = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (line[i + 1] === '"') i++; // escaped quote
        else inQuotes = false;
      }
      i++;
    } else if (ch === '"' && i === start) {
      inQuotes = true;
      i++;
    } else if (line.startsWith(d, i)) {
      cells.push({ start, end: i });
      i += d.length;
      start = i;
    } else {
      i++;
    }
  }
  let end = line.length;
  if (end > start && line[end - 1] === '\r') end--;
  cells.push({ start, end });
  return { cells, complete: !inQuotes };
}

/** The cell's text without surrounding quotes and with doubled quotes undone. */
export function cellText(line: string, span: CellSpan): string {
  const raw = line.slice(span.start, span.end);
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1).replace(/""/g, '"');
  return raw;
}

/** Index of the cell containing character `ch` (the delimiter belongs to no cell). */
export function cellAt(cells: readonly CellSpan[], ch: number): number | undefined {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (ch >= c.start && ch < c.end) return i;
    if (ch === c.end && i === cells.length - 1) return i;
  }
  return undefined;
}
