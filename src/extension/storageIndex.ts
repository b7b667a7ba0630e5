/**
 * The workspace's index of stored datasets (persistence.ts) and its remembered answers
 * (choices.ts), kept as one JSON file — `datasets.json` — in the extension's workspace storage
 * folder, next to the model files (`results/`). That folder is on the machine that runs the
 * extension host (the server of a web or remote workbench). The index used to live in
 * workspaceState, which a web workbench (code-server) keeps in the browser's IndexedDB: the same
 * workspace opened from another browser profile saw none of its clustered datasets, and their
 * model files, named by no index, were deleted by the next cleanup (trial 6, D1).
 *
 * The file is written aside (flushed to disk) and renamed into place, so a reader, or a crash
 * mid-write, never leaves half of it; every update reads the file again before changing it, so the workspace's windows (they share the
 * file) do not undo each other's saves; two updates in the same few milliseconds from two
 * windows can still lose one (the later rename wins), which the next save of that dataset repairs.
 *
 * An index found in workspaceState (versions before this file) is merged in once — entries whose
 * model file still exists, answers for datasets the file has none for — and then removed there.
 *
 * Only a missing file is an empty index. A file that exists but cannot be read (EACCES, EMFILE,
 * EBUSY) or parsed is never written over: an update rejects, reload() keeps the copy in memory,
 * current() says so (the cleanup then deletes nothing: it would delete every model the file
 * names), an unparsable file's bytes are kept as `datasets.json.bad-<time>`, and the user is
 * warned once (review 7, F2: a truncated index became empty on the next tab switch and the
 * cleanup then deleted every stored model).
 *
 * No `vscode` import: plain Node file operations on the extension host's storage folder.
 */
import { readdirSync, readFileSync, writeFileSync, promises as fs } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { DatasetChoices } from './choices';
import type { StoredResult } from './persistence';

/** What the file holds. */
export interface IndexData {
  /** Stored datasets, oldest first (the tree's order). */
  readonly datasets: readonly StoredResult[];
  /** URI of the dataset shown last (restored as the active one). */
  readonly active?: string;
  /** Remembered answers of the Cluster Dataset… input, per dataset URI. */
  readonly answers: Readonly<Record<string, DatasetChoices>>;
}

/** The keys an older version kept in workspaceState. */
export const LEGACY_KEYS = {
  datasets: 'neonClusterExplorer.storedResults',
  active: 'neonClusterExplorer.activeDataset',
  answers: 'neonClusterExplorer.datasetChoices',
} as const;

/** The part of vscode.Memento the migration uses (workspaceState). */
export interface LegacyState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const EMPTY: IndexData = { datasets: [], answers: {} };

/** The index file exists but cannot be read or parsed (update() rejects with it). */
export class IndexUnreadableError extends Error {
  constructor(
    readonly file: string,
    /** What went wrong, e.g. "is not valid JSON (Unexpected end of JSON input)". */
    readonly reason: string,
    /** The bytes read, when they could be read but not parsed. */
    readonly bytes?: Buffer,
  ) {
    super(`${file} ${reason}`);
    this.name = 'IndexUnreadableError';
  }
}

/** The part of the index the stores use (StorageIndex, or a folder-less window's WindowStateIndex). */
export interface DatasetIndex {
  get(): IndexData;
  reload(): IndexData;
  current(): IndexData | undefined;
  update(change: (now: IndexData) => IndexData): Promise<void>;
  idle(): Promise<void>;
  readonly onError: (e: unknown) => void;
  /**
   * Whether a model file in the results folder that this index does not name is no one's (a
   * workspace's folder, whose windows share this index). False for a folder-less window: its
   * index is its own, the global storage folder is shared with the other folder-less windows.
   */
  readonly namesEveryModel: boolean;
}

export class StorageIndex implements DatasetIndex {
  readonly namesEveryModel = true;
  private data: IndexData;
  /** Set while the file cannot be read; the user is warned once per such spell. */
  private failing: IndexUnreadableError | undefined;
  /** Serialises this window's writes (each one reads the file again first). */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `file`: the index file (its folder is created on the first write). Reads it at once
   * (synchronously: a small file, read at activation). `legacy`: workspaceState, whose old
   * index is merged in once (`modelExists` tells which of its entries still have their model file).
   */
  constructor(
    readonly file: string,
    legacy?: LegacyState,
    modelExists: (modelFile: string) => boolean = () => true,
    /** Where a failed write is reported (the log). */
    readonly onError: (e: unknown) => void = () => undefined,
    /** Where the one warning about an unreadable file goes (a warning message). */
    readonly warn: (message: string) => void = () => undefined,
  ) {
    this.data = this.current() ?? EMPTY;
    if (legacy) this.migrate(legacy, modelExists);
  }

  /** The index as last read or written by this window. */
  get(): IndexData {
    return this.data;
  }

  /**
   * Reads the file again (another window may have written it); returns what it holds, or, when
   * it cannot be read, the copy in memory (kept).
   */
  reload(): IndexData {
    this.data = this.current() ?? this.data;
    return this.data;
  }

  /** The index as the file holds it now; undefined when the file exists but cannot be read or parsed. */
  current(): IndexData | undefined {
    try {
      const data = readIndex(this.file);
      this.failing = undefined;
      return data;
    } catch (e) {
      if (!(e instanceof IndexUnreadableError)) throw e;
      this.unreadable(e);
      return undefined;
    }
  }

  /**
   * Applies `change` to the index as the file holds it now and writes the result (aside, then
   * renamed). Queued after this window's earlier updates; rejects on a write error, and with an
   * IndexUnreadableError, writing nothing, when the file exists but cannot be read or parsed.
   */
  update(change: (now: IndexData) => IndexData): Promise<void> {
    const job = async () => {
      const now = this.current();
      if (now === undefined) throw this.failing ?? new IndexUnreadableError(this.file, 'cannot be read');
      const next = change(now);
      this.data = next;
      await writeAtomically(this.file, JSON.stringify(next));
    };
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when the updates queued so far are written (or failed). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Keeps an unparsable file's bytes aside, logs the failure and warns the user once. */
  private unreadable(e: IndexUnreadableError): void {
    const first = this.failing === undefined;
    this.failing = e;
    let kept: string | undefined;
    let keepFailed = '';
    if (e.bytes) {
      try {
        kept = keepCopy(this.file, e.bytes);
      } catch (copyError) {
        keepFailed = ` (a copy could not be kept: ${copyError instanceof Error ? copyError.message : String(copyError)})`;
      }
    }
    this.onError(e);
    if (!first) return;
    const copy = kept ? ` Its content is kept as ${path.basename(kept)} in that folder.` : keepFailed;
    this.warn(
      `the index of stored datasets, ${this.file}, ${e.reason}. It is left as it is: until it can be read, clustered datasets are not stored or restored and no stored model is deleted.${copy} Fix the file, or delete it to start an empty index (its stored datasets are then forgotten). Details are in the extension host log.`,
    );
  }

  private migrate(legacy: LegacyState, modelExists: (modelFile: string) => boolean): void {
    const oldDatasets = legacy.get<StoredResult[]>(LEGACY_KEYS.datasets);
    const oldActive = legacy.get<string>(LEGACY_KEYS.active);
    const oldAnswers = legacy.get<Record<string, DatasetChoices>>(LEGACY_KEYS.answers);
    if (oldDatasets === undefined && oldActive === undefined && oldAnswers === undefined) return;
    const merge = (now: IndexData): IndexData => {
      const known = new Set(now.datasets.map((d) => d.uri));
      const datasets = [...(Array.isArray(oldDatasets) ? oldDatasets : []).filter((d) => isStoredResult(d) && !known.has(d.uri) && modelExists(d.modelFile)), ...now.datasets];
      const active = now.active ?? (typeof oldActive === 'string' ? oldActive : undefined);
      return { datasets, ...(active !== undefined ? { active } : {}), answers: { ...(oldAnswers && typeof oldAnswers === 'object' ? oldAnswers : {}), ...now.answers } };
    };
    this.data = merge(this.data);
    void this.update(merge)
      .then(async () => {
        for (const key of Object.values(LEGACY_KEYS)) await legacy.update(key, undefined);
      })
      .catch(this.onError);
  }
}

/**
 * The file's index; a missing file (ENOENT) is an empty index.
 * @throws IndexUnreadableError when the file exists but cannot be read, is not JSON, or is not an
 *   object whose `datasets` (when present) is an array.
 */
function readIndex(file: string): IndexData {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
    throw new IndexUnreadableError(file, `cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new IndexUnreadableError(file, `is not valid JSON (${e instanceof Error ? e.message : String(e)}; ${bytes.length} bytes)`, bytes);
  }
  const o = value as Partial<IndexData> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o) || (o.datasets !== undefined && !Array.isArray(o.datasets))) {
    throw new IndexUnreadableError(file, 'does not hold an index of datasets (an object with a "datasets" list)', bytes);
  }
  const datasets = Array.isArray(o.datasets) ? o.datasets.filter(isStoredResult) : [];
  const answers = o.answers && typeof o.answers === 'object' ? o.answers : {};
  return { datasets, ...(typeof o.active === 'string' ? { active: o.active } : {}), answers };
}

/**
 * Writes `bytes` next to `file` as `<name>.bad-<UTC time>` unless a copy there already holds
 * exactly these bytes (every window and every read would otherwise add one); returns its path.
 */
function keepCopy(file: string, bytes: Buffer): string {
  const folder = path.dirname(file);
  const prefix = `${path.basename(file)}.bad-`;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix)) continue;
    const other = path.join(folder, name);
    try {
      if (readFileSync(other).equals(bytes)) return other;
    } catch {
      // unreadable copy: make a new one
    }
  }
  const copy = path.join(folder, `${prefix}${new Date().toISOString().replace(/[:.]/g, '-')}`);
  writeFileSync(copy, bytes, { flag: 'wx' });
  return copy;
}

/**
 * Replaces `file` with `text` atomically: written to a temporary file in the same folder, flushed
 * to disk, then renamed over it (a crash mid-write leaves the old file or the new one, never half
 * of one). The temporary file is removed when a step fails.
 */
async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

function isStoredResult(e: unknown): e is StoredResult {
  const o = e as Partial<StoredResult> | null;
  return typeof o === 'object' && o !== null && typeof o.uri === 'string' && typeof o.modelFile === 'string' && typeof o.choices === 'object' && typeof o.origin === 'object';
}
