// A file of a non-`file` file system (as in a virtual workspace) is copied to a temporary
// file for the worker; decorations, hovers and tree members map back to the original URI.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { Session } from '../../../src/extension/session';
import type { NeonTestApi } from '../../../src/extension/testApi';

/** Read-only in-memory file system serving one CSV. */
class OneFileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  constructor(
    private readonly name: string,
    private readonly content: Uint8Array,
  ) {}
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    if (uri.path !== `/${this.name}`) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: this.content.byteLength };
  }
  readDirectory(): [string, vscode.FileType][] {
    return [[this.name, vscode.FileType.File]];
  }
  readFile(uri: vscode.Uri): Uint8Array {
    this.stat(uri);
    return this.content;
  }
  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

suite('NEON extension on a virtual file system', function () {
  this.timeout(120_000);
  let registration: vscode.Disposable | undefined;
  suiteTeardown(() => registration?.dispose());

  test('a CSV served by a FileSystemProvider is clustered from a local copy and explained in place', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const bytes = fs.readFileSync(vscode.Uri.joinPath(folder.uri, 'samples.csv').fsPath);
    registration = vscode.workspace.registerFileSystemProvider('neontest', new OneFileSystem('virtual.csv', bytes), { isReadonly: true });
    const uri = vscode.Uri.from({ scheme: 'neontest', path: '/virtual.csv' });
    const neon = await vscode.extensions.getExtension<NeonTestApi>('neon-explorer.neon-cluster-explorer')!.activate();
    const session = await vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', uri, { ask: false });
    assert.ok(session, `clustering failed: ${neon.getState().lastError}`);
    assert.notStrictEqual(session.localPath, uri.path, 'the worker read a local copy');
    assert.ok(fs.existsSync(session.localPath));
    assert.strictEqual(session.uri.toString(), uri.toString());
    assert.strictEqual(session.result.dataset.rows, 90);

    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const ds = session.result.dataset;
    assert.strictEqual(ds.kind, 'table');
    const line = ds.rowLine[0]! - 1;
    const f1 = doc.lineAt(line).text.indexOf(',') + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, f1));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n').replace(/\\(.)/g, '$1');
    assert.ok(text.includes(`Cluster ${session.result.assignments[0]}`), text);

    // Opening a member from the tree goes to the original URI, not the temporary copy.
    await vscode.commands.executeCommand('neon.openItem', session.id, 3);
    const active = vscode.window.activeTextEditor;
    assert.strictEqual(active?.document.uri.toString(), uri.toString());
    assert.strictEqual(active.selection.active.line, ds.rowLine[3]! - 1);
  });
});
