/**
 * NEON: Cluster Dataset… (the explorer's file/folder, else the active editor's file, else a file
 * picked in a dialog), NEON: Re-cluster… and NEON: Remove Dataset (a dataset of the tree or the
 * panel; from the palette the active editor's dataset, else the one shown last). A run asks the
 * dataset's questions first (clusterInput.ts), remembers the answers for that dataset, stores
 * the fitted model so a reload brings it back exactly, and ends with a notification that says
 * what was clustered: how many of how many rows, the label column, and the columns that were
 * dropped or converted.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetInspection } from '../../engine/data/inspectDataset';
import type { LoadedModel } from '../../protocol/worker';
import { defaultChoices, reconcile, userSetK, type DatasetChoices } from '../choices';
import { isCancelled } from '../../engine/errors';
import { TABLE_EXTENSIONS, TEXT_EXTENSIONS } from '../dataSource';
import { jobLostRecords, jobSummary } from '../jobMessages';
import type { Session } from '../session';
import { readClusterSettings } from '../settings';
import type { TreeNode } from '../views/clusterTree';
import { askChoices } from './clusterInput';
import { paletteDataset, type CommandDeps } from './context';

/** Options of the command for scripts and tests: answers given (no input), or no questions at all. */
export interface ClusterOptions {
  /** Answers to use instead of asking (missing ones: remembered, else defaults). */
  readonly choices?: Partial<DatasetChoices>;
  /** false: use the remembered / default answers without asking. */
  readonly ask?: boolean;
}

export function registerClusterDataset(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('neon.clusterDataset', async (arg?: unknown, options?: ClusterOptions) => {
      const uri = await datasetTarget(arg);
      if (!uri) return undefined;
      return clusterUri(deps, uri, options);
    }),
    vscode.commands.registerCommand('neon.reclusterDataset', async (arg?: TreeNode | vscode.Uri, options?: ClusterOptions) => {
      // From the palette: the active editor's dataset, else the one shown last (paletteDataset).
      const session = arg instanceof vscode.Uri ? deps.store.all().find((s) => s.uri.toString() === arg.toString()) : arg ? deps.store.get(arg.sessionId) : paletteDataset(deps);
      const uri = session?.uri ?? (arg instanceof vscode.Uri ? arg : undefined);
      if (!uri) {
        deps.notifier.info('Cluster a dataset first (NEON: Cluster Dataset…).');
        return undefined;
      }
      return clusterUri(deps, uri, options);
    }),
    vscode.commands.registerCommand('neon.removeDataset', async (arg?: TreeNode | vscode.Uri) => {
      const session = arg instanceof vscode.Uri ? deps.store.all().find((s) => s.uri.toString() === arg.toString()) : arg ? deps.store.get(arg.sessionId) : paletteDataset(deps);
      if (!session) return false;
      deps.store.remove(session.id);
      await deps.engine.drop(session).catch((e) => deps.notifier.log(e));
      return true;
    }),
  ];
}

/**
 * Clusters `uri` (or explains it with a loaded model): inspects its columns in the worker, asks
 * the dataset's questions unless told not to, fits, remembers the answers and stores the result.
 * Resolves to the session, or undefined when dismissed or failed (the failure is shown).
 */
export async function clusterUri(deps: CommandDeps, uri: vscode.Uri, options: ClusterOptions & { model?: LoadedModel; modelFile?: string } = {}): Promise<Session | undefined> {
  const name = path.posix.basename(uri.path) || uri.toString();
  let inspection: DatasetInspection;
  try {
    inspection = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `NEON: reading the columns of ${name}` }, () => deps.engine.inspect(uri));
  } catch (e) {
    deps.notifier.error(e, name);
    return undefined;
  }
  const settings = readClusterSettings(uri);
  const defaults = defaultChoices(inspection, settings, userSetK(uri));
  const remembered = deps.choices.get(uri);
  let choices = remembered ? reconcile(remembered, inspection, defaults) : defaults;
  if (options.model) {
    // A loaded model fixes the features, k and the kind; only the label (for purity) is ours.
    choices = { ...choices, ...options.choices, model: options.model.model.kind, k: options.model.model.k, excludeColumns: [] };
  } else if (options.choices) {
    choices = { ...choices, ...options.choices };
  } else if (options.ask !== false) {
    const asked = await askChoices(name, inspection, choices);
    if (!asked) return undefined;
    choices = asked;
  }
  await deps.choices.set(uri, choices);
  try {
    const session = await deps.engine.fit(uri, { choices, ...(options.model ? { model: options.model } : {}), ...(options.modelFile !== undefined ? { modelFile: options.modelFile } : {}) });
    void deps.results.save(session);
    // A warning when records of the file were skipped on reading (trial7 D1), else information.
    void deps.notifier.jobDone(jobSummary(session), jobLostRecords(session), 'Show Panel').then((choice) => choice && vscode.commands.executeCommand('neon.showPanel', session.id));
    return session;
  } catch (e) {
    if (isCancelled(e)) {
      // Say what the user has now: the earlier result of this dataset, or nothing changed.
      const earlier = deps.store.all().some((s) => s.uri.toString() === uri.toString());
      const message = `Clustering ${name} cancelled — ${earlier ? 'the earlier result is kept' : 'nothing was changed'}.`;
      deps.notifier.info(message);
      vscode.window.setStatusBarMessage(`$(circle-slash) NEON: ${message}`, 10_000);
      return undefined;
    }
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
    canSelectFolders: true,
    filters: { 'Tables and text': [...TABLE_EXTENSIONS, ...TEXT_EXTENSIONS].map((e) => e.slice(1)), 'All files': ['*'] },
  });
  return picked?.[0];
}

export function isDataFile(uri: vscode.Uri): boolean {
  const ext = path.posix.extname(uri.path).toLowerCase();
  return TABLE_EXTENSIONS.includes(ext) || TEXT_EXTENSIONS.includes(ext);
}
