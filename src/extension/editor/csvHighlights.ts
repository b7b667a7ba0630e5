/**
 * Cell highlights in clustered tables: each cell coloured by its column's relevance for
 * that row's assignment; the header row by the cluster-level column relevance of the
 * selected cluster (or of the cursor row's cluster). Only the visible lines are parsed.
 */
import * as vscode from 'vscode';
import { Debouncer, Disposable } from '../dispose';
import { headerCluster, headerLine } from './headerCluster';
import type { Session, SessionStore } from '../session';
import { highlightsEnabled, SECTION } from '../settings';
import { splitCsvRecord } from './csvRecord';
import { addToBuckets, emptyBuckets, notExplainedNote } from './decorations';
import type { Buckets, DecorationBank } from './decorations';
import { decoratedLines } from './visible';
import { cellViewNotExplained, rowRecordsInLines, rowViewNotExplained } from './rowViews';

const OWNER = 'csv';

export class CsvHighlights extends Disposable {
  private readonly refreshSoon = this.register(new Debouncer(100));

  constructor(
    private readonly store: SessionStore,
    private readonly bank: DecorationBank,
  ) {
    super();
    const refresh = () => this.refreshSoon.run(() => this.refresh());
    this.register(vscode.window.onDidChangeVisibleTextEditors(refresh));
    this.register(vscode.window.onDidChangeTextEditorVisibleRanges(refresh));
    this.register(vscode.window.onDidChangeTextEditorSelection((e) => {
      // The header follows the cursor row's cluster unless a cluster was chosen explicitly.
      if (this.store.findByDocument(e.textEditor.document.uri)) refresh();
    }));
    this.register(store.onDidChangeSessions(refresh));
    this.register(store.onDidChangeSelection(refresh));
    this.register(store.onDidChangeHighlightsVisible(refresh));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.highlight.enabled`)) refresh();
    }));
    refresh();
  }

  private refresh(): void {
    const on = highlightsEnabled() && this.store.highlightsVisible;
    for (const editor of vscode.window.visibleTextEditors) {
      const found = this.store.findByDocument(editor.document.uri);
      // No table dataset (any more: Remove Dataset): its colours go too (trial7 D4).
      if (!on || !found || found.session.result.dataset.kind !== 'table') this.bank.clear(editor, OWNER);
      else if (!editor.document.isDirty) this.bank.apply(editor, OWNER, this.buckets(editor, found.session));
    }
  }

  private buckets(editor: vscode.TextEditor, session: Session): Buckets {
    const ds = session.result.dataset;
    const buckets = emptyBuckets();
    if (ds.kind !== 'table') return buckets;
    const doc = editor.document;
    const scale = session.lookup.relevanceScale;
    const { first, last } = decoratedLines(editor);
    // Every row on screen: the in-memory rows, or a sampled fit's every-row results file. A
    // record whose quoted cells hold line breaks is coloured on each of its lines (trial 6 D7).
    for (const { row, record } of rowRecordsInLines(session, doc, first, last)) {
      let reason = rowViewNotExplained(session, row);
      record.cells.forEach((pieces, sourceIndex) => {
        const col = session.lookup.columnOfSourceIndex.get(sourceIndex);
        if (col === undefined) return;
        // Columns that are no feature carry relevance 0 (nothing to explain).
        const info = ds.columns[col];
        const why = info && info.excludedReason === undefined && info.kind !== 'label' ? cellViewNotExplained(session, row, col) : undefined;
        for (const p of pieces) {
          if (p.end <= p.start) continue;
          const range = new vscode.Range(p.line, p.start, p.line, p.end);
          if (why === undefined) addToBuckets(buckets, range, row.relevance(col), scale);
          else buckets.notExplained.push(range);
        }
        if (why !== undefined) reason ??= why;
      });
      if (reason !== undefined) buckets.notExplainedNotes.push(notExplainedNote(doc.lineAt(record.firstLine), reason));
    }
    this.addHeader(editor, session, buckets);
    return buckets;
  }

  private addHeader(editor: vscode.TextEditor, session: Session, buckets: Buckets): void {
    const ds = session.result.dataset;
    const line = headerLine(session);
    if (ds.kind !== 'table' || line === undefined || line >= editor.document.lineCount) return;
    const cluster = headerCluster(this.store.selection, session, editor.document, editor.selection.active.line);
    const summary = cluster !== undefined ? session.result.clusters[cluster] : undefined;
    if (!summary) return;
    const byName = new Map(summary.top.map((f) => [f.name, f.relevance]));
    let scale = 0;
    for (const f of summary.top) scale = Math.max(scale, Math.abs(f.relevance));
    splitCsvRecord(editor.document, line, ds.delimiter).cells.forEach((pieces, sourceIndex) => {
      const col = session.lookup.columnOfSourceIndex.get(sourceIndex);
      const r = col !== undefined ? byName.get(ds.columns[col]!.name) : undefined;
      if (r === undefined) return;
      for (const p of pieces) if (p.end > p.start) addToBuckets(buckets, new vscode.Range(p.line, p.start, p.line, p.end), r, scale);
    });
  }
}
