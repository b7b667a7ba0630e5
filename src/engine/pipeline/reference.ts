/**
 * The reference point of NEON's reference rule (neuralize/rootPoint.ts), in the model's input
 * space, from what the user asked for (setting `neonClusterExplorer.reference`, CLI
 * `--reference`):
 *  - "mean" (default): the mean of the data the model was fitted on. For a model fitted here
 *    that is the mean of the features; a model file written by `fit` stores it (`neon.reference`);
 *    a model given without it (a centroids CSV) uses the mean of its centroids (kernel: of its
 *    support vectors) — the cluster-size-weighted mean would need the training data — and
 *    other models the mean of the data being explained; a note says which;
 *  - "row:N": row N of the data (0-based, as `explain` numbers rows);
 *  - a path to a CSV/TSV file: its first data row, read with the same preprocessing as the data
 *    (standardisation, one-hot), a baseline the user wrote by hand.
 */
import path from 'node:path';
import { applyTablePreprocessing, readTable } from '../data';
import { OptionError } from '../errors';
import type { ClusterModel, Dataset, Matrix } from '../types';

export interface ResolvedReference {
  readonly point: Float64Array;
  /** For people, after "compared with": "the data mean", "row 12 of data.csv", "baseline.csv line 2". */
  readonly name: string;
  /** Said once per job when the choice was not obvious (e.g. a model file without a stored mean). */
  readonly note?: string;
}

/** A reference point stored with a model (model file `neon.reference`). */
export interface StoredReference {
  readonly point: readonly number[] | Float64Array;
  readonly name?: string;
}

export function columnMean(X: Matrix): Float64Array {
  const mean = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) mean[j] += X.data[i * X.cols + j] / X.rows;
  return mean;
}

/** Mean of the K × D rows of `rows` (centroids, support vectors). */
function rowMean(rows: Float64Array, dim: number): Float64Array {
  const n = rows.length / dim;
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += rows[i * dim + j] / n;
  return mean;
}

/**
 * Resolves `spec` for `dataset` under `model`. `fittedHere`: the model was fitted on this
 * data (its mean is the training mean). Throws OptionError for a row out of range, a baseline
 * file that cannot be mapped to the model's inputs, or a malformed spec.
 */
export async function resolveReference(
  spec: string | undefined,
  dataset: Dataset,
  model: ClusterModel,
  fittedHere: boolean,
  stored?: StoredReference,
  signal?: AbortSignal,
): Promise<ResolvedReference> {
  const X = dataset.features;
  const d = X.cols;
  const s = (spec ?? 'mean').trim();
  if (s === '' || s === 'mean') {
    if (fittedHere) return { point: columnMean(X), name: 'the data mean' };
    if (stored && stored.point.length === d && Array.from(stored.point).every(Number.isFinite)) {
      return { point: Float64Array.from(stored.point), name: stored.name ?? 'the training data mean' };
    }
    if (model.kind === 'kmeans') {
      return { point: rowMean(model.centroids, d), name: "the mean of the model's centroids", note: "reference rule: the model stores no training mean, so the reference is the mean of its centroids." };
    }
    if (model.kind === 'kernel-kmeans') {
      return { point: rowMean(model.supportVectors, d), name: "the mean of the model's support vectors", note: "reference rule: the model stores no training mean, so the reference is the mean of its support vectors." };
    }
    return { point: columnMean(X), name: `the mean of ${path.basename(dataset.source)}`, note: `reference rule: the model stores no training mean, so the reference is the mean of ${path.basename(dataset.source)}.` };
  }
  const row = /^row:\s*(\d+)$/i.exec(s);
  if (row) {
    const i = Number(row[1]);
    if (i >= X.rows) throw new OptionError(`reference row ${i} does not exist: ${path.basename(dataset.source)} has rows 0..${X.rows - 1}`);
    return { point: X.data.slice(i * d, (i + 1) * d), name: `row ${i} of ${path.basename(dataset.source)}` };
  }
  if (/^row:/i.test(s)) throw new OptionError(`reference "${s}": write row:N with N a 0-based row number`);
  // A baseline file: its first row through the data's own preprocessing.
  if (dataset.kind !== 'table') throw new OptionError(`reference "${s}": a baseline file can be given for tables only; for text use "mean" or "row:N"`);
  const raw = await readTable(s, { maxRows: 1, signal });
  if (raw.rows === 0) throw new OptionError(`reference file ${s} has no data row`);
  const m = applyTablePreprocessing(raw, dataset.preprocessing, s);
  const point = m.data.slice(0, d);
  for (let j = 0; j < d; j++) {
    if (!Number.isFinite(point[j])) throw new OptionError(`reference file ${s}, line ${raw.rowLine[0]}: feature ${dataset.featureNames[j]} is not a finite number`);
  }
  return { point, name: `${path.basename(s)} line ${raw.rowLine[0]}` };
}
