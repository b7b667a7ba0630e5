/**
 * A clustered file that NEON read as Windows-1252 (the reader's note: "not valid UTF-8: read as
 * Windows-1252") opens in VS Code as UTF-8 by default, so its ä, ö, € show as �: the user sees a
 * garbled file next to a hover that says "Möbel". When such an editor becomes visible, say once
 * per file and window how to see the file as NEON reads it (Change File Encoding → Reopen with
 * Encoding → Western (Windows 1252)). Highlights and hovers line up either way: each byte is one character in both.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { SessionStore } from '../session';

/** The replacement character VS Code shows for bytes that are not UTF-8. */
const REPLACEMENT = '\uFFFD';
/** Enough of a document to find a mis-decoded character (the reader notes the first one anyway). */
const SCAN_CHARS = 1_000_000;

export class EncodingNotice extends Disposable {
  private readonly told = new Set<string>();
  /** Messages shown (for the extension-host tests). */
  readonly shown: string[] = [];

  constructor(private readonly store: SessionStore) {
    super();
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.check()));
    this.register(store.onDidChangeSessions(() => this.check()));
    this.check();
  }

  private check(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const doc = editor.document;
      const found = this.store.findByDocument(doc.uri);
      if (!found) continue;
      const r = found.session.result;
      if (![...r.dataset.notes, ...r.notes].some((n) => /read as Windows-1252/.test(n))) continue;
      const key = `${doc.uri.toString()}\u0000${found.session.id}`;
      if (this.told.has(key) || !doc.getText().slice(0, SCAN_CHARS).includes(REPLACEMENT)) continue;
      this.told.add(key);
      const name = path.posix.basename(doc.uri.path);
      const message = `NEON: ${name} is not UTF-8: NEON read it as Windows-1252 (Latin-1), but the editor shows it as UTF-8, so letters like ä, ö, € appear as ${REPLACEMENT}. Reopen with Encoding → "Western (Windows 1252)" (VS Code's Change File Encoding) shows it as NEON reads it; highlights and hovers match either way.`;
      this.shown.push(message);
      void vscode.window.showInformationMessage(message, 'Reopen with Encoding').then(async (picked) => {
        if (!picked) return;
        await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false });
        // VS Code's own picker: "Reopen with Encoding", then the encoding.
        await vscode.commands.executeCommand('workbench.action.editor.changeEncoding');
      });
    }
  }
}
