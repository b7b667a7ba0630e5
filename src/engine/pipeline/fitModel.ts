/**
 * Fits the model kind named in the settings (neon-method.md: standard, kernel and deep
 * k-means; Interpretable Deep Clustering) and chooses k first when it is 'auto'.
 */
import { fitDeepKMeans } from '../cluster/deepKMeans';
import { fitIdc } from '../cluster/idc';
import { fitKernelKMeans } from '../cluster/kernelKMeans';
import { countDistinctRows, fitKMeans } from '../cluster/kmeans';
import { suggestK, type SuggestKOptions } from '../cluster/suggestK';
import { DataError, OptionError } from '../errors';
import type { ClusterSettings } from '../pipelineTypes';
import type { ClusterModel, JobHooks, KSuggestion, Matrix } from '../types';

export interface FittedModel {
  readonly model: ClusterModel;
  /** The fitted model's own assignment of each row. */
  readonly labels: Int32Array;
  readonly warnings: readonly string[];
  readonly lossHistory?: Float64Array;
}

/**
 * The number of clusters to fit: the setting, or the best silhouette over `kRange`
 * (clipped to what N points allow) with the scores for the UI.
 */
export async function chooseK(X: Matrix, settings: ClusterSettings, hooks?: JobHooks, options?: SuggestKOptions): Promise<{ k: number; suggestion?: KSuggestion }> {
  if (settings.k !== 'auto') {
    if (!Number.isInteger(settings.k) || settings.k < 2) throw new OptionError(`k must be an integer of at least 2 or "auto", found ${settings.k}`);
    if (settings.k > X.rows) throw new OptionError(`k = ${settings.k} exceeds the number of rows (${X.rows})`);
    return { k: settings.k };
  }
  const [lo, hi] = settings.kRange;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 2 && hi >= lo)) {
    throw new OptionError(`kRange must be two integers 2 <= low <= high, found [${lo}, ${hi}]`);
  }
  const distinct = countDistinctRows(X, hi + 1);
  if (distinct < 2) throw new DataError(`all ${X.rows} rows have the same feature values: there is nothing to cluster`);
  // No more clusters than distinct points (each needs its own centroid); N − 1 for the silhouette.
  const top = Math.min(hi, X.rows - 1, distinct);
  if (top < 2) throw new OptionError(`choosing k needs at least 3 rows, found ${X.rows}`);
  const suggestion = await suggestK(X, [Math.min(lo, top), top], settings.seed, hooks, options);
  return { k: suggestion.k, suggestion };
}

export async function fitClusterModel(X: Matrix, k: number, settings: ClusterSettings, hooks?: JobHooks): Promise<FittedModel> {
  switch (settings.model) {
    case 'kmeans': {
      // Fewer distinct points than k: fit that many clusters (a duplicate centroid would give its
      // members an evidence of 0 that no feature explains) and say so.
      const fit = await fitKMeans(X, { k, seed: settings.seed, restarts: settings.restarts, maxIterations: settings.maxIterations, lowerKToDistinct: true }, hooks);
      return { model: fit.model, labels: fit.labels, warnings: fit.warnings };
    }
    case 'kernel-kmeans': {
      const fit = await fitKernelKMeans(
        X,
        { k, seed: settings.seed, gamma: settings.kernelGamma, supportVectorsPerCluster: settings.supportVectorsPerCluster },
        hooks,
      );
      const warnings = [...fit.warnings];
      warnings.push(
        `kernel k-means: gamma = ${fit.gamma.toPrecision(3)}, ${fit.model.supportCluster.length} support vectors; ` +
          `the reduced model agrees with the full one on ${(100 * fit.reductionAgreement).toFixed(1)}% of the training rows`,
      );
      return { model: fit.model, labels: fit.labels, warnings };
    }
    case 'deep-kmeans': {
      const fit = await fitDeepKMeans(X, { k, seed: settings.seed, epochs: settings.epochs }, hooks);
      return { model: fit.model, labels: fit.labels, warnings: fit.warnings, lossHistory: fit.lossHistory };
    }
    case 'idc': {
      // One `epochs` setting drives IDC's three stages in its default proportions (60 / 40 / 30).
      const e = settings.epochs;
      const options = { k, seed: settings.seed, pretrainEpochs: e, clusterEpochs: Math.max(1, Math.round((e * 2) / 3)), gateEpochs: Math.max(1, Math.round(e / 2)) };
      const fit = await fitIdc(X, options, hooks);
      return { model: fit.model, labels: fit.labels, warnings: fit.warnings, lossHistory: fit.lossHistory };
    }
    default:
      // Settings arrive from JSON (worker messages, VS Code settings): guard the union at run time.
      throw new OptionError(`model kind "${String((settings as { model: unknown }).model)}" is not available; use kmeans, kernel-kmeans, deep-kmeans or idc`);
  }
}
