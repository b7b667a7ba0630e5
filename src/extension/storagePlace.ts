/**
 * Where a window keeps its stored results: the folder of its models (`results/`) and every-row
 * files (`rows/`), and where the index of its stored datasets lives.
 *
 * - A window with a folder (or a workspace): the workspace's storage folder, with the index in a
 *   file there (`datasets.json`, storageIndex.ts), shared by that workspace's windows.
 * - A window without a folder: VS Code gives no workspace storage folder (storageUri is
 *   undefined), so the files go to the global storage folder, which every folder-less window
 *   shares; the index stays in the window's own workspaceState (windowStateIndex.ts) so that
 *   those windows do not share one list of datasets (review 7, F7).
 *
 * No `vscode` import (the URIs are passed in), so it is tested without a window.
 */
export interface StoragePlace<U> {
  /** The storage folder: models in `results/`, every-row files in `rows/`, leases in `windows/`. */
  readonly folder: U;
  /** 'file': datasets.json in the folder; 'window': the window's workspaceState. */
  readonly index: 'file' | 'window';
}

/** `storageUri`, `globalStorageUri`: the ExtensionContext's (storageUri is undefined without a folder). */
export function storagePlace<U>(storageUri: U | undefined, globalStorageUri: U): StoragePlace<U> {
  return storageUri !== undefined ? { folder: storageUri, index: 'file' } : { folder: globalStorageUri, index: 'window' };
}
