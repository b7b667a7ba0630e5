/**
 * Explaining every row (NEON relevance for every row, summed per column and stored, exactly as
 * the pipeline's explain stage does it) vs one assignment pass (nearest centroid of every row),
 * on the same fitted model and data, with the same threads: all cores through the compute pool,
 * and one thread.
 */
import { assignNearestParallel, fitKMeans } from '../src/engine/cluster/kmeans';
import { betaForTargetProbability, kmeansOutlierScores, TARGET_PROBABILITY_KMEANS } from '../src/engine/neuralize/beta';
import { neuralizeKMeans } from '../src/engine/neuralize/kmeans';
import { createPool, type ComputePool } from '../src/engine/parallel/pool';
import { sharedFloat64, sharedInt32 } from '../src/engine/parallel/shared';
import { explainAll } from '../src/engine/pipeline/explainAll';
import type { ColumnInfo, FirstLayerRule, Matrix, NeonOptions, PoolingRule, TableDataset } from '../src/engine/types';
import { pickInit } from './blobs';

export interface ExplainRow {
  readonly rule: FirstLayerRule;
  /** The reference rule's pooling (NeonOptions.pooling; default 'path'). */
  readonly pooling?: PoolingRule;
  readonly threads: number;
  readonly assignMs: number;
  /**
   * The assignment pass writing its labels and distances into freshly allocated shared
   * memory each time, as explaining writes its outputs (assignMs reuses one pair of arrays):
   * the first touch of fresh pages costs CPU time (page faults), so this is the like-for-like
   * comparison of the two passes' memory; the target is still stated against assignMs.
   */
  readonly assignFreshMs: number;
  readonly explainMs: number;
  /** Σ|Σ_i R_i − f| / Σ|f| over the rows: the speed is not bought with a wrong answer. */
  readonly conservationGap: number;
}

/** The data as a table of D numeric columns (what explainAll needs to sum per column). */
function asTable(X: Matrix): TableDataset {
  const columns: ColumnInfo[] = Array.from({ length: X.cols }, (_, j) => ({ name: `f${j}`, sourceIndex: j, kind: 'numeric', missing: 0 }));
  return {
    kind: 'table',
    source: 'bench.csv',
    delimiter: ',',
    columns,
    rowLine: new Int32Array(0),
    features: X,
    featureNames: columns.map((c) => c.name),
    featureColumn: Int32Array.from({ length: X.cols }, (_, j) => j),
    preprocessing: { kind: 'table', columns: [], missing: 'mean' },
    notes: [],
  } as unknown as TableDataset;
}

/** Milliseconds of wall time, or (cpu) of this process's CPU time, every thread's. */
function clock(cpu: boolean): () => number {
  if (!cpu) return () => performance.now();
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
}

async function timeBoth(X: Matrix, model: { k: number; centroids: Float64Array }, options: NeonOptions, pool: ComputePool, repeats: number, cpu: boolean): Promise<ExplainRow> {
  const now = clock(cpu);
  const n = X.rows;
  const labels = sharedInt32(n);
  const dist = sharedFloat64(n);
  const table = asTable(X);
  const km = { kind: 'kmeans' as const, k: model.k, dim: X.cols, centroids: model.centroids };
  const nm = neuralizeKMeans(km, options);
  let assignMs = Infinity;
  let assignFreshMs = Infinity;
  let explainMs = Infinity;
  let gap = 0;
  // Best of `repeats`, alternating, so a noisy neighbour hurts both alike.
  for (let r = 0; r < repeats; r++) {
    let t0 = now();
    await assignNearestParallel(X, model.centroids, model.k, labels, dist, { pool });
    assignMs = Math.min(assignMs, now() - t0);
    t0 = now();
    await assignNearestParallel(X, model.centroids, model.k, sharedInt32(n), sharedFloat64(n), { pool });
    assignFreshMs = Math.min(assignFreshMs, now() - t0);
    t0 = now();
    const all = await explainAll(nm, table, undefined, km, options, pool);
    explainMs = Math.min(explainMs, now() - t0);
    gap = all.conservationGap;
  }
  return { rule: options.rule, ...(options.rule === 'reference' ? { pooling: options.pooling ?? 'path' } : {}), threads: pool.threads, assignMs, assignFreshMs, explainMs, conservationGap: gap };
}

/**
 * Both first-layer rules the pipeline offers as exact: the reference rule (default; the data
 * mean) with its default path pooling and with min-takes-most shares, and the midpoint rule.
 * `cpu`: time in CPU milliseconds (every thread's) instead of wall time, for a busy machine,
 * where wall time scatters with the neighbours' load.
 */
export async function benchExplain(X: Matrix, k: number, repeats = 3, cpu = false): Promise<ExplainRow[]> {
  const fit = await fitKMeans(X, { k, seed: 1, init: pickInit(X, k, 11), maxIterations: 20 });
  // β as the pipeline picks it by default (mean top soft-assignment probability 0.8).
  const beta = betaForTargetProbability(kmeansOutlierScores(fit.model, X), k, TARGET_PROBABILITY_KMEANS);
  const mean = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) mean[j] += X.data[i * X.cols + j] / X.rows;
  const rows: ExplainRow[] = [];
  for (const options of [
    { beta, evidence: 'hard', rule: 'reference', reference: mean, referenceName: 'the data mean' },
    { beta, evidence: 'hard', rule: 'reference', reference: mean, referenceName: 'the data mean', pooling: 'min-takes-most' },
    { beta, evidence: 'hard', rule: 'midpoint' },
  ] as NeonOptions[]) {
    for (const threads of [1, 0]) {
      const pool = createPool(threads === 0 ? undefined : threads);
      try {
        rows.push(await timeBoth(X, fit.model, options, pool, repeats, cpu));
      } finally {
        await pool.close();
      }
    }
  }
  return rows;
}

/**
 * Section 3 alone: `node out/bench/explainBench.js [rows] [repeats] [--cpu]` (default 1,000,000
 * and 3; --cpu: CPU time, see benchExplain), the same data, model and rows as `npm run bench`
 * section 3.
 */
if (require.main === module) {
  void (async () => {
    const args = process.argv.slice(2).filter((a) => a !== '--cpu');
    const cpu = process.argv.includes('--cpu');
    const n = Number(args[0] ?? 1_000_000);
    const repeats = Number(args[1] ?? 3);
    const { makeBlobs } = await import('./blobs');
    const { toSharedMatrix } = await import('../src/engine/parallel/shared');
    for (const r of await benchExplain(toSharedMatrix(makeBlobs(n, 20, 12, 7, 1).X), 12, repeats, cpu)) {
      const name = r.rule !== 'reference' ? r.rule : `reference, ${r.pooling} pooling`;
      console.log(
        `${name.padEnd(36)} threads ${r.threads}  assign ${r.assignMs.toFixed(1)} ${cpu ? 'CPU ' : ''}ms  explain ${r.explainMs.toFixed(1)} ms  ratio ${(r.explainMs / r.assignMs).toFixed(2)}x` +
          `  (assign into fresh memory ${r.assignFreshMs.toFixed(1)} ms: ${(r.explainMs / r.assignFreshMs).toFixed(2)}x)  gap ${r.conservationGap.toExponential(1)}`,
      );
    }
  })();
}
