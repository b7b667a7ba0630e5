/**
 * Explanations for Interpretable Deep Clustering models (cluster/idc.ts).
 *
 * IDC explains itself by its gates: `idcExplain` returns the instance gates (which features
 * the model looked at for x) with the cluster and its probability; the model's cluster gates
 * say which features matter for a cluster as a whole.
 *
 * `neuralizeIdc` adapts an IDC model to the `NeuralizedModel` interface so feature flipping,
 * the relevance views and the CLI work on it too. This is NOT NEON: IDC's head is not a
 * distance-based clustering that neuralizes into min-pools. What it provides:
 *  - evidence f_c(x) = l_c − max_{k≠c} l_k ('hard': logit margin of c over the best
 *    competitor) or l_c − log Σ_{k≠c} exp(l_k) ('soft': log p(c|x)/(1 − p(c|x))), from the
 *    head's logits l on the gated input x̃ = x ⊙ z(x); options.beta is not used (the logits
 *    already carry their own scale);
 *  - probability p(c|x) = softmax(l)_c;
 *  - gradient: the exact gradient of f_c with respect to x, through the gates as well
 *    (∂x̃_i/∂x = z_i e_i + x_i ∂z_i/∂x, z_i = clamp(μ_i + 0.5, 0, 1));
 *  - relevance: gradient × input at the gated input, R_i = x̃_i ∂f_c/∂x̃_i, which is zero for
 *    every feature whose gate is closed ("restricted by the gates"). In linear form
 *    coef_i = z_i ∂f_c/∂x̃_i, offset_i = 0. It is not conservative: Σ_i R_i ≠ f_c in general;
 *  - competitor shares: all of f_c on the best competitor ('hard'), or split by the
 *    competitors' softmax weights ('soft'); per-competitor rows are the same
 *    gradient × input for each margin l_c − l_k, weighted by those shares (rows sum to R).
 */
import { ModelError, OptionError } from '../errors';
import { gateValue } from '../nn/gates';
import { checkLayers, createTape, mlpBackward, mlpForward } from '../nn/mlp';
import type { MlpTape } from '../nn/mlp';
import { logSumExp, softmaxRow } from '../nn/softmax';
import type { IdcModel, NeonOptions, NeuralizedModel, PointExplanation } from '../types';

export interface IdcPointExplanation {
  readonly cluster: number;
  /** Softmax probability of the cluster. */
  readonly probability: number;
  /** Instance gates z(x) ∈ [0, 1]^D (deterministic). */
  readonly gates: Float64Array;
}

/** Cluster, probability and instance gates of one point. */
export function idcExplain(model: IdcModel, x: Float64Array): IdcPointExplanation {
  const net = new IdcNetwork(model);
  net.forward(x);
  const cluster = net.argmax();
  return { cluster, probability: net.probability(cluster), gates: net.gates.slice() };
}

export function neuralizeIdc(model: IdcModel, options: NeonOptions): NeuralizedModel {
  if (options.evidence !== 'hard' && options.evidence !== 'soft') {
    throw new OptionError(`IDC explanations: evidence must be 'hard' or 'soft', got '${String(options.evidence)}'`);
  }
  return new NeuralizedIdc(model, options);
}

/** Forward and backward passes of one point through gates, encoder and head. */
class IdcNetwork {
  readonly k: number;
  readonly dim: number;
  readonly gates: Float64Array;
  readonly logits: Float64Array;
  private readonly pass: Uint8Array;
  private readonly gated: Float64Array;
  private readonly x: Float64Array;
  private readonly gTape: MlpTape;
  private readonly eTape: MlpTape;
  private readonly hTape: MlpTape;
  private readonly p: Float64Array;

  constructor(private readonly model: IdcModel) {
    validate(model);
    this.k = model.k;
    this.dim = model.dim;
    this.gates = new Float64Array(model.dim);
    this.pass = new Uint8Array(model.dim);
    this.gated = new Float64Array(model.dim);
    this.x = new Float64Array(model.dim);
    this.logits = new Float64Array(model.k);
    this.p = new Float64Array(model.k);
    this.gTape = createTape(model.gateNet, 1);
    this.eTape = createTape(model.encoder, 1);
    this.hTape = createTape(model.clusterHead, 1);
  }

  forward(x: Float64Array): void {
    if (x.length !== this.dim) throw new OptionError(`IDC: input has ${x.length} features, the model expects ${this.dim}`);
    this.x.set(x);
    const mu = mlpForward(this.model.gateNet, this.x, 1, this.gTape);
    for (let i = 0; i < this.dim; i++) {
      const v = mu[i] + 0.5;
      this.gates[i] = gateValue(mu[i]);
      this.pass[i] = v > 0 && v < 1 ? 1 : 0;
      this.gated[i] = x[i] * this.gates[i];
    }
    const emb = mlpForward(this.model.encoder, this.gated, 1, this.eTape);
    this.logits.set(mlpForward(this.model.clusterHead, emb, 1, this.hTape).subarray(0, this.k));
  }

  argmax(): number {
    let best = 0;
    for (let c = 1; c < this.k; c++) if (this.logits[c] > this.logits[best]) best = c;
    return best;
  }

  probability(c: number): number {
    softmaxRow(this.logits, 0, this.k, this.p);
    return this.p[c];
  }

  /** Weights of the competitors in f_c: one-hot on the best ('hard') or softmax over k ≠ c ('soft'). */
  competitorWeights(c: number, evidence: 'hard' | 'soft', out: Float64Array): void {
    out.fill(0);
    if (evidence === 'hard') {
      let arg = -1;
      for (let q = 0; q < this.k; q++) if (q !== c && (arg < 0 || this.logits[q] > this.logits[arg])) arg = q;
      out[arg] = 1;
      return;
    }
    const lse = logSumExp(this.logits, this.k, c);
    for (let q = 0; q < this.k; q++) if (q !== c) out[q] = Math.exp(this.logits[q] - lse);
  }

  evidence(c: number, evidence: 'hard' | 'soft'): number {
    if (evidence === 'soft') return this.logits[c] - logSumExp(this.logits, this.k, c);
    let m = -Infinity;
    for (let q = 0; q < this.k; q++) if (q !== c && this.logits[q] > m) m = this.logits[q];
    return this.logits[c] - m;
  }

  /** ∂(Σ_q gL_q l_q)/∂x̃ into gGated (after forward). */
  gradGated(gL: Float64Array, gGated: Float64Array): void {
    const gEmb = new Float64Array(this.model.encoder[this.model.encoder.length - 1].outputs);
    mlpBackward(this.model.clusterHead, this.hTape, gL, undefined, gEmb);
    mlpBackward(this.model.encoder, this.eTape, gEmb, undefined, gGated);
  }

  /** Chain rule from ∂/∂x̃ to ∂/∂x through x̃ = x ⊙ z(x). */
  gradInput(gGated: Float64Array, out: Float64Array): void {
    const gMu = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) gMu[i] = this.pass[i] ? gGated[i] * this.x[i] : 0;
    mlpBackward(this.model.gateNet, this.gTape, gMu, undefined, out);
    for (let i = 0; i < this.dim; i++) out[i] += gGated[i] * this.gates[i];
  }

  get gatedInput(): Float64Array {
    return this.gated;
  }
}

class NeuralizedIdc implements NeuralizedModel {
  readonly k: number;
  readonly dim: number;
  private readonly net: IdcNetwork;

  constructor(
    model: IdcModel,
    readonly options: NeonOptions,
  ) {
    this.net = new IdcNetwork(model);
    this.k = model.k;
    this.dim = model.dim;
  }

  assign(x: Float64Array): number {
    this.net.forward(x);
    return this.net.argmax();
  }

  evidence(x: Float64Array, c: number): number {
    this.checkCluster(c);
    this.net.forward(x);
    return this.net.evidence(c, this.options.evidence);
  }

  gradient(x: Float64Array, c: number, out: Float64Array): void {
    this.checkCluster(c);
    this.net.forward(x);
    const gGated = this.marginGradient(c, this.weights(c));
    this.net.gradInput(gGated, out);
  }

  explain(x: Float64Array, c?: number, detail?: { perCompetitor?: boolean }): PointExplanation {
    this.net.forward(x);
    const cluster = c ?? this.net.argmax();
    this.checkCluster(cluster);
    const { k, dim, net } = this;
    const f = net.evidence(cluster, this.options.evidence);
    const w = this.weights(cluster);
    const gGated = this.marginGradient(cluster, w);
    const xg = net.gatedInput;
    const coef = new Float64Array(dim);
    const offset = new Float64Array(dim);
    const relevance = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      coef[i] = net.gates[i] * gGated[i];
      relevance[i] = coef[i] * x[i];
    }
    const competitorShares = new Float64Array(k);
    for (let q = 0; q < k; q++) if (q !== cluster) competitorShares[q] = f * w[q];
    let perCompetitor: Float64Array | undefined;
    if (detail?.perCompetitor) {
      perCompetitor = new Float64Array(k * dim);
      const one = new Float64Array(k);
      for (let q = 0; q < k; q++) {
        if (w[q] === 0) continue;
        one.fill(0);
        one[q] = 1;
        const g = this.marginGradient(cluster, one);
        for (let i = 0; i < dim; i++) perCompetitor[q * dim + i] = w[q] * xg[i] * g[i];
      }
    }
    return {
      cluster,
      evidence: f,
      probability: net.probability(cluster),
      relevance,
      competitorShares,
      attribution: { coef, offset },
      ...(perCompetitor ? { perCompetitor } : {}),
    };
  }

  private weights(c: number): Float64Array {
    const w = new Float64Array(this.k);
    this.net.competitorWeights(c, this.options.evidence, w);
    return w;
  }

  /** ∂/∂x̃ of Σ_q w_q (l_c − l_q) (= ∂f_c/∂x̃ for the competitor weights of f_c). */
  private marginGradient(c: number, w: Float64Array): Float64Array {
    const gL = new Float64Array(this.k);
    for (let q = 0; q < this.k; q++) {
      if (q === c || w[q] === 0) continue;
      gL[c] += w[q];
      gL[q] -= w[q];
    }
    const gGated = new Float64Array(this.dim);
    this.net.gradGated(gL, gGated);
    return gGated;
  }

  private checkCluster(c: number): void {
    if (!Number.isInteger(c) || c < 0 || c >= this.k) throw new OptionError(`IDC: cluster ${c} is out of range 0..${this.k - 1}`);
  }
}

function validate(model: IdcModel): void {
  const { dim, k } = model;
  if (!Number.isInteger(k) || k < 2) throw new ModelError(`IDC model: k must be an integer >= 2, got ${k}`);
  if (model.gateNet.length === 0 || model.encoder.length === 0 || model.clusterHead.length === 0) throw new ModelError('IDC model: a network has no layers');
  try {
    checkLayers(model.gateNet, dim, 'IDC gating network');
    checkLayers(model.encoder, dim, 'IDC encoder');
    checkLayers(model.clusterHead, model.encoder[model.encoder.length - 1].outputs, 'IDC cluster head');
  } catch (e) {
    throw new ModelError((e as Error).message);
  }
  if (model.gateNet[model.gateNet.length - 1].outputs !== dim) throw new ModelError(`IDC model: the gating network outputs ${model.gateNet[model.gateNet.length - 1].outputs} gates for ${dim} features`);
  if (model.clusterHead[model.clusterHead.length - 1].outputs !== k) throw new ModelError(`IDC model: the cluster head outputs ${model.clusterHead[model.clusterHead.length - 1].outputs} logits for k = ${k}`);
  if (model.clusterGates.length !== k * dim) throw new ModelError(`IDC model: cluster gates hold ${model.clusterGates.length} values, expected k x D = ${k} x ${dim}`);
}
