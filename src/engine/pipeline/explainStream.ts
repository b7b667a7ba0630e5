/**
 * Explains a table of any length under a given model, chunk by chunk: each chunk of rows is
 * mapped to the model's inputs (TablePreprocessor, the model's own scaling), explained by the
 * same code as a whole run (explainAll: k-means on the compute pool, other kinds row by row;
 * rows beyond float64 named in notes) and handed out with its relevance per model column. Nothing is kept between chunks but the
 * model, so memory is bounded by the model and one chunk, not by the input: this is what lets
 * `neon-cluster explain` run per partition inside Spark or Dask.
 *
 * β: a number is used as is; "auto" is resolved on the first chunk (the same rule as a whole
 * run, neon-method.md "Choosing β"), so an input of at most one chunk gets exactly the β of a
 * whole-table run. A distributed job should fix β (model file `neon.beta` or --beta) so every
 * partition uses the same one.
 */
import path from 'node:path';
import { CancelledError, DataError } from '../errors';
import { cellText } from '../data/cellColumn';
import { TablePreprocessor } from '../data/tableDataset';
import type { TableReader } from '../data/tableReader';
import { kmeansOutlierScores } from '../neuralize/beta';
import { mlpPredictAsync } from '../nn/mlp';
import type { ColumnInfo, EvidenceForm, FirstLayerRule, NeonOptions, NeuralizedModel, TableDataset, TablePreprocessing } from '../types';
import { beyondRangeNotes, beyondRangeRows } from './beyondRange';
import { explainAll } from './explainAll';
import { ExplainTableSpace } from './explainTableSpace';
import type { GivenModel } from './givenData';
import { deepInputCentroids, neuralize, resolveNeonOptions } from './neuralizeModel';
import { resolveReference, type StoredReference } from './reference';
import type { RowResults } from './rowResultsFile';

export interface StreamExplainOptions {
  readonly beta: number | 'auto';
  readonly evidence: EvidenceForm;
  readonly rule: FirstLayerRule;
  /** The reference rule's reference ("mean", "row:N" within the first chunk, a baseline CSV); see pipeline/reference.ts. */
  readonly reference?: string;
  /** A reference stored with the model (model file `neon.reference`). */
  readonly storedReference?: StoredReference;
  /** Rows per chunk (default 16,384). */
  readonly chunkRows?: number;
  readonly maxRows?: number;
  /** A column of the input copied to each output row (e.g. an id to join the result back). */
  readonly idColumn?: string;
  /** A row the reader would skip is an error instead ('error'; see ChunkOptions.onBadLines). */
  readonly onBadLines?: 'skip' | 'error';
  readonly signal?: AbortSignal;
  /**
   * The NEON network and options to explain with, already set up (the pipeline's streaming
   * pass over every row of a sampled fit passes its own, so every row is explained exactly as
   * the fitted sample was); beta, evidence, rule and reference are then not looked at.
   */
  readonly neuralized?: { readonly model: NeuralizedModel; readonly neon: NeonOptions };
}

/**
 * One chunk of explained rows (RowResults: rows, rowLine — formats without lines: the row
 * number + 1 —, cluster, evidence, probability, and relevance: rows × C per model column
 * (`columns`), row-major; NaN where a value is beyond float64, a note names the row).
 */
export interface ExplainedChunk extends RowResults {
  /** 0-based index of the chunk's first row in the input. */
  readonly firstRow: number;
  /** The id column's cells, when one was asked for. */
  readonly ids?: readonly string[];
  /** Row numbers with gaps where the reader skipped records (TableChunk.rowIndex); undefined: firstRow + i. */
  readonly rowIndex?: Int32Array;
  /** Notes raised by this chunk (reading, preprocessing). */
  readonly notes: readonly string[];
  /** The NEON options in use (β resolved). */
  readonly neon: NeonOptions;
}

/** featureNames taken as they are: the identity transform of the model file's `none` preprocessing. */
function asTable(given: GivenModel): TablePreprocessing {
  if (given.preprocessing.kind === 'table') return given.preprocessing;
  if (given.preprocessing.kind === 'text') throw new DataError('the model explains text documents; the input is a table (use a text source, without streaming)');
  return { kind: 'table', missing: 'mean', columns: given.featureNames.map((column) => ({ column, kind: 'numeric', mean: 0, std: 1 })) };
}

/** The model columns, in the model's order: what relevance is reported over. */
export function modelColumns(given: GivenModel): string[] {
  return asTable(given).columns.map((c) => c.column);
}

/**
 * Explains every row `reader` yields under `given`. Throws DataError for a missing model
 * column (naming the file), CancelledError when `signal` aborts.
 */
export async function* explainTableStream(reader: TableReader, given: GivenModel, options: StreamExplainOptions): AsyncGenerator<ExplainedChunk> {
  const pre = asTable(given);
  const { schema } = reader;
  const header = schema.columns.map((c) => c.name);
  const preprocessor = new TablePreprocessor(header, pre, schema.file, schema.delimiter);
  if (preprocessor.cols !== given.model.dim) throw new DataError(`the model takes ${given.model.dim} inputs but its preprocessing yields ${preprocessor.cols}`, schema.file);
  const idIndex = options.idColumn === undefined ? -1 : header.indexOf(options.idColumn);
  if (options.idColumn !== undefined && idIndex < 0) throw new DataError(`id column "${options.idColumn}" not found; the columns are ${header.slice(0, 12).join(', ')}`, schema.file);
  // Feature j belongs to model column featureColumn[j] (a categorical column spans its categories).
  const featureList: number[] = [];
  pre.columns.forEach((c, ci) => {
    const width = c.kind === 'numeric' ? 1 : c.categories.length;
    for (let w = 0; w < width; w++) featureList.push(ci);
  });
  const featureColumn = Int32Array.from(featureList);
  const C = pre.columns.length;
  const model = given.model;
  const columns: ColumnInfo[] = pre.columns.map((c, j) => ({ name: c.column, sourceIndex: j, kind: c.kind, missing: 0 }));
  const name = path.basename(schema.file);
  let neon: NeonOptions | undefined = options.neuralized?.neon;
  let nm: NeuralizedModel | undefined = options.neuralized?.model;
  let reportedNotes = 0;
  let firstNotes: string[] = [];
  const chunkRows = options.chunkRows ?? 16_384;
  // One chunk's shared memory for every chunk: fresh buffers per chunk stayed alive in the
  // compute threads until their next collection (explainTableSpace.ts).
  const space = new ExplainTableSpace();
  for await (const chunk of reader.chunks({ chunkRows, ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}), ...(options.onBadLines ? { onBadLines: options.onBadLines } : {}), ...(options.signal ? { signal: options.signal } : {}) })) {
    if (options.signal?.aborted) throw new CancelledError();
    const X = preprocessor.apply(chunk.columns, chunk.rows, chunk.rowLine, chunk.firstRow, space.features(chunk.rows, preprocessor.cols));
    const rowLine = chunk.rowLine ?? Int32Array.from({ length: chunk.rows }, (_, i) => chunk.firstRow + i + 1);
    // The chunk as the table dataset the pipeline's explainers take (only what they read).
    const dataset = { kind: 'table', source: schema.file, features: X, featureNames: given.featureNames, featureColumn, columns, rowLine, preprocessing: pre, notes: [] } as unknown as TableDataset;
    if (!neon || !nm) {
      // NEON is set up as for a whole run (pipeline.ts), with the first chunk standing in for the
      // data where a whole run would look at it: β "auto", the reference "row:N" or (for a model
      // storing no training mean) "mean", and deep k-means' input-space cluster centroids.
      const representation = model.kind === 'deep-kmeans' ? await mlpPredictAsync(model.layers, X) : undefined;
      const scores =
        representation && model.kind === 'deep-kmeans' && options.beta === 'auto'
          ? kmeansOutlierScores({ kind: 'kmeans', k: model.k, dim: representation.cols, centroids: model.centroids }, representation)
          : undefined;
      const reference = options.rule === 'reference' ? await resolveReference(options.reference, dataset, model, false, options.storedReference, options.signal) : undefined;
      neon = resolveNeonOptions(model, X, { beta: options.beta, evidence: options.evidence, rule: options.rule, ...(reference ? { reference } : {}) }, scores);
      const clusterCentroids = representation && model.kind === 'deep-kmeans' ? deepInputCentroids(model, X, representation) : undefined;
      nm = neuralize(model, neon, clusterCentroids ? { clusterCentroids } : {});
      if (reference?.note) firstNotes.push(reference.note);
    }
    const all = await explainAll(nm, dataset, options.signal ? { signal: options.signal } : undefined, model, neon, undefined, space);
    const notes = [...firstNotes, ...chunk.notes];
    firstNotes = [];
    const pn = preprocessor.notes();
    // Preprocessing notes are cumulative: report them when they change.
    if (pn.length !== reportedNotes) {
      notes.push(...pn);
      reportedNotes = pn.length;
    }
    notes.push(...beyondRangeNotes(beyondRangeRows(all.beyondRange, dataset), dataset, name, chunk.firstRow));
    const n = chunk.rows;
    const out = { cluster: all.assignments, evidence: all.evidence, probability: all.probability };
    const relevance = all.rowRelevance;
    if (relevance.length !== n * C) throw new Error(`explainStream: ${relevance.length} relevances for ${n} rows × ${C} columns`);
    const ids = idIndex >= 0 ? Array.from({ length: n }, (_, i) => cellText(chunk.columns[idIndex], i)) : undefined;
    yield { firstRow: chunk.firstRow, rows: n, rowLine, ...out, relevance, ...(ids ? { ids } : {}), ...(chunk.rowIndex ? { rowIndex: chunk.rowIndex } : {}), notes, neon };
  }
}
