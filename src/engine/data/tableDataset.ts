/**
 * Raw table -> feature matrix: numeric columns standardised ((x - mean) / std, missing cells
 * filled with the mean, i.e. 0 after standardising), categorical columns one-hot encoded
 * (missing = its own "(missing)" category), everything else excluded with a reason. The
 * recorded TablePreprocessing reproduces the same transform on new data.
 */
import path from 'node:path';
import { DataError } from '../errors';
import { allowsDecimalComma, CELL_MISSING, CELL_NONFINITE, CELL_NUMBER, isMissingCell, parseCell } from './cells';
import { analyzeColumn, LABEL_LIKE, MISSING_CATEGORY, type ColumnAnalysis } from './columnTyping';
import type { RawTable } from './csvReader';
import { detectImageColumns, imageScalingNote } from './imageScaling';
import { LEFT_OUT_REASON, leftOutAnalysis, leftOutColumns } from './leftOutColumns';
import { Pacer, throttledProgress } from '../jobs';
import type { ColumnInfo, ColumnTransform, JobHooks, Matrix, TableDataset, TablePreprocessing } from '../types';

export interface TableOptions {
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
  // Extension default: a column named like a label (digit, class, diagnosis, ...) would
  // otherwise dominate the clusters as a feature; the first such column becomes the label.
  const index = header.findIndex((h) => LABEL_LIKE.test(h.trim()));
  if (index >= 0) notes.push(`${name}: column "${header[index]}" is used as the label (kept out of the features, used for purity / NMI / ARI); set neonClusterExplorer.labelColumn to choose another.`);
  return index;
}

/**
 * Types the columns and builds the features. Async so a large table honours the job's
 * AbortSignal: it yields to the event loop between columns every ~50 ms.
 */
export async function buildTableDataset(raw: RawTable, file: string, options: TableOptions = {}, hooks?: JobHooks): Promise<TableDataset> {
  const name = path.basename(file);
  const notes = [...raw.notes];
  const { header, rows } = raw;

  const labelIndex = resolveLabelColumn(header, options, file, notes);
  const leftOut = leftOutColumns(header, options.excludeColumns, labelIndex, file, notes);

  const analyses: ColumnAnalysis[] = new Array(header.length);
  const decimalComma = allowsDecimalComma(raw.delimiter);
  const progress = throttledProgress(hooks);
  const pacer = new Pacer(hooks, 50);
  for (let j = 0; j < header.length; j++) {
    analyses[j] = leftOut.has(j) ? leftOutAnalysis(rows, j, isMissingCell) : analyzeColumn(rows, j, header[j], j === labelIndex, decimalComma);
    await pacer.tick(() => progress({ stage: 'features', fraction: j / header.length, message: 'column types' }));
  }
  // Pixels (one numbered series, one range) are scaled together as an image (imageScaling.ts).
  const image = detectImageColumns(analyses.map((a, j) => ({ name: header[j], numeric: a.kind === 'numeric', constant: a.kind === 'constant', values: a.values })));
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
  const meanFilled: string[] = [];
  for (let j = 0; j < header.length; j++) {
    const a = analyses[j];
    const col = header[j];
    columns.push({ name: col, sourceIndex: j, kind: a.kind, missing: a.missing, ...(a.excludedReason !== undefined ? { excludedReason: a.excludedReason } : {}) });
    if (a.kind === 'numeric') {
      const pixel = imageRange.get(j);
      transforms.push({ column: col, kind: 'numeric', mean: pixel ? pixel.low : (a.mean ?? 0), std: pixel ? pixel.high - pixel.low : (a.std ?? 1) });
      transformSource.push(j);
      featureNames.push(col);
      featureColumnList.push(j);
      if (a.missing > 0 && !pixel) meanFilled.push(col);
      if ((a.nonFinite ?? 0) > 0) nonFiniteCols.push(`"${col}" (${a.nonFinite})`);
      if ((a.strayText ?? 0) > 0) {
        const r = a.firstStrayRow ?? 0;
        strayCols.push(`"${col}" (${a.strayText}, first at line ${raw.rowLine[r]}: "${rows[r][j].trim().slice(0, 30)}")`);
      }
    } else if (a.kind === 'categorical') {
      const categories = a.categories ?? [];
      transforms.push({ column: col, kind: 'categorical', categories });
      transformSource.push(j);
      for (const c of categories) {
        featureNames.push(`${col}=${c}`);
        featureColumnList.push(j);
      }
    } else if (a.kind !== 'label') {
      const reason = a.excludedReason ?? a.kind;
      const key = a.excludedReason === LEFT_OUT_REASON ? 'left-out' : a.kind === 'constant' ? 'constant or empty' : a.kind === 'text' ? 'free text' : 'identifier-like';
      const list = excluded.get(key) ?? [];
      list.push(list.length < 6 ? `"${col}" (${reason})` : col);
      excluded.set(key, list);
    }
  }
  for (const [key, list] of excluded) {
    const shown = list.slice(0, 6).join(', ') + (list.length > 6 ? `, ... (${list.length} in all)` : '');
    notes.push(`${name}: ${list.length} ${key} column(s) excluded from the features: ${shown}.`);
  }
  if (nonFiniteCols.length > 0) notes.push(`${name}: infinite or overflowing numbers treated as missing in ${listPlain(nonFiniteCols)}.`);
  if (strayCols.length > 0) notes.push(`${name}: non-numeric cells in mostly numeric columns treated as missing: ${listPlain(strayCols)}.`);
  if (meanFilled.length > 0) notes.push(`${name}: missing numeric cells filled with the column mean in ${listNames(meanFilled)}.`);
  const categoricalWithMissing = transforms.filter((t) => t.kind === 'categorical' && t.categories.includes(MISSING_CATEGORY)).map((t) => t.column);
  if (categoricalWithMissing.length > 0) notes.push(`${name}: missing categorical cells form their own "${MISSING_CATEGORY}" category in ${listNames(categoricalWithMissing)}.`);
  if (labelIndex < 0) {
    const lookalike = header.filter((h, j) => !leftOut.has(j) && LABEL_LIKE.test(h.trim()));
    if (lookalike.length > 0) {
      notes.push(`${name}: column ${listNames(lookalike)} looks like a label; it is used as a feature unless you set it as the label column (setting neonClusterExplorer.labelColumn / --label-column).`);
    }
  }
  if (featureNames.length === 0) {
    const kinds = columns.map((c) => `"${c.name}": ${c.excludedReason ?? c.kind}`);
    throw new DataError(`no usable feature columns (${listPlain(kinds)})`, file);
  }

  const preprocessing: TablePreprocessing = { kind: 'table', columns: transforms, missing: 'mean' };
  const features = fillFeatures(rows.length, featureNames.length, transforms, transformSource, analyses, rows);
  const dataset: TableDataset = {
    kind: 'table',
    source: path.resolve(file),
    delimiter: raw.delimiter,
    columns,
    rowLine: raw.rowLine,
    features,
    featureNames,
    featureColumn: Int32Array.from(featureColumnList),
    ...(labelIndex >= 0
      ? { labels: rows.map((r) => (r[labelIndex].trim() === '' ? MISSING_CATEGORY : r[labelIndex].trim())), labelColumn: header[labelIndex] }
      : {}),
    preprocessing,
    notes,
  };
  return dataset;
}

function listPlain(items: readonly string[], max = 6): string {
  return items.slice(0, max).join(', ') + (items.length > max ? `, ... (${items.length} in all)` : '');
}

/** Writes the standardised / one-hot features from the column analyses. */
function fillFeatures(
  n: number,
  d: number,
  transforms: readonly ColumnTransform[],
  transformSource: readonly number[],
  analyses: readonly ColumnAnalysis[],
  rows: readonly (readonly string[])[],
): Matrix {
  const data = new Float64Array(n * d);
  let f = 0;
  for (let ti = 0; ti < transforms.length; ti++) {
    const t = transforms[ti];
    const j = transformSource[ti];
    if (t.kind === 'numeric') {
      const values = analyses[j].values as Float64Array;
      const inv = 1 / t.std;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        data[i * d + f] = v === v ? (v - t.mean) * inv : 0;
      }
      f++;
    } else {
      const catIndex = new Map<string, number>();
      t.categories.forEach((c, k) => catIndex.set(c, k));
      const missingK = catIndex.get(MISSING_CATEGORY);
      const num = new Float64Array(1);
      for (let i = 0; i < n; i++) {
        const raw = rows[i][j];
        const cls = parseCell(raw, num);
        const k = cls === CELL_MISSING || cls === CELL_NONFINITE ? missingK : catIndex.get(raw.trim());
        if (k !== undefined) data[i * d + f + k] = 1;
      }
      f += t.categories.length;
    }
  }
  return { rows: n, cols: d, data };
}

/**
 * New data under a saved preprocessing (e.g. a model file applied to another CSV). Columns
 * are matched by name; a missing column or a non-numeric cell in a numeric column is a
 * DataError naming the file, line and column. Unknown categories encode as all zeros.
 */
export function applyTablePreprocessing(table: RawTable, pre: TablePreprocessing, file: string): Matrix {
  const index = new Map<string, number>();
  table.header.forEach((h, j) => index.set(h, j));
  const absent = pre.columns.filter((t) => !index.has(t.column)).map((t) => t.column);
  if (absent.length > 0) {
    throw new DataError(`missing column(s) required by the model: ${listNames(absent, 12)}; the file has ${listNames(table.header, 12)}`, file);
  }
  const d = pre.columns.reduce((s, t) => s + (t.kind === 'numeric' ? 1 : t.categories.length), 0);
  const n = table.rows.length;
  const data = new Float64Array(n * d);
  const num = new Float64Array(1);
  const decimalComma = allowsDecimalComma(table.delimiter);
  let f = 0;
  for (const t of pre.columns) {
    const j = index.get(t.column) as number;
    if (t.kind === 'numeric') {
      const inv = t.std > 0 ? 1 / t.std : 1;
      for (let i = 0; i < n; i++) {
        const cls = parseCell(table.rows[i][j] ?? '', num, decimalComma);
        if (cls === CELL_NUMBER) data[i * d + f] = (num[0] - t.mean) * inv;
        else if (cls !== CELL_MISSING && cls !== CELL_NONFINITE) {
          throw new DataError(`non-numeric value "${table.rows[i][j].trim().slice(0, 40)}" in a numeric column`, file, table.rowLine[i], t.column);
        }
      }
      f++;
    } else {
      const catIndex = new Map<string, number>();
      t.categories.forEach((c, k) => catIndex.set(c, k));
      const missingK = catIndex.get(MISSING_CATEGORY);
      for (let i = 0; i < n; i++) {
        const raw = table.rows[i][j] ?? '';
        const cls = parseCell(raw, num);
        const k = cls === CELL_MISSING || cls === CELL_NONFINITE ? missingK : catIndex.get(raw.trim());
        if (k !== undefined) data[i * d + f + k] = 1;
      }
      f += t.categories.length;
    }
  }
  return { rows: n, cols: d, data };
}
