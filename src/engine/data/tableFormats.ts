/**
 * Which table reader opens which file: one entry per format (see tableReader.ts for the
 * interface). Delimited text (CSV, TSV, ...) is the fallback for unknown extensions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openCsvTable } from './csvTableReader';
import { isParquetPath } from './parquetFiles';
import { openParquetTable } from './parquetTableReader';
import { readAll, type ColumnarTable, type OpenTableOptions, type ReadTableOptions, type TableReader, type TableReaderFactory } from './tableReader';

/** Reader per lower-case file extension (with the dot). */
export const TABLE_FORMATS: ReadonlyMap<string, TableReaderFactory> = new Map<string, TableReaderFactory>([
  ['.csv', openCsvTable],
  ['.tsv', openCsvTable],
  ['.tab', openCsvTable],
  ['.psv', openCsvTable],
  ['.txt', openCsvTable],
  ['.parquet', openParquetTable],
  ['.parq', openParquetTable],
]);

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Opens `file` with the reader for its extension (delimited text for anything unknown). */
export function openTable(file: string, options: OpenTableOptions = {}): Promise<TableReader> {
  // A folder read as a table can only be Parquet part files (Spark / Dask output).
  if (isParquetPath(file) || isFolder(file)) return openParquetTable(file, options);
  const factory = TABLE_FORMATS.get(path.extname(file).toLowerCase()) ?? openCsvTable;
  return factory(file, options);
}

/** Reads a whole table into columnar form (chunks merged column by column). */
export async function readTable(file: string, options: ReadTableOptions = {}): Promise<ColumnarTable> {
  const reader = await openTable(file, options);
  try {
    return await readAll(reader, options);
  } finally {
    await reader.close();
  }
}
