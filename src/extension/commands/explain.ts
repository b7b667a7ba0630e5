/**
 * NEON: Explain Cluster (pick a cluster of the active dataset: reveal it in the tree, show
 * it in the panel, colour its most typical member) and NEON: Explain This Document (the
 * active document's / row's assignment, stored for corpus members, computed with the most
 * recent text model for any other text).
 */
import { count } from '../locale';
import * as vscode from 'vscode';
import { plain, signed } from '../editor/format';
import { decoratedWindow } from '../editor/visible';
import { ClusterPanel, mostTypicalMember } from '../panel/clusterPanel';
import { openItem, panelTabShown } from '../reveal';
import { clusterUri, isDataFile } from './clusterDataset';
import { rowRecordAtLine } from '../editor/rowViews';
import { clusterName, documentAtCursor } from '../session';
import type { Session } from '../session';
import type { TreeNode } from '../views/clusterTree';
import type { CommandDeps } from './context';

interface ClusterPick extends vscode.QuickPickItem {
  readonly cluster?: number;
  readonly explainDocument?: true;
}

export function registerExplainCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('neon.explainCluster', (arg?: TreeNode | number) => explainCluster(deps, arg)),
    vscode.commands.registerCommand('neon.explainDocument', () => explainDocument(deps)),
  ];
}

async function explainCluster(deps: CommandDeps, arg?: TreeNode | number): Promise<void> {
  let session = typeof arg === 'object' ? deps.store.get(arg.sessionId) : typeof arg === 'number' ? deps.store.active : await datasetToExplain(deps);
  if (session === null) return; // the user dismissed the dataset picker
  if (!session) {
    // The palette's first entry point: with nothing clustered yet, cluster the dataset the user
    // is looking at (then pick its cluster), or say what to do.
    const active = vscode.window.activeTextEditor?.document;
    if (active && !active.isUntitled && isDataFile(active.uri)) session = await clusterUri(deps, active.uri);
    else if ((await vscode.window.showInformationMessage('NEON: nothing is clustered yet. Cluster a dataset first.', 'Cluster Dataset…')) !== undefined) {
      await vscode.commands.executeCommand('neon.clusterDataset');
    }
    if (!session) return;
  }
  let cluster: number | undefined = typeof arg === 'number' ? arg : arg?.kind === 'cluster' ? arg.cluster : undefined;
  if (cluster === undefined) {
    const picks: ClusterPick[] = session.result.clusters.map((c) => ({
      label: `${clusterName(c.index)} — ${c.label}`,
      description: `${count(c.size)} members · mean evidence ${plain(c.meanEvidence)}${c.purity !== undefined ? ` · purity ${plain(c.purity, 2)}` : ''}`,
      // Sorted by the score shown (the top list may be ranked by another criterion).
      detail: [...c.top.slice(0, 5)].sort((a, b) => b.relevance - a.relevance).map((f) => `${f.name} ${signed(f.relevance)}`).join(' · '),
      cluster: c.index,
    }));
    // The active document's own cluster comes first.
    const own = ownCluster(deps, session);
    if (own !== undefined) {
      const at = picks.findIndex((p) => p.cluster === own);
      if (at > 0) picks.unshift(...picks.splice(at, 1));
      if (at >= 0) picks[0] = { ...picks[0]!, description: `this document's cluster · ${picks[0]!.description ?? ''}` };
    }
    if (vscode.window.activeTextEditor) {
      picks.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
      picks.push({ label: "$(file-text) Explain the current document's assignment", explainDocument: true });
    }
    const picked = await vscode.window.showQuickPick(picks, { title: `NEON: Explain Cluster — ${session.title}`, matchOnDetail: true, placeHolder: 'Pick a cluster' });
    if (!picked) return;
    if (picked.explainDocument) return explainDocument(deps);
    cluster = picked.cluster;
  }
  if (cluster === undefined) return;
  ClusterPanel.createOrShow(deps.panel);
  deps.store.select({ sessionId: session.id, cluster, origin: 'command' });
  // Show the cluster's most typical member, decorated, unless the dataset is already on screen
  // (then its decorations follow the selection and the user's editor stays put).
  const onScreen = vscode.window.visibleTextEditors.some((e) => deps.store.findByDocument(e.document.uri)?.session.id === session.id);
  const typical = mostTypicalMember(session, cluster);
  if (typical !== undefined && !onScreen) {
    await panelTabShown();
    await openItem(session, typical, true).catch((e) => deps.notifier.error(e));
  }
}

interface DatasetPick extends vscode.QuickPickItem {
  readonly session: Session;
}

/**
 * The dataset the palette's Explain Cluster acts on: the active editor's dataset when it has
 * results; else the only clustered dataset; else the user picks one of the clustered datasets
 * (the most recent first). undefined: nothing is clustered; null: the user dismissed the pick.
 */
async function datasetToExplain(deps: CommandDeps): Promise<Session | undefined | null> {
  const editor = vscode.window.activeTextEditor;
  const own = editor ? deps.store.findByDocument(editor.document.uri)?.session : undefined;
  if (own) return own;
  const sessions = [...deps.store.all()].reverse();
  if (sessions.length <= 1) return sessions[0];
  const activeName = editor && !editor.document.isUntitled ? vscode.workspace.asRelativePath(editor.document.uri) : undefined;
  const picked = await vscode.window.showQuickPick<DatasetPick>(
    sessions.map((s) => ({ label: s.title, description: `${s.result.clusters.length} clusters · ${s.spec.settings.model}`, session: s })),
    {
      title: 'NEON: Explain Cluster — which dataset?',
      placeHolder: activeName ? `${activeName} has no clusters: pick a clustered dataset` : 'Pick a clustered dataset',
    },
  );
  return picked ? picked.session : null;
}

async function explainDocument(deps: CommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    deps.notifier.info('Open a document to explain.');
    return;
  }
  const doc = editor.document;
  const found = deps.store.findByDocument(doc.uri);
  if (found) {
    const index = memberAtCursor(found.session, found.path, editor);
    if (index === undefined) {
      deps.notifier.info(found.session.result.dataset.kind === 'table' ? 'Put the cursor on a data row.' : 'Put the cursor inside a document of the corpus.');
      return;
    }
    const cluster = found.session.result.assignments[index]!;
    ClusterPanel.createOrShow(deps.panel);
    deps.store.select({ sessionId: found.session.id, cluster, item: index, origin: 'command' });
    return;
  }
  const session = deps.store.latestText;
  if (!session) {
    deps.notifier.info('Cluster a text corpus first (JSONL, text, Markdown or a folder): its model explains other documents.');
    return;
  }
  try {
    const window = decoratedWindow(editor);
    const text = doc.getText(new vscode.Range(doc.positionAt(window.start), doc.positionAt(window.end)));
    const version = doc.version;
    const explanation = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'NEON: explaining' },
      () => deps.engine.explainText(session, text),
    );
    deps.store.setTextExplanation({ uri: doc.uri.toString(), version, sessionId: session.id, offsetBase: window.start, length: text.length, explanation });
    const c = explanation.cluster;
    const unknown = explanation.unknownWords > 0 ? ` ${explanation.unknownWords} words are not in the model's vocabulary.` : '';
    // No usable word: in no cluster (text helper, issue 8 case 06).
    if (explanation.noUsableWords) {
      deps.notifier.info(`${vscode.workspace.asRelativePath(doc.uri)} has no word of ${session.title}'s vocabulary: it is in no cluster.${unknown}`);
      return;
    }
    deps.notifier.info(
      `${vscode.workspace.asRelativePath(doc.uri)} would be in ${clusterName(c)} — ${session.result.clusters[c]?.label ?? ''} of ${session.title} (evidence ${plain(explanation.evidence)}).${unknown}`,
    );
  } catch (e) {
    deps.notifier.error(e, vscode.workspace.asRelativePath(doc.uri));
  }
}

function memberAtCursor(session: Session, path: string, editor: vscode.TextEditor): number | undefined {
  const ds = session.result.dataset;
  // Any line of a row's record (a quoted line break continues it); only rows held in memory have an index.
  if (ds.kind === 'table') return rowRecordAtLine(session, editor.document, editor.selection.active.line)?.row.inMemory;
  return documentAtCursor(session, path, editor.document, editor.selection.active);
}

/** Cluster of the active editor's row / document when it belongs to `session`. */
function ownCluster(deps: CommandDeps, session: Session): number | undefined {
  const editor = vscode.window.activeTextEditor;
  const found = editor && deps.store.findByDocument(editor.document.uri);
  if (!editor || !found || found.session.id !== session.id) return undefined;
  const index = memberAtCursor(session, found.path, editor);
  return index !== undefined ? session.result.assignments[index] : undefined;
}
