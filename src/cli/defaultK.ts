/**
 * `fit` / `evaluate` without -k: the k the extension's Cluster Dataset… input proposes for the
 * same file (engine cluster/kFromLabels.ts: one cluster per label value), and a note naming
 * columns that may be known classes when the table has no label column.
 */
import { kFromLabels, inspectedColumn } from '../engine/cluster/kFromLabels';
import { inspectDataset, type DatasetInspection } from '../engine/data/inspectDataset';
import { missingValueOptions, resolveSourceKind } from '../engine/data/loadDataset';
import type { ClusterSettings, DataSource } from '../engine/pipelineTypes';
import type { OptionValues } from './options';

export interface DefaultK {
  readonly settings: ClusterSettings;
  /** Printed as `note: ...` with the run's other notes. */
  readonly notes: readonly string[];
}

/** The label column the pipeline will use (tableDataset.ts resolveLabelColumn's rule), as the inspection spells it; null for none. */
function runLabel(inspection: DatasetInspection, settings: ClusterSettings): string | null {
  if (settings.labelColumn !== undefined && settings.labelColumn !== '') return inspectedColumn(inspection, settings.labelColumn) ?? null;
  if (settings.noLabelColumn || settings.autoLabelColumn === false) return null;
  return inspection.suggestedLabel ?? null;
}

/**
 * Categorical feature columns of 2..30 values that are not named like a label (the extension
 * offers them under "few values, not named like a label" in its label step): a table clustered
 * without a label may hold its known classes in one of them (trial s19 D9: `segment`).
 */
function possibleLabels(inspection: DatasetInspection, settings: ClusterSettings): string[] {
  const left = new Set((settings.excludeColumns ?? []).map((c) => c.trim().toLowerCase()));
  const byName = new Map(inspection.columns.map((c) => [c.name, c] as const));
  return inspection.labelCandidates.filter((n) => {
    const c = byName.get(n);
    return c !== undefined && !c.labelLike && c.kind === 'categorical' && !left.has(n.trim().toLowerCase());
  });
}

function possibleLabelsNote(columns: readonly string[], inspection: DatasetInspection): string {
  const values = (n: string): number => inspection.columns.find((c) => c.name === n)?.distinct ?? 0;
  const shown = columns.slice(0, 3);
  const first = shown[0] as string;
  if (shown.length === 1) return `"${first}" has ${values(first)} values: use --label-column ${first} if these are known classes.`;
  const list = shown.map((n) => `"${n}" (${values(n)} values)`).join(', ');
  return `${list}${columns.length > 3 ? `, ... (${columns.length} in all)` : ''} could hold known classes: use --label-column NAME if one does.`;
}

/**
 * The settings with k from the label when -k is not on the command line, and the notes to
 * print (before the run, so a failed run still says where its k came from). With -k (a number
 * or "auto") the settings are returned unchanged. The file's first 2,000 rows are inspected as
 * the extension inspects them, so both propose the same k; when --max-rows keeps fewer rows than
 * the label has values, k is left to the data, with a note.
 *
 * @param values the command line's options (-k absent = the default applies).
 * @param source the data the command reads.
 * @param settings settingsFrom(values).
 */
export async function withDefaultK(values: OptionValues, source: DataSource, settings: ClusterSettings): Promise<DefaultK> {
  const kind = resolveSourceKind(source);
  if (kind !== 'table' && kind !== 'csv-text' && kind !== 'jsonl') return { settings, notes: [] };
  let inspection: DatasetInspection;
  try {
    inspection = await inspectDataset(source, undefined, missingValueOptions(settings));
  } catch {
    // An unreadable file: the pipeline reads it next and reports the error with file, line and column.
    return { settings, notes: [] };
  }
  const label = runLabel(inspection, settings);
  const notes: string[] = [];
  let k = settings.k;
  let fromLabels = values.k === undefined ? kFromLabels(inspection, label) : undefined;
  if (fromLabels && settings.maxRows > 0 && settings.maxRows < fromLabels.k) {
    // --max-rows keeps fewer rows than the label has values: one cluster per value cannot be
    // fitted (review6 F4: "k = 8 exceeds the number of rows (5)" for a k the user never gave).
    notes.push(`not one cluster per value of ${label}: it has ${fromLabels.k} values but --max-rows keeps ${settings.maxRows} rows, so k is chosen from the data (-k N for another k).`);
    fromLabels = undefined;
  }
  if (fromLabels) {
    k = fromLabels.k;
    notes.push(`k = ${fromLabels.k}: ${fromLabels.reason}, the label column (as the extension proposes; -k auto to choose k from the data, -k N for another k).`);
  }
  if (label === null && kind === 'table' && !settings.noLabelColumn) {
    const columns = possibleLabels(inspection, settings);
    if (columns.length > 0) notes.push(possibleLabelsNote(columns, inspection));
  }
  return { settings: { ...settings, k }, notes };
}
