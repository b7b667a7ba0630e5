/**
 * Neuralized deep k-means (neon-method.md, "Deep k-means"): k-means on a learned
 * representation a = φ(x), φ an MLP with relu hidden layers and a linear output layer.
 *
 * Forward: φ, then the standard two-layer k-means network on a (`neuralizeKMeans` on the
 * centroids in representation space), so the evidence is exactly the k-means evidence on φ(x).
 *
 * Backward with the first-layer rules of the other models ('midpoint', 'reference'; default):
 * the root point is carried through φ (nn/deepTaylor.ts `carriedRootRule`). A reference point r
 * in input space is sent through φ; the k-means detection layer on a = φ(x) takes its root on
 * the line from a to φ(r), and every layer of φ below takes its neurons' roots on the line
 * from the row's activations to r's. Every layer conserves exactly, so Σ_i R_i = f_c (no bias
 * share). 'reference': r is the reference of the options (the data mean by default), one
 * backward pass. 'midpoint': for each competitor k, r_k is the midpoint between the input-space
 * centroids of c and k (`DeepRuleOptions.clusterCentroids`), one backward pass per competitor
 * holding a share of the evidence: "what separates x from the boundary with cluster k".
 *
 * Default under the reference rule with the hard pool and path pooling (`propagation: 'path'`):
 * instead of carrying r's activations as roots, the exact path integral from x to the network's
 * root on the line through r, taken through φ by walking its relu kinks (deepPath.ts):
 * integrated gradients from the root, exactly conservative. The carried roots stay reachable as
 * `propagation: 'root'` (the previous default); both measured in docs/faithfulness.md.
 *
 * Legacy backward (`propagation: 'deep-taylor'`, the 'z' rule, or models without input-space
 * centroids under 'midpoint'; deep Taylor, layer by layer):
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
 * Variants (`DeepRuleOptions`, measured in docs/deep-clustering.md): `top: 'folded'` merges
 * φ's linear output layer into the k-means detection layer instead of step 1; `reference`
 * replaces the box rule with a root point on the segment to a reference point (the data
 * mean), better suited to standardised, unbounded features than the min/max box.
 *
 * `gradient` is the exact gradient of the evidence (backprop through φ of the k-means
 * network's gradient), for the sensitivity / gradient×input / IG baselines.
 */
import { ModelError, OptionError } from '../errors';
import { boxRule, gammaRule, referenceRule } from '../nn/deepTaylor';
import { checkLayers, createTape, mlpBackward, mlpForward, mlpPredict } from '../nn/mlp';
import type { MlpTape } from '../nn/mlp';
import type { DeepKMeansModel, DenseLayer, Matrix, NeonOptions, NeuralizedModel, PointExplanation } from '../types';
import { carriedRootRule } from '../nn/deepTaylor';
import { DeepPathIntegral, type DeepPathOutput } from './deepPath';
import { checkRule, neuralizeKMeans } from './kmeans';
import { pairFloor, referenceDenominator, referenceShift } from './rootPoint';

export interface DeepRuleOptions {
  /**
   * 'path' (default; used under the reference rule with the hard pool and path pooling): the
   * exact path integral from the row to the network's root on the line through the reference
   * (deepPath.ts), rows without a usable root on that line falling back to 'root'. 'root'
   * (the previous default, and what the midpoint rule, the soft pool and min-takes-most pooling
   * always use): the root point carried through φ, exactly conservative (module comment).
   * Measured side by side in docs/faithfulness.md: 'path' is closer to integrated gradients:
   * it passes 9 target checks that 'root' misses and misses one that 'root' passes
   * (coffee-shops, data mean, by 0.005 within a seed spread of ±0.11).
   * 'deep-taylor': the earlier γ-rule / box-rule propagation, whose biases keep a share of
   * f_c (kept for comparison, docs/deep-clustering.md).
   */
  readonly propagation?: 'path' | 'root' | 'deep-taylor';
  /**
   * Input-space centroids of the clusters (K × D, e.g. the mean of each cluster's rows), for
   * the midpoint rule's per-competitor roots.
   */
  readonly clusterCentroids?: Float64Array;
  /** γ of the generalized γ-rule in φ's hidden and output layers. Default 0.25. */
  readonly gamma?: number;
  /**
   * How relevance enters φ. 'representation' (default): NEON for k-means on a = φ(x)
   * (midpoint rule) first, then the signed R_a through φ's output layer with the generalized
   * γ-rule. 'folded': φ's linear output layer is merged with the k-means detection layer
   * (both linear, so h_k = o_k − o_c is linear in the last hidden activations) and the
   * competitors' min-pool shares R_k go through that merged layer with the γ-rule. The merged
   * layer's bias (w_kᵀb + ||μ_k||² − ||μ_c||²) is large, so 'folded' keeps a large, signed
   * share of f_c in biases (median 32%, 5–95% range −2..2.5 × f_c on digits) while scoring
   * better in feature flipping there; see docs/deep-clustering.md.
   */
  readonly top?: 'folded' | 'representation';
  /**
   * Root point of the input layer's rule. Without it: the box rule z^B on the training
   * bounds [inputLow, inputHigh]. With it (e.g. the training data mean): the reference
   * root-point rule (`referenceRule`), contributions measured from this point.
   */
  readonly reference?: Float64Array;
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
  const top = rules.top ?? 'representation';
  if (top !== 'folded' && top !== 'representation') throw new OptionError(`Deep k-means NEON: top must be 'folded' or 'representation', got '${String(top)}'`);
  validate(model);
  if (rules.reference && rules.reference.length !== model.dim) {
    throw new OptionError(`Deep k-means NEON: the reference point has ${rules.reference.length} values, the model expects ${model.dim}`);
  }
  checkRule(options, model.dim);
  if (rules.clusterCentroids && rules.clusterCentroids.length !== model.k * model.dim) {
    throw new OptionError(`Deep k-means NEON: clusterCentroids hold ${rules.clusterCentroids.length} values, expected k x dim = ${model.k} x ${model.dim}`);
  }
  // The earlier deep-Taylor variants are asked for by their own options (or the z-rule).
  const legacy = rules.propagation === 'deep-taylor' || options.rule === 'z' || rules.top !== undefined || rules.reference !== undefined || rules.gamma !== undefined;
  const carried = legacy ? undefined : options.rule === 'reference' ? null : rules.clusterCentroids;
  return new NeuralizedDeep(model, options, gamma, top, rules.reference, carried, rules.propagation !== 'root');
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

type PathBuffers = DeepPathOutput;

class NeuralizedDeep implements NeuralizedDeepKMeans {
  readonly k: number;
  readonly dim: number;
  private readonly top: NeuralizedModel;
  private readonly layers: readonly DenseLayer[];
  private readonly tape: MlpTape;
  private readonly e: number;
  /** Carried-root propagation: the reference's forward pass (reference rule) ... */
  private readonly rootTape?: MlpTape;
  private readonly rootInput?: Float64Array;
  /** ... or the input-space cluster centroids and the pairs' midpoint tapes (midpoint rule). */
  private readonly centroidsIn?: Float64Array;
  private readonly pairTapes = new Map<number, { input: Float64Array; tape: MlpTape }>();
  /** Reference rule, hard pool, path pooling: the exact path integral through φ (deepPath.ts). */
  private readonly exactPath?: DeepPathIntegral;
  private readonly pathOut?: PathBuffers;
  private readonly mirror?: Float64Array;
  private readonly mirrorZ?: Float64Array;

  /**
   * @param carried undefined: legacy deep-Taylor propagation; null: carried root with the
   *   options' reference; a K × D array: carried midpoint roots between these centroids.
   */
  constructor(
    private readonly model: DeepKMeansModel,
    readonly options: NeonOptions,
    private readonly gamma: number,
    private readonly mode: 'folded' | 'representation',
    private readonly reference: Float64Array | undefined,
    carried?: Float64Array | null,
    exact = false,
  ) {
    this.k = model.k;
    this.dim = model.dim;
    this.layers = model.layers;
    this.e = model.layers[model.layers.length - 1].outputs;
    this.tape = createTape(model.layers, 1);
    const repr = { kind: 'kmeans' as const, k: model.k, dim: this.e, centroids: model.centroids };
    if (carried === null && options.reference) {
      // Reference rule: the top layer's root on the line φ(x) → φ(r).
      this.rootInput = options.reference.slice();
      this.rootTape = createTape(model.layers, 1);
      const ra = mlpForward(this.layers, this.rootInput, 1, this.rootTape).slice(0, this.e);
      this.top = neuralizeKMeans(repr, { ...options, rule: 'reference', reference: ra });
      if (exact && options.evidence === 'hard' && options.pooling !== 'min-takes-most' && model.k >= 2) {
        this.exactPath = new DeepPathIntegral(model.layers, model.k, model.centroids);
        this.mirror = new Float64Array(model.dim);
        this.mirrorZ = new Float64Array(model.layers[0].outputs);
        this.pathOut = { coef: new Float64Array(model.dim), offset: new Float64Array(model.dim), shares: new Float64Array(model.k) };
      }
    } else {
      if (carried) this.centroidsIn = carried.slice();
      this.top = neuralizeKMeans(repr, { beta: options.beta, evidence: options.evidence, rule: options.rule === 'z' ? 'z' : 'midpoint' });
    }
  }

  /**
   * `explain(x, c).relevance` alone: under the exact path (reference rule, hard pool) without
   * the explanation's other arrays, into buffers kept by the network (one allocation: the result).
   */
  relevance(x: Float64Array, c: number): Float64Array {
    const relevance = new Float64Array(this.dim);
    this.relevanceInto(x, c, relevance);
    return relevance;
  }

  /** `relevance(x, c)` written into `out` (length D). */
  relevanceInto(x: Float64Array, c: number, out: Float64Array): void {
    this.checkInput(x);
    if (out.length !== this.dim) throw new OptionError(`deep k-means NEON: output has ${out.length} values, the model has ${this.dim} features`);
    const path = this.exactPath;
    if (path && this.rootTape && this.rootInput) {
      // x's forward pass and the first ray's slopes at α = 0 in one pass per layer.
      const a = path.forwardToward(x, (this.rootTape as MlpTape).z[0], this.tape).subarray(0, this.e);
      const buffers = this.pathOut as PathBuffers;
      if (this.runPath(x, a, c, this.top.evidence(a, c), buffers, true)) {
        for (let i = 0; i < this.dim; i++) out[i] = buffers.coef[i] * x[i] - buffers.offset[i];
        return;
      }
      // Both rays refused: the carried roots, without walking the refused rays again (on breast
      // cancer 7 % of rows, which cost 3.3× a row whose path is used when they walked twice).
      out.set(this.explainCarried(x, c, undefined, false, a).relevance);
      return;
    }
    out.set(this.explain(x, c).relevance);
  }

  /**
   * The exact path on the line from x through the reference; when that ray has no usable root
   * (the reference as deep in c as x, or the root too far beyond it), the other ray of the same
   * line, through the reference's mirror image 2x − r (as rootPoint.ts moves a single neuron's
   * reference); false when neither has one. Needs this.tape to hold x's forward pass, and
   * with `slopesReady` the path's slopes toward r (DeepPathIntegral.forwardToward).
   */
  private runPath(x: Float64Array, a: Float64Array, c: number, evidence: number, out: PathBuffers, slopesReady = false): boolean {
    const path = this.exactPath as DeepPathIntegral;
    const r = this.rootInput as Float64Array;
    const zr0 = (this.rootTape as MlpTape).z[0];
    if (path.explain(x, r, this.tape.z, a, zr0, c, evidence, out, slopesReady)) return true;
    // Layer 0 is affine: z_0(2x − r) = 2 z_0(x) − z_0(r).
    const mirror = this.mirror as Float64Array;
    const mz = this.mirrorZ as Float64Array;
    const zx = this.tape.z[0];
    for (let i = 0; i < this.dim; i++) mirror[i] = 2 * x[i] - r[i];
    for (let j = 0; j < mz.length; j++) mz[j] = 2 * zx[j] - zr0[j];
    return path.explain(x, mirror, this.tape.z, a, mz, c, evidence, out);
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
    if (this.rootTape || this.centroidsIn) return this.explainCarried(x, c, detail);
    const a = this.representation(x);
    const cluster = c ?? this.top.assign(a);
    const folded = this.mode === 'folded';
    const top = this.top.explain(a, cluster, { perCompetitor: !folded && detail?.perCompetitor === true });
    const { low, high } = this.bounds(x);
    const coef = new Float64Array(this.dim);
    const offset = new Float64Array(this.dim);
    // What the rules set aside, counted where it happens (not as a difference), so a test of
    // Σ_i R_i + biasRelevance = f_c checks the rules' bookkeeping.
    let lost: number;
    if (folded) {
      lost = this.propagateFolded(x, cluster, top.competitorShares, low, high, coef, offset);
    } else {
      // The top layers leak only under the z-rule: f_c − Σ_j R_aj.
      lost = top.evidence;
      for (let j = 0; j < this.e; j++) lost -= top.relevance[j];
      lost += this.propagate(x, top.relevance, this.layers.length - 1, low, high, coef, offset);
    }
    const relevance = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) relevance[i] = coef[i] * x[i] - offset[i];
    let perCompetitor: Float64Array | undefined;
    if (detail?.perCompetitor) {
      perCompetitor = new Float64Array(this.k * this.dim);
      const ck = new Float64Array(this.dim);
      const ok = new Float64Array(this.dim);
      const one = new Float64Array(this.k);
      for (let q = 0; q < this.k; q++) {
        if (q === cluster || top.competitorShares[q] === 0) continue;
        if (folded) {
          one.fill(0);
          one[q] = top.competitorShares[q];
          this.propagateFolded(x, cluster, one, low, high, ck, ok);
        } else {
          this.propagate(x, (top.perCompetitor as Float64Array).subarray(q * this.e, (q + 1) * this.e), this.layers.length - 1, low, high, ck, ok);
        }
        for (let i = 0; i < this.dim; i++) perCompetitor[q * this.dim + i] = ck[i] * x[i] - ok[i];
      }
    }
    return {
      cluster,
      evidence: top.evidence,
      probability: top.probability,
      relevance,
      competitorShares: top.competitorShares,
      attribution: { coef, offset },
      biasRelevance: lost,
      representationRelevance: top.relevance,
      ...(perCompetitor ? { perCompetitor } : {}),
    };
  }

  /**
   * Carried-root backward pass (module comment). Reference rule: the top layer's reference
   * relevance on a = φ(x), then φ's layers with r's activations as roots. Midpoint rule: per
   * competitor k, the detection neuron h_k with its root on the line φ(x) → φ(r_k), r_k the
   * midpoint of the input-space centroids of c and k, then φ's layers with r_k's activations.
   * With the exact path (reference rule, hard pool) the path is tried first unless `tryPath` is
   * false (the caller saw both rays refused). `known`: φ(x), when this.tape already holds x's
   * forward pass (the same bits as `representation`, deepPath.test.ts), so it is not run again.
   */
  private explainCarried(x: Float64Array, c: number | undefined, detail: { perCompetitor?: boolean } | undefined, tryPath = true, known?: Float64Array): DeepExplanation {
    const a = known ?? this.representation(x);
    const cluster = c ?? this.top.assign(a);
    const { dim: d, e, k } = this;
    const wantPer = detail?.perCompetitor === true;
    if (tryPath && this.exactPath && this.rootTape && this.rootInput) {
      const topEx = this.top.explain(a, cluster);
      const evidence = topEx.evidence;
      const out = {
        coef: new Float64Array(d),
        offset: new Float64Array(d),
        shares: new Float64Array(k),
        representation: new Float64Array(e),
        ...(wantPer ? { perCompetitor: new Float64Array(k * d) } : {}),
      };
      if (this.runPath(x, a, cluster, evidence, out)) {
        const relevance = new Float64Array(d);
        for (let i = 0; i < d; i++) relevance[i] = out.coef[i] * x[i] - out.offset[i];
        return {
          cluster,
          evidence,
          probability: topEx.probability,
          relevance,
          competitorShares: out.shares,
          attribution: { coef: out.coef, offset: out.offset },
          biasRelevance: 0,
          representationRelevance: out.representation as Float64Array,
          ...(out.perCompetitor ? { perCompetitor: out.perCompetitor } : {}),
        };
      }
    }
    const top = this.top.explain(a, cluster, { perCompetitor: wantPer && this.rootTape !== undefined });
    const coef = new Float64Array(d);
    const offset = new Float64Array(d);
    const relevance = new Float64Array(d);
    const perCompetitor = wantPer ? new Float64Array(k * d) : undefined;
    const coefK = new Float64Array(d);
    const offsetK = new Float64Array(d);
    let representationRelevance: Float64Array;
    if (this.rootTape && this.rootInput) {
      representationRelevance = top.relevance;
      this.carryDown(top.relevance, this.rootTape, this.rootInput, coef, offset);
      if (perCompetitor && top.perCompetitor) {
        for (let q = 0; q < k; q++) {
          if (q === cluster || top.competitorShares[q] === 0) continue;
          this.carryDown(top.perCompetitor.subarray(q * e, (q + 1) * e), this.rootTape, this.rootInput, coefK, offsetK);
          for (let i = 0; i < d; i++) perCompetitor[q * d + i] = coefK[i] * x[i] - offsetK[i];
        }
      }
    } else {
      representationRelevance = new Float64Array(e);
      const mu = this.model.centroids;
      const rA = new Float64Array(e);
      const scale = Math.abs(top.evidence);
      for (let q = 0; q < k; q++) {
        const rk = top.competitorShares[q];
        if (q === cluster || rk === 0 || Math.abs(rk) <= 1e-15 * scale) continue;
        const pair = this.pairTape(cluster, q);
        const ra = pair.tape.a[this.layers.length - 1];
        // h_q(a) = w·a + b, w = 2(μ_c − μ_q): root on the line a → φ(r_q) (rootPoint.ts).
        let delta = 0;
        let ww = 0;
        let dist2 = 0;
        let h = 0;
        for (let j = 0; j < e; j++) {
          const w = 2 * (mu[cluster * e + j] - mu[q * e + j]);
          delta += w * (a[j] - ra[j]);
          ww += w * w;
          dist2 += (a[j] - ra[j]) * (a[j] - ra[j]);
          h += mu[q * e + j] * mu[q * e + j] - mu[cluster * e + j] * mu[cluster * e + j] + w * a[j];
        }
        const den = referenceDenominator(delta, h >= 0, ww, dist2, pairFloor(ww));
        const t = referenceShift(den, delta, ww);
        const s = rk / den;
        for (let j = 0; j < e; j++) {
          const w = 2 * (mu[cluster * e + j] - mu[q * e + j]);
          rA[j] = s * w * (a[j] - ra[j] + t * w);
          representationRelevance[j] += rA[j];
        }
        this.carryDown(rA, pair.tape, pair.input, coefK, offsetK);
        for (let i = 0; i < d; i++) {
          coef[i] += coefK[i];
          offset[i] += offsetK[i];
          if (perCompetitor) perCompetitor[q * d + i] = coefK[i] * x[i] - offsetK[i];
        }
      }
    }
    for (let i = 0; i < d; i++) relevance[i] = coef[i] * x[i] - offset[i];
    return {
      cluster,
      evidence: top.evidence,
      probability: top.probability,
      relevance,
      competitorShares: top.competitorShares,
      attribution: { coef, offset },
      biasRelevance: 0,
      representationRelevance,
      ...(perCompetitor ? { perCompetitor } : {}),
    };
  }

  /**
   * Relevance r0 on φ's output carried down to the input with the root's activations from
   * `rootTape` (root input `root`); the row's own activations are in this.tape. Writes the
   * input layer's linear form into coef / offset.
   */
  private carryDown(r0: Float64Array, rootTape: MlpTape, root: Float64Array, coef: Float64Array, offset: Float64Array): void {
    const { layers, tape } = this;
    let r = r0;
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const below = l > 0 ? tape.a[l - 1] : tape.input;
      const belowRoot = l > 0 ? rootTape.a[l - 1] : root;
      const deltaIn = new Float64Array(layer.inputs);
      for (let i = 0; i < layer.inputs; i++) deltaIn[i] = below[i] - belowRoot[i];
      const deltaZ = new Float64Array(layer.outputs);
      for (let j = 0; j < layer.outputs; j++) deltaZ[j] = tape.z[l][j] - rootTape.z[l][j];
      const rIn = new Float64Array(layer.inputs);
      let scale = 0;
      for (let i = 0; i < layer.inputs; i++) scale += belowRoot[i] * belowRoot[i] + below[i] * below[i];
      carriedRootRule(layer.weights, layer.inputs, layer.outputs, deltaIn, deltaZ, r, rIn, l === 0 ? { coef, offset, reference: root } : undefined, undefined, Math.sqrt(scale));
      r = rIn;
    }
  }

  /** The midpoint of the input-space centroids of c and q, and its forward pass (cached). */
  private pairTape(c: number, q: number): { input: Float64Array; tape: MlpTape } {
    const key = c * this.k + q;
    const cached = this.pairTapes.get(key);
    if (cached) return cached;
    const m = this.centroidsIn as Float64Array;
    const d = this.dim;
    const input = new Float64Array(d);
    for (let i = 0; i < d; i++) input[i] = 0.5 * (m[c * d + i] + m[q * d + i]);
    const tape = createTape(this.layers, 1);
    mlpForward(this.layers, input, 1, tape);
    const entry = { input, tape };
    this.pairTapes.set(key, entry);
    return entry;
  }

  /**
   * Merged top layer: for competitor k ≠ c, h_k = o_k − o_c = w_kᵀ(W h + b) + b_k with
   * w_k = 2(μ_c − μ_k), b_k = ||μ_k||² − ||μ_c||², i.e. weights v_k = Wᵀ w_k and bias
   * v_k0 = w_kᵀ b + b_k on the last hidden activations h (or on x when φ is one layer).
   * rK holds each competitor's relevance R_k (0 for c). Returns the relevance kept by biases.
   */
  private propagateFolded(x: Float64Array, c: number, rK: Float64Array, low: Float64Array, high: Float64Array, coef: Float64Array, offset: Float64Array): number {
    const { layers, tape, k, e } = this;
    const L = layers.length;
    const out = layers[L - 1];
    const nIn = out.inputs;
    const mu = this.model.centroids;
    const v = new Float64Array(k * nIn);
    const v0 = new Float64Array(k);
    const z = new Float64Array(k);
    const h = L >= 2 ? tape.a[L - 2] : x;
    let normC = 0;
    for (let j = 0; j < e; j++) normC += mu[c * e + j] * mu[c * e + j];
    for (let q = 0; q < k; q++) {
      if (q === c || rK[q] === 0) continue;
      let normQ = 0;
      let bias = 0;
      for (let j = 0; j < e; j++) {
        const w = 2 * (mu[c * e + j] - mu[q * e + j]);
        normQ += mu[q * e + j] * mu[q * e + j];
        bias += w * out.bias[j];
        for (let i = 0; i < nIn; i++) v[q * nIn + i] += w * out.weights[j * nIn + i];
      }
      v0[q] = bias + normQ - normC;
      let s = v0[q];
      for (let i = 0; i < nIn; i++) s += v[q * nIn + i] * h[i];
      z[q] = s;
    }
    if (L === 1) return this.inputRule(v, nIn, k, x, low, high, rK, coef, offset);
    const rH = new Float64Array(nIn);
    const lost = gammaRule(v, v0, nIn, k, h, z, rK, this.gamma, rH);
    return lost + this.propagate(x, rH, L - 2, low, high, coef, offset);
  }

  /**
   * Carries relevance r of the outputs of layer `from` down through φ (forward pass of x is
   * in the tape): γ-rule in layers from..1, box rule in layer 0. Writes the input layer's
   * linear form into coef / offset; returns the relevance kept by biases (and by neurons
   * with a vanishing denominator).
   */
  private propagate(x: Float64Array, r0: Float64Array, from: number, low: Float64Array, high: Float64Array, coef: Float64Array, offset: Float64Array): number {
    const { layers, tape } = this;
    let r = Float64Array.from(r0);
    let lost = 0;
    for (let l = from; l >= 1; l--) {
      const layer = layers[l];
      const rIn = new Float64Array(layer.inputs);
      lost += gammaRule(layer.weights, layer.bias, layer.inputs, layer.outputs, tape.a[l - 1], tape.z[l], r, this.gamma, rIn);
      r = rIn;
    }
    const first = layers[0];
    lost += this.inputRule(first.weights, first.inputs, first.outputs, x, low, high, r, coef, offset);
    return lost;
  }

  /** Box rule, or the reference root-point rule when a reference point was given. */
  private inputRule(
    weights: Float64Array,
    inputs: number,
    outputs: number,
    x: Float64Array,
    low: Float64Array,
    high: Float64Array,
    r: Float64Array,
    coef: Float64Array,
    offset: Float64Array,
  ): number {
    if (this.reference) return referenceRule(weights, inputs, outputs, x, this.reference, r, this.gamma, coef, offset);
    return boxRule(weights, inputs, outputs, x, low, high, r, coef, offset);
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
