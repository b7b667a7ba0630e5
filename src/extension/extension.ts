/**
 * Entry point: builds the one session store and the one (lazy) engine worker, then
 * registers each feature. Every disposable goes into context.subscriptions.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { ChoiceStore } from './choices';
import { registerClusterDataset } from './commands/clusterDataset';
import type { CommandDeps } from './commands/context';
import { registerExplainCommands } from './commands/explain';
import { registerFileCommands } from './commands/files';
import { registerViewCommands } from './commands/view';
import { CsvHighlights } from './editor/csvHighlights';
import { DecorationBank } from './editor/decorations';
import { RelevanceHoverProvider } from './editor/hover';
import { TextHighlights } from './editor/textHighlights';
import { Engine } from './engine';
import { Notifier } from './notify';
import { registerClusterPanel } from './panel/clusterPanel';
import { EncodingNotice } from './editor/encodingNotice';
import { LargeFileNotice } from './editor/largeFiles';
import { DeletedDatasets } from './deletedDatasets';
import { ResultStore } from './persistence';
import { StorageIndex, type DatasetIndex } from './storageIndex';
import { storagePlace } from './storagePlace';
import { WindowStateIndex } from './windowStateIndex';
import { SessionStore } from './session';
import { workerMemoryMb } from './settings';
import { createTestApi } from './testApi';
import type { NeonTestApi } from './testApi';
import { registerClusterTree } from './views/clusterTree';
import { ClusterStatusBar } from './views/statusBar';
import { WorkerClient } from './workerClient';

/** Releases the window's storage lease (persistence.ts); deactivate waits for it. */
let closeResults: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): NeonTestApi {
  const sub = (...d: vscode.Disposable[]) => context.subscriptions.push(...d);
  const store = new SessionStore();
  const client = new WorkerClient({
    scriptPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath,
    maxOldGenerationSizeMb: workerMemoryMb,
  });
  const notifier = new Notifier();
  const place = storagePlace(context.storageUri, context.globalStorageUri);
  const storage = place.folder;
  const rowsFolder = vscode.Uri.joinPath(storage, 'rows');
  const engine = new Engine(client, store, rowsFolder.fsPath);
  const bank = new DecorationBank();
  sub(store, client, engine, bank);

  // Fitted models of this workspace (a window without a folder keeps them in global storage).
  const resultsFolder = vscode.Uri.joinPath(storage, 'results');
  // Their index and the remembered answers: a file next to them, on the extension host's machine
  // (workspaceState is the browser's storage in a web workbench; an index there is moved here once).
  // A window without a folder keeps its own index in its workspaceState (storagePlace.ts).
  const indexFile = vscode.Uri.joinPath(storage, 'datasets.json').fsPath;
  const index: DatasetIndex =
    place.index === 'file'
      ? new StorageIndex(
          indexFile,
          context.workspaceState,
          (file) => existsSync(vscode.Uri.joinPath(resultsFolder, file).fsPath),
          (e) => notifier.log(e),
          (message) => notifier.warn(message),
        )
      : new WindowStateIndex(context.workspaceState, (e) => notifier.log(e));
  const results = new ResultStore(index, resultsFolder, store, engine, notifier, rowsFolder);
  const choices = new ChoiceStore(index);
  sub(results, new DeletedDatasets(store, engine, notifier));
  closeResults = () => results.close();

  const panel = { extensionUri: context.extensionUri, store, engine, notifier };
  const deps: CommandDeps = { context, store, engine, notifier, panel, choices, results };
  sub(...registerClusterDataset(deps), ...registerExplainCommands(deps), ...registerFileCommands(deps), ...registerViewCommands(deps));
  sub(registerClusterPanel(panel));

  const tree = registerClusterTree(store);
  sub(...tree.disposables);
  sub(new ClusterStatusBar(store));
  sub(new TextHighlights(store, engine, bank, notifier), new CsvHighlights(store, bank));
  sub(vscode.languages.registerHoverProvider({ pattern: '**' }, new RelevanceHoverProvider(store, engine)));
  const largeFiles = new LargeFileNotice(store);
  const encodings = new EncodingNotice(store);
  sub(largeFiles, encodings);

  void results.restoreAll();

  return createTestApi(store, bank, notifier, client, tree.provider, { results, resultsFolder: resultsFolder.fsPath, indexFile, engine, choices, largeFiles, encodings });
}

export function deactivate(): Promise<void> | undefined {
  // Everything is disposed through context.subscriptions (the worker is terminated there), right
  // after this returns; VS Code then waits for the returned promise, so the window's lease file
  // is deleted before a reloading or closing window's extension host exits.
  return closeResults?.();
}
