/**
 * Suggests the number of clusters: fits k-means for every k in the range and scores each
 * partition by its mean silhouette (evaluate/metrics.ts; a seeded subsample of at most
 * SILHOUETTE_SAMPLE points for large N, the same subsample for every k so the scores are
 * comparable). The highest silhouette wins; ties go to the smaller k. All scores are
 * returned so the user sees how clear the choice is.
 *
 * Text (`criterion: 'stability'`): on unit-length document vectors the silhouette is flat
 * (fortunes.jsonl: 0.049-0.060 over k = 2..10) and carries no signal about k. Each k's
 * partition is instead re-fitted on STABILITY_REFITS random subsamples
 * (evaluate/clusterStability.ts, Hennig 2007) and scored by the sum over its clusters of
 * (stability - 0.5): each cluster counts by how far it is from dissolving (Hennig's 0.5). Too
 * few clusters leave topics merged (each stable, but few); too many cut topics into parts
 * that the re-fits cut differently (below 0.5, they subtract): the sum peaks where the
 * partition matches the topics the data supports. Ties go to the smaller k. The count of
 * stable clusters (>= 0.75) is shown too, but as a criterion it jumps with the re-fits' noise.
 * Measured on three labelled corpora in bench/text-quality.ts (README, "k = auto"). The
 * silhouettes are still computed and shown.
 *
 * Each k uses SUGGEST_RESTARTS k-means++ starts (fewer than a final fit: the silhouette
 * ranking rarely depends on the last bit of inertia) and the same seed. Above
 * SUGGEST_MAX_ROWS rows the fits run on a seeded uniform subsample of that many rows: the
 * silhouette only ever sees a few thousand points, and choosing k must not cost more than
 * the final fit.
 */
import { OptionError } from '../errors';
import { throwIfAborted } from '../jobs';
import { Rng } from '../rng';
import type { JobHooks, KSuggestion, Matrix, Progress } from '../types';
import { clusterStability, DISSOLVED_JACCARD, STABLE_JACCARD } from '../evaluate/clusterStability';
import { silhouetteAsync } from '../evaluate/silhouette';
import { fitKMeans } from './kmeans';

export const SUGGEST_RESTARTS = 3;
export const SUGGEST_MAX_ROWS = 20_000;
export interface SuggestKOptions {
  /** 'silhouette' (default): the best mean silhouette. 'stability' (text): the most stable clusters. */
  readonly criterion?: 'silhouette' | 'stability';
}

type KScore = KSuggestion['scores'][number];

export async function suggestK(X: Matrix, range: readonly [number, number], seed: number, hooks?: JobHooks, options: SuggestKOptions = {}): Promise<KSuggestion> {
  const [from, to] = range;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 2 || to < from) {
    throw new OptionError(`k range must be two integers 2 <= from <= to, got [${from}, ${to}]`);
  }
  const last = Math.min(to, X.rows - 1);
  if (last < from) throw new OptionError(`k range [${from}, ${to}] needs at least ${from + 1} rows, the data has ${X.rows}`);
  const sample = subsample(X, SUGGEST_MAX_ROWS, seed);
  const scores: KScore[] = [];
  const byStability = options.criterion === 'stability';
  const count = last - from + 1;
  for (let k = from; k <= last; k++) {
    const step = k - from;
    const inner: JobHooks = {
      ...(hooks?.signal ? { signal: hooks.signal } : {}),
      onProgress: (p: Progress) =>
        hooks?.onProgress?.({ stage: 'choosing k', fraction: (step + (p.fraction ?? 0)) / count, message: `k = ${k}` }),
    };
    const fit = await fitKMeans(sample, { k, seed, restarts: SUGGEST_RESTARTS }, inner);
    throwIfAborted(hooks);
    const silhouette = await silhouetteAsync(sample, fit.labels, fit.model.k, { seed }, hooks?.signal ? { signal: hooks.signal } : undefined);
    if (!byStability) {
      scores.push({ k, silhouette });
      continue;
    }
    const stability = await clusterStability(sample, fit.labels, fit.model.k, { seed }, hooks?.signal ? { signal: hooks.signal } : undefined);
    const jaccard = Array.from(stability.jaccard).filter(Number.isFinite);
    scores.push({
      k,
      silhouette,
      stableClusters: jaccard.filter((j) => j >= STABLE_JACCARD).length,
      stability: jaccard.length ? jaccard.reduce((a, j) => a + j, 0) / jaccard.length : Number.NaN,
      stabilityScore: jaccard.reduce((a, j) => a + (j - DISSOLVED_JACCARD), 0),
    });
  }
  hooks?.onProgress?.({ stage: 'choosing k', fraction: 1 });
  if (byStability) {
    let best = scores[0];
    for (const s of scores) if ((s.stabilityScore ?? -Infinity) > (best.stabilityScore ?? -Infinity)) best = s;
    return {
      k: best.k,
      scores,
      rule: `the most stable clusters over re-fits on subsamples (sum of stability - ${DISSOLVED_JACCARD}: ${best.stabilityScore?.toFixed(2)}; ${best.stableClusters} of ${best.k} clusters stable)`,
    };
  }
  let best = scores[0];
  for (const s of scores) if (s.silhouette > best.silhouette) best = s;
  return { k: best.k, scores, rule: 'the best silhouette' };
}

/** X itself when small enough, else `rows` rows drawn without replacement (seeded, in order). */
function subsample(X: Matrix, rows: number, seed: number): Matrix {
  if (X.rows <= rows) return X;
  const order = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  const picked = order.slice(0, rows).sort();
  const d = X.cols;
  const data = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) data.set(X.data.subarray(picked[r] * d, picked[r] * d + d), r * d);
  return { rows, cols: d, data };
}
