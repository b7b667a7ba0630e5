import type * as vscode from 'vscode';
import type { Engine } from '../engine';
import type { Notifier } from '../notify';
import type { PanelDeps } from '../panel/clusterPanel';
import type { SessionStore } from '../session';

/** What command handlers need; they talk to the store and the engine, never to views. */
export interface CommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly store: SessionStore;
  readonly engine: Engine;
  readonly notifier: Notifier;
  readonly panel: PanelDeps;
}
