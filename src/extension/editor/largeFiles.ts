/**
 * Files over 50 MB: VS Code does not hand them to extensions (no TextDocument, no editor
 * events, no decorations or hovers), so a user who opens a clustered 124 MB CSV would see no
 * colours, no hover and no status, and no word why. When such a data file becomes the active
 * tab, say so once per file and window, point to the panel and the tree (which have every row),
 * and keep a status bar note while the tab is active.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TABLE_EXTENSIONS, TEXT_EXTENSIONS } from '../dataSource';
import { Disposable } from '../dispose';
import type { SessionStore } from '../session';

/** VS Code's limit for handing a file's text to extensions (the extension host's model sync). */
export const EXTENSION_FILE_LIMIT_BYTES = 50 * 1024 * 1024;

export class LargeFileNotice extends Disposable {
  private readonly told = new Set<string>();
  private readonly item = this.register(vscode.window.createStatusBarItem('neon.largeFile', vscode.StatusBarAlignment.Right, 99));
  /** Messages shown (for the extension-host tests). */
  readonly shown: string[] = [];

  constructor(private readonly store: SessionStore) {
    super();
    this.item.name = 'NEON: file too large for highlights';
    this.register(vscode.window.tabGroups.onDidChangeTabs(() => void this.check()));
    this.register(vscode.window.tabGroups.onDidChangeTabGroups(() => void this.check()));
    this.register(store.onDidChangeSessions(() => void this.check()));
    void this.check();
  }

  private async check(): Promise<void> {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const uri = input instanceof vscode.TabInputText ? input.uri : undefined;
    if (!uri || !isDataPath(uri) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
      this.item.hide();
      return;
    }
    const stat = await vscode.workspace.fs.stat(uri).then((s) => s, () => undefined);
    if (!stat || stat.size <= EXTENSION_FILE_LIMIT_BYTES) {
      this.item.hide();
      return;
    }
    const name = path.posix.basename(uri.path);
    const mb = Math.round(stat.size / (1024 * 1024));
    const dataset = this.store.findByDocument(uri)?.session;
    const clustered = dataset !== undefined;
    this.item.text = `$(info) NEON: ${name} is ${mb} MB: results in the panel`;
    this.item.tooltip = `VS Code does not give extensions the text of files over 50 MB, so NEON cannot colour, hover or show the cluster of rows in this editor. ${clustered ? 'Its clusters and every row’s explanation are in the Clusters panel and tree.' : 'Cluster it from the Explorer (right-click, Cluster Dataset…): the results show in the Clusters panel and tree.'}`;
    this.item.command = dataset ? { title: 'Show Clusters Panel', command: 'neon.showPanel', arguments: [dataset.id] } : undefined;
    this.item.show();
    const key = `${uri.toString()}\u0000${clustered}`;
    if (this.told.has(key)) return;
    this.told.add(key);
    const message = clustered
      ? `NEON: ${name} is ${mb} MB. VS Code does not hand files over 50 MB to extensions, so this editor shows no highlights, hovers or row status. Its clusters and every row's explanation are in the Clusters panel and tree.`
      : `NEON: ${name} is ${mb} MB. VS Code does not hand files over 50 MB to extensions, so NEON cannot highlight it in this editor. It can still cluster it (Cluster Dataset…): the results show in the Clusters panel and tree.`;
    this.shown.push(message);
    const action = clustered ? 'Show Panel' : 'Cluster Dataset…';
    void vscode.window.showInformationMessage(message, action).then((picked) => {
      if (picked === 'Show Panel') void vscode.commands.executeCommand('neon.showPanel', dataset?.id);
      else if (picked) void vscode.commands.executeCommand('neon.clusterDataset', uri);
    });
  }
}

function isDataPath(uri: vscode.Uri): boolean {
  const ext = path.posix.extname(uri.path).toLowerCase();
  return TABLE_EXTENSIONS.includes(ext) || TEXT_EXTENSIONS.includes(ext);
}
