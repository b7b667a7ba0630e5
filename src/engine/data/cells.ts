/**
 * Reading single table cells: what counts as missing and what counts as a number.
 */

/** Spellings of "no value" (compared after trimming, case-insensitively). */
const MISSING = new Set(['', 'na', 'n/a', 'nan', '-nan', 'null', '?', '#n/a']);

export function isMissingCell(raw: string): boolean {
  const t = raw.trim();
  if (t.length > 7) return false;
  return MISSING.has(t.toLowerCase());
}

/** Plain decimal / scientific notation, with an optional sign. No hex, no thousands separators. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;
/** European decimal comma ("3,75"), only accepted when the delimiter is not a comma. */
const DECIMAL_COMMA = /^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$/;

/** Result codes of `parseCell`: a finite number, an infinite / overflowing number, or text. */
export const CELL_NUMBER = 0;
export const CELL_NONFINITE = 1;
export const CELL_TEXT = 2;
export const CELL_MISSING = 3;
export type CellClass = typeof CELL_NUMBER | typeof CELL_NONFINITE | typeof CELL_TEXT | typeof CELL_MISSING;

/**
 * Classifies a raw cell; for CELL_NUMBER the value is in `out[0]`. Written without allocation
 * (except trim) because it runs once per cell of the table.
 * @param decimalComma accept "3,75" as 3.75 (tables delimited by ';' or tab, as spreadsheets
 *   in many European locales write them). Never with ',' delimiters, where "1,500" is ambiguous.
 */
export function parseCell(raw: string, out: Float64Array, decimalComma = false): CellClass {
  const t = raw.trim();
  if (t.length <= 7 && MISSING.has(t.toLowerCase())) return CELL_MISSING;
  if (NUMBER.test(t)) {
    const v = Number(t);
    if (Number.isFinite(v)) {
      out[0] = v;
      return CELL_NUMBER;
    }
    return CELL_NONFINITE; // e.g. 1e400 overflows to Infinity
  }
  if (INFINITY.test(t)) return CELL_NONFINITE;
  if (decimalComma && DECIMAL_COMMA.test(t)) {
    const v = Number(t.replace(',', '.'));
    if (Number.isFinite(v)) {
      out[0] = v;
      return CELL_NUMBER;
    }
    return CELL_NONFINITE;
  }
  return CELL_TEXT;
}

/** Whether a table with this delimiter may write decimals with a comma. */
export function allowsDecimalComma(delimiter: string): boolean {
  return delimiter !== ',';
}
