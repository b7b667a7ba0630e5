/**
 * Status bar item: the cluster and evidence of the active document (or of the table row
 * under the cursor). Clicking it shows the clusters panel.
 */
import * as vscode from 'vscode';
import { Debouncer, Disposable } from '../dispose';
import { plain } from '../editor/format';
import { clusterName, documentAtCursor, modelDescription } from '../session';
import { rowRecordAtLine, rowViewNotExplained } from '../editor/rowViews';
import { rowNotExplained } from '../notExplained';
import type { SessionStore } from '../session';

export class ClusterStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('neon.cluster', vscode.StatusBarAlignment.Right, 100));
  private readonly updateSoon = this.register(new Debouncer(100));

  constructor(private readonly store: SessionStore) {
    super();
    this.item.name = 'NEON Cluster';
    this.item.command = 'neon.showPanel';
    const update = () => this.updateSoon.run(() => this.update());
    this.register(vscode.window.onDidChangeActiveTextEditor(update));
    this.register(vscode.window.onDidChangeTextEditorSelection(update));
    this.register(store.onDidChangeSessions(update));
    this.register(store.onDidChangeTextExplanations(update));
    update();
  }

  private update(): void {
    const shown = this.describe(vscode.window.activeTextEditor);
    if (!shown) {
      this.item.hide();
      return;
    }
    if (shown.noUsableWords) {
      // A document without a usable word is in no cluster (text helper, issue 8 case 06).
      this.item.text = `$(circle-slash) no usable words${shown.model ? ` · model of ${shown.model}` : ''}`;
      this.item.tooltip = `${shown.what}: no word of the model's vocabulary, so it is in no cluster.\nExplained with ${shown.explainedWith}.\nClick to show the NEON clusters panel.`;
      this.item.show();
      return;
    }
    if (shown.notExplained !== undefined) {
      // Evidence beyond float64 (issue 8 case 09): assigned, but there is no number to show.
      this.item.text = `$(warning) ${shown.row ?? ''}${clusterName(shown.cluster)} · not explained`;
      this.item.tooltip = `${shown.what}: ${clusterName(shown.cluster)} — ${shown.label}\nNot explained: ${shown.notExplained}.\nClick to show the NEON clusters panel.`;
      this.item.show();
      return;
    }
    this.item.text = `$(symbol-class) ${shown.row ?? ''}${clusterName(shown.cluster)}${shown.weak ? ' (weak)' : ''} · evidence ${plain(shown.evidence)}${shown.model ? ` · model of ${shown.model}` : ''}`;
    this.item.tooltip = `${shown.what}: ${clusterName(shown.cluster)} — ${shown.label}\nEvidence ${plain(shown.evidence)} (probability ${plain(shown.probability, 2)})${shown.weak ? '\nWeakly assigned: the evidence is near zero (a boundary between clusters).' : ''}\nExplained with ${shown.explainedWith}${shown.model ? ' (this document is not part of a clustered dataset)' : ''}.\nClick to show the NEON clusters panel.`;
    this.item.show();
  }

  private describe(editor: vscode.TextEditor | undefined):
    | { what: string; row?: string; cluster: number; label: string; evidence: number; probability: number; explainedWith: string; model?: string; weak?: boolean; noUsableWords?: boolean; notExplained?: string }
    | undefined {
    if (!editor) return undefined;
    const doc = editor.document;
    const found = this.store.findByDocument(doc.uri);
    if (found) {
      const { result } = found.session;
      const ds = result.dataset;
      let index: number | undefined;
      let what: string;
      if (ds.kind === 'table') {
        // Any row of the file, also outside a fitted sample, on any line of its record (editor/rowViews.ts).
        const at = rowRecordAtLine(found.session, doc, editor.selection.active.line);
        if (!at) return undefined;
        const { row, record } = at;
        const weak = row.inMemory !== undefined ? result.memberStatus?.[row.inMemory] === 1 : undefined;
        const what = row.row >= 0 ? `Row ${row.row}` : `The row on line ${record.firstLine + 1}`;
        const notExplained = rowViewNotExplained(found.session, row);
        return {
          what,
          // The row is named in the item itself: on a continuation line of a record it says whose line this is.
          row: `${row.row >= 0 ? `Row ${row.row}` : `Line ${record.firstLine + 1}`} · `,
          cluster: row.cluster,
          label: result.clusters[row.cluster]?.label ?? '',
          evidence: row.evidence,
          probability: row.probability,
          explainedWith: modelDescription(found.session),
          ...(weak !== undefined ? { weak } : {}),
          ...(notExplained !== undefined ? { notExplained } : {}),
        };
      } else {
        index = documentAtCursor(found.session, found.path, doc, editor.selection.active);
        what = index !== undefined ? ds.documents[index]!.name : '';
      }
      if (index === undefined) return undefined;
      const cluster = result.assignments[index]!;
      const status = result.memberStatus?.[index];
      return { what, cluster, label: result.clusters[cluster]?.label ?? '', evidence: result.evidence[index]!, probability: result.probability[index]!, explainedWith: modelDescription(found.session), weak: status === 1, noUsableWords: status === 2, notExplained: rowNotExplained(result, index) };
    }
    const explained = this.store.textExplanation(doc.uri);
    const session = explained && this.store.get(explained.sessionId);
    if (!explained || !session) return undefined;
    const e = explained.explanation;
    return {
      what: vscode.workspace.asRelativePath(doc.uri),
      cluster: e.cluster,
      label: session.result.clusters[e.cluster]?.label ?? '',
      evidence: e.evidence,
      probability: e.probability,
      explainedWith: modelDescription(session),
      // Another dataset's model explains this document: the status bar names it.
      model: session.origin.kind === 'loaded' ? session.origin.file : session.title,
      noUsableWords: e.noUsableWords === true,
    };
  }
}
