/**
 * Neuralized kernel k-means (neon-method.md, "Kernel k-means (4 layers)").
 *
 * Model: support vectors x_j with clusters C_k, bandwidth γ, biases b_k = (1/γ) log z_k.
 * Outlier score o_k(x) = −(1/γ) log(z_k⁻¹ Σ_{j∈C_k} exp(−γ ||x − x_j||²)) = smin_γ_j ||x − x_j||² + b_k.
 * For the assigned cluster c the evidence is computed by the "improved" 4-layer network:
 *   layer 1  a_ijk = w_ijᵀ x + b_ijk,  w_ij = 2(x_i − x_j),
 *                    b_ijk = ||x_j||² − ||x_i||² + b_k − b_c      (i ∈ C_c, j ∈ C_k, k ≠ c)
 *   layer 2  z_jk  = smax_γ over i ∈ C_c of a_ijk
 *   layer 3  h_k   = smin_γ over j ∈ C_k of z_jk                  (= o_k(x) − o_c(x) exactly)
 *   layer 4  f_c   = smin_β over k ≠ c of h_k   ('soft')   or   min_k h_k   ('hard')
 * "Hard" is hard only at the top layer: h_k = o_k − o_c is soft in γ by the very definition of
 * kernel k-means (o_k is a soft minimum of squared distances), so layers 2-3 stay soft pools.
 *
 * Backward pass (LRP):
 *   layer 4: R_k = f_c · exp(−β h_k) / Σ_{k'≠c} exp(−β h_k')   (min-takes-most, both forms)
 *   layer 3: R_jk = R_k · softmin_γ shares of z_jk over j
 *   layer 2: R_ijk = R_jk · softmax_γ shares of a_ijk over i      (max-takes-most)
 *   layer 1 ('midpoint' rule = root point): the reference point of neuron ijk is the midpoint
 *     moved along w_ij onto the neuron's zero hyperplane,
 *         m̃_ij = (x_i + x_j)/2 − ((b_k − b_c) / ||w_ij||²) w_ij,   so a_ijk = w_ijᵀ (x − m̃_ij),
 *     and R_d = Σ_n R_n w_nd (x_d − m̃_nd) / a_n sums exactly to Σ_n R_n = f_c. (The plain
 *     midpoint leaves b_k − b_c out and is not conservative.)
 *     Guard: when x lies almost on the hyperplane (|a_n| < ε ||w_n|| ||x − m̃_n||, ε = 0.05),
 *     single terms w_nd (x_d − m̃_nd) / a_n explode while their sum stays 1. The reference is
 *     then moved further along w_n so that the denominator becomes ±ε ||w_n|| ||x − m̃_n||
 *     (same sign as a_n). That is still a root-point rule on the same neuron, so the layer
 *     still conserves exactly, and each |R_nd| ≤ |R_n| (1 + ε) / ε.
 *   layer 1 ('reference' rule): the root of every neuron on the line from x through the
 *     reference r (rootPoint.ts): R_d = Σ_n R_n w_nd (x_d − r_d) / w_nᵀ(x − r), with the same
 *     guard (reference moved along w_n when it is about as close to the neuron's hyperplane
 *     as x); exactly conservative, and cheaper than the midpoint: offset_d = coef_d r_d, so no
 *     pass over each neuron's weights is needed except for guarded neurons.
 *   layer 1 ('z' rule, paper eq. 10): R_d = Σ_n x_d w_nd R_n / a_n (root point 0, bias
 *     absorbed); leaks the bias share, kept for comparison only.
 * Every neuron's relevance is linear in x_d, so the explanation is also returned as
 * R_d = coef_d x_d − offset_d with coef = Σ_n c_n w_n, offset = Σ_n c_n (w_n ⊙ m_n), c_n = R_n / denominator_n.
 *
 * Cost: layer 1 is evaluated as 2(x_iᵀx − x_jᵀx) + b_ijk (the same linear map, factored), so the
 * forward pass is O(M·D + |C_c|·M); the backward pass touches each neuron's D weights once.
 * Per cluster c the biases, ||w||² and root-point shifts of its first layer are built on first use.
 */
import { OptionError } from '../errors';
import { checkModel, outlierScoresInto } from '../cluster/kernelKMeans';
import { softMax, softMaxShares, softMin, softMinShares } from '../network/pooling';
import { checkRule } from './kmeans';
import { pairFloor, referenceDenominator, referenceShift } from './rootPoint';
import type { KernelKMeansModel, LinearAttribution, Matrix, NeonOptions, NeuralizedModel, PointExplanation } from '../types';

/** Root-point guard ε of the first layer (see the module comment). */
export const ROOT_POINT_GUARD = 0.05;
/** Stabiliser of the z-rule's denominator (the z-rule is kept unguarded on purpose). */
const Z_RULE_EPSILON = 1e-9;

export interface KernelNeonTuning {
  /** ε of the root-point guard; 0 turns the guard off (exact but unbounded terms). */
  readonly rootPointGuard?: number;
  /**
   * true: every point of the path integral takes its exponentials directly, one per support
   * vector, instead of from the factored forms (GridFactors, QuadratureFactors). The same
   * numbers to rounding, slower: the reference the factored forms are tested against.
   */
  readonly directExponentials?: boolean;
  /**
   * Gauss–Legendre panels on every smooth piece under the hard top pool, instead of the number
   * each piece's sharpness asks for (`piecePanels`). 64: the converged integral the default rule
   * is tested against (1 ≤ piecePanels ≤ 64).
   */
  readonly piecePanels?: number;
}

/** Outlier scores o_k(x) of every row (N x K, row-major), e.g. for choosing β. */
export function kernelOutlierScores(model: KernelKMeansModel, X: Matrix): Float64Array {
  checkModel(model, X.cols);
  const out = new Float64Array(X.rows * model.k);
  const d2 = new Float64Array(model.supportCluster.length);
  const low = new Float64Array(model.k);
  const o = new Float64Array(model.k);
  for (let i = 0; i < X.rows; i++) {
    outlierScoresInto(model, X.data, i * X.cols, o, d2, low);
    out.set(o, i * model.k);
  }
  return out;
}

/** Rewrites a kernel k-means model as the 4-layer network above (the model is not modified). */
export function neuralizeKernelKMeans(model: KernelKMeansModel, options: NeonOptions, tuning: KernelNeonTuning = {}): NeuralizedModel {
  checkModel(model);
  if (model.k < 2) throw new OptionError(`kernel k-means NEON: needs at least 2 clusters, got k = ${model.k}`);
  if (!(options.beta > 0)) throw new OptionError(`kernel k-means NEON: beta must be > 0, got ${options.beta}`);
  const guard = tuning.rootPointGuard ?? ROOT_POINT_GUARD;
  if (!(guard >= 0 && guard < 1)) throw new OptionError(`kernel k-means NEON: rootPointGuard must be in [0, 1), got ${guard}`);
  checkRule(options, model.dim);
  const fixed = tuning.piecePanels ?? 0;
  if (tuning.piecePanels !== undefined && !(Number.isInteger(fixed) && fixed >= 1 && fixed <= 64)) throw new OptionError(`kernel k-means NEON: piecePanels must be an integer in [1, 64], got ${tuning.piecePanels}`);
  return new KernelKMeansNetwork(model, options, guard, tuning.directExponentials === true, fixed);
}

/** Gauss–Legendre, 4 nodes on [0, 1] (exact to degree 7), for the path integrals. */
const GL4_NODES = [0.06943184420297371, 0.33000947820757187, 0.6699905217924281, 0.9305681557970262];
const GL4_WEIGHTS = [0.17392742256872692, 0.3260725774312731, 0.3260725774312731, 0.17392742256872692];
/** Panels of the path integral under the soft top pool (smooth along the path). */
const PATH_PANELS = 4;
/**
 * Panels per smooth piece under the hard top pool (pieces end where the pool's holder changes,
 * so the integrand is smooth on each): ⌈S / PANEL_SHARPNESS⌉, between 1 and MAX_PIECE_PANELS,
 * where S = 2γ (max u_j − min u_j) · (piece length) over the support vectors that matter on
 * the piece (`piecePanels`): the softmin shares are logistic in α with rates up to
 * 2γ (max u − min u), so S counts their transitions across the piece. The fixed rule it
 * replaces (4 panels on every piece) was up to 2.5e-2 |f| off the 64-panel integral on the
 * worst iris row and 1.6e-2 on breast cancer (faith6, session 21). Measured against 64
 * panels per piece (bench/kernelQuadrature.ts, seed 1, worst row's max_t |ΔR_t| / |f|) for
 * PANEL_SHARPNESS 4 / 5 / 6 / 7 / 8: iris 3.9e-5 / 1.3e-4 / 3.0e-4 / 1.2e-3 / 3.2e-3, breast
 * cancer 1.0e-5 / 1.0e-5 / 3.0e-5 / 1.4e-4 / 2.4e-4; 6 keeps every bench table ≤ 3.0e-4
 * with the fewest nodes (iris 26 per row, was 20; digits 9–10, was 25–27).
 */
const PANEL_SHARPNESS = 6;
const MAX_PIECE_PANELS = 16;
/** Shares below e^−30 of their cluster's largest on the whole piece do not set its sharpness. */
const SHARPNESS_CUT = 30;
/**
 * What `clusterScore` computes besides the within-cluster exponentials e_j (into q): SCORE o_k;
 * SHARES o_k, the normalised shares q and do_k/dα (dh); TERMS the raw e_j and their sum (total),
 * which the quadrature folds into its weight; TERMS_SLOPE those and dh.
 */
const SCORE = 0;
const SHARES = 1;
const TERMS = 2;
const TERMS_SLOPE = 3;
/** Where the root is looked for: the segment to r in quarters, then beyond it by doubling. */
const PATH_BRACKET = [0.25, 0.5, 0.75, 1, ...Array.from({ length: 30 }, (_, i) => 2 ** (i + 1))];
/** The bracket's points on the grid α = m/4 taken in factors (GridFactors): up to α = 4. */
const GRID_STEPS = 16;
/**
 * Largest exponent a factored term may reach (against the reference's 0): far from overflow
 * (709), and small enough that o_k = d_i − log(Σ e_j)/γ + b_k does not lose digits to
 * cancellation beyond what the direct form (log of a sum ≤ n_k) loses.
 */
const GRID_TOP = 60;

/** Scratch of the path pooling (M support vectors, K clusters). */
interface KernelPathScratch {
  readonly d0: Float64Array;
  readonly u: Float64Array;
  readonly dist: Float64Array;
  readonly q: Float64Array;
  readonly coefSV: Float64Array;
  readonly o: Float64Array;
  readonly h: Float64Array;
  readonly pi: Float64Array;
  readonly dh: Float64Array;
  readonly dropK: Float64Array;
  /** Per cluster, Σ_j e_j of the last `clusterScore` in TERMS mode. */
  readonly total: Float64Array;
  /** Per competitor k, ∫ π_k q_i dα for c's support vectors (only for per-competitor terms). */
  perC: Float64Array;
  /** Per cluster, the least squared distance to its support vectors at the last point. */
  readonly low: Float64Array;
  /** ‖x − r‖² of the current row. */
  v: number;
  /** d/dα of the last `pathAt` (evidence) or `scoreGap` (gap) with shares. */
  slope: number;
  /** f / (the raw integral's Σ R) of the last path integral. */
  scale: number;
  /** The rescaled multipliers of `relevanceInto` (length D). */
  readonly coef: Float64Array;
  /** Where the hard top pool changes holder along the segment (holderSwitches). */
  readonly breaks: Float64Array;
  /** The pool's holder on each piece (piece p runs from breaks[p − 1] to breaks[p]), and at the root. */
  readonly pieceHolder: Int32Array;
  rootHolder: number;
  /** The quadrature nodes' α and holders, in order (`integratePieces` with its check on). */
  readonly sampleAt: Float64Array;
  readonly sampleHolder: Int32Array;
  sampleCount: number;
  /** Quadrature nodes' exponentials in factors (`buildFactors`), per support vector. */
  readonly factors: QuadratureFactors;
  /** The root bracket's exponentials in factors (`buildGrid`), per support vector. */
  readonly grid: GridFactors;
}

/**
 * The within-cluster exponentials at the root bracket's points α = m/4 (m = 0..GRID_STEPS:
 * α = 0, ¼, ½, ¾, 1, then 2 and 4 of the doubling), in factors: with i the support vector
 * nearest to x(α) at the point m₀ where the cluster is first scored, d_j(α) − d_i(α) is linear
 * in α, so e_j = exp(−γ (d_j − d_i)) at step m is X_j · Y_j^(m − m₀), X_j = e_j(m₀) (the very
 * exponentials the direct evaluation takes there), Y_j = exp(−γ (u_j − u_i) / 2): 2 exponentials
 * per support vector for the whole bracket instead of one per point. A cluster's factors reach
 * as far as every term stays in range (`buildGrid`); beyond, the point is evaluated directly.
 */
interface GridFactors {
  /** On while `pathRoot` brackets the root (and for f at α = 0). */
  on: boolean;
  /** The current point's step m (α = m/4). */
  step: number;
  /** Per cluster: 0 not built, 1 built. */
  readonly state: Int8Array;
  /** Per cluster: the reference support vector i, the step `run` is at, the last step in range. */
  readonly refSV: Int32Array;
  readonly runStep: Int32Array;
  readonly reach: Int32Array;
  /** Per support vector: Y and X · Y^(step − m₀). */
  readonly y: Float64Array;
  readonly run: Float64Array;
}

/**
 * The within-cluster exponentials at the 4P Gauss–Legendre nodes of one piece [s, s + PL]
 * (P panels of length L), in factors. Along the line d_j(α) − d_i(α) is linear in α (the
 * α² ‖x − r‖² term is common), so with i a reference support vector of the cluster,
 * e_j(α) = exp(−γ (d_j(α) − d_i(α))) at α = s + (p + ν_g) L is X_j · Y_j^p · Z_jg with
 * X_j = e_j(s), Y_j = exp(λ_j L), Z_jg = exp(λ_j L ν_g), λ_j = −2γ (u_j − u_i); the nodes are
 * symmetric (ν_3 = 1 − ν_0, ν_2 = 1 − ν_1), so Z_j3 = Y_j / Z_j0 and Z_j2 = Y_j / Z_j1: 4
 * exponentials per support vector for the piece instead of 4P.
 */
interface QuadratureFactors {
  /** On while `pathIntegral` evaluates the quadrature nodes. */
  on: boolean;
  /** Current panel p and node g. */
  panel: number;
  node: number;
  /** The piece [s, t] and its panels' length L = (t − s) / P. */
  from: number;
  to: number;
  len: number;
  /** Per cluster: 0 not built for this piece, 1 factored, 2 evaluated directly (range). */
  readonly state: Int8Array;
  /** Per cluster: the reference support vector i, and the panel `run` is at. */
  readonly refSV: Int32Array;
  readonly runPanel: Int32Array;
  /** Per support vector: Y, Z_0..Z_3 and X · Y^panel. */
  readonly y: Float64Array;
  readonly z: Float64Array[];
  readonly run: Float64Array;
}

function createKernelPathScratch(m: number, k: number, d: number, maxPanels: number): KernelPathScratch {
  return {
    d0: new Float64Array(m),
    u: new Float64Array(m),
    dist: new Float64Array(m),
    q: new Float64Array(m),
    coefSV: new Float64Array(m),
    o: new Float64Array(k),
    h: new Float64Array(k),
    pi: new Float64Array(k),
    dh: new Float64Array(k),
    dropK: new Float64Array(k),
    total: new Float64Array(k),
    perC: new Float64Array(k * m),
    low: new Float64Array(k),
    v: 0,
    slope: 0,
    scale: 1,
    coef: new Float64Array(d),
    breaks: new Float64Array(4 * k),
    pieceHolder: new Int32Array(4 * k + 1),
    rootHolder: -1,
    sampleAt: new Float64Array(4 * maxPanels * (4 * k + 1)),
    sampleHolder: new Int32Array(4 * maxPanels * (4 * k + 1)),
    sampleCount: 0,
    factors: {
      on: false,
      panel: 0,
      node: 0,
      from: 0,
      to: 0,
      len: 0,
      state: new Int8Array(k),
      refSV: new Int32Array(k),
      runPanel: new Int32Array(k),
      y: new Float64Array(m),
      z: [new Float64Array(m), new Float64Array(m), new Float64Array(m), new Float64Array(m)],
      run: new Float64Array(m),
    },
    grid: {
      on: false,
      step: 0,
      state: new Int8Array(k),
      refSV: new Int32Array(k),
      runStep: new Int32Array(k),
      reach: new Int32Array(k),
      y: new Float64Array(m),
      run: new Float64Array(m),
    },
  };
}

function minOver(values: Float64Array, skip: number): number {
  let m = Infinity;
  for (let q = 0; q < values.length; q++) if (q !== skip && values[q] < m) m = values[q];
  return m;
}

/**
 * The zero in (lo, hi) of the cubic Hermite interpolant of g from g and g′ at both ends (gLo,
 * gHi of opposite signs), by Newton steps on the cubic from the secant's point; NaN when a step
 * leaves the bracket or the cubic is flat (the caller then starts from the secant). A first
 * step for `refineRoot`: on the bracket's quarter-wide cells it lands within ~1e-4 of the
 * root, where the secant alone lands within ~1e-2.
 */
function hermiteRoot(lo: number, gLo: number, sLo: number, hi: number, gHi: number, sHi: number): number {
  const h = hi - lo;
  const m0 = h * sLo;
  const m1 = h * sHi;
  if (!(Number.isFinite(m0) && Number.isFinite(m1))) return NaN;
  let t = gLo / (gLo - gHi);
  for (let it = 0; it < 20; it++) {
    const t2 = t * t;
    const t3 = t2 * t;
    const p = (2 * t3 - 3 * t2 + 1) * gLo + (t3 - 2 * t2 + t) * m0 + (3 * t2 - 2 * t3) * gHi + (t3 - t2) * m1;
    const dp = (6 * t2 - 6 * t) * (gLo - gHi) + (3 * t2 - 4 * t + 1) * m0 + (3 * t2 - 2 * t) * m1;
    if (!(dp !== 0)) return NaN;
    const next = t - p / dp;
    if (!(next > 0 && next < 1)) return NaN;
    const done = Math.abs(next - t) <= 1e-12;
    t = next;
    if (done) break;
  }
  return lo + t * h;
}

/** First layer of the network for one assigned cluster c (neurons n = q·|C_c| + i). */
interface FirstLayer {
  /** b_ijk. */
  readonly bias: Float64Array;
  /** ||w_ij||² = 4 ||x_i − x_j||². */
  readonly weightNorm2: Float64Array;
  /** (b_k − b_c) / ||w_ij||²: how far m̃ sits from the midpoint along −w_ij (0 when w = 0). */
  readonly shift: Float64Array;
  /** ||(x_i + x_j) / 2||² (for ||x − m̃||² in O(1) per neuron). */
  readonly midNorm2: Float64Array;
}

class KernelKMeansNetwork implements NeuralizedModel {
  readonly k: number;
  readonly dim: number;
  private readonly gamma: number;
  /** Support vectors sorted by cluster: cluster k owns rows start[k] .. start[k+1]−1. */
  private readonly sv: Float64Array;
  private readonly start: Int32Array;
  private readonly svNorm2: Float64Array;
  private readonly svCluster: Int32Array;
  private readonly bias: Float64Array;
  /** log(n_k) / γ per cluster: how far o_k can lie below its nearest support vector's term. */
  private readonly logCount: Float64Array;
  private readonly layers: (FirstLayer | undefined)[];
  private readonly sortedModel: KernelKMeansModel;
  // Scratch (no allocation per point beyond the returned arrays).
  private readonly o: Float64Array;
  private readonly d2: Float64Array;
  private readonly low: Float64Array;
  private readonly p: Float64Array;
  private readonly h: Float64Array;
  private readonly share4: Float64Array;
  private readonly a: Float64Array;
  private readonly z: Float64Array;
  private readonly rz: Float64Array;
  private readonly ra: Float64Array;
  private readonly mean: Float64Array;
  private readonly kCoef: Float64Array;
  private readonly kOffset: Float64Array;
  private readonly sumI: Float64Array;
  /** Reference rule: r and x_jᵀr per support vector. */
  private readonly reference?: Float64Array;
  private readonly svDotRef: Float64Array;
  /** Reference rule with pooling along the root segment (`explainPath`), and its scratch. */
  private readonly path?: KernelPathScratch;

  constructor(
    model: KernelKMeansModel,
    readonly options: NeonOptions,
    private readonly guard: number,
    private readonly direct: boolean,
    /** Fixed panels per piece under the hard pool (KernelNeonTuning.piecePanels); 0: by sharpness. */
    private readonly fixedPanels: number,
  ) {
    const { k, dim: d } = model;
    const m = model.supportCluster.length;
    this.k = k;
    this.dim = d;
    this.gamma = model.gamma;
    this.bias = model.bias.slice();
    const order = Array.from({ length: m }, (_, j) => j).sort((a, b) => model.supportCluster[a] - model.supportCluster[b] || a - b);
    this.sv = new Float64Array(m * d);
    this.svCluster = new Int32Array(m);
    this.svNorm2 = new Float64Array(m);
    this.start = new Int32Array(k + 1);
    order.forEach((j, r) => {
      const row = model.supportVectors.subarray(j * d, j * d + d);
      this.sv.set(row, r * d);
      this.svCluster[r] = model.supportCluster[j];
      let s = 0;
      for (let t = 0; t < d; t++) s += row[t] * row[t];
      this.svNorm2[r] = s;
      this.start[model.supportCluster[j] + 1]++;
    });
    for (let c = 0; c < k; c++) this.start[c + 1] += this.start[c];
    this.logCount = new Float64Array(k);
    for (let c = 0; c < k; c++) this.logCount[c] = Math.log(this.start[c + 1] - this.start[c]) / model.gamma;
    this.sortedModel = { ...model, supportVectors: this.sv, supportCluster: this.svCluster, bias: this.bias };
    this.layers = new Array<FirstLayer | undefined>(k).fill(undefined);
    let maxNeurons = 0;
    for (let c = 0; c < k; c++) {
      const nc = this.start[c + 1] - this.start[c];
      maxNeurons = Math.max(maxNeurons, nc * (m - nc));
    }
    this.o = new Float64Array(k);
    this.d2 = new Float64Array(m);
    this.low = new Float64Array(k);
    this.p = new Float64Array(m);
    this.h = new Float64Array(k);
    this.share4 = new Float64Array(k);
    this.a = new Float64Array(maxNeurons);
    this.z = new Float64Array(m);
    this.rz = new Float64Array(m);
    this.ra = new Float64Array(maxNeurons);
    this.mean = new Float64Array(k * d);
    this.kCoef = new Float64Array(d);
    this.kOffset = new Float64Array(d);
    let maxCluster = 0;
    for (let c = 0; c < k; c++) maxCluster = Math.max(maxCluster, this.start[c + 1] - this.start[c]);
    this.sumI = new Float64Array(maxCluster);
    this.svDotRef = new Float64Array(m);
    if (options.rule === 'reference' && options.reference && options.pooling !== 'min-takes-most') this.path = createKernelPathScratch(m, k, model.dim, Math.max(PATH_PANELS, fixedPanels > 0 ? fixedPanels : MAX_PIECE_PANELS));
    if (options.rule === 'reference' && options.reference) {
      const r = options.reference.slice();
      this.reference = r;
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += this.sv[j * d + t] * r[t];
        this.svDotRef[j] = s;
      }
    }
  }

  assign(x: Float64Array): number {
    this.scores(x);
    let best = 0;
    for (let c = 1; c < this.k; c++) if (this.o[c] < this.o[best]) best = c;
    return best;
  }

  /** Evidence from the direct formula o_k(x) − o_c(x) (the network's output equals it). */
  evidence(x: Float64Array, c: number): number {
    this.checkCluster(c);
    this.scores(x);
    for (let q = 0; q < this.k; q++) this.h[q] = this.o[q] - this.o[c];
    return this.top(c);
  }

  /**
   * ∇f_c = Σ_{k≠c} π_k (∇o_k − ∇o_c), ∇o_k = 2(x − x̄_k), x̄_k = Σ_{j∈C_k} q_j x_j with q the
   * softmin_γ shares of ||x − x_j||²; π = softmin_β shares of h ('soft') or the arg-min ('hard').
   * Hence ∇f_c = 2 (x̄_c − Σ_k π_k x̄_k).
   */
  gradient(x: Float64Array, c: number, out: Float64Array): void {
    this.checkCluster(c);
    const { k, dim: d, sv, start, d2, mean } = this;
    this.scores(x);
    for (let q = 0; q < k; q++) this.h[q] = this.o[q] - this.o[c];
    this.topShares(c, true);
    // x̄_k with the softmin_γ shares exp(−γ (d_j − min_j d_j)) / Σ (this.low holds the minima).
    mean.fill(0);
    for (let q = 0; q < k; q++) {
      let total = 0;
      for (let j = start[q]; j < start[q + 1]; j++) total += Math.exp(-this.gamma * (d2[j] - this.low[q]));
      for (let j = start[q]; j < start[q + 1]; j++) {
        const s = Math.exp(-this.gamma * (d2[j] - this.low[q])) / total;
        for (let t = 0; t < d; t++) mean[q * d + t] += s * sv[j * d + t];
      }
    }
    for (let t = 0; t < d; t++) {
      let v = mean[c * d + t];
      for (let q = 0; q < k; q++) if (q !== c) v -= this.share4[q] * mean[q * d + t];
      out[t] = 2 * v;
    }
  }

  /**
   * `explain(x, c).relevance` written into `out` (length D): under the path pooling, the path
   * integral alone, without p(c|x), the competitor shares or any new array (the same numbers).
   */
  relevanceInto(x: Float64Array, c: number, out: Float64Array): void {
    this.checkCluster(c);
    const d = this.dim;
    if (x.length !== d) throw new OptionError(`kernel k-means NEON: input has ${x.length} features, the model expects ${d}`);
    if (out.length !== d) throw new OptionError(`kernel k-means NEON: output has ${out.length} values, the model has ${d} features`);
    const ps = this.path;
    if (ps && !Number.isNaN(this.pathIntegral(x, c, false, false, ps.coef))) {
      const ref = this.reference as Float64Array;
      const coef = ps.coef;
      for (let t = 0; t < d; t++) out[t] = coef[t] * x[t] - coef[t] * ref[t];
      return;
    }
    // The path was refused: the per-neuron roots, without computing the refused path again.
    out.set(this.explainNeurons(x, c, undefined).relevance);
  }

  explain(x: Float64Array, cluster?: number, detail?: { perCompetitor?: boolean }): PointExplanation {
    const c = cluster ?? this.assign(x);
    this.checkCluster(c);
    if (this.path) {
      const pathed = this.explainPath(x, c, detail);
      if (pathed) return pathed;
    }
    return this.explainNeurons(x, c, detail);
  }

  /** The network's LRP pass with per-neuron root points (module comment), for cluster c. */
  private explainNeurons(x: Float64Array, c: number, detail: { perCompetitor?: boolean } | undefined): PointExplanation {
    const { k, dim: d, sv, start, gamma } = this;
    const m = this.svCluster.length;
    const nc = start[c + 1] - start[c];
    const c0 = start[c];
    const others = m - nc;
    const layer = this.firstLayer(c);
    const { a, z, rz, ra, h, p } = this;

    // ---- forward ----
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += x[t] * sv[j * d + t];
      p[j] = s;
    }
    let xx = 0;
    for (let t = 0; t < d; t++) xx += x[t] * x[t];
    for (let q = 0; q < others; q++) {
      const j = q < c0 ? q : q + nc;
      for (let i = 0; i < nc; i++) {
        const n = q * nc + i;
        a[n] = 2 * (p[c0 + i] - p[j]) + layer.bias[n];
      }
      z[q] = softMax(a.subarray(q * nc, q * nc + nc), gamma);
    }
    h.fill(0);
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      const [from, to] = this.block(q, c);
      h[q] = softMin(z.subarray(from, to), gamma);
    }
    const f = this.top(c);

    // ---- backward: pooling layers 4, 3, 2 ----
    this.topShares(c, false);
    const competitorShares = new Float64Array(k);
    for (let q = 0; q < k; q++) competitorShares[q] = q === c ? 0 : f * this.share4[q];
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      const [from, to] = this.block(q, c);
      const shares = rz.subarray(from, to);
      softMinShares(z.subarray(from, to), gamma, shares);
      for (let r = from; r < to; r++) rz[r] = competitorShares[q] * shares[r - from];
    }
    for (let q = 0; q < others; q++) {
      const shares = ra.subarray(q * nc, q * nc + nc);
      softMaxShares(a.subarray(q * nc, q * nc + nc), gamma, shares);
      for (let i = 0; i < nc; i++) ra[q * nc + i] = rz[q] * shares[i];
    }

    // ---- backward: first layer ----
    // R_nd = c_n w_nd (x_d − ref_nd) with ref_n = mid_n − s_n w_n, c_n = R_n / den_n. Summed over
    // neurons, with w_ij = 2(x_i − x_j) and w_d·mid_d = x_id² − x_jd²:
    //   coef_d   = Σ_n c_n w_nd           = 2 (Σ_i A_i x_id − Σ_j B_j x_jd)
    //   offset_d = Σ_n c_n w_nd ref_nd    = Σ_i A_i x_id² − Σ_j B_j x_jd² − Σ_n c_n s_n w_nd²
    // with A_i = Σ_j c_ij, B_j = Σ_i c_ij; only the last sum needs a pass over each neuron's weights.
    const coef = new Float64Array(d);
    const offset = new Float64Array(d);
    const perCompetitor = detail?.perCompetitor ? new Float64Array(k * d) : undefined;
    const zRule = this.options.rule === 'z';
    const ref = this.reference;
    const midpoint = !zRule && !ref;
    let dist2 = 0;
    if (ref) for (let t = 0; t < d; t++) dist2 += (x[t] - ref[t]) * (x[t] - ref[t]);
    const { svDotRef } = this;
    // Neurons holding ≤ 1e-13 of the evidence are skipped (total leak far below 1e-9 of f_c).
    const negligible = 1e-13 * Math.abs(f);
    const { kCoef, kOffset, sumI } = this;
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      const [from, to] = this.block(q, c);
      kCoef.fill(0);
      kOffset.fill(0);
      sumI.fill(0);
      for (let r = from; r < to; r++) {
        const j = r < c0 ? r : r + nc;
        const jo = j * d;
        let sumJ = 0;
        for (let i = 0; i < nc; i++) {
          const n = r * nc + i;
          const rn = ra[n];
          if (Math.abs(rn) <= negligible) continue;
          const an = a[n];
          const ww = layer.weightNorm2[n];
          if (zRule) {
            const cn = rn / (an + (an >= 0 ? Z_RULE_EPSILON : -Z_RULE_EPSILON));
            sumI[i] += cn;
            sumJ += cn;
            continue;
          }
          if (ww === 0) {
            // Identical support vectors in c and k: a constant neuron, spread evenly (conserves).
            for (let t = 0; t < d; t++) kOffset[t] -= rn / d;
            continue;
          }
          if (ref) {
            // Root on the line x → r: den = Δ_n = a_n(x) − a_n(r), guarded (rootPoint.ts).
            const delta = 2 * (p[c0 + i] - p[j]) - 2 * (svDotRef[c0 + i] - svDotRef[j]);
            const den = referenceDenominator(delta, an >= 0, ww, dist2, pairFloor(ww, Math.max(this.guard, 1e-12)), this.guard);
            const cn = rn / den;
            sumI[i] += cn;
            sumJ += cn;
            const t0 = referenceShift(den, delta, ww);
            if (t0 !== 0) {
              const io = (c0 + i) * d;
              for (let t = 0; t < d; t++) {
                const w = 2 * (sv[io + t] - sv[jo + t]);
                kOffset[t] -= cn * t0 * w * w;
              }
            }
            continue;
          }
          // Root point m̃ = mid − t0·w; guard against near-hyperplane points (module comment).
          // ||x − m̃||² = ||x − mid||² + 2 t0 a − t0² ||w||², ||x − mid||² = ||x||² − x·(x_i + x_j) + ||mid||².
          const t0 = layer.shift[n];
          const toMid = xx - p[c0 + i] - p[j] + layer.midNorm2[n];
          const r2 = Math.max(0, toMid + 2 * t0 * an - t0 * t0 * ww);
          const g = Math.max(this.guard * Math.sqrt(ww * r2), 1e-12 * ww);
          const den = Math.abs(an) >= g ? an : an >= 0 ? g : -g;
          const cn = rn / den;
          const e = cn * (t0 + (den - an) / ww); // c_n · s_n
          sumI[i] += cn;
          sumJ += cn;
          const io = (c0 + i) * d;
          for (let t = 0; t < d; t++) {
            const w = 2 * (sv[io + t] - sv[jo + t]);
            kOffset[t] -= e * w * w;
          }
        }
        if (sumJ === 0) continue;
        for (let t = 0; t < d; t++) {
          const v = sv[jo + t];
          kCoef[t] -= 2 * sumJ * v;
          if (midpoint) kOffset[t] -= sumJ * v * v;
        }
      }
      for (let i = 0; i < nc; i++) {
        const ai = sumI[i];
        if (ai === 0) continue;
        const io = (c0 + i) * d;
        for (let t = 0; t < d; t++) {
          const v = sv[io + t];
          kCoef[t] += 2 * ai * v;
          if (midpoint) kOffset[t] += ai * v * v;
        }
      }
      if (ref) for (let t = 0; t < d; t++) kOffset[t] += kCoef[t] * ref[t];
      for (let t = 0; t < d; t++) {
        coef[t] += kCoef[t];
        offset[t] += kOffset[t];
      }
      if (perCompetitor) for (let t = 0; t < d; t++) perCompetitor[q * d + t] = kCoef[t] * x[t] - kOffset[t];
    }
    const relevance = new Float64Array(d);
    for (let t = 0; t < d; t++) relevance[t] = coef[t] * x[t] - offset[t];
    const attribution: LinearAttribution = { coef, offset };
    const explanation: PointExplanation = {
      cluster: c,
      evidence: f,
      probability: this.probability(x, c),
      relevance,
      competitorShares,
      attribution,
    };
    return perCompetitor ? { ...explanation, perCompetitor } : explanation;
  }

  /**
   * Reference rule with the pools shared along the root segment (referencePath.ts): the
   * network's root x̃ = x + α*(r − x) where the evidence first reaches 0, and every pool's
   * relevance shared by its shares integrated from x̃ to x. Layer 2's max-takes-most shares over
   * i ∈ C_c do not depend on j or k (a_ijk = d_j − d_i + b_k − b_c, so smax_i a_ijk sees the
   * softmin_γ of the distances d_i to c's support vectors), so everything is carried by the
   * per-support-vector integrals
   *   A_i = ∫ q_i dα (i ∈ C_c),  B_jk = ∫ π_k q_j dα (j ∈ C_k),  q = softmin_γ shares of the
   *   distances within a cluster, π = the top pool's shares (hard: the arg-min competitor),
   * and the input layer's reference rule gives R_t = (x_t − r_t) · 2(Σ_i A_i x_it − Σ_jk B_jk x_jt)
   * (the integral of ∂f/∂x along the segment). Along the line the squared distances are
   * quadratics in α, d_j(α) = d_j + 2α u_j + α² ‖x − r‖², so each point of the path costs O(M)
   * after one O(M·D) pass. The root is bracketed (α = ¼, ½, ¾, 1, then doubling) and refined by
   * regula falsi (Illinois); the integrals use Gauss–Legendre with 4 nodes per panel and are
   * rescaled so that Σ R = f exactly. Under the soft top pool the integrand is smooth: 4 panels
   * on [0, α*]. Under the hard top pool π jumps where the pool's holder changes, so [0, α*] is
   * cut at those switches (holderSwitches; a panel across a jump was off by 2–3 % of the
   * relevance on average) and each smooth piece gets as many panels as its sharpness asks for
   * (`piecePanels`, PANEL_SHARPNESS). Returns undefined (the
   * caller then uses the per-neuron roots) when the line has no root, or when the terms would
   * exceed the bound of referencePath.ts (‖m‖ ‖x − r‖ > |f| / ε).
   * Source: neon-method.md, "Kernel k-means (4 layers)" (the network), referencePath.ts's module
   * comment (pooling along the root segment).
   */
  private explainPath(x: Float64Array, c: number, detail: { perCompetitor?: boolean } | undefined): PointExplanation | undefined {
    const ref = this.reference as Float64Array;
    const ps = this.path as KernelPathScratch;
    const { k, dim: d, sv, start } = this;
    const perK = detail?.perCompetitor === true;
    const coef = new Float64Array(d);
    const f = this.pathIntegral(x, c, perK, true, coef);
    if (Number.isNaN(f)) return undefined;
    const scale = ps.scale;
    const { perC, dropK, coefSV } = ps;
    const nc = start[c + 1] - start[c];
    const c0 = start[c];
    const offset = new Float64Array(d);
    const relevance = new Float64Array(d);
    for (let t = 0; t < d; t++) {
      offset[t] = coef[t] * ref[t];
      relevance[t] = coef[t] * x[t] - offset[t];
    }
    const competitorShares = new Float64Array(k);
    let dropSum = 0;
    for (let kk = 0; kk < k; kk++) dropSum += dropK[kk];
    for (let kk = 0; kk < k; kk++) competitorShares[kk] = kk === c || dropSum === 0 ? 0 : (f * dropK[kk]) / dropSum;
    let perCompetitor: Float64Array | undefined;
    if (perK) {
      perCompetitor = new Float64Array(k * d);
      const mk = new Float64Array(d);
      for (let kk = 0; kk < k; kk++) {
        if (kk === c) continue;
        mk.fill(0);
        let any = false;
        for (let i = 0; i < nc; i++) {
          const a = perC[kk * nc + i];
          if (a === 0) continue;
          any = true;
          const o = (c0 + i) * d;
          for (let t = 0; t < d; t++) mk[t] += 2 * a * sv[o + t];
        }
        for (let j = start[kk]; j < start[kk + 1]; j++) {
          const a = coefSV[j];
          if (a === 0) continue;
          any = true;
          const o = j * d;
          for (let t = 0; t < d; t++) mk[t] += 2 * a * sv[o + t];
        }
        if (!any) continue;
        for (let t = 0; t < d; t++) perCompetitor[kk * d + t] = scale * mk[t] * (x[t] - ref[t]);
      }
    }
    const explanation: PointExplanation = {
      cluster: c,
      evidence: f,
      probability: this.probability(x, c),
      relevance,
      competitorShares,
      attribution: { coef, offset },
    };
    return perCompetitor ? { ...explanation, perCompetitor } : explanation;
  }

  /**
   * The path integral of `explainPath` for row x and cluster c: writes the input layer's
   * multipliers m (R = m ⊙ (x − r), already rescaled so that Σ R = f) into `coef` (length D),
   * leaves the rescaling factor in the path scratch, the per-competitor drops (dropK) with
   * `drops` and perC with `perK`, and returns f; NaN when the line has no usable root (module comment of explainPath).
   */
  private pathIntegral(x: Float64Array, c: number, perK: boolean, drops: boolean, coef: Float64Array): number {
    const ref = this.reference as Float64Array;
    const ps = this.path as KernelPathScratch;
    const { dim: d, sv } = this;
    const m = this.svCluster.length;
    const { d0, u, coefSV } = ps;
    let v = 0;
    for (let t = 0; t < d; t++) v += (ref[t] - x[t]) * (ref[t] - x[t]);
    if (!(v > 0)) return NaN;
    for (let j = 0; j < m; j++) {
      const o = j * d;
      let s = 0;
      let w = 0;
      for (let t = 0; t < d; t++) {
        const e = x[t] - sv[o + t];
        s += e * e;
        w += e * (ref[t] - x[t]);
      }
      d0[j] = s;
      u[j] = w;
    }
    ps.v = v;
    // The evidence the explanation reports: the network's forward pass (evidence() uses the same
    // formula; at the grid's build point the factors are the direct exponentials, to the bit).
    const gf = ps.grid;
    gf.state.fill(0);
    gf.on = !this.direct;
    gf.step = 0;
    const f = this.pathAt(0, c, true);
    const first = this.holder(c);
    const root = !Number.isFinite(f) ? -1 : f === 0 ? 0 : this.pathRoot(c, f, ps.slope);
    gf.on = false;
    if (root < 0) return NaN;
    // Pieces on which the integrand is smooth: under the hard top pool, split where its holder
    // changes (π_k jumps there; a Gauss–Legendre panel straddling the jump was off by 2–3 % of
    // the relevance on average, up to several times a row's evidence); the soft pool is smooth.
    const hard = this.options.evidence !== 'soft';
    const nb = hard && root > 0 ? this.holderSwitches(c, first, root) : 0;
    // A competitor can take the pool and give it back between two ends that agree (on iris-like
    // data the pool went 1 → 2 → 1 over 80 % of a segment, and the integral was 11 % off before
    // the rescaling): the nodes' own holders show it, and the pieces are cut again between the
    // nodes that disagree.
    if (!this.integratePieces(c, nb, root, perK, drops, hard)) this.integratePieces(c, this.switchesFromSamples(c, root), root, perK, drops, false);
    // m = 2 Σ_j coefSV_j x_j; R = m ⊙ (x − r), rescaled to Σ R = f.
    coef.fill(0);
    for (let j = 0; j < m; j++) {
      const a = coefSV[j];
      if (a === 0) continue;
      const o = j * d;
      for (let t = 0; t < d; t++) coef[t] += 2 * a * sv[o + t];
    }
    let total = 0;
    let norm2 = 0;
    for (let t = 0; t < d; t++) {
      total += coef[t] * (x[t] - ref[t]);
      norm2 += coef[t] * coef[t];
    }
    if (f !== 0 && !(total !== 0 && Math.sign(total) === Math.sign(f))) return NaN;
    const scale = f === 0 ? 0 : f / total;
    if (ROOT_POINT_GUARD * Math.abs(scale) * Math.sqrt(norm2 * v) > Math.abs(f)) return NaN;
    for (let t = 0; t < d; t++) coef[t] *= scale;
    ps.scale = scale;
    return f;
  }

  /**
   * The path integrals of `pathIntegral` over [0, root] cut at breaks[0 .. nb − 1]: `piecePanels`
   * (hard) or PATH_PANELS (soft) Gauss–Legendre panels per piece, into the scratch's coefSV,
   * dropK (with `drops`) and perC (with `perK`). With `check`, records every node's holder of the hard pool
   * (sampleAt, sampleHolder) and returns false when one differs from its piece's holder.
   */
  private integratePieces(c: number, nb: number, root: number, perK: boolean, drops: boolean, check: boolean): boolean {
    const ps = this.path as KernelPathScratch;
    const { k, start } = this;
    const { coefSV, perC, dropK, breaks, pieceHolder, sampleAt, sampleHolder } = ps;
    coefSV.fill(0);
    dropK.fill(0);
    if (perK) perC.fill(0);
    const nc = start[c + 1] - start[c];
    const c0 = start[c];
    const soft = this.options.evidence === 'soft';
    let consistent = true;
    let ns = 0;
    const fq = ps.factors;
    fq.on = !this.direct;
    for (let piece = 0, start0 = 0; piece <= nb; piece++) {
      const end = piece < nb ? breaks[piece] : root;
      const panels = soft ? PATH_PANELS : this.fixedPanels > 0 ? this.fixedPanels : this.piecePanels(c, pieceHolder[piece], start0, end);
      const len = (end - start0) / panels;
      fq.state.fill(0);
      fq.from = start0;
      fq.to = end;
      fq.len = len;
      // A piece whose holder no other competitor can reach needs only c's and the holder's shares.
      const held = this.options.evidence === 'soft' ? -1 : pieceHolder[piece];
      const wholePiece = held >= 0 && this.holdsPiece(c, held, start0, end);
      for (let panel = 0; panel < panels; panel++) {
        const from = start0 + panel * len;
        fq.panel = panel;
        const certified = wholePiece || (held >= 0 && this.holdsPiece(c, held, from, from + len));
        for (let g = 0; g < GL4_NODES.length; g++) {
          const alpha = from + GL4_NODES[g] * len;
          const w = GL4_WEIGHTS[g] * len;
          fq.node = g;
          const { q, pi, dh, total } = ps;
          if (certified) {
            // π = the indicator of `held`; the shares' 1/Σ e folded into the weights.
            this.heldAt(alpha, c, held, drops);
            const wc = w / total[c];
            for (let i = 0; i < nc; i++) coefSV[c0 + i] += wc * q[c0 + i];
            const wh = w / total[held];
            for (let j = start[held]; j < start[held + 1]; j++) coefSV[j] -= wh * q[j];
            if (drops) dropK[held] -= w * dh[held];
            if (perK) for (let i = 0; i < nc; i++) perC[held * nc + i] += wc * q[c0 + i];
            if (check && ns < sampleAt.length) {
              sampleAt[ns] = alpha;
              sampleHolder[ns++] = held;
            }
            continue;
          }
          this.pathAt(alpha, c, true);
          if (check && ns < sampleAt.length) {
            const holder = this.holder(c);
            if (holder !== held) consistent = false;
            sampleAt[ns] = alpha;
            sampleHolder[ns++] = holder;
          }
          for (let i = 0; i < nc; i++) coefSV[c0 + i] += w * q[c0 + i];
          for (let kk = 0; kk < k; kk++) {
            const p = pi[kk];
            if (kk === c || p === 0) continue;
            if (drops) dropK[kk] -= w * p * dh[kk];
            for (let j = start[kk]; j < start[kk + 1]; j++) coefSV[j] -= w * p * q[j];
            if (perK) for (let i = 0; i < nc; i++) perC[kk * nc + i] += w * p * q[c0 + i];
          }
        }
      }
      start0 = end;
    }
    fq.on = false;
    ps.sampleCount = ns;
    return consistent;
  }

  /**
   * Gauss–Legendre panels for the smooth piece [from, to] held by competitor `held` (hard pool):
   * ⌈S / PANEL_SHARPNESS⌉ in [1, MAX_PIECE_PANELS], S = max over c and `held` of
   * 2γ (max u_j − min u_j) (to − from) over the cluster's support vectors within
   * SHARPNESS_CUT / γ of its nearest at from, the midpoint or to. Along the line
   * −γ (d_j − d_i) = −γ (d_j(0) − d_i(0)) − 2γα (u_j − u_i), so the shares' logits move at
   * rates 2γ |u_j − u_i|. O(|C_c| + |C_held|), against O(M) per node.
   */
  private piecePanels(c: number, held: number, from: number, to: number): number {
    const ps = this.path as KernelPathScratch;
    const { start, gamma } = this;
    const { d0, u } = ps;
    const mid = 0.5 * (from + to);
    const cut = SHARPNESS_CUT / gamma;
    let sharp = 0;
    for (let pass = 0; pass < 2; pass++) {
      const kk = pass === 0 ? c : held;
      if (pass === 1 && (held < 0 || held === c)) break;
      let m0 = Infinity;
      let m1 = Infinity;
      let m2 = Infinity;
      for (let j = start[kk]; j < start[kk + 1]; j++) {
        m0 = Math.min(m0, d0[j] + 2 * from * u[j]);
        m1 = Math.min(m1, d0[j] + 2 * mid * u[j]);
        m2 = Math.min(m2, d0[j] + 2 * to * u[j]);
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = start[kk]; j < start[kk + 1]; j++) {
        if (d0[j] + 2 * from * u[j] - m0 <= cut || d0[j] + 2 * mid * u[j] - m1 <= cut || d0[j] + 2 * to * u[j] - m2 <= cut) {
          lo = Math.min(lo, u[j]);
          hi = Math.max(hi, u[j]);
        }
      }
      if (hi > lo) sharp = Math.max(sharp, 2 * gamma * (hi - lo) * (to - from));
    }
    return Math.min(MAX_PIECE_PANELS, Math.max(1, Math.ceil(sharp / PANEL_SHARPNESS)));
  }

  /** The holder switches again, looked for between every two consecutive nodes (and 0, root) whose holders differ. */
  private switchesFromSamples(c: number, root: number): number {
    const ps = this.path as KernelPathScratch;
    let n = 0;
    let a0 = 0;
    let h0 = ps.pieceHolder[0];
    for (let i = 0; i <= ps.sampleCount; i++) {
      const a = i < ps.sampleCount ? ps.sampleAt[i] : root;
      const h = i < ps.sampleCount ? ps.sampleHolder[i] : ps.rootHolder;
      if (h !== h0) n = this.splitPiece(c, a0, h0, a, h, n, 0);
      a0 = a;
      h0 = h;
    }
    return n;
  }

  /**
   * The evidence at x(α) = x + α (r − x) from the path scratch (d0, u, v of `pathIntegral`). With
   * `shares`, also the within-cluster softmin_γ shares q, the top pool's shares π and dh_k/dα, and
   * the evidence's slope df/dα = Σ_k π_k dh_k in the scratch's `slope`.
   * Under the hard top pool only c and the competitors that can hold the minimum are scored
   * (exponentials): o_k = low_k − log(Σ_j e^{−γ(d_j − low_k)})/γ + b_k lies in
   * [low_k + b_k − log(n_k)/γ, low_k + b_k], so a competitor whose lower end is above the
   * holder's o is skipped (o_k = ∞ in the scratch, π_k = 0); the ones scored are computed with
   * the same operations as all of them would be, so f, q and π are unchanged to the bit (at
   * the quadrature's nodes the exponentials come from QuadratureFactors: equal to rounding).
   */
  private pathAt(alpha: number, c: number, shares: boolean): number {
    const ps = this.path as KernelPathScratch;
    const { k, bias, logCount } = this;
    const { low, o, pi, dh, h } = ps;
    for (let kk = 0; kk < k; kk++) this.clusterDistances(kk, alpha);
    const soft = this.options.evidence === 'soft';
    if (soft) {
      for (let kk = 0; kk < k; kk++) this.clusterScore(kk, alpha, shares ? SHARES : SCORE);
    } else {
      this.clusterScore(c, alpha, shares ? SHARES : SCORE);
      let best = -1;
      for (let kk = 0; kk < k; kk++) if (kk !== c && (best < 0 || low[kk] + bias[kk] < low[best] + bias[best])) best = kk;
      this.clusterScore(best, alpha, shares ? SHARES : SCORE);
      for (let kk = 0; kk < k; kk++) {
        if (kk === c || kk === best) continue;
        const floor = low[kk] + bias[kk] - logCount[kk];
        // The margin covers the rounding of the two ways of adding up o_k (ulps of these terms).
        if (floor - 1e-12 * (Math.abs(low[kk]) + Math.abs(bias[kk]) + logCount[kk] + Math.abs(o[best])) > o[best]) {
          o[kk] = Infinity;
          continue;
        }
        this.clusterScore(kk, alpha, shares ? SHARES : SCORE);
        if (o[kk] < o[best]) best = kk;
      }
    }
    for (let kk = 0; kk < k; kk++) h[kk] = kk === c ? Infinity : o[kk] - o[c];
    const f = soft ? softMin(h, this.options.beta, c) : minOver(h, c);
    if (shares) {
      softMinShares(h, soft ? this.options.beta : Infinity, pi, c);
      let slope = 0;
      for (let kk = 0; kk < k; kk++) {
        if (kk === c || pi[kk] === 0) continue;
        dh[kk] -= dh[c];
        slope += pi[kk] * dh[kk];
      }
      ps.slope = slope;
    }
    return f;
  }

  /** d_j(α) = d0_j + α (2 u_j + α v) of cluster kk's support vectors into dist, their least into low[kk]. */
  private clusterDistances(kk: number, alpha: number): void {
    const ps = this.path as KernelPathScratch;
    const { start } = this;
    const { d0, u, dist } = ps;
    const v = ps.v;
    let lowK = Infinity;
    for (let j = start[kk]; j < start[kk + 1]; j++) {
      const dj = d0[j] + alpha * (2 * u[j] + alpha * v);
      dist[j] = dj;
      if (dj < lowK) lowK = dj;
    }
    ps.low[kk] = lowK;
  }

  /**
   * o_kk at the distances `clusterDistances` left in the scratch (dist, low): the within-cluster
   * exponentials, and with `shares` the normalised shares q and do_kk/dα = Σ_j q_j d_j'(α),
   * d_j' = 2 u_j + 2 α v, in dh. Without `score`, o_kk is not computed (a held piece's nodes,
   * `heldAt`, need the shares alone).
   */
  private clusterScore(kk: number, alpha: number, mode: number): void {
    const ps = this.path as KernelPathScratch;
    const { gamma, start } = this;
    const { u, dist, q, o, dh } = ps;
    const fq = ps.factors;
    const gf = ps.grid;
    let total = 0;
    if (gf.on && this.onGrid(kk)) {
      // A bracket point: e_j = X_j Y_j^(m − m₀) (GridFactors), relative to support vector i.
      const { run, y } = gf;
      for (; gf.runStep[kk] < gf.step; gf.runStep[kk]++) for (let j = start[kk]; j < start[kk + 1]; j++) run[j] *= y[j];
      for (let j = start[kk]; j < start[kk + 1]; j++) {
        const e = run[j];
        q[j] = e;
        total += e;
      }
      const i = gf.refSV[kk];
      if (mode <= SHARES) o[kk] = ps.d0[i] + alpha * (2 * u[i] + alpha * ps.v) - Math.log(total) / gamma + this.bias[kk];
    } else if (fq.on && (fq.state[kk] === 1 || (fq.state[kk] === 0 && this.buildFactors(kk)))) {
      // A quadrature node: e_j = X_j Y_j^p Z_jg (QuadratureFactors), relative to support vector i.
      const { run, y } = fq;
      for (; fq.runPanel[kk] < fq.panel; fq.runPanel[kk]++) for (let j = start[kk]; j < start[kk + 1]; j++) run[j] *= y[j];
      const z = fq.z[fq.node];
      for (let j = start[kk]; j < start[kk + 1]; j++) {
        const e = run[j] * z[j];
        q[j] = e;
        total += e;
      }
      const i = fq.refSV[kk];
      if (mode <= SHARES) o[kk] = ps.d0[i] + alpha * (2 * u[i] + alpha * ps.v) - Math.log(total) / gamma + this.bias[kk];
    } else {
      const lowK = ps.low[kk];
      for (let j = start[kk]; j < start[kk + 1]; j++) {
        const e = Math.exp(-gamma * (dist[j] - lowK));
        q[j] = e;
        total += e;
      }
      if (mode <= SHARES) o[kk] = lowK - Math.log(total) / gamma + this.bias[kk];
    }
    if (mode === SHARES) {
      // do/dα = Σ_j q_j (2 u_j + 2 α v) = 2 Σ_j q_j u_j + 2 α v (Σ q = 1).
      const inv = 1 / total;
      let slope = 0;
      for (let j = start[kk]; j < start[kk + 1]; j++) {
        const share = q[j] * inv;
        q[j] = share;
        slope += share * u[j];
      }
      dh[kk] = 2 * slope + 2 * alpha * ps.v;
    } else if (mode !== SCORE) {
      ps.total[kk] = total;
      if (mode === TERMS_SLOPE) {
        let slope = 0;
        for (let j = start[kk]; j < start[kk + 1]; j++) slope += q[j] * u[j];
        dh[kk] = (2 * slope) / total + 2 * alpha * ps.v;
      }
    }
  }

  /** True when cluster kk's terms at the current bracket point come from its GridFactors (built on first use). */
  private onGrid(kk: number): boolean {
    const gf = (this.path as KernelPathScratch).grid;
    if (gf.step > GRID_STEPS) return false;
    if (gf.state[kk] === 0) this.buildGrid(kk);
    return gf.step <= gf.reach[kk];
  }

  /**
   * Cluster kk's GridFactors, built at the current bracket point (distances in the scratch):
   * X_j = the direct exponentials there, Y_j per quarter step, and the last step `reach` up to
   * which every term stays in range: below GRID_TOP, a term that starts below −700 (X
   * underflowed) stays below −40 (≤ 4e-18 of the reference's 1, i.e. 0 to rounding), and no Y
   * above e^700. A Y below e^−700 only takes its term to 0, which it is to rounding. False
   * (floor((cap − e_j)/λ_j) ≥ 0 steps beyond m₀: the build's own point is always in range).
   */
  private buildGrid(kk: number): void {
    const ps = this.path as KernelPathScratch;
    const gf = ps.grid;
    const { gamma, start } = this;
    const { u, dist, low } = ps;
    const { run, y } = gf;
    const lowK = low[kk];
    let ref = start[kk];
    for (let j = start[kk]; j < start[kk + 1]; j++) if (dist[j] === lowK) {
      ref = j;
      break;
    }
    const m0 = gf.step;
    let reach = GRID_STEPS;
    for (let j = start[kk]; j < start[kk + 1]; j++) {
      const e0 = -gamma * (dist[j] - lowK);
      const lambda = -0.5 * gamma * (u[j] - u[ref]);
      // Y itself would overflow (0 · ∞ = NaN for a term that underflowed): no step beyond m₀.
      if (lambda > 700) reach = m0;
      else if (lambda > 0) {
        const cap = e0 < -700 ? -40 : GRID_TOP;
        reach = Math.min(reach, m0 + Math.floor((cap - e0) / lambda));
      }
      run[j] = Math.exp(e0);
      y[j] = Math.exp(lambda);
    }
    gf.state[kk] = 1;
    gf.refSV[kk] = ref;
    gf.runStep[kk] = m0;
    gf.reach[kk] = reach;
  }

  /**
   * Cluster kk's QuadratureFactors for the current piece; false (the nodes then take the
   * direct exponentials) when an exponent could leave the range where the products are exact
   * to rounding: above 700 (overflow) or a term relevant somewhere on the piece (exponent
   * ≥ −40 against the reference's 0, i.e. ≥ 4e-18 of the sum) that falls below −700 elsewhere
   * on it (the running product would underflow). Terms below −40 on the whole piece are 0.
   */
  private buildFactors(kk: number): boolean {
    const ps = this.path as KernelPathScratch;
    const fq = ps.factors;
    const { gamma, start } = this;
    const { d0, u } = ps;
    const v = ps.v;
    const { from, to, len, run, y, z } = fq;
    const mid = 0.5 * (from + to);
    let ref = start[kk];
    let best = Infinity;
    for (let j = start[kk]; j < start[kk + 1]; j++) {
      const dj = d0[j] + mid * (2 * u[j] + mid * v);
      if (dj < best) {
        best = dj;
        ref = j;
      }
    }
    fq.state[kk] = 2;
    for (let j = start[kk]; j < start[kk + 1]; j++) {
      const dd = d0[j] - d0[ref];
      const du = u[j] - u[ref];
      const e0 = -gamma * (dd + 2 * from * du);
      const e1 = -gamma * (dd + 2 * to * du);
      const lambda = -2 * gamma * du * len;
      const top = Math.max(e0, e1);
      if (top > 700 || Math.abs(lambda) > 600) return false;
      if (Math.min(e0, e1) < -700) {
        if (top >= -40) return false;
        run[j] = 0;
        y[j] = 1;
        for (let g = 0; g < 4; g++) z[g][j] = 0;
        continue;
      }
      const yj = Math.exp(lambda);
      const z0 = Math.exp(lambda * GL4_NODES[0]);
      const z1 = Math.exp(lambda * GL4_NODES[1]);
      y[j] = yj;
      z[0][j] = z0;
      z[1][j] = z1;
      z[2][j] = yj / z1;
      z[3][j] = yj / z0;
      run[j] = Math.exp(e0);
    }
    fq.state[kk] = 1;
    fq.refSV[kk] = ref;
    fq.runPanel[kk] = 0;
    return true;
  }

  /**
   * True when competitor `held` holds the hard top pool on all of [from, to]. With the common
   * α² ‖x − r‖² taken out, d_j(α) is linear in α. Against a support vector i of `held`
   * (o_held ≤ d_i + b_held), competitor k's o_k − o_held ≥ min_j (d_j − d_i) + b_k − log(n_k)/γ
   * − b_held, and min_j (d_j − d_i)(α), a minimum of linear functions, is concave: on the piece
   * it is least at an end. So the test is two evaluations per competitor (`pathAt`'s bounds).
   */
  private holdsPiece(c: number, held: number, from: number, to: number): boolean {
    const ps = this.path as KernelPathScratch;
    const { k, start, bias, logCount } = this;
    const { d0, u } = ps;
    const mid = 0.5 * (from + to);
    let i = start[held];
    for (let j = start[held]; j < start[held + 1]; j++) if (d0[j] + 2 * mid * u[j] < d0[i] + 2 * mid * u[i]) i = j;
    const atFrom = d0[i] + 2 * from * u[i];
    const atTo = d0[i] + 2 * to * u[i];
    for (let kk = 0; kk < k; kk++) {
      if (kk === c || kk === held) continue;
      let gapFrom = Infinity;
      let gapTo = Infinity;
      for (let j = start[kk]; j < start[kk + 1]; j++) {
        gapFrom = Math.min(gapFrom, d0[j] + 2 * from * u[j] - atFrom);
        gapTo = Math.min(gapTo, d0[j] + 2 * to * u[j] - atTo);
      }
      const floor = Math.min(gapFrom, gapTo) + bias[kk] - logCount[kk] - bias[held];
      // Margin: rounding of the bounds and of o itself (see pathAt).
      const scale = Math.abs(atFrom) + Math.abs(atTo) + Math.abs(bias[kk]) + Math.abs(bias[held]) + logCount[kk];
      if (!(floor > 1e-12 * scale)) return false;
    }
    return true;
  }

  /**
   * On a piece `held` is known to hold (holdsPiece): the raw within-cluster exponentials of c
   * and `held` into q and their sums into total (TERMS: the quadrature folds 1/total into its
   * weight); with `slopes`, also d(o_held − o_c)/dα in dh[held] (for the competitors' drops).
   */
  private heldAt(alpha: number, c: number, held: number, slopes: boolean): void {
    const ps = this.path as KernelPathScratch;
    const fq = ps.factors;
    for (let pick = 0; pick < 2; pick++) {
      const kk = pick === 0 ? c : held;
      const factored = fq.on && (fq.state[kk] === 1 || (fq.state[kk] === 0 && this.buildFactors(kk)));
      if (!factored) this.clusterDistances(kk, alpha);
      this.clusterScore(kk, alpha, slopes ? TERMS_SLOPE : TERMS);
    }
    if (slopes) ps.dh[held] -= ps.dh[c];
  }

  /** o_a − o_b at x(α) for two clusters alone; with `shares`, its slope in the scratch's `slope`. */
  private scoreGap(alpha: number, a: number, b: number, shares: boolean): number {
    const ps = this.path as KernelPathScratch;
    for (let pick = 0; pick < 2; pick++) {
      const kk = pick === 0 ? a : b;
      this.clusterDistances(kk, alpha);
      this.clusterScore(kk, alpha, shares ? SHARES : SCORE);
    }
    if (shares) ps.slope = ps.dh[a] - ps.dh[b];
    return ps.o[a] - ps.o[b];
  }

  /** The competitor holding the hard top pool at the last `pathAt` (lowest o_k, k ≠ c; lowest index on ties). */
  private holder(c: number): number {
    const o = (this.path as KernelPathScratch).o;
    let best = -1;
    for (let kk = 0; kk < this.k; kk++) if (kk !== c && (best < 0 || o[kk] < o[best])) best = kk;
    return best;
  }

  /**
   * Where the hard top pool changes holder on (0, root), ascending, into the path scratch's
   * `breaks`, and the holder of each piece into `pieceHolder`; returns their count. `first`
   * holds the pool at α = 0. Holders are compared at the ends of a piece: a holder that takes
   * the pool and gives it back inside it is found later, by the quadrature nodes
   * (`integratePieces`).
   */
  private holderSwitches(c: number, first: number, root: number): number {
    const ps = this.path as KernelPathScratch;
    this.pathAt(root, c, false);
    const last = this.holder(c);
    ps.pieceHolder[0] = first;
    ps.rootHolder = last;
    return this.splitPiece(c, 0, first, root, last, 0, 0);
  }

  /** `holderSwitches` on [lo, hi], held by wLo at lo and wHi at hi; appends to breaks from index n. */
  private splitPiece(c: number, lo: number, wLo: number, hi: number, wHi: number, n: number, depth: number): number {
    const breaks = (this.path as KernelPathScratch).breaks;
    if (wLo === wHi || depth >= this.k || n >= breaks.length) return n;
    const s = this.crossing(wLo, wHi, lo, hi);
    if (!(s > lo && s < hi)) return n;
    this.pathAt(s, c, false);
    const o = (this.path as KernelPathScratch).o;
    const w = this.holder(c);
    // A third competitor below both where they cross: the pool passes wLo → w → … → wHi.
    if (w !== wLo && w !== wHi && o[w] < Math.min(o[wLo], o[wHi])) {
      const left = this.splitPiece(c, lo, wLo, s, w, n, depth + 1);
      return this.splitPiece(c, s, w, hi, wHi, left, depth + 1);
    }
    breaks[n] = s;
    (this.path as KernelPathScratch).pieceHolder[n + 1] = wHi;
    return n + 1;
  }

  /** α in (lo, hi) where o_a(α) = o_b(α) (a lower at lo, b at hi), to 1e-13 of hi (`refineRoot`). */
  private crossing(a: number, b: number, lo: number, hi: number): number {
    const gLo = this.scoreGap(lo, a, b, false);
    const gHi = this.scoreGap(hi, a, b, false);
    if (!(gLo <= 0 && gHi >= 0)) return NaN;
    if (gLo === 0) return lo;
    if (gHi === 0) return hi;
    return this.refineRoot(-1, a, b, lo, gLo, hi, gHi);
  }

  /**
   * First α > 0 with evidence 0 on the path from f = evidence(x) ≠ 0 (slope0 its df/dα); −1
   * when none up to α = 2^30. The bracket's points up to α = 4 take their exponentials from
   * GridFactors (the caller has the grid on); the first step inside the bracket is the root of
   * the cubic Hermite interpolant of the ends' values and slopes (`hermiteRoot`).
   */
  private pathRoot(c: number, f: number, slope0: number): number {
    const ps = this.path as KernelPathScratch;
    const sign = f > 0 ? 1 : -1;
    let lo = 0;
    let gLo = f;
    let sLo = slope0;
    let hi = 0;
    let gHi = f;
    let sHi = slope0;
    for (const a of PATH_BRACKET) {
      ps.grid.step = 4 * a;
      const g = this.pathAt(a, c, true);
      if (!Number.isFinite(g)) return -1;
      if (sign * g <= 0) {
        hi = a;
        gHi = g;
        sHi = ps.slope;
        break;
      }
      lo = a;
      gLo = g;
      sLo = ps.slope;
    }
    ps.grid.on = false;
    if (hi === 0) return -1;
    if (gHi === 0) return hi;
    return this.refineRoot(c, -1, -1, lo, gLo, hi, gHi, hermiteRoot(lo, gLo, sLo, hi, gHi, sHi));
  }

  /**
   * The zero of g on [lo, hi] (g(lo), g(hi) of opposite signs, neither 0), to about 1e-13 of hi:
   * g = the evidence for cluster c (c ≥ 0) or the gap o_a − o_b (c < 0). Newton steps from the
   * slope each evaluation gives anyway (the shares' pass, no extra exponentials), kept inside
   * the bracket; a step that would leave it is replaced by regula falsi with the Illinois
   * modification, so the bracket always holds the zero. Newton converges quadratically near
   * the zero, where the Illinois steps alone took about twice as many evaluations. `guess`
   * (NaN: none) is the first point tried when it lies inside the bracket.
   */
  private refineRoot(c: number, a: number, b: number, lo: number, gLo: number, hi: number, gHi: number, guess = NaN): number {
    const ps = this.path as KernelPathScratch;
    const sLo = gLo > 0 ? 1 : -1;
    let side = 0;
    let t = guess;
    let step = 0;
    for (let it = 0; it < 100 && hi - lo > 1e-13 * hi; it++) {
      let next = t - step;
      if (!(next > lo && next < hi)) next = (lo * gHi - hi * gLo) / (gHi - gLo);
      const g = c >= 0 ? this.pathAt(next, c, true) : this.scoreGap(next, a, b, true);
      if (g === 0) return next;
      t = next;
      step = g / ps.slope;
      // The next Newton iterate is off by about (g''/2g') step²: below 1e-13 of the relevances
      // from a step of 1e-8 on (measured on iris, wine, coffee-shops, breast cancer).
      if (Math.abs(step) <= 1e-8 * hi && t - step > lo && t - step < hi) return t - step;
      if (sLo * g > 0) {
        lo = t;
        gLo = g;
        if (side === 1) gHi /= 2;
        side = 1;
      } else {
        hi = t;
        gHi = g;
        if (side === -1) gLo /= 2;
        side = -1;
      }
    }
    return 0.5 * (lo + hi);
  }

  // -------------------------------------------------------------------------------------

  private checkCluster(c: number): void {
    if (!(Number.isInteger(c) && c >= 0 && c < this.k)) throw new OptionError(`kernel k-means NEON: cluster ${c} is outside 0..${this.k - 1}`);
  }

  /** o_k(x) into this.o (direct formula); also leaves ||x − x_j||² in this.d2. */
  private scores(x: Float64Array): void {
    if (x.length !== this.dim) throw new OptionError(`kernel k-means NEON: point has ${x.length} features, the model ${this.dim}`);
    outlierScoresInto(this.sortedModel, x, 0, this.o, this.d2, this.low);
  }

  /** Layer 4 on this.h (h_c ignored). */
  private top(c: number): number {
    if (this.options.evidence === 'soft') return softMin(this.h, this.options.beta, c);
    let f = Infinity;
    for (let q = 0; q < this.k; q++) if (q !== c && this.h[q] < f) f = this.h[q];
    return f;
  }

  /**
   * Layer-4 shares into this.share4. The backward pass shares f_c with softmin_β in both
   * forms; the gradient of the hard form follows the arg-min competitor only (β = ∞).
   */
  private topShares(c: number, forGradient: boolean): void {
    const hard = forGradient && this.options.evidence === 'hard';
    softMinShares(this.h, hard ? Infinity : this.options.beta, this.share4, c);
  }

  /** Positions (in the "others" order) of competitor q's support vectors, given cluster c. */
  private block(q: number, c: number): [number, number] {
    const nc = this.start[c + 1] - this.start[c];
    return q < c ? [this.start[q], this.start[q + 1]] : [this.start[q] - nc, this.start[q + 1] - nc];
  }

  private probability(x: Float64Array, c: number): number {
    this.scores(x);
    const beta = this.options.beta;
    let low = Infinity;
    for (let q = 0; q < this.k; q++) if (this.o[q] < low) low = this.o[q];
    if (!Number.isFinite(beta)) {
      let ties = 0;
      for (let q = 0; q < this.k; q++) if (this.o[q] === low) ties++;
      return this.o[c] === low ? 1 / ties : 0;
    }
    let total = 0;
    for (let q = 0; q < this.k; q++) total += Math.exp(-beta * (this.o[q] - low));
    return Math.exp(-beta * (this.o[c] - low)) / total;
  }

  private firstLayer(c: number): FirstLayer {
    const cached = this.layers[c];
    if (cached) return cached;
    const { dim: d, sv, start, svNorm2, bias } = this;
    const m = this.svCluster.length;
    const c0 = start[c];
    const nc = start[c + 1] - c0;
    const count = nc * (m - nc);
    const layerBias = new Float64Array(count);
    const weightNorm2 = new Float64Array(count);
    const shift = new Float64Array(count);
    const midNorm2 = new Float64Array(count);
    for (let q = 0; q < m - nc; q++) {
      const j = q < c0 ? q : q + nc;
      const bk = bias[this.svCluster[j]] - bias[c];
      for (let i = 0; i < nc; i++) {
        const n = q * nc + i;
        const ig = c0 + i;
        let s = 0;
        let mid = 0;
        for (let t = 0; t < d; t++) {
          const diff = sv[ig * d + t] - sv[j * d + t];
          const half = 0.5 * (sv[ig * d + t] + sv[j * d + t]);
          s += diff * diff;
          mid += half * half;
        }
        const ww = 4 * s;
        midNorm2[n] = mid;
        layerBias[n] = svNorm2[j] - svNorm2[ig] + bk;
        weightNorm2[n] = ww;
        shift[n] = ww > 0 ? bk / ww : 0;
      }
    }
    const layer = { bias: layerBias, weightNorm2, shift, midNorm2 };
    this.layers[c] = layer;
    return layer;
  }
}
