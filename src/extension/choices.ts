/**
 * A cluster run is a choice made per dataset: its label column, the columns left out, k, the
 * model and (CSV, Parquet / JSONL) the text column. The answers given in the Cluster Dataset… input are
 * remembered per dataset (in the storage index file, storageIndex.ts) and offered the next
 * time; settings only give the defaults of a dataset seen for the first time.
 */
import * as vscode from 'vscode';
import { inspectedColumn, kFromLabels } from '../engine/cluster/kFromLabels';
import type { DatasetInspection } from '../engine/data/inspectDataset';
import type { ClusterSettings } from '../engine/pipelineTypes';
import type { ModelKind } from '../engine/types';
import { SECTION } from './settings';
import type { DatasetIndex } from './storageIndex';

export interface DatasetChoices {
  /** Label column / JSONL label field; null = no labels (chosen, or none found). */
  readonly labelColumn: string | null;
  /** Table columns never used as features (label-like columns the user did not make the label, by default). */
  readonly excludeColumns: readonly string[];
  readonly k: number | 'auto';
  readonly model: ModelKind;
  /** CSV, Parquet: cluster the documents of this column instead of the table; JSONL: the text field. null = the table / the default field. */
  readonly textColumn: string | null;
}

/** The settings a run uses: the defaults from VS Code's settings, overridden by the dataset's choices. */
export function settingsWithChoices(settings: ClusterSettings, choices: DatasetChoices): ClusterSettings {
  return {
    ...settings,
    model: choices.model,
    k: choices.k,
    // An explicit choice: the column must exist (a clear error names it), no automatic pick.
    labelColumn: choices.labelColumn ?? undefined,
    labelColumnOptional: false,
    autoLabelColumn: false,
    ...(choices.labelColumn === null ? { noLabelColumn: true } : {}),
    excludeColumns: choices.textColumn === null ? [...choices.excludeColumns] : [],
    textColumn: choices.textColumn ?? undefined,
  };
}

/**
 * The answers proposed for a dataset seen for the first time:
 *  - label: the workspace's labelColumn setting when this file has that column, else the first
 *    column named like a label (class, label, digit, …), else none;
 *  - left out: every other column named like a label (never a feature unless the user says so);
 *  - k: the k setting when the user set it; else, with a label of 2..30 values, one cluster per
 *    value (engine cluster/kFromLabels.ts, the rule the CLI applies when -k is not given); else auto;
 *  - model: the model setting; text column: the textColumn setting when this file has it.
 */
export function defaultChoices(inspection: DatasetInspection, settings: ClusterSettings, kIsSet: boolean): DatasetChoices {
  const text = inspection.source === 'jsonl' ? inspectedColumn(inspection, settings.textColumn) ?? inspection.textColumns[0] : inspectedColumn(inspection, settings.textColumn);
  const label = inspectedColumn(inspection, settings.labelColumn) ?? inspection.suggestedLabel ?? null;
  const excludeColumns = inspection.source === 'table' ? inspection.columns.filter((c) => c.labelLike && c.name !== label).map((c) => c.name) : [];
  const k = (kIsSet ? undefined : kFromLabels(inspection, label)?.k) ?? settings.k;
  const isText = inspection.source !== 'table' || (text !== undefined && inspection.source === 'table');
  return { labelColumn: label, excludeColumns: isText ? [] : excludeColumns, k, model: settings.model, textColumn: text ?? null };
}

/** Remembered answers still valid for the file as it is now (columns may have changed). */
export function reconcile(remembered: DatasetChoices, inspection: DatasetInspection, fallback: DatasetChoices): DatasetChoices {
  const has = (name: string | null): boolean => name === null || inspection.columns.length === 0 || inspection.columns.some((c) => c.name === name);
  return {
    labelColumn: has(remembered.labelColumn) ? remembered.labelColumn : fallback.labelColumn,
    excludeColumns: remembered.excludeColumns.filter((c) => has(c)),
    k: remembered.k,
    model: remembered.model,
    textColumn: has(remembered.textColumn) ? remembered.textColumn : fallback.textColumn,
  };
}

/** Whether the user set `neonClusterExplorer.k` anywhere (a default is not a choice). */
export function userSetK(scope: vscode.Uri | undefined): boolean {
  const i = vscode.workspace.getConfiguration(SECTION, scope).inspect('k');
  return i !== undefined && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
}

/**
 * Answers per dataset URI, in the workspace's storage index file (storageIndex.ts: on the
 * extension host's machine, so every browser and window of the workspace sees them; they
 * survive reloads, not other workspaces).
 */
export class ChoiceStore {
  constructor(private readonly index: DatasetIndex) {}

  get(uri: vscode.Uri): DatasetChoices | undefined {
    const c = this.index.get().answers[uri.toString()];
    return c && isChoices(c) ? c : undefined;
  }

  async set(uri: vscode.Uri, choices: DatasetChoices): Promise<void> {
    // A failed write is logged, never in the way of the run (this window still has the answers).
    await this.index.update((now) => ({ ...now, answers: { ...now.answers, [uri.toString()]: choices } })).catch(this.index.onError);
  }
}

function isChoices(c: unknown): c is DatasetChoices {
  const o = c as Partial<DatasetChoices>;
  return typeof o === 'object' && o !== null && Array.isArray(o.excludeColumns) && (o.k === 'auto' || typeof o.k === 'number') && typeof o.model === 'string';
}
