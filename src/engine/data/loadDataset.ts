/**
 * Entry point of the data layer: a DataSource + settings -> Dataset (table or text).
 * `auto` decides by what the path is: a folder -> text files; .jsonl / .ndjson -> JSONL;
 * .txt / .md -> one document per paragraph; anything else -> a table (CSV, TSV, ...).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors';
import { throwIfAborted } from '../jobs';
import type { ClusterSettings, DataSource } from '../pipelineTypes';
import type { Dataset, JobHooks } from '../types';
import { readTable } from './csvReader';
import { buildTableDataset } from './tableDataset';
import { buildTextDataset, DEFAULT_MIN_WORD_LENGTH } from './textDataset';
import { loadCsvTextCorpus, loadFolderCorpus, loadJsonlCorpus, loadParagraphCorpus, TEXT_FILE_EXTENSIONS, type Corpus, type CorpusOptions } from './textSources';

export type ConcreteSourceKind = Exclude<DataSource['kind'], 'auto'>;

/** The concrete kind `auto` resolves to for a path. */
export function resolveSourceKind(source: DataSource): ConcreteSourceKind {
  if (source.kind !== 'auto') return source.kind;
  let st: fs.Stats;
  try {
    st = fs.statSync(source.path);
  } catch {
    throw new DataError('file or folder not found', source.path);
  }
  if (st.isDirectory()) return 'text-folder';
  const ext = path.extname(source.path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (TEXT_FILE_EXTENSIONS.includes(ext)) return 'paragraphs';
  return 'table';
}

export async function loadDataset(source: DataSource, settings: ClusterSettings, hooks?: JobHooks): Promise<Dataset> {
  const kind = resolveSourceKind(source);
  hooks?.onProgress?.({ stage: 'loading', fraction: 0, message: path.basename(source.path) });
  throwIfAborted(hooks);
  if (kind === 'table') {
    const raw = await readTable(source.path, { maxRows: settings.maxRows, ...(hooks?.signal ? { signal: hooks.signal } : {}) });
    throwIfAborted(hooks);
    const dataset = buildTableDataset(raw, source.path, settings.labelColumn !== undefined ? { labelColumn: settings.labelColumn } : {});
    hooks?.onProgress?.({ stage: 'loading', fraction: 1 });
    return dataset;
  }
  const corpusOptions: CorpusOptions = {
    maxDocs: settings.maxRows,
    ...(settings.textColumn !== undefined && settings.textColumn !== '' ? { textField: settings.textColumn } : {}),
    ...(settings.labelColumn !== undefined && settings.labelColumn !== '' ? { labelField: settings.labelColumn } : {}),
    ...(hooks ? { hooks } : {}),
  };
  let corpus: Corpus;
  switch (kind) {
    case 'jsonl':
      corpus = await loadJsonlCorpus(source.path, corpusOptions);
      break;
    case 'text-folder':
      corpus = await loadFolderCorpus(source.path, corpusOptions);
      break;
    case 'paragraphs':
      corpus = await loadParagraphCorpus(source.path, corpusOptions);
      break;
    case 'csv-text':
      corpus = await loadCsvTextCorpus(source.path, corpusOptions);
      break;
    default:
      return assertUnreachable(kind);
  }
  throwIfAborted(hooks);
  return buildTextDataset(
    corpus,
    source.path,
    {
      minWordLength: DEFAULT_MIN_WORD_LENGTH,
      stopWords: settings.stopWords,
      textDim: settings.textDim,
      seed: settings.seed,
      ...(settings.embeddingsFile !== undefined && settings.embeddingsFile !== '' ? { embeddingsFile: settings.embeddingsFile } : {}),
    },
    hooks,
  );
}

function assertUnreachable(x: never): never {
  throw new Error(`unhandled data source kind ${String(x)}`);
}
