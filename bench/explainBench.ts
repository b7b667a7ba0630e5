/**
 * Explaining all N points (NEON relevance for every row, the way the pipeline does it) vs
 * one assignment pass (nearest centroid for every row) on the same fitted model and data.
 */
import { assignNearest, fitKMeans } from '../src/engine/cluster/kmeans';
import { neuralizeKMeans } from '../src/engine/neuralize/kmeans';
import { makeBlobs, pickInit } from './blobs';

export interface ExplainRow {
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly assignMs: number;
  readonly explainMs: number;
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

  const nm = neuralizeKMeans(fit.model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
  const x = new Float64Array(d);
  let maxErr = 0;
  t0 = performance.now();
  for (let i = 0; i < n; i++) {
    x.set(X.data.subarray(i * d, (i + 1) * d));
    const e = nm.explain(x);
    let s = 0;
    for (let j = 0; j < d; j++) s += e.relevance[j];
    const err = Math.abs(s - e.evidence) / Math.max(1e-12, Math.abs(e.evidence));
    if (err > maxErr) maxErr = err;
  }
  const explainMs = performance.now() - t0;
  return { n, d, k, assignMs, explainMs, maxConservationError: maxErr };
}
