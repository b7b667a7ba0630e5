/**
 * Numbers as people write them: decimal point or decimal comma, thousands separators
 * (`,` `.` space, no-break space U+00A0 / U+202F, `'`), currency signs and codes (`€1,250.00`,
 * `1.250,00 EUR`), percent (`12 %`, read as 12 with a note), accounting negatives `(1,250)`
 * and the Unicode minus `−`.
 *
 * A cell alone cannot always tell its convention: `1.299` is 1.299 with a decimal point and
 * 1299 with a point separating thousands; `1,250` is 1250 or 1.25. Such cells are classified
 * as ambiguous and stored with their decimal-point reading; the column's other cells decide
 * (see `resolveConvention`). The decimal-comma reading is recovered exactly from the stored one:
 * `1.299` (point-ambiguous) → round(v × 1000), `1,250` (comma-ambiguous) → v / 1000, both
 * exact because the readings are integers or a correctly rounded integer quotient.
 */

/** What a table cell holds. Stored per cell in a Uint8Array. */
export const CELL_NUMBER = 0;
/** Empty or whitespace-only. */
export const CELL_EMPTY = 1;
/** A missing-value token (`NA`, `null`, the user's tokens); its text is kept. */
export const CELL_NA_TOKEN = 2;
/** Text that is not a number. */
export const CELL_TEXT = 3;
/** A number that is infinite or overflows float64 (`inf`, `1e400`). */
export const CELL_NONFINITE = 4;
/** `1.299`-like: the value holds the decimal-point reading (1.299); decimal comma: 1299. */
export const CELL_POINT_AMBIGUOUS = 5;
/** `1,250`-like: the value holds the thousands-comma reading (1250); decimal comma: 1.25. */
export const CELL_COMMA_AMBIGUOUS = 6;
export type CellKind = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** A column's decimal separator, once decided. */
export type DecimalConvention = 'point' | 'comma';

/** Formatting seen in one column, counted while reading; merged across chunks. */
export class NumberFormatEvidence {
  /** Cells whose only reading has '.' as the decimal separator (`1.5`, `1,234.5`, `1,234,567`). */
  decimalPoint = 0;
  /** Cells whose only reading has ',' as the decimal separator (`89,90`, `1.234,5`, `1.234.567`). */
  decimalComma = 0;
  pointAmbiguous = 0;
  commaAmbiguous = 0;
  /** Cells with a thousands separator, by separator character. */
  grouping = new Map<string, number>();
  /** Cells with a currency sign or code, by sign. */
  currency = new Map<string, number>();
  percent = 0;
  parenNegative = 0;
  /** First cell of each kind of conversion, for the note (e.g. `"€1,250.00"`). */
  example = new Map<string, string>();

  merge(o: NumberFormatEvidence): void {
    this.decimalPoint += o.decimalPoint;
    this.decimalComma += o.decimalComma;
    this.pointAmbiguous += o.pointAmbiguous;
    this.commaAmbiguous += o.commaAmbiguous;
    this.percent += o.percent;
    this.parenNegative += o.parenNegative;
    for (const [k, v] of o.grouping) this.grouping.set(k, (this.grouping.get(k) ?? 0) + v);
    for (const [k, v] of o.currency) this.currency.set(k, (this.currency.get(k) ?? 0) + v);
    for (const [k, v] of o.example) if (!this.example.has(k)) this.example.set(k, v);
  }

  /** Whether any cell needed more than a plain number parse. */
  get formatted(): boolean {
    return this.grouping.size > 0 || this.currency.size > 0 || this.percent > 0 || this.parenNegative > 0 || this.decimalComma > 0 || this.commaAmbiguous > 0;
  }
}

/** Result of `parseFormattedNumber` (reused, not allocated per call). */
export interface FormattedNumber {
  kind: CellKind;
  value: number;
}

const GROUP_CHARS = new Set([',', '.', ' ', '\u00a0', '\u202f', "'", '\u2019']);
/** ISO 4217 codes people put next to amounts; a currency *sign* is any Unicode Sc character. */
const CURRENCY_CODE = /^(?:EUR|USD|GBP|CHF|JPY|CNY|INR|CAD|AUD|SEK|NOK|DKK|PLN|CZK|HUF|RUB|BRL|ZAR|MXN|KRW)$/;
const CURRENCY_SIGN = /^\p{Sc}$/u;
const SPACES = /^[\s\u00a0\u202f]+|[\s\u00a0\u202f]+$/g;

function noteExample(ev: NumberFormatEvidence, key: string, text: string): void {
  if (!ev.example.has(key)) ev.example.set(key, text);
}

/** Strips a leading or trailing currency sign / code; returns the rest, or undefined. */
function stripCurrency(s: string, ev: NumberFormatEvidence, original: string): string | undefined {
  const first = s.codePointAt(0) ?? 0;
  const firstChar = String.fromCodePoint(first);
  if (CURRENCY_SIGN.test(firstChar)) {
    count(ev.currency, firstChar);
    noteExample(ev, 'currency', original);
    return s.slice(firstChar.length).replace(SPACES, '');
  }
  const lastChar = s.slice(-1);
  if (CURRENCY_SIGN.test(lastChar)) {
    count(ev.currency, lastChar);
    noteExample(ev, 'currency', original);
    return s.slice(0, -1).replace(SPACES, '');
  }
  if (s.length > 4) {
    const head = s.slice(0, 3);
    if (CURRENCY_CODE.test(head) && /[\s\d\-+(]/.test(s[3])) {
      count(ev.currency, head);
      noteExample(ev, 'currency', original);
      return s.slice(3).replace(SPACES, '');
    }
    const tail = s.slice(-3);
    if (CURRENCY_CODE.test(tail) && /[\s\d)]/.test(s[s.length - 4])) {
      count(ev.currency, tail);
      noteExample(ev, 'currency', original);
      return s.slice(0, -3).replace(SPACES, '');
    }
  }
  return undefined;
}

function count(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function isDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Reads a trimmed cell that is not a plain number (`parseFloat` syntax) as a formatted number.
 * On success sets `out.kind` (CELL_NUMBER, CELL_NONFINITE or an ambiguous kind) and
 * `out.value`, counts what it saw in `ev`, and returns true; returns false for text.
 */
export function parseFormattedNumber(text: string, out: FormattedNumber, ev: NumberFormatEvidence): boolean {
  let s = text;
  let negative = false;
  let parens = false;
  let percent = false;
  if (s.length >= 3 && s.charCodeAt(0) === 40 && s.charCodeAt(s.length - 1) === 41) {
    parens = true;
    s = s.slice(1, -1).replace(SPACES, '');
  }
  let sawCurrency = false;
  // Sign, currency and percent can come in any order around the digits: peel up to three layers.
  for (let layer = 0; layer < 3 && s.length > 0; layer++) {
    const c = s.charCodeAt(0);
    if (!negative && (c === 45 || c === 0x2212 || c === 43)) {
      negative = c !== 43;
      s = s.slice(1).replace(SPACES, '');
      continue;
    }
    if (!percent && s.charCodeAt(s.length - 1) === 37) {
      percent = true;
      s = s.slice(0, -1).replace(SPACES, '');
      continue;
    }
    if (!sawCurrency) {
      const rest = stripCurrency(s, ev, text);
      if (rest !== undefined) {
        sawCurrency = true;
        s = rest;
        continue;
      }
    }
    // A trailing minus after the currency (`€1,250-`) is not read; anything else ends peeling.
    break;
  }
  if (s.length === 0) return false;
  if (!readCore(s, out, ev, text)) return false;
  if (negative && parens) return false;
  if (negative || parens) out.value = -out.value;
  if (parens) {
    ev.parenNegative++;
    noteExample(ev, 'parens', text);
  }
  if (percent) {
    ev.percent++;
    noteExample(ev, 'percent', text);
  }
  return true;
}

/** Digits with at most one decimal separator and one kind of thousands separator. */
function readCore(s: string, out: FormattedNumber, ev: NumberFormatEvidence, original: string): boolean {
  // Exponent form: plain digits with '.' or ',' as decimal separator.
  const e = /^(\d*)([.,]?)(\d*)[eE]([+-]?\d+)$/.exec(s);
  if (e) {
    if (e[1] === '' && e[3] === '') return false;
    const v = Number(`${e[1] || '0'}.${e[3] || '0'}e${e[4]}`);
    if (e[2] === ',') ev.decimalComma++;
    else if (e[2] === '.') ev.decimalPoint++;
    return setValue(out, v);
  }
  // Separator positions and characters.
  let firstSep = -1;
  let lastSep = -1;
  let kinds = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (!GROUP_CHARS.has(ch)) return false;
    if (i === 0 && ch !== '.' && ch !== ',') return false;
    if (firstSep < 0) firstSep = i;
    lastSep = i;
    if (!kinds.includes(ch)) kinds += ch;
    if (kinds.length > 2) return false;
  }
  if (firstSep < 0) return setValue(out, Number(s)); // e.g. digits left after stripping a sign
  if (lastSep === s.length - 1 && (s[lastSep] !== '.' && s[lastSep] !== ',')) return false;
  if (kinds.length === 1) {
    const sep = kinds;
    let occurrences = 0;
    for (let i = 0; i < s.length; i++) if (s[i] === sep) occurrences++;
    const isDecimalChar = sep === '.' || sep === ',';
    if (occurrences === 1 && isDecimalChar) {
      const intPart = s.slice(0, firstSep);
      const frac = s.slice(firstSep + 1);
      if (intPart !== '' && !isDigits(intPart, 0, intPart.length)) return false;
      if (frac !== '' && !isDigits(frac, 0, frac.length)) return false;
      if (intPart === '' && frac === '') return false;
      const ambiguous = frac.length === 3 && intPart.length >= 1 && intPart.length <= 3 && intPart[0] !== '0';
      if (ambiguous) {
        if (sep === '.') {
          ev.pointAmbiguous++;
          noteExample(ev, 'point-ambiguous', original);
          out.kind = CELL_POINT_AMBIGUOUS;
          out.value = Number(`${intPart}.${frac}`);
        } else {
          ev.commaAmbiguous++;
          noteExample(ev, 'comma-ambiguous', original);
          out.kind = CELL_COMMA_AMBIGUOUS;
          out.value = Number(intPart + frac);
        }
        return true;
      }
      if (sep === ',') {
        ev.decimalComma++;
        noteExample(ev, 'decimal-comma', original);
      } else ev.decimalPoint++;
      return setValue(out, Number(`${intPart || '0'}.${frac || '0'}`));
    }
    // One separator kind, several times (or a space-like one): thousands grouping.
    if (!validGroups(s, sep, s.length)) return false;
    countGrouping(ev, sep, original);
    if (sep === '.') ev.decimalComma++;
    else if (sep === ',') ev.decimalPoint++;
    return setValue(out, Number(s.split(sep).join('')));
  }
  // Two kinds: the last separator is the decimal one (once, '.' or ','), the other groups.
  const decimal = s[lastSep];
  if (decimal !== '.' && decimal !== ',') return false;
  const group = kinds[0] === decimal ? kinds[1] : kinds[0];
  if (s.indexOf(decimal) !== lastSep) return false;
  if (!validGroups(s, group, lastSep)) return false;
  const frac = s.slice(lastSep + 1);
  if (frac !== '' && !isDigits(frac, 0, frac.length)) return false;
  countGrouping(ev, group, original);
  if (decimal === ',') {
    ev.decimalComma++;
    noteExample(ev, 'decimal-comma', original);
  } else ev.decimalPoint++;
  return setValue(out, Number(`${s.slice(0, lastSep).split(group).join('')}.${frac || '0'}`));
}

function countGrouping(ev: NumberFormatEvidence, sep: string, original: string): void {
  const key = sep === '\u2019' ? "'" : sep;
  count(ev.grouping, key);
  noteExample(ev, `group${key}`, original);
}

/** `s[0, end)` is 1-3 digits followed by groups of exactly three digits separated by `sep`. */
function validGroups(s: string, sep: string, end: number): boolean {
  const parts = s.slice(0, end).split(sep);
  if (parts.length < 2) return false;
  if (parts[0].length < 1 || parts[0].length > 3 || !isDigits(parts[0], 0, parts[0].length)) return false;
  for (let i = 1; i < parts.length; i++) if (parts[i].length !== 3 || !isDigits(parts[i], 0, 3)) return false;
  return true;
}

function setValue(out: FormattedNumber, v: number): boolean {
  if (Number.isNaN(v)) return false;
  out.kind = Number.isFinite(v) ? CELL_NUMBER : CELL_NONFINITE;
  out.value = v;
  return true;
}

/**
 * Decides a column's decimal separator from its evidence. `fallback` applies when no cell
 * shows the convention (only integers and ambiguous cells): a ';'-delimited file is a
 * decimal-comma spreadsheet export, anything else uses a decimal point.
 * `conflict`: cells prove both conventions, so ambiguous cells cannot be read (→ missing).
 */
export function resolveConvention(ev: NumberFormatEvidence, fallback: DecimalConvention): { convention: DecimalConvention; decided: 'evidence' | 'default' | 'conflict' } {
  if (ev.decimalPoint > 0 && ev.decimalComma > 0) return { convention: ev.decimalPoint >= ev.decimalComma ? 'point' : 'comma', decided: 'conflict' };
  if (ev.decimalComma > 0) return { convention: 'comma', decided: 'evidence' };
  if (ev.decimalPoint > 0) return { convention: 'point', decided: 'evidence' };
  return { convention: fallback, decided: 'default' };
}

/** The default convention for a delimiter (see resolveConvention). */
export function fallbackConvention(delimiter: string): DecimalConvention {
  return delimiter === ';' ? 'comma' : 'point';
}

/**
 * The value of a cell under a decided convention: NaN for ambiguous cells of a conflicting
 * column and for anything that is not a finite number.
 */
export function resolvedValue(kind: number, value: number, convention: DecimalConvention, conflict: boolean): number {
  if (kind === CELL_NUMBER) return value;
  if (kind === CELL_POINT_AMBIGUOUS) return conflict ? NaN : convention === 'point' ? value : Math.round(value * 1000);
  if (kind === CELL_COMMA_AMBIGUOUS) return conflict ? NaN : convention === 'point' ? value : value / 1000;
  return NaN;
}

/** Human description of the conversions applied to a column, or '' when none were needed. */
export function describeFormat(ev: NumberFormatEvidence, convention: DecimalConvention, decided: 'evidence' | 'default' | 'conflict'): string {
  const parts: string[] = [];
  const ex = (k: string): string => {
    const v = ev.example.get(k);
    return v !== undefined ? ` (e.g. "${v}")` : '';
  };
  const groupName: Record<string, string> = { ',': 'comma', '.': 'point', ' ': 'space', '\u00a0': 'no-break space', '\u202f': 'narrow no-break space', "'": 'apostrophe' };
  for (const [sep, n] of ev.grouping) parts.push(`thousands separator ${groupName[sep] ?? sep} removed in ${n} cell(s)${ex(`group${sep}`)}`);
  if (convention === 'comma' && ev.commaAmbiguous > 0 && decided !== 'conflict') parts.push(`decimal comma in ${ev.commaAmbiguous} cell(s)${ex('comma-ambiguous')}`);
  if (convention === 'point' && ev.commaAmbiguous > 0 && decided !== 'conflict') parts.push(`thousands separator comma removed in ${ev.commaAmbiguous} cell(s)${ex('comma-ambiguous')}`);
  if (convention === 'comma' && ev.pointAmbiguous > 0 && decided !== 'conflict') parts.push(`thousands separator point removed in ${ev.pointAmbiguous} cell(s)${ex('point-ambiguous')}`);
  if (ev.decimalComma > 0 && ev.example.has('decimal-comma')) parts.push(`decimal comma read${ex('decimal-comma')}`);
  if (ev.currency.size > 0) parts.push(`currency ${[...ev.currency.keys()].join(', ')} removed${ex('currency')}`);
  if (ev.percent > 0) parts.push(`percent sign removed, values are in percent${ex('percent')}`);
  if (ev.parenNegative > 0) parts.push(`${ev.parenNegative} accounting negative(s) in parentheses read as negative${ex('parens')}`);
  return parts.join('; ');
}
