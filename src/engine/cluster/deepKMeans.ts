/**
 * Deep k-means: a learned feature map φ (an MLP, relu hidden layers and a linear output layer)
 * followed by k-means on a = φ(x) (neon-method.md, "Deep k-means"; NEON paper §3.4).
 *
 * Training, in the style of DCN (Yang et al., "Towards K-means-friendly spaces", ICML 2017):
 *  1. Pretrain φ with a mirrored decoder ψ as an autoencoder (mean squared reconstruction),
 *     so the representation keeps the information in x.
 *  2. Initialise the centroids with k-means (10 k-means++ starts) on φ(X).
 *  3. Joint epochs: minimise reconstruction + λ · ||φ(x) − μ_c||² / s back-propagated through
 *     φ, each point pulled to its nearest centroid. s is the mean squared spread of φ(X) at
 *     the start of the epoch: without it φ could lower the k-means error just by shrinking its
 *     output (the decoder compensates), the usual collapse of deep k-means. Centroids are
 *     re-estimated by a Lloyd step on φ(X) at the start of every epoch and held fixed within
 *     it (DCN updates them online per batch; per epoch is simpler and as stable here).
 *  4. A final k-means run on φ(X) started from the learned centroids, so the stored model is
 *     exactly "k-means on φ(x)": labels are the nearest centroids, as the network assumes.
 *
 * Only φ and the centroids are kept in the model (the decoder only serves training).
 */
import { OptionError, ModelError } from '../errors';
import { Pacer, throttledProgress, throwIfAborted } from '../jobs';
import { Rng } from '../rng';
import type { DeepKMeansModel, DenseLayer, JobHooks, Matrix } from '../types';
import { Adam } from '../nn/adam';
import { featureRange, gatherRows, shuffledOrder } from '../nn/batches';
import { createGradients, createMlp, createTape, gradientArrays, mlpBackward, mlpForward, mlpPredict, mlpPredictAsync, parameterArrays, zeroGradients } from '../nn/mlp';
import type { LayerSpec } from '../nn/mlp';
import { assignNearest, fitKMeans } from './kmeans';

export interface DeepKMeansOptions {
  readonly k: number;
  readonly seed: number;
  /** Hidden relu layer widths of φ. Default [64, 32]. */
  readonly hidden?: readonly number[];
  /** Output (representation) size of φ. Default 10. */
  readonly embedding?: number;
  /** Joint (k-means + reconstruction) epochs. */
  readonly epochs: number;
  /** Autoencoder-only epochs before the centroids are initialised. Default 60. */
  readonly pretrainEpochs?: number;
  /** Mini-batch size. Default 64. */
  readonly batchSize?: number;
  /** Adam step size. Default 3e-3. */
  readonly learningRate?: number;
  /**
   * Weight λ of the (spread-normalised) k-means term against the reconstruction term.
   * Default 0.01: larger values let the k-means pull override the reconstruction and
   * degrade the representation (measured on digits: λ = 1 drops purity from 0.77 to 0.31).
   */
  readonly clusterWeight?: number;
}

export interface DeepKMeansHooks extends JobHooks {
  /** Called after every epoch (pretraining epochs first, then joint ones) with its mean loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

export interface DeepKMeansFit {
  readonly model: DeepKMeansModel;
  readonly labels: Int32Array;
  /** Mean loss per epoch: pretraining epochs (reconstruction) then joint epochs (total). */
  readonly lossHistory: Float64Array;
  readonly warnings: string[];
}

const DEFAULTS = { hidden: [64, 32] as readonly number[], embedding: 10, pretrainEpochs: 60, batchSize: 64, learningRate: 3e-3, clusterWeight: 0.01 };
const YIELD_MS = 30;

/** Fits deep k-means; see the module comment. Rejects with CancelledError when aborted. */
export async function fitDeepKMeans(X: Matrix, options: DeepKMeansOptions, hooks?: DeepKMeansHooks): Promise<DeepKMeansFit> {
  const o = { ...DEFAULTS, ...options };
  validate(X, o);
  const { rows: n, cols: d } = X;
  const rng = new Rng(o.seed);
  const phiSpecs: LayerSpec[] = [...o.hidden.map((h) => ({ outputs: h, activation: 'relu' as const })), { outputs: o.embedding, activation: 'linear' }];
  const decSpecs: LayerSpec[] = [...[...o.hidden].reverse().map((h) => ({ outputs: h, activation: 'relu' as const })), { outputs: d, activation: 'linear' }];
  const phi = createMlp(d, phiSpecs, rng);
  const decoder = createMlp(o.embedding, decSpecs, rng);
  const e = o.embedding;
  const k = o.k;

  const batch = Math.min(o.batchSize, n);
  const phiTape = createTape(phi, batch);
  const decTape = createTape(decoder, batch);
  const phiGrads = createGradients(phi);
  const decGrads = createGradients(decoder);
  const adam = new Adam([...parameterArrays(phi), ...parameterArrays(decoder)], { learningRate: o.learningRate });
  const allGrads = [...gradientArrays(phiGrads), ...gradientArrays(decGrads)];
  const xb = new Float64Array(batch * d);
  const gRecon = new Float64Array(batch * d);
  const gA = new Float64Array(batch * e);
  const batchLabels = new Int32Array(batch);

  const totalEpochs = o.pretrainEpochs + o.epochs;
  const lossHistory = new Float64Array(totalEpochs);
  const report = throttledProgress(hooks);
  const pacer = new Pacer(hooks, YIELD_MS);
  let centroids = new Float64Array(k * e);
  const warnings: string[] = [];

  for (let epoch = 0; epoch < totalEpochs; epoch++) {
    const joint = epoch >= o.pretrainEpochs;
    let scale = 1;
    if (joint) {
      const A = await mlpPredictAsync(phi, X, hooks);
      if (epoch === o.pretrainEpochs) {
        const init = await fitKMeans(A, { k, seed: rng.int(0x7fffffff) }, { signal: hooks?.signal });
        centroids = Float64Array.from(init.model.centroids);
      } else {
        lloydStep(A, centroids, k);
      }
      scale = meanScatter(A);
    }
    const order = shuffledOrder(n, rng);
    let lossSum = 0;
    for (let from = 0; from < n; from += batch) {
      throwIfAborted(hooks);
      const rows = gatherRows(X, order, from, Math.min(n, from + batch), xb);
      const a = mlpForward(phi, xb, rows, phiTape);
      const xr = mlpForward(decoder, a, rows, decTape);
      // Reconstruction: mean over features of the squared error, summed over the batch.
      let recon = 0;
      for (let i = 0; i < rows * d; i++) {
        const diff = xr[i] - xb[i];
        recon += diff * diff;
        gRecon[i] = (2 * diff) / d;
      }
      recon /= d;
      zeroGradients(phiGrads);
      zeroGradients(decGrads);
      mlpBackward(decoder, decTape, gRecon, decGrads, gA);
      let loss = recon;
      if (joint) loss += o.clusterWeight * scaledKMeansLoss(a, rows, e, centroids, k, batchLabels, scale, gA, o.clusterWeight);
      mlpBackward(phi, phiTape, gA, phiGrads);
      adam.step(allGrads, 1 / rows);
      lossSum += loss;
      await pacer.tick();
    }
    const meanLoss = lossSum / n;
    if (!Number.isFinite(meanLoss)) {
      throw new ModelError(`Deep k-means training diverged (loss ${meanLoss} at epoch ${epoch + 1}); lower the learning rate (now ${o.learningRate})`);
    }
    lossHistory[epoch] = meanLoss;
    hooks?.onEpoch?.(epoch, meanLoss);
    report({ stage: 'deep k-means', fraction: (epoch + 1) / (totalEpochs + 1), message: `${joint ? 'joint' : 'pretraining'} epoch ${epoch + 1}/${totalEpochs}, loss ${meanLoss.toPrecision(4)}`, loss: meanLoss });
  }

  // Step 4: the stored model is exactly k-means on φ(X).
  const A = await mlpPredictAsync(phi, X, hooks);
  const fit =
    o.epochs > 0
      ? await fitKMeans(A, { k, seed: o.seed, init: centroids }, { signal: hooks?.signal })
      : await fitKMeans(A, { k, seed: rng.int(0x7fffffff) }, { signal: hooks?.signal });
  warnings.push(...fit.warnings);
  const { low, high } = featureRange(X);
  report({ stage: 'deep k-means', fraction: 1 });
  const model: DeepKMeansModel = {
    kind: 'deep-kmeans',
    k: fit.model.k,
    dim: d,
    layers: phi,
    centroids: Float64Array.from(fit.model.centroids),
    inputLow: low,
    inputHigh: high,
  };
  return { model, labels: fit.labels, lossHistory, warnings };
}

/** Representation φ(x) of every row of X under a fitted model (N × embedding). */
export function deepRepresentation(model: DeepKMeansModel, X: Matrix): Matrix {
  if (X.cols !== model.dim) throw new ModelError(`Deep k-means model takes ${model.dim} features, the data has ${X.cols}`);
  return mlpPredict(model.layers as DenseLayer[], X);
}

/** Cluster of every row of X under a fitted model (nearest centroid in representation space). */
export function predictDeepKMeans(model: DeepKMeansModel, X: Matrix): Int32Array {
  const labels = new Int32Array(X.rows);
  assignNearest(deepRepresentation(model, X), model.centroids, model.k, labels);
  return labels;
}

/**
 * L = Σ_i ||a_i − μ_{c_i}||² / s over the batch (nearest centroids and the scale s held fixed;
 * s = mean squared distance of φ(X) to its mean at the start of the epoch). Returns L and adds
 * weight · dL/da_i = weight · 2 (a_i − μ_{c_i}) / s into `gA`.
 */
function scaledKMeansLoss(
  a: Float64Array,
  rows: number,
  e: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  scale: number,
  gA: Float64Array,
  weight: number,
): number {
  const within = assignNearest({ rows, cols: e, data: a.subarray(0, rows * e) }, centroids, k, labels);
  const s = (2 * weight) / scale;
  for (let r = 0; r < rows; r++) {
    const co = labels[r] * e;
    for (let j = 0; j < e; j++) gA[r * e + j] += s * (a[r * e + j] - centroids[co + j]);
  }
  return within / scale;
}

/** Mean squared distance of the rows of A to their mean (the spread that scales the k-means term). */
function meanScatter(A: Matrix): number {
  const e = A.cols;
  const mean = new Float64Array(e);
  for (let r = 0; r < A.rows; r++) for (let j = 0; j < e; j++) mean[j] += A.data[r * e + j] / A.rows;
  let total = 0;
  for (let r = 0; r < A.rows; r++) {
    for (let j = 0; j < e; j++) {
      const t = A.data[r * e + j] - mean[j];
      total += t * t;
    }
  }
  return Math.max(total / A.rows, 1e-12);
}

/** One Lloyd step in place: centroids ← means of their members (an emptied cluster keeps its centroid). */
function lloydStep(A: Matrix, centroids: Float64Array, k: number): void {
  const e = A.cols;
  const labels = new Int32Array(A.rows);
  assignNearest(A, centroids, k, labels);
  const sums = new Float64Array(k * e);
  const counts = new Int32Array(k);
  for (let r = 0; r < A.rows; r++) {
    const c = labels[r];
    counts[c]++;
    for (let j = 0; j < e; j++) sums[c * e + j] += A.data[r * e + j];
  }
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    for (let j = 0; j < e; j++) centroids[c * e + j] = sums[c * e + j] / counts[c];
  }
}

function validate(X: Matrix, o: DeepKMeansOptions & typeof DEFAULTS): void {
  const positiveInt = (v: number, name: string): void => {
    if (!Number.isInteger(v) || v < 1) throw new OptionError(`Deep k-means: ${name} must be a positive integer, got ${v}`);
  };
  if (!Number.isInteger(o.k) || o.k < 2) throw new OptionError(`Deep k-means: k must be an integer >= 2, got ${o.k}`);
  if (X.rows < o.k) throw new OptionError(`Deep k-means: k = ${o.k} needs at least ${o.k} rows, the data has ${X.rows}`);
  if (!Number.isInteger(o.epochs) || o.epochs < 0) throw new OptionError(`Deep k-means: epochs must be an integer >= 0, got ${o.epochs}`);
  if (!Number.isInteger(o.pretrainEpochs) || o.pretrainEpochs < 0) throw new OptionError(`Deep k-means: pretrainEpochs must be an integer >= 0, got ${o.pretrainEpochs}`);
  positiveInt(o.embedding, 'embedding');
  positiveInt(o.batchSize, 'batchSize');
  o.hidden.forEach((h, i) => positiveInt(h, `hidden[${i}]`));
  if (!(o.learningRate > 0)) throw new OptionError(`Deep k-means: learningRate must be > 0, got ${o.learningRate}`);
  if (!(o.clusterWeight >= 0)) throw new OptionError(`Deep k-means: clusterWeight must be >= 0, got ${o.clusterWeight}`);
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i])) {
      throw new OptionError(`Deep k-means: the data has a non-finite value at row ${Math.floor(i / X.cols) + 1}, column ${(i % X.cols) + 1}`);
    }
  }
}
