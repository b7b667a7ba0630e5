/**
 * Explains a table of any length under a given model, chunk by chunk: each chunk of rows is
 * mapped to the model's inputs (TablePreprocessor, the model's own scaling), explained
 * (k-means: the batch NEON path; other kinds: the neuralized network row by row) and handed
 * out with its relevance summed per model column. Nothing is kept between chunks but the
 * model, so memory is bounded by the model and one chunk, not by the input: this is what lets
 * `neon-cluster explain` run per partition inside Spark or Dask.
 *
 * β: a number is used as is; "auto" is resolved on the first chunk (the same rule as a whole
 * run, neon-method.md "Choosing β"), so an input of at most one chunk gets exactly the β of a
 * whole-table run. A distributed job should fix β (model file `neon.beta` or --beta) so every
 * partition uses the same one.
 */
import { CancelledError, DataError } from '../errors';
import { cellText } from '../data/cellColumn';
import { TablePreprocessor } from '../data/tableDataset';
import type { TableReader } from '../data/tableReader';
import { explainKMeansRows } from '../neuralize/kmeansBatch';
import type { EvidenceForm, FirstLayerRule, NeonOptions, NeuralizedModel, TablePreprocessing } from '../types';
import type { GivenModel } from './givenData';
import { neuralize, resolveNeonOptions } from './neuralizeModel';

export interface StreamExplainOptions {
  readonly beta: number | 'auto';
  readonly evidence: EvidenceForm;
  readonly rule: FirstLayerRule;
  /** Rows per chunk (default 16,384). */
  readonly chunkRows?: number;
  readonly maxRows?: number;
  /** A column of the input copied to each output row (e.g. an id to join the result back). */
  readonly idColumn?: string;
  readonly signal?: AbortSignal;
}

/** One chunk of explained rows. */
export interface ExplainedChunk {
  /** 0-based index of the chunk's first row in the input. */
  readonly firstRow: number;
  readonly rows: number;
  readonly cluster: Int32Array;
  readonly evidence: Float64Array;
  readonly probability: Float64Array;
  /** rows × C relevance per model column (`columns`), row-major. */
  readonly relevance: Float64Array;
  /** The id column's cells, when one was asked for. */
  readonly ids?: readonly string[];
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
  const featureColumn: number[] = [];
  pre.columns.forEach((c, ci) => {
    const width = c.kind === 'numeric' ? 1 : c.categories.length;
    for (let w = 0; w < width; w++) featureColumn.push(ci);
  });
  const C = pre.columns.length;
  const D = given.model.dim;
  const model = given.model;
  let neon: NeonOptions | undefined;
  let nm: NeuralizedModel | undefined;
  let reportedNotes = 0;
  const chunkRows = options.chunkRows ?? 16_384;
  for await (const chunk of reader.chunks({ chunkRows, ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}), ...(options.signal ? { signal: options.signal } : {}) })) {
    if (options.signal?.aborted) throw new CancelledError();
    const X = preprocessor.apply(chunk.columns, chunk.rows, chunk.rowLine, chunk.firstRow);
    if (!neon || !nm) {
      neon = resolveNeonOptions(model, X, { beta: options.beta, evidence: options.evidence, rule: options.rule });
      nm = neuralize(model, neon);
    }
    const n = chunk.rows;
    const out = { cluster: new Int32Array(n), evidence: new Float64Array(n), probability: new Float64Array(n) };
    const relevance = new Float64Array(n * C);
    const sumRow = (i: number, r: ArrayLike<number>): void => {
      const o = i * C;
      for (let j = 0; j < D; j++) relevance[o + featureColumn[j]] += r[j];
    };
    if (model.kind === 'kmeans') {
      explainKMeansRows(model, neon, X, out, 0, n, sumRow);
    } else {
      for (let i = 0; i < n; i++) {
        const e = nm.explain(X.data.subarray(i * D, (i + 1) * D));
        out.cluster[i] = e.cluster;
        out.evidence[i] = e.evidence;
        out.probability[i] = e.probability;
        sumRow(i, e.relevance);
      }
    }
    const notes = [...chunk.notes];
    const pn = preprocessor.notes();
    // Preprocessing notes are cumulative: report them when they change.
    if (pn.length !== reportedNotes) {
      notes.push(...pn);
      reportedNotes = pn.length;
    }
    const ids = idIndex >= 0 ? Array.from({ length: n }, (_, i) => cellText(chunk.columns[idIndex], i)) : undefined;
    yield { firstRow: chunk.firstRow, rows: n, ...out, relevance, ...(ids ? { ids } : {}), notes, neon };
  }
}
