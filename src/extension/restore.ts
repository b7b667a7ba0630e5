/**
 * Clusters survive a window reload. The datasets clustered in this workspace are remembered
 * (workspaceState) and, when the extension next activates, clustered again in the worker with
 * a window progress instead of a notification: the same settings and seed give the same
 * clusters, so the tree, highlights and panel come back as they were.
 *
 * Left out on purpose: sessions explained with a loaded model (that needs the model file
 * again), non-file URIs, files that are gone, and files over RESTORE_MAX_BYTES, whose
 * clustering would compete with the user's work at start-up (they stay one command away).
 */
import * as vscode from 'vscode';
import type { Engine } from './engine';
import type { SessionStore } from './session';

const KEY = 'neonClusterExplorer.clusteredDatasets';
export const RESTORE_MAX_BYTES = 50 * 1024 * 1024;
const MAX_REMEMBERED = 10;

export function registerSessionRestore(state: vscode.Memento, store: SessionStore, engine: Engine): vscode.Disposable {
  const remembered = state.get<string[]>(KEY, []);
  let restoring = remembered.length > 0;
  const listener = store.onDidChangeSessions(() => {
    // While restoring, the list being restored is the truth; afterwards, what the store holds.
    if (restoring) return;
    const uris = store
      .all()
      .filter((s) => s.uri.scheme === 'file' && s.spec.model === undefined)
      .map((s) => s.uri.toString())
      .slice(-MAX_REMEMBERED);
    void state.update(KEY, uris);
  });
  if (restoring) {
    void restore(remembered, engine).finally(() => {
      restoring = false;
    });
  }
  return listener;
}

async function restore(uris: readonly string[], engine: Engine): Promise<void> {
  for (const text of uris) {
    const uri = vscode.Uri.parse(text);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type === vscode.FileType.File && stat.size > RESTORE_MAX_BYTES) continue;
      await engine.fit(uri, { quiet: true });
    } catch {
      // Gone, unreadable or no longer valid with today's settings: the user re-clusters by hand
      // and sees the message then; a start-up must not raise errors about yesterday's files.
    }
  }
}
