/**
 * Step 2 of NEON for every point: each row's assigned cluster, evidence and soft-assignment
 * probability, and its relevance reported over what the user sees — per column for tables
 * (one-hot features summed back into their column), per token occurrence for text (the
 * linear input layer split exactly over the document's tokens).
 */
import { Pacer, throttledProgress } from '../jobs';
import { explainKMeansRows, ROW_BEYOND_RANGE } from '../neuralize/kmeansBatch';
import { sumByColumn, tokenRelevance } from '../relevance/units';
import type { ClusterModel, Dataset, JobHooks, NeonOptions, NeuralizedModel, PointExplanation, TableDataset } from '../types';

/** A row part of whose explanation is beyond float64 (its NaN values; pipeline notes name it). */
export interface BeyondRangeRow extends NonNullable<PointExplanation['beyondRange']> {
  readonly row: number;
  readonly cluster: number;
}

export interface AllExplanations {
  readonly assignments: Int32Array;
  readonly evidence: Float64Array;
  readonly probability: Float64Array;
  /**
   * Tables: N x U (U = dataset.columns.length). Text: empty. Float64 (not 32) so any finite
   * relevance up to 1.8e308 is kept and sums to the evidence; NaN where `beyondRange` says.
   */
  readonly rowRelevance: Float64Array;
  /** Text: one value per token occurrence, aligned with dataset.tokens. Tables: empty. */
  readonly tokenRelevance: Float64Array;
  /** Rows with values beyond float64 (few, normally none), in row order. */
  readonly beyondRange: readonly BeyondRangeRow[];
  /**
   * Σ_points |Σ_i R_i − f_c| / Σ_points |f_c|: 0 (to rounding) under conservative rules; how far
   * a non-conservative explanation (z-rule, deep biases, IDC's gradient x input) is from it.
   */
  readonly conservationGap: number;
}

/** Yield this often so a Cancel posted to the worker is seen within ~100 ms. */
const YIELD_MS = 40;

/**
 * `model` / `options` (optional) let a k-means table take the batch path, which gives the same
 * numbers as `nm.explain` row by row (tested) at about a fifth of the cost.
 */
export async function explainAll(nm: NeuralizedModel, dataset: Dataset, hooks?: JobHooks, model?: ClusterModel, options?: NeonOptions): Promise<AllExplanations> {
  if (model?.kind === 'kmeans' && options && dataset.kind === 'table') return explainKMeansTable(nm, model, options, dataset, hooks);
  const { rows: n, cols: d, data } = dataset.features;
  const assignments = new Int32Array(n);
  const evidence = new Float64Array(n);
  const probability = new Float64Array(n);
  const progress = throttledProgress(hooks);
  const isTable = dataset.kind === 'table';
  const units = isTable ? dataset.columns.length : 0;
  const rowRelevance = new Float64Array(isTable ? n * units : 0);
  const tokenRel = new Float64Array(isTable ? 0 : dataset.tokens.word.length);
  const beyondRange: BeyondRangeRow[] = [];
  const rowSink = new RowRecorder(dataset.kind === 'table' ? dataset : undefined, rowRelevance);
  const tokenBuf = new Float64Array(isTable ? 0 : maxDocumentTokens(dataset.tokens.docStart));
  const pacer = new Pacer(hooks, YIELD_MS);
  for (let i = 0; i < n; i++) {
    await pacer.tick(() => progress({ stage: 'explaining', fraction: i / n, message: `${i} of ${n}` }));
    const x = data.subarray(i * d, (i + 1) * d);
    const e = nm.explain(x);
    assignments[i] = e.cluster;
    evidence[i] = e.evidence;
    probability[i] = e.probability;
    if (e.beyondRange) beyondRange.push({ row: i, cluster: e.cluster, ...e.beyondRange });
    rowSink.record(i, e.relevance, e.evidence);
    if (dataset.kind === 'text') {
      const { docStart, word } = dataset.tokens;
      const s = docStart[i];
      const t = docStart[i + 1];
      if (t > s) {
        const out = tokenBuf.subarray(0, t - s);
        const pre = dataset.preprocessing;
        tokenRelevance(e.attribution, pre.wordVectors, pre.dim, word.subarray(s, t), out);
        for (let j = 0; j < out.length; j++) tokenRel[s + j] = out[j];
      }
    }
  }
  progress({ stage: 'explaining', fraction: 1 });
  return { assignments, evidence, probability, rowRelevance, tokenRelevance: tokenRel, conservationGap: rowSink.conservationGap(), beyondRange };
}

/**
 * What both paths do with a row's relevance: add it to the conservation gap and, for tables,
 * store it summed per column in the N x U output.
 */
class RowRecorder {
  private gap = 0;
  private total = 0;
  private readonly units: number;
  private readonly columnBuf: Float64Array;

  constructor(
    private readonly table: TableDataset | undefined,
    private readonly out: Float64Array,
  ) {
    this.units = table ? table.columns.length : 0;
    this.columnBuf = new Float64Array(this.units);
  }

  record(i: number, relevance: Float64Array, evidence: number): void {
    let sum = 0;
    for (let j = 0; j < relevance.length; j++) sum += relevance[j];
    // Rows with values beyond float64 (NaN) are reported on their own, not as a gap.
    if (Number.isFinite(sum) && Number.isFinite(evidence)) {
      this.gap += Math.abs(sum - evidence);
      this.total += Math.abs(evidence);
    }
    if (!this.table) return;
    const { units, columnBuf, out } = this;
    sumByColumn(relevance, this.table.featureColumn, units, columnBuf);
    for (let u = 0; u < units; u++) out[i * units + u] = columnBuf[u];
  }

  /** Σ_points |Σ_i R_i − f_c| / Σ_points |f_c|. */
  conservationGap(): number {
    return this.total > 0 ? this.gap / this.total : 0;
  }
}

/** Rows per batch between cancellation checks (~1 ms each at K = 16, D = 32). */
const BATCH_ROWS = 2048;

async function explainKMeansTable(
  nm: NeuralizedModel,
  model: Extract<ClusterModel, { kind: 'kmeans' }>,
  options: NeonOptions,
  dataset: TableDataset,
  hooks?: JobHooks,
): Promise<AllExplanations> {
  const n = dataset.features.rows;
  const out = { cluster: new Int32Array(n), evidence: new Float64Array(n), probability: new Float64Array(n), status: new Uint8Array(n) };
  const rowRelevance = new Float64Array(n * dataset.columns.length);
  const rows = new RowRecorder(dataset, rowRelevance);
  const progress = throttledProgress(hooks);
  const pacer = new Pacer(hooks, YIELD_MS);
  const onRow = (i: number, r: Float64Array): void => rows.record(i, r, out.evidence[i]);
  for (let from = 0; from < n; from += BATCH_ROWS) {
    explainKMeansRows(model, options, dataset.features, out, from, Math.min(n, from + BATCH_ROWS), onRow);
    await pacer.tick(() => progress({ stage: 'explaining', fraction: from / n, message: `${from} of ${n}` }));
  }
  progress({ stage: 'explaining', fraction: 1 });
  // Rows beyond float64 (rare): the per-point network names their features.
  const beyondRange: BeyondRangeRow[] = [];
  const d = dataset.features.cols;
  for (let i = 0; i < n; i++) {
    if (out.status[i] !== ROW_BEYOND_RANGE) continue;
    const e = nm.explain(dataset.features.data.subarray(i * d, (i + 1) * d));
    if (e.beyondRange) beyondRange.push({ row: i, cluster: e.cluster, ...e.beyondRange });
  }
  return {
    assignments: out.cluster,
    evidence: out.evidence,
    probability: out.probability,
    rowRelevance,
    tokenRelevance: new Float64Array(0),
    conservationGap: rows.conservationGap(),
    beyondRange,
  };
}

function maxDocumentTokens(docStart: Int32Array): number {
  let m = 0;
  for (let d = 0; d + 1 < docStart.length; d++) m = Math.max(m, docStart[d + 1] - docStart[d]);
  return m;
}
