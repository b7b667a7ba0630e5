/**
 * Text corpora from four kinds of source, each document with the decoded text and where that
 * text sits in its file (UTF-16 offsets, as the editor counts them):
 *  - a folder of .txt / .md files (recursive, sorted; first-level subfolder = label when all
 *    files are in subfolders, as in the 20 Newsgroups layout);
 *  - JSONL, one JSON object per line (a line that is not a JSON object is skipped with a note
 *    naming its line and column, so one bad line does not stop the others; a file where no
 *    line is one fails naming the first bad line);
 *  - a text column of a table: CSV / TSV (each document named `file.csv:L` after the line L its
 *    record starts on, as a JSONL record is) or Parquet, a binary file with no text to point
 *    into, whose documents hold their cell's text instead of offsets (documentText.ts) and are
 *    named `file.parquet row R` after their 0-based row;
 *  - one document per blank-line-separated paragraph of a single .txt / .md file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors';
import { throwIfAborted, yieldToEventLoop } from '../jobs';
import type { DocumentRef, JobHooks } from '../types';
import { tableRowsText } from './cellColumn';
import { isLabelLikeName } from './columnTyping';
import { jsonFieldEntries, jsonFieldLeaf, jsonFieldList, jsonFieldValue } from './jsonFieldPaths';
import { readTable } from './tableFormats';
import { dataRowNumber, hasSourceLines, type ColumnarTable } from './tableReader';
import { heldDocumentRef } from './documentText';
import { readTextFile } from './fileText';
import { csvField, decodeJsonString, editorOffsetMapper, findJsonStringValue, lineStarts, type MappedText } from './sourceOffsets';
import { invalidJsonLinesNote } from './skippedRecords';

export interface CorpusDocument {
  readonly ref: DocumentRef;
  readonly text: string;
  /** File offset of text unit k is `map[k]` when a map is given, else `base + k`. */
  readonly base: number;
  readonly map?: Int32Array;
}

export interface Corpus {
  readonly docs: CorpusDocument[];
  readonly labels?: string[];
  readonly notes: string[];
  /** The JSONL field (a dotted path when nested) or CSV column the texts come from, for messages. */
  readonly textField?: string;
}

export interface CorpusOptions {
  /** JSONL text field / CSV text column (default 'text', else the longest string field). */
  readonly textField?: string;
  /** JSONL label field / CSV label column (default: the first one named like a label, see defaultLabelIndex; null: no label, the user said so). */
  readonly labelField?: string | null;
  /** A missing label field is a note rather than an error (workspace-wide extension setting). */
  readonly labelOptional?: boolean;
  readonly maxDocs: number;
  readonly hooks?: JobHooks;
}

export const TEXT_FILE_EXTENSIONS = ['.txt', '.md', '.markdown', '.text'];
const MISSING_LABEL = '(missing)';
/** A field whose values average this many characters or words is text, not classes (as inspectDataset judges fields). */
const LABEL_MAX_MEAN_CHARS = 30;
const LABEL_MAX_MEAN_WORDS = 3;

/**
 * The label a corpus gets when none is given: the first field / column, in the file's order,
 * named like a label (columnTyping.ts isLabelLikeName: `label`, `class`, `category`, `topic`,
 * `target`, …) that is not the text and does not hold text itself. The same rule as a table's
 * label (tableDataset.ts) and as the label *Cluster Dataset…* proposes (inspectDataset.ts), so
 * the CLI and the extension agree on a file.
 * @param names field / column names in the file's order
 * @param values the values of field j (strings, numbers, …), to tell text from classes
 * @returns the index into `names`, or -1
 */
function defaultLabelIndex(names: readonly string[], textIndex: number, values: (j: number) => Iterable<unknown>): number {
  for (let j = 0; j < names.length; j++) {
    if (j === textIndex || !isLabelLikeName(names[j]!, names)) continue;
    let n = 0;
    let chars = 0;
    let words = 0;
    for (const v of values(j)) {
      if (typeof v !== 'string') continue;
      n++;
      chars += v.length;
      words += v.trim() === '' ? 0 : v.trim().split(/\s+/).length;
    }
    if (n > 0 && (chars / n >= LABEL_MAX_MEAN_CHARS || words / n >= LABEL_MAX_MEAN_WORDS)) continue;
    return j;
  }
  return -1;
}

/**
 * Re-expresses a file's documents in editor offsets when VS Code will normalise its mixed
 * line endings (see editorOffsetMapper); documents of other files are returned unchanged.
 */
function inEditorOffsets(docs: CorpusDocument[], src: string, notes: string[], name: string): CorpusDocument[] {
  const mapper = editorOffsetMapper(src);
  if (!mapper) return docs;
  notes.push(`${name}: mixed line endings; offsets follow the editor, which normalises them.`);
  return docs.map((d) => {
    const map = new Int32Array(d.text.length + 1);
    for (let k = 0; k <= d.text.length; k++) map[k] = mapper(d.map ? d.map[k] : d.base + k);
    return { ref: { ...d.ref, start: map[0], end: map[d.text.length] }, text: d.text, base: 0, map };
  });
}

function truncatedNote(name: string, maxDocs: number): string {
  return `${name}: only the first ${maxDocs} documents were loaded (maxRows).`;
}

function labelText(v: unknown): string {
  if (v === undefined || v === null || v === '') return MISSING_LABEL;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------
// JSONL
// ---------------------------------------------------------------------------------------

export async function loadJsonlCorpus(file: string, options: CorpusOptions): Promise<Corpus> {
  const name = path.basename(file);
  const decoded = await readTextFile(file);
  const src = decoded.text;
  const notes = [...decoded.notes];
  const starts = lineStarts(src);

  // Pass 1: parse every line (errors name the line), pick the text and label fields.
  const records: { obj: Record<string, unknown>; line: number }[] = [];
  const badLines: string[] = [];
  let badCount = 0;
  let firstBad: { line: number; message: string } | undefined;
  let truncated = false;
  for (let L = 0; L < starts.length; L++) {
    const lineText = lineAt(src, starts, L);
    if (lineText.trim() === '') continue;
    if (records.length >= options.maxDocs) {
      truncated = true;
      break;
    }
    let obj: unknown;
    let problem: string | undefined;
    try {
      obj = JSON.parse(lineText);
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) problem = 'not a JSON object ({"text": ...})';
    } catch (e) {
      problem = jsonErrorWhere(e as Error);
    }
    if (problem !== undefined) {
      if (badCount++ === 0) firstBad = { line: L + 1, message: problem };
      if (badLines.length < 3) badLines.push(`line ${L + 1}${problem.startsWith('column') ? ', ' : ': '}${problem}`);
      continue;
    }
    records.push({ obj: obj as Record<string, unknown>, line: L + 1 });
    if ((L & 1023) === 1023) {
      throwIfAborted(options.hooks);
      await yieldToEventLoop();
    }
  }
  if (records.length === 0 && firstBad) {
    throw new DataError(`${firstBad.message}; JSONL needs one JSON object per line (no line of the file is one)`, file, firstBad.line);
  }
  if (records.length === 0) throw new DataError('no JSON lines found (the file is empty or blank)', file);
  if (badCount > 0) {
    notes.push(invalidJsonLinesNote(name, badCount, records.length, badLines));
  }
  if (truncated) notes.push(truncatedNote(name, options.maxDocs));

  // Fields are keys or dotted paths into nested objects, named as pandas' json_normalize names them (jsonFieldPaths.ts).
  const textField = options.textField ?? chooseTextField(records.map((r) => r.obj), file);
  if (options.textField !== undefined && !records.some((r) => typeof jsonFieldValue(r.obj, textField) === 'string')) {
    throw new DataError(`text field "${textField}" not found as a string in any line; fields are ${jsonFieldList(records[0].obj)}`, file);
  }
  let labelField = options.labelField ?? undefined;
  const hasLabel = (field: string): boolean => records.some((r) => jsonFieldValue(r.obj, field) !== undefined);
  if (labelField !== undefined && !hasLabel(labelField) && options.labelOptional) {
    notes.push(`${name}: no label field "${labelField}" in any line; the default label fields are tried instead.`);
    labelField = undefined;
  } else if (labelField !== undefined && !hasLabel(labelField)) {
    throw new DataError(`label field "${labelField}" not found in any line; fields are ${jsonFieldList(records[0].obj)}`, file);
  }
  if (options.labelField !== null && labelField === undefined) {
    // Field paths in first-seen order over the records (a field may be absent from some lines);
    // a nested field is named like a label by its last key (`product.category`).
    const names = [...new Set(records.flatMap((r) => jsonFieldEntries(r.obj).map(([k]) => k)))];
    const j = defaultLabelIndex(names.map(jsonFieldLeaf), names.indexOf(textField), (j) => records.map((r) => jsonFieldValue(r.obj, names[j]!)));
    if (j >= 0) labelField = names[j];
  }

  // Pass 2: locate each text value in its raw line and decode it with an offset map.
  const docs: CorpusDocument[] = [];
  const labels: string[] = [];
  let skipped = 0;
  let firstSkipped = 0;
  const absPath = path.resolve(file);
  for (const { obj, line } of records) {
    const value = jsonFieldValue(obj, textField);
    if (typeof value !== 'string') {
      if (skipped++ === 0) firstSkipped = line;
      continue;
    }
    const lineStart = starts[line - 1];
    const lineText = lineAt(src, starts, line - 1);
    const span = findJsonStringValue(lineText, textField);
    let mapped: MappedText | undefined = span ? decodeJsonString(lineText, span.start, span.end, lineStart) : undefined;
    if (mapped === undefined || mapped.text.trim() !== value) {
      // Cannot happen for valid JSON; kept so a parser disagreement degrades to line-level offsets.
      const map = new Int32Array(value.length + 1).fill(lineStart);
      mapped = { text: value, map };
    }
    const label = labelField ? labelText(jsonFieldValue(obj, labelField)) : undefined;
    docs.push({ ref: { name: `${name}:${line}`, path: absPath, start: mapped.map[0], end: mapped.map[mapped.text.length], ...(label !== undefined ? { label } : {}) }, text: mapped.text, base: 0, map: mapped.map });
    if (label !== undefined) labels.push(label);
  }
  if (skipped > 0) notes.push(`${name}: ${skipped} line(s) without a string "${textField}" field skipped (first at line ${firstSkipped}).`);
  if (docs.length === 0) throw new DataError(`no line has a string "${textField}" field`, file);
  notes.push(`${name}: text field "${textField}"${labelField ? `, label field "${labelField}"` : ''}.`);
  return { docs: inEditorOffsets(docs, src, notes, name), ...(labelField ? { labels } : {}), notes, textField };
}

/**
 * A JSON.parse error of one line as "column C: what is wrong": V8 reports the place as
 * "at position P" (Node 20) or "(line 1 column C)" (newer V8); both become the line's column.
 */
export function jsonErrorWhere(e: Error): string {
  const msg = e.message;
  const lineCol = /\s*\(line \d+ column (\d+)\)/.exec(msg);
  const pos = /\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?/.exec(msg);
  let column: number | undefined;
  let what = msg;
  if (lineCol) {
    column = Number(lineCol[1]);
    what = msg.replace(lineCol[0], '');
  }
  if (pos) {
    column ??= Number(pos[1]) + 1;
    what = what.replace(/\s*(?:in JSON )?at position \d+/, '');
  }
  what = what.replace(/\s*in JSON$/, '').trim();
  return column !== undefined ? `column ${column}: ${what}` : what;
}

function lineAt(src: string, starts: Int32Array, L: number): string {
  const s = starts[L];
  let e = L + 1 < starts.length ? starts[L + 1] : src.length;
  // Drop the line ending (LF, CRLF or CR).
  if (e > s && src.charCodeAt(e - 1) === 10) e--;
  if (e > s && src.charCodeAt(e - 1) === 13) e--;
  return src.slice(s, e);
}

/**
 * 'text' when present as a string, else the string field with the longest mean length, nested
 * fields included as dotted paths (`review.body`; jsonFieldPaths.ts), over the first 200 records.
 * @throws DataError naming the fields when no record has a string field
 */
function chooseTextField(objs: readonly Record<string, unknown>[], file: string): string {
  const sample = objs.slice(0, 200);
  if (sample.some((o) => typeof o.text === 'string')) return 'text';
  const total = new Map<string, number>();
  for (const o of sample) {
    for (const [k, v] of jsonFieldEntries(o)) if (typeof v === 'string') total.set(k, (total.get(k) ?? 0) + v.length);
  }
  let best: string | undefined;
  let bestLen = -1;
  for (const [k, len] of total) {
    if (len > bestLen) {
      best = k;
      bestLen = len;
    }
  }
  if (best === undefined) throw new DataError(`no string field to use as the text; fields are ${jsonFieldList(objs[0])}`, file);
  return best;
}

// ---------------------------------------------------------------------------------------
// Folder of text files
// ---------------------------------------------------------------------------------------

function listTextFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && TEXT_FILE_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export async function loadFolderCorpus(dir: string, options: CorpusOptions): Promise<Corpus> {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new DataError('folder not found', dir);
  }
  if (!st.isDirectory()) throw new DataError('is not a folder', dir);
  const files = listTextFiles(dir);
  if (files.length === 0) throw new DataError(`no text files (${TEXT_FILE_EXTENSIONS.join(', ')}) in this folder or its subfolders`, dir);
  const notes: string[] = [];
  const rel = files.map((f) => path.relative(dir, f));
  const byFolder = rel.every((r) => r.includes(path.sep));
  const docs: CorpusDocument[] = [];
  const labels: string[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < files.length; i++) {
    if (docs.length >= options.maxDocs) {
      notes.push(truncatedNote(path.basename(dir), options.maxDocs));
      break;
    }
    let text: string;
    try {
      const decoded = await readTextFile(files[i]);
      text = decoded.text;
      notes.push(...decoded.notes);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      skipped.push(`${rel[i]} (${e.message.replace(/^[^:]*: /, '')})`);
      continue;
    }
    const label = byFolder ? rel[i].split(path.sep)[0] : undefined;
    const doc: CorpusDocument = { ref: { name: rel[i], path: path.resolve(files[i]), start: 0, end: text.length, ...(label !== undefined ? { label } : {}) }, text, base: 0 };
    docs.push(...inEditorOffsets([doc], text, notes, rel[i]));
    if (label !== undefined) labels.push(label);
    if ((i & 63) === 63) {
      throwIfAborted(options.hooks);
      await yieldToEventLoop();
    }
  }
  if (skipped.length > 0) {
    notes.push(`${path.basename(dir)}: ${skipped.length} file(s) skipped: ${skipped.slice(0, 5).join('; ')}${skipped.length > 5 ? '; ...' : ''}.`);
  }
  if (docs.length === 0) throw new DataError('no readable text files in this folder (all were skipped)', dir);
  if (byFolder) notes.push(`${path.basename(dir)}: each document's first-level subfolder is used as its label.`);
  return { docs, ...(byFolder ? { labels } : {}), notes };
}

// ---------------------------------------------------------------------------------------
// Paragraphs of one file
// ---------------------------------------------------------------------------------------

export async function loadParagraphCorpus(file: string, options: CorpusOptions): Promise<Corpus> {
  const name = path.basename(file);
  const decoded = await readTextFile(file);
  const src = decoded.text;
  const notes = [...decoded.notes];
  const starts = lineStarts(src);
  const docs: CorpusDocument[] = [];
  const absPath = path.resolve(file);
  let paraStart = -1;
  let paraEnd = -1;
  let truncated = false;
  const flush = (): void => {
    if (paraStart < 0) return;
    if (docs.length >= options.maxDocs) truncated = true;
    else {
      const text = src.slice(paraStart, paraEnd);
      docs.push({ ref: { name: `${name} ¶${docs.length + 1}`, path: absPath, start: paraStart, end: paraEnd }, text, base: paraStart });
    }
    paraStart = -1;
  };
  for (let L = 0; L < starts.length && !truncated; L++) {
    const s = starts[L];
    const line = lineAt(src, starts, L);
    const trimmedStart = line.length - line.trimStart().length;
    const content = line.trim();
    if (content === '') {
      flush();
      continue;
    }
    if (paraStart < 0) paraStart = s + trimmedStart;
    paraEnd = s + line.trimEnd().length;
  }
  flush();
  if (truncated) notes.push(truncatedNote(name, options.maxDocs));
  if (docs.length === 0) throw new DataError('no paragraphs (the file is empty or blank)', file);
  notes.push(`${name}: ${docs.length} paragraph(s), one document each.`);
  return { docs: inEditorOffsets(docs, src, notes, name), notes };
}

// ---------------------------------------------------------------------------------------
// CSV text column
// ---------------------------------------------------------------------------------------

function findHeader(header: readonly string[], wanted: string): number {
  const exact = header.indexOf(wanted);
  if (exact >= 0) return exact;
  const lower = wanted.toLowerCase();
  return header.findIndex((h) => h.toLowerCase() === lower);
}

/**
 * The documents of a table's text column, one per row: CSV / TSV cells located in the file's
 * text (cellsInFile), Parquet cells holding their text (heldCells). Text column: `textField`,
 * else `text`, else the column with the most characters; label: `labelField`, else the default
 * label column (defaultLabelIndex). Throws DataError naming the columns for an unknown column.
 */
export async function loadTableTextCorpus(file: string, options: CorpusOptions): Promise<Corpus> {
  const table = await readTable(file, { maxRows: options.maxDocs, ...(options.hooks?.signal ? { signal: options.hooks.signal } : {}) });
  const notes = [...table.notes];
  const { header } = table;
  // Cells are stored trimmed; cellsInFile re-reads the file for exact offsets of the text cells.
  const rows = tableRowsText(table.columns, table.rows);
  let textIndex: number;
  if (options.textField !== undefined) {
    textIndex = findHeader(header, options.textField);
    if (textIndex < 0) throw new DataError(`text column "${options.textField}" not found; the columns are ${header.slice(0, 12).map((h) => `"${h}"`).join(', ')}`, file);
  } else {
    textIndex = findHeader(header, 'text');
    if (textIndex < 0) {
      let best = -1;
      for (let j = 0; j < header.length; j++) {
        let len = 0;
        for (const r of rows) len += r[j].length;
        if (len > best) {
          best = len;
          textIndex = j;
        }
      }
    }
  }
  let labelIndex = -1;
  if (options.labelField !== undefined && options.labelField !== null) {
    labelIndex = findHeader(header, options.labelField);
    if (labelIndex < 0 && options.labelOptional) notes.push(`${path.basename(file)}: no label column "${options.labelField}"; clustered without labels.`);
    else if (labelIndex < 0) throw new DataError(`label column "${options.labelField}" not found; the columns are ${header.slice(0, 12).map((h) => `"${h}"`).join(', ')}`, file);
  } else if (options.labelField !== null) {
    labelIndex = defaultLabelIndex(header, textIndex, (j) => rows.map((r) => r[j]));
  }
  const labels = labelIndex >= 0 ? rows.map((r) => labelText(r[labelIndex].trim())) : undefined;
  const docs = hasSourceLines(table) ? await cellsInFile(file, table, rows, textIndex, labels, notes) : heldCells(file, table, rows, textIndex, labels);
  notes.push(`${path.basename(file)}: text column "${header[textIndex]}"${labelIndex >= 0 ? `, label column "${header[labelIndex]}"` : ''}.`);
  return { docs, ...(labels ? { labels } : {}), notes, textField: header[textIndex]! };
}

/**
 * Delimited text: each row's text cell located in the file's decoded text (csvField from the
 * line its record starts on), so the editor decorates its words in place. A cell that cannot be
 * located (a reader and locator disagreement) is highlighted at its row's start, with a note.
 */
async function cellsInFile(file: string, table: ColumnarTable, rows: readonly string[][], textIndex: number, labels: readonly string[] | undefined, notes: string[]): Promise<CorpusDocument[]> {
  const name = path.basename(file);
  const src = (await readTextFile(file)).text;
  const starts = lineStarts(src);
  const docs: CorpusDocument[] = [];
  const absPath = path.resolve(file);
  let approximate = 0;
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i][textIndex];
    const recordStart = starts[table.rowLine[i] - 1];
    let mapped = csvField(src, recordStart, table.delimiter, textIndex);
    if (mapped === undefined || mapped.text.trim() !== value) {
      approximate++;
      mapped = { text: value, map: new Int32Array(value.length + 1).fill(recordStart) };
    }
    const label = labels?.[i];
    // Named as a JSONL record is, by the line the record starts on (rowLine counts lines as
    // lineStarts does, so a quoted line break inside an earlier record moves this one down).
    const row = dataRowNumber(table, i);
    docs.push({ ref: { name: `${name}:${table.rowLine[i]}`, ...(row !== i ? { row } : {}), path: absPath, start: mapped.map[0], end: mapped.map[mapped.text.length], ...(label !== undefined ? { label } : {}) }, text: mapped.text, base: 0, map: mapped.map });
  }
  if (approximate > 0) notes.push(`${name}: ${approximate} cell(s) could not be located exactly in the file; their words are highlighted at the row start.`);
  return inEditorOffsets(docs, src, notes, name);
}

/**
 * A binary table (Parquet, a file or a folder of part files): no text to point into, so each
 * document holds its cell's text (its tokens' offsets count in it) and is named after its
 * 0-based row (dataRowNumber: Parquet's own row, as the table's rows are named).
 */
function heldCells(file: string, table: ColumnarTable, rows: readonly string[][], textIndex: number, labels: readonly string[] | undefined): CorpusDocument[] {
  const name = path.basename(file);
  const absPath = path.resolve(file);
  return rows.map((r, i) => {
    const text = r[textIndex];
    const row = dataRowNumber(table, i);
    const label = labels?.[i];
    return { ref: heldDocumentRef({ name: `${name} row ${row}`, ...(row !== i ? { row } : {}), path: absPath, ...(label !== undefined ? { label } : {}) }, text), text, base: 0 };
  });
}
