/**
 * Step 2 of NEON for every point: each row's assigned cluster, evidence and soft-assignment
 * probability, and its relevance reported over what the user sees — per column for tables
 * (one-hot features summed back into their column), per token occurrence for text (the
 * linear input layer split exactly over the document's tokens).
 */
import { Pacer, throttledProgress } from '../jobs';
import { blockCount, rowsPerBlock } from '../parallel/blocks';
import { computePool, type ComputePool } from '../parallel/pool';
import { toSharedFloat64, toSharedMatrix } from '../parallel/shared';
import { ROW_BEYOND_RANGE } from '../neuralize/kmeansBatch';
import { sumByColumn, tokenRelevance } from '../relevance/units';
import type { ClusterModel, Dataset, JobHooks, NeonOptions, NeuralizedModel, PointExplanation, TableDataset } from '../types';
import { explainTableArgs } from './explainTableKernel';
import type { ExplainTableSpace } from './explainTableSpace';

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
 * "65,306 of 400,000": the explaining progress, digits grouped as every other count the user
 * reads (trial 6 D15e: the toast read "explaining: 65306 of 400000"); English grouping, as the
 * engine's other progress messages (everyRow.ts, rowBudget.ts).
 */
export function progressCount(done: number, total: number): string {
  return `${done.toLocaleString('en')} of ${total.toLocaleString('en')}`;
}

/**
 * `model` / `options` (optional) let a k-means table take the batch path on every core, which
 * gives the same numbers as `nm.explain` row by row (tested) at a fraction of the cost; `pool`
 * chooses where it runs (default: the process-wide pool). `space`: the shared memory of a
 * caller explaining chunk after chunk (explainTableSpace.ts); the outputs are then copies, and
 * the space is reused by the next call.
 */
export async function explainAll(
  nm: NeuralizedModel,
  dataset: Dataset,
  hooks?: JobHooks,
  model?: ClusterModel,
  options?: NeonOptions,
  pool?: ComputePool,
  space?: ExplainTableSpace,
): Promise<AllExplanations> {
  if (model?.kind === 'kmeans' && options && dataset.kind === 'table') return explainKMeansTable(nm, model, options, dataset, hooks, pool, space);
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
    await pacer.tick(() => progress({ stage: 'explaining', fraction: i / n, message: progressCount(i, n) }));
    const x = data.subarray(i * d, (i + 1) * d);
    const e = nm.explain(x);
    assignments[i] = e.cluster;
    evidence[i] = Number.isFinite(e.evidence) ? e.evidence : NaN;
    probability[i] = e.probability;
    const beyond = e.beyondRange ?? nonFinite(e.evidence, e.relevance);
    if (beyond) beyondRange.push({ row: i, cluster: e.cluster, ...beyond });
    rowSink.record(i, e.relevance, e.evidence);
    if (dataset.kind === 'text') {
      const { docStart, word } = dataset.tokens;
      const s = docStart[i];
      const t = docStart[i + 1];
      if (t > s) {
        const out = tokenBuf.subarray(0, t - s);
        const pre = dataset.preprocessing;
        tokenRelevance(e.attribution, pre.wordVectors, pre.dim, word.subarray(s, t), out, dataset.documentScale?.[i]);
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

/**
 * Every row of a k-means table on the compute pool: fixed row blocks (parallel/blocks.ts),
 * outputs on shared memory (they reach the extension host without a copy; with a `space`,
 * copied out of it), the conservation gap added per block in block order, so any thread count
 * gives the same numbers.
 */
async function explainKMeansTable(
  nm: NeuralizedModel,
  model: Extract<ClusterModel, { kind: 'kmeans' }>,
  options: NeonOptions,
  dataset: TableDataset,
  hooks?: JobHooks,
  pool: ComputePool = computePool(),
  space?: ExplainTableSpace,
): Promise<AllExplanations> {
  const { rows: n, cols: d } = dataset.features;
  const units = dataset.columns.length;
  const blockRows = rowsPerBlock(4 * model.k * d);
  const blocks = blockCount(n, blockRows);
  const args = space
    ? space.args(dataset.features.data, model, options, dataset.featureColumn, units, blockRows)
    : explainTableArgs((pool.threads > 1 ? toSharedMatrix(dataset.features) : dataset.features).data, { k: model.k, dim: d, centroids: toSharedFloat64(model.centroids) }, options, dataset.featureColumn, units, blockRows);
  const X = args.data;
  const progress = throttledProgress(hooks);
  await pool.run('explainKMeansTable', args, blocks, {
    signal: hooks?.signal,
    work: 4 * n * model.k * d,
    onProgress: (fraction) => progress({ stage: 'explaining', fraction, message: progressCount(Math.round(fraction * n), n) }),
  });
  progress({ stage: 'explaining', fraction: 1 });
  let gap = 0;
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    gap += args.blockGap[b];
    total += args.blockTotal[b];
  }
  // Rows beyond float64 (rare): the per-point network names their features.
  const beyondRange: BeyondRangeRow[] = [];
  for (let i = 0; i < n; i++) {
    if (args.status[i] !== ROW_BEYOND_RANGE) continue;
    const e = nm.explain(X.subarray(i * d, (i + 1) * d));
    const beyond = e.beyondRange ?? nonFinite(e.evidence, e.relevance);
    if (beyond) beyondRange.push({ row: i, cluster: e.cluster, ...beyond });
  }
  // Out of a reused space: copies (plain memory the caller may keep past the next call).
  const own = <T extends Int32Array | Float64Array>(a: T): T => (space ? (a.slice() as T) : a);
  return {
    assignments: own(args.cluster),
    evidence: own(args.evidence),
    probability: own(args.probability),
    rowRelevance: own(args.rowRelevance),
    tokenRelevance: new Float64Array(0),
    conservationGap: total > 0 ? gap / total : 0,
    beyondRange,
  };
}

/**
 * Models without a rescaled path of their own (kernel, deep, IDC) on numbers beyond float64:
 * their non-finite values are reported like the k-means network's (NaN, never ±Infinity).
 */
function nonFinite(evidence: number, relevance: Float64Array): PointExplanation['beyondRange'] {
  const features: number[] = [];
  for (let j = 0; j < relevance.length; j++) {
    if (Number.isFinite(relevance[j])) continue;
    features.push(j);
    relevance[j] = NaN;
  }
  if (Number.isFinite(evidence) && features.length === 0) return undefined;
  return { evidence: !Number.isFinite(evidence), features };
}

function maxDocumentTokens(docStart: Int32Array): number {
  let m = 0;
  for (let d = 0; d + 1 < docStart.length; d++) m = Math.max(m, docStart[d + 1] - docStart[d]);
  return m;
}
