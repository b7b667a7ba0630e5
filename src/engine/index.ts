/**
 * Public surface of the engine: what the worker, the CLI and other tools call. Everything runs
 * in plain Node (no `vscode`); long calls take JobHooks (AbortSignal + progress).
 */
export * from './types';
export * from './pipelineTypes';
export { CancelledError, DataError, ModelError, OptionError, isCancelled } from './errors';
export { throttledProgress, throwIfAborted, yieldToEventLoop } from './jobs';
export { Rng } from './rng';

// The whole job, and detailed explanations from its session.
export { runPipeline, explainItem, explainText, FLIPPING_METHODS, type GivenModel, type GivenModelInput, type PipelineOutput, type SessionState } from './pipeline';

// Model files.
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  parseCentroidsCsv,
  parseModelFile,
  serializeModel,
  type ModelFileContents,
  type ParsedModelFile,
  type StoredNeonSettings,
} from './model/modelFile';

// Data.
export { applyTablePreprocessing, embedText, loadDataset, openTable, readTable, tokenize, type ColumnarTable, type TableChunk, type TableReader } from './data';

// Models and their networks.
export { fitKMeans, assignNearest, type KMeansFit, type KMeansOptions } from './cluster/kmeans';
export { suggestK } from './cluster/suggestK';
export { fitKernelKMeans } from './cluster/kernelKMeans';
export { fitDeepKMeans } from './cluster/deepKMeans';
export { fitIdc } from './cluster/idc';
export { neuralize, resolveNeonOptions, betaTarget } from './pipeline/neuralizeModel';
export { neuralizeKMeans } from './neuralize/kmeans';
export { neuralizeKernelKMeans, kernelOutlierScores } from './neuralize/kernelKMeans';
export { neuralizeDeepKMeans, deepOutlierScores } from './neuralize/deepKMeans';
export { resolveBeta, betaForTargetProbability } from './neuralize/beta';
export { idcExplain, neuralizeIdc } from './neuralize/idc';

// Explanations and their evaluation.
export { explainWith } from './relevance/baselines';
export { sumByColumn, tokenRelevance } from './relevance/units';
export { featureFlipping } from './evaluate/flipping';
export { ari, clusteringAccuracy, nmi, purity, qualityMetrics, silhouette } from './evaluate/metrics';
export { pca } from './linalg/pca';
