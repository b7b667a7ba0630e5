import type * as vscode from 'vscode';
import type { ChoiceStore } from '../choices';
import type { Engine } from '../engine';
import type { Notifier } from '../notify';
import type { PanelDeps } from '../panel/clusterPanel';
import type { ResultStore } from '../persistence';
import type { SessionStore } from '../session';

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
