/**
 * The workspace's index of stored datasets (persistence.ts) and its remembered answers
 * (choices.ts), kept as one JSON file — `datasets.json` — in the extension's workspace storage
 * folder, next to the model files (`results/`). That folder is on the machine that runs the
 * extension host (the server of a web or remote workbench). The index used to live in
 * workspaceState, which a web workbench (code-server) keeps in the browser's IndexedDB: the same
 * workspace opened from another browser profile saw none of its clustered datasets, and their
 * model files, named by no index, were deleted by the next cleanup (trial 6, D1).
 *
 * The file is written aside and renamed into place (a reader never sees half of it), and every
 * update reads the file again before changing it, so the workspace's windows (they share the
 * file) do not undo each other's saves; two updates in the same few milliseconds from two
 * windows can still lose one (the later rename wins), which the next save of that dataset repairs.
 *
 * An index found in workspaceState (versions before this file) is merged in once — entries whose
 * model file still exists, answers for datasets the file has none for — and then removed there.
 *
 * No `vscode` import: plain Node file operations on the extension host's storage folder.
 */
import { existsSync, readFileSync, promises as fs } from 'node:fs';
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

export class StorageIndex {
  private data: IndexData;
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
    /** Where a failed write is reported (the output channel). */
    readonly onError: (e: unknown) => void = () => undefined,
  ) {
    this.data = readIndex(file);
    if (legacy) this.migrate(legacy, modelExists);
  }

  /** The index as last read or written by this window. */
  get(): IndexData {
    return this.data;
  }

  /** Reads the file again (another window may have written it); returns what it holds. */
  reload(): IndexData {
    this.data = readIndex(this.file);
    return this.data;
  }

  /**
   * Applies `change` to the index as the file holds it now and writes the result (aside, then
   * renamed). Queued after this window's earlier updates; rejects on a write error.
   */
  update(change: (now: IndexData) => IndexData): Promise<void> {
    const job = async () => {
      const next = change(readIndex(this.file));
      this.data = next;
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
      await fs.writeFile(temp, JSON.stringify(next));
      await fs.rename(temp, this.file);
    };
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when the updates queued so far are written (or failed). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
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

/** The file's index; a missing or unreadable file is an empty index. */
function readIndex(file: string): IndexData {
  if (!existsSync(file)) return EMPTY;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<IndexData>;
    const datasets = Array.isArray(value.datasets) ? value.datasets.filter(isStoredResult) : [];
    const answers = value.answers && typeof value.answers === 'object' ? value.answers : {};
    return { datasets, ...(typeof value.active === 'string' ? { active: value.active } : {}), answers };
  } catch {
    return EMPTY;
  }
}

function isStoredResult(e: unknown): e is StoredResult {
  const o = e as Partial<StoredResult> | null;
  return typeof o === 'object' && o !== null && typeof o.uri === 'string' && typeof o.modelFile === 'string' && typeof o.choices === 'object' && typeof o.origin === 'object';
}
