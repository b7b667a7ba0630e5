/**
 * How failures reach the user: data problems as "NEON: <file>: line N: problem" error
 * messages, cancellations as a quiet information message, crashes with a hint. The last
 * error is kept for the extension-host tests.
 */
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
    const raw = e instanceof Error ? e.message : String(e);
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

  info(message: string): void {
    void vscode.window.showInformationMessage(`NEON: ${message}`);
  }
}
