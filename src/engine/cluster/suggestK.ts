/**
 * Suggests the number of clusters: fits k-means for every k in the range and scores each
 * partition by its mean silhouette (evaluate/metrics.ts; a seeded subsample of at most
 * SILHOUETTE_SAMPLE points for large N, the same subsample for every k so the scores are
 * comparable). The highest silhouette wins; ties go to the smaller k. All scores are
 * returned so the user sees how clear the choice is.
 *
 * Text (`tolerance`): on unit-length document vectors the silhouette creeps upwards with k
 * (many small tight clusters; fortunes.jsonl: 0.055 at k = 2..8, 0.058 at 10), so the best
 * score sits at the top of any range. The rule for text is parsimony: the smallest k whose
 * silhouette is within `tolerance` (a fraction, TEXT_K_TOLERANCE = 5%) of the best —
 * neighbouring k that score alike are not worth more clusters to read. Measured on three
 * labelled corpora in bench/text-quality.ts (README, "Choosing k for text").
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
import { silhouetteAsync } from '../evaluate/silhouette';
import { fitKMeans } from './kmeans';

export const SUGGEST_RESTARTS = 3;
export const SUGGEST_MAX_ROWS = 20_000;
/** Text: the smallest k within this fraction of the best silhouette is chosen. */
export const TEXT_K_TOLERANCE = 0.05;

export interface SuggestKOptions {
  /** Choose the smallest k whose silhouette is at least (1 - tolerance) x the best. Default 0. */
  readonly tolerance?: number;
}

export async function suggestK(X: Matrix, range: readonly [number, number], seed: number, hooks?: JobHooks, options: SuggestKOptions = {}): Promise<KSuggestion> {
  const [from, to] = range;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 2 || to < from) {
    throw new OptionError(`k range must be two integers 2 <= from <= to, got [${from}, ${to}]`);
  }
  const last = Math.min(to, X.rows - 1);
  if (last < from) throw new OptionError(`k range [${from}, ${to}] needs at least ${from + 1} rows, the data has ${X.rows}`);
  const sample = subsample(X, SUGGEST_MAX_ROWS, seed);
  const scores: { k: number; silhouette: number }[] = [];
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
    scores.push({ k, silhouette: await silhouetteAsync(sample, fit.labels, fit.model.k, { seed }, hooks?.signal ? { signal: hooks.signal } : undefined) });
  }
  let best = scores[0];
  for (const s of scores) if (s.silhouette > best.silhouette) best = s;
  hooks?.onProgress?.({ stage: 'choosing k', fraction: 1 });
  const tolerance = options.tolerance ?? 0;
  if (tolerance > 0 && best.silhouette > 0) {
    const floor = (1 - tolerance) * best.silhouette;
    const chosen = scores.find((s) => s.silhouette >= floor) ?? best;
    return {
      k: chosen.k,
      scores,
      rule: `the smallest k whose silhouette is within ${Math.round(100 * tolerance)}% of the best (${best.silhouette.toFixed(4)} at k = ${best.k})`,
    };
  }
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
