/**
 * Parquet files as Spark, Dask and pandas write them: one `.parquet` file, or a folder of part
 * files (`part-00000-<uuid>-c000.snappy.parquet`, `part.0.parquet`) next to the bookkeeping
 * files Spark and Hadoop leave there (`_SUCCESS`, `_committed_*`, `.part-*.crc`), which are
 * ignored. Reading is hyparquet's (pure JavaScript, no native or downloaded parts); the
 * decompressors are hyparquet-compressors' (snappy, gzip, zstd, brotli, lz4).
 *
 * Format: Apache Parquet file format, https://parquet.apache.org/docs/file-format/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataError } from '../errors';

/** True for a path that is read as Parquet: a `.parquet` / `.parq` file or a folder of part files. */
export function isParquetPath(p: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return false;
  }
  if (st.isFile()) return isParquetName(p);
  return st.isDirectory() && parquetPartsIn(p).length > 0;
}

function isParquetName(p: string): boolean {
  return /\.(parquet|parq)$/i.test(p);
}

/** Bookkeeping files of Spark / Hadoop / Dask writers: never data. */
function isBookkeeping(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.') || name.endsWith('.crc');
}

/** The data part files in a folder, in name order (Spark numbers them part-00000, part-00001, ...). */
function parquetPartsIn(folder: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => !isBookkeeping(n) && (isParquetName(n) || /^part[-.]/.test(n)))
    .filter((n) => fs.statSync(path.join(folder, n)).isFile())
    .sort(comparePartNames)
    .map((n) => path.join(folder, n));
}

/** part.2 before part.10 (Dask numbers without zero padding). */
function comparePartNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The Parquet part files of `p`: the file itself, or the part files of a folder in order.
 * Throws DataError when the folder holds none, or when it is partitioned into `column=value`
 * sub-folders (Hive-style partitioning, not read here).
 */
export function parquetParts(p: string): string[] {
  const st = fs.statSync(p);
  if (st.isFile()) return [p];
  const parts = parquetPartsIn(p);
  if (parts.length > 0) return parts;
  const partitioned = fs.readdirSync(p).filter((n) => n.includes('=') && fs.statSync(path.join(p, n)).isDirectory());
  if (partitioned.length > 0) {
    throw new DataError(`is partitioned into folders (${partitioned.slice(0, 3).join(', ')}); read one partition folder, or write the table unpartitioned`, p);
  }
  throw new DataError('holds no Parquet part file (*.parquet or part-*)', p);
}

/** A Parquet file opened for reading: its footer metadata and byte source. */
export interface ParquetFile {
  readonly file: string;
  readonly buffer: AsyncBuffer;
  readonly metadata: FileMetaData;
  readonly rows: number;
}

/** Byte ranges read with positioned reads (no whole-file buffer; hyparquet asks only for what it decodes). */
function fileBuffer(file: string, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = end ?? size;
      const out = new Uint8Array(Math.max(0, stop - start));
      const handle = await fs.promises.open(file, 'r');
      try {
        let done = 0;
        while (done < out.length) {
          const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return out.buffer;
    },
  };
}

/** Opens one Parquet file and parses its footer. Throws DataError naming the file when it is not Parquet. */
export async function openParquet(file: string): Promise<ParquetFile> {
  const size = fs.statSync(file).size;
  const buffer = fileBuffer(file, size);
  if (size < 12) throw new DataError(`is not a Parquet file (${size} bytes; a Parquet file starts and ends with "PAR1")`, file);
  const tail = new Uint8Array(await buffer.slice(size - 4, size));
  if (String.fromCharCode(...tail) !== 'PAR1') throw new DataError('is not a Parquet file (it does not end with the "PAR1" magic)', file);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new DataError(`cannot read the Parquet footer (${e instanceof Error ? e.message : String(e)})`, file);
  }
  return { file, buffer, metadata, rows: Number(metadata.num_rows) };
}

/** The schema tree of an opened file (root = the message, children = top-level columns). */
export function schemaOf(pf: ParquetFile): SchemaTree {
  return parquetSchema(pf.metadata);
}

/**
 * Rows [rowStart, rowEnd) of `columns` (all when undefined) as objects keyed by column name.
 * Nested values come back as hyparquet decodes them (structs as objects, lists as arrays,
 * INT64 as bigint). Throws DataError naming the file on a decoding failure (an unsupported
 * codec, a corrupt page).
 */
export async function readParquetObjects(pf: ParquetFile, options: { columns?: string[]; rowStart?: number; rowEnd?: number } = {}): Promise<Record<string, unknown>[]> {
  try {
    return (await parquetReadObjects({
      file: pf.buffer,
      metadata: pf.metadata,
      compressors,
      ...(options.columns ? { columns: options.columns } : {}),
      ...(options.rowStart !== undefined ? { rowStart: options.rowStart } : {}),
      ...(options.rowEnd !== undefined ? { rowEnd: options.rowEnd } : {}),
    })) as Record<string, unknown>[];
  } catch (e) {
    throw new DataError(`cannot decode the Parquet data (${e instanceof Error ? e.message : String(e)})`, pf.file);
  }
}
