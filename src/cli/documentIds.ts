/**
 * `explain --id-column FIELD` on a JSONL corpus (or COLUMN on a table's text column): each
 * document's value of it, so the output joins back to the records by their own id, as it does
 * for a table's id column (trial s19 D5: the option was ignored for text without a word).
 * A folder or a paragraphs file has no fields to copy.
 */
import path from 'node:path';
import { tableRowsText } from '../engine/data/cellColumn';
import { readTextFile } from '../engine/data/fileText';
import { jsonFieldValue } from '../engine/data/jsonFieldPaths';
import { findJsonValue, lineStarts } from '../engine/data/sourceOffsets';
import { openTable, readTable } from '../engine/data/tableFormats';
import { dataRowNumber } from '../engine/data/tableReader';
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
    const v = jsonFieldValue(record, field); // a key, or a dotted path into nested objects (jsonFieldPaths.ts)
    if (v === undefined || v === null) return '';
    found = true;
    if (typeof v !== 'number') return typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : JSON.stringify(v);
    // A number as written: parsing rounds an integer beyond 2^53 (1234567890123456789 and the
    // next one both became 1234567890123456800; review6 F2), and pandas keeps int64 ids exact.
    const span = findJsonValue(line, field);
    return span ? line.slice(span.start, span.end) : String(v);
  });
  if (!found) throw noRecordHas(file, field);
  return values;
}

/**
 * UsageError unless some record of the JSONL `file` has FIELD (not null), or, for a table's
 * text column (`csv-text`: CSV, TSV, Parquet), unless the table has the column: checked before the run, so a misspelt
 * --id-column costs no fit or explanation of the whole corpus (review6 F10). Reads the JSONL
 * text once, stopping at the first record with the field (the first line, usually).
 */
export async function checkIdField(kind: 'jsonl' | 'csv-text', file: string, field: string): Promise<void> {
  if (kind === 'csv-text') {
    const reader = await openTable(file);
    const header = reader.schema.columns.map((c) => c.name);
    await reader.close();
    if (!header.includes(field)) throw noColumn(file, field, header);
    return;
  }
  const src = (await readTextFile(file)).text;
  const starts = lineStarts(src);
  for (let L = 0; L < starts.length; L++) {
    const line = src.slice(starts[L], L + 1 < starts.length ? starts[L + 1] : src.length);
    // A line that is not a JSON object has no field (findJsonValue expects valid JSON; the loader names such lines).
    let span: { start: number; end: number } | undefined;
    try {
      span = findJsonValue(line, field);
    } catch {
      span = undefined;
    }
    if (span && line.slice(span.start, span.end) !== 'null') return;
  }
  throw noRecordHas(file, field);
}

function noRecordHas(file: string, field: string): UsageError {
  return new UsageError(`--id-column: no record of ${path.basename(file)} has a field "${field}"`);
}

function noColumn(file: string, column: string, header: readonly string[]): UsageError {
  return new UsageError(`--id-column: ${path.basename(file)} has no column "${column}"; the columns are ${header.slice(0, 12).map((h) => `"${h}"`).join(', ')}`);
}

/**
 * COLUMN's cell for each document of a table's text column (`--text-column`: CSV, TSV, Parquet).
 * The reader gives document d the row number of its record (DocumentRef.row, else d: pandas'
 * row, dataRowNumber), which finds its row in the table read again here — in a binary table too,
 * whose documents have no line in their name.
 * Throws UsageError when the table has no such column.
 */
export async function csvColumnValues(file: string, documents: readonly DocumentRef[], column: string): Promise<string[]> {
  const table = await readTable(file);
  const j = table.header.indexOf(column);
  if (j < 0) throw noColumn(file, column, table.header);
  const cells = tableRowsText(table.columns, table.rows);
  const indexOfRow = new Map<number, number>();
  for (let i = 0; i < table.rows; i++) indexOfRow.set(dataRowNumber(table, i), i);
  return documents.map((ref, d) => cells[indexOfRow.get(ref.row ?? d) ?? -1]?.[j] ?? '');
}

/** The error for --id-column on a text source without fields (a folder, a paragraphs file). */
export function noFields(file: string): UsageError {
  return new UsageError(`--id-column names a column of a table or a field of a JSONL corpus; the documents of ${path.basename(file)} have no fields to copy (the "document" column names each one)`);
}
