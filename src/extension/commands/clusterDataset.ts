/**
 * NEON: Cluster Dataset… — on the explorer's file/folder, else the active editor's file,
 * else a file picked in a dialog. Settings decide everything else (no extra questions).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TABLE_EXTENSIONS, TEXT_EXTENSIONS } from '../dataSource';
import type { LoadedModel } from '../../protocol/worker';
import { plain } from '../editor/format';
import type { Session } from '../session';
import type { CommandDeps } from './context';

export function registerClusterDataset(deps: CommandDeps): vscode.Disposable {
  return vscode.commands.registerCommand('neon.clusterDataset', async (arg?: unknown) => {
    const uri = await datasetTarget(arg);
    if (!uri) return undefined;
    return clusterUri(deps, uri);
  });
}

/** Fits `uri` (optionally with a loaded model) and reports the outcome; undefined on failure. */
export async function clusterUri(deps: CommandDeps, uri: vscode.Uri, model?: LoadedModel): Promise<Session | undefined> {
  const name = path.posix.basename(uri.path);
  try {
    const session = await deps.engine.fit(uri, { model });
    const r = session.result;
    const kNote = r.kSuggestion ? ` (k chosen by silhouette ${plain(r.kSuggestion.scores.find((s) => s.k === r.model.k)?.silhouette ?? NaN, 2)})` : '';
    void vscode.window
      .showInformationMessage(`NEON: ${name}: ${r.model.k} clusters of ${r.dataset.rows} ${r.dataset.kind === 'table' ? 'rows' : 'documents'}${kNote}.`, 'Show Panel')
      .then((choice) => choice && vscode.commands.executeCommand('neon.showPanel'));
    return session;
  } catch (e) {
    deps.notifier.error(e, name);
    return undefined;
  }
}

async function datasetTarget(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document;
  if (active && !active.isUntitled && isDataFile(active.uri)) return active.uri;
  const picked = await vscode.window.showOpenDialog({
    title: 'NEON: Cluster Dataset…',
    openLabel: 'Cluster',
    canSelectMany: false,
    filters: { 'Tables and text': [...TABLE_EXTENSIONS, ...TEXT_EXTENSIONS].map((e) => e.slice(1)), 'All files': ['*'] },
  });
  return picked?.[0];
}

export function isDataFile(uri: vscode.Uri): boolean {
  const ext = path.posix.extname(uri.path).toLowerCase();
  return TABLE_EXTENSIONS.includes(ext) || TEXT_EXTENSIONS.includes(ext);
}
