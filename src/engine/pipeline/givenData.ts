/**
 * Data under a model that was not fitted here (a model file, a centroids CSV): the data is
 * mapped to the model's inputs with the model's own preprocessing, never re-standardised.
 *  - table preprocessing: the saved standardisation / one-hot transforms, columns by name;
 *  - none: the columns named by featureNames, taken as-is (numbers only);
 *  - text: the corpus tokenised as the model was, document = mean of the model's word vectors.
 */
import { readTableRowsInBudget } from './sampledTable';
import path from 'node:path';
import { CELL_EMPTY, CELL_NA_TOKEN } from '../data/cells';
import type { CellColumn } from '../data/cellColumn';
import { categoryText } from '../data/columnTyping';
import { applyTablePreprocessing, loadTextUnder, resolveSourceKind } from '../data';
import { labelOptions } from '../data/loadDataset';
import { resolveLabelColumn } from '../data/tableDataset';
import { ModelError } from '../errors';
import type { ClusterSettings, DataSource, RowSelection } from '../pipelineTypes';
import type { ClusterModel, ColumnInfo, Dataset, JobHooks, Preprocessing, TableDataset, TablePreprocessing } from '../types';
import type { ColumnarTable } from '../data';

/** A model taken as given, with the preprocessing that maps raw data to its inputs. */
export interface GivenModel {
  readonly model: ClusterModel;
  readonly preprocessing: Preprocessing;
  readonly featureNames: readonly string[];
}

/** A table model cannot read a text corpus: say so before trying to parse it as CSV. */
function assertTableSource(source: DataSource): void {
  if (resolveSourceKind(source) !== 'table') {
    throw new ModelError(`the model explains table rows, but ${path.basename(source.path)} is read as a text corpus`);
  }
}

/** featureNames as an identity transform: "take these columns as they are". */
function identityPreprocessing(featureNames: readonly string[]): TablePreprocessing {
  return { kind: 'table', missing: 'mean', columns: featureNames.map((column) => ({ column, kind: 'numeric', mean: 0, std: 1 })) };
}

async function givenTable(source: DataSource, given: GivenModel, settings: ClusterSettings, hooks?: JobHooks): Promise<{ dataset: TableDataset; raw: ColumnarTable; selection: RowSelection }> {
  assertTableSource(source);
  const file = source.path;
  const name = path.basename(file);
  // The same memory budget as a fit (rowBudget.ts): beyond it a uniform sample is kept in
  // memory and the pipeline's streaming pass explains every row (pipeline/everyRow.ts).
  const { raw, selection } = await readTableRowsInBudget(file, settings, hooks);
  const pre = given.preprocessing.kind === 'table' ? given.preprocessing : identityPreprocessing(given.featureNames);
  const notes = [...raw.notes];
  if (given.preprocessing.kind === 'none') {
    // As-is data has no mean to fill a hole with; count the holes so the user knows.
    const used = given.featureNames.map((f) => raw.header.indexOf(f)).filter((j) => j >= 0);
    let holes = 0;
    for (const j of used) holes += missingCells(raw.columns[j]);
    if (holes > 0) notes.push(`${name}: ${holes} missing cell(s) in the model's columns read as 0 (the model takes the data as-is).`);
  }
  // The same cell rules as a fresh fit: stray text in a numeric column is missing, with a note.
  const features = applyTablePreprocessing(raw, pre, file, notes);
  if (features.cols !== given.featureNames.length) {
    throw new ModelError(`the model's preprocessing yields ${features.cols} features but it names ${given.featureNames.length} (featureNames)`);
  }
  const labelIndex = resolveLabelColumn(raw.header, labelOptions(settings), file, notes);
  const transformOf = new Map(pre.columns.map((t) => [t.column, t] as const));
  const columns: ColumnInfo[] = raw.header.map((h, j) => {
    const t = transformOf.get(h);
    const missing = t || j === labelIndex ? missingCells(raw.columns[j]) : 0;
    if (j === labelIndex) return { name: h, sourceIndex: j, kind: 'label', missing, excludedReason: 'label column' };
    if (!t) return { name: h, sourceIndex: j, kind: 'text', missing, excludedReason: 'not an input of the model' };
    return { name: h, sourceIndex: j, kind: t.kind, missing };
  });
  const featureColumn: number[] = [];
  for (const t of pre.columns) {
    const j = raw.header.indexOf(t.column);
    const width = t.kind === 'numeric' ? 1 : t.categories.length;
    for (let w = 0; w < width; w++) featureColumn.push(j);
  }
  const dataset: TableDataset = {
    kind: 'table',
    source: path.resolve(file),
    delimiter: raw.delimiter,
    columns,
    rowLine: raw.rowLine,
    ...(raw.rowIndex ? { rowIndex: raw.rowIndex } : {}),
    features,
    featureNames: [...given.featureNames],
    featureColumn: Int32Array.from(featureColumn),
    ...(labelIndex >= 0 ? { labels: Array.from({ length: raw.rows }, (_, i) => categoryText(raw.columns[labelIndex], i, undefined) ?? ''), labelColumn: raw.header[labelIndex] } : {}),
    preprocessing: pre,
    notes,
  };
  return { dataset, raw, selection };
}

/** Empty cells and missing-value tokens of a column. */
function missingCells(col: CellColumn): number {
  if (!col.kinds) return 0;
  let n = 0;
  for (let i = 0; i < col.kinds.length; i++) if (col.kinds[i] === CELL_EMPTY || col.kinds[i] === CELL_NA_TOKEN) n++;
  return n;
}

/** Loads `source` as the given model's input. `raw` is the table as read, for display. */
export async function loadForGivenModel(
  source: DataSource,
  given: GivenModel,
  settings: ClusterSettings,
  hooks?: JobHooks,
): Promise<{ dataset: Dataset; raw?: ColumnarTable; selection?: RowSelection }> {
  if (given.featureNames.length !== given.model.dim) {
    throw new ModelError(`the model takes ${given.model.dim} inputs but names ${given.featureNames.length} features (featureNames)`);
  }
  if (given.preprocessing.kind !== 'text') return givenTable(source, given, settings, hooks);
  const pre = given.preprocessing;
  if (pre.dim !== given.model.dim) throw new ModelError(`the model's word vectors have ${pre.dim} dimensions, the model takes ${given.model.dim}`);
  if (resolveSourceKind(source) === 'table') {
    throw new ModelError(`the model explains text documents, but ${path.basename(source.path)} is read as a table (name its text column to read it as a corpus)`);
  }
  // The corpus is tokenised as the model was and embedded with the model's own word vectors.
  return { dataset: await loadTextUnder(source, settings, pre, hooks) };
}
