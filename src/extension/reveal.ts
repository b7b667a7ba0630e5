import * as vscode from 'vscode';
import type { Session } from './session';

/** Opens a row (its line) or a document (its range) of a session in an editor. */
export async function openItem(session: Session, index: number, preserveFocus = false): Promise<vscode.TextEditor | undefined> {
  const ds = session.result.dataset;
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
