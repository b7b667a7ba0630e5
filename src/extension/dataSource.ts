/**
 * Turns what the user picked (a file or folder URI) into the engine's DataSource. The worker
 * reads files itself; resources of other file systems are copied to a temporary file first
 * (read only: the user's file is never written).
 */
import { readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isTabSeparatedTable } from '../engine/data/textTable';
import type { ClusterSettings, DataSource } from '../engine/pipelineTypes';

export const TABLE_EXTENSIONS = ['.csv', '.tsv', '.parquet', '.parq'];
export const TEXT_EXTENSIONS = ['.jsonl', '.txt', '.md'];

/** A folder of Parquet part files (`part-00000-….parquet`, `part.0.parquet`), as Spark and Dask write a table. */
function holdsParquetParts(folder: string): boolean {
  try {
    return readdirSync(folder).some((n) => /\.(parquet|parq)$/i.test(n) && !n.startsWith('.'));
  } catch {
    return false;
  }
}

/**
 * Tables (CSV, TSV, Parquet) are clustered on their numeric / categorical columns, unless a
 * text column is set, in which case each row is a document. JSONL, plain text, Markdown and folders are corpora —
 * except a `.txt` that is a tab-separated table (Excel's "Unicode Text" export, UTF-16), which
 * is a table, as the CLI's `--source-kind auto` reads it.
 */
export function chooseSource(localPath: string, isFolder: boolean, settings: ClusterSettings): DataSource {
  // A folder is a text corpus, or a Parquet table written as part files (Spark, Dask).
  if (isFolder) return !holdsParquetParts(localPath) ? { kind: 'text-folder', path: localPath } : settings.textColumn ? { kind: 'csv-text', path: localPath } : { kind: 'table', path: localPath };
  const ext = path.extname(localPath).toLowerCase();
  if (TABLE_EXTENSIONS.includes(ext) || (ext === '.txt' && isTabSeparatedTable(localPath))) {
    return settings.textColumn ? { kind: 'csv-text', path: localPath } : { kind: 'table', path: localPath };
  }
  if (ext === '.jsonl' || ext === '.ndjson') return { kind: 'jsonl', path: localPath };
  if (ext === '.txt' || ext === '.md' || ext === '.markdown') return { kind: 'paragraphs', path: localPath };
  return { kind: 'auto', path: localPath };
}

export interface LocalData {
  readonly path: string;
  readonly isFolder: boolean;
  /** Local copies of non-file resources, mapped back to where they came from. */
  readonly copies: ReadonlyMap<string, vscode.Uri>;
  /** Temporary folder holding the copies (removed when the extension stops). */
  readonly tempDir?: string;
}

/** A local path the worker can read for `uri`; copies single files of virtual file systems. */
export async function localData(uri: vscode.Uri): Promise<LocalData> {
  const stat = await vscode.workspace.fs.stat(uri);
  const isFolder = (stat.type & vscode.FileType.Directory) !== 0;
  if (uri.scheme === 'file') return { path: uri.fsPath, isFolder, copies: new Map() };
  if (isFolder) {
    throw new Error(
      `${uri.toString()}: folders of a virtual workspace cannot be clustered (the engine reads files from disk). Open a single file, or clone the folder locally.`,
    );
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neon-'));
  const local = path.join(dir, path.posix.basename(uri.path));
  await fs.writeFile(local, await vscode.workspace.fs.readFile(uri));
  return { path: local, isFolder: false, copies: new Map([[local, uri]]), tempDir: dir };
}
