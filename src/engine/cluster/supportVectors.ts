/**
 * Support-vector reduction for kernel k-means (neon-method.md, "Kernel k-means": "reduce each
 * cluster to a few support vectors (e.g. a small k-means inside the cluster)").
 *
 * A cluster with members C_k is represented by S points x_j (the centroids of a small
 * k-means run on the members, or the members themselves when there are at most S of them),
 * all with equal weight. The reduced model's inlier score is the similarity to the unit-norm
 * feature-space centroid of those points:
 *     i_k(x) = z_k⁻¹ Σ_j k(x, x_j),   z_k = || Σ_j φ(x_j) || = sqrt(Σ_{j,j'} k(x_j, x_j')),
 * and b_k = (1/γ) log z_k is the bias of the outlier score o_k = smin_γ_j ||x − x_j||² + b_k.
 * The reduction is independent of γ (plain input-space k-means), so the stiff bandwidth can be
 * tuned on the reduced points without a circular dependency.
 */
import { ModelError, OptionError } from '../errors';
import type { JobHooks, Matrix } from '../types';
import { fitKMeans } from './kmeans';

export interface ReducedClusters {
  /** M x D, grouped by cluster: the support vectors of cluster 0 first, then cluster 1, ... */
  readonly supportVectors: Matrix;
  readonly supportCluster: Int32Array;
  readonly warnings: string[];
}

/** Restarts of the small per-cluster k-means (cheap: a cluster has a few hundred members). */
const REDUCTION_RESTARTS = 3;

/**
 * Reduces every cluster of `labels` (values 0..k−1, none empty) to at most `perCluster`
 * support vectors. Seeded: cluster c's k-means uses seed + c.
 */
export async function reduceToSupportVectors(
  X: Matrix,
  labels: Int32Array,
  k: number,
  perCluster: number,
  seed: number,
  hooks?: JobHooks,
): Promise<ReducedClusters> {
  if (!Number.isInteger(perCluster) || perCluster < 1) {
    throw new OptionError(`kernel k-means: supportVectorsPerCluster must be an integer >= 1, got ${perCluster}`);
  }
  if (labels.length !== X.rows) throw new OptionError(`support vectors: ${labels.length} labels for ${X.rows} rows`);
  const d = X.cols;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!(c >= 0 && c < k)) throw new OptionError(`support vectors: label ${c} of row ${i + 1} is outside 0..${k - 1}`);
    members[c].push(i);
  }
  const blocks: Float64Array[] = [];
  const warnings: string[] = [];
  for (let c = 0; c < k; c++) {
    const rows = members[c];
    if (rows.length === 0) throw new ModelError(`support vectors: cluster ${c} has no members`);
    const sub = new Float64Array(rows.length * d);
    for (let r = 0; r < rows.length; r++) sub.set(X.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
    if (rows.length <= perCluster) {
      blocks.push(sub);
      continue;
    }
    const fit = await fitKMeans({ rows: rows.length, cols: d, data: sub }, { k: perCluster, seed: seed + c, restarts: REDUCTION_RESTARTS }, hooks);
    for (const w of fit.warnings) warnings.push(`cluster ${c} support vectors: ${w}`);
    blocks.push(fit.model.centroids);
  }
  let m = 0;
  for (const b of blocks) m += b.length / d;
  const data = new Float64Array(m * d);
  const supportCluster = new Int32Array(m);
  let at = 0;
  blocks.forEach((b, c) => {
    data.set(b, at * d);
    supportCluster.fill(c, at, at + b.length / d);
    at += b.length / d;
  });
  return { supportVectors: { rows: m, cols: d, data }, supportCluster, warnings };
}

/**
 * b_k = (1/γ) log z_k with z_k = sqrt(Σ_{j,j' ∈ C_k} exp(−γ ||x_j − x_j'||²)) (unit-norm centroid).
 * A cluster without support vectors is a ModelError (its score would be undefined).
 */
export function supportVectorBias(supportVectors: Matrix, supportCluster: Int32Array, k: number, gamma: number): Float64Array {
  const { rows: m, cols: d, data } = supportVectors;
  const total = new Float64Array(k);
  for (let a = 0; a < m; a++) {
    const ca = supportCluster[a];
    total[ca] += 1;
    for (let b = a + 1; b < m; b++) {
      if (supportCluster[b] !== ca) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[a * d + t] - data[b * d + t];
        s += diff * diff;
      }
      total[ca] += 2 * Math.exp(-gamma * s);
    }
  }
  const bias = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    if (total[c] === 0) throw new ModelError(`kernel k-means: cluster ${c} has no support vectors`);
    bias[c] = (0.5 * Math.log(total[c])) / gamma;
  }
  return bias;
}
