/**
 * Interpretable Deep Clustering (Svirsky & Lindenbaum, ICML 2024; neon-method.md "IDC").
 *
 * Networks (all `DenseLayer` stacks, plain data in the model):
 *  - gating network  x → μ ∈ (−1, 1)^D (tanh hidden, tanh output, as the authors' code), gates
 *    z = clamp(μ + 0.5 [+ σε in training], 0, 1) (stochastic gates, `nn/gates.ts`);
 *  - encoder  x ⊙ z → embedding (relu hidden, linear output), decoder (training only);
 *  - cluster head  embedding → K logits;
 *  - cluster gates  K × D in [0, 1]: clamp(θ_k + 0.5, 0, 1), cluster-level feature selection.
 *
 * Training, in four stages (what the paper and its reference code do, and where we differ):
 *  1. Self-supervised pretraining (as the paper): the autoencoder reconstructs x from x and
 *     from the gated x ⊙ z, while a sparsity penalty λ·mean_d P(z_d > 0) closes gates. λ is
 *     multiplied by the mean feature variance so the same λ means the same thing for
 *     standardised and raw data (a gate stays open when the reconstruction error it saves
 *     exceeds λ times an average feature's variance). Not done here: the reference code's
 *     extra reconstructions from randomly masked inputs and noisy embeddings, and its gate
 *     "total coding rate" diversity term.
 *  2. Cluster head, encoder frozen (as the reference code). The paper trains it with a
 *     maximal-coding-rate-reduction loss; we use self-labelling instead: k-means (10 starts)
 *     on the gated embeddings gives pseudo-labels, the head is fitted to them with
 *     cross-entropy, then refined with DEC's sharpened, cluster-size-balanced targets
 *     q_ik ∝ p_ik² / Σ_i p_ik (recomputed every epoch), which keeps clusters from
 *     collapsing into one. Unlike the paper, the instance gates keep training here, on the
 *     clustering loss plus the sparsity penalty (λ in nats, against the cross-entropy):
 *     reconstruction alone cannot tell a feature that carries cluster structure from an
 *     independent noise feature of the same variance (both cost one feature's variance to
 *     drop), the clustering loss can.
 *  3. Cluster gates: θ is trained so the frozen encoder + head, fed x ⊙ z(x) ⊙ g_ŷ, still
 *     predict x's own cluster ŷ (cross-entropy), with the same kind of sparsity penalty. The
 *     reference code instead trains an auxiliary classifier on the cluster-gated input; ours
 *     needs no extra network and states directly what the gates of cluster k keep: the
 *     features the model needs to recognise k.
 *  4. Labels: argmax of the head on the deterministically gated input.
 */
import { ModelError, OptionError } from '../errors';
import { Pacer, throttledProgress } from '../jobs';
import { Rng } from '../rng';
import type { DenseLayer, IdcModel, JobHooks, Matrix } from '../types';
import { Adam } from '../nn/adam';
import { gatherRows, shuffledOrder } from '../nn/batches';
import { GATE_NOISE, gateValue, openProbability, sampleGates } from '../nn/gates';
import { createGradients, createMlp, createTape, gradientArrays, mlpBackward, mlpForward, mlpPredict, mlpPredictAsync, parameterArrays, zeroGradients } from '../nn/mlp';
import type { MlpGradients, MlpTape } from '../nn/mlp';
import { softmaxRow } from '../nn/softmax';
import { fitKMeans } from './kmeans';

export interface IdcOptions {
  readonly k: number;
  readonly seed: number;
  /** Hidden width of the gating network, encoder, decoder. Default 64. */
  readonly hidden?: number;
  /** Embedding size. Default 10. */
  readonly embedding?: number;
  /** Stage 1 epochs (autoencoder + instance gates). Default 40. */
  readonly pretrainEpochs?: number;
  /** Stage 2 epochs (cluster head): the first half fits the k-means pseudo-labels, the rest self-labels. Default 30. */
  readonly clusterEpochs?: number;
  /** Stage 3 epochs (cluster gates). Default 20. */
  readonly gateEpochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  /**
   * λ of the instance-gate sparsity penalty λ · mean_d P(gate d open). In pretraining it is
   * multiplied by the mean feature variance (reconstruction units); in the clustering stage
   * it is in nats, against the cross-entropy. Default 1.
   */
  readonly gateSparsity?: number;
  /** λ of the cluster-gate sparsity penalty (against a cross-entropy in nats). Default 0.5. */
  readonly clusterGateSparsity?: number;
}

export interface IdcHooks extends JobHooks {
  /** After every epoch of every stage (numbered consecutively) with its mean loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

export interface IdcFit {
  readonly model: IdcModel;
  readonly labels: Int32Array;
  /** Mean loss per epoch: pretraining, then cluster head, then cluster gates (different losses per stage). */
  readonly lossHistory: Float64Array;
  /** Mean over the rows of the number of open instance gates (gate > 0.5). */
  readonly meanOpenGates: number;
  /** Number of open cluster gates (> 0.5) of each cluster. */
  readonly openClusterGates: Int32Array;
  readonly warnings: string[];
}

const DEFAULTS = {
  hidden: 64,
  embedding: 10,
  pretrainEpochs: 40,
  clusterEpochs: 30,
  gateEpochs: 20,
  batchSize: 64,
  learningRate: 3e-3,
  gateSparsity: 1,
  clusterGateSparsity: 0.5,
};
type Settings = IdcOptions & typeof DEFAULTS;
const YIELD_MS = 30;

/** Fits IDC; see the module comment. Rejects with CancelledError when aborted. */
export async function fitIdc(X: Matrix, options: IdcOptions, hooks?: IdcHooks): Promise<IdcFit> {
  const o: Settings = { ...DEFAULTS, ...options };
  validate(X, o);
  const { rows: n, cols: d } = X;
  const { k, embedding: e, hidden: h } = o;
  const rng = new Rng(o.seed);
  const gateNet = createMlp(d, [{ outputs: h, activation: 'tanh' }, { outputs: d, activation: 'tanh' }], rng);
  // Start with every gate half open (μ ≈ 0), as the reference code's tiny initial weights do.
  for (let i = 0; i < gateNet[1].weights.length; i++) gateNet[1].weights[i] *= 0.01;
  const encoder = createMlp(d, [{ outputs: h, activation: 'relu' }, { outputs: e, activation: 'linear' }], rng);
  const decoder = createMlp(e, [{ outputs: h, activation: 'relu' }, { outputs: d, activation: 'linear' }], rng);
  const head = createMlp(e, [{ outputs: Math.max(2 * k, 16), activation: 'relu' }, { outputs: k, activation: 'linear' }], rng);
  const clusterTheta = new Float64Array(k * d);

  const total = o.pretrainEpochs + o.clusterEpochs + o.gateEpochs;
  const lossHistory = new Float64Array(total);
  const ctx: Loop = { hooks, report: throttledProgress(hooks), pacer: new Pacer(hooks, YIELD_MS), epoch: 0, total, lossHistory };

  // The gating network is trained on standardised inputs (raw scales would saturate its tanh
  // units into cluster-coded on/off patterns) and the standardisation is folded into its
  // first layer afterwards, so the stored network takes raw x like the encoder.
  const { mean, std } = columnStats(X);
  const Xs = standardise(X, mean, std);
  await pretrain(X, Xs, o, rng, gateNet, encoder, decoder, ctx);
  const labels = await trainHead(X, Xs, o, rng, gateNet, encoder, head, ctx);
  foldStandardisation(gateNet[0], mean, std);
  const gatedX = await gateInputsAsync(X, gateNet, X, hooks);
  await trainClusterGates(gatedX, labels, o, rng, encoder, head, clusterTheta, ctx);

  const clusterGates = new Float64Array(k * d);
  const openClusterGates = new Int32Array(k);
  for (let i = 0; i < k * d; i++) {
    clusterGates[i] = gateValue(clusterTheta[i]);
    if (clusterGates[i] > 0.5) openClusterGates[Math.floor(i / d)]++;
  }
  const model: IdcModel = { kind: 'idc', k, dim: d, gateNet, encoder, clusterHead: head, clusterGates };
  const warnings: string[] = [];
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  const empty = Array.from(sizes).flatMap((s, c) => (s === 0 ? [c] : []));
  if (empty.length > 0) warnings.push(`IDC left ${empty.length} of the ${k} clusters empty (cluster ${empty.join(', ')}): the data may have fewer clusters.`);
  ctx.report({ stage: 'IDC', fraction: 1 });
  const mu = await mlpPredictAsync(gateNet, X, hooks);
  let open = 0;
  for (let i = 0; i < mu.data.length; i++) if (gateValue(mu.data[i]) > 0.5) open++;
  return { model, labels, lossHistory, meanOpenGates: open / n, openClusterGates, warnings };
}

/** Deterministic instance gates of every row (N × D). */
export function idcGates(model: IdcModel, X: Matrix): Matrix {
  checkDim(model, X);
  const mu = mlpPredict(model.gateNet, X);
  for (let i = 0; i < mu.data.length; i++) mu.data[i] = gateValue(mu.data[i]);
  return mu;
}

/** Cluster of every row: argmax of the head on the gated input. */
export function predictIdc(model: IdcModel, X: Matrix): Int32Array {
  checkDim(model, X);
  const logits = mlpPredict(model.clusterHead, mlpPredict(model.encoder, gateInputs(X, model.gateNet)));
  return argmaxRows(logits);
}

/** Mean over the rows of the number of instance gates above 0.5. */
export function meanOpenGates(model: IdcModel, X: Matrix): number {
  const g = idcGates(model, X);
  let open = 0;
  for (let i = 0; i < g.data.length; i++) if (g.data[i] > 0.5) open++;
  return open / Math.max(1, X.rows);
}

// ---------------------------------------------------------------------------------------

interface Loop {
  readonly hooks: IdcHooks | undefined;
  readonly report: ReturnType<typeof throttledProgress>;
  readonly pacer: Pacer;
  epoch: number;
  readonly total: number;
  readonly lossHistory: Float64Array;
}

function pace(ctx: Loop): Promise<void> {
  return ctx.pacer.tick();
}

function endEpoch(ctx: Loop, stage: string, loss: number, learningRate: number): void {
  if (!Number.isFinite(loss)) throw new ModelError(`IDC training diverged (loss ${loss} in ${stage}, epoch ${ctx.epoch + 1}); lower the learning rate (now ${learningRate})`);
  ctx.lossHistory[ctx.epoch] = loss;
  ctx.hooks?.onEpoch?.(ctx.epoch, loss);
  ctx.epoch++;
  ctx.report({ stage: 'IDC', fraction: ctx.epoch / (ctx.total + 1), message: `${stage}, epoch ${ctx.epoch}/${ctx.total}, loss ${loss.toPrecision(4)}`, loss });
}

/** Stage 1: reconstruction of x from x and from x ⊙ z, plus the gate sparsity penalty. */
async function pretrain(X: Matrix, Xs: Matrix, o: Settings, rng: Rng, gateNet: DenseLayer[], encoder: DenseLayer[], decoder: DenseLayer[], ctx: Loop): Promise<void> {
  const { rows: n, cols: d } = X;
  const batch = Math.min(o.batchSize, n);
  const lambda = o.gateSparsity * meanVariance(X);
  const gTape = createTape(gateNet, batch);
  const eTape = createTape(encoder, batch);
  const dTape = createTape(decoder, batch);
  const gGrads = createGradients(gateNet);
  const eGrads = createGradients(encoder);
  const dGrads = createGradients(decoder);
  const adam = new Adam([...parameterArrays(gateNet), ...parameterArrays(encoder), ...parameterArrays(decoder)], { learningRate: o.learningRate });
  const grads = [...gradientArrays(gGrads), ...gradientArrays(eGrads), ...gradientArrays(dGrads)];
  const xb = new Float64Array(batch * d);
  const xs = new Float64Array(batch * d);
  const z = new Float64Array(batch * d);
  const pass = new Uint8Array(batch * d);
  const xg = new Float64Array(batch * d);
  const gOut = new Float64Array(batch * d);
  const gEmb = new Float64Array(batch * o.embedding);
  const gIn = new Float64Array(batch * d);
  const gMu = new Float64Array(batch * d);

  for (let ep = 0; ep < o.pretrainEpochs; ep++) {
    const order = shuffledOrder(n, rng);
    let lossSum = 0;
    for (let from = 0; from < n; from += batch) {
      await pace(ctx);
      const rows = gatherRows(X, order, from, Math.min(n, from + batch), xb);
      gatherRows(Xs, order, from, Math.min(n, from + batch), xs);
      const m = rows * d;
      zeroGradients(gGrads);
      zeroGradients(eGrads);
      zeroGradients(dGrads);
      // Plain autoencoder on x.
      lossSum += reconstruct(encoder, decoder, eTape, dTape, xb, xb, rows, d, gOut, gEmb, eGrads, dGrads, undefined);
      // Gated path: x ⊙ z → x, gradient reaching the gates through x.
      const mu = mlpForward(gateNet, xs, rows, gTape);
      sampleGates(mu, m, GATE_NOISE, rng, z, pass);
      for (let i = 0; i < m; i++) xg[i] = xb[i] * z[i];
      lossSum += reconstruct(encoder, decoder, eTape, dTape, xg, xb, rows, d, gOut, gEmb, eGrads, dGrads, gIn);
      let penalty = 0;
      for (let i = 0; i < m; i++) {
        const { p, dp } = openProbability(mu[i], GATE_NOISE);
        penalty += p;
        gMu[i] = (pass[i] ? gIn[i] * xb[i] : 0) + (lambda * dp) / d;
      }
      lossSum += (lambda * penalty) / d;
      mlpBackward(gateNet, gTape, gMu, gGrads);
      adam.step(grads, 1 / rows);
    }
    endEpoch(ctx, 'pretraining', lossSum / n, o.learningRate);
  }
}

/**
 * Mean-over-features squared error of decoder(encoder(input)) against target, summed over
 * rows; accumulates parameter gradients and writes dL/d(input) into gIn when given.
 */
function reconstruct(
  encoder: DenseLayer[],
  decoder: DenseLayer[],
  eTape: MlpTape,
  dTape: MlpTape,
  input: Float64Array,
  target: Float64Array,
  rows: number,
  d: number,
  gOut: Float64Array,
  gEmb: Float64Array,
  eGrads: MlpGradients,
  dGrads: MlpGradients,
  gIn: Float64Array | undefined,
): number {
  const emb = mlpForward(encoder, input, rows, eTape);
  const out = mlpForward(decoder, emb, rows, dTape);
  let loss = 0;
  for (let i = 0; i < rows * d; i++) {
    const diff = out[i] - target[i];
    loss += diff * diff;
    gOut[i] = (2 * diff) / d;
  }
  mlpBackward(decoder, dTape, gOut, dGrads, gEmb);
  mlpBackward(encoder, eTape, gEmb, eGrads, gIn);
  return loss / d;
}

/**
 * Stage 2: cluster head and instance gates, encoder frozen. Targets: k-means pseudo-labels
 * on the gated embeddings (first half of the epochs), then DEC targets recomputed each epoch.
 * Loss: cross-entropy(head(encoder(x ⊙ z)), target) + λ · mean_d P(z_d > 0), so a gate stays
 * open only where the cluster assignment needs its feature.
 */
async function trainHead(X: Matrix, Xs: Matrix, o: Settings, rng: Rng, gateNet: DenseLayer[], encoder: DenseLayer[], head: DenseLayer[], ctx: Loop): Promise<Int32Array> {
  const { rows: n, cols: d } = X;
  const { k, embedding: e } = o;
  const embed = async (): Promise<Matrix> => mlpPredictAsync(encoder, await gateInputsAsync(X, gateNet, Xs, ctx.hooks), ctx.hooks);
  const init = await fitKMeans(await embed(), { k, seed: rng.int(0x7fffffff) }, { signal: ctx.hooks?.signal });
  const target = new Float64Array(n * k);
  for (let i = 0; i < n; i++) target[i * k + init.labels[i]] = 1;
  const batch = Math.min(o.batchSize, n);
  const gTape = createTape(gateNet, batch);
  const eTape = createTape(encoder, batch);
  const hTape = createTape(head, batch);
  const gGrads = createGradients(gateNet);
  const hGrads = createGradients(head);
  const adam = new Adam([...parameterArrays(gateNet), ...parameterArrays(head)], { learningRate: o.learningRate });
  const flat = [...gradientArrays(gGrads), ...gradientArrays(hGrads)];
  const xb = new Float64Array(batch * d);
  const xs = new Float64Array(batch * d);
  const z = new Float64Array(batch * d);
  const pass = new Uint8Array(batch * d);
  const xg = new Float64Array(batch * d);
  const p = new Float64Array(batch * k);
  const gl = new Float64Array(batch * k);
  const gEmb = new Float64Array(batch * e);
  const gIn = new Float64Array(batch * d);
  const gMu = new Float64Array(batch * d);
  const lambda = o.gateSparsity;
  const warmup = Math.ceil(o.clusterEpochs / 2);
  for (let ep = 0; ep < o.clusterEpochs; ep++) {
    if (ep >= warmup) decTarget(await mlpPredictAsync(head, await embed(), ctx.hooks), k, target);
    const order = shuffledOrder(n, rng);
    let lossSum = 0;
    for (let from = 0; from < n; from += batch) {
      await pace(ctx);
      const rows = gatherRows(X, order, from, Math.min(n, from + batch), xb);
      gatherRows(Xs, order, from, Math.min(n, from + batch), xs);
      const m = rows * d;
      const mu = mlpForward(gateNet, xs, rows, gTape);
      sampleGates(mu, m, GATE_NOISE, rng, z, pass);
      for (let i = 0; i < m; i++) xg[i] = xb[i] * z[i];
      const logits = mlpForward(head, mlpForward(encoder, xg, rows, eTape), rows, hTape);
      for (let r = 0; r < rows; r++) {
        softmaxRow(logits, r * k, k, p);
        const t = order[from + r] * k;
        for (let c = 0; c < k; c++) {
          const q = target[t + c];
          if (q > 0) lossSum -= q * Math.log(Math.max(p[r * k + c], 1e-300));
          gl[r * k + c] = p[r * k + c] - q;
        }
      }
      zeroGradients(gGrads);
      zeroGradients(hGrads);
      mlpBackward(head, hTape, gl, hGrads, gEmb);
      mlpBackward(encoder, eTape, gEmb, undefined, gIn);
      for (let i = 0; i < m; i++) {
        const { p: open, dp } = openProbability(mu[i], GATE_NOISE);
        lossSum += (lambda * open) / d;
        gMu[i] = (pass[i] ? gIn[i] * xb[i] : 0) + (lambda * dp) / d;
      }
      mlpBackward(gateNet, gTape, gMu, gGrads);
      adam.step(flat, 1 / rows);
    }
    endEpoch(ctx, 'cluster head', lossSum / n, o.learningRate);
  }
  return argmaxRows(await mlpPredictAsync(head, await embed(), ctx.hooks));
}

/** DEC target distribution: q_ik ∝ p_ik² / f_k, f_k = Σ_i p_ik (sharpens, balances cluster sizes). */
function decTarget(logits: Matrix, k: number, q: Float64Array): void {
  const n = logits.rows;
  const p = new Float64Array(n * k);
  const f = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    softmaxRow(logits.data, i * k, k, p);
    for (let c = 0; c < k; c++) f[c] += p[i * k + c];
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const v = (p[i * k + c] * p[i * k + c]) / Math.max(f[c], 1e-12);
      q[i * k + c] = v;
      s += v;
    }
    for (let c = 0; c < k; c++) q[i * k + c] /= s;
  }
}

/** Stage 3: cluster gates θ (K × D), encoder and head frozen. */
async function trainClusterGates(
  gatedX: Matrix,
  labels: Int32Array,
  o: Settings,
  rng: Rng,
  encoder: DenseLayer[],
  head: DenseLayer[],
  theta: Float64Array,
  ctx: Loop,
): Promise<void> {
  const { rows: n, cols: d } = gatedX;
  const k = o.k;
  const batch = Math.min(o.batchSize, n);
  const eTape = createTape(encoder, batch);
  const hTape = createTape(head, batch);
  const gTheta = new Float64Array(k * d);
  const adam = new Adam([theta], { learningRate: o.learningRate * 3 });
  const xb = new Float64Array(batch * d);
  const z = new Float64Array(batch * d);
  const pass = new Uint8Array(batch * d);
  const mu = new Float64Array(batch * d);
  const input = new Float64Array(batch * d);
  const p = new Float64Array(batch * k);
  const gl = new Float64Array(batch * k);
  const gEmb = new Float64Array(batch * o.embedding);
  const gIn = new Float64Array(batch * d);
  const lambda = o.clusterGateSparsity;
  for (let ep = 0; ep < o.gateEpochs; ep++) {
    const order = shuffledOrder(n, rng);
    let lossSum = 0;
    for (let from = 0; from < n; from += batch) {
      await pace(ctx);
      const rows = gatherRows(gatedX, order, from, Math.min(n, from + batch), xb);
      for (let r = 0; r < rows; r++) mu.set(theta.subarray(labels[order[from + r]] * d, (labels[order[from + r]] + 1) * d), r * d);
      sampleGates(mu, rows * d, GATE_NOISE, rng, z, pass);
      for (let i = 0; i < rows * d; i++) input[i] = xb[i] * z[i];
      const logits = mlpForward(head, mlpForward(encoder, input, rows, eTape), rows, hTape);
      for (let r = 0; r < rows; r++) {
        softmaxRow(logits, r * k, k, p);
        const y = labels[order[from + r]];
        lossSum -= Math.log(Math.max(p[r * k + y], 1e-300));
        for (let c = 0; c < k; c++) gl[r * k + c] = p[r * k + c] - (c === y ? 1 : 0);
      }
      mlpBackward(head, hTape, gl, undefined, gEmb);
      mlpBackward(encoder, eTape, gEmb, undefined, gIn);
      gTheta.fill(0);
      for (let r = 0; r < rows; r++) {
        const to = labels[order[from + r]] * d;
        for (let j = 0; j < d; j++) {
          const i = r * d + j;
          const { p: open, dp } = openProbability(mu[i], GATE_NOISE);
          lossSum += (lambda * open) / d;
          gTheta[to + j] += (pass[i] ? gIn[i] * xb[i] : 0) + (lambda * dp) / d;
        }
      }
      adam.step([gTheta], 1 / rows);
    }
    endEpoch(ctx, 'cluster gates', lossSum / n, o.learningRate);
  }
}

/** `gateInputs` inside a job (chunked, cancellable). */
async function gateInputsAsync(X: Matrix, gateNet: readonly DenseLayer[], gateX: Matrix, hooks: JobHooks | undefined): Promise<Matrix> {
  const mu = await mlpPredictAsync(gateNet, gateX, hooks);
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < out.length; i++) out[i] = X.data[i] * gateValue(mu.data[i]);
  return { rows: X.rows, cols: X.cols, data: out };
}

/** x ⊙ clamp(gateNet(x) + 0.5, 0, 1) for every row (the gate net fed `gateX`, default X). */
function gateInputs(X: Matrix, gateNet: readonly DenseLayer[], gateX: Matrix = X): Matrix {
  const mu = mlpPredict(gateNet, gateX);
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < out.length; i++) out[i] = X.data[i] * gateValue(mu.data[i]);
  return { rows: X.rows, cols: X.cols, data: out };
}

function argmaxRows(M: Matrix): Int32Array {
  const labels = new Int32Array(M.rows);
  for (let r = 0; r < M.rows; r++) {
    let best = 0;
    for (let c = 1; c < M.cols; c++) if (M.data[r * M.cols + c] > M.data[r * M.cols + best]) best = c;
    labels[r] = best;
  }
  return labels;
}

function meanVariance(X: Matrix): number {
  const { std } = columnStats(X);
  let total = 0;
  for (const s of std) total += s === 1 ? 0 : s * s; // constant columns (std reported as 1) add nothing
  return Math.max(total / X.cols, 1e-12);
}

/** Per-column mean and standard deviation (1 for a constant column, so dividing is harmless). */
function columnStats(X: Matrix): { mean: Float64Array; std: Float64Array } {
  const { rows: n, cols: d } = X;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X.data[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j] += (X.data[i * d + j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = std[j] > 1e-24 ? Math.sqrt(std[j]) : 1;
  return { mean, std };
}

function standardise(X: Matrix, mean: Float64Array, std: Float64Array): Matrix {
  const d = X.cols;
  const data = new Float64Array(X.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (X.data[i] - mean[i % d]) / std[i % d];
  return { rows: X.rows, cols: d, data };
}

/** Makes layer(x) equal to the trained layer((x − mean)/std): W' = W/std, b' = b − W'·mean. */
function foldStandardisation(layer: DenseLayer, mean: Float64Array, std: Float64Array): void {
  const { inputs, outputs, weights, bias } = layer;
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < inputs; i++) {
      weights[o * inputs + i] /= std[i];
      bias[o] -= weights[o * inputs + i] * mean[i];
    }
  }
}

function checkDim(model: IdcModel, X: Matrix): void {
  if (X.cols !== model.dim) throw new ModelError(`IDC model takes ${model.dim} features, the data has ${X.cols}`);
}

function validate(X: Matrix, o: Settings): void {
  const nonNegInt = (v: number, name: string): void => {
    if (!Number.isInteger(v) || v < 0) throw new OptionError(`IDC: ${name} must be an integer >= 0, got ${v}`);
  };
  const positiveInt = (v: number, name: string): void => {
    if (!Number.isInteger(v) || v < 1) throw new OptionError(`IDC: ${name} must be a positive integer, got ${v}`);
  };
  if (!Number.isInteger(o.k) || o.k < 2) throw new OptionError(`IDC: k must be an integer >= 2, got ${o.k}`);
  if (X.rows < o.k) throw new OptionError(`IDC: k = ${o.k} needs at least ${o.k} rows, the data has ${X.rows}`);
  nonNegInt(o.pretrainEpochs, 'pretrainEpochs');
  nonNegInt(o.clusterEpochs, 'clusterEpochs');
  nonNegInt(o.gateEpochs, 'gateEpochs');
  positiveInt(o.hidden, 'hidden');
  positiveInt(o.embedding, 'embedding');
  positiveInt(o.batchSize, 'batchSize');
  if (!(o.learningRate > 0)) throw new OptionError(`IDC: learningRate must be > 0, got ${o.learningRate}`);
  if (!(o.gateSparsity >= 0)) throw new OptionError(`IDC: gateSparsity must be >= 0, got ${o.gateSparsity}`);
  if (!(o.clusterGateSparsity >= 0)) throw new OptionError(`IDC: clusterGateSparsity must be >= 0, got ${o.clusterGateSparsity}`);
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i])) throw new OptionError(`IDC: the data has a non-finite value at row ${Math.floor(i / X.cols) + 1}, column ${(i % X.cols) + 1}`);
  }
}
