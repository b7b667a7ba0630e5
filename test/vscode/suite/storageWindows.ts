// What the storage suites (storageIndex, twoWindows) share: files dated before the test's windows
// started, and a window that restores from an index, cleans its storage folder up and closes.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { Notifier } from '../../../src/extension/notify';
import { ResultStore } from '../../../src/extension/persistence';
import { SessionStore } from '../../../src/extension/session';
import type { DatasetIndex } from '../../../src/extension/storageIndex';

/** A file last written an hour ago (before any window of the test started). */
export function oldFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{}');
  const hourAgo = new Date(Date.now() - 3_600_000);
  fs.utimesSync(file, hourAgo, hourAgo);
}

/**
 * A window on `index` (models in `results`, every-row files in `rows`) that restores (nothing
 * that needs the engine: its datasets' files must not exist), cleans up, and closes (its lease released).
 */
export async function windowRestoresAndCloses(index: DatasetIndex, results: string, rows: string, id: string): Promise<void> {
  const store = new SessionStore();
  const window = new ResultStore(index, vscode.Uri.file(results), store, undefined as never, new Notifier(), vscode.Uri.file(rows), id);
  try {
    await window.restoreAll();
    await window.idle();
  } finally {
    window.dispose();
    store.dispose();
    await window.idle(); // its lease released
  }
}
