/**
 * Names for a model that stores none (a .npy array, a bare Spark KMeansModel, a one-tensor ONNX
 * graph): the data's numeric columns in order, as scikit-learn saw them when `fit(df)` was
 * called on the same table. The label column and a leading pandas index column are skipped.
 * When the count does not match, the error lists the columns so the user can pass --features.
 */
import path from 'node:path';
import { kindAt } from '../../data/cellColumn';
import { CELL_EMPTY, CELL_NA_TOKEN, isNumberKind } from '../../data/cells';
import { isLabelLikeName } from '../../data/columnTyping';
import { openTable } from '../../data/tableFormats';
import { ModelError } from '../../errors';
import type { ColumnTransform, Preprocessing } from '../../types';
import type { ImportedModel } from './importer';

/** A table's header and which of its columns hold numbers. */
export interface HeaderSample {
  readonly header: readonly string[];
  /** Per column: the format stores numbers, or most non-missing cells of the first rows are numbers. */
  readonly numeric: readonly boolean[];
  /** Column known to be the label (from the settings), -1 for none. */
  readonly labelIndex: number;
}

const INDEX_LIKE = /^(|unnamed: ?0|index|id|row|row_?id)$/i;

/** The model with its placeholder names replaced by the data's numeric columns (unchanged when named). */
export function bindInputNames(model: ImportedModel, sample: HeaderSample, dataFile: string): ImportedModel {
  if (!model.unnamedInputs) return model;
  const d = model.model.dim;
  const { header } = sample;
  let numeric = header.map((_, j) => j).filter((j) => j !== sample.labelIndex && sample.numeric[j]);
  const labelLike = numeric.filter((j) => isLabelLikeName(header[j], header));
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
  const reader = await openTable(file);
  try {
    const header = reader.schema.columns.map((c) => c.name);
    const numeric = reader.schema.columns.map((c) => c.storage === 'number');
    for await (const chunk of reader.chunks({ chunkRows: 200, maxRows: 200 })) {
      chunk.columns.forEach((col, j) => {
        if (numeric[j]) return;
        let present = 0;
        let numbers = 0;
        for (let i = 0; i < chunk.rows; i++) {
          const kind = kindAt(col, i);
          if (kind === CELL_EMPTY || kind === CELL_NA_TOKEN) continue;
          present++;
          if (isNumberKind(kind)) numbers++;
        }
        numeric[j] = present > 0 && numbers >= 0.8 * present;
      });
      break;
    }
    const wanted = labelColumn?.trim().toLowerCase();
    const labelIndex = wanted ? header.findIndex((h) => h === labelColumn || h.trim().toLowerCase() === wanted) : -1;
    return bindInputNames(model, { header, numeric, labelIndex }, file);
  } finally {
    await reader.close();
  }
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
