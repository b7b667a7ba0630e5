/**
 * `explain --id-column FIELD` on a JSONL corpus (or COLUMN on a CSV text column): each
 * document's value of it, so the output joins back to the records by their own id, as it does
 * for a table's id column (trial s19 D5: the option was ignored for text without a word).
 * A folder or a paragraphs file has no fields to copy.
 */
import path from 'node:path';
import { tableRowsText } from '../engine/data/cellColumn';
import { readTextFile } from '../engine/data/fileText';
import { findJsonValue, lineStarts } from '../engine/data/sourceOffsets';
import { readTable } from '../engine/data/tableFormats';
import type { DocumentRef } from '../engine/types';
import { UsageError } from './options';

/**
 * FIELD's value for each document (strings as they are, numbers as written in the file, booleans as text, other
 * JSON as JSON; '' where a record lacks it). The JSONL reader names document d `file.jsonl:L`
 * after its 1-based line L (textSources.ts), which is how a document finds its record.
 * Throws UsageError when the documents are not JSONL records or no record has FIELD.
 */
export async function jsonlFieldValues(file: string, documents: readonly DocumentRef[], field: string): Promise<string[]> {
  const lines = documents.map((d) => /:(\d+)$/.exec(d.name));
  if (lines.some((m) => m === null)) throw noFields(file);
  const src = (await readTextFile(file)).text;
  const starts = lineStarts(src);
  let found = false;
  const values = lines.map((m) => {
    const L = Number(m![1]) - 1;
    const line = src.slice(starts[L], L + 1 < starts.length ? starts[L + 1] : src.length);
    const record = JSON.parse(line) as Record<string, unknown>;
    const v = record[field];
    if (v === undefined || v === null) return '';
    found = true;
    if (typeof v !== 'number') return typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : JSON.stringify(v);
    // A number as written: parsing rounds an integer beyond 2^53 (1234567890123456789 and the
    // next one both became 1234567890123456800; review6 F2), and pandas keeps int64 ids exact.
    const span = findJsonValue(line, field);
    return span ? line.slice(span.start, span.end) : String(v);
  });
  if (!found) throw new UsageError(`--id-column: no record of ${path.basename(file)} has a field "${field}"`);
  return values;
}

/**
 * COLUMN's cell for each document of a CSV text column (`--text-column`). The reader names the
 * document of a record `file.csv:L` after the line L the record starts on (textSources.ts
 * loadCsvTextCorpus), which finds its row in the table read again here.
 * Throws UsageError when the table has no such column.
 */
export async function csvColumnValues(file: string, documents: readonly DocumentRef[], column: string): Promise<string[]> {
  const lines = documents.map((d) => /:(\d+)$/.exec(d.name));
  if (lines.some((m) => m === null)) throw noFields(file);
  const table = await readTable(file);
  const j = table.header.indexOf(column);
  if (j < 0) throw new UsageError(`--id-column: ${path.basename(file)} has no column "${column}"; the columns are ${table.header.slice(0, 12).map((h) => `"${h}"`).join(', ')}`);
  const cells = tableRowsText(table.columns, table.rows);
  const rowOfLine = new Map<number, number>();
  for (let i = 0; i < table.rows; i++) rowOfLine.set(table.rowLine[i]!, i);
  return lines.map((m) => cells[rowOfLine.get(Number(m![1])) ?? -1]?.[j] ?? '');
}

/** The error for --id-column on a text source without fields (a folder, a paragraphs file, a CSV text column). */
export function noFields(file: string): UsageError {
  return new UsageError(`--id-column names a column of a table or a field of a JSONL corpus; the documents of ${path.basename(file)} have no fields to copy (the "document" column names each one)`);
}
