/**
 * A dataset whose file (or folder) is deleted from the workspace leaves the tree, the pickers and
 * the extension's storage at once, with a message — not only at the next window reload. A file
 * that is back a moment later (an atomic save: delete, then rename) is not a deletion.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Engine } from './engine';
import type { Notifier } from './notify';
import type { SessionStore } from './session';

/** How long a deleted file may take to come back before its dataset is removed. */
const SETTLE_MS = 1_000;

export class DeletedDatasets implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly store: SessionStore,
    private readonly engine: Engine,
    private readonly notifier: Notifier,
  ) {
    this.listener = this.watcher.onDidDelete((uri) => void this.deleted(uri));
  }

  dispose(): void {
    this.listener.dispose();
    this.watcher.dispose();
  }

  private async deleted(uri: vscode.Uri): Promise<void> {
    // The deleted path itself, or a folder that held the dataset.
    const inside = (s: vscode.Uri) => s.scheme === uri.scheme && (s.path === uri.path || s.path.startsWith(uri.path.replace(/\/$/, '') + '/'));
    const hit = this.store.all().filter((s) => inside(s.uri));
    if (hit.length === 0) return;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    for (const session of hit) {
      const back = await Promise.resolve(vscode.workspace.fs.stat(session.uri)).then(() => true, () => false);
      if (back || this.store.get(session.id) !== session) continue;
      this.store.remove(session.id);
      await this.engine.drop(session).catch((e) => this.notifier.log(e));
      this.notifier.info(`${path.posix.basename(session.uri.path)} was deleted: its clusters are removed from the tree and the stored results deleted.`);
    }
  }
}
