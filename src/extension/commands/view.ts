/** NEON: Show Clusters Panel, NEON: Clear Highlights, and the tree's internal open command. */
import * as vscode from 'vscode';
import { ClusterPanel } from '../panel/clusterPanel';
import { openItem } from '../reveal';
import type { CommandDeps } from './context';

export function registerViewCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    // `sessionId`: the dataset to show (a job's notification, a Parquet row, a large file's
    // status). From the palette or the status bar: the active editor's dataset, as Explain
    // Cluster and Export… choose it — else the one selected or clustered last.
    vscode.commands.registerCommand('neon.showPanel', (sessionId?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const id = typeof sessionId === 'string' ? sessionId : editor && deps.store.findByDocument(editor.document.uri)?.session.id;
      if (id !== undefined) deps.store.setActive(id);
      ClusterPanel.createOrShow(deps.panel, true);
    }),
    vscode.commands.registerCommand('neon.clearHighlights', () => {
      deps.store.setHighlightsVisible(false);
    }),
    // Not contributed (no palette entry): tree members and the panel open items through it.
    vscode.commands.registerCommand('neon.openItem', async (sessionId: string, index: number) => {
      const session = deps.store.get(sessionId);
      if (!session) return;
      deps.store.select({ sessionId, cluster: session.result.assignments[index], item: index, origin: 'tree' });
      await openItem(session, index).catch((e) => deps.notifier.error(e));
    }),
  ];
}
