/**
 * Step 1 of NEON (neon-method.md): rewrite the fitted model as a network, with the soft
 * min-pool stiffness β resolved from the data when it is 'auto' — chosen so the mean highest
 * soft-assignment probability over the data is 0.8 for standard k-means and 0.9 for the
 * kernel and deep variants, as in the paper.
 */
import { OptionError } from '../errors';
import { deepOutlierScores, neuralizeDeepKMeans } from '../neuralize/deepKMeans';
import { neuralizeIdc } from '../neuralize/idc';
import { kernelOutlierScores, neuralizeKernelKMeans } from '../neuralize/kernelKMeans';
import { neuralizeKMeans } from '../neuralize/kmeans';
import { betaSampleRows, kmeansOutlierScores, resolveBeta } from '../neuralize/beta';
import { SAFE_MAGNITUDE } from '../neuralize/kmeans';
import { powerOfTwoBelow } from '../neuralize/kmeansScaled';
import type { ClusterModel, EvidenceForm, FirstLayerRule, Matrix, NeonOptions, NeuralizedModel } from '../types';

/** Target mean top soft-assignment probability of the 'auto' β, per model kind. */
export function betaTarget(kind: ClusterModel['kind']): number {
  return kind === 'kmeans' ? 0.8 : 0.9;
}

function outlierScores(model: ClusterModel, X: Matrix): Float64Array | undefined {
  switch (model.kind) {
    case 'kmeans':
      return kmeansOutlierScores(model, X);
    case 'kernel-kmeans':
      return kernelOutlierScores(model, X);
    case 'deep-kmeans':
      return deepOutlierScores(model, X);
    case 'idc':
      // IDC's evidence is a logit margin of its cluster head; there is no soft min-pool to stiffen.
      return undefined;
  }
}

/** Resolves β ('auto' from the data X) and checks the NEON options. */
export function resolveNeonOptions(
  model: ClusterModel,
  X: Matrix,
  wanted: { beta: number | 'auto'; evidence: EvidenceForm; rule: FirstLayerRule; reference?: { point: Float64Array; name: string } },
  /** Outlier scores (N x K) already at hand, e.g. from a representation computed in chunks. */
  given?: Float64Array,
): NeonOptions {
  if (wanted.beta !== 'auto' && !(Number.isFinite(wanted.beta) && wanted.beta > 0)) {
    throw new OptionError(`beta must be a positive number or "auto", found ${wanted.beta}`);
  }
  if (wanted.evidence !== 'hard' && wanted.evidence !== 'soft') throw new OptionError(`evidence must be "hard" or "soft", found "${String(wanted.evidence)}"`);
  if (wanted.rule !== 'midpoint' && wanted.rule !== 'reference' && wanted.rule !== 'z') {
    throw new OptionError(`rule must be "midpoint", "reference" or "z", found "${String(wanted.rule)}"`);
  }
  if (wanted.rule === 'reference' && !wanted.reference) throw new OptionError('the reference rule needs a reference point (e.g. the data mean)');
  let beta: number;
  // Only the rows the β search samples are scored (betaSampleRows): the same β as scoring all N.
  if (wanted.beta === 'auto' && model.kind === 'kmeans' && !given && X.rows > 0) beta = autoBetaKMeans(model, betaSampleRows(X));
  else {
    const scores = given ?? (X.rows > 0 && wanted.beta === 'auto' ? outlierScores(model, betaSampleRows(X)) : undefined);
    if (scores) beta = resolveBeta(wanted.beta, scores, model.k, betaTarget(model.kind));
    else beta = wanted.beta === 'auto' ? 1 : wanted.beta;
  }
  const reference = wanted.reference ? { reference: wanted.reference.point, referenceName: wanted.reference.name } : {};
  return { beta, evidence: wanted.evidence, rule: wanted.rule, ...reference };
}

/**
 * 'auto' β of standard k-means with the squared distances computed on the data and centroids
 * divided by a common power of two S when their squares would overflow (β scales as 1/S²):
 * centroids of 1e160 give distances of 1e320, beyond float64, but a well-defined β.
 * X: the rows the β search looks at (betaSampleRows), so S is decided on the rows scored.
 */
function autoBetaKMeans(model: Extract<ClusterModel, { kind: 'kmeans' }>, X: Matrix): number {
  let top = 0;
  for (let t = 0; t < model.centroids.length; t++) top = Math.max(top, Math.abs(model.centroids[t]));
  for (let t = 0; t < X.data.length; t++) if (Number.isFinite(X.data[t])) top = Math.max(top, Math.abs(X.data[t]));
  const target = betaTarget('kmeans');
  if (top < SAFE_MAGNITUDE && top > 1e-100) return resolveBeta('auto', kmeansOutlierScores(model, X), model.k, target);
  const S = powerOfTwoBelow(top);
  const scaled = { ...model, centroids: model.centroids.map((v) => v / S) };
  const Xs: Matrix = { rows: X.rows, cols: X.cols, data: X.data.map((v) => (Number.isFinite(v) ? v / S : 0)) };
  const b = resolveBeta('auto', kmeansOutlierScores(scaled, Xs), model.k, target) / S / S;
  // Beyond float64's smallest number the pool is as soft as float64 allows (rows that large
  // have evidence beyond float64 anyway).
  return b > 0 && Number.isFinite(b) ? b : b > 0 ? Number.MAX_VALUE : Number.MIN_VALUE;
}

/**
 * Input-space centroids of a deep k-means model's clusters: the mean of the rows of X that
 * the model assigns to each cluster (`representation` = φ(X)), for the midpoint rule's roots.
 * A cluster without rows gets the mean of all rows.
 */
export function deepInputCentroids(model: Extract<ClusterModel, { kind: 'deep-kmeans' }>, X: Matrix, representation: Matrix): Float64Array {
  const { k } = model;
  const d = X.cols;
  const e = representation.cols;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const all = new Float64Array(d);
  for (let i = 0; i < X.rows; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < e; j++) {
        const t = representation.data[i * e + j] - model.centroids[c * e + j];
        s += t * t;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    counts[best]++;
    for (let j = 0; j < d; j++) {
      sums[best * d + j] += X.data[i * d + j];
      all[j] += X.data[i * d + j] / X.rows;
    }
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) sums[c * d + j] = counts[c] > 0 ? sums[c * d + j] / counts[c] : all[j];
  return sums;
}

/** `extras.clusterCentroids`: input-space centroids for deep k-means' midpoint rule. */
export function neuralize(model: ClusterModel, options: NeonOptions, extras: { clusterCentroids?: Float64Array } = {}): NeuralizedModel {
  switch (model.kind) {
    case 'kmeans':
      return neuralizeKMeans(model, options);
    case 'kernel-kmeans':
      return neuralizeKernelKMeans(model, options);
    case 'deep-kmeans':
      return neuralizeDeepKMeans(model, options, extras.clusterCentroids ? { clusterCentroids: extras.clusterCentroids } : {});
    case 'idc':
      return neuralizeIdc(model, options);
  }
}
