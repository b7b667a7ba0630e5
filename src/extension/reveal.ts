/**
 * Opens a row (its line) or a document (its range) of a session in an editor — in the editor
 * group beside the clusters panel, never on top of it: the group that already shows the file
 * (its editor is reused), else the group the user last edited in, else a new group beside the
 * panel. Without an open panel, the active group as usual. An item with no place in a text file
 * (panelOnly) cannot be shown in an editor: the panel shows the selected item instead.
 */
import * as vscode from 'vscode';
import { inFileText } from '../engine/data/documentText';
import { hasSourceLines } from '../engine/data/tableReader';
import type { Session } from './session';

/** The panel's webview type (ClusterPanel.viewType); tabs carry it with a prefix. */
const PANEL_VIEW_TYPE = 'neon.clusterPanel';

/**
 * Whether item `index` has no place in a text file an editor could open: a row of a binary table
 * (Parquet: no lines) or a document that holds its text (a Parquet text column: no offsets,
 * engine data/documentText.ts). The panel shows it (values and relevances, or its text with its
 * words highlighted), and no editor decorates it.
 */
export function panelOnly(session: Session, index: number): boolean {
  const ds = session.result.dataset;
  if (ds.kind === 'table') return !hasSourceLines(ds);
  const ref = ds.documents[index];
  return ref !== undefined && !inFileText(ref);
}

export async function openItem(session: Session, index: number, preserveFocus = false): Promise<vscode.TextEditor | undefined> {
  const ds = session.result.dataset;
  if (panelOnly(session, index)) {
    await vscode.commands.executeCommand('neon.showPanel', session.id);
    return undefined;
  }
  if (ds.kind === 'table') {
    const line = ds.rowLine[index];
    if (line === undefined) return undefined;
    const uri = session.lookup.uriOfPath(session.localPath);
    const doc = await vscode.workspace.openTextDocument(uri);
    const target = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
    const range = doc.lineAt(target).range;
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: itemColumn(uri), selection: new vscode.Range(range.start, range.start), preserveFocus, preview: true });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  }
  const ref = ds.documents[index];
  if (!ref) return undefined;
  const uri = session.lookup.uriOfPath(ref.path);
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = new vscode.Range(doc.positionAt(ref.start), doc.positionAt(ref.end));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: itemColumn(uri), selection: new vscode.Range(range.start, range.start), preserveFocus, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

/**
 * Resolves once the workbench lists the clusters panel's tab (at most `timeoutMs`). A panel just
 * created is not in `tabGroups` yet: an item opened before that would go to the active group —
 * the panel's own — and cover it.
 */
export async function panelTabShown(timeoutMs = 2_000): Promise<void> {
  const shown = () => vscode.window.tabGroups.all.some((g) => g.tabs.some(isPanelTab));
  if (shown()) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const listener = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (shown()) done();
    });
    const timer = setTimeout(done, timeoutMs);
  });
}

/** The editor column that holds the clusters panel's tab (shown or not), if any. */
export function panelColumn(): vscode.ViewColumn | undefined {
  return vscode.window.tabGroups.all.find((g) => g.tabs.some(isPanelTab))?.viewColumn;
}

function isPanelTab(tab: vscode.Tab): boolean {
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(PANEL_VIEW_TYPE);
}

function showsFile(tab: vscode.Tab, uri: vscode.Uri): boolean {
  return tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString();
}

/**
 * The editor column for an item of `uri`: beside the panel (see the module comment). Exported
 * for the extension-host tests.
 */
export function itemColumn(uri: vscode.Uri): vscode.ViewColumn | undefined {
  const groups = vscode.window.tabGroups.all;
  const panelGroup = groups.find((g) => g.tabs.some(isPanelTab));
  if (!panelGroup) return undefined;
  const others = groups.filter((g) => g !== panelGroup);
  const withFile = others.find((g) => g.tabs.some((t) => showsFile(t, uri)));
  if (withFile) return withFile.viewColumn;
  const lastEdited = vscode.window.activeTextEditor?.viewColumn;
  const editing = others.find((g) => g.viewColumn === lastEdited) ?? others.find((g) => g.tabs.length > 0) ?? others[0];
  if (editing) return editing.viewColumn;
  // Only the panel's group exists: open a group to its side (left of it would move the panel).
  return panelGroup.viewColumn + 1;
}
