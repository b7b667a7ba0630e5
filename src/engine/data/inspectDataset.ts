/**
 * A quick look at a dataset before clustering it, for the extension's "Cluster Dataset…" input:
 * its columns (table) or fields (JSONL) as column typing reads them, which could be the label
 * (named like one, or few distinct values), which hold free text, and whether the table is
 * image-like. Only the first INSPECT_ROWS rows / lines are read, so it costs milliseconds even
 * on a large file; nothing here builds features.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { DataError } from '../errors';
import type { DataSource } from '../pipelineTypes';
import type { ColumnKind } from '../types';
import type { CellColumn } from './cellColumn';
import { analyzeColumn, categoryText, DATE_REASON, isLabelLikeName } from './columnTyping';
import { fallbackConvention, CELL_NA_TOKEN } from './numberFormat';
import { MissingValueRule, type MissingValueOptions } from './missingValues';
import { readTable } from './tableFormats';
import { detectImageColumns } from './imageScaling';
import { jsonFieldEntries, jsonFieldLeaf } from './jsonFieldPaths';
import { resolveSourceKind, type ConcreteSourceKind } from './loadDataset';

/** Rows (table) or lines (JSONL) looked at. */
export const INSPECT_ROWS = 2000;
/** Columns with at most this many distinct values are offered as a possible label. */
export const MAX_LABEL_VALUES = 30;
/** Distinct values are counted up to this many (enough to tell "few" from "many"). */
const DISTINCT_CAP = 1000;
/** A JSONL string field is text (not a category) from this mean length or word count on. */
const TEXT_MEAN_CHARS = 30;
const TEXT_MEAN_WORDS = 3;

export interface InspectedColumn {
  readonly name: string;
  /** As column typing reads it (a label-like column is typed as data, not as 'label'). */
  readonly kind: ColumnKind;
  /** Distinct non-missing values among the inspected rows (counted up to 1000, then "1001"). */
  readonly distinct: number;
  /** Named like a label (class, label, digit, diagnosis, species, target, …). */
  readonly labelLike: boolean;
  /** Why column typing would not use it as a feature (identifier, constant, free text, date). */
  readonly excludedReason?: string;
  /** A date column (left out: dates are not clustered). */
  readonly date?: boolean;
}

export interface DatasetInspection {
  /** How the source reads: a table, or one of the text corpus kinds. */
  readonly source: ConcreteSourceKind;
  /** Rows / lines inspected, and whether that was the whole file. */
  readonly rowsInspected: number;
  readonly complete: boolean;
  /** Table columns or JSONL fields, in file order; empty for folders and paragraph files. */
  readonly columns: readonly InspectedColumn[];
  /**
   * Columns that could hold the label, best first: named like a label, then categorical columns
   * with 2..MAX_LABEL_VALUES values (fewest first), then small-integer numeric columns.
   */
  readonly labelCandidates: readonly string[];
  /** The column to propose as the label: the first named like one (undefined: none). */
  readonly suggestedLabel?: string;
  /** Columns / fields holding free text (longest first for JSONL), for a text-column choice. */
  readonly textColumns: readonly string[];
  /** Pixel columns of an image-like table (see imageScaling.ts), if any. */
  readonly imageColumns?: number;
}

/**
 * Inspects `source`. Tables: the first INSPECT_ROWS data rows, typed as buildTableDataset types
 * them. JSONL: the first INSPECT_ROWS lines' fields. Folders and paragraph files: kind only.
 * @throws DataError when the file cannot be read as its kind (the message names file and line).
 */
export async function inspectDataset(source: DataSource, signal?: AbortSignal, missing: MissingValueOptions = {}): Promise<DatasetInspection> {
  const kind = resolveSourceKind(source);
  if (kind === 'table' || kind === 'csv-text') return inspectTable(source.path, signal, missing);
  if (kind === 'jsonl') return inspectJsonl(source.path);
  return { source: kind, rowsInspected: 0, complete: true, columns: [], labelCandidates: [], textColumns: [] };
}

async function inspectTable(file: string, signal?: AbortSignal, missing: MissingValueOptions = {}): Promise<DatasetInspection> {
  const raw = await readTable(file, { maxRows: INSPECT_ROWS, ...missing, ...(signal ? { signal } : {}) });
  const rule = new MissingValueRule(missing);
  const fallback = fallbackConvention(raw.delimiter);
  const analyses = raw.header.map((name, j) => analyzeColumn(raw.columns[j], name, { isLabel: false, fallback, isUserToken: (t) => rule.isUserToken(t) }));
  const image = detectImageColumns(analyses.map((a, j) => ({ name: raw.header[j]!, numeric: a.kind === 'numeric', constant: a.kind === 'constant', values: a.values })));
  const pixels = new Set(image?.columns ?? []);
  const columns: InspectedColumn[] = raw.header.map((name, j) => {
    const a = analyses[j]!;
    return {
      name,
      kind: a.kind,
      distinct: distinctValues(raw.columns[j]),
      labelLike: isLabelLikeName(name, raw.header),
      ...(a.excludedReason !== undefined ? { excludedReason: a.excludedReason } : {}),
      ...(a.excludedReason?.startsWith(DATE_REASON) ? { date: true } : {}),
    };
  });
  const smallIntegers = (j: number): boolean => {
    const v = analyses[j]!.values;
    if (!v) return false;
    for (let i = 0; i < v.length; i++) if (v[i] === v[i] && !Number.isInteger(v[i])) return false;
    return true;
  };
  const few = (c: InspectedColumn): boolean => c.distinct >= 2 && c.distinct <= MAX_LABEL_VALUES;
  const named = columns.filter((c) => c.labelLike && c.kind !== 'constant');
  const categorical = columns.filter((c) => !c.labelLike && c.kind === 'categorical' && few(c)).sort((a, b) => a.distinct - b.distinct);
  const integers = columns.filter((c, j) => !c.labelLike && !pixels.has(j) && c.kind === 'numeric' && few(c) && smallIntegers(j)).sort((a, b) => a.distinct - b.distinct);
  const truncated = raw.notes.some((n) => n.includes('data rows were loaded'));
  return {
    source: 'table',
    rowsInspected: raw.rows,
    complete: !truncated,
    columns,
    labelCandidates: [...named, ...categorical, ...integers].map((c) => c.name),
    ...(named[0] ? { suggestedLabel: named[0].name } : {}),
    // Parquet's too: its documents hold their text (textSources.ts loadTableTextCorpus).
    textColumns: columns.filter((c) => c.kind === 'text').map((c) => c.name),
    ...(image ? { imageColumns: image.columns.length } : {}),
  };
}

function distinctValues(col: CellColumn): number {
  const seen = new Set<string>();
  for (let i = 0; i < col.values.length; i++) {
    if (col.kinds && col.kinds[i] === CELL_NA_TOKEN) continue;
    const t = categoryText(col, i, undefined);
    if (t === undefined) continue;
    seen.add(t);
    if (seen.size > DISTINCT_CAP) break;
  }
  return seen.size;
}

interface FieldStats {
  strings: number;
  numbers: number;
  others: number;
  chars: number;
  words: number;
  values: Set<string>;
}

async function inspectJsonl(file: string): Promise<DatasetInspection> {
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, { encoding: 'utf8' });
  } catch {
    throw new DataError('cannot read the file', file);
  }
  const fields = new Map<string, FieldStats>();
  let lines = 0;
  let complete = true;
  const reader = readline.createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of reader) {
      if (line.trim() === '') continue;
      if (lines >= INSPECT_ROWS) {
        complete = false;
        break;
      }
      lines++;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        continue; // the clustering run reports malformed lines with their line numbers
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) continue;
      // Nested fields as dotted paths (`review.body`), as pandas' json_normalize names them (trial s22 D2).
      for (const [key, value] of jsonFieldEntries(obj as Record<string, unknown>)) {
        let s = fields.get(key);
        if (!s) fields.set(key, (s = { strings: 0, numbers: 0, others: 0, chars: 0, words: 0, values: new Set() }));
        if (typeof value === 'string') {
          s.strings++;
          s.chars += value.length;
          s.words += value.trim() === '' ? 0 : value.trim().split(/\s+/).length;
          if (s.values.size <= DISTINCT_CAP) s.values.add(value.trim());
        } else if (typeof value === 'number' || typeof value === 'boolean') {
          s.numbers++;
          if (s.values.size <= DISTINCT_CAP) s.values.add(String(value));
        } else {
          s.others++;
        }
      }
    }
  } finally {
    reader.close();
    stream.destroy();
  }
  const columns: InspectedColumn[] = [];
  const text: { name: string; chars: number }[] = [];
  const leaves = [...fields.keys()].map(jsonFieldLeaf);
  for (const [name, s] of fields) {
    const isText = s.strings > 0 && s.strings >= s.numbers && (s.chars / s.strings >= TEXT_MEAN_CHARS || s.words / s.strings >= TEXT_MEAN_WORDS);
    const kind: ColumnKind = isText ? 'text' : s.values.size <= 1 ? 'constant' : s.strings >= s.numbers ? 'categorical' : 'numeric';
    if (isText) text.push({ name, chars: s.chars / s.strings });
    // A nested field is named like a label by its last key (`product.category`), as textSources.ts judges it.
    columns.push({ name, kind, distinct: s.values.size, labelLike: isLabelLikeName(jsonFieldLeaf(name), leaves) });
  }
  const few = (c: InspectedColumn): boolean => c.distinct >= 2 && c.distinct <= MAX_LABEL_VALUES;
  const named = columns.filter((c) => c.labelLike && c.kind !== 'text' && c.kind !== 'constant');
  const others = columns.filter((c) => !c.labelLike && c.kind !== 'text' && few(c)).sort((a, b) => a.distinct - b.distinct);
  return {
    source: 'jsonl',
    rowsInspected: lines,
    complete,
    columns,
    labelCandidates: [...named, ...others].map((c) => c.name),
    ...(named[0] ? { suggestedLabel: named[0].name } : {}),
    textColumns: text.sort((a, b) => b.chars - a.chars).map((t) => t.name),
  };
}
