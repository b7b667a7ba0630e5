/**
 * The one store of clustering sessions: dataset -> fitted model -> relevance. Tree, hover,
 * decorations, status bar and panel read from it and subscribe to its events; none of them
 * calls another. Sessions are keyed by the dataset's path (clustering a file again replaces
 * its session).
 */
import * as vscode from 'vscode';
import { inFileText } from '../engine/data/documentText';
import type { ClusterSettings, DataSource, PipelineResult, TextExplanation } from '../engine/pipelineTypes';
import type { ClusterModel, Preprocessing } from '../engine/types';
import type { ClusterMeans } from '../protocol/worker';
import type { DatasetChoices } from './choices';

/** What was asked of the worker, kept so a session can be rebuilt if the worker is lost. */
export interface FitSpec {
  readonly source: DataSource;
  readonly settings: ClusterSettings;
  readonly model?: {
    readonly model: ClusterModel;
    readonly preprocessing: Preprocessing;
    readonly featureNames: readonly string[];
    readonly clusterLabels?: readonly string[];
  };
}

/** Where a session's model comes from: fitted here (when), or a model file the user loaded. */
export type ModelOrigin = { readonly kind: 'fitted'; readonly at: string } | { readonly kind: 'loaded'; readonly file: string; readonly at: string };

export interface Session {
  /** Worker session id: the local path of the dataset. */
  readonly id: string;
  /** What the user picked (file or folder), possibly a non-file URI copied to `localPath`. */
  readonly uri: vscode.Uri;
  readonly localPath: string;
  /** File or folder name shown in titles. */
  readonly title: string;
  readonly result: PipelineResult;
  readonly spec: FitSpec;
  /** WorkerClient.generation the worker holds this session in. */
  workerGeneration: number;
  readonly lookup: SessionLookup;
  /** The answers of the Cluster Dataset… input this run used. */
  readonly choices: DatasetChoices;
  readonly origin: ModelOrigin;
  /** Brought back after a window reload from the stored model (not fitted again). */
  readonly restored: boolean;
  /** Notes from the extension (restoring, file changed since), shown with the engine's. */
  readonly hostNotes: readonly string[];
  /** Image-like tables: each cluster's mean of every column (fetched after the fit). */
  clusterMeans?: ClusterMeans;
}

/** "the model fitted on wine.csv" / "the model loaded from m.json": which model explains a dataset. */
export function modelDescription(session: Session): string {
  return session.origin.kind === 'loaded' ? `the model loaded from ${session.origin.file}` : `the model fitted on ${session.title}`;
}

/** Fast lookups from editor positions to rows / documents / tokens of one session. */
export interface SessionLookup {
  /** Path (as the worker saw it) -> original URI, for copies of non-file resources. */
  readonly uriOfPath: (path: string) => vscode.Uri;
  /** Local path for an editor's URI when that document belongs to the session. */
  readonly pathOfUri: (uri: vscode.Uri) => string | undefined;
  /** Text: document indices per source path, ordered by start offset (documents in their file's text only: documentText.ts). */
  readonly documentsByPath: ReadonlyMap<string, readonly number[]>;
  /** Tables: column index (in dataset.columns) for each source position of a cell. */
  readonly columnOfSourceIndex: ReadonlyMap<number, number>;
  /** Typical magnitude of relevance in this session (98th percentile of |R|), for colour steps. */
  readonly relevanceScale: number;
}

/** The explanation of an open document that is not part of a corpus (ExplainText). */
export interface OpenTextExplanation {
  readonly uri: string;
  readonly version: number;
  readonly sessionId: string;
  /** Offset in the document of the explained text's first character (visible part of large files). */
  readonly offsetBase: number;
  /** Length of the explained text (the whole document unless it is large). */
  readonly length: number;
  readonly explanation: TextExplanation;
}

export interface Selection {
  readonly sessionId: string;
  readonly cluster?: number;
  readonly item?: number;
  /** Where the choice was made: a view does not echo its own choice back to itself. */
  readonly origin?: 'panel' | 'tree' | 'command';
}

export class SessionStore implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly openTexts = new Map<string, OpenTextExplanation>();
  private activeId: string | undefined;
  private current: Selection | undefined;
  private showHighlights = true;

  private readonly changed = new vscode.EventEmitter<void>();
  private readonly selected = new vscode.EventEmitter<Selection>();
  private readonly textsChanged = new vscode.EventEmitter<void>();
  /** Sessions were added, replaced or removed. */
  readonly onDidChangeSessions = this.changed.event;
  /** A cluster or item was chosen (Explain Cluster, tree, panel). */
  readonly onDidChangeSelection = this.selected.event;
  /** The explanations of open non-corpus documents changed. */
  readonly onDidChangeTextExplanations = this.textsChanged.event;
  private readonly removed = new vscode.EventEmitter<Session>();
  /** A dataset was removed from the tree (its session is gone). */
  readonly onDidRemoveSession = this.removed.event;
  private readonly highlightsToggled = new vscode.EventEmitter<boolean>();
  /** Clear Highlights hid the colours, or a new result brought them back. */
  readonly onDidChangeHighlightsVisible = this.highlightsToggled.event;

  get highlightsVisible(): boolean {
    return this.showHighlights;
  }

  setHighlightsVisible(visible: boolean): void {
    if (this.showHighlights === visible) return;
    this.showHighlights = visible;
    this.highlightsToggled.fire(visible);
  }

  all(): readonly Session[] {
    return [...this.sessions.values()];
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** The session commands act on: the last one clustered or selected. */
  get active(): Session | undefined {
    return this.activeId !== undefined ? this.sessions.get(this.activeId) : undefined;
  }

  /** The most recent text session (used to explain arbitrary open documents). */
  get latestText(): Session | undefined {
    const active = this.active;
    if (active?.result.dataset.kind === 'text') return active;
    const texts = this.all().filter((s) => s.result.dataset.kind === 'text');
    return texts[texts.length - 1];
  }

  get selection(): Selection | undefined {
    return this.current;
  }

  add(session: Session): void {
    // Delete first so the Map's order stays "most recent last".
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
    this.activeId = session.id;
    for (const [uri, t] of this.openTexts) if (t.sessionId === session.id) this.openTexts.delete(uri);
    if (this.current?.sessionId === session.id) this.current = undefined;
    this.setHighlightsVisible(true);
    void vscode.commands.executeCommand('setContext', 'neonClusterExplorer.hasSessions', true);
    this.changed.fire();
  }

  /** Removes a dataset's session; the next most recent becomes active. */
  remove(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    this.sessions.delete(id);
    for (const [uri, t] of this.openTexts) if (t.sessionId === id) this.openTexts.delete(uri);
    if (this.current?.sessionId === id) this.current = undefined;
    if (this.activeId === id) this.activeId = [...this.sessions.keys()].pop();
    void vscode.commands.executeCommand('setContext', 'neonClusterExplorer.hasSessions', this.sessions.size > 0);
    this.removed.fire(session);
    this.changed.fire();
    this.textsChanged.fire();
    return session;
  }

  setActive(id: string): void {
    if (this.sessions.has(id) && this.activeId !== id) {
      this.activeId = id;
      this.changed.fire();
    }
  }

  select(selection: Selection): void {
    if (!this.sessions.has(selection.sessionId)) return;
    this.activeId = selection.sessionId;
    this.current = selection;
    this.setHighlightsVisible(true);
    this.selected.fire(selection);
  }

  /** The session (and local path) an editor document belongs to, most recent first. */
  findByDocument(uri: vscode.Uri): { session: Session; path: string } | undefined {
    const list = this.all();
    for (let i = list.length - 1; i >= 0; i--) {
      const session = list[i]!;
      const path = session.lookup.pathOfUri(uri);
      if (path === undefined) continue;
      const ds = session.result.dataset;
      if (ds.kind === 'table' ? path === ds.source || path === session.localPath : session.lookup.documentsByPath.has(path)) {
        return { session, path };
      }
    }
    return undefined;
  }

  setTextExplanation(t: OpenTextExplanation): void {
    this.openTexts.set(t.uri, t);
    this.setHighlightsVisible(true);
    this.textsChanged.fire();
  }

  deleteTextExplanation(uri: string): void {
    if (this.openTexts.delete(uri)) this.textsChanged.fire();
  }

  textExplanation(uri: vscode.Uri): OpenTextExplanation | undefined {
    return this.openTexts.get(uri.toString());
  }

  clearTextExplanations(): void {
    this.openTexts.clear();
    this.textsChanged.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.selected.dispose();
    this.textsChanged.dispose();
    this.highlightsToggled.dispose();
    this.removed.dispose();
  }
}

/** Builds the lookups of a fitted result. `localToUri` maps copied files back to their origin. */
export function buildLookup(result: PipelineResult, localToUri: ReadonlyMap<string, vscode.Uri>): SessionLookup {
  const uriToLocal = new Map<string, string>();
  for (const [local, uri] of localToUri) uriToLocal.set(uri.toString(), local);
  const ds = result.dataset;
  const documentsByPath = new Map<string, number[]>();
  const columnOfSourceIndex = new Map<number, number>();
  let scale: number;
  if (ds.kind === 'text') {
    ds.documents.forEach((d, i) => {
      // A document holding its text (a Parquet cell) is not in its file's text: no editor position finds it.
      if (!inFileText(d)) return;
      let list = documentsByPath.get(d.path);
      if (!list) documentsByPath.set(d.path, (list = []));
      list.push(i);
    });
    for (const list of documentsByPath.values()) list.sort((a, b) => ds.documents[a]!.start - ds.documents[b]!.start);
    scale = percentileAbs(result.tokenRelevance, 0.98);
  } else {
    ds.columns.forEach((c, i) => columnOfSourceIndex.set(c.sourceIndex, i));
    scale = percentileAbs(result.rowRelevance, 0.98);
  }
  return {
    uriOfPath: (p) => localToUri.get(p) ?? vscode.Uri.file(p),
    pathOfUri: (uri) => uriToLocal.get(uri.toString()) ?? (uri.scheme === 'file' ? uri.fsPath : undefined),
    documentsByPath,
    columnOfSourceIndex,
    relevanceScale: scale > 0 ? scale : 1,
  };
}

/** q-quantile of |values| over at most 20 000 evenly spaced samples (no full sort of big arrays). */
export function percentileAbs(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const step = Math.max(1, Math.floor(n / 20_000));
  const sample: number[] = [];
  for (let i = 0; i < n; i += step) {
    const v = Math.abs(values[i]!);
    if (v > 0) sample.push(v);
  }
  if (sample.length === 0) return 0;
  sample.sort((a, b) => a - b);
  return sample[Math.min(sample.length - 1, Math.floor(q * sample.length))]!;
}

/** Row index of a table whose record starts at the 0-based editor line, if any. */
export function rowAtLine(rowLine: Int32Array, line0: number): number | undefined {
  const target = line0 + 1;
  let lo = 0;
  let hi = rowLine.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = rowLine[mid]!;
    if (v === target) return mid;
    if (v < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The document of `path` whose source range contains `offset`. */
export function documentAt(result: PipelineResult, lookup: SessionLookup, path: string, offset: number): number | undefined {
  const ds = result.dataset;
  if (ds.kind !== 'text') return undefined;
  const list = lookup.documentsByPath.get(path);
  if (!list) return undefined;
  for (const d of list) {
    const doc = ds.documents[d]!;
    if (offset >= doc.start && offset <= doc.end) return d;
  }
  return undefined;
}

/**
 * The document of a text dataset under the cursor at `position` of `doc` (the file at `path`):
 * the one whose text holds the cursor; else the one whose text is on the cursor's line — a JSONL
 * record is its line, so its `id` or `topic` field belongs to the document as much as its text
 * field (trial 6, D13); else the file's only document. Status bar and Explain This Document use it.
 */
export function documentAtCursor(session: Session, path: string, doc: vscode.TextDocument, position: vscode.Position): number | undefined {
  const { result, lookup } = session;
  const exact = documentAt(result, lookup, path, doc.offsetAt(position));
  if (exact !== undefined) return exact;
  const inFile = lookup.documentsByPath.get(path) ?? [];
  if (inFile.length === 1) return inFile[0];
  if (result.dataset.kind !== 'text') return undefined;
  const line = doc.lineAt(position.line).range;
  const from = doc.offsetAt(line.start);
  const to = doc.offsetAt(line.end);
  const documents = result.dataset.documents;
  return inFile.find((d) => documents[d]!.start <= to && documents[d]!.end >= from);
}

/** Display name used everywhere for cluster `index` (tree, hover, status bar, quick pick). */
export function clusterName(index: number): string {
  return `Cluster ${index}`;
}
