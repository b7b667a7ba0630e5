/**
 * Everything the features ask of the engine, in one place: fitting a dataset with a
 * cancellable progress notification, per-item and per-text explanations (cached), model
 * export / import. It keeps sessions alive in the worker: if the worker was restarted
 * (crash, cancelled job, test hook) a session is refitted, deterministically, before use.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetInspection } from '../engine/data/inspectDataset';
import { isCancelled } from '../engine/errors';
import type { ClusterSettings, ItemExplanation, PipelineResult, TextExplanation } from '../engine/pipelineTypes';
import type { Progress } from '../engine/types';
import { ToWorker } from '../protocol/worker';
import type { ClusterMeans, ExportEveryRowRequest, LoadedModel } from '../protocol/worker';
import { settingsWithChoices, type DatasetChoices } from './choices';
import { chooseSource, localData } from './dataSource';
import { buildLookup } from './session';
import type { FitSpec, ModelOrigin, Session, SessionStore } from './session';
import { imageLayoutOf } from './imageLayout';
import { applyStoredNeon } from '../engine/model/modelFile';
import { readClusterSettings, withModelNeon } from './settings';
import type { WorkerClient } from './workerClient';

export interface FitOptions {
  /** The dataset's answers (label column, left-out columns, k, model, text column). */
  readonly choices: DatasetChoices;
  /** Explain with a loaded model instead of training one. */
  readonly model?: LoadedModel;
  /** The loaded model's file name (Load Model…), said wherever the dataset's model is named. */
  readonly modelFile?: string;
  /** Restoring after a reload: the stored model, its NEON settings as stored, progress in the status bar. */
  readonly restore?: { readonly origin: ModelOrigin; readonly notes: readonly string[]; readonly extras?: Partial<Pick<PipelineResult, 'kSuggestion' | 'lossHistory'>> };
}

export class Engine implements vscode.Disposable {
  private readonly progressEmitter = new vscode.EventEmitter<Progress>();
  private readonly failEmitter = new vscode.EventEmitter<string>();
  private readonly cancelEmitter = new vscode.EventEmitter<string>();
  /** A Fit was cancelled by the user (the panel stops its progress and shows what it had). */
  readonly onDidCancel = this.cancelEmitter.event;
  /** Progress of the running Fit (the panel shows it too). */
  readonly onDidProgress = this.progressEmitter.event;
  /** A Fit failed (not cancelled): the message as shown to the user. */
  readonly onDidFail = this.failEmitter.event;
  private readonly itemCache = new Map<string, Promise<ItemExplanation>>();
  private readonly refits = new Map<string, Promise<void>>();
  /** Copies of virtual-workspace files, deleted on dispose. */
  private readonly tempDirs: string[] = [];

  constructor(
    private readonly client: WorkerClient,
    private readonly store: SessionStore,
    /** Folder in the extension's storage for sampled fits' every-row results files (never next to the data). */
    private readonly rowsFolder?: string,
  ) {
    store.onDidChangeSessions(() => this.itemCache.clear());
  }

  async fit(uri: vscode.Uri, options: FitOptions): Promise<Session> {
    const local = await localData(uri);
    if (local.tempDir) this.tempDirs.push(local.tempDir);
    const settings = { ...this.settingsFor(uri, options), ...this.rowResultsFor(local.path) };
    const source = chooseSource(local.path, local.isFolder, settings);
    const title = path.posix.basename(uri.path) || uri.toString();
    const spec: FitSpec = {
      source,
      settings,
      model: options.model && {
        model: options.model.model,
        preprocessing: options.model.preprocessing,
        featureNames: options.model.featureNames,
        ...(options.model.clusterLabels ? { clusterLabels: options.model.clusterLabels } : {}),
        ...(options.model.unnamedInputs ? { unnamedInputs: true } : {}),
        ...(options.model.format ? { format: options.model.format } : {}),
      },
    };
    const quiet = options.restore !== undefined;
    const run = (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => {
      let reported = 0;
      return this.client.request<ToWorker.Fit>(
        { type: ToWorker.Fit, sessionId: local.path, source, settings, model: spec.model },
        {
          token,
          onProgress: (p) => {
            if (!quiet) this.progressEmitter.fire(p);
            // Notification increments are relative: report only the growth of the fraction.
            const fraction = p.fraction !== undefined ? Math.min(1, Math.max(0, p.fraction)) : undefined;
            const increment = fraction !== undefined && fraction > reported ? (fraction - reported) * 100 : undefined;
            if (fraction !== undefined && fraction > reported) reported = fraction;
            progress.report({ message: p.message ? `${p.stage}: ${p.message}` : p.stage, increment });
          },
        },
      );
    };
    let result: PipelineResult;
    try {
      result = await vscode.window.withProgress(
        quiet
          ? { location: vscode.ProgressLocation.Window, title: `NEON: restoring ${title}` }
          : { location: vscode.ProgressLocation.Notification, title: `NEON: Clustering ${title}`, cancellable: true },
        run,
      );
    } catch (e) {
      if (isCancelled(e)) {
        if (!quiet) this.cancelEmitter.fire(title);
      } else if (!quiet) {
        this.failEmitter.fire(`${title}: ${e instanceof Error ? e.message : String(e)}`);
      }
      throw e;
    }
    if (options.restore?.extras) result = { ...result, ...options.restore.extras };
    const at = new Date().toISOString();
    const session: Session = {
      id: local.path,
      uri,
      localPath: local.path,
      title,
      result,
      spec,
      workerGeneration: this.client.generation,
      lookup: buildLookup(result, local.copies),
      choices: options.choices,
      origin: options.restore?.origin ?? (options.modelFile !== undefined ? { kind: 'loaded', file: options.modelFile, at } : { kind: 'fitted', at }),
      restored: options.restore !== undefined,
      hostNotes: options.restore?.notes ?? [],
    };
    if (isImageLike(session)) session.clusterMeans = await this.clusterMeans(session).catch(() => undefined);
    this.store.add(session);
    return session;
  }

  /** Settings of a run: VS Code's settings as defaults, the dataset's answers over them, a loaded model's NEON block. */
  private settingsFor(uri: vscode.Uri, options: FitOptions): ClusterSettings {
    const chosen = settingsWithChoices(readClusterSettings(uri), options.choices);
    if (options.restore && options.model?.neon) {
      // Restoring: every NEON setting stored with the model (beta, evidence, rule, reference
      // point), whatever today's settings say — the result comes back as it was.
      return applyStoredNeon(chosen, options.model.neon, () => false);
    }
    return withModelNeon(chosen, options.model?.neon, uri);
  }

  /**
   * Where a sampled fit of `dataPath` writes every row's explanation (one file per dataset,
   * replaced by the next fit), so hover and highlights reach rows outside the sample.
   */
  private rowResultsFor(dataPath: string): Pick<ClusterSettings, 'rowResultsFile'> {
    if (!this.rowsFolder) return {};
    const key = createHash('sha1').update(dataPath).digest('hex').slice(0, 16);
    return { rowResultsFile: path.join(this.rowsFolder, `${key}.rows`) };
  }

  /** Columns, label candidates and text columns of a dataset, read in the worker (never on the host). */
  async inspect(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<DatasetInspection> {
    const local = await localData(uri);
    if (local.tempDir) this.tempDirs.push(local.tempDir);
    const settings = readClusterSettings(uri);
    const source = chooseSource(local.path, local.isFolder, { ...settings, textColumn: undefined });
    // The fit's missing-value tokens: the column hints must type columns as the fit will.
    const missing = { ...(settings.naValues ? { naValues: settings.naValues } : {}), ...(settings.keepDefaultNa !== undefined ? { keepDefaultNa: settings.keepDefaultNa } : {}) };
    return this.client.request<ToWorker.Inspect>({ type: ToWorker.Inspect, source, missing }, { token });
  }

  /** Each cluster's mean of every column (image-like tables: the mean images). */
  async clusterMeans(session: Session): Promise<ClusterMeans> {
    await this.ensure(session);
    return this.client.request<ToWorker.ClusterMeans>({ type: ToWorker.ClusterMeans, sessionId: session.id });
  }

  /** Frees the worker's copy of a removed session. */
  async drop(session: Session): Promise<void> {
    if (!this.client.running || session.workerGeneration !== this.client.generation) return;
    await this.client.request<ToWorker.DropSession>({ type: ToWorker.DropSession, sessionId: session.id });
  }

  /** Detailed (per competitor) explanation of row / document `index`; cached per session. */
  explainItem(session: Session, index: number): Promise<ItemExplanation> {
    const key = `${session.id}\u0000${index}`;
    let p = this.itemCache.get(key);
    if (!p) {
      p = this.ensure(session).then(() =>
        this.client.request<ToWorker.ExplainItem>({ type: ToWorker.ExplainItem, sessionId: session.id, index }),
      );
      p.catch(() => this.itemCache.delete(key));
      if (this.itemCache.size > 500) this.itemCache.delete(this.itemCache.keys().next().value as string);
      this.itemCache.set(key, p);
    }
    return p;
  }

  async explainText(session: Session, text: string, token?: vscode.CancellationToken): Promise<TextExplanation> {
    await this.ensure(session);
    return this.client.request<ToWorker.ExplainText>({ type: ToWorker.ExplainText, sessionId: session.id, text }, { token });
  }

  /** Cells of some columns of a table session, one array per column, aligned with its rows (Export… joins by them). */
  async columnCells(session: Session, columns: readonly string[]): Promise<readonly (readonly string[])[]> {
    if (columns.length === 0) return [];
    await this.ensure(session);
    return (await this.client.request<ToWorker.ColumnCells>({ type: ToWorker.ColumnCells, sessionId: session.id, columns })).cells;
  }

  /** Export… of a table fitted on a sample: the worker writes every row of the file to `options.out`; returns the rows written. */
  async exportEveryRow(session: Session, options: Omit<ExportEveryRowRequest, 'type' | 'id' | 'sessionId'>, token?: vscode.CancellationToken): Promise<number> {
    await this.ensure(session);
    return (await this.client.request<ToWorker.ExportEveryRow>({ type: ToWorker.ExportEveryRow, sessionId: session.id, ...options }, { token })).rows;
  }

  async exportModel(session: Session): Promise<string> {
    await this.ensure(session);
    return (await this.client.request<ToWorker.ExportModel>({ type: ToWorker.ExportModel, sessionId: session.id })).text;
  }

  /** Reads a model: `text` for the JSON / CSV formats, or `localPath` for any format (Spark folders, ONNX, .npy, PMML). */
  loadModel(text: string, fileName: string, localPath?: string): Promise<LoadedModel> {
    return this.client.request<ToWorker.LoadModel>({ type: ToWorker.LoadModel, text, fileName, ...(localPath ? { path: localPath } : {}) });
  }

  dispose(): void {
    this.progressEmitter.dispose();
    this.failEmitter.dispose();
    this.cancelEmitter.dispose();
    for (const dir of this.tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  }

  /** Refits `session` in the worker when the worker that held it is gone. */
  private ensure(session: Session): Promise<void> {
    if (this.client.running && session.workerGeneration === this.client.generation) return Promise.resolve();
    let p = this.refits.get(session.id);
    if (!p) {
      const refit = Promise.resolve(
        vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `NEON: restoring ${session.title}` }, () =>
          this.client.request<ToWorker.Fit>({ type: ToWorker.Fit, sessionId: session.id, ...session.spec }),
        ),
      )
        .then(() => {
          session.workerGeneration = this.client.generation;
        })
        .finally(() => this.refits.delete(session.id));
      this.refits.set(session.id, refit);
      p = refit;
    }
    return p;
  }
}

/** Tables with an image layout (the panel draws their clusters' mean images). */
export function isImageLike(session: Session): boolean {
  const ds = session.result.dataset;
  return ds.kind === 'table' && imageLayoutOf(ds.columns.map((c) => c.name)) !== undefined;
}
