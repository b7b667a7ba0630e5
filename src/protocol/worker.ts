/**
 * Messages between the extension host and the engine worker (worker_threads).
 * Shared by both ends; no `vscode` import. Every request carries an `id`; the worker answers
 * with exactly one `result` or `error` carrying `inReplyTo`, and may send any number of
 * `progress` events for it before that. Typed arrays cross by structured clone (large ones
 * are transferred).
 */
import type { DatasetInspection } from '../engine/data/inspectDataset';
import type { EveryRowExportOptions } from '../engine/export/everyRowExport';
import type { ClusterSettings, DataSource, ItemExplanation, PipelineResult, TextExplanation } from '../engine/pipelineTypes';
import type { ClusterModel, EvidenceForm, FirstLayerRule, Preprocessing, Progress } from '../engine/types';

export const enum ToWorker {
  Fit = 'fit',
  ExplainItem = 'explainItem',
  ExplainText = 'explainText',
  LoadModel = 'loadModel',
  ExportModel = 'exportModel',
  Inspect = 'inspect',
  ClusterMeans = 'clusterMeans',
  DropSession = 'dropSession',
  ColumnCells = 'columnCells',
  ExportEveryRow = 'exportEveryRow',
  Cancel = 'cancel',
}

export const enum FromWorker {
  Progress = 'progress',
  Result = 'result',
  Error = 'error',
}

/** Cluster and explain a dataset; the worker keeps it as the session `sessionId`. */
export interface FitRequest {
  readonly type: ToWorker.Fit;
  readonly id: number;
  readonly sessionId: string;
  readonly source: DataSource;
  readonly settings: ClusterSettings;
  /** Explain with this model instead of training one (Load Model...). */
  readonly model?: {
    readonly model: ClusterModel;
    readonly preprocessing: Preprocessing;
    readonly featureNames: readonly string[];
    /** Cluster names stored in the model file (shown instead of generated labels). */
    readonly clusterLabels?: readonly string[];
    /** The model names no inputs (.npy, ONNX, a bare Spark KMeansModel): bind them to the data's numeric columns. */
    readonly unnamedInputs?: boolean;
    /** Which importer read it (for messages). */
    readonly format?: string;
  };
}

/** Detailed explanation (per competitor) of row / document `index` of a session. */
export interface ExplainItemRequest {
  readonly type: ToWorker.ExplainItem;
  readonly id: number;
  readonly sessionId: string;
  readonly index: number;
}

/** Embed an arbitrary text with a text session's model and explain it word by word. */
export interface ExplainTextRequest {
  readonly type: ToWorker.ExplainText;
  readonly id: number;
  readonly sessionId: string;
  readonly text: string;
}

/** Parse and validate a model file's text (Load Model...). */
export interface LoadModelRequest {
  readonly type: ToWorker.LoadModel;
  readonly id: number;
  /** The model file's text (model file JSON, centroids CSV); unused when `path` is given. */
  readonly text: string;
  readonly fileName: string;
  /** A local path to import from (any format, including a Spark ML model folder or binary ONNX / .npy). */
  readonly path?: string;
}

/** Serialise a session's model to the model file format (Save Model...). */
export interface ExportModelRequest {
  readonly type: ToWorker.ExportModel;
  readonly id: number;
  readonly sessionId: string;
}

/** A quick look at a dataset's columns before clustering it (the Cluster Dataset… input). */
export interface InspectRequest {
  readonly type: ToWorker.Inspect;
  readonly id: number;
  readonly source: DataSource;
  /** The missing-value tokens the fit will use (naValues / keepDefaultNa), so the hints type columns as the fit does. */
  readonly missing?: { readonly naValues?: readonly string[]; readonly keepDefaultNa?: boolean };
}

/** Per-cluster mean of each table column's values (image-like tables: the clusters' mean images). */
export interface ClusterMeansRequest {
  readonly type: ToWorker.ClusterMeans;
  readonly id: number;
  readonly sessionId: string;
}

/** Forget a session (the user removed the dataset from the tree). */
export interface DropSessionRequest {
  readonly type: ToWorker.DropSession;
  readonly id: number;
  readonly sessionId: string;
}

/**
 * The cells of some columns of a table session, as written in its file, for the session's rows
 * (Export… joins its rows back to the user's table by their identifier columns).
 */
export interface ColumnCellsRequest {
  readonly type: ToWorker.ColumnCells;
  readonly id: number;
  readonly sessionId: string;
  /** Column names (dataset.columns[].name). */
  readonly columns: readonly string[];
}

/**
 * Export… of a table fitted on a sample: every row of the file, from the streaming pass's results
 * file and the table's key cells, written by the worker straight to `out` (engine/export/everyRowExport.ts).
 */
export interface ExportEveryRowRequest extends Omit<EveryRowExportOptions, 'source' | 'signal'> {
  readonly type: ToWorker.ExportEveryRow;
  readonly id: number;
  readonly sessionId: string;
}

/** Cancel the request `targetId` (its AbortSignal fires; it answers with a 'cancelled' error). */
export interface CancelRequest {
  readonly type: ToWorker.Cancel;
  readonly id: number;
  readonly targetId: number;
}

export type ToWorkerMessage =
  | FitRequest
  | ExplainItemRequest
  | ExplainTextRequest
  | LoadModelRequest
  | ExportModelRequest
  | InspectRequest
  | ClusterMeansRequest
  | DropSessionRequest
  | ColumnCellsRequest
  | ExportEveryRowRequest
  | CancelRequest;

/**
 * K x U means of each table column over the members of each cluster, in the units' order
 * (NaN where a column is not numeric or a cluster is empty), row-major.
 */
export interface ClusterMeans {
  readonly k: number;
  readonly units: number;
  readonly means: Float64Array;
}

export interface LoadedModel {
  readonly model: ClusterModel;
  readonly preprocessing: Preprocessing;
  readonly featureNames: readonly string[];
  readonly notes: readonly string[];
  readonly clusterLabels?: readonly string[];
  /** The model names no inputs: they are bound to the dataset's numeric columns at fit time. */
  readonly unnamedInputs?: boolean;
  /** Which importer read it, e.g. "Spark ML PipelineModel". */
  readonly format?: string;
  /** NEON settings stored in the model file; they apply where the user's settings say 'auto'. */
  readonly neon?: { readonly beta?: number | 'auto'; readonly evidence?: EvidenceForm; readonly rule?: FirstLayerRule; readonly reference?: readonly number[]; readonly referenceName?: string };
}

/** What each request resolves to. */
export interface ReplyMap {
  [ToWorker.Fit]: PipelineResult;
  [ToWorker.ExplainItem]: ItemExplanation;
  [ToWorker.ExplainText]: TextExplanation;
  [ToWorker.LoadModel]: LoadedModel;
  [ToWorker.ExportModel]: { readonly text: string };
  [ToWorker.Inspect]: DatasetInspection;
  [ToWorker.ClusterMeans]: ClusterMeans;
  [ToWorker.DropSession]: { readonly dropped: boolean };
  /** One array per requested column, each with one cell text per row of the session ('' when empty). */
  [ToWorker.ColumnCells]: { readonly cells: readonly (readonly string[])[] };
  /** Rows written. */
  [ToWorker.ExportEveryRow]: { readonly rows: number };
  [ToWorker.Cancel]: { readonly cancelled: boolean };
}

export interface ProgressEvent {
  readonly type: FromWorker.Progress;
  readonly inReplyTo: number;
  readonly progress: Progress;
}

export interface ResultMessage<T = unknown> {
  readonly type: FromWorker.Result;
  readonly inReplyTo: number;
  readonly result: T;
}

/** `kind` lets the host tell a user's data problem from a cancellation or a bug. */
export interface ErrorMessage {
  readonly type: FromWorker.Error;
  readonly inReplyTo: number;
  readonly kind: 'data' | 'model' | 'option' | 'cancelled' | 'internal';
  readonly message: string;
  readonly stack?: string;
}

export type FromWorkerMessage = ProgressEvent | ResultMessage | ErrorMessage;
