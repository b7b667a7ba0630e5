/**
 * Word highlights in text documents. Corpus members are coloured from the stored token
 * relevance of the session; other prose documents (and any document Explain This Document
 * was run on) are explained with ExplainText under the most recent text model, again after
 * each burst of edits (500 ms). Large documents: only the visible part.
 */
import * as vscode from 'vscode';
import { Debouncer, Disposable } from '../dispose';
import type { Engine } from '../engine';
import type { Notifier } from '../notify';
import type { SessionStore } from '../session';
import { highlightsEnabled, SECTION } from '../settings';
import { addToBuckets, emptyBuckets } from './decorations';
import type { DecorationBank } from './decorations';
import { decoratedWindow, isProse, LARGE_DOCUMENT_CHARS } from './visible';

const OWNER = 'text';

export class TextHighlights extends Disposable {
  private readonly refreshSoon = this.register(new Debouncer(100));
  private readonly explainSoon = this.register(new Debouncer(500));
  private readonly inFlight = new Map<string, vscode.CancellationTokenSource>();

  constructor(
    private readonly store: SessionStore,
    private readonly engine: Engine,
    private readonly bank: DecorationBank,
    private readonly notifier: Notifier,
  ) {
    super();
    const refresh = () => this.refreshSoon.run(() => this.refresh());
    this.register(vscode.window.onDidChangeVisibleTextEditors(refresh));
    this.register(vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      const doc = e.textEditor.document;
      if (doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) > LARGE_DOCUMENT_CHARS) refresh();
    }));
    this.register(store.onDidChangeSessions(refresh));
    this.register(store.onDidChangeTextExplanations(refresh));
    this.register(store.onDidChangeHighlightsVisible(refresh));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.highlight.enabled`)) refresh();
    }));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      if (vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) this.explainSoon.run(() => this.refresh());
    }));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => store.deleteTextExplanation(d.uri.toString())));
    this.register({ dispose: () => this.inFlight.forEach((t) => t.cancel()) });
    refresh();
  }

  private refresh(): void {
    const editors = vscode.window.visibleTextEditors;
    this.bank.prune(editors);
    const on = highlightsEnabled() && this.store.highlightsVisible;
    for (const editor of editors) {
      if (!on) {
        this.bank.clear(editor, OWNER);
        continue;
      }
      this.decorate(editor);
    }
  }

  private decorate(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const found = this.store.findByDocument(doc.uri);
    if (found) {
      if (found.session.result.dataset.kind !== 'text') return; // tables: csvHighlights
      // Unsaved edits shift the stored offsets; VS Code moves the existing ranges with the edits.
      if (doc.isDirty) return;
      this.decorateCorpusFile(editor, found.session.id, found.path);
      return;
    }
    const explained = this.store.textExplanation(doc.uri);
    const window = decoratedWindow(editor);
    if (explained && explained.version === doc.version && explained.offsetBase <= window.start && window.end <= explained.offsetBase + explained.length) {
      this.decorateExplained(editor);
      return;
    }
    if (!isProse(doc)) {
      // Only prose is explained with a text model; a stale explanation of a data file goes.
      this.bank.clear(editor, OWNER);
      if (explained) this.store.deleteTextExplanation(doc.uri.toString());
      return;
    }
    const session = explained ? this.store.get(explained.sessionId) ?? this.store.latestText : this.store.latestText;
    if (session) void this.explain(doc, session.id, window);
  }

  private decorateCorpusFile(editor: vscode.TextEditor, sessionId: string, path: string): void {
    const session = this.store.get(sessionId);
    if (!session || session.result.dataset.kind !== 'text') return;
    const { dataset, tokenRelevance } = session.result;
    const tokens = dataset.tokens;
    const window = decoratedWindow(editor);
    const doc = editor.document;
    const buckets = emptyBuckets();
    const scale = session.lookup.relevanceScale;
    for (const d of session.lookup.documentsByPath.get(path) ?? []) {
      const ref = dataset.documents[d]!;
      if (ref.end < window.start || ref.start > window.end) continue;
      for (let t = tokens.docStart[d]!; t < tokens.docStart[d + 1]!; t++) {
        const s = tokens.start[t]!;
        if (s < window.start || s > window.end) continue;
        addToBuckets(buckets, new vscode.Range(doc.positionAt(s), doc.positionAt(tokens.end[t]!)), tokenRelevance[t]!, scale);
      }
    }
    this.bank.apply(editor, OWNER, buckets);
  }

  private decorateExplained(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const explained = this.store.textExplanation(doc.uri);
    if (!explained) return;
    const e = explained.explanation;
    let scale = 0;
    for (let i = 0; i < e.relevance.length; i++) scale = Math.max(scale, Math.abs(e.relevance[i]!));
    const buckets = emptyBuckets();
    for (let i = 0; i < e.relevance.length; i++) {
      const range = new vscode.Range(doc.positionAt(explained.offsetBase + e.start[i]!), doc.positionAt(explained.offsetBase + e.end[i]!));
      addToBuckets(buckets, range, e.relevance[i]!, scale);
    }
    this.bank.apply(editor, OWNER, buckets);
  }

  private async explain(doc: vscode.TextDocument, sessionId: string, window: { start: number; end: number }): Promise<void> {
    const key = doc.uri.toString();
    this.inFlight.get(key)?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.inFlight.set(key, cts);
    const version = doc.version;
    const session = this.store.get(sessionId);
    if (!session) return;
    try {
      const text = doc.getText(new vscode.Range(doc.positionAt(window.start), doc.positionAt(window.end)));
      const explanation = await this.engine.explainText(session, text, cts.token);
      if (cts.token.isCancellationRequested || doc.version !== version) return;
      this.store.setTextExplanation({ uri: key, version, sessionId, offsetBase: window.start, length: text.length, explanation });
    } catch (e) {
      // Automatic explanations fail quietly (an empty note is not worth a pop-up); Explain This
      // Document reports its own errors.
      if (!cts.token.isCancellationRequested) this.notifier.log(e);
    } finally {
      if (this.inFlight.get(key) === cts) this.inFlight.delete(key);
      cts.dispose();
    }
  }
}
