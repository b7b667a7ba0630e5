/**
 * Clusterwise stability (Hennig 2007, "Cluster-wise assessment of cluster stability",
 * Computational Statistics & Data Analysis 52: 258-271; the "subsetting" scheme of R's
 * fpc::clusterboot): re-fit k-means on `refits` seeded random subsamples of the rows
 * (a `fraction` of them, drawn without replacement, each with its own k-means seed), and score
 * every cluster C of the given partition by the mean over the re-fits of
 *
 *   max over the re-fit's clusters D of  |C ∩ S ∩ D| / |(C ∩ S) ∪ D|        (Jaccard)
 *
 * where S is the subsample. 1 = the cluster comes back intact every time; Hennig reads
 * < 0.5 as "dissolved" and ≥ 0.75 as stable. A catch-all, a cluster made of the leftovers of
 * several topics, is split and re-joined differently on each re-fit and scores low, while a
 * real topic keeps coming back even when its documents are as far from the others as the
 * catch-all's are (which is why cohesion and evidence alone cannot tell them apart: README,
 * "Text clustering quality").
 *
 * Chance level (`chance`): the same best-match Jaccard with each re-fit's labels shuffled over its
 * subsample (cluster sizes kept; CHANCE_PERMUTATIONS shuffles per re-fit), as the adjusted Rand
 * index corrects the Rand index (Hubert & Arabie 1985). A cluster of 2 documents among 27 matches
 * some re-fit cluster of 2-3 documents at a Jaccard of 0.3-0.9 by chance alone, a cluster of 300
 * at ~0.05, so raw stabilities of tiny and large clusters are not comparable; (J − chance) /
 * (1 − chance) is (chanceCorrected below).
 *
 * The re-fits run through fitKMeans, so on the compute pool, cancellable through
 * `hooks.signal` (CancelledError), and deterministic for a seed whatever the thread count.
 */
import { OptionError } from '../errors';
import { throwIfAborted } from '../jobs';
import { fitKMeans } from '../cluster/kmeans';
import { Rng } from '../rng';
import type { JobHooks, Matrix, Progress } from '../types';

/** Re-fits per stability measure: Hennig's clusterboot uses 100; 10 puts a cluster's score within about ±0.05 (its re-fit spread / √10 on fortunes) at ~10 small fits. */
export const STABILITY_REFITS = 10;
/** A cluster below this stability has "dissolved" (Hennig 2007, section 5). */
export const DISSOLVED_JACCARD = 0.5;
/** A cluster at or above this stability is "stable" (Hennig 2007, section 5). */
export const STABLE_JACCARD = 0.75;
/** Share of the rows each re-fit sees (subsetting without replacement; no duplicated rows). */
export const STABILITY_FRACTION = 0.75;
/** k-means++ starts per re-fit: the re-fits ask what k-means finds, not its best of many. */
export const STABILITY_RESTARTS = 3;
/** Label shuffles per re-fit for the chance level: 10 re-fits x 20 give a cluster's chance Jaccard within ~0.01 (large clusters) to ~0.03 (2-document clusters). */
export const CHANCE_PERMUTATIONS = 20;
/** Above this many rows the subsamples are drawn from a seeded sample of this size (bounded cost). */
export const STABILITY_MAX_ROWS = 20_000;

export interface StabilityOptions {
  readonly seed: number;
  readonly refits?: number;
  readonly fraction?: number;
  readonly restarts?: number;
  readonly maxRows?: number;
}

export interface ClusterStability {
  /** Per cluster (length K): mean Jaccard with its best match over the re-fits; NaN for a cluster no subsample contained. */
  readonly jaccard: Float64Array;
  /** Per cluster and re-fit (K x refits, row-major): the Jaccard of each re-fit; NaN where the cluster was absent. */
  readonly perRefit: Float64Array;
  /** Per cluster (length K): the mean best-match Jaccard with the re-fits' labels shuffled (chance level); NaN where jaccard is. */
  readonly chance: Float64Array;
  /** Re-fits run (0 when there were too few rows to measure). */
  readonly refits: number;
  /** Rows each re-fit clustered. */
  readonly rowsPerRefit: number;
}

/**
 * Stability of each cluster of `labels` (length N, values in 0..k-1; -1 = no cluster, left
 * out) over k-means re-fits on subsamples of X (N x D, row-major).
 * Throws OptionError for a k < 2, labels of the wrong length or a fraction outside (0, 1];
 * CancelledError when aborted.
 */
export async function clusterStability(X: Matrix, labels: Int32Array, k: number, options: StabilityOptions, hooks?: JobHooks): Promise<ClusterStability> {
  const refits = options.refits ?? STABILITY_REFITS;
  const fraction = options.fraction ?? STABILITY_FRACTION;
  const restarts = options.restarts ?? STABILITY_RESTARTS;
  const maxRows = options.maxRows ?? STABILITY_MAX_ROWS;
  if (!Number.isInteger(k) || k < 2) throw new OptionError(`cluster stability needs k >= 2, got ${k}`);
  if (labels.length !== X.rows) throw new OptionError(`cluster stability: ${labels.length} labels for ${X.rows} rows`);
  if (!(fraction > 0 && fraction <= 1)) throw new OptionError(`cluster stability: the subsample fraction must be in (0, 1], got ${fraction}`);
  if (!Number.isInteger(refits) || refits < 1) throw new OptionError(`cluster stability: refits must be an integer >= 1, got ${refits}`);

  const rng = new Rng(options.seed);
  // Its own stream, so the re-fits (and their Jaccards) are the same with or without it.
  const shuffler = new Rng(options.seed ^ 0x5bd1e995);
  // The rows that belong to a cluster, capped at maxRows by a seeded sample.
  let pool: Int32Array = Int32Array.from({ length: X.rows }, (_, i) => i).filter((i) => labels[i] >= 0 && labels[i] < k);
  if (pool.length > maxRows) pool = rng.shuffle(pool).slice(0, maxRows).sort();
  const d = X.cols;
  if (pool.length <= k) {
    // Too few rows to re-fit k clusters on a subsample: nothing is measured.
    const none = new Float64Array(k).fill(Number.NaN);
    return { jaccard: none, chance: none, perRefit: new Float64Array(k * refits).fill(Number.NaN), refits: 0, rowsPerRefit: 0 };
  }
  const m = Math.max(k, Math.round(fraction * pool.length));
  const sub = new Float64Array(m * d);
  const perRefit = new Float64Array(k * refits).fill(Number.NaN);
  const inSub = new Int32Array(k);
  const overlap = new Int32Array(k * k);
  const refitSize = new Int32Array(k);
  const chanceSum = new Float64Array(k);
  const chanceSeen = new Int32Array(k);
  const shuffled = new Int32Array(m);

  for (let b = 0; b < refits; b++) {
    throwIfAborted(hooks);
    const picked = rng.shuffle(pool.slice()).subarray(0, m).sort();
    for (let r = 0; r < m; r++) sub.set(X.data.subarray(picked[r] * d, picked[r] * d + d), r * d);
    const inner: JobHooks = {
      ...(hooks?.signal ? { signal: hooks.signal } : {}),
      onProgress: (p: Progress) => hooks?.onProgress?.({ stage: 'stability', fraction: (b + (p.fraction ?? 0)) / refits, message: `re-fit ${b + 1}/${refits}` }),
    };
    const fit = await fitKMeans({ rows: m, cols: d, data: sub }, { k, seed: rng.int(0x7fffffff), restarts }, inner);
    inSub.fill(0);
    overlap.fill(0);
    refitSize.fill(0);
    for (let r = 0; r < m; r++) {
      const c = labels[picked[r]];
      const e = fit.labels[r];
      inSub[c]++;
      refitSize[e]++;
      overlap[c * k + e]++;
    }
    for (let c = 0; c < k; c++) {
      if (inSub[c] === 0) continue;
      perRefit[c * refits + b] = bestJaccard(overlap, c, k, inSub[c], refitSize);
    }
    // Chance: the re-fit's labels shuffled over the subsample (same inSub and refitSize).
    shuffled.set(fit.labels);
    for (let p = 0; p < CHANCE_PERMUTATIONS; p++) {
      shuffler.shuffle(shuffled);
      overlap.fill(0);
      for (let r = 0; r < m; r++) overlap[labels[picked[r]] * k + shuffled[r]]++;
      for (let c = 0; c < k; c++) {
        if (inSub[c] === 0) continue;
        chanceSum[c] += bestJaccard(overlap, c, k, inSub[c], refitSize);
        chanceSeen[c]++;
      }
    }
  }
  hooks?.onProgress?.({ stage: 'stability', fraction: 1 });
  const jaccard = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let sum = 0;
    let seen = 0;
    for (let b = 0; b < refits; b++) {
      const j = perRefit[c * refits + b];
      if (Number.isNaN(j)) continue;
      sum += j;
      seen++;
    }
    jaccard[c] = seen ? sum / seen : Number.NaN;
  }
  const chance = chanceSum.map((sum, c) => (chanceSeen[c] ? sum / chanceSeen[c] : Number.NaN));
  return { jaccard, chance, perRefit, refits, rowsPerRefit: m };
}

/** max over the re-fit's clusters e of |c ∩ e| / |c ∪ e|, from the K x K overlap counts (row c). */
function bestJaccard(overlap: Int32Array, c: number, k: number, size: number, refitSize: Int32Array): number {
  let best = 0;
  for (let e = 0; e < k; e++) {
    const both = overlap[c * k + e];
    if (both > 0) best = Math.max(best, both / (size + refitSize[e] - both));
  }
  return best;
}

/**
 * Stability corrected for chance, (J − chance) / (1 − chance): 0 = no better than shuffled
 * labels, 1 = intact every time, negative = worse than chance (the form of the adjusted Rand
 * index). A cluster whose chance level is 1 (nothing to tell apart) scores 0; NaN stays NaN.
 */
export function chanceCorrected(jaccard: number, chance: number): number {
  if (!Number.isFinite(jaccard) || !Number.isFinite(chance)) return Number.NaN;
  return chance >= 1 ? 0 : (jaccard - chance) / (1 - chance);
}
