/**
 * Deciding what each table column is: a number to standardise, a category to one-hot encode,
 * free text, an identifier, a constant, or the label. One pass over each column's cells
 * (columnar, see cellColumn.ts), so 10,000 columns cost O(rows x columns).
 */
import type { CellColumn } from './cellColumn';
import { looksLikeColumnValue } from './missingValues';
import {
  CELL_COMMA_AMBIGUOUS,
  CELL_EMPTY,
  CELL_NA_TOKEN,
  CELL_NONFINITE,
  CELL_NUMBER,
  CELL_POINT_AMBIGUOUS,
  CELL_TEXT,
  describeFormat,
  resolveConvention,
  resolvedValue,
  type DecimalConvention,
} from './numberFormat';
import { isPandasIndexName, PANDAS_INDEX_REASON } from './pandasIndex';
import type { ColumnKind } from '../types';

/** Categorical columns with more distinct values than this are not one-hot encoded. */
export const MAX_CATEGORIES = 100;
/** Unnamed columns of consecutive unique integers count as row ids from this many rows on. */
const MIN_ROWS_FOR_SEQUENCE_ID = 20;
/** A mostly-numeric column may hold this share of stray text cells (then treated as missing). */
const STRAY_TEXT_SHARE = 0.05;
/**
 * Whole names that suggest a label column (case-insensitive, `_`/`-`/`.`/spaces ignored):
 * the names public datasets give their known classes (scikit-learn's `target`, UCI's `class`,
 * Kaggle's `Survived`, `Churn`, `is_fraud`, `default payment next month`, ...), and the names
 * an earlier clustering's assignment is saved under (`df['cluster'] = KMeans(…).fit_predict(X)`,
 * trial7 D3): as a feature it would name every cluster after itself. The one list: the setting's
 * description (package.json) and the README quote it, checked by test/unit/data/labelNames.test.ts.
 */
export const LABEL_NAMES: readonly string[] = [
  'label', 'labels', 'class', 'classes', 'category', 'topic', 'diagnosis', 'digit', 'target', 'y', 'species', 'outcome',
  'churn', 'churned', 'exited', 'survived', 'default', 'fraud', 'is_fraud', 'fraudulent', 'default payment next month', 'target_class', 'class_label',
  ...['cluster', 'clusters', 'cluster_id', 'cluster_label', 'kmeans', 'kmeans_cluster', 'kmeans_label'],
];
/** Words that make a longer name label-like too (`Churn Label`, `target_variable`, `is_fraud`). */
export const LABEL_WORDS: readonly string[] = ['label', 'labels', 'class', 'target', 'outcome', 'diagnosis', 'species', 'churn', 'churned', 'survived', 'fraud'];
/** Of LABEL_NAMES, those of an earlier clustering's assignment (the note says so). */
const CLUSTER_NAMES = new Set(['cluster', 'clusters', 'clusterid', 'clusterlabel', 'kmeans', 'kmeanscluster', 'kmeanslabel']);
const squash = (name: string): string => name.trim().replace(/[\s_.-]+/g, '').toLowerCase();
const LABEL_NAME = new Set(LABEL_NAMES.map(squash));
const LABEL_WORD = new Set(LABEL_WORDS);

/**
 * Whether a column is named like a label: a whole label name, or a label word among the
 * name's words (split at `_`, `-`, `.`, spaces and camelCase). `y` is a label only when the
 * table has no `x` column (then it is a coordinate).
 */
export function isLabelLikeName(name: string, header: readonly string[] = []): boolean {
  const trimmed = name.trim();
  const squashed = squash(trimmed);
  if (LABEL_NAME.has(squashed)) {
    return squashed !== 'y' || !header.some((h) => h.trim().toLowerCase() === 'x');
  }
  const words = trimmed
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  return words.length > 1 && words.some((w) => LABEL_WORD.has(w.toLowerCase()));
}

/** Whether a column is named like an earlier clustering's assignment (`cluster`, `cluster_id`, `kmeans`, …). */
export function isClusterLikeName(name: string): boolean {
  return CLUSTER_NAMES.has(squash(name));
}

/** The label names above (those of a saved clustering apart), for notes and help texts. */
export const LABEL_NAMES_DESCRIPTION = LABEL_NAMES.filter((n) => !CLUSTER_NAMES.has(squash(n))).join(', ');
/** The names of a saved clustering, for notes. */
export const CLUSTER_NAMES_DESCRIPTION = LABEL_NAMES.filter((n) => CLUSTER_NAMES.has(squash(n))).join(', ');
/** Words a spreadsheet writes for "no value" (besides the default missing tokens), lower case. */
const PLACEHOLDER_WORD = /^(x+|n\/?a|n\.a\.?|n\/d|n\.d\.?|nd|na|nil|null|none|missing|unknown|unk|tbd|tba|k\.?\s?a\.?|empty|blank|void|error|err|#n\/a|#value!|#div\/0!|#ref!|#num!|#name\?|#null!)$/i;
/** Stray texts of a numeric column read as placeholders only when there are at most this many distinct ones. */
export const MAX_PLACEHOLDER_TOKENS = 3;

/**
 * Whether a stray text in a numeric column is placeholder-like: short punctuation (`-`, `--`,
 * `.`, `?`, `*`, `—`), a word spreadsheets write for "no value" (`n/a`, `x`, `null`, `#N/A`,
 * `k.A.`), or any other short token without digits (≤ 3 characters). Words that vary do not
 * pass: they are counted as distinct tokens.
 */
export function isPlaceholderToken(t: string): boolean {
  if (t.length === 0 || t.length > 12) return false;
  if (!/[\p{L}\p{N}]/u.test(t)) return t.length <= 5;
  if (PLACEHOLDER_WORD.test(t)) return true;
  // Short words that are values (yes/no answers, levels), not "no value".
  if (/^(yes|no|y|n|ja|nein|oui|non|si|sí|true|false|t|f|on|off|low|mid|med|high|max|min|all|any|one|few|new|old|m|w|d)$/i.test(t)) return false;
  return t.length <= 3 && !/\p{N}/u.test(t);
}

const ID_NAME = /^(id|.*[ _-]id|index|idx|row|row ?number|#|unnamed: ?0)$/i;

export const MISSING_CATEGORY = '(missing)';

/** Date spellings (optionally with a time of day), each with the name shown in notes. */
const TIME = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const DATE_FORMATS: readonly { format: string; pattern: RegExp }[] = [
  { format: 'yyyy-mm-dd', pattern: new RegExp(String.raw`^\d{4}-\d{1,2}-\d{1,2}${TIME}$`) },
  { format: 'dd.mm.yyyy', pattern: new RegExp(String.raw`^\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})${TIME}$`) },
  { format: 'mm/dd/yyyy or dd/mm/yyyy', pattern: new RegExp(String.raw`^\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})${TIME}$`) },
  { format: 'yyyy/mm/dd', pattern: new RegExp(String.raw`^\d{4}/\d{1,2}/\d{1,2}${TIME}$`) },
  { format: 'dd-mm-yyyy', pattern: new RegExp(String.raw`^\d{1,2}-\d{1,2}-\d{4}${TIME}$`) },
];
/** Share of a column's values that must be dates for the column to be a date column. */
const DATE_SHARE = 0.9;
/** Start of the excluded reason of a date column (notes group date columns by it). */
export const DATE_REASON = 'a date column';

/** How a column's numbers were read, for the notes. */
export interface NumberReading {
  readonly convention: DecimalConvention;
  readonly decided: 'evidence' | 'default' | 'conflict';
  /** Conversions applied ('' when the cells were plain numbers). */
  readonly format: string;
  /** Ambiguous cells (`1.299`, `1,250`) and an example. */
  readonly ambiguous: number;
  readonly ambiguousExample?: string;
}

/** Everything learned about one column in its single pass. */
export interface ColumnAnalysis {
  readonly kind: ColumnKind;
  readonly excludedReason?: string;
  /** Missing cells, including non-finite numbers and stray text in a numeric column. */
  readonly missing: number;
  /** Empty cells and missing-value tokens (by token) among the missing cells. */
  readonly empty: number;
  readonly tokens: ReadonlyMap<string, number>;
  /** Default missing-value tokens kept as values of this (text) column, with their counts. */
  readonly keptTokens?: ReadonlyMap<string, number>;
  /** Numeric columns: resolved values, NaN where missing. */
  readonly values?: Float64Array;
  readonly mean?: number;
  readonly std?: number;
  /** Categorical columns: categories in feature order (most frequent first). */
  readonly categories?: readonly string[];
  /** Numeric columns: non-finite cells and stray text cells treated as missing (first row index). */
  readonly nonFinite?: number;
  readonly strayText?: number;
  readonly firstStrayRow?: number;
  /**
   * The stray text cells of a numeric column when they are a few placeholder tokens (`-`,
   * `n/a`, `?`, ...), with their counts: read as missing like the user's --na-values would.
   */
  readonly placeholders?: ReadonlyMap<string, number>;
  /** Ambiguous number cells that could not be read because the column mixes conventions. */
  readonly unreadable?: number;
  readonly reading?: NumberReading;
}

/** A cell as category text: text cells as written, numbers in their shortest form. */
export function categoryText(col: CellColumn, i: number, values: Float64Array | undefined): string | undefined {
  const k = col.kinds ? col.kinds[i] : CELL_NUMBER;
  if (k === CELL_TEXT || k === CELL_NA_TOKEN) return col.texts[(col.codes as Int32Array)[i]];
  if (k === CELL_EMPTY || k === CELL_NONFINITE) return undefined;
  const v = values ? values[i] : col.values[i];
  return v === v ? String(v) : undefined;
}

export interface AnalyzeOptions {
  /** The user's label column: kept out of the features. */
  readonly isLabel: boolean;
  /** Decimal separator when no cell shows it (fallbackConvention of the delimiter). */
  readonly fallback: DecimalConvention;
  /** Tokens the user named as missing are never kept as values. */
  readonly isUserToken: (t: string) => boolean;
}

/** The column's numbers under its decided convention (a copy only when cells need resolving). */
export function resolveNumbers(col: CellColumn, fallback: DecimalConvention): { values: Float64Array; reading: NumberReading } {
  const ev = col.evidence;
  const { convention, decided } = resolveConvention(ev, fallback);
  const ambiguous = ev.pointAmbiguous + ev.commaAmbiguous;
  const reading: NumberReading = {
    convention,
    decided,
    format: describeFormat(ev, convention, decided),
    ambiguous,
    ...(ambiguous > 0 ? { ambiguousExample: ev.example.get('point-ambiguous') ?? ev.example.get('comma-ambiguous') } : {}),
  };
  if (!col.kinds) return { values: col.values, reading };
  const kinds = col.kinds;
  const src = col.values;
  const values = new Float64Array(src.length);
  const conflict = decided === 'conflict';
  for (let i = 0; i < src.length; i++) values[i] = resolvedValue(kinds[i], src[i], convention, conflict);
  return { values, reading };
}

/** Analyses one column. */
export function analyzeColumn(col: CellColumn, name: string, options: AnalyzeOptions): ColumnAnalysis {
  const { values, reading } = resolveNumbers(col, options.fallback);
  const n = values.length;
  const kinds = col.kinds;
  let numbers = 0;
  let empty = 0;
  let nonFinite = 0;
  let text = 0;
  let firstText = -1;
  let unreadable = 0;
  const tokenCounts = new Map<number, number>();
  /** Text cells per dictionary code (stray text in a numeric column, or a text column's values). */
  const textCounts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const k = kinds ? kinds[i] : CELL_NUMBER;
    if (k === CELL_NUMBER) numbers++;
    else if (k === CELL_POINT_AMBIGUOUS || k === CELL_COMMA_AMBIGUOUS) {
      if (values[i] === values[i]) numbers++;
      else unreadable++;
    } else if (k === CELL_EMPTY) empty++;
    else if (k === CELL_NA_TOKEN) {
      const c = (col.codes as Int32Array)[i];
      tokenCounts.set(c, (tokenCounts.get(c) ?? 0) + 1);
    } else if (k === CELL_NONFINITE) nonFinite++;
    else {
      text++;
      if (firstText < 0) firstText = i;
      if (textCounts.size <= MAX_PLACEHOLDER_TOKENS) {
        const c = (col.codes as Int32Array)[i];
        textCounts.set(c, (textCounts.get(c) ?? 0) + 1);
      }
    }
  }
  const tokens = new Map<string, number>();
  let tokenTotal = 0;
  for (const [c, count] of tokenCounts) {
    tokens.set(col.texts[c], count);
    tokenTotal += count;
  }
  const base = { empty, tokens, reading };
  if (options.isLabel) return { kind: 'label', missing: empty + tokenTotal, excludedReason: 'label column (used for evaluation, not as a feature)', ...base };
  if (isPandasIndexName(name)) return { kind: 'identifier', missing: empty + tokenTotal, excludedReason: PANDAS_INDEX_REASON, ...base };

  const present = numbers + nonFinite + text + unreadable;
  if (present === 0) return { kind: 'constant', missing: empty + tokenTotal, excludedReason: 'all cells are empty or missing', ...base };

  // Numbers with a few stray cells, or with a few placeholder tokens ("-", "n/a") however
  // many cells hold them: the majority of the column is numbers, the rest says "no value".
  const placeholders = numbers > text && text > 0 ? placeholderTokens(col, textCounts) : undefined;
  if (numbers > 0 && (text <= STRAY_TEXT_SHARE * present || placeholders)) {
    return analyzeNumeric(values, name, {
      ...base,
      missing: empty + tokenTotal + nonFinite + text + unreadable,
      nonFinite,
      strayText: text,
      firstStrayRow: firstText,
      unreadable,
      ...(placeholders ? { placeholders } : {}),
    });
  }
  // A text column: default tokens that look like its values (NA among country codes) stay values.
  const kept = new Map<string, number>();
  if (tokens.size > 0) {
    const others = distinctTexts(col, values, 200);
    for (const [t, count] of tokens) {
      if (!options.isUserToken(t) && looksLikeColumnValue(t, others)) kept.set(t, count);
    }
  }
  let keptTotal = 0;
  for (const c of kept.values()) keptTotal += c;
  const remainingTokens = new Map([...tokens].filter(([t]) => !kept.has(t)));
  return analyzeText(col, values, { ...base, tokens: remainingTokens, ...(kept.size > 0 ? { keptTokens: kept } : {}) }, empty + tokenTotal - keptTotal + nonFinite, kept);
}

/** The stray texts by name when they are at most MAX_PLACEHOLDER_TOKENS placeholder-like tokens. */
function placeholderTokens(col: CellColumn, textCounts: ReadonlyMap<number, number>): Map<string, number> | undefined {
  if (textCounts.size === 0 || textCounts.size > MAX_PLACEHOLDER_TOKENS) return undefined;
  const out = new Map<string, number>();
  for (const [c, count] of textCounts) {
    const t = col.texts[c];
    if (!isPlaceholderToken(t)) return undefined;
    out.set(t, count);
  }
  return out;
}

/** Up to `max` distinct non-missing texts of the column (numbers as text). */
function distinctTexts(col: CellColumn, values: Float64Array, max: number): string[] {
  const seen = new Set<string>();
  const kinds = col.kinds;
  for (let i = 0; i < values.length && seen.size < max; i++) {
    const k = kinds ? kinds[i] : CELL_NUMBER;
    if (k === CELL_NA_TOKEN || k === CELL_EMPTY || k === CELL_NONFINITE) continue;
    const t = categoryText(col, i, values);
    if (t !== undefined) seen.add(t);
  }
  return [...seen];
}

type Base = Pick<ColumnAnalysis, 'empty' | 'tokens' | 'reading' | 'keptTokens'>;

function analyzeNumeric(
  values: Float64Array,
  name: string,
  extra: Base & { missing: number; nonFinite: number; strayText: number; firstStrayRow: number; unreadable: number; placeholders?: ReadonlyMap<string, number> },
): ColumnAnalysis {
  const allMissing = extra.missing;
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
  if (count === 0) return { kind: 'constant', excludedReason: 'no finite numbers', ...extra };
  // The plain mean when the sum is finite (what pandas reports: 6756.25, not 6756.250000000001);
  // moments of v / scale otherwise: values near 1e308 overflow the sum and the sum of squares.
  const scale = Math.max(Math.abs(min), Math.abs(max)) || 1;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) sum += v;
  }
  let mean = sum / count;
  if (!Number.isFinite(sum)) {
    let scaledSum = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === v) scaledSum += v / scale;
    }
    mean = (scaledSum / count) * scale;
  }
  const scaledMean = mean / scale;
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
    return { kind: 'constant', excludedReason: `constant (every value is ${min})`, ...extra };
  }
  if (!Number.isFinite(std)) {
    // Values near 1e308 overflow the sum of squares: such a column cannot be standardised.
    return { kind: 'constant', excludedReason: 'values too large to standardise (overflow)', ...extra };
  }
  // All-distinct values alone never make an identifier (a revenue column is a feature): only
  // consecutive integers, or unique integers in a column named like an id. A column named like
  // an id stays one with a few cells that are not integers (a stray quote's merged text, a
  // typo: at most 5 %, or 2), which would otherwise make the id a feature (trial s21 D5).
  const idNamed = ID_NAME.test(name.trim());
  const fewMissing = allMissing <= Math.max(2, Math.floor(0.05 * (count + allMissing)));
  if (integers && count >= 3 && (allMissing === 0 || (idNamed && fewMissing))) {
    const sequence = allMissing === 0 && count >= MIN_ROWS_FOR_SEQUENCE_ID && max - min === count - 1 && distinctCount(values) === count;
    if (sequence || (idNamed && distinctCount(values) === count)) {
      // Empty cells and missing-value tokens are missing, not "not an integer" (review7 F9b).
      const notInteger = allMissing - extra.empty;
      const parts = [...(extra.empty > 0 ? [`${extra.empty} cell(s) missing`] : []), ...(notInteger > 0 ? [`${notInteger} cell(s) not an integer, read as missing`] : [])];
      const unread = parts.length > 0 ? ` (${parts.join('; ')})` : '';
      return { kind: 'identifier', excludedReason: sequence ? 'consecutive unique integers (looks like a row id)' : `unique integer per row named like an id${unread}`, ...extra };
    }
  }
  return { kind: 'numeric', values, mean, std, ...extra };
}

/** Distinct values, missing (NaN) cells not counted. */
function distinctCount(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort(); // NaN sorts last
  let n = sorted.length;
  while (n > 0 && sorted[n - 1] !== sorted[n - 1]) n--;
  let d = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) d++;
  return d;
}

function analyzeText(col: CellColumn, values: Float64Array, base: Base, missing: number, kept: ReadonlyMap<string, number>): ColumnAnalysis {
  // Counts per dictionary code first (no string work per cell), numbers as their text.
  const codeCounts = new Int32Array(col.texts.length);
  const numberCounts = new Map<string, number>();
  const kinds = col.kinds;
  const codes = col.codes;
  for (let i = 0; i < values.length; i++) {
    const k = kinds ? kinds[i] : CELL_NUMBER;
    if (k === CELL_TEXT) codeCounts[(codes as Int32Array)[i]]++;
    else if (k === CELL_NA_TOKEN) {
      const c = (codes as Int32Array)[i];
      if (kept.has(col.texts[c])) codeCounts[c]++;
    } else if (k !== CELL_EMPTY && k !== CELL_NONFINITE) {
      const v = values[i];
      if (v === v) {
        const t = String(v);
        numberCounts.set(t, (numberCounts.get(t) ?? 0) + 1);
      }
    }
  }
  const counts = new Map<string, number>(numberCounts);
  for (let c = 0; c < codeCounts.length; c++) {
    if (codeCounts[c] > 0) counts.set(col.texts[c], (counts.get(col.texts[c]) ?? 0) + codeCounts[c]);
  }
  let present = 0;
  let totalLength = 0;
  let totalSpaces = 0;
  for (const [v, count] of counts) {
    present += count;
    totalLength += v.length * count;
    let spaces = 0;
    for (let k = 0; k < v.length; k++) if (v.charCodeAt(k) === 32) spaces++;
    totalSpaces += spaces * count;
  }
  const distinct = counts.size;
  const meanLength = totalLength / Math.max(1, present);
  const meanWords = 1 + totalSpaces / Math.max(1, present);
  const longText = meanWords >= 3 || meanLength >= 30;
  if (distinct === 1) {
    const only = counts.keys().next().value ?? '';
    return { kind: 'constant', missing, excludedReason: `constant (every value is "${only.length > 30 ? only.slice(0, 27) + '...' : only}")`, ...base };
  }
  const date = dateFormat(counts, present);
  if (date) return { kind: 'identifier', missing, excludedReason: `${DATE_REASON} (${date.format}, e.g. "${date.example}"): dates are not clustered`, ...base };
  if (distinct === present && present >= 3) {
    if (longText) return { kind: 'text', missing, excludedReason: 'free text (a different long value in every row)', ...base };
    return { kind: 'identifier', missing, excludedReason: 'a different value in every row (looks like an identifier)', ...base };
  }
  const categorical = distinct <= MAX_CATEGORIES && (distinct <= 0.5 * present || present < 20);
  if (categorical) {
    const categories = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([c]) => c);
    if (missing > 0) categories.push(MISSING_CATEGORY);
    return { kind: 'categorical', missing, categories, ...base };
  }
  if (longText) return { kind: 'text', missing, excludedReason: `free text (${distinct} distinct values in ${present} rows)`, ...base };
  return { kind: 'identifier', missing, excludedReason: `${distinct} distinct values in ${present} rows: too many to one-hot encode`, ...base };
}

/** The date format of a column whose values are (at least DATE_SHARE) dates, else undefined. */
function dateFormat(counts: ReadonlyMap<string, number>, present: number): { format: string; example: string } | undefined {
  if (present === 0) return undefined;
  for (const { format, pattern } of DATE_FORMATS) {
    let dates = 0;
    let example = '';
    for (const [v, count] of counts) {
      if (pattern.test(v)) {
        dates += count;
        if (example === '') example = v;
      }
    }
    if (dates >= DATE_SHARE * present) return { format, example };
  }
  return undefined;
}
