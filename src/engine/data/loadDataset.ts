/**
 * Entry point of the data layer: a DataSource + settings -> Dataset (table or text).
 * `auto` decides by what the path is: a folder -> text files; .jsonl / .ndjson -> JSONL;
 * .txt / .md -> one document per paragraph; anything else -> a table (CSV, TSV, ...).
 */
import { rowCap } from '../pipeline/rowBudget';
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors';
import { isParquetPath } from './parquetFiles';
import { isTabSeparatedTable } from './textTable';
import { throwIfAborted } from '../jobs';
import type { ClusterSettings, DataSource } from '../pipelineTypes';
import type { Dataset, JobHooks, TextDataset, TextPreprocessing } from '../types';
import { readTable } from './tableFormats';
import type { MissingValueOptions } from './missingValues';
import { buildTableDataset, type TableOptions } from './tableDataset';
import { applyTextPreprocessing, buildTextDataset, DEFAULT_MIN_WORD_LENGTH } from './textDataset';
import { loadTableTextCorpus, loadFolderCorpus, loadJsonlCorpus, loadParagraphCorpus, TEXT_FILE_EXTENSIONS, type Corpus, type CorpusOptions } from './textSources';

export type ConcreteSourceKind = Exclude<DataSource['kind'], 'auto'>;

/** How the settings choose a table's label column (see resolveLabelColumn). */
export function labelOptions(settings: ClusterSettings): TableOptions {
  return {
    ...(settings.labelColumn !== undefined ? { labelColumn: settings.labelColumn } : {}),
    labelColumnOptional: settings.labelColumnOptional === true,
    autoLabel: settings.autoLabelColumn !== false,
    ...missingValueOptions(settings),
  };
}

/** The missing-value tokens the settings ask for (pandas na_values / keep_default_na). */
export function missingValueOptions(settings: ClusterSettings): MissingValueOptions {
  return {
    ...(settings.naValues !== undefined ? { naValues: settings.naValues } : {}),
    ...(settings.keepDefaultNa !== undefined ? { keepDefaultNa: settings.keepDefaultNa } : {}),
  };
}

/** Everything the settings say about building a table: its label column and the columns left out. */
export function tableOptions(settings: ClusterSettings): TableOptions {
  return {
    ...labelOptions(settings),
    ...(settings.excludeColumns && settings.excludeColumns.length > 0 ? { excludeColumns: settings.excludeColumns } : {}),
  };
}

/** The concrete kind `auto` resolves to for a path. */
export function resolveSourceKind(source: DataSource): ConcreteSourceKind {
  if (source.kind !== 'auto') return source.kind;
  let st: fs.Stats;
  try {
    st = fs.statSync(source.path);
  } catch {
    throw new DataError('file or folder not found', source.path);
  }
  if (st.isDirectory()) return isParquetPath(source.path) ? 'table' : 'text-folder';
  const ext = path.extname(source.path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (TEXT_FILE_EXTENSIONS.includes(ext)) return ext === '.txt' && isTabSeparatedTable(source.path) ? 'table' : 'paragraphs';
  return 'table';
}

export async function loadDataset(source: DataSource, settings: ClusterSettings, hooks?: JobHooks): Promise<Dataset> {
  const kind = resolveSourceKind(source);
  hooks?.onProgress?.({ stage: 'loading', fraction: 0, message: path.basename(source.path) });
  throwIfAborted(hooks);
  if (kind === 'table') {
    const raw = await readTable(source.path, {
      maxRows: rowCap(settings),
      ...missingValueOptions(settings),
      ...(hooks?.signal ? { signal: hooks.signal } : {}),
      ...(hooks?.onProgress ? { onProgress: hooks.onProgress } : {}),
    });
    throwIfAborted(hooks);
    const dataset = await buildTableDataset(raw, source.path, tableOptions(settings), hooks);
    hooks?.onProgress?.({ stage: 'loading', fraction: 1 });
    return dataset;
  }
  const corpus = await loadCorpus(source, settings, hooks);
  throwIfAborted(hooks);
  const textColumn = settings.textColumn !== undefined && settings.textColumn !== '' ? settings.textColumn : undefined;
  const dataset = await buildTextDataset(
    corpus,
    source.path,
    {
      minWordLength: DEFAULT_MIN_WORD_LENGTH,
      stopWords: settings.stopWords,
      textDim: settings.textDim,
      seed: settings.seed,
      ...(settings.embeddingsFile !== undefined && settings.embeddingsFile !== '' ? { embeddingsFile: settings.embeddingsFile } : {}),
      ...(settings.generalVectors === false ? { generalVectors: false } : {}),
    },
    hooks,
  );
  // The model file keeps the text column, so `explain` reads the same one (trial7 D11f).
  return textColumn === undefined ? dataset : { ...dataset, preprocessing: { ...dataset.preprocessing, textColumn } };
}

/** The documents of a text source (no features yet). Throws DataError for a table source. */
export async function loadCorpus(source: DataSource, settings: ClusterSettings, hooks?: JobHooks): Promise<Corpus> {
  const kind = resolveSourceKind(source);
  const corpusOptions: CorpusOptions = {
    maxDocs: rowCap(settings),
    ...(settings.textColumn !== undefined && settings.textColumn !== '' ? { textField: settings.textColumn } : {}),
    ...(settings.labelColumn !== undefined && settings.labelColumn !== '' ? { labelField: settings.labelColumn, labelOptional: settings.labelColumnOptional === true } : {}),
    ...(settings.noLabelColumn === true && (settings.labelColumn === undefined || settings.labelColumn === '') ? { labelField: null } : {}),
    ...(hooks ? { hooks } : {}),
  };
  switch (kind) {
    case 'jsonl':
      return loadJsonlCorpus(source.path, corpusOptions);
    case 'text-folder':
      return loadFolderCorpus(source.path, corpusOptions);
    case 'paragraphs':
      return loadParagraphCorpus(source.path, corpusOptions);
    case 'csv-text':
      return loadTableTextCorpus(source.path, corpusOptions);
    case 'table':
      throw new DataError('is read as a table, not a text corpus (choose a text source: JSONL, folder, paragraphs or a CSV text column)', source.path);
    default:
      return assertUnreachable(kind);
  }
}

/**
 * A text source under a model's saved TextPreprocessing (vocabulary + word vectors), for a
 * model fitted elsewhere: no vectors are learned, words outside the model's vocabulary are
 * dropped with a note. (Tables under a saved model: readTable + TablePreprocessor.)
 */
export async function loadTextUnder(source: DataSource, settings: ClusterSettings, pre: TextPreprocessing, hooks?: JobHooks): Promise<TextDataset> {
  hooks?.onProgress?.({ stage: 'loading', fraction: 0, message: path.basename(source.path) });
  const corpus = await loadCorpus(source, settings, hooks);
  throwIfAborted(hooks);
  return applyTextPreprocessing(corpus, source.path, pre, hooks);
}

function assertUnreachable(x: never): never {
  throw new Error(`unhandled data source kind ${String(x)}`);
}
