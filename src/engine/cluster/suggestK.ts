/**
 * Suggests the number of clusters: fits k-means for every k in the range and scores each
 * partition by its mean silhouette (evaluate/metrics.ts; a seeded subsample of at most
 * SILHOUETTE_SAMPLE points for large N, the same subsample for every k so the scores are
 * comparable). The highest silhouette wins; ties go to the smaller k. All scores are
 * returned so the user sees how clear the choice is.
 *
 * Text (`criterion: 'stability'`): on unit-length document vectors the silhouette is small
 * (fortunes.jsonl: 0.056-0.066 over k = 2..10) and nearly flat where topics overlap. Each k's
 * partition is re-fitted on STABILITY_REFITS random subsamples (evaluate/clusterStability.ts,
 * Hennig 2007) and scored by
 *
 *   score(k) = Σ over its clusters of (stability corrected for chance − 0.5)  ×  max(0, silhouette)
 *
 * The stability sum counts each cluster by how far it is from dissolving (Hennig's 0.5): too
 * few clusters leave topics merged (stable, but few), too many cut topics into parts the
 * re-fits cut differently. Two corrections make it work on clean corpora (README, "k = auto";
 * trial s18 defect D2: samples/notes, 4 topics x 9, got k = 10):
 * - chance: a cluster of 2 notes matches some re-fit cluster well by chance alone (expected
 *   best-match Jaccard 0.3-0.9, against ~0.05 for a cluster of 300), so splinters of 2-3
 *   documents scored as stable as real topics; the stability is corrected for the chance level
 *   (clusterStability's `chance`, the adjusted-Rand form).
 * - separation: on a large clean corpus a topic cut in two comes back on most re-fits too
 *   (k-means' optimum is unique, so stable, whether or not k is right: Ben-David, von Luxburg &
 *   Pál 2006), and 10 such parts at 0.75 outscore 4 perfect topics. The silhouette says whether
 *   the clusters are separated: a clean corpus has a sharp silhouette peak (tickets: 0.64 at
 *   k = 4, 0.18 at k = 10), an overlapping one a flat silhouette that leaves the choice to
 *   stability. The product weighs a relative gain in one against a relative loss in the other
 *   equally (no tuned constant).
 * Ties go to the smaller k. The count of stable clusters (raw stability >= 0.75) is shown
 * too, but as a criterion it jumps with the re-fits' noise. Measured on six labelled corpora
 * with bench/text-k-auto.ts.
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
import { chanceCorrected, clusterStability, DISSOLVED_JACCARD, STABLE_JACCARD } from '../evaluate/clusterStability';
import { silhouetteAsync } from '../evaluate/silhouette';
import { fitKMeans } from './kmeans';

export const SUGGEST_RESTARTS = 3;
export const SUGGEST_MAX_ROWS = 20_000;
export interface SuggestKOptions {
  /** 'silhouette' (default): the best mean silhouette. 'stability' (text): the best chance-corrected stability sum x silhouette. */
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
    const corrected = Array.from(stability.jaccard, (j, c) => chanceCorrected(j, stability.chance[c])).filter(Number.isFinite);
    const stabilityScore = corrected.reduce((a, j) => a + (j - DISSOLVED_JACCARD), 0);
    scores.push({
      k,
      silhouette,
      stableClusters: jaccard.filter((j) => j >= STABLE_JACCARD).length,
      stability: jaccard.length ? jaccard.reduce((a, j) => a + j, 0) / jaccard.length : Number.NaN,
      stabilityScore,
      score: stabilityScore * Math.max(0, silhouette),
    });
  }
  hooks?.onProgress?.({ stage: 'choosing k', fraction: 1 });
  if (byStability) {
    let best = scores[0];
    for (const s of scores) if ((s.score ?? -Infinity) > (best.score ?? -Infinity)) best = s;
    return {
      k: best.k,
      scores,
      rule:
        `the most stable, best separated clusters (stability over re-fits on subsamples × silhouette: ${best.stabilityScore?.toFixed(2)} × ${best.silhouette.toFixed(3)} = ${best.score?.toFixed(3)}; ` +
        `${best.stableClusters} of ${best.k} clusters stable)`,
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
