/**
 * Reads `neonClusterExplorer.*` into the engine's ClusterSettings. Anything not exposed as a
 * setting keeps DEFAULT_SETTINGS, so the extension and the CLI cluster the same way.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS } from '../engine/pipelineTypes';
import type { ClusterSettings } from '../engine/pipelineTypes';
import { applyStoredNeon } from '../engine/model/modelFile';
import { memoryBudgetBytes } from '../engine/pipeline/rowBudget';
import type { LoadedModel } from '../protocol/worker';
import type { EvidenceForm, FirstLayerRule, ModelKind } from '../engine/types';

export const SECTION = 'neonClusterExplorer';

const MODELS: readonly ModelKind[] = ['kmeans', 'kernel-kmeans', 'deep-kmeans', 'idc'];

export function readClusterSettings(scope: vscode.Uri | undefined): ClusterSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const model = c.get<string>('model', DEFAULT_SETTINGS.model);
  const rule = c.get<string>('rule', DEFAULT_SETTINGS.rule);
  const evidence = c.get<string>('evidence', DEFAULT_SETTINGS.evidence);
  const embeddings = nonEmpty(c.get<string>('embeddingsFile'));
  return {
    ...DEFAULT_SETTINGS,
    model: (MODELS as readonly string[]).includes(model) ? (model as ModelKind) : DEFAULT_SETTINGS.model,
    k: autoOrNumber(c.get<unknown>('k'), DEFAULT_SETTINGS.k, (n) => Number.isInteger(n) && n >= 2),
    beta: autoOrNumber(c.get<unknown>('beta'), DEFAULT_SETTINGS.beta, (n) => n > 0),
    rule: (rule === 'z' || rule === 'midpoint' || rule === 'reference' ? rule : DEFAULT_SETTINGS.rule) satisfies FirstLayerRule,
    ...referenceSetting(nonEmpty(c.get<string>('reference')), scope),
    evidence: (evidence === 'soft' ? 'soft' : 'hard') satisfies EvidenceForm,
    seed: integer(c.get<unknown>('seed'), DEFAULT_SETTINGS.seed),
    maxRows: integer(c.get<unknown>('maxRows'), DEFAULT_SETTINGS.maxRows),
    memoryBudgetMb: memoryBudgetMb(),
    restarts: integer(c.get<unknown>('restarts'), DEFAULT_SETTINGS.restarts),
    flippingSample: integer(c.get<unknown>('flippingSample'), DEFAULT_SETTINGS.flippingSample),
    stopWords: c.get<string>('stopWords', DEFAULT_SETTINGS.stopWords),
    labelColumn: nonEmpty(c.get<string>('labelColumn')),
    // One workspace setting serves every file: a file without that column gets a note, not an error.
    labelColumnOptional: true,
    autoLabelColumn: true,
    // Missing-value tokens of tables: the same rule as the CLI's --na-values / --keep-default-na.
    naValues: (c.get<unknown>('naValues') instanceof Array ? (c.get<unknown[]>('naValues') ?? []) : []).filter((t): t is string => typeof t === 'string'),
    keepDefaultNa: c.get<boolean>('keepDefaultNa', true) !== false,
    textColumn: nonEmpty(c.get<string>('textColumn')),
    embeddingsFile: embeddings !== undefined ? resolveAgainstWorkspace(embeddings, scope) : undefined,
  };
}

/**
 * The settings to explain with a loaded model: the model file's NEON block (β, evidence, rule)
 * applies wherever the user has not set that key in VS Code's settings; the user's choice wins.
 */
export function withModelNeon(settings: ClusterSettings, neon: LoadedModel['neon'], scope: vscode.Uri | undefined): ClusterSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return applyStoredNeon(settings, neon, (key) => {
    const i = c.inspect(key);
    return i !== undefined && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
  });
}

export function highlightsEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('highlight.enabled', true);
}

export function workerMemoryMb(): number {
  const mb = vscode.workspace.getConfiguration(SECTION).get<number>('workerMemoryMb', 4096);
  return Number.isFinite(mb) && mb >= 256 ? Math.floor(mb) : 4096;
}

/**
 * The engine's memory budget for the rows a job keeps (engine pipeline/rowBudget.ts): the
 * setting `memoryBudgetMb` when set, else the worker's heap limit, so a table that would not fit the worker is fitted on a sample (and
 * every row still explained in a streaming pass) instead of crashing it; at most the engine's
 * default (40 % of the machine's memory, at most 4 GiB).
 */
export function memoryBudgetMb(): number {
  const own = vscode.workspace.getConfiguration(SECTION).get<number>('memoryBudgetMb', 0);
  if (typeof own === 'number' && Number.isFinite(own) && own > 0) return own;
  return Math.min(workerMemoryMb(), memoryBudgetBytes({}) / 2 ** 20);
}

function autoOrNumber(value: unknown, fallback: number | 'auto', valid: (n: number) => boolean): number | 'auto' {
  if (value === 'auto') return 'auto';
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && valid(n) ? n : fallback;
}

function integer(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s.trim() : undefined;
}

/** `reference`: "mean", "row:N", or a baseline file (relative: in the workspace folder). */
function referenceSetting(value: string | undefined, scope: vscode.Uri | undefined): { reference?: string } {
  if (value === undefined || value === 'mean' || /^row:/i.test(value)) return value === undefined ? {} : { reference: value };
  return { reference: resolveAgainstWorkspace(value, scope) };
}

/** A relative embeddings path means "in the workspace folder of the dataset". */
function resolveAgainstWorkspace(p: string, scope: vscode.Uri | undefined): string {
  if (path.isAbsolute(p)) return p;
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder ? path.join(folder.uri.fsPath, p) : p;
}
