/**
 * Neuralized deep k-means (neon-method.md, "Deep k-means"): k-means on a learned
 * representation a = φ(x), φ an MLP with relu hidden layers and a linear output layer.
 *
 * Forward: φ, then the standard two-layer k-means network on a (`neuralizeKMeans` on the
 * centroids in representation space), so the evidence is exactly the k-means evidence on φ(x).
 *
 * Backward (deep Taylor, layer by layer):
 *  1. top two layers: NEON for k-means on a (min-takes-most pool, midpoint rule) gives R_a,
 *     which sums to f_c but is signed (a dimension of a can speak against c);
 *  2. φ's layers above the input layer: the generalized γ-rule (`gammaRule`): boosts the
 *     contributions of the sign of z_j, handles signed relevance and signed linear outputs,
 *     and never divides by less than |z_j|. Biases keep their share of relevance;
 *  3. φ's input layer: the box rule z^B with the training data's per-feature bounds
 *     [inputLow, inputHigh] (widened to contain x for points outside the training range), in
 *     the linear form R_i = coef_i x_i − offset_i that text and token views need.
 * The γ-rule is not conservative where biases are non-zero, so Σ_i R_i = f_c − (relevance
 * absorbed by biases): that amount is reported per explanation as `biasRelevance` (exact
 * accounting: Σ_i R_i + biasRelevance = f_c).
 *
 * `gradient` is the exact gradient of the evidence (backprop through φ of the k-means
 * network's gradient), for the sensitivity / gradient×input / IG baselines.
 */
import { ModelError, OptionError } from '../errors';
import { boxRule, gammaRule } from '../nn/deepTaylor';
import { checkLayers, createTape, mlpBackward, mlpForward, mlpPredict } from '../nn/mlp';
import type { MlpTape } from '../nn/mlp';
import type { DeepKMeansModel, DenseLayer, Matrix, NeonOptions, NeuralizedModel, PointExplanation } from '../types';
import { neuralizeKMeans } from './kmeans';

export interface DeepRuleOptions {
  /** γ of the generalized γ-rule in φ's hidden and output layers. Default 0.25. */
  readonly gamma?: number;
}

export interface DeepExplanation extends PointExplanation {
  /**
   * Relevance kept by the biases of φ (and by the k-means layer under the z-rule), counted
   * where the rules set it aside: Σ_i R_i + biasRelevance = f_c.
   */
  readonly biasRelevance: number;
  /** Relevance of each representation dimension a_j = φ(x)_j (top layers' output). */
  readonly representationRelevance: Float64Array;
}

export interface NeuralizedDeepKMeans extends NeuralizedModel {
  explain(x: Float64Array, c?: number, detail?: { perCompetitor?: boolean }): DeepExplanation;
  /** a = φ(x). */
  representation(x: Float64Array): Float64Array;
}

export function neuralizeDeepKMeans(model: DeepKMeansModel, options: NeonOptions, rules: DeepRuleOptions = {}): NeuralizedDeepKMeans {
  const gamma = rules.gamma ?? 0.25;
  if (!(gamma >= 0) || !Number.isFinite(gamma)) throw new OptionError(`Deep k-means NEON: gamma must be a finite number >= 0, got ${gamma}`);
  validate(model);
  return new NeuralizedDeep(model, options, gamma);
}

/** Outlier scores o_k(x) = ||φ(x) − μ_k||² of every row (N × K), for choosing β (target 0.9). */
export function deepOutlierScores(model: DeepKMeansModel, X: Matrix): Float64Array {
  if (X.cols !== model.dim) throw new ModelError(`Deep k-means model takes ${model.dim} features, the data has ${X.cols}`);
  const A = mlpPredict(model.layers, X);
  const { k } = model;
  const e = A.cols;
  const out = new Float64Array(X.rows * k);
  for (let r = 0; r < X.rows; r++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < e; j++) {
        const t = A.data[r * e + j] - model.centroids[c * e + j];
        s += t * t;
      }
      out[r * k + c] = s;
    }
  }
  return out;
}

function validate(model: DeepKMeansModel): void {
  const { layers, dim, k } = model;
  if (layers.length === 0) throw new ModelError('Deep k-means model: the feature map has no layers');
  try {
    checkLayers(layers, dim, 'Deep k-means feature map');
  } catch (e) {
    throw new ModelError((e as Error).message);
  }
  layers.forEach((l, i) => {
    const expected = i === layers.length - 1 ? 'linear' : 'relu';
    if (l.activation !== expected) {
      throw new ModelError(`Deep k-means feature map: layer ${i} has activation '${l.activation}', the NEON rules need '${expected}' (relu hidden layers, linear output)`);
    }
  });
  const e = layers[layers.length - 1].outputs;
  if (model.centroids.length !== k * e) throw new ModelError(`Deep k-means model: centroids hold ${model.centroids.length} values, expected k x embedding = ${k} x ${e}`);
  if (model.inputLow.length !== dim || model.inputHigh.length !== dim) {
    throw new ModelError(`Deep k-means model: input bounds have ${model.inputLow.length} / ${model.inputHigh.length} values, expected ${dim}`);
  }
}

class NeuralizedDeep implements NeuralizedDeepKMeans {
  readonly k: number;
  readonly dim: number;
  private readonly top: NeuralizedModel;
  private readonly layers: readonly DenseLayer[];
  private readonly tape: MlpTape;
  private readonly e: number;

  constructor(
    private readonly model: DeepKMeansModel,
    readonly options: NeonOptions,
    private readonly gamma: number,
  ) {
    this.k = model.k;
    this.dim = model.dim;
    this.layers = model.layers;
    this.e = model.layers[model.layers.length - 1].outputs;
    this.top = neuralizeKMeans({ kind: 'kmeans', k: model.k, dim: this.e, centroids: model.centroids }, options);
    this.tape = createTape(model.layers, 1);
  }

  representation(x: Float64Array): Float64Array {
    this.checkInput(x);
    return mlpForward(this.layers, x, 1, this.tape).slice(0, this.e);
  }

  assign(x: Float64Array): number {
    return this.top.assign(this.representation(x));
  }

  evidence(x: Float64Array, c: number): number {
    return this.top.evidence(this.representation(x), c);
  }

  gradient(x: Float64Array, c: number, out: Float64Array): void {
    const a = this.representation(x);
    const gA = new Float64Array(this.e);
    this.top.gradient(a, c, gA);
    mlpBackward(this.layers, this.tape, gA, undefined, out);
  }

  explain(x: Float64Array, c?: number, detail?: { perCompetitor?: boolean }): DeepExplanation {
    const a = this.representation(x);
    const cluster = c ?? this.top.assign(a);
    const top = this.top.explain(a, cluster, { perCompetitor: detail?.perCompetitor === true });
    const { low, high } = this.bounds(x);
    const coef = new Float64Array(this.dim);
    const offset = new Float64Array(this.dim);
    const lostBelow = this.propagate(x, top.relevance, low, high, coef, offset);
    const relevance = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) relevance[i] = coef[i] * x[i] - offset[i];
    let perCompetitor: Float64Array | undefined;
    if (top.perCompetitor) {
      perCompetitor = new Float64Array(this.k * this.dim);
      const ck = new Float64Array(this.dim);
      const ok = new Float64Array(this.dim);
      for (let q = 0; q < this.k; q++) {
        if (q === cluster || top.competitorShares[q] === 0) continue;
        this.propagate(x, top.perCompetitor.subarray(q * this.e, (q + 1) * this.e), low, high, ck, ok);
        for (let i = 0; i < this.dim; i++) perCompetitor[q * this.dim + i] = ck[i] * x[i] - ok[i];
      }
    }
    // What the rules set aside, counted where it happens (not as a difference), so a test of
    // Σ_i R_i + biasRelevance = f_c checks the rules' bookkeeping. The top layers leak only
    // under the z-rule: f_c − Σ_j R_aj.
    let topLeak = top.evidence;
    for (let j = 0; j < this.e; j++) topLeak -= top.relevance[j];
    return {
      cluster,
      evidence: top.evidence,
      probability: top.probability,
      relevance,
      competitorShares: top.competitorShares,
      attribution: { coef, offset },
      biasRelevance: lostBelow + topLeak,
      representationRelevance: top.relevance,
      ...(perCompetitor ? { perCompetitor } : {}),
    };
  }

  /**
   * Carries the representation relevance rA down through φ (forward pass of x is in the
   * tape). Writes the input layer's linear form into coef / offset; returns the relevance
   * kept by biases (and by neurons with a vanishing denominator).
   */
  private propagate(x: Float64Array, rA: Float64Array, low: Float64Array, high: Float64Array, coef: Float64Array, offset: Float64Array): number {
    const { layers, tape } = this;
    let r = Float64Array.from(rA);
    let lost = 0;
    for (let l = layers.length - 1; l >= 1; l--) {
      const layer = layers[l];
      const rIn = new Float64Array(layer.inputs);
      lost += gammaRule(layer.weights, layer.bias, layer.inputs, layer.outputs, tape.a[l - 1], tape.z[l], r, this.gamma, rIn);
      r = rIn;
    }
    const first = layers[0];
    lost += boxRule(first.weights, first.inputs, first.outputs, x, low, high, r, coef, offset);
    return lost;
  }

  /** Training bounds, widened to contain x so every box-rule denominator stays ≥ 0. */
  private bounds(x: Float64Array): { low: Float64Array; high: Float64Array } {
    const low = Float64Array.from(this.model.inputLow);
    const high = Float64Array.from(this.model.inputHigh);
    for (let i = 0; i < this.dim; i++) {
      if (x[i] < low[i]) low[i] = x[i];
      if (x[i] > high[i]) high[i] = x[i];
    }
    return { low, high };
  }

  private checkInput(x: Float64Array): void {
    if (x.length !== this.dim) throw new OptionError(`NEON deep k-means: input has ${x.length} features, the model expects ${this.dim}`);
  }
}
