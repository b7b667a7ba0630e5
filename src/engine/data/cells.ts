/**
 * Reading one table cell from its text: missing, a number (plain or formatted, see
 * numberFormat.ts), infinite, or text. The CSV reader has a byte-level fast path for plain
 * numbers and calls this for everything else; other readers (Parquet string columns) call it
 * for every cell, so all formats share one rule.
 */
import type { MissingValueRule } from './missingValues';
import {
  CELL_EMPTY,
  CELL_NA_TOKEN,
  CELL_NONFINITE,
  CELL_NUMBER,
  CELL_TEXT,
  parseFormattedNumber,
  type CellKind,
  type FormattedNumber,
  NumberFormatEvidence,
} from './numberFormat';

export { CELL_COMMA_AMBIGUOUS, CELL_EMPTY, CELL_NA_TOKEN, CELL_NONFINITE, CELL_NUMBER, CELL_POINT_AMBIGUOUS, CELL_TEXT, type CellKind } from './numberFormat';

/** Plain decimal / scientific notation (what `Number` reads, minus hex and `Infinity`). */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;
/** Spaces a spreadsheet may leave around a value, including no-break spaces. */
const EDGE_SPACE = /^[\s\u00a0\u202f\ufeff]+|[\s\u00a0\u202f\ufeff]+$/g;

export function trimCell(raw: string): string {
  const c0 = raw.charCodeAt(0);
  const c1 = raw.charCodeAt(raw.length - 1);
  // Fast exit for the common case: no leading or trailing space of any kind.
  if (c0 > 32 && c0 !== 160 && c0 < 0x2000 && c1 > 32 && c1 !== 160 && c1 < 0x2000 && c0 !== 0xfeff) return raw;
  return raw.replace(EDGE_SPACE, '');
}

/**
 * Classifies a trimmed cell text. For numbers the value is in `out.value` (the decimal-point
 * reading for ambiguous cells). Formatting seen is counted in `ev`.
 */
export function classifyText(t: string, rule: MissingValueRule, out: FormattedNumber, ev: NumberFormatEvidence): CellKind {
  if (t === '') return CELL_EMPTY;
  if (rule.isToken(t)) return CELL_NA_TOKEN;
  const c = t.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (PLAIN_NUMBER.test(t)) {
      const v = Number(t);
      if (rule.isNumericToken(v)) return CELL_NA_TOKEN;
      if (!Number.isFinite(v)) {
        out.value = v;
        return CELL_NONFINITE;
      }
      // A plain number may still be ambiguous (`1.299`) or prove the decimal point (`1.5`).
      return plainNumberKind(t, v, out, ev);
    }
    if (INFINITY.test(t)) {
      out.value = t.charCodeAt(0) === 45 ? -Infinity : Infinity;
      return CELL_NONFINITE;
    }
  } else if (INFINITY.test(t)) {
    out.value = Infinity;
    return CELL_NONFINITE;
  }
  if (parseFormattedNumber(t, out, ev)) {
    if (out.kind === CELL_NUMBER && rule.isNumericToken(out.value)) return CELL_NA_TOKEN;
    return out.kind;
  }
  return CELL_TEXT;
}

/** Kind of a plain number's text: the `1.299` shape is ambiguous, other points prove the convention. */
function plainNumberKind(t: string, v: number, out: FormattedNumber, ev: NumberFormatEvidence): CellKind {
  const dot = t.indexOf('.');
  out.value = v;
  if (dot < 0) return CELL_NUMBER;
  const hasExp = /[eE]/.test(t);
  const signed = t.charCodeAt(0) === 45 || t.charCodeAt(0) === 43 ? 1 : 0;
  const intDigits = dot - signed;
  const fracDigits = t.length - dot - 1;
  if (!hasExp && fracDigits === 3 && intDigits >= 1 && intDigits <= 3 && t.charCodeAt(signed) !== 48) {
    ev.pointAmbiguous++;
    if (!ev.example.has('point-ambiguous')) ev.example.set('point-ambiguous', t);
    return 5 as CellKind; // CELL_POINT_AMBIGUOUS
  }
  ev.decimalPoint++;
  return CELL_NUMBER;
}

/** Whether a cell text reads as a number (finite or not) under the rule: for header detection. */
export function isNumberText(raw: string, rule: MissingValueRule): boolean {
  const out: FormattedNumber = { kind: CELL_NUMBER, value: 0 };
  const k = classifyText(trimCell(raw), rule, out, new NumberFormatEvidence());
  return k === CELL_NUMBER || k === CELL_NONFINITE || k === 5 || k === 6;
}

/** Whether a cell text is missing (empty or a missing-value token) under the rule. */
export function isMissingText(raw: string, rule: MissingValueRule): boolean {
  const t = trimCell(raw);
  return t === '' || rule.isToken(t);
}

/** Whether a kind holds a finite number (possibly ambiguous). */
export function isNumberKind(kind: number): boolean {
  return kind === CELL_NUMBER || kind === 5 || kind === 6;
}

/** Whether a kind holds text (including a missing-value token): `codes` then point into `texts`. */
export function hasText(kind: number): boolean {
  return kind === CELL_TEXT || kind === CELL_NA_TOKEN;
}
