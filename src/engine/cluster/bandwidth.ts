/**
 * Bandwidth (γ) of the Gaussian kernel k(x, x') = exp(−γ ||x − x'||²) used by kernel k-means
 * (neon-method.md, "Kernel k-means", "Bandwidth matters").
 *
 * - `stiffGamma`: the paper's stiff kernel. γ is chosen so that, on average over the support
 *   vectors, a support vector's similarity to itself (always 1) is `target` (0.9) of its total
 *   similarity to the support vectors of its own cluster:
 *       share(γ) = mean over j of 1 / Σ_{j' ∈ C(j)} exp(−γ ||x_j − x_j'||²) = target.
 *   Every term grows monotonically with γ (from 1/|C(j)| at γ = 0 to 1 as γ → ∞ when the
 *   cluster has no duplicate points), so share(γ) is monotone and a bisection on log γ finds it.
 *   Clusters reduced to a single support vector have share 1 for every γ and are left out of
 *   the mean (they carry no information about the bandwidth).
 * - `medianGamma`: the common "loose" heuristic γ = 1 / median squared pairwise distance.
 */
import { ModelError, OptionError } from '../errors';
import { Rng } from '../rng';
import type { Matrix } from '../types';

/** The default stiffness target of the paper: self-similarity = 90% of the cluster similarity. */
export const STIFF_SELF_SHARE = 0.9;

export interface BandwidthChoice {
  readonly gamma: number;
  /** share(γ) actually reached (equals the target up to the bisection tolerance unless `note`). */
  readonly selfShare: number;
  /** Set when the target could not be reached and a fallback was used. */
  readonly note?: string;
}

/** Squared Euclidean distance between row ai of `a` and row bi of `b` (both d wide). */
function rowDistance2(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  const oa = ai * d;
  const ob = bi * d;
  for (let t = 0; t < d; t++) {
    const diff = a[oa + t] - b[ob + t];
    s += diff * diff;
  }
  return s;
}

/**
 * Within-cluster pair distances of the support vectors, grouped per support vector: the
 * bisection evaluates share(γ) ~60 times, so the distances are computed once.
 */
interface WithinClusterPairs {
  /** For support vector j (only those in clusters with ≥ 2 members): pairStart[j]..pairStart[j+1]. */
  readonly pairStart: Int32Array;
  readonly distance2: Float64Array;
  /** Number of support vectors that take part (in clusters with ≥ 2 support vectors). */
  readonly counted: number;
}

function withinClusterPairs(sv: Matrix, cluster: Int32Array): WithinClusterPairs {
  const m = sv.rows;
  const d = sv.cols;
  const size = new Map<number, number>();
  for (let j = 0; j < m; j++) size.set(cluster[j], (size.get(cluster[j]) ?? 0) + 1);
  const pairStart = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) {
    const n = size.get(cluster[j]) ?? 0;
    pairStart[j + 1] = pairStart[j] + (n >= 2 ? n - 1 : 0);
  }
  const distance2 = new Float64Array(pairStart[m]);
  let counted = 0;
  for (let j = 0; j < m; j++) {
    if (pairStart[j + 1] === pairStart[j]) continue;
    counted++;
    let p = pairStart[j];
    for (let q = 0; q < m; q++) {
      if (q !== j && cluster[q] === cluster[j]) distance2[p++] = rowDistance2(sv.data, j, sv.data, q, d);
    }
  }
  return { pairStart, distance2, counted };
}

function shareAt(pairs: WithinClusterPairs, gamma: number): number {
  const { pairStart, distance2, counted } = pairs;
  let total = 0;
  for (let j = 0; j + 1 < pairStart.length; j++) {
    const from = pairStart[j];
    const to = pairStart[j + 1];
    if (from === to) continue;
    let s = 1; // k(x_j, x_j)
    for (let p = from; p < to; p++) s += Math.exp(-gamma * distance2[p]);
    total += 1 / s;
  }
  return total / counted;
}

/**
 * Mean self-similarity share of the support vectors at bandwidth γ (see the file comment).
 * NaN when no cluster has two or more support vectors.
 */
export function selfSimilarityShare(supportVectors: Matrix, supportCluster: Int32Array, gamma: number): number {
  const pairs = withinClusterPairs(supportVectors, supportCluster);
  return pairs.counted === 0 ? NaN : shareAt(pairs, gamma);
}

/**
 * Stiff bandwidth for given (reduced) support vectors: bisection on log γ for
 * share(γ) = target. Bracket: starts at 1 / median within-cluster squared distance and is
 * widened by factors of 10; 80 halvings of the log-bracket then give γ to ~1e-12 relative.
 */
export function stiffGamma(
  supportVectors: Matrix,
  supportCluster: Int32Array,
  target: number = STIFF_SELF_SHARE,
): BandwidthChoice {
  if (!(target > 0 && target < 1)) throw new OptionError(`stiff bandwidth: target self-similarity share must be in (0, 1), got ${target}`);
  if (supportCluster.length !== supportVectors.rows) {
    throw new OptionError(`stiff bandwidth: ${supportCluster.length} cluster labels for ${supportVectors.rows} support vectors`);
  }
  const pairs = withinClusterPairs(supportVectors, supportCluster);
  if (pairs.counted === 0) {
    const gamma = medianGamma(supportVectors);
    return { gamma, selfShare: 1, note: 'every cluster has a single support vector: the stiff heuristic is undefined, used 1/median squared distance' };
  }
  const positive = Array.from(pairs.distance2).filter((v) => v > 0).sort((a, b) => a - b);
  if (positive.length === 0) {
    throw new ModelError('stiff bandwidth: all support vectors of every cluster coincide, the kernel bandwidth cannot be chosen');
  }
  const start = 1 / positive[positive.length >> 1];
  let lo = start;
  let hi = start;
  for (let t = 0; t < 40 && shareAt(pairs, lo) >= target; t++) lo /= 10;
  for (let t = 0; t < 40 && shareAt(pairs, hi) < target; t++) hi *= 10;
  const shareHi = shareAt(pairs, hi);
  if (shareHi < target) {
    return {
      gamma: hi,
      selfShare: shareHi,
      note: `duplicate support vectors cap the self-similarity share at ${shareHi.toFixed(3)} < ${target}: used the stiffest bandwidth tried`,
    };
  }
  let logLo = Math.log(lo);
  let logHi = Math.log(hi);
  for (let t = 0; t < 80; t++) {
    const mid = 0.5 * (logLo + logHi);
    if (shareAt(pairs, Math.exp(mid)) < target) logLo = mid;
    else logHi = mid;
  }
  const gamma = Math.exp(0.5 * (logLo + logHi));
  return { gamma, selfShare: shareAt(pairs, gamma) };
}

/**
 * Loose bandwidth γ = 1 / median squared pairwise distance. All pairs up to `maxPairs`
 * (default 200 000), beyond that a seeded sample of that many pairs. Zero distances
 * (duplicate rows) are left out so that duplicates cannot make γ infinite.
 */
export function medianGamma(X: Matrix, options: { seed?: number; maxPairs?: number } = {}): number {
  const n = X.rows;
  const d = X.cols;
  const maxPairs = options.maxPairs ?? 200_000;
  if (n < 2) throw new ModelError(`median bandwidth: needs at least 2 points, got ${n}`);
  const all = (n * (n - 1)) / 2;
  const values: number[] = [];
  if (all <= maxPairs) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = rowDistance2(X.data, i, X.data, j, d);
        if (v > 0) values.push(v);
      }
    }
  } else {
    const rng = new Rng(options.seed ?? 0);
    for (let t = 0; t < maxPairs; t++) {
      const i = rng.int(n);
      let j = rng.int(n - 1);
      if (j >= i) j++;
      const v = rowDistance2(X.data, i, X.data, j, d);
      if (v > 0) values.push(v);
    }
  }
  if (values.length === 0) throw new ModelError('median bandwidth: all points coincide, the kernel bandwidth cannot be chosen');
  values.sort((a, b) => a - b);
  const h = values.length >> 1;
  const median = values.length % 2 === 1 ? values[h] : 0.5 * (values[h - 1] + values[h]);
  return 1 / median;
}
