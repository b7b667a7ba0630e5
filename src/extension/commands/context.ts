import * as vscode from 'vscode';
import type { ChoiceStore } from '../choices';
import type { Engine } from '../engine';
import type { Notifier } from '../notify';
import type { PanelDeps } from '../panel/clusterPanel';
import type { ResultStore } from '../persistence';
import type { Session, SessionStore } from '../session';

/** What command handlers need; they talk to the store and the engine, never to views. */
export interface CommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly store: SessionStore;
  readonly engine: Engine;
  readonly notifier: Notifier;
  readonly panel: PanelDeps;
  /** The answers of the Cluster Dataset… input, per dataset. */
  readonly choices: ChoiceStore;
  /** Fitted models stored for the next window (reloads). */
  readonly results: ResultStore;
}

/**
 * The dataset a palette command acts on: the active editor's dataset when it has results, else
 * the one selected or clustered last (the store's active one). Export…, Save Model…, Re-cluster…
 * and Remove Dataset use it; Show Panel and Explain Cluster follow the same rule.
 */
export function paletteDataset(deps: Pick<CommandDeps, 'store'>): Session | undefined {
  const editor = vscode.window.activeTextEditor;
  return (editor && deps.store.findByDocument(editor.document.uri)?.session) ?? deps.store.active;
}
