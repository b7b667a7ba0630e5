/**
 * Clustering quality for the pipeline, without blocking the worker: the same numbers as
 * evaluate/metrics.ts `qualityMetrics` (silhouette on the same seeded subsample of at most
 * SILHOUETTE_SAMPLE points, plus purity / NMI / ARI / accuracy against labels), but the
 * O(m² D) silhouette loop is split into chunks that yield to the event loop, so a Cancel posted
 * to the worker is seen within ~100 ms even on thousands of points.
 */
import { ari, clusteringAccuracy, nmi, purity, SILHOUETTE_SAMPLE } from '../evaluate/metrics';
import { throttledProgress, throwIfAborted, yieldToEventLoop } from '../jobs';
import { Rng } from '../rng';
import type { JobHooks, Matrix, QualityMetrics } from '../types';

const YIELD_MS = 40;

/** The subsample metrics.ts `silhouette` uses (seed 0), so both give the same value. */
function sampleIndex(n: number, sample: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (n <= sample) return all;
  new Rng(0).shuffle(all);
  return all.slice(0, sample).sort();
}

export async function chunkedSilhouette(X: Matrix, assignments: Int32Array, k: number, hooks?: JobHooks, sample = SILHOUETTE_SAMPLE): Promise<number> {
  const { rows: n, cols: d, data } = X;
  const idx = sampleIndex(n, sample);
  const m = idx.length;
  const sizes = new Float64Array(k);
  for (let a = 0; a < m; a++) sizes[assignments[idx[a]]]++;
  let used = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) used++;
  if (used < 2) return 0;
  const progress = throttledProgress(hooks);
  const sums = new Float64Array(k);
  let total = 0;
  let last = Date.now();
  for (let a = 0; a < m; a++) {
    if (Date.now() - last > YIELD_MS) {
      progress({ stage: 'quality', fraction: a / m, message: 'silhouette' });
      await yieldToEventLoop();
      throwIfAborted(hooks);
      last = Date.now();
    }
    sums.fill(0);
    const ia = idx[a] * d;
    for (let b = 0; b < m; b++) {
      if (a === b) continue;
      const ib = idx[b] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[ia + j] - data[ib + j];
        s += t * t;
      }
      sums[assignments[idx[b]]] += Math.sqrt(s);
    }
    const own = assignments[idx[a]];
    if (sizes[own] <= 1) continue; // a singleton's silhouette is 0
    const inner = sums[own] / (sizes[own] - 1);
    let outer = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0 && sums[c] / sizes[c] < outer) outer = sums[c] / sizes[c];
    const mx = Math.max(inner, outer);
    if (mx > 0) total += (outer - inner) / mx;
  }
  return total / m;
}

export async function computeQuality(X: Matrix, assignments: Int32Array, k: number, labels?: readonly string[], hooks?: JobHooks): Promise<QualityMetrics> {
  const silhouette = await chunkedSilhouette(X, assignments, k, hooks);
  if (!labels) return { silhouette };
  return {
    silhouette,
    purity: purity(labels, assignments),
    nmi: nmi(labels, assignments),
    ari: ari(labels, assignments),
    accuracy: clusteringAccuracy(labels, assignments),
  };
}
