import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Session } from './session';

/** Parquet (a file or a folder of part files) is binary: it has no lines to open or decorate. */
export function isBinaryTable(session: Session): boolean {
  if (session.result.dataset.kind !== 'table') return false;
  if (/\.(parquet|parq)$/i.test(session.localPath)) return true;
  try {
    return fs.statSync(session.localPath).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Opens a row (its line) or a document (its range) of a session in an editor. A binary table
 * (Parquet) cannot be shown as text: the panel shows the selected row instead.
 */
export async function openItem(session: Session, index: number, preserveFocus = false): Promise<vscode.TextEditor | undefined> {
  const ds = session.result.dataset;
  if (ds.kind === 'table' && isBinaryTable(session)) {
    await vscode.commands.executeCommand('neon.showPanel');
    return undefined;
  }
  if (ds.kind === 'table') {
    const line = ds.rowLine[index];
    if (line === undefined) return undefined;
    const doc = await vscode.workspace.openTextDocument(session.lookup.uriOfPath(session.localPath));
    const target = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
    const range = doc.lineAt(target).range;
    return vscode.window.showTextDocument(doc, { selection: new vscode.Range(range.start, range.start), preserveFocus, preview: true });
  }
  const ref = ds.documents[index];
  if (!ref) return undefined;
  const doc = await vscode.workspace.openTextDocument(session.lookup.uriOfPath(ref.path));
  const range = new vscode.Range(doc.positionAt(ref.start), doc.positionAt(ref.end));
  const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Range(range.start, range.start), preserveFocus, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
