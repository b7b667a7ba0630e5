/**
 * Explaining all N points (NEON relevance for every row, the way the pipeline does it) vs
 * one assignment pass (nearest centroid for every row) on the same fitted model and data.
 */
import { assignNearest, fitKMeans } from '../src/engine/cluster/kmeans';
import { betaForTargetProbability, kmeansOutlierScores, TARGET_PROBABILITY_KMEANS } from '../src/engine/neuralize/beta';
import { neuralizeKMeans } from '../src/engine/neuralize/kmeans';
import { explainKMeansRows } from '../src/engine/neuralize/kmeansBatch';
import { makeBlobs, pickInit } from './blobs';

export interface ExplainRow {
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly assignMs: number;
  readonly explainMs: number;
  /** The per-point API extrapolated to N (allocates per point; used for single items). */
  readonly perPointMs: number;
  /** max |Σ_i R_i − f_c| / |f_c| over the rows: the speed is not bought with a wrong answer. */
  readonly maxConservationError: number;
}

export async function benchExplain(n: number, d: number, k: number): Promise<ExplainRow> {
  const { X } = makeBlobs(n, d, k, 7);
  const fit = await fitKMeans(X, { k, seed: 1, init: pickInit(X, k, 11), maxIterations: 20 });
  const labels = new Int32Array(n);
  let t0 = performance.now();
  assignNearest(X, fit.model.centroids, k, labels);
  const assignMs = performance.now() - t0;

  // β as the pipeline picks it by default (mean top soft-assignment probability 0.8).
  const beta = betaForTargetProbability(kmeansOutlierScores(fit.model, X), k, TARGET_PROBABILITY_KMEANS);
  const options = { beta, evidence: 'hard' as const, rule: 'midpoint' as const };
  const out = { cluster: new Int32Array(n), evidence: new Float64Array(n), probability: new Float64Array(n) };
  // The conservation check reads each row as it is delivered, the way the pipeline sums it per column.
  const sums = new Float64Array(n);
  t0 = performance.now();
  explainKMeansRows(fit.model, options, X, out, 0, n, (i, r) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += r[j];
    sums[i] = s;
  });
  const explainMs = performance.now() - t0;
  let maxErr = 0;
  for (let i = 0; i < n; i++) maxErr = Math.max(maxErr, Math.abs(sums[i] - out.evidence[i]) / Math.max(1e-12, Math.abs(out.evidence[i])));
  // The per-point API (`NeuralizedModel.explain`, used for single items) on a sample, for reference.
  const nm = neuralizeKMeans(fit.model, options);
  const sample = Math.min(n, 20_000);
  const x = new Float64Array(d);
  t0 = performance.now();
  for (let i = 0; i < sample; i++) {
    x.set(X.data.subarray(i * d, (i + 1) * d));
    nm.explain(x);
  }
  const perPointMs = ((performance.now() - t0) * n) / sample;
  return { n, d, k, assignMs, explainMs, perPointMs, maxConservationError: maxErr };
}
