/**
 * Deciding what each table column is: a number to standardise, a category to one-hot encode,
 * free text, an identifier, a constant, or the label. One pass over each column's cells, so
 * 10,000 columns cost O(rows x columns), never O(columns^2).
 */
import { CELL_MISSING, CELL_NONFINITE, CELL_NUMBER, parseCell } from './cells';
import type { ColumnKind } from '../types';

/** Categorical columns with more distinct values than this are not one-hot encoded. */
export const MAX_CATEGORIES = 100;
/** Unnamed columns of consecutive unique integers count as row ids from this many rows on. */
const MIN_ROWS_FOR_SEQUENCE_ID = 20;
/** A mostly-numeric column may hold this share of stray text cells (then treated as missing). */
const STRAY_TEXT_SHARE = 0.05;
/** Names that suggest a label column when the user has not named one. */
export const LABEL_LIKE = /^(label|labels|class|category|diagnosis|digit|target|species|outcome)$/i;
const ID_NAME = /^(id|.*[ _-]id|index|idx|row|row ?number|#|unnamed: ?0)$/i;

export const MISSING_CATEGORY = '(missing)';

/** Everything learned about one column in its single pass. */
export interface ColumnAnalysis {
  readonly kind: ColumnKind;
  readonly excludedReason?: string;
  /** Missing cells, including non-finite numbers and stray text in a numeric column. */
  readonly missing: number;
  /** Numeric columns: parsed values, NaN where missing. */
  readonly values?: Float64Array;
  readonly mean?: number;
  readonly std?: number;
  /** Categorical columns: categories in feature order (most frequent first). */
  readonly categories?: readonly string[];
  /** Numeric columns: non-finite cells treated as missing, and stray text cells (first row index). */
  readonly nonFinite?: number;
  readonly strayText?: number;
  readonly firstStrayRow?: number;
}

/**
 * Analyses column `j` of `rows`. `isLabel` marks the user's label column (kept out of the
 * features, its values returned as labels elsewhere).
 */
export function analyzeColumn(rows: readonly (readonly string[])[], j: number, name: string, isLabel: boolean, decimalComma = false): ColumnAnalysis {
  const n = rows.length;
  const values = new Float64Array(n);
  const num = new Float64Array(1);
  let missing = 0;
  let numbers = 0;
  let nonFinite = 0;
  let text = 0;
  let firstText = -1;
  for (let i = 0; i < n; i++) {
    const cls = parseCell(rows[i][j], num, decimalComma);
    if (cls === CELL_NUMBER) {
      values[i] = num[0];
      numbers++;
    } else {
      values[i] = NaN;
      if (cls === CELL_MISSING) missing++;
      else if (cls === CELL_NONFINITE) nonFinite++;
      else {
        text++;
        if (firstText < 0) firstText = i;
      }
    }
  }
  if (isLabel) return { kind: 'label', missing, excludedReason: 'label column (used for evaluation, not as a feature)' };

  const present = numbers + nonFinite + text;
  if (present === 0) return { kind: 'constant', missing, excludedReason: 'all cells are empty or missing' };

  if (numbers > 0 && text <= STRAY_TEXT_SHARE * present) {
    return analyzeNumeric(values, name, missing, nonFinite, text, firstText);
  }
  return analyzeText(rows, j, missing + nonFinite);
}

function analyzeNumeric(values: Float64Array, name: string, missing: number, nonFinite: number, strayText: number, firstStray: number): ColumnAnalysis {
  const allMissing = missing + nonFinite + strayText;
  const extra = { nonFinite, strayText, firstStrayRow: firstStray };
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  if (count === 0) return { kind: 'constant', missing: allMissing, excludedReason: 'no finite numbers', ...extra };
  // Moments of v / scale, then scaled back: values near 1e308 would overflow sums of squares.
  const scale = Math.max(Math.abs(min), Math.abs(max)) || 1;
  let scaledSum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) scaledSum += v / scale;
  }
  const scaledMean = scaledSum / count;
  const mean = scaledMean * scale;
  // Two-pass variance: stable for large offsets (e.g. timestamps).
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      const dv = v / scale - scaledMean;
      ss += dv * dv;
    }
  }
  const std = Math.sqrt(ss / count) * scale;
  if (!(std > 1e-12 * Math.max(1, Math.abs(mean))) || min === max) {
    return { kind: 'constant', missing: allMissing, excludedReason: `constant (every value is ${min})`, ...extra };
  }
  if (!Number.isFinite(std)) {
    // Values near 1e308 overflow the sum of squares: such a column cannot be standardised.
    return { kind: 'constant', missing: allMissing, excludedReason: 'values too large to standardise (overflow)', ...extra };
  }
  if (integers && allMissing === 0 && count >= 3) {
    const sequence = count >= MIN_ROWS_FOR_SEQUENCE_ID && max - min === count - 1 && distinctCount(values) === count;
    if (sequence || (ID_NAME.test(name.trim()) && distinctCount(values) === count)) {
      return { kind: 'identifier', missing: allMissing, excludedReason: sequence ? 'consecutive unique integers (looks like a row id)' : 'unique integer per row named like an id', ...extra };
    }
  }
  return { kind: 'numeric', missing: allMissing, values, mean, std, ...extra };
}

function distinctCount(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  let d = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) d++;
  return d;
}

function analyzeText(rows: readonly (readonly string[])[], j: number, missing: number): ColumnAnalysis {
  const counts = new Map<string, number>();
  let present = 0;
  let totalLength = 0;
  let totalSpaces = 0;
  const num = new Float64Array(1);
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i][j];
    const cls = parseCell(raw, num);
    if (cls === CELL_MISSING || cls === CELL_NONFINITE) continue;
    const v = raw.trim();
    present++;
    totalLength += v.length;
    for (let k = 0; k < v.length; k++) if (v.charCodeAt(k) === 32) totalSpaces++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const distinct = counts.size;
  const meanLength = totalLength / Math.max(1, present);
  const meanWords = 1 + totalSpaces / Math.max(1, present);
  const longText = meanWords >= 3 || meanLength >= 30;
  if (distinct === 1) {
    const only = counts.keys().next().value ?? '';
    return { kind: 'constant', missing, excludedReason: `constant (every value is "${only.length > 30 ? only.slice(0, 27) + '...' : only}")` };
  }
  if (distinct === present && present >= 3) {
    if (longText) return { kind: 'text', missing, excludedReason: 'free text (a different long value in every row)' };
    return { kind: 'identifier', missing, excludedReason: 'a different value in every row (looks like an identifier)' };
  }
  const categorical = distinct <= MAX_CATEGORIES && (distinct <= 0.5 * present || present < 20);
  if (categorical) {
    const categories = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([c]) => c);
    if (missing > 0) categories.push(MISSING_CATEGORY);
    return { kind: 'categorical', missing, categories };
  }
  if (longText) return { kind: 'text', missing, excludedReason: `free text (${distinct} distinct values in ${present} rows)` };
  return { kind: 'identifier', missing, excludedReason: `${distinct} distinct values in ${present} rows: too many to one-hot encode` };
}
