/**
 * NEON: Export Explanations…, Save Model…, Load Model…. Files are written only where the
 * user chose in a save dialog, and never over the dataset itself.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { csvDialectFor, featureUnits, jsonHead, keyColumnNames, toCsv, toJson, type CsvDialect } from '../../engine/export/explanations';
import type { Session } from '../session';
import type { TreeNode } from '../views/clusterTree';
import { clusterUri, isDataFile } from './clusterDataset';
import { paletteDataset, type CommandDeps } from './context';

export function registerFileCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('neon.exportExplanations', (arg?: TreeNode | vscode.Uri) => exportExplanations(deps, sessionOf(deps, arg), arg instanceof vscode.Uri ? arg : undefined)),
    vscode.commands.registerCommand('neon.saveModel', (arg?: TreeNode | vscode.Uri) => saveModel(deps, sessionOf(deps, arg), arg instanceof vscode.Uri ? arg : undefined)),
    vscode.commands.registerCommand('neon.loadModel', (model?: vscode.Uri, dataset?: vscode.Uri) => loadModel(deps, model, dataset)),
  ];
}

/**
 * The dataset Export… / Save Model… act on: a tree node's (or the panel's button's) session;
 * from the palette the active editor's dataset when it has results (as Explain Cluster does),
 * else the last clustered or selected one. A Uri argument is a target file (tests, scripts).
 */
function sessionOf(deps: CommandDeps, arg: TreeNode | vscode.Uri | undefined): Session | undefined {
  if (arg && !(arg instanceof vscode.Uri)) return deps.store.get(arg.sessionId);
  return paletteDataset(deps);
}

async function exportExplanations(deps: CommandDeps, session: Session | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (!session) {
    deps.notifier.info('Cluster a dataset first (NEON: Cluster Dataset…).');
    return undefined;
  }
  const uri = target ?? (await vscode.window.showSaveDialog({
    title: 'NEON: Export Explanations…',
    defaultUri: sibling(session, '.neon-explanations.csv'),
    filters: { CSV: ['csv'], JSON: ['json'] },
  }));
  if (!uri) return undefined;
  try {
    refuseDataset(session, uri);
    const json = path.posix.extname(uri.path).toLowerCase() === '.json';
    // The table's identifier and label cells, so every row joins back to the user's table.
    const names = keyColumnNames(session.result);
    // CSV as the user's spreadsheet splits it: setting exportCsvFormat (by default Excel's ";" and decimal comma for a decimal-comma display language).
    const dialect = csvDialectFor(vscode.workspace.getConfiguration('neonClusterExplorer', session.uri).get<string>('exportCsvFormat'), vscode.env.language);
    if (session.result.rowResults && uri.scheme === 'file') return await exportEveryRow(deps, session, uri, json, names, dialect);
    const cells = await deps.engine.columnCells(session, names);
    const keys = names.map((name, c) => ({ name, cells: cells[c] ?? [] }));
    const text = json ? toJson(session.result, session.uri.toString(), keys) : toCsv(session.result, keys, dialect);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    deps.notifier.info(`Explanations of ${session.title} written to ${vscode.workspace.asRelativePath(uri)}${json ? '' : csvForm(dialect)}.`);
    return uri;
  } catch (e) {
    deps.notifier.error(e, path.posix.basename(uri.path));
    return undefined;
  }
}

/**
 * A table fitted on a sample keeps only the sample in memory; every row of the file is in the
 * streaming pass's results file. The worker writes the export from it (all rows, file order),
 * with a cancellable progress notification: a million rows take seconds.
 */
async function exportEveryRow(deps: CommandDeps, session: Session, uri: vscode.Uri, json: boolean, keys: string[], dialect: CsvDialect): Promise<vscode.Uri | undefined> {
  const result = session.result;
  const rows = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `NEON: exporting every row of ${session.title}`, cancellable: true },
    (_progress, token) =>
      deps.engine.exportEveryRow(
        session,
        {
          rowResultsFile: result.rowResults!.file,
          units: result.units,
          features: featureUnits(result),
          clusterLabels: result.clusters.map((c) => c.label),
          keys,
          format: json ? 'json' : 'csv',
          dialect,
          ...(json ? { jsonHead: jsonHead(result, session.uri.toString()) } : {}),
          out: uri.fsPath,
        },
        token,
      ),
  );
  deps.notifier.info(`Explanations of all ${rows.toLocaleString('en')} rows of ${session.title} written to ${vscode.workspace.asRelativePath(uri)}${json ? '' : csvForm(dialect)}.`);
  return uri;
}

/** How the CSV was written, and where to change it. */
function csvForm(dialect: CsvDialect): string {
  return dialect.decimalComma
    ? ' (for Excel: ";" between fields, decimal comma, UTF-8 BOM; setting neonClusterExplorer.exportCsvFormat)'
    : ' (standard CSV: "," between fields, decimal point; setting neonClusterExplorer.exportCsvFormat)';
}

async function saveModel(deps: CommandDeps, session: Session | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (!session) {
    deps.notifier.info('Cluster a dataset first (NEON: Cluster Dataset…).');
    return undefined;
  }
  const uri = target ?? (await vscode.window.showSaveDialog({
    title: 'NEON: Save Model…',
    defaultUri: sibling(session, '.neon-model.json'),
    filters: { 'NEON model': ['json'] },
  }));
  if (!uri) return undefined;
  try {
    refuseDataset(session, uri);
    const text = await deps.engine.exportModel(session);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    deps.notifier.info(`Model of ${session.title} saved to ${vscode.workspace.asRelativePath(uri)}.`);
    return uri;
  } catch (e) {
    deps.notifier.error(e, path.posix.basename(uri.path));
    return undefined;
  }
}

/** Model files the importers read (docs/model-file.md); a Spark ML model is a folder. */
const MODEL_FILTERS = { 'NEON model': ['json'], 'Centroids CSV': ['csv'], PMML: ['pmml', 'xml'], 'ONNX (skl2onnx k-means)': ['onnx'], 'NumPy centres': ['npy'], 'All files': ['*'] };

async function pickModel(): Promise<vscode.Uri | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(file) Model file…', description: 'NEON JSON, centroids CSV, PMML, ONNX, NumPy .npy', folder: false },
      { label: '$(folder) Spark ML model folder…', description: 'a KMeansModel or PipelineModel saved by Spark', folder: true },
    ],
    { title: 'NEON: Load Model…' },
  );
  if (!kind) return undefined;
  const picked = await vscode.window.showOpenDialog(
    kind.folder
      ? { title: 'NEON: Load a Spark ML model folder', openLabel: 'Load Model', canSelectMany: false, canSelectFiles: false, canSelectFolders: true }
      : { title: 'NEON: Load Model…', openLabel: 'Load Model', canSelectMany: false, filters: MODEL_FILTERS },
  );
  return picked?.[0];
}

async function loadModel(deps: CommandDeps, modelArg?: vscode.Uri, datasetArg?: vscode.Uri): Promise<Session | undefined> {
  const modelUri = modelArg ?? (await pickModel());
  if (!modelUri) return undefined;
  const name = path.posix.basename(modelUri.path.replace(/\/+$/, ''));
  let loaded;
  try {
    if (modelUri.scheme === 'file') {
      // Local files and folders are read by the worker's importers (binary formats, Spark folders).
      loaded = await deps.engine.loadModel('', name, modelUri.fsPath);
    } else {
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(modelUri));
      loaded = await deps.engine.loadModel(text, name);
    }
  } catch (e) {
    deps.notifier.error(e, name);
    return undefined;
  }
  // From the explorer's context menu the second argument is the list of selected resources, not a dataset.
  const dataset = (datasetArg instanceof vscode.Uri ? datasetArg : undefined) ?? (await pickDataset(name));
  if (!dataset) return undefined;
  return clusterUri(deps, dataset, { model: loaded, modelFile: name });
}

async function pickDataset(modelName: string): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const items: (vscode.QuickPickItem & { uri?: vscode.Uri; folder?: boolean })[] = [];
  if (active && isDataFile(active)) items.push({ label: `$(file) ${vscode.workspace.asRelativePath(active)}`, description: 'active editor', uri: active });
  items.push({ label: '$(file) Choose a file…', description: 'CSV, TSV, Parquet, JSONL, text or Markdown' });
  items.push({ label: '$(folder-opened) Choose a folder…', description: 'a folder of text files (one document per file)', folder: true });
  const picked = await vscode.window.showQuickPick(items, { title: `NEON: Explain which dataset with ${modelName}?` });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  // A folder dataset (text corpus) is as valid as a file: the dialog offers what was asked for.
  return (
    await vscode.window.showOpenDialog({
      title: `NEON: Dataset to explain with ${modelName}`,
      canSelectMany: false,
      canSelectFiles: !picked.folder,
      canSelectFolders: picked.folder === true,
      openLabel: 'Explain',
    })
  )?.[0];
}

/** A file next to the dataset named after it, e.g. `samples.neon-model.json`. */
function sibling(session: Session, suffix: string): vscode.Uri {
  const base = session.uri.path.replace(/\/$/, '');
  const dir = session.uri.with({ path: path.posix.dirname(base) });
  return vscode.Uri.joinPath(dir, path.posix.basename(base, path.posix.extname(base)) + suffix);
}

function refuseDataset(session: Session, uri: vscode.Uri): void {
  if (uri.toString() === session.uri.toString() || (uri.scheme === 'file' && uri.fsPath === session.localPath)) {
    throw new Error('refusing to overwrite the dataset itself; choose another file name.');
  }
}
