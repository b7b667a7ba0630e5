/**
 * The "NEON Clusters" webview panel. One instance at most: createOrShow reveals it. The
 * webview posts `ready` whenever it (re)loads; the controller answers with the active
 * session, so the panel survives being hidden (retainContextWhenHidden is off) and, via
 * the serializer, a window reload.
 */
import * as vscode from 'vscode';
import { documentSourceText } from '../../engine/data/documentText';
import type { HostToWebview, WebviewToHost } from '../../protocol/webview';
import { Disposable } from '../dispose';
import type { Engine } from '../engine';
import type { Notifier } from '../notify';
import { openItem, panelColumn } from '../reveal';
import type { Selection, Session, SessionStore } from '../session';
import { panelHtml } from './html';
import { toWebviewItem, toWebviewSession } from './toWebview';

export interface PanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: SessionStore;
  readonly engine: Engine;
  readonly notifier: Notifier;
}

export class ClusterPanel extends Disposable {
  static readonly viewType = 'neon.clusterPanel';
  private static current: ClusterPanel | undefined;

  /** Dataset indices of the points the webview was sent (its indices are positions here). */
  private shown: Int32Array = new Int32Array(0);
  private shownSessionId: string | undefined;
  private ready = false;
  private readonly posted = this.register(new vscode.EventEmitter<HostToWebview>());
  /** Every message sent to the webview (extension-host tests check the host side of the protocol). */
  readonly onDidPost = this.posted.event;

  /**
   * Shows the panel. `focus`: the user asked for the panel (Show Clusters Panel), so keyboard
   * focus moves into it, onto its first control; otherwise (a cluster run, Explain Cluster) the
   * user's editor keeps the focus.
   */
  static createOrShow(deps: PanelDeps, focus = false): ClusterPanel {
    if (ClusterPanel.current) {
      // Never over the document the user is reading (Explain This Document on a file opened in
      // the panel's group, or a panel restored there by a reload): the panel moves beside it,
      // as a new panel opens and as items opened from the panel do (reveal.ts).
      const editorColumn = vscode.window.activeTextEditor?.viewColumn;
      const beside = editorColumn !== undefined && panelColumn() === editorColumn;
      ClusterPanel.current.panel.reveal(beside ? vscode.ViewColumn.Beside : undefined, !focus);
      if (focus) ClusterPanel.current.focusFirstControl();
      return ClusterPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      ClusterPanel.viewType,
      'NEON Clusters',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: !focus },
      webviewOptions(deps.extensionUri),
    );
    const created = (ClusterPanel.current = new ClusterPanel(panel, deps));
    if (focus) created.focusFirstControl();
    return created;
  }

  /**
   * The store's selection the webview already shows (made in the panel, or sent while the page
   * was alive). A hidden panel's page is disposed (retainContextWhenHidden is off) and posts
   * `ready` when shown again; it then restores the user's own item, cluster and scroll from its
   * webview state, which must not be replaced by this older selection (its cluster's most typical
   * member and a scroll to its card). A selection made while the panel was hidden is newer than
   * the page's state and is applied.
   */
  private shownSelection: Selection | undefined;

  /** A focus request waiting for the webview's `ready`. */
  private focusPending = false;

  private focusFirstControl(): void {
    if (this.ready) this.post({ type: 'focus' });
    else this.focusPending = true;
  }

  static revive(panel: vscode.WebviewPanel, deps: PanelDeps): void {
    ClusterPanel.current?.dispose();
    panel.webview.options = webviewOptions(deps.extensionUri);
    ClusterPanel.current = new ClusterPanel(panel, deps);
  }

  static get instance(): ClusterPanel | undefined {
    return ClusterPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icons', 'neon.svg');
    this.register(panel.onDidDispose(() => this.dispose()));
    // A hidden panel's page is gone: nothing reaches it until the new page posts `ready`.
    this.register(panel.onDidChangeViewState((e) => {
      if (!e.webviewPanel.visible) this.ready = false;
    }));
    this.register(panel.webview.onDidReceiveMessage((m: WebviewToHost) => void this.receive(m)));
    this.register(deps.store.onDidChangeSessions(() => this.sendSession()));
    this.register(deps.store.onDidChangeSelection((s) => {
      // A cluster card click only filters the webview; it must not replace the item shown.
      if (s.origin === 'panel') this.shownSelection = s;
      else void this.onSelection(s);
    }));
    this.register(deps.engine.onDidProgress((p) => this.post({ type: 'progress', stage: p.message ? `${p.stage}: ${p.message}` : p.stage, fraction: p.fraction, ...(p.loss !== undefined ? { loss: p.loss } : {}) })));
    this.register(deps.engine.onDidFail((message) => this.post({ type: 'error', message })));
    this.register(deps.engine.onDidCancel((title) => this.post({ type: 'cancelled', message: `Clustering ${title} was cancelled.` })));
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri);
  }

  override dispose(): void {
    if (ClusterPanel.current === this) ClusterPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }

  private post(message: HostToWebview): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(message);
    this.posted.fire(message);
  }

  /** Sends the active session; `selectedItem` is a dataset index to preselect. */
  private sendSession(selectedItem?: number): void {
    const session = this.deps.store.active;
    if (!session) {
      this.shownSessionId = undefined;
      this.post({ type: 'empty', message: 'No dataset clustered yet. Run "NEON: Cluster Dataset…" on a CSV, JSONL, text or Markdown file, or a folder of text files.' });
      return;
    }
    const { session: ws, shown } = toWebviewSession(session);
    this.shown = shown;
    this.shownSessionId = session.id;
    const position = selectedItem !== undefined ? shown.indexOf(selectedItem) : -1;
    this.post({ type: 'session', session: ws, selected: position >= 0 ? position : undefined });
  }

  private async onSelection(s: Selection): Promise<void> {
    const session = this.deps.store.get(s.sessionId);
    if (!session) return;
    // A cluster is shown through its most typical member (highest evidence).
    // Posts reach a live page only: a hidden panel gets this selection at its next `ready`.
    if (this.ready && this.panel.visible) this.shownSelection = s;
    const index = s.item ?? (s.cluster !== undefined ? mostTypicalMember(session, s.cluster) : undefined);
    if (s.sessionId !== this.shownSessionId) this.sendSession(index);
    if (index !== undefined) await this.sendItem(session, index);
    // Explain Cluster asked for a cluster: bring it into view (the panel may be scrolled anywhere).
    if (s.cluster !== undefined && s.item === undefined) this.post({ type: 'revealCluster', cluster: s.cluster });
  }

  /** The dataset whose session the panel shows (its buttons and clicks act on it). */
  get shownSession(): Session | undefined {
    return this.shownSessionId !== undefined ? this.deps.store.get(this.shownSessionId) : undefined;
  }

  /** The editor column the panel is in. */
  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  /** Handles a message from the webview (public so tests can play the webview's part). */
  async receive(m: WebviewToHost): Promise<void> {
    // Clicks and buttons act on the dataset the panel shows, not on whichever file is active.
    const session = this.shownSession ?? this.deps.store.active;
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const selection = this.deps.store.selection;
        if (selection && session && selection.sessionId === session.id && selection !== this.shownSelection) {
          this.shownSessionId = undefined; // a reloaded webview has nothing: resend the session
          await this.onSelection(selection);
        } else {
          this.sendSession();
        }
        if (this.focusPending) {
          this.focusPending = false;
          this.post({ type: 'focus' });
        }
        return;
      }
      case 'selectItem':
        if (session) await this.sendItem(session, this.datasetIndex(m.index));
        return;
      case 'openItem':
        if (session) await openItem(session, this.datasetIndex(m.index), false).catch((e) => this.deps.notifier.error(e));
        return;
      case 'selectCluster':
        if (session) this.deps.store.select({ sessionId: session.id, cluster: m.cluster, origin: 'panel' });
        return;
      case 'command': {
        const target = (m.sessionId !== undefined ? this.deps.store.get(m.sessionId) : undefined) ?? session;
        const node = target ? { kind: 'dataset' as const, sessionId: target.id } : undefined;
        if (m.command === 'cluster' && !target) await vscode.commands.executeCommand('neon.clusterDataset');
        else if (m.command === 'cluster' || m.command === 'recluster') await vscode.commands.executeCommand('neon.reclusterDataset', node);
        else if (m.command === 'export') await vscode.commands.executeCommand('neon.exportExplanations', node);
        else await vscode.commands.executeCommand('neon.saveModel', node);
        return;
      }
    }
  }

  /** Webview index (position among the points sent) -> dataset index. */
  private datasetIndex(shownIndex: number): number {
    return this.shown[shownIndex] ?? shownIndex;
  }

  private async sendItem(session: Session, index: number): Promise<void> {
    try {
      const item = await this.deps.engine.explainItem(session, index);
      let text: string | undefined;
      const ds = session.result.dataset;
      if (ds.kind === 'text') {
        const ref = ds.documents[index];
        // The file's text, or the document's own (a Parquet text column's cell: documentText.ts).
        if (ref) text = await documentSourceText(ref, (file) => readText(session.lookup.uriOfPath(file)));
      }
      // The webview indexes items by position among the points it was sent (-1: not on the map).
      const shownIndex = this.shownSessionId === session.id ? this.shown.indexOf(index) : -1;
      this.post({ type: 'item', item: toWebviewItem(session, item, shownIndex, text) });
    } catch (e) {
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The open document's text when it is open (what the user sees), else the file's. */
async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isDirty);
  if (open) return open.getText();
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

export function mostTypicalMember(session: Session, cluster: number): number | undefined {
  const { assignments, evidence } = session.result;
  let best: number | undefined;
  for (let i = 0; i < assignments.length; i++) {
    if (assignments[i] === cluster && (best === undefined || evidence[i]! > evidence[best]!)) best = i;
  }
  return best;
}

export function registerClusterPanel(deps: PanelDeps): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(ClusterPanel.viewType, {
    deserializeWebviewPanel: async (panel) => ClusterPanel.revive(panel, deps),
  });
}
