/**
 * Results persist exactly across window reloads. After every clustering (and Load Model…) the
 * fitted model is written to the extension's workspace storage in the model-file format (the
 * one Save Model… writes: model, preprocessing, feature names, cluster labels, NEON settings),
 * and the dataset is entered in the storage's index file (storageIndex.ts: on the extension
 * host's machine, so the workspace opened from another browser finds it too) with its answers
 * (label column, left-out columns, k, model, text column) and the run's notes (how the file
 * was read: converted, excluded and label columns — explaining under a stored model does not
 * decide those again, so they are shown from the index).
 * On the next activation every stored dataset is explained again under its stored model — never
 * re-fitted with today's settings — so k, clusters, labels, evidence and relevances come back
 * as they were, in the tree's order. Up to MAX_STORED datasets are kept; beyond that the oldest
 * is dropped with a message.
 *
 * Nothing is left behind in the storage folder: removing a dataset deletes its model file and
 * its every-row results file (`rows/`, written by sampled fits: up to hundreds of MB), a dataset
 * whose file was deleted is forgotten at the next restore (DeletedDatasets removes it at once
 * while the window is open), and after a restore any file no stored dataset refers to (left by
 * a crash, or by a version that did not clean up) is deleted — unless another open window of
 * the same workspace uses it: windows that share the storage folder share its index, but a
 * window's every-row files belong to its open datasets only and a model file is written before
 * its entry, so each window names the files it uses in a lease (storageLeases.ts) and the
 * cleanup keeps what a live lease names, and any file written after this window started.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { fitNotesUnderStoredModel } from '../engine/data/filledCellsNotes';
import * as vscode from 'vscode';
import type { PipelineResult } from '../engine/pipelineTypes';
import type { DatasetChoices } from './choices';
import type { Engine } from './engine';
import type { Notifier } from './notify';
import type { ModelOrigin, Session, SessionStore } from './session';
import { HEARTBEAT_MS, StorageLease } from './storageLeases';
import type { DatasetIndex } from './storageIndex';

export const MAX_STORED = 100;

/** One stored dataset: where it is, how it was clustered, where its model file is. */
export interface StoredResult {
  readonly uri: string;
  readonly choices: DatasetChoices;
  /** Model file name inside the storage folder. */
  readonly modelFile: string;
  readonly origin: ModelOrigin;
  /** What the fit chose that explaining under the model does not recompute. */
  readonly kSuggestion?: PipelineResult['kSuggestion'];
  readonly lossHistory?: readonly number[];
  /** The data file's size and modification time when it was clustered. */
  readonly size?: number;
  readonly mtime?: number;
  /** The fit's notes (reading decisions, k chosen, …), shown again after a restore. */
  readonly notes?: readonly string[];
}

export class ResultStore implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** When this window's store started (files written after that belong to its own fits). */
  private readonly startedAt = Date.now();
  private restoring: Promise<void> | undefined;
  /** Serialises index updates (saves of concurrent fits must not lose each other). */
  private queue: Promise<unknown> = Promise.resolve();
  /** The files this window uses, named for the workspace's other windows. */
  private readonly lease: StorageLease;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private disposed = false;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly index: DatasetIndex,
    private readonly folder: vscode.Uri,
    private readonly store: SessionStore,
    private readonly engine: Engine,
    private readonly notifier: Notifier,
    /** The engine's folder of every-row results files (Engine.rowsFolder). */
    private readonly rowsFolder?: vscode.Uri,
    /**
     * This window's id among the workspace's open windows: a fresh one per activation (each
     * window runs its own extension host). Not vscode.env.sessionId: VS Code's server build
     * (code-server, remote and web windows) gives every window the same 'someValue.sessionId',
     * so two windows shared one lease and a reloaded window found its predecessor's lease left.
     */
    windowId: string = randomUUID(),
  ) {
    this.lease = new StorageLease(path.join(path.dirname(folder.fsPath), 'windows'), windowId);
    this.heartbeat = setInterval(() => void this.lease.renew().catch((e) => this.notifier.log(e)), HEARTBEAT_MS);
    void this.enqueue(() => this.writeLease());
    this.disposables.push(
      store.onDidRemoveSession((s) => {
        void this.forget(s.uri);
        const rows = s.spec.settings.rowResultsFile;
        if (rows) void this.enqueue(() => deleteFile(vscode.Uri.file(rows)));
      }),
      store.onDidChangeSessions(() => {
        const active = store.active;
        const uri = active?.uri.toString();
        if (uri !== undefined && !this.restoring && index.get().active !== uri) void this.enqueue(() => index.update((now) => ({ ...now, active: uri })));
        void this.enqueue(() => this.writeLease());
      }),
    );
  }

  /** The stored datasets, oldest first (the tree's order). */
  entries(): readonly StoredResult[] {
    return this.index.get().datasets;
  }

  /** Stores a session's model and answers (after a fit or Load Model…). Failures are logged, not shown. */
  save(session: Session): Promise<void> {
    return this.enqueue(async () => {
      const text = await this.engine.exportModel(session);
      const modelFile = `${createHash('sha256').update(session.uri.toString()).digest('hex').slice(0, 24)}.neon-model.json`;
      await vscode.workspace.fs.createDirectory(this.folder);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.folder, modelFile), new TextEncoder().encode(text));
      const stat = await vscode.workspace.fs.stat(session.uri).then((s) => s, () => undefined);
      const r = session.result;
      const entry: StoredResult = {
        uri: session.uri.toString(),
        choices: session.choices,
        modelFile,
        origin: session.origin,
        ...(r.kSuggestion ? { kSuggestion: r.kSuggestion } : {}),
        ...(r.lossHistory ? { lossHistory: Array.from(r.lossHistory) } : {}),
        ...(stat ? { size: stat.size, mtime: stat.mtime } : {}),
        notes: [...new Set([...r.dataset.notes, ...r.notes])],
      };
      let dropped: StoredResult[] = [];
      await this.index.update((now) => {
        const all = [...now.datasets.filter((e) => e.uri !== entry.uri), entry];
        dropped = all.length > MAX_STORED ? all.splice(0, all.length - MAX_STORED) : [];
        return { ...now, datasets: all };
      });
      await this.writeLease();
      for (const d of dropped) await this.deleteModel(d.modelFile);
      if (dropped.length > 0) {
        this.notifier.info(
          `results are kept for the ${MAX_STORED} most recently clustered datasets; ${dropped.map((d) => path.posix.basename(vscode.Uri.parse(d.uri).path)).join(', ')} will not come back after a reload (cluster it again to keep it).`,
        );
      }
    });
  }

  /** Forgets a dataset's stored result (removed from the tree). */
  forget(uri: vscode.Uri): Promise<void> {
    return this.enqueue(async () => {
      const gone = this.index.reload().datasets.filter((e) => e.uri === uri.toString());
      if (gone.length === 0) return;
      await this.index.update((now) => ({ ...now, datasets: now.datasets.filter((e) => e.uri !== uri.toString()) }));
      await this.writeLease();
      for (const g of gone) await this.deleteModel(g.modelFile);
    });
  }

  /** Restores every stored dataset (once, at activation); resolves when all are back or failed. */
  restoreAll(): Promise<void> {
    this.restoring ??= this.restore().finally(() => {
      this.restoring = undefined;
    });
    return this.restoring;
  }

  /** Resolves when the saves and deletions queued so far are done. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Resolves when a restore in progress is over. */
  whenRestored(): Promise<void> {
    return this.restoring ?? Promise.resolve();
  }

  dispose(): void {
    void this.close();
  }

  /**
   * Stops the heartbeat and releases this window's lease after the queued saves (a lease write
   * queued before must not bring the lease back); resolves when the lease file is gone. The
   * extension's deactivate returns it, so a closing or reloading window waits for it.
   */
  close(): Promise<void> {
    if (!this.disposed) {
      clearInterval(this.heartbeat);
      for (const d of this.disposables) d.dispose();
      this.disposed = true;
      this.closed = this.enqueue(() => this.lease.release());
    }
    return this.closed ?? Promise.resolve();
  }

  /** Names the files this window uses (its index's models, its datasets' every-row files) in its lease. */
  private async writeLease(): Promise<void> {
    if (this.disposed) return;
    await this.lease.write({ models: this.entries().map((e) => e.modelFile), rows: [...this.rowsInUse()] });
  }

  private rowsInUse(): Set<string> {
    return new Set(this.store.all().map((s) => s.spec.settings.rowResultsFile).filter((f): f is string => f !== undefined).map((f) => path.basename(f)));
  }

  private async restore(): Promise<void> {
    await this.index.idle(); // a migration from workspaceState is written first
    const { datasets: entries, active: activeUri } = this.index.reload();
    if (entries.length === 0) return this.enqueue(() => this.sweep());
    const failed: string[] = [];
    const gone: StoredResult[] = [];
    for (const entry of entries) {
      const uri = vscode.Uri.parse(entry.uri);
      const name = path.posix.basename(uri.path) || entry.uri;
      try {
        const stat = await vscode.workspace.fs.stat(uri).then((s) => s, () => undefined);
        if (!stat) {
          failed.push(`${name} (the file is gone; its stored result is deleted)`);
          gone.push(entry);
          continue;
        }
        const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.folder, entry.modelFile)));
        const model = await this.engine.loadModel(text, entry.modelFile);
        const notes: string[] = [];
        if (entry.mtime !== undefined && (stat.mtime !== entry.mtime || stat.size !== entry.size)) {
          notes.push(`${name} changed since it was clustered (${entry.origin.at.slice(0, 16).replace('T', ' ')}): its rows are explained with the model fitted then; Re-cluster… fits a new one.`);
        }
        notes.push(`Restored after a reload with the stored model (${entry.origin.kind === 'loaded' ? `loaded from ${entry.origin.file}` : `fitted ${entry.origin.at.slice(0, 16).replace('T', ' ')}`}), not fitted again.`);
        // The fit's own notes: how the file was read (converted, excluded, label columns) is
        // decided by the fit and fixed in the model, so explaining under it does not say it again.
        // The restored model fills missing cells with its training mean and says so: its note
        // replaces the fit's "filled with the column mean" one (trial7 D11e).
        notes.push(...fitNotesUnderStoredModel(entry.notes ?? []));
        await this.engine.fit(uri, {
          choices: entry.choices,
          model,
          ...(entry.origin.kind === 'loaded' ? { modelFile: entry.origin.file } : {}),
          restore: {
            origin: entry.origin,
            notes,
            extras: {
              ...(entry.kSuggestion ? { kSuggestion: entry.kSuggestion } : {}),
              ...(entry.lossHistory ? { lossHistory: Float64Array.from(entry.lossHistory) } : {}),
            },
          },
        });
      } catch (e) {
        failed.push(`${name} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    for (const g of gone) await this.forget(vscode.Uri.parse(g.uri));
    await this.enqueue(() => this.sweep());
    const active = activeUri !== undefined ? this.store.all().find((s) => s.uri.toString() === activeUri) : undefined;
    if (active) this.store.setActive(active.id);
    if (failed.length > 0) {
      this.notifier.info(`${entries.length - failed.length} of ${entries.length} clustered datasets restored; not restored: ${failed.join('; ')}.`);
    }
  }

  private async deleteModel(file: string): Promise<void> {
    await deleteFile(vscode.Uri.joinPath(this.folder, file));
  }

  /**
   * Deletes model files no stored dataset names and every-row results files no open dataset
   * uses — of this window or, by their live leases, of the workspace's other windows — and
   * keeps any file written after this window started (a fit may be writing it before its
   * dataset is stored). Deletes nothing while the index file cannot be read (it may name every
   * model here), and no model file in a folder-less window (the global storage folder holds the
   * models of every folder-less window, each named by its own window's index only).
   */
  private async sweep(): Promise<void> {
    await this.writeLease();
    // The index as the file holds it now: another window may have stored a dataset since.
    const now = this.index.current();
    if (now === undefined) return;
    const others = await this.lease.othersUse();
    const models = new Set(now.datasets.map((e) => e.modelFile));
    for (const [name, type] of this.index.namesEveryModel ? await listFolder(this.folder) : []) {
      if (type !== vscode.FileType.File || models.has(name) || others.models.has(name)) continue;
      await this.deleteIfOlder(vscode.Uri.joinPath(this.folder, name));
    }
    if (!this.rowsFolder) return;
    const rows = this.rowsInUse();
    for (const [name, type] of await listFolder(this.rowsFolder)) {
      if (type !== vscode.FileType.File || rows.has(name) || others.rows.has(name)) continue;
      await this.deleteIfOlder(vscode.Uri.joinPath(this.rowsFolder, name));
    }
  }

  private async deleteIfOlder(file: vscode.Uri): Promise<void> {
    const mtime = await Promise.resolve(vscode.workspace.fs.stat(file)).then((st) => st.mtime, () => Infinity);
    if (mtime < this.startedAt) await deleteFile(file);
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.queue.then(job, job).catch((e) => this.notifier.log(e));
    this.queue = next;
    return next;
  }
}

function deleteFile(uri: vscode.Uri): Promise<void> {
  return Promise.resolve(vscode.workspace.fs.delete(uri)).then(undefined, () => undefined);
}

function listFolder(folder: vscode.Uri): Promise<[string, vscode.FileType][]> {
  return Promise.resolve(vscode.workspace.fs.readDirectory(folder)).then(undefined, () => []);
}
