/**
 * The k a run proposes when the user has not chosen one: with a label column of 2..30 values,
 * one cluster per label value; otherwise none (k = auto decides).
 *
 * Why: a user who names known classes wants to compare the clusters with them, and k = auto's
 * silhouette does not know about the classes (trial s19 D3: customers_target.csv, label
 * `target` of 3 values, got k = 10 from the silhouette, ARI 0.363; k = 3 gives ARI 1). The
 * extension's Cluster Dataset… input and the CLI's `fit` / `evaluate` (when -k is not given)
 * both call this function on the same inspection (data/inspectDataset.ts: the first 2,000
 * rows), so they propose the same k for the same file.
 */
import type { DatasetInspection } from '../data/inspectDataset';

/** Largest number of label values proposed as k (more values are rarely clusters a user means). */
export const MAX_K_FROM_LABELS = 30;

export interface KFromLabels {
  readonly k: number;
  /** Why this k, as the extension's k step shows it: "one cluster per value of target". */
  readonly reason: string;
}

/** Case-insensitive lookup of a column name among the inspected ones (the file's own spelling). */
export function inspectedColumn(inspection: DatasetInspection, name: string | null | undefined): string | undefined {
  if (name === undefined || name === null || name.trim() === '') return undefined;
  const exact = inspection.columns.find((c) => c.name === name);
  if (exact) return exact.name;
  const lower = name.trim().toLowerCase();
  return inspection.columns.find((c) => c.name.trim().toLowerCase() === lower)?.name;
}

/** Distinct non-missing values of a column among the inspected rows (0 when unknown or null). */
export function labelValueCount(inspection: DatasetInspection, name: string | null | undefined): number {
  const column = inspectedColumn(inspection, name);
  return column === undefined ? 0 : (inspection.columns.find((c) => c.name === column)?.distinct ?? 0);
}

/**
 * One cluster per value of `label` when it has 2..MAX_K_FROM_LABELS distinct values among the
 * inspected rows; undefined otherwise (no label, a constant one, or too many values).
 * @param inspection the dataset's inspection (its columns' distinct counts).
 * @param label the label column / JSONL field the run uses (matched case-insensitively), or null / undefined for none.
 */
export function kFromLabels(inspection: DatasetInspection, label: string | null | undefined): KFromLabels | undefined {
  const column = inspectedColumn(inspection, label);
  const values = labelValueCount(inspection, column);
  if (column === undefined || values < 2 || values > MAX_K_FROM_LABELS) return undefined;
  return { k: values, reason: `one cluster per value of ${column}` };
}
