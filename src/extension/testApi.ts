/**
 * What `activate` returns: a read-only window on the extension's state for the
 * extension-host tests (and a way to kill the worker to test recovery).
 */
import type { DecorationBank } from './editor/decorations';
import { ClusterPanel } from './panel/clusterPanel';
import type { Notifier } from './notify';
import type { DatasetInspection } from '../engine/data/inspectDataset';
import type { ChoiceStore, DatasetChoices } from './choices';
import type { Engine } from './engine';
import type { EncodingNotice } from './editor/encodingNotice';
import type { LargeFileNotice } from './editor/largeFiles';
import type { ResultStore, StoredResult } from './persistence';
import type { Session, SessionStore } from './session';
import type { ClusterTreeProvider } from './views/clusterTree';
import type { WorkerClient } from './workerClient';

export interface SessionSnapshot {
  readonly id: string;
  readonly uri: string;
  readonly kind: 'table' | 'text';
  readonly k: number;
  readonly rows: number;
  readonly clusters: readonly { readonly index: number; readonly size: number; readonly label: string }[];
}

export interface NeonTestApi {
  getState(): {
    sessions: SessionSnapshot[];
    activeSessionId?: string;
    lastDecorationCounts: { for: number; against: number; notExplained: number };
    lastError?: string;
  };
  /** The full session (PipelineResult included) of a dataset path. */
  getSession(id: string): Session | undefined;
  /** Terminates the engine worker as a crash would; the next request starts a new one. */
  killWorker(): Promise<void>;
  readonly treeProvider: ClusterTreeProvider;
  /** The open clusters panel, if any. */
  panel(): ClusterPanel | undefined;
  /** Resolves once the datasets stored by the last window are restored. */
  whenRestored(): Promise<void>;
  /** Stored results (what a reload brings back), after pending saves. */
  storedResults(): Promise<readonly StoredResult[]>;
  /** The folder the stored models are written to. */
  readonly resultsFolder: string;
  /** The stored datasets' index file (storageIndex.ts). */
  readonly indexFile: string;
  /** The worker's look at a dataset (what the Cluster Dataset… input offers). */
  inspect(uri: import('vscode').Uri): Promise<DatasetInspection>;
  /** The answers remembered for a dataset. */
  rememberedChoices(uri: import('vscode').Uri): DatasetChoices | undefined;
  /** The notification that ended the last clustering job (warning when records were skipped). */
  lastJobMessage(): { readonly severity: 'warning' | 'information'; readonly text: string } | undefined;
  /** Messages of the large-file notice shown so far. */
  largeFileMessages(): readonly string[];
  /** Messages of the Windows-1252 encoding notice shown so far. */
  encodingMessages(): readonly string[];
}

export interface TestApiParts {
  readonly results: ResultStore;
  readonly resultsFolder: string;
  readonly indexFile: string;
  readonly engine: Engine;
  readonly choices: ChoiceStore;
  readonly largeFiles: LargeFileNotice;
  readonly encodings: EncodingNotice;
}

export function createTestApi(store: SessionStore, bank: DecorationBank, notifier: Notifier, client: WorkerClient, tree: ClusterTreeProvider, parts: TestApiParts): NeonTestApi {
  const { results } = parts;
  return {
    getState: () => ({
      sessions: store.all().map((s) => ({
        id: s.id,
        uri: s.uri.toString(),
        kind: s.result.dataset.kind,
        k: s.result.model.k,
        rows: s.result.dataset.rows,
        clusters: s.result.clusters.map((c) => ({ index: c.index, size: c.size, label: c.label })),
      })),
      activeSessionId: store.active?.id,
      lastDecorationCounts: bank.counts(),
      lastError: notifier.lastError,
    }),
    getSession: (id) => store.get(id),
    lastJobMessage: () => notifier.lastJobMessage,
    killWorker: () => client.terminate('The NEON worker was stopped by a test.'),
    treeProvider: tree,
    panel: () => ClusterPanel.instance,
    whenRestored: () => results.whenRestored(),
    storedResults: async () => {
      await results.idle();
      return results.entries();
    },
    resultsFolder: parts.resultsFolder,
    indexFile: parts.indexFile,
    inspect: (uri) => parts.engine.inspect(uri),
    rememberedChoices: (uri) => parts.choices.get(uri),
    largeFileMessages: () => parts.largeFiles.shown,
    encodingMessages: () => parts.encodings.shown,
  };
}
