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
import { kmeansOutlierScores, resolveBeta } from '../neuralize/beta';
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
  wanted: { beta: number | 'auto'; evidence: EvidenceForm; rule: FirstLayerRule },
  /** Outlier scores (N x K) already at hand, e.g. from a representation computed in chunks. */
  given?: Float64Array,
): NeonOptions {
  if (wanted.beta !== 'auto' && !(Number.isFinite(wanted.beta) && wanted.beta > 0)) {
    throw new OptionError(`beta must be a positive number or "auto", found ${wanted.beta}`);
  }
  if (wanted.evidence !== 'hard' && wanted.evidence !== 'soft') throw new OptionError(`evidence must be "hard" or "soft", found "${String(wanted.evidence)}"`);
  if (wanted.rule !== 'midpoint' && wanted.rule !== 'z') throw new OptionError(`rule must be "midpoint" or "z", found "${String(wanted.rule)}"`);
  const scores = given ?? (X.rows > 0 && wanted.beta === 'auto' ? outlierScores(model, X) : undefined);
  let beta: number;
  if (scores) beta = resolveBeta(wanted.beta, scores, model.k, betaTarget(model.kind));
  else beta = wanted.beta === 'auto' ? 1 : wanted.beta;
  return { beta, evidence: wanted.evidence, rule: wanted.rule };
}

export function neuralize(model: ClusterModel, options: NeonOptions): NeuralizedModel {
  switch (model.kind) {
    case 'kmeans':
      return neuralizeKMeans(model, options);
    case 'kernel-kmeans':
      return neuralizeKernelKMeans(model, options);
    case 'deep-kmeans':
      return neuralizeDeepKMeans(model, options);
    case 'idc':
      return neuralizeIdc(model, options);
  }
}
