/**
 * Columnar table -> feature matrix: numeric columns standardised ((x - mean) / std, missing
 * cells filled with the mean, i.e. 0 after standardising), categorical columns one-hot encoded
 * with indicators of 1/√2 (categoryIndicator.ts; missing = its own "(missing)" category), everything else excluded with a reason. The
 * recorded TablePreprocessing reproduces the same transform on new data (TablePreprocessor),
 * reading cells with the same rules, so `fit` and `explain` agree on every file.
 */
import { sharedFloat64 } from '../parallel/shared';
import path from 'node:path';
import { DataError } from '../errors';
import type { CellColumn } from './cellColumn';
import { columnMeanFilledNote } from './filledCellsNotes';
import { analyzeColumn, categoryText, CLUSTER_NAMES_DESCRIPTION, DATE_REASON, isClusterLikeName, isLabelLikeName, LABEL_NAMES_DESCRIPTION, MISSING_CATEGORY, type ColumnAnalysis } from './columnTyping';
import { CATEGORY_INDICATOR } from './categoryIndicator';
import { detectImageColumns, imageScalingNote } from './imageScaling';
import { LEFT_OUT_REASON, leftOutAnalysis, leftOutColumns } from './leftOutColumns';
import { MissingValueRule, type MissingValueOptions } from './missingValues';
import {
  CELL_EMPTY,
  CELL_NA_TOKEN,
  CELL_NONFINITE,
  CELL_NUMBER,
  CELL_TEXT,
  fallbackConvention,
  NumberFormatEvidence,
  resolveConvention,
  resolvedValue,
} from './numberFormat';
import { dataRowNumber, hasSourceLines, type ColumnarTable } from './tableReader';
import { Pacer, throttledProgress } from '../jobs';
import type { ColumnInfo, ColumnTransform, JobHooks, Matrix, TableDataset, TablePreprocessing } from '../types';

export interface TableOptions extends MissingValueOptions {
  readonly labelColumn?: string;
  /** Missing label column = a note, not an error (see ClusterSettings.labelColumnOptional). */
  readonly labelColumnOptional?: boolean;
  /** No label column named: use the first column named like a label (see ClusterSettings.autoLabelColumn). */
  readonly autoLabel?: boolean;
  /** Columns never used as features (see ClusterSettings.excludeColumns). */
  readonly excludeColumns?: readonly string[];
}

/** Finds the user's label column: exact name first, then case-insensitive. */
function findColumn(header: readonly string[], wanted: string): number {
  const exact = header.indexOf(wanted);
  if (exact >= 0) return exact;
  const lower = wanted.trim().toLowerCase();
  return header.findIndex((h) => h.trim().toLowerCase() === lower);
}

function listNames(names: readonly string[], max = 6): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`).join(', ');
  return names.length > max ? `${shown}, ... (${names.length} in all)` : shown;
}

function listPlain(items: readonly string[], max = 6): string {
  return items.slice(0, max).join(', ') + (items.length > max ? `, ... (${items.length} in all)` : '');
}

/**
 * The label column of a table (-1 for none): the one named in `options` (exact name, then
 * case-insensitive; missing = DataError, or a note when it is optional), else with `autoLabel`
 * the first column named like a label. Used for fresh fits and for data under a saved model.
 */
export function resolveLabelColumn(header: readonly string[], options: TableOptions, file: string, notes: string[]): number {
  const name = path.basename(file);
  if (options.labelColumn !== undefined && options.labelColumn !== '') {
    const index = findColumn(header, options.labelColumn);
    if (index < 0 && options.labelColumnOptional) {
      notes.push(`${name}: no label column "${options.labelColumn}" here; clustered without labels (no purity / NMI / ARI).`);
    } else if (index < 0) {
      throw new DataError(`label column "${options.labelColumn}" not found; the columns are ${listNames(header, 12)}`, file);
    }
    return index;
  }
  if (!options.autoLabel) return -1;
  // Default (CLI and extension): a column named like a label (digit, class, diagnosis, ...)
  // would otherwise dominate the clusters as a feature; the first such column becomes the label.
  const index = header.findIndex((h) => isLabelLikeName(h, header));
  if (index >= 0) {
    notes.push(
      (isClusterLikeName(header[index]!)
        ? `${name}: column "${header[index]}" is named like an earlier clustering's assignment (${CLUSTER_NAMES_DESCRIPTION}), so it is the label: not a feature, compared with the new clusters by purity / NMI / ARI; `
        : `${name}: column "${header[index]}" is named like a label (${LABEL_NAMES_DESCRIPTION}), so it is the label: not a feature, used for purity / NMI / ARI; `) +
        `--label-column NAME|none (setting neonClusterExplorer.labelColumn) to choose another or none.`,
    );
  }
  return index;
}

/** A column made only of empty cells under an empty header name (trailing delimiters of a spreadsheet export). */
function isEmptyUnnamed(table: ColumnarTable, j: number): boolean {
  if (table.schema.columns[j].sourceName !== '') return false;
  const kinds = table.columns[j].kinds;
  if (!kinds) return false;
  for (let i = 0; i < kinds.length; i++) if (kinds[i] !== CELL_EMPTY) return false;
  return true;
}

/** Per-column missing-cell counts for the note: `"b" 3 (empty ×2, "NA" ×1)`. */
function missingSummary(col: string, a: ColumnAnalysis): string {
  const parts: string[] = [];
  if (a.empty > 0) parts.push(`empty ×${a.empty}`);
  for (const [t, n] of a.tokens) parts.push(`"${t}" ×${n}`);
  if ((a.nonFinite ?? 0) > 0) parts.push(`infinite ×${a.nonFinite}`);
  if (a.placeholders) for (const [t, n] of a.placeholders) parts.push(`"${t}" ×${n}`);
  else if ((a.strayText ?? 0) > 0) parts.push(`text ×${a.strayText}`);
  if ((a.unreadable ?? 0) > 0) parts.push(`ambiguous ×${a.unreadable}`);
  return `"${col}" ${a.missing}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * Types the columns and builds the features. Async so a large table honours the job's
 * AbortSignal: it yields to the event loop between columns every ~50 ms.
 */
export async function buildTableDataset(table: ColumnarTable, file: string, options: TableOptions = {}, hooks?: JobHooks): Promise<TableDataset> {
  const name = path.basename(file);
  const notes = [...table.notes];
  const header = table.header;
  const rule = new MissingValueRule(options);
  const fallback = fallbackConvention(table.delimiter);

  const labelIndex = resolveLabelColumn(header, options, file, notes);
  const leftOut = leftOutColumns(header, options.excludeColumns, labelIndex, file, notes);
  if (options.autoLabel && !(options.labelColumn ?? '') && labelIndex >= 0) {
    // Label-like columns are never features unless the user says so (as in the extension).
    const others = header.flatMap((h, j) => (j !== labelIndex && !leftOut.has(j) && isLabelLikeName(h, header) ? [j] : []));
    for (const j of others) leftOut.add(j);
    if (others.length > 0) {
      notes.push(`${name}: ${listNames(others.map((j) => header[j]))} also named like a label: left out of the features (name the label with --label-column to choose, or --label-column none to use them as features).`);
    }
  }

  const analyses: (ColumnAnalysis | undefined)[] = new Array(header.length);
  const progress = throttledProgress(hooks);
  const pacer = new Pacer(hooks, 50);
  const ignored: string[] = [];
  for (let j = 0; j < header.length; j++) {
    if (j !== labelIndex && isEmptyUnnamed(table, j)) {
      ignored.push(String(j + 1));
      continue;
    }
    analyses[j] = leftOut.has(j)
      ? leftOutAnalysis(table.columns[j])
      : analyzeColumn(table.columns[j], header[j], { isLabel: j === labelIndex, fallback, isUserToken: (t) => rule.isUserToken(t) });
    await pacer.tick(() => progress({ stage: 'features', fraction: j / header.length, message: 'column types' }));
  }
  if (ignored.length > 0) notes.push(`${name}: ${ignored.length} empty column(s) without a header name ignored (field ${listPlain(ignored)}; trailing delimiters of a spreadsheet export).`);
  // Pixels (one numbered series, one range) are scaled together as an image (imageScaling.ts).
  const image = detectImageColumns(analyses.map((a, j) => ({ name: header[j], numeric: a?.kind === 'numeric', constant: a?.kind === 'constant', values: a?.values })));
  const imageRange = new Map<number, { low: number; high: number }>(image ? image.columns.map((j) => [j, image] as const) : []);
  if (image) notes.push(imageScalingNote(name, image, header));

  // Feature layout: one feature per numeric column, one per category of a categorical column.
  const columns: ColumnInfo[] = [];
  const transforms: ColumnTransform[] = [];
  const transformSource: number[] = [];
  const featureNames: string[] = [];
  const featureColumnList: number[] = [];
  const excluded = new Map<string, string[]>();
  const nonFiniteCols: string[] = [];
  const strayCols: string[] = [];
  const placeholderCols: string[] = [];
  const placeholderTokens = new Set<string>();
  const meanFilled: string[] = [];
  const missingCols: string[] = [];
  for (let j = 0; j < header.length; j++) {
    const a = analyses[j];
    if (!a) continue;
    const col = header[j];
    const unit = columns.length;
    columns.push({ name: col, sourceIndex: j, kind: a.kind, missing: a.missing, ...(a.excludedReason !== undefined ? { excludedReason: a.excludedReason } : {}) });
    if (a.missing > 0) missingCols.push(missingSummary(col, a));
    columnNotes(notes, name, col, a, table.delimiter);
    if (a.kind === 'numeric') {
      const pixel = imageRange.get(j);
      transforms.push({ column: col, kind: 'numeric', mean: pixel ? pixel.low : (a.mean ?? 0), std: pixel ? pixel.high - pixel.low : (a.std ?? 1) });
      transformSource.push(j);
      featureNames.push(col);
      featureColumnList.push(unit);
      if (a.missing > 0 && !pixel) meanFilled.push(col);
      if ((a.nonFinite ?? 0) > 0) nonFiniteCols.push(`"${col}" (${a.nonFinite})`);
      if (a.placeholders) {
        const tokens = [...a.placeholders].map(([t, count]) => `${count} × "${t}"`).join(', ');
        for (const t of a.placeholders.keys()) placeholderTokens.add(t);
        placeholderCols.push(`"${col}" (${tokens}, first at ${cellPlace(table, a.firstStrayRow ?? 0)}, column ${j + 1})`);
      } else if ((a.strayText ?? 0) > 0) {
        const r = a.firstStrayRow ?? 0;
        const c = table.columns[j];
        strayCols.push(`"${col}" (${a.strayText}, first at ${cellPlace(table, r)}, column ${j + 1}: "${(categoryText(c, r, undefined) ?? '').slice(0, 30)}")`);
      }
    } else if (a.kind === 'categorical') {
      const categories = a.categories ?? [];
      transforms.push({ column: col, kind: 'categorical', categories, indicator: CATEGORY_INDICATOR });
      transformSource.push(j);
      for (const c of categories) {
        featureNames.push(`${col}=${c}`);
        featureColumnList.push(unit);
      }
    } else if (a.kind !== 'label') {
      const reason = a.excludedReason ?? a.kind;
      const key = a.excludedReason === LEFT_OUT_REASON ? 'left-out' : a.excludedReason?.startsWith(DATE_REASON) ? 'date' : a.kind === 'constant' ? 'constant or empty' : a.kind === 'text' ? 'free text' : 'identifier-like';
      const list = excluded.get(key) ?? [];
      list.push(list.length < 6 ? `"${col}" (${reason})` : col);
      excluded.set(key, list);
    }
  }
  for (const [key, list] of excluded) {
    const shown = list.slice(0, 6).join(', ') + (list.length > 6 ? `, ... (${list.length} in all)` : '');
    // Free text: say how to cluster that text instead (trial s21 D15c).
    const textHint =
      key === 'free text'
        ? ` To cluster the documents of a text column instead: --text-column ${cliWord(textColumnsOf(list)[0])} (in VS Code: choose it at the text-column step of Cluster Dataset… / Re-cluster…).`
        : '';
    notes.push(`${name}: ${list.length} ${key} column(s) excluded from the features: ${shown}.${textHint}`);
  }
  if (missingCols.length > 0) notes.push(`${name}: missing cells per column: ${listPlain(missingCols, 12)}.`);
  if (nonFiniteCols.length > 0) notes.push(`${name}: infinite or overflowing numbers treated as missing in ${listPlain(nonFiniteCols)}.`);
  if (strayCols.length > 0) notes.push(`${name}: non-numeric cells in mostly numeric columns treated as missing: ${listPlain(strayCols)}.`);
  if (placeholderCols.length > 0) {
    // Not "placeholder": a short word such as "foo" is read the same way, and it may be a data
    // error rather than a deliberate "no value" (trial s19 D8); the note says which fix fits which.
    const tokens = [...placeholderTokens];
    notes.push(
      `${name}: non-numeric values in numeric columns read as missing: ${listPlain(placeholderCols)}. ` +
        `If they stand for "no value", add ${tokens.map((t) => `"${t}"`).join(', ')} to the missing-value tokens to say so (--na-values ${tokens.map((t) => JSON.stringify(t)).join(',')} / setting neonClusterExplorer.naValues); if they are typing errors, correct those cells.`,
    );
  }
  if (meanFilled.length > 0) notes.push(columnMeanFilledNote(name, listNames(meanFilled)));
  const categoricalWithMissing = transforms.filter((t) => t.kind === 'categorical' && t.categories.includes(MISSING_CATEGORY)).map((t) => t.column);
  if (categoricalWithMissing.length > 0) notes.push(`${name}: missing categorical cells form their own "${MISSING_CATEGORY}" category in ${listNames(categoricalWithMissing)}.`);
  if (labelIndex < 0) {
    const lookalike = header.filter((h, j) => !leftOut.has(j) && isLabelLikeName(h, header));
    if (lookalike.length > 0) {
      notes.push(`${name}: column ${listNames(lookalike)} looks like a label; it is used as a feature because no label column is set (--label-column none). To leave it out: --exclude / the "columns to leave out" step; to make it the label: --label-column.`);
    }
  }
  if (featureNames.length === 0) {
    const kinds = columns.map((c) => `"${c.name}": ${c.excludedReason ?? c.kind}`);
    throw new DataError(`no usable feature columns (${listPlain(kinds)})`, file);
  }

  const preprocessing: TablePreprocessing = { kind: 'table', columns: transforms, missing: 'mean' };
  const features = fillFeatures(table, featureNames.length, transforms, transformSource, analyses);
  let labels: string[] | undefined;
  if (labelIndex >= 0) {
    const lc = table.columns[labelIndex];
    labels = new Array(table.rows);
    for (let i = 0; i < table.rows; i++) labels[i] = categoryText(lc, i, undefined) ?? MISSING_CATEGORY;
  }
  return {
    kind: 'table',
    source: path.resolve(file),
    delimiter: table.delimiter,
    columns,
    rowLine: table.rowLine,
    ...(table.rowIndex ? { rowIndex: table.rowIndex } : {}),
    features,
    featureNames,
    featureColumn: Int32Array.from(featureColumnList),
    ...(labels ? { labels, labelColumn: header[labelIndex] } : {}),
    preprocessing,
    notes,
  };
}

/** Notes on how a column's numbers were read (conversions, ambiguity, kept tokens). */
function columnNotes(notes: string[], name: string, col: string, a: ColumnAnalysis, delimiter: string): void {
  const r = a.reading;
  if (a.keptTokens) {
    for (const [t, n] of a.keptTokens) {
      notes.push(`${name}: "${t}" in column "${col}" (${n} cell(s)) is read as a value, not as missing: the column's other values look like it. To read it as missing, add it to the missing-value tokens (--na-values / setting neonClusterExplorer.naValues).`);
    }
  }
  if (!r || a.kind !== 'numeric') return;
  if (r.format !== '') notes.push(`${name}: column "${col}" read as numbers: ${r.format}.`);
  if (r.decided === 'conflict' && (a.unreadable ?? 0) > 0) {
    notes.push(`${name}: column "${col}" mixes a decimal point and a decimal comma; ${a.unreadable} value(s) like "${r.ambiguousExample ?? ''}" cannot be read unambiguously and are treated as missing.`);
  } else if (r.decided === 'default' && r.ambiguous > 0 && !(delimiter === ',' && r.convention === 'point' && a.reading?.ambiguousExample?.includes(','))) {
    const ex = r.ambiguousExample ?? '';
    const how = r.convention === 'point' ? 'with a decimal point' : 'with a decimal comma (the convention of ";"-separated spreadsheet exports)';
    notes.push(`${name}: column "${col}": ${r.ambiguous} value(s) like "${ex}" could be read two ways and no value in the column shows its decimal separator; read ${how}.`);
  }
}

/** Rows per block of fillFeatures (4096 x 20 features = 640 KB, within a core's L2). */
const ROW_BLOCK = 4096;

/** Writes the standardised / one-hot features from the column analyses. */
function fillFeatures(
  table: ColumnarTable,
  d: number,
  transforms: readonly ColumnTransform[],
  transformSource: readonly number[],
  analyses: readonly (ColumnAnalysis | undefined)[],
): Matrix {
  const n = table.rows;
  // On shared memory: the compute pool's threads (k-means, NEON) read the features in place,
  // so the pipeline never copies them (parallel/shared.ts).
  const data = sharedFloat64(n * d);
  // Column by column over blocks of rows: the block's rows (ROW_BLOCK x d) stay in cache
  // while every column is written into them (row by row over all N rows per column touched
  // a new cache line per cell: 1M rows x 20 features 0.25 s, now ~4x less).
  const fill: ((from: number, to: number) => void)[] = [];
  let f = 0;
  for (let ti = 0; ti < transforms.length; ti++) {
    const t = transforms[ti];
    const j = transformSource[ti];
    const a = analyses[j] as ColumnAnalysis;
    const at = f;
    if (t.kind === 'numeric') {
      const values = a.values as Float64Array;
      const { mean } = t;
      const inv = 1 / t.std;
      fill.push((from, to) => {
        for (let i = from; i < to; i++) {
          const v = values[i];
          data[i * d + at] = v === v ? (v - mean) * inv : 0;
        }
      });
      f++;
    } else {
      const index = categoryIndex(table.columns[j], t.categories, undefined);
      const on = t.indicator ?? 1;
      fill.push((from, to) => {
        for (let i = from; i < to; i++) {
          const k = index(i);
          if (k >= 0) data[i * d + at + k] = on;
        }
      });
      f += t.categories.length;
    }
  }
  for (let from = 0; from < n; from += ROW_BLOCK) {
    const to = Math.min(n, from + ROW_BLOCK);
    for (const write of fill) write(from, to);
  }
  return { rows: n, cols: d, data };
}

/**
 * Row → category index (-1 for none) of a column under a category list: text codes are mapped
 * once per distinct text, numbers by their shortest text. Missing cells (empty, a missing
 * token that is not itself a category, non-finite) go to "(missing)" when the list has it.
 */
function categoryIndex(col: CellColumn, categories: readonly string[], values: Float64Array | undefined): (i: number) => number {
  const byText = new Map<string, number>();
  categories.forEach((c, k) => byText.set(c, k));
  const missingK = byText.get(MISSING_CATEGORY) ?? -1;
  const codeIndex = new Int32Array(col.texts.length);
  for (let c = 0; c < col.texts.length; c++) codeIndex[c] = byText.get(col.texts[c]) ?? -2;
  const kinds = col.kinds;
  const codes = col.codes;
  return (i: number): number => {
    const kind = kinds ? kinds[i] : CELL_NUMBER;
    if (kind === CELL_TEXT) {
      const k = codeIndex[(codes as Int32Array)[i]];
      return k === -2 ? -1 : k;
    }
    if (kind === CELL_NA_TOKEN) {
      const k = codeIndex[(codes as Int32Array)[i]];
      return k === -2 ? missingK : k;
    }
    if (kind === CELL_EMPTY || kind === CELL_NONFINITE) return missingK;
    const t = categoryText(col, i, values);
    return t === undefined ? missingK : (byText.get(t) ?? -1);
  };
}

/** Column names of an excluded-columns list (`"name" (reason)` or a bare name). */
function textColumnsOf(list: readonly string[]): string[] {
  return list.map((e) => (e.startsWith('"') ? e.slice(1, e.indexOf('" (')) : e));
}

/** A column name as one shell word: quoted when it holds anything but letters, digits, `_ . -`. */
function cliWord(name: string): string {
  return /^[\w.-]+$/u.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}

/**
 * The column a model saved by an earlier version names `column N` (1-based) when the header
 * cell at that place is empty: such columns were called `column N` before they got pandas'
 * name `Unnamed: N-1` (headerNames.ts), and models stored in a workspace must still apply.
 */
function formerUnnamedName(column: string, header: readonly string[]): number | undefined {
  const m = /^column (\d+)$/.exec(column);
  if (!m) return undefined;
  const j = Number(m[1]) - 1;
  const own = `Unnamed: ${j}`;
  return j < header.length && (header[j] === own || new RegExp(`^${own}\\.\\d+$`).test(header[j])) ? j : undefined;
}

/**
 * New data under a saved preprocessing (a model file applied to another table), chunk by
 * chunk or whole. Columns are matched by name; a missing column is a DataError naming the
 * file. Cells are read with the same rules as at fit time: missing tokens and non-finite
 * numbers are missing, a text cell in a numeric column is missing with a note naming its line
 * and value (the other rows are kept), unknown categories encode as all zeros, with a note
 * naming column, value, count and first line (trial s21 D15a).
 */
export class TablePreprocessor {
  readonly cols: number;
  private readonly source: number[];
  private readonly evidence: NumberFormatEvidence[];
  /** First stray cell per column: `at` is its line (delimited text) or 0-based row (Parquet), as `where` says. */
  private readonly stray: { count: number; at: number; value: string }[];
  private readonly missing: number[];
  /** Per categorical column: category values the model has not seen, each with its count and first line / row. */
  private readonly unseen: Map<string, { count: number; at: number }>[];
  private readonly unseenCount: number[];
  private readonly fallback: ReturnType<typeof fallbackConvention>;
  private readonly name: string;
  /** Notes name a cell's 'line' in delimited text, its 0-based 'row' in Parquet (no lines; dataRowNumber). */
  private readonly where: 'line' | 'row';

  constructor(
    header: readonly string[],
    private readonly pre: TablePreprocessing,
    file: string,
    delimiter: string,
  ) {
    const index = new Map<string, number>();
    header.forEach((h, j) => index.set(h, j));
    const find = (column: string): number | undefined => index.get(column) ?? formerUnnamedName(column, header);
    const absent = pre.columns.filter((t) => find(t.column) === undefined).map((t) => t.column);
    if (absent.length > 0) {
      throw new DataError(`missing column(s) required by the model: ${listNames(absent, 12)}; the file has ${listNames(header, 12)}`, file);
    }
    this.source = pre.columns.map((t) => find(t.column) as number);
    this.cols = pre.columns.reduce((s, t) => s + (t.kind === 'numeric' ? 1 : t.categories.length), 0);
    this.evidence = pre.columns.map(() => new NumberFormatEvidence());
    this.stray = pre.columns.map(() => ({ count: 0, at: 0, value: '' }));
    this.missing = pre.columns.map(() => 0);
    this.unseen = pre.columns.map(() => new Map());
    this.unseenCount = pre.columns.map(() => 0);
    this.fallback = fallbackConvention(delimiter);
    this.name = path.basename(file);
    this.where = hasSourceLines({ delimiter }) ? 'line' : 'row';
  }

  /**
   * The model inputs (rows x cols, row-major) of a chunk's rows. `rowLine` names lines in
   * notes (row numbers + 1 when undefined). Ambiguous number cells are read under the
   * convention shown by the column's cells so far (this chunk included). `out`: zeroed room
   * for the rows x cols inputs (a streaming caller reuses one; default: fresh shared memory).
   */
  apply(columns: readonly CellColumn[], rows: number, rowLine: Int32Array | undefined, firstRow = 0, out?: Float64Array): Matrix {
    const d = this.cols;
    const data = out ?? sharedFloat64(rows * d); // read in place by the compute pool's threads
    if (data.length !== rows * d) throw new Error(`TablePreprocessor.apply: room for ${data.length} inputs, ${rows} x ${d} needed`);

    let f = 0;
    this.pre.columns.forEach((t, ti) => {
      const col = columns[this.source[ti]];
      if (t.kind === 'numeric') {
        this.evidence[ti].merge(col.evidence);
        const { convention, decided } = resolveConvention(this.evidence[ti], this.fallback);
        const inv = t.std > 0 ? 1 / t.std : 1;
        const kinds = col.kinds;
        const stray = this.stray[ti];
        for (let i = 0; i < rows; i++) {
          const kind = kinds ? kinds[i] : CELL_NUMBER;
          const v = kind === CELL_NUMBER ? col.values[i] : resolvedValue(kind, col.values[i], convention, decided === 'conflict');
          if (v === v) {
            data[i * d + f] = (v - t.mean) * inv;
            continue;
          }
          this.missing[ti]++;
          if (kind === CELL_TEXT) {
            if (stray.count++ === 0) {
              const line = rowLine ? rowLine[i] : firstRow + i + 1;
              // Parquet's rowLine is the 1-based row number; notes name rows 0-based (dataRowNumber).
              stray.at = this.where === 'row' ? line - 1 : line;
              stray.value = (categoryText(col, i, undefined) ?? '').slice(0, 40);
            }
          }
        }
        f++;
      } else {
        const index = categoryIndex(col, t.categories, undefined);
        const on = t.indicator ?? 1;
        const unseen = this.unseen[ti];
        for (let i = 0; i < rows; i++) {
          const k = index(i);
          if (k >= 0) {
            data[i * d + f + k] = on;
            continue;
          }
          // Not a category of the model: all-zero inputs, no relevance in this column.
          this.unseenCount[ti]++;
          const value = categoryText(col, i, undefined) ?? MISSING_CATEGORY;
          const seen = unseen.get(value);
          if (seen) seen.count++;
          else if (unseen.size < 20) {
            const line = rowLine ? rowLine[i] : firstRow + i + 1;
            unseen.set(value, { count: 1, at: this.where === 'row' ? line - 1 : line });
          }
        }
        f += t.categories.length;
      }
    });
    return { rows, cols: d, data };
  }

  /** Notes on what was read as missing so far (same wording as at fit time). */
  notes(): string[] {
    const notes: string[] = [];
    const stray = this.pre.columns
      .map((t, ti) => ({ t, s: this.stray[ti] }))
      .filter(({ s }) => s.count > 0)
      .map(({ t, s }) => `"${t.column}" (${s.count}, first at ${this.where} ${s.at}: "${s.value}")`);
    if (stray.length > 0) notes.push(`${this.name}: non-numeric cells in numeric columns of the model treated as missing: ${listPlain(stray)}.`);
    const filled = this.pre.columns.flatMap((t, ti) => (t.kind === 'numeric' && this.missing[ti] > 0 ? [`"${t.column}" ${this.missing[ti]}`] : []));
    if (filled.length > 0) notes.push(`${this.name}: missing numeric cells filled with the training mean: ${listPlain(filled)}.`);
    const unseen = this.pre.columns.flatMap((t, ti) => {
      if (this.unseenCount[ti] === 0) return [];
      const values = [...this.unseen[ti]].sort((a, b) => b[1].count - a[1].count || a[1].at - b[1].at);
      const shown = values.slice(0, 3).map(([v, u]) => `${JSON.stringify(v.slice(0, 40))} ×${u.count} (first at ${this.where} ${u.at})`);
      const rest = this.unseenCount[ti] - values.slice(0, 3).reduce((s, [, u]) => s + u.count, 0);
      return [`"${t.column}" ${listPlain(shown)}${rest > 0 ? ` and ${rest} more cell(s)` : ''}`];
    });
    if (unseen.length > 0) {
      notes.push(`${this.name}: category values the model has not seen are encoded as all-zero inputs (none of the column's categories is on): ${unseen.join('; ')}.`);
    }
    return notes;
  }
}

/** A whole table under a saved preprocessing (see TablePreprocessor). */
export function applyTablePreprocessing(table: ColumnarTable, pre: TablePreprocessing, file: string, notes?: string[]): Matrix {
  const p = new TablePreprocessor(table.header, pre, file, table.delimiter);
  const m = p.apply(table.columns, table.rows, table.rowLine);
  notes?.push(...p.notes());
  return m;
}

/** Where a note points a user to row r: its line in delimited text, its row number (dataRowNumber) in Parquet. */
function cellPlace(table: ColumnarTable, r: number): string {
  return hasSourceLines(table) ? `line ${table.rowLine[r]}` : `row ${dataRowNumber(table, r)}`;
}
