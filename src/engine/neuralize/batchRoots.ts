/**
 * The reference rule (neuralize/rootPoint.ts) as a pluggable `BatchRule` of the k-means batch
 * path (kmeansBatch.ts): the root of competitor k's neuron on the line from the row x to the
 * reference r, i.e. the 'linear' form with factor s(x) = 2(x − r) (`base` r) and denominator
 *   Δ_k = h_k(x) − h_k(r)   (h_k(r) = ‖r − μ_k‖² − ‖r − μ_c‖², a K × K table built once),
 * guarded as rootPoint.ts says. When the guard moves the root (Δ_k about as small as the
 * row's distance allows, or of the wrong sign), the exact relevance has an extra term
 * a_k t_k w_k² (`shift`), which the batch path adds as its δ² term. The guard acts only where
 * the reference sits about as close to a boundary as the row.
 *
 * Pooling (issue 13): by default the competitors' weights come from the path from the row to
 * the network's root on the line through r (referencePath.ts, `poolWeights`): a_q = ∫ π_q dα,
 * the same linear form with no denominator and no moved root; rows without a root on that line
 * fall back to the shares and guarded roots above.
 */
import type { KMeansModel, NeonOptions } from '../types';
import type { BatchRule } from './kmeansBatch';
import { createPathScratch, pathPoolWeights } from './referencePath';
import { pairFloor, referenceDenominator, referenceShift } from './rootPoint';

/**
 * `options`: the evidence form and β (soft evidence is integrated numerically along the path),
 * and the pooling (default 'path'; 'min-takes-most' keeps the softmin shares with guarded roots).
 */
export function referenceBatchRule(model: KMeansModel, reference: Float64Array, options: Pick<NeonOptions, 'evidence' | 'beta' | 'pooling'> = { evidence: 'hard', beta: 1 }): BatchRule {
  const { k, dim, centroids: mu } = model;
  const r = Float64Array.from(reference);
  // ‖r − μ_k‖² and ‖w_ck‖² = 4‖μ_c − μ_k‖².
  const refDist = new Float64Array(k);
  for (let q = 0; q < k; q++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const t = r[j] - mu[q * dim + j];
      s += t * t;
    }
    refDist[q] = s;
  }
  const weightNorm2 = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let q = 0; q < k; q++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const w = 2 * (mu[c * dim + j] - mu[q * dim + j]);
        s += w * w;
      }
      weightNorm2[c * k + q] = s;
    }
  }
  let dist2 = 0;
  const path = options.pooling !== 'min-takes-most';
  const deltas = new Float64Array(k);
  const weightLength = weightNorm2.map(Math.sqrt);
  const scratch = createPathScratch(k);
  const soft = options.evidence === 'soft';
  return {
    form: 'linear',
    conservative: true,
    referenceTables: { refDist, weightNorm2, weightLength, path },
    ...(path
      ? {
          poolWeights(c: number, h: Float64Array, f: number, weights: Float64Array): boolean {
            // Δ_q = h_q(x) − h_q(r), h_q(r) = ‖r − μ_q‖² − ‖r − μ_c‖².
            for (let q = 0; q < k; q++) deltas[q] = q === c ? 0 : h[q] - (refDist[q] - refDist[c]);
            return pathPoolWeights(h, deltas, c, f, soft, options.beta, weights, scratch, weightLength, c * k, Math.sqrt(dist2)) >= 0;
          },
        }
      : {}),
    startRow(baseDistance2) {
      dist2 = baseDistance2;
    },
    denominator(c, q, h) {
      const w2 = weightNorm2[c * k + q];
      return referenceDenominator(h - (refDist[q] - refDist[c]), h >= 0, w2, dist2, pairFloor(w2));
    },
    base: r,
    shift(c, q, h, den) {
      return referenceShift(den, h - (refDist[q] - refDist[c]), weightNorm2[c * k + q]);
    },
  };
}
