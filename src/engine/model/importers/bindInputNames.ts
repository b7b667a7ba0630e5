/**
 * Names for a model that stores none (a .npy array, a bare Spark KMeansModel, a one-tensor ONNX
 * graph): the data's numeric columns in order, as scikit-learn saw them when `fit(df)` was
 * called on the same table. The label column and a leading pandas index column are skipped.
 * When the count does not match, the error lists the columns so the user can pass --features.
 */
import path from 'node:path';
import { CELL_MISSING, CELL_NONFINITE, CELL_NUMBER, parseCell } from '../../data/cells';
import { LABEL_LIKE } from '../../data/columnTyping';
import { readTable } from '../../data/csvReader';
import { ModelError } from '../../errors';
import type { ColumnTransform, Preprocessing } from '../../types';
import type { ImportedModel } from './importer';

/** A table's header and a sample of its first rows (raw cells). */
export interface HeaderSample {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Column known to be the label (from the settings), -1 for none. */
  readonly labelIndex: number;
  /** Columns whose type is known from a schema (Parquet): true = numeric. Overrides the sample. */
  readonly numericBySchema?: readonly boolean[];
}

const INDEX_LIKE = /^(|unnamed: ?0|index|id|row|row_?id)$/i;

function isNumericColumn(sample: HeaderSample, j: number): boolean {
  if (sample.numericBySchema) return sample.numericBySchema[j];
  const out = new Float64Array(1);
  let present = 0;
  let numeric = 0;
  for (const r of sample.rows) {
    const c = parseCell(r[j] ?? '', out);
    if (c === CELL_MISSING) continue;
    present++;
    if (c === CELL_NUMBER || c === CELL_NONFINITE) numeric++;
  }
  return present > 0 && numeric >= 0.8 * present;
}

/** The model with its placeholder names replaced by the data's numeric columns (unchanged when named). */
export function bindInputNames(model: ImportedModel, sample: HeaderSample, dataFile: string): ImportedModel {
  if (!model.unnamedInputs) return model;
  const d = model.model.dim;
  const { header } = sample;
  let numeric = header.map((_, j) => j).filter((j) => j !== sample.labelIndex && isNumericColumn(sample, j));
  const labelLike = numeric.filter((j) => LABEL_LIKE.test(header[j].trim()));
  if (numeric.length > d && labelLike.length && numeric.length - labelLike.length >= d) numeric = numeric.filter((j) => !labelLike.includes(j));
  if (numeric.length === d + 1 && INDEX_LIKE.test(header[numeric[0]].trim())) numeric = numeric.slice(1);
  const name = path.basename(dataFile);
  if (numeric.length !== d) {
    const shown = numeric.slice(0, 12).map((j) => header[j]);
    throw new ModelError(
      `the model (${model.format}) does not name its ${d} inputs, and ${name} has ${numeric.length} numeric column(s)${shown.length ? ` (${shown.join(', ')}${numeric.length > 12 ? ', ...' : ''})` : ''}; name the model's inputs in order with --features a,b,c`,
    );
  }
  const names = numeric.map((j) => header[j]);
  const rename = (pre: Preprocessing): Preprocessing =>
    pre.kind === 'table' ? { ...pre, columns: pre.columns.map((c, j): ColumnTransform => ({ ...c, column: names[j] })) } : pre;
  return {
    ...model,
    featureNames: names,
    preprocessing: rename(model.preprocessing),
    unnamedInputs: false,
    notes: [...model.notes.filter((n) => !n.includes('does not name its')), `${model.format}: inputs named from ${name}'s numeric columns: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''}.`],
  };
}

/**
 * Binds an unnamed model to the table at `file` (its header and first 200 rows). `labelColumn`
 * is the user's label setting (kept out of the inputs). Resolves to the model unchanged when
 * it names its inputs.
 */
export async function bindInputNamesToTable(model: ImportedModel, file: string, labelColumn?: string): Promise<ImportedModel> {
  if (!model.unnamedInputs) return model;
  const raw = await readTable(file, { maxRows: 200 });
  const labelIndex = labelColumn ? raw.header.findIndex((h) => h === labelColumn || h.trim().toLowerCase() === labelColumn.trim().toLowerCase()) : -1;
  return bindInputNames(model, { header: raw.header, rows: raw.rows, labelIndex }, file);
}

/** The same for a model handed over by the extension (LoadedModel / FitRequest.model): names from the dataset at `file`. */
export async function bindGivenToData<M extends { model: ImportedModel['model']; preprocessing: ImportedModel['preprocessing']; featureNames: readonly string[]; unnamedInputs?: boolean; format?: string }>(
  given: M,
  file: string,
  labelColumn?: string,
): Promise<M> {
  const bound = await bindInputNamesToTable({ ...given, notes: [], format: given.format ?? 'model' }, file, labelColumn);
  return { ...given, featureNames: bound.featureNames, preprocessing: bound.preprocessing, unnamedInputs: false };
}
