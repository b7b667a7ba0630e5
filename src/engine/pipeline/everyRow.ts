/**
 * The streaming pass over every row of a table whose rows do not all fit the memory budget
 * (rowBudget.ts): the model was fitted on a seeded uniform sample; this pass reads the whole
 * file again chunk by chunk (explainStream.ts, the same reader, preprocessing and explainers
 * as `neon-cluster explain`), assigns and explains every row with the fitted NEON network,
 * hands each chunk to the sinks (a results file for the editor, the CLI's CSV) and keeps only
 * per-cluster sums: peak memory is the model plus one chunk, whatever the file's length.
 *
 * What the panel shows is then over ALL rows: cluster sizes, each cluster's mean relevance
 * per column (its ranking and the header colours), mean evidence and weakly assigned members
 * (evidence below WEAK_EVIDENCE x the sample's median evidence: the sample's median estimates
 * the file's). Labels, purity, quality and the map stay the sample's (they need every row in
 * memory at once).
 */
import path from 'node:path';
import { openTable } from '../data/tableFormats';
import type { OpenTableOptions } from '../data/tableReader';
import { throwIfAborted } from '../jobs';
import type { ClusterSummary, JobHooks, NeonOptions, NeuralizedModel } from '../types';
import { explainTableStream, modelColumns } from './explainStream';
import type { GivenModel } from './givenData';
import { LABEL_SHARE, LABEL_UNITS, rank, TOP_UNITS } from './summaries';
import type { RowResults } from './rowResultsFile';

/** Receives every row's results, chunk by chunk in file order (relevance over the result's units). */
export interface EveryRowSink {
  /** Called once before the first chunk: the units relevance is over, and the units that are model columns (features), in the model's order. */
  begin?(units: readonly string[], modelUnits: readonly number[]): void;
  /** firstRow: 0-based index of the chunk's first row among the rows read; rowIndex: pandas' row numbers when records were skipped (TableChunk.rowIndex). */
  write(chunk: RowResults & { readonly firstRow: number; readonly rowIndex?: Int32Array }): void | Promise<void>;
}

/** Sums over every row of the file, per cluster. */
export interface EveryRowTotals {
  /** Data rows read and explained. */
  readonly rows: number;
  /** K: rows per cluster. */
  readonly sizes: Float64Array;
  /** K: mean evidence (finite values). */
  readonly meanEvidence: Float64Array;
  /** K: rows whose evidence is below the weak cut. */
  readonly weak: Float64Array;
  /** K × U: mean relevance per unit (finite values), row-major. */
  readonly meanRelevance: Float64Array;
  /** Notes of the pass that a whole-table read would not already have given (new rows' cells). */
  readonly notes: readonly string[];
}

export interface EveryRowOptions {
  readonly file: string;
  readonly open: OpenTableOptions;
  /** The fitted model with its table preprocessing. */
  readonly given: GivenModel;
  /** The fitted run's NEON network and options, so every row is explained as the sample was. */
  readonly neuralized: { readonly model: NeuralizedModel; readonly neon: NeonOptions };
  /** The result's units (dataset columns); relevance is reported over them, 0 for non-features. */
  readonly units: readonly string[];
  /** Evidence below this is a weak assignment. */
  readonly weakCut: number;
  /** Rows expected (for progress). */
  readonly totalRows: number;
  readonly sinks?: readonly EveryRowSink[];
  /** Rows per chunk (default 16,384). */
  readonly chunkRows?: number;
}

/**
 * Explains every row of `options.file`. Progress: fraction of the expected rows, per chunk.
 * Throws CancelledError within one chunk of hooks.signal aborting; DataError as the reader does.
 */
export async function explainEveryRow(options: EveryRowOptions, hooks?: JobHooks): Promise<EveryRowTotals> {
  const { units, weakCut } = options;
  const U = units.length;
  const k = options.given.model.k;
  // Model column m is unit unitOf[m] (the model's columns are the dataset's feature columns).
  const unitOf = modelColumns(options.given).map((c) => units.indexOf(c));
  const C = unitOf.length;
  const sizes = new Float64Array(k);
  const evidenceSum = new Float64Array(k);
  const evidenceCount = new Float64Array(k);
  const weak = new Float64Array(k);
  const relevanceSum = new Float64Array(k * U);
  const relevanceCount = new Float64Array(k * U);
  const notes: string[] = [];
  let rows = 0;
  const reader = await openTable(options.file, options.open);
  try {
    for (const sink of options.sinks ?? []) sink.begin?.(units, unitOf);
    const stream = explainTableStream(reader, options.given, {
      beta: options.neuralized.neon.beta,
      evidence: options.neuralized.neon.evidence,
      rule: options.neuralized.neon.rule,
      neuralized: options.neuralized,
      chunkRows: options.chunkRows ?? 16_384,
      ...(hooks?.signal ? { signal: hooks.signal } : {}),
    });
    for await (const chunk of stream) {
      throwIfAborted(hooks);
      notes.push(...chunk.notes);
      const n = chunk.rows;
      const relevance = new Float64Array(n * U);
      for (let i = 0; i < n; i++) {
        const c = chunk.cluster[i];
        const e = chunk.evidence[i];
        sizes[c]++;
        if (Number.isFinite(e)) {
          evidenceSum[c] += e;
          evidenceCount[c]++;
        }
        if (e < weakCut) weak[c]++;
        for (let m = 0; m < C; m++) {
          const u = unitOf[m];
          if (u < 0) continue;
          const r = chunk.relevance[i * C + m];
          relevance[i * U + u] = r;
          if (!Number.isFinite(r)) continue;
          relevanceSum[c * U + u] += r;
          relevanceCount[c * U + u]++;
        }
      }
      for (const sink of options.sinks ?? []) await sink.write({ firstRow: chunk.firstRow, ...(chunk.rowIndex ? { rowIndex: chunk.rowIndex } : {}), rows: n, rowLine: chunk.rowLine, cluster: chunk.cluster, evidence: chunk.evidence, probability: chunk.probability, relevance });
      rows += n;
      hooks?.onProgress?.({ stage: 'explaining every row', fraction: Math.min(1, rows / Math.max(1, options.totalRows)), message: `${rows.toLocaleString('en')} of ${options.totalRows.toLocaleString('en')} rows of ${path.basename(options.file)}` });
    }
  } finally {
    await reader.close();
  }
  const meanEvidence = evidenceSum.map((s, c) => s / Math.max(1, evidenceCount[c]));
  const meanRelevance = relevanceSum.map((s, t) => s / Math.max(1, relevanceCount[t]));
  return { rows, sizes, meanEvidence, weak, meanRelevance, notes };
}

/**
 * The sample's cluster summaries with what is known over every row put in: size, mean
 * evidence, weakly assigned members and the mean relevance ranking (`top`). `eligible(u)`:
 * unit u is a feature column. Labels and purity stay the sample's.
 */
export function clustersOverEveryRow(clusters: readonly ClusterSummary[], totals: EveryRowTotals, units: readonly string[], eligible: (u: number) => boolean): ClusterSummary[] {
  const U = units.length;
  return clusters.map((s, c) => {
    const mean = totals.meanRelevance.subarray(c * U, (c + 1) * U);
    const top = rank(units, mean, eligible, TOP_UNITS).map((u) => ({ name: units[u], relevance: mean[u] }));
    const size = totals.sizes[c];
    return {
      ...s,
      size,
      top,
      meanEvidence: totals.meanEvidence[c],
      weakMembers: totals.weak[c],
      ...(size === 0 ? { label: '(empty)' } : s.size === 0 ? { label: unsampledLabel(top) } : {}),
    };
  });
}

/**
 * The name of a cluster the fitted sample has no member of, from what the streaming pass saw:
 * its columns of highest mean relevance over every row it got (the table rule's LABEL_SHARE
 * cut), without a direction (high / low needs the members' values, which the pass does not
 * keep), and why it is named so.
 */
export function unsampledLabel(top: readonly { readonly name: string; readonly relevance: number }[]): string {
  const floor = top.length ? LABEL_SHARE * top[0]!.relevance : 0;
  const names = top.filter((t) => t.relevance > 0 && t.relevance >= floor).slice(0, LABEL_UNITS).map((t) => t.name);
  return `${names.length ? names.join(' · ') : 'no column stands out'} (no member in the fitted sample: named from every row's relevance)`;
}
