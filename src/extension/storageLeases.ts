/**
 * Which stored files the open windows of one workspace use. Two windows on the same workspace
 * share its storage folder but not their view of workspaceState (each window keeps its own copy
 * and the last write wins), so a window cannot tell from its own index whether a model file or
 * an every-row results file belongs to the other window. Each window therefore keeps a lease:
 * one small JSON file per window (`<window id>.json` in the leases folder) naming the files it
 * uses, rewritten whenever that set changes and at least every HEARTBEAT_MS while it is open,
 * deleted when it closes. A cleanup deletes a file only when its own window does not use it and
 * no live lease (written within STALE_MS) names it; a lease older than that belongs to a window
 * that crashed or was killed, and is deleted with the cleanup.
 *
 * No `vscode` import: plain Node file operations on the extension's local storage folder.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** How often an open window rewrites its lease. */
export const HEARTBEAT_MS = 60_000;
/** A lease not rewritten for this long is a closed window's (several missed heartbeats). */
export const STALE_MS = 5 * HEARTBEAT_MS;

/** The files a window uses, by kind: model file names (results folder), every-row results file names (rows folder). */
export interface LeasedFiles {
  readonly models: readonly string[];
  readonly rows: readonly string[];
}

interface LeaseFile extends LeasedFiles {
  /** When the lease was written (ms since the epoch). */
  readonly at: number;
}

export class StorageLease {
  private last: LeasedFiles = { models: [], rows: [] };

  /**
   * `folder`: the leases folder (shared by the workspace's windows); `id`: this window's id,
   * unique among the open windows (a random id per activation, ResultStore); `now`: the clock (ms).
   */
  constructor(
    private readonly folder: string,
    readonly id: string,
    private readonly now: () => number = Date.now,
  ) {}

  private get file(): string {
    return path.join(this.folder, `${encodeURIComponent(this.id)}.json`);
  }

  /** Records the files this window uses now (also the heartbeat: `renew()` rewrites the last set). Throws on a write error. */
  async write(files: LeasedFiles): Promise<void> {
    this.last = { models: [...files.models], rows: [...files.rows] };
    await this.renew();
  }

  /** Rewrites the last recorded set with the current time. Throws on a write error. */
  async renew(): Promise<void> {
    const lease: LeaseFile = { ...this.last, at: this.now() };
    await fs.mkdir(this.folder, { recursive: true });
    // Written aside and renamed, so another window never reads half a lease.
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temp, JSON.stringify(lease));
    await fs.rename(temp, this.file);
  }

  /**
   * The files the OTHER open windows use (the union of their live leases). Leases older than
   * STALE_MS, and unreadable ones older than that, are deleted. A missing folder: none.
   */
  async othersUse(): Promise<{ models: Set<string>; rows: Set<string> }> {
    const models = new Set<string>();
    const rows = new Set<string>();
    const own = path.basename(this.file);
    const names = await fs.readdir(this.folder).catch(() => [] as string[]);
    for (const name of names) {
      if (name === own || !name.endsWith('.json')) continue;
      const file = path.join(this.folder, name);
      const lease = await readLease(file);
      const at = lease?.at ?? (await fs.stat(file).then((s) => s.mtimeMs, () => -Infinity));
      if (this.now() - at > STALE_MS) {
        await fs.rm(file, { force: true });
        continue;
      }
      // A lease being renamed into place right now (unreadable but fresh) keeps nothing: its
      // files are young, and the callers keep files younger than their own start.
      if (!lease) continue;
      for (const m of lease.models) models.add(m);
      for (const r of lease.rows) rows.add(r);
    }
    return { models, rows };
  }

  /** Deletes this window's lease (the window closes). */
  async release(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}

async function readLease(file: string): Promise<LeaseFile | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LeaseFile>;
    if (typeof value.at !== 'number' || !Array.isArray(value.models) || !Array.isArray(value.rows)) return undefined;
    return { at: value.at, models: value.models.map(String), rows: value.rows.map(String) };
  } catch {
    return undefined;
  }
}
