/**
 * How failures reach the user: data problems as "NEON: <file>: line N: problem" error
 * messages, cancellations as a quiet information message, crashes with a hint. The last
 * error is kept for the extension-host tests.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isCancelled } from '../engine/errors';
import { WorkerRequestError } from './workerClient';

export class Notifier {
  lastError: string | undefined;

  /** Shows `e` to the user; `subject` (a file name) is prefixed when the message lacks it. */
  error(e: unknown, subject?: string): void {
    if (isCancelled(e)) {
      void vscode.window.showInformationMessage(`NEON: ${e.message}`);
      return;
    }
    const raw = readable(e instanceof Error ? e.message : String(e));
    const named = subject && !raw.includes(subject) ? `${subject}: ${raw}` : raw;
    const text = `NEON: ${named}`;
    this.lastError = text;
    if (e instanceof WorkerRequestError && e.kind === 'internal') {
      console.error('[neon]', e);
    }
    void vscode.window.showErrorMessage(text);
  }

  /** Background failures: logged to the extension host's console, not shown. */
  log(e: unknown): void {
    console.warn('[neon]', e instanceof Error ? e.message : String(e));
  }

  /** The notification that ended the last clustering job, for the extension-host tests. */
  lastJobMessage: { readonly severity: 'warning' | 'information'; readonly text: string } | undefined;

  /** Ends a clustering job: `summary` as a warning (records were lost on reading) or as information. */
  jobDone(summary: string, warning: boolean, ...actions: string[]): Thenable<string | undefined> {
    const text = `NEON: ${summary}`;
    this.lastJobMessage = { severity: warning ? 'warning' : 'information', text };
    return warning ? vscode.window.showWarningMessage(text, ...actions) : vscode.window.showInformationMessage(text, ...actions);
  }

  /** A warning the user should act on (also logged). */
  warn(message: string): void {
    this.log(message);
    void vscode.window.showWarningMessage(`NEON: ${message}`);
  }

  info(message: string): void {
    void vscode.window.showInformationMessage(`NEON: ${message}`);
  }
}

/**
 * Engine messages name files by absolute path ("/ws/data/x.csv, line 4: …"): show them
 * relative to the workspace, in the "file: line N: problem" form.
 */
export function readable(message: string): string {
  let out = message;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const root = folder.uri.fsPath.endsWith(path.sep) ? folder.uri.fsPath : folder.uri.fsPath + path.sep;
    const prefix = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/` : '';
    out = out.split(root).join(prefix);
  }
  return out.replace(/^([^:\n]+), line (\d+)/, '$1: line $2');
}
