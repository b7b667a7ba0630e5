/**
 * Deep k-means, reference rule: the path integral from the row to the network's root, taken
 * EXACTLY through φ (issue 13; neon-method.md, "Deep k-means" and "Propagation"; Sundararajan
 * et al. 2017 for the path integral; Montavon et al. 2017 for the root searched along a line).
 *
 * Setting. φ: D → n_0 → … → n_{L−2} → e, relu hidden layers and a linear output layer o = φ(x);
 * on top the k-means detection lines h_q(a) = w_qᵀa + b_q, w_q = 2(μ_c − μ_q),
 * b_q = ‖μ_q‖² − ‖μ_c‖² (q ≠ c) and the hard pool f = min_q h_q. On the segment
 *   x(α) = x + α (r − x),  α ≥ 0  (r: the reference, the data mean by default)
 * every pre-activation is piecewise linear in α: layer 0's is linear (z_0(x) + α (z_0(r) − z_0(x))),
 * and each relu kink, at any layer, or switch of the min's arg-min starts a new piece, on which
 * every slope is constant. So f(x(α)) is piecewise linear, ∇f(x(α)) is piecewise constant, and
 *   R_i = (x_i − r_i) ∫_0^{α*} ∂f/∂x_i (x(α)) dα,   α* = the first root of f on the line,
 * is computed exactly by walking the pieces (no quadrature): Σ_i R_i = f(x) − f(x(α*)) = f(x).
 * This is integrated gradients taken from the network's root x̃ = x(α*) instead of from r, so it
 * answers "compared with r, which features make x belong to c rather than its competitors"
 * while conserving the evidence of x (not f(x) − f(r)). It replaces the pooling in φ's output
 * space with r's activations carried down as roots (`DeepRuleOptions` 'root' propagation), which
 * splits the path's average of a product (mask × upstream gradient) into a product of averages.
 *
 * Cost, without a gradient per piece. With D_l the relu masks and y_1 = ∂f/∂z_1 (the gradient at
 * layer 1's pre-activation, piecewise constant),
 *   ∂f/∂x = W_0ᵀ (D_0 ⊙ W_1ᵀ y_1),  so  R = (x − r) ⊙ W_0ᵀ m,  m_j = W_1[:, j]ᵀ ∫_{I_j} y_1 dα,
 * where I_j is the single interval on which layer-0 neuron j is on (z_0 is linear in α). The
 * walk keeps Y(α) = ∫_0^α y_1 (n_1 numbers per piece) and snapshots it where a layer-0 neuron
 * turns on or off; a kink updates the slopes above it incrementally (a column of the next
 * layer's weights, then one matrix–vector product per layer up), and y_1 changes only when a
 * mask of layer ≥ 1 or the arg-min changes (y_1 = D_1 ⊙ W_outᵀ w_q for two hidden layers,
 * W_outᵀ w_q built once per row and holder). One explanation costs about two forward passes plus
 * O(n_1 n_2 + K e) per layer-0 kink crossed: a fraction of integrated gradients' 33 gradients.
 *
 * The per-competitor split follows the pieces: R^q collects the pieces on which q holds the
 * min (Σ_q R^q = R); competitor q's share of the evidence is what it takes away on its pieces,
 * Σ_q share_q = f; the representation's relevance is ∫ w_q* ⊙ (−do/dα) dα.
 *
 * Refused (the caller falls back to the carried roots): no root on the ray (every piece ahead
 * keeps f away from 0), K = 1, and a root so far beyond r that Σ_i |R_i| > |f| / ε
 * (ε = ROOT_GUARD: terms over 20× the evidence, large and cancelling), as for standard k-means
 * (referencePath.ts).
 */
import type { MlpTape } from '../nn/mlp';
import type { DenseLayer } from '../types';
import { ROOT_GUARD } from './rootPoint';

/** What `DeepPathIntegral.explain` writes. */
export interface DeepPathOutput {
  /** D: R_i = coef_i x_i − offset_i = coef_i (x_i − r_i). */
  readonly coef: Float64Array;
  readonly offset: Float64Array;
  /** K: the evidence each competitor takes away along the path (0 at c); sums to f. */
  readonly shares: Float64Array;
  /** e, when wanted: relevance of each dimension of a = φ(x); sums to f. */
  readonly representation?: Float64Array;
  /** K × D, when wanted: the relevance gathered on the pieces where competitor q holds the min. */
  readonly perCompetitor?: Float64Array;
}

/**
 * The exact path integral of one deep k-means network (module comment), with every buffer
 * allocated once: explaining a row allocates nothing.
 */
export class DeepPathIntegral {
  private readonly L: number;
  private readonly d: number;
  private readonly e: number;
  private readonly k: number;
  /** Widths n_l of the layers. */
  private readonly n: number[];
  /** Width of the integrand y_1: layer 1's outputs (e when layer 1 is the output), or e when L = 1. */
  private readonly n1: number;
  /** Pre-activations and their slopes d/dα of the hidden layers 1..L−2 (layer 0: z0x, s0). */
  private readonly z: Float64Array[];
  private readonly s: Float64Array[];
  private readonly on: Uint8Array[];
  /**
   * +1 where a hidden neuron is on, −1 where off (layers ≥ 1; kept with `on`): the kink scan
   * reads its distance to 0 as sign·z and its rate toward 0 as −sign·s, exact products, so the
   * scan runs without a branch per neuron on the mask.
   */
  private readonly sign: Float64Array[];
  /** Cascade buffers, one per layer (slope changes). */
  private readonly dz: Float64Array[];
  private readonly oSlope: Float64Array;
  private readonly h: Float64Array;
  private readonly hs: Float64Array;
  /** w_q (K × e) for the current cluster, and ‖μ_k‖². */
  private readonly w: Float64Array;
  private readonly norms: Float64Array;
  /**
   * Two or more hidden layers: P_k = W_outᵀ μ_k (K × n_{L−2}, once per network), so the top
   * lines' slopes follow the last hidden layer's slopes s as h_q′ = 2 (P_c − P_q)ᵀ (D ⊙ s)
   * without the output layer; U_q = 2 (P_c − P_q) built per row for every competitor
   * (h_q′ changes by U_qᵀ (D ⊙ Δ) at a kink below: one dot product per competitor); T_q = ∫ D ⊙ s dα
   * on the pieces q holds, for the representation's relevance.
   */
  private readonly P?: Float64Array;
  private readonly U?: Float64Array;
  private readonly T?: Float64Array;
  private readonly held: Uint8Array;
  /** Gradient buffers from the last hidden layer down to layer 1 (y_1 = grad[1]). */
  private readonly grad: Float64Array[];
  private readonly y1: Float64Array;
  /** Y = ∫ y_1 dα per group (1, or K for the per-competitor split), layer-0 snapshots, m. */
  private readonly Y: Float64Array;
  private readonly start: Float64Array;
  private readonly m: Float64Array;
  private readonly times: Float64Array;
  private readonly order: Int32Array;
  private readonly G: Float64Array;
  /** Layer 1's weights transposed (n_0 × n_1), so a layer-0 neuron's column is contiguous. */
  private readonly W1T?: Float64Array;
  /** Every layer l ≥ 1's weights transposed (n_{l−1} × n_l), for `forward` (index 0 unused). */
  private readonly WT: Float64Array[];
  /** A masked copy of a layer's slopes (D ⊙ s), so products run without branches. */
  private readonly masked: Float64Array;
  private readonly pdot: Float64Array;
  /** The cluster explained by the current `explain` call. */
  private cluster = 0;
  /**
   * The hidden-kink scan done by `crossLayer0` in its pass over layer 1: the earliest layer-1
   * kink (its neuron, −1 for none, and its time from the crossing) among those before `bound`.
   */
  private nextHidden = -1;
  private nextHiddenTau = Infinity;
  /**
   * Two hidden layers (the default φ) and no per-competitor split: a layer-0 kink is crossed in
   * one pass over layer 1 (`crossLayer0`) instead of four (Y, z_1, the slopes, h′). Same
   * operations in the same order as the general steps, so the same bits (deepPath.test.ts).
   */
  private readonly fused: boolean;

  /**
   * @param fused allow the one-pass layer-0 kink step where it applies (default); false runs the
   *   general steps everywhere (the tests' reference for the fused step)
   */
  constructor(
    private readonly layers: readonly DenseLayer[],
    k: number,
    private readonly centroids: Float64Array,
    fused = true,
  ) {
    const L = layers.length;
    this.L = L;
    this.k = k;
    this.d = layers[0].inputs;
    this.n = layers.map((l) => l.outputs);
    this.e = this.n[L - 1];
    this.fused = fused && L === 3;
    const e = this.e;
    this.n1 = L >= 2 ? this.n[1] : e;
    this.z = this.n.map((w) => new Float64Array(w));
    this.s = this.n.map((w) => new Float64Array(w));
    this.on = this.n.map((w) => new Uint8Array(w));
    this.sign = this.n.map((w) => new Float64Array(w));
    this.dz = this.n.map((w) => new Float64Array(w));
    this.oSlope = new Float64Array(e);
    this.h = new Float64Array(k);
    this.hs = new Float64Array(k);
    this.w = new Float64Array(k * e);
    this.norms = new Float64Array(k);
    for (let q = 0; q < k; q++) for (let j = 0; j < e; j++) this.norms[q] += centroids[q * e + j] ** 2;
    this.held = new Uint8Array(k);
    if (L >= 3) {
      const out = layers[L - 1];
      const nl = out.inputs;
      this.P = new Float64Array(k * nl);
      for (let q = 0; q < k; q++) {
        for (let o = 0; o < e; o++) {
          const mu = centroids[q * e + o];
          for (let i = 0; i < nl; i++) this.P[q * nl + i] += out.weights[o * nl + i] * mu;
        }
      }
      this.U = new Float64Array(k * nl);
      this.T = new Float64Array(k * nl);
    }
    this.grad = this.n.map((w) => new Float64Array(w));
    this.y1 = new Float64Array(this.n1);
    this.Y = new Float64Array(k * this.n1);
    this.start = new Float64Array(this.n[0] * k * this.n1);
    this.m = new Float64Array(k * this.n[0]);
    this.times = new Float64Array(this.n[0]);
    this.order = new Int32Array(this.n[0]);
    this.G = new Float64Array(k * this.d);
    this.masked = new Float64Array(Math.max(...this.n));
    this.pdot = new Float64Array(k);
    if (L >= 2) {
      const n0 = this.n[0];
      const W1 = layers[1].weights;
      const W1T = new Float64Array(n0 * this.n1);
      for (let i = 0; i < this.n1; i++) for (let j = 0; j < n0; j++) W1T[j * this.n1 + i] = W1[i * n0 + j];
      this.W1T = W1T;
    }
    this.WT = layers.map((layer, l) => {
      if (l === 0) return new Float64Array(0);
      if (l === 1 && this.W1T) return this.W1T;
      const { inputs: ni, outputs: no, weights: W } = layer;
      const t = new Float64Array(ni * no);
      for (let o = 0; o < no; o++) for (let i = 0; i < ni; i++) t[i * no + o] = W[o * ni + i];
      return t;
    });
  }

  /**
   * x's forward pass through φ into `tape` (z and a of every layer, input, rows = 1), as
   * mlpForward writes it — φ is relu hidden layers and a linear output here. Layers ≥ 1 add
   * the columns of the inputs that are not 0 (relu leaves about half at 0) to the bias, in the
   * order of the dense dot product and without its zero terms: the same values.
   * @returns φ(x), a view of the tape (e)
   */
  forward(x: Float64Array, tape: MlpTape): Float64Array {
    const { L, layers, WT } = this;
    tape.rows = 1;
    tape.input = x;
    let input = x;
    for (let l = 0; l < L; l++) {
      const { inputs: ni, outputs: no, weights: W, bias: b } = layers[l];
      const z = tape.z[l];
      if (l === 0) {
        for (let o = 0; o < no; o++) {
          let t = b[o];
          const wo = o * ni;
          for (let i = 0; i < ni; i++) t += input[i] * W[wo + i];
          z[o] = t;
        }
      } else {
        const Wt = WT[l];
        for (let o = 0; o < no; o++) z[o] = b[o];
        for (let i = 0; i < ni; i++) {
          const v = input[i];
          if (v === 0) continue;
          const wo = i * no;
          for (let o = 0; o < no; o++) z[o] += v * Wt[wo + o];
        }
      }
      const a = tape.a[l];
      if (l < L - 1) for (let o = 0; o < no; o++) a[o] = z[o] > 0 ? z[o] : 0;
      else for (let o = 0; o < no; o++) a[o] = z[o];
      input = a;
    }
    return tape.a[L - 1];
  }

  /**
   * `forward(x, tape)` and the slopes at α = 0 toward the reference whose layer-0
   * pre-activations are zr0 (what `explain` computes first), in one pass over each layer's
   * weights: an input that is on adds its column to the slopes and, when its activation is not
   * 0, to the pre-activations. Each sum gets the same terms in the same order as in the two
   * separate passes (the zero terms they skip are ±0, which leave a sum unchanged), so the same
   * bits (deepPath.test.ts). Pass `slopesReady = true` to the next `explain` with this zr0.
   * @returns φ(x), a view of the tape (e)
   */
  forwardToward(x: Float64Array, zr0: Float64Array, tape: MlpTape): Float64Array {
    const { L, layers, WT, s, on, oSlope } = this;
    tape.rows = 1;
    tape.input = x;
    const { inputs: d, outputs: n0, weights: W0, bias: b0 } = layers[0];
    const z0 = tape.z[0];
    for (let o = 0; o < n0; o++) {
      let t = b0[o];
      const wo = o * d;
      for (let i = 0; i < d; i++) t += x[i] * W0[wo + i];
      z0[o] = t;
    }
    const s0 = s[0];
    for (let j = 0; j < n0; j++) s0[j] = zr0[j] - z0[j];
    if (L === 1) {
      tape.a[0].set(z0.subarray(0, n0));
      oSlope.set(s0.subarray(0, n0));
      return tape.a[0];
    }
    for (let l = 0; l < L; l++) {
      const z = tape.z[l];
      const sl = l === L - 1 ? oSlope : s[l];
      const no = layers[l].outputs;
      if (l > 0) {
        const Wt = WT[l];
        const b = layers[l].bias;
        const ni = layers[l].inputs;
        const onB = on[l - 1];
        const sB = s[l - 1];
        const aB = tape.a[l - 1];
        for (let o = 0; o < no; o++) z[o] = b[o];
        sl.fill(0, 0, no);
        for (let i = 0; i < ni; i++) {
          if (!onB[i]) continue;
          const si = sB[i];
          const v = aB[i];
          const wo = i * no;
          if (v !== 0) {
            for (let o = 0; o < no; o++) {
              const wt = Wt[wo + o];
              z[o] += v * wt;
              sl[o] += wt * si;
            }
          } else {
            for (let o = 0; o < no; o++) sl[o] += Wt[wo + o] * si;
          }
        }
      }
      const a = tape.a[l];
      if (l < L - 1) {
        const ol = on[l];
        for (let o = 0; o < no; o++) {
          const zo = z[o];
          ol[o] = zo > 0 || (zo === 0 && sl[o] > 0) ? 1 : 0;
          a[o] = zo > 0 ? zo : 0;
        }
      } else {
        for (let o = 0; o < no; o++) a[o] = z[o];
      }
    }
    return tape.a[L - 1];
  }

  /**
   * @param x the row (D); r the reference (D)
   * @param zx the row's pre-activations per layer (a forward pass, e.g. an MlpTape's z), and
   *   ox = φ(x) (e)
   * @param zr0 the reference's layer-0 pre-activations (n_0)
   * @param c the cluster explained
   * @param f the evidence to conserve (the k-means network's f_c(x), hard pool)
   * @param slopesReady the slopes at α = 0 toward zr0 are already in place (`forwardToward`)
   * @returns false when refused (module comment): `out` then holds nothing meaningful
   */
  explain(x: Float64Array, r: Float64Array, zx: readonly Float64Array[], ox: Float64Array, zr0: Float64Array, c: number, f: number, out: DeepPathOutput, slopesReady = false): boolean {
    const { L, e, k, n, n1, z, s, on, h, hs, w, oSlope } = this;
    if (k < 2) return false;
    this.cluster = c;
    const groups = out.perCompetitor ? k : 1;
    const mu = this.centroids;
    // Top lines at α = 0 and w_q for this cluster.
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      let v = this.norms[q] - this.norms[c];
      for (let j = 0; j < e; j++) {
        const wj = 2 * (mu[c * e + j] - mu[q * e + j]);
        w[q * e + j] = wj;
        v += wj * ox[j];
      }
      h[q] = v;
    }
    if (this.U) {
      // U_q = 2 (P_c − P_q) for every competitor: the change of h_q′ at a kink below is U_qᵀ (D ⊙ Δ).
      const U = this.U;
      const P = this.P as Float64Array;
      const nl = n[L - 2];
      for (let q = 0; q < k; q++) {
        if (q === c) continue;
        for (let i = 0; i < nl; i++) U[q * nl + i] = 2 * (P[c * nl + i] - P[q * nl + i]);
      }
    }
    // Slopes at α = 0, layer by layer (ties z = 0 decided by the slope: on iff it rises).
    const n0 = n[0];
    const z0 = zx[0];
    const s0 = s[0];
    if (!slopesReady) for (let j = 0; j < n0; j++) s0[j] = zr0[j] - z0[j];
    for (let l = 0; l < L; l++) {
      const sl = l === L - 1 ? oSlope : s[l];
      if (slopesReady) {
        // forwardToward wrote them.
      } else if (l === 1 && this.W1T) {
        // Layer 1 by columns over the layer-0 neurons that are on (about half): the products
        // W_1[j, i] s_0[i] are added to each s_1[j] in the same order as the row-wise dot
        // product below, without its zero terms, so the same values.
        const W1T = this.W1T;
        const n1w = n[1];
        const on0 = on[0];
        sl.fill(0, 0, n1w);
        for (let i = 0; i < n0; i++) {
          if (!on0[i]) continue;
          const si = s0[i];
          const wo = i * n1w;
          for (let j = 0; j < n1w; j++) sl[j] += W1T[wo + j] * si;
        }
      } else if (l > 0) {
        const layer = this.layers[l];
        const below = s[l - 1];
        const onB = on[l - 1];
        const ni = layer.inputs;
        const mb = this.masked;
        for (let i = 0; i < ni; i++) mb[i] = onB[i] ? below[i] : 0;
        const W = layer.weights;
        for (let j = 0; j < n[l]; j++) {
          let t = 0;
          const wo = j * ni;
          for (let i = 0; i < ni; i++) t += W[wo + i] * mb[i];
          sl[j] = t;
        }
      } else if (L === 1) {
        oSlope.set(s0.subarray(0, e));
      }
      if (l < L - 1) {
        const zl = zx[l];
        const ol = on[l];
        for (let j = 0; j < n[l]; j++) ol[j] = zl[j] > 0 || (zl[j] === 0 && sl[j] > 0) ? 1 : 0;
        if (l > 0) {
          const sg = this.sign[l];
          for (let j = 0; j < n[l]; j++) sg[j] = ol[j] ? 1 : -1;
        }
        if (l > 0) z[l].set(zl.subarray(0, n[l]));
      }
    }
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      let t = 0;
      for (let j = 0; j < e; j++) t += w[q * e + j] * oSlope[j];
      hs[q] = t;
    }
    // Layer 0's kinks, known in advance (z_0 is linear in α), in order.
    let count = 0;
    if (L >= 2) {
      const on0 = on[0];
      for (let j = 0; j < n0; j++) {
        const t = on0[j] ? (s0[j] < 0 ? z0[j] / -s0[j] : Infinity) : s0[j] > 0 ? -z0[j] / s0[j] : Infinity;
        this.times[j] = t;
        if (t < Infinity) this.order[count++] = j;
      }
      // A binary min-heap on (time, index), taken from in order as the walk goes: only the
      // kinks before the root are ever taken (often under half), so no full sort. Ties in time
      // go to the lower index, the order the sort this replaces gave them.
      for (let a = (count >> 1) - 1; a >= 0; a--) this.siftDown(a, count);
    }
    const Y = this.Y;
    Y.fill(0, 0, groups * n1);
    const start = this.start;
    const block = groups * n1;
    // Neurons on from α = 0 start their interval at Y = 0.
    if (L >= 2) for (let j = 0; j < n0; j++) if (on[0][j]) start.fill(0, j * block, (j + 1) * block);
    this.m.fill(0, 0, groups * n0);
    out.shares.fill(0);
    const repr = out.representation;
    if (repr) repr.fill(0);
    this.held.fill(0);
    const T = repr ? this.T : undefined;
    if (T) T.fill(0);
    const last = L - 2;
    let alpha = 0;
    /** Layer-0 kinks taken so far; the heap holds the other count − next0. */
    let next0 = 0;
    let current = -1;
    let dirty = true;
    /** The last step crossed a layer-0 kink in crossLayer0, which scanned layer 1's kinks. */
    let scanned = false;
    const maxSteps = 4 * (n.reduce((a, b) => a + b, 0) + k) + 16;
    let done = false;
    for (let step = 0; step < maxSteps; step++) {
      // The min's holder: lowest line, ties to the one falling fastest.
      let qs = -1;
      for (let q = 0; q < k; q++) {
        if (q === c) continue;
        if (qs < 0 || h[q] < h[qs] || (h[q] === h[qs] && hs[q] < hs[qs])) qs = q;
      }
      if (qs !== current) {
        current = qs;
        dirty = true;
      }
      const fv = h[qs];
      const fs = hs[qs];
      const tRoot = fv === 0 ? 0 : fv > 0 ? (fs < 0 ? fv / -fs : Infinity) : fs > 0 ? -fv / fs : Infinity;
      let tau = tRoot;
      let event = 0; // 0 root, 1 switch, 2 layer-0 kink, 3 hidden kink at (kl, kj)
      for (let q = 0; q < k; q++) {
        if (q === c || q === qs || !(hs[q] < fs)) continue;
        const t = (h[q] - fv) / (fs - hs[q]);
        if (t < tau) {
          tau = t;
          event = 1;
        }
      }
      let k0 = -1;
      if (next0 < count) {
        k0 = this.order[0];
        const t = Math.max(0, this.times[k0] - alpha);
        if (t < tau) {
          tau = t;
          event = 2;
        }
      }
      let kl = -1;
      let kj = -1;
      if (scanned) {
        // crossLayer0 scanned layer 1 (the only hidden layer) with the next layer-0 kink's time
        // as bound: the same neuron the scan below finds, since its pick is the earliest kink
        // below whatever bound it starts from (the first in index order on ties).
        scanned = false;
        const j = this.nextHidden;
        if (j >= 0 && this.nextHiddenTau < tau) {
          tau = this.nextHiddenTau;
          event = 3;
          kl = 1;
          kj = j;
        }
      } else for (let l = 1; l < L - 1; l++) {
        const zl = z[l];
        const sl = s[l];
        const sg = this.sign[l];
        for (let j = 0; j < n[l]; j++) {
          // Heading for 0 and reaching it before τ (tested without dividing first): distance
          // z (on) or −z (off), rate −s (on) or s (off), as exact products with the sign.
          const sgj = sg[j];
          const zj = sgj * zl[j];
          const rate = -sgj * sl[j];
          // The distance test first: it is false for most neurons (their kink is far), so the
          // branch is predictable, where the sign of the rate is a coin toss.
          if (zj < tau * rate && rate > 0) {
            tau = Math.max(0, zj) / rate;
            event = 3;
            kl = l;
            kj = j;
          }
        }
      }
      if (!(tau < Infinity)) return false;
      // The piece [α, α + τ): every slope constant, y_1 and the holder fixed.
      if (tau > 0) {
        if (dirty) {
          this.integrand(qs);
          dirty = false;
        }
        // A layer-0 kink on the fused path moves Y and z_1 in crossLayer0's single pass; a switch
        // or a layer-1 kink there in advanceLayer1's (both also scan layer 1 for its next kink).
        const onePass = event === 2 && groups === 1 && this.fused;
        const sweep = (event === 1 || event === 3) && groups === 1 && this.fused;
        if (!onePass && !sweep) {
          const g = groups === 1 ? 0 : qs;
          const y1 = this.y1;
          for (let i = 0; i < n1; i++) Y[g * n1 + i] += tau * y1[i];
        }
        out.shares[qs] += -tau * fs;
        this.held[qs] = 1;
        if (T) {
          const nl = n[last];
          const sl = s[last];
          const ol = on[last];
          for (let i = 0; i < nl; i++) if (ol[i]) T[qs * nl + i] += tau * sl[i];
        } else if (repr) {
          for (let j = 0; j < e; j++) repr[j] -= tau * w[qs * e + j] * oSlope[j];
        }
        alpha += tau;
        if (event === 0) {
          done = true;
          break;
        }
        if (sweep) {
          this.advanceLayer1(tau, kj, next0 < count ? Math.max(0, this.times[this.order[0]] - alpha) : Infinity);
          scanned = true;
        } else if (!onePass) {
          for (let l = 1; l < L - 1; l++) {
            const zl = z[l];
            const sl = s[l];
            for (let j = 0; j < n[l]; j++) zl[j] += tau * sl[j];
          }
        }
        for (let q = 0; q < k; q++) if (q !== c) h[q] += tau * hs[q];
        if (onePass) {
          next0++;
          this.order[0] = this.order[count - next0];
          this.siftDown(0, count - next0);
          this.crossLayer0(k0, tau, next0 < count ? Math.max(0, this.times[this.order[0]] - alpha) : Infinity);
          scanned = true;
          continue;
        }
      } else if (event === 0) {
        done = true;
        break;
      }
      if (event === 2) {
        next0++;
        this.order[0] = this.order[count - next0];
        this.siftDown(0, count - next0);
        this.toggleLayer0(k0, groups);
      } else if (event === 3) {
        z[kl][kj] = 0;
        this.toggle(kl, kj);
        if (L === 3 && !dirty) {
          // y_1 is the masked U of the holder (integrand): only this neuron's entry changes.
          this.y1[kj] = on[1][kj] ? (this.U as Float64Array)[current * n1 + kj] : 0;
        } else {
          dirty = true;
        }
      }
      // event 1 (switch): the next step picks the new holder.
    }
    if (!done) return false;
    return this.finish(x, r, f, groups, out);
  }

  /** Restores the heap order (earlier time, then lower index, on top) below slot a of order[0 .. size − 1]. */
  private siftDown(a: number, size: number): void {
    const { times, order } = this;
    const j = order[a];
    const t = times[j];
    for (;;) {
      let child = 2 * a + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size) {
        const l = order[child];
        const r = order[right];
        if (times[r] < times[l] || (times[r] === times[l] && r < l)) child = right;
      }
      const o = order[child];
      if (!(times[o] < t || (times[o] === t && o < j))) break;
      order[a] = o;
      a = child;
    }
    order[a] = j;
  }

  /** y_1 = ∂f/∂z_1 on the current piece, for holder q. */
  private integrand(q: number): void {
    const { L, e, n, on, w, y1 } = this;
    void e;
    if (L <= 2) {
      for (let j = 0; j < e; j++) y1[j] = w[q * e + j];
      return;
    }
    const top = L - 2;
    const nl = n[top];
    const U = this.U as Float64Array;
    const ot = on[top];
    if (top === 1) {
      // φ with two hidden layers: y_1 is the masked U_q itself.
      for (let i = 0; i < nl; i++) y1[i] = ot[i] ? U[q * nl + i] : 0;
      return;
    }
    let g = this.grad[top];
    for (let i = 0; i < nl; i++) g[i] = ot[i] ? U[q * nl + i] : 0;
    for (let l = top; l >= 2; l--) {
      const layer = this.layers[l];
      const ni = layer.inputs;
      const below = this.grad[l - 1];
      const ob = on[l - 1];
      below.fill(0, 0, ni);
      for (let j = 0; j < layer.outputs; j++) {
        const gj = g[j];
        if (gj === 0) continue;
        const wo = j * ni;
        for (let i = 0; i < ni; i++) below[i] += layer.weights[wo + i] * gj;
      }
      for (let i = 0; i < ni; i++) if (!ob[i]) below[i] = 0;
      g = below;
    }
    y1.set(g.subarray(0, this.n1));
  }

  /**
   * The fused path's layer-0 kink (φ with two hidden layers, one group): after a piece of
   * length τ, layer-0 neuron j turns on or off. One pass over layer 1 does what the general
   * step does in four: Y += τ y_1, the interval of Y closed (m_j) or opened, z_1 += τ s_1, then
   * s_1 += W_1[:, j] v and the change of h′ through the last hidden layer's mask — each value
   * computed by the same operations in the same order as there (toggleLayer0, toggle). The
   * same pass scans layer 1 for its next kink as the walk's step does, from `bound` (the time
   * to the next layer-0 kink, Infinity for none), into nextHidden / nextHiddenTau.
   */
  private crossLayer0(j: number, tau: number, bound: number): void {
    const { n1, k, Y, y1, start, hs, cluster: c } = this;
    const W1T = this.W1T as Float64Array;
    const U = this.U as Float64Array;
    const on0 = this.on[0];
    const wasOn = on0[j] === 1;
    on0[j] = wasOn ? 0 : 1;
    const v = (wasOn ? -1 : 1) * this.s[0][j];
    const z1 = this.z[1];
    const s1 = this.s[1];
    const on1 = this.on[1];
    const base = j * n1;
    const sg = this.sign[1];
    // The scan (as in explain's step): distance sign·z, rate −sign·s, earliest below `best`.
    let best = bound;
    let bestJ = -1;
    const md = this.masked;
    // v ≠ 0: a layer-0 neuron with zero slope has no kink (its time is Infinity). One loop for
    // both directions: the test of wasOn is the same for every i, so the branch is predicted.
    let t = 0;
    for (let i = 0; i < n1; i++) {
      const yi = Y[i] + tau * y1[i];
      Y[i] = yi;
      const wi = W1T[base + i];
      if (wasOn) t += wi * (yi - start[base + i]);
      else start[base + i] = yi;
      const zi = z1[i] + tau * s1[i];
      z1[i] = zi;
      const di = wi * v;
      const si = s1[i] + di;
      s1[i] = si;
      md[i] = on1[i] ? di : 0;
      const sgi = sg[i];
      const zj = sgi * zi;
      const rate = -sgi * si;
      if (zj < best * rate && rate > 0) {
        best = Math.max(0, zj) / rate;
        bestJ = i;
      }
    }
    if (wasOn) this.m[j] += t;
    this.nextHidden = bestJ;
    this.nextHiddenTau = best;
    // h_q′ += U_qᵀ (D ⊙ Δ), one dot product per competitor: the terms in the order toggle adds
    // them, with exact zeros where it skips the neurons that are off, so the same sums.
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      let t = 0;
      const po = q * n1;
      for (let i = 0; i < n1; i++) t += U[po + i] * md[i];
      hs[q] += t;
    }
  }

  /**
   * The fused path's other steps (a switch of the min's holder, or a kink of layer-1 neuron
   * `skip`, −1 for none): after a piece of length τ, Y += τ y_1 and z_1 += τ s_1 in one pass
   * (the general step's two loops, the same operations), which also scans layer 1 for its next
   * kink from `bound` as crossLayer0 does. Neuron `skip` is left out of the scan: the walk turns
   * it at this step, after which its rate toward 0 is the opposite of the positive one that
   * picked it, so the step's own scan would pass it over too.
   */
  private advanceLayer1(tau: number, skip: number, bound: number): void {
    const { n1, Y, y1 } = this;
    const z1 = this.z[1];
    const s1 = this.s[1];
    const sg = this.sign[1];
    let best = bound;
    let bestJ = -1;
    for (let i = 0; i < n1; i++) {
      Y[i] += tau * y1[i];
      const zi = z1[i] + tau * s1[i];
      z1[i] = zi;
      const sgi = sg[i];
      const zj = sgi * zi;
      const rate = -sgi * s1[i];
      if (zj < best * rate && rate > 0 && i !== skip) {
        best = Math.max(0, zj) / rate;
        bestJ = i;
      }
    }
    this.nextHidden = bestJ;
    this.nextHiddenTau = best;
  }

  /** Layer-0 neuron j turns on or off: close or open its interval of Y, then the slopes above. */
  private toggleLayer0(j: number, groups: number): void {
    const { n1, Y, start, m } = this;
    const n0 = this.n[0];
    const on0 = this.on[0];
    const W1T = this.W1T as Float64Array;
    const block = groups * n1;
    if (on0[j]) {
      for (let g = 0; g < groups; g++) {
        let t = 0;
        for (let i = 0; i < n1; i++) t += W1T[j * n1 + i] * (Y[g * n1 + i] - start[j * block + g * n1 + i]);
        m[g * n0 + j] += t;
      }
    } else {
      for (let i = 0; i < block; i++) start[j * block + i] = Y[i];
    }
    this.toggle(0, j);
  }

  /** Flips the mask of hidden neuron (l, j) and updates the slopes of every layer above it. */
  private toggle(l: number, j: number): void {
    const { L, n, on, s } = this;
    const turnOn = on[l][j] === 0;
    on[l][j] = turnOn ? 1 : 0;
    if (l > 0) this.sign[l][j] = turnOn ? 1 : -1;
    const v = (turnOn ? 1 : -1) * s[l][j];
    if (v === 0) return;
    // Layer l + 1's slopes change by ± W_{l+1}[:, j] s_l[j] ...
    const next = this.layers[l + 1];
    let delta = this.dz[l + 1];
    if (l === 0) {
      const W1T = this.W1T as Float64Array;
      const n1 = this.n1;
      for (let o = 0; o < n1; o++) delta[o] = W1T[j * n1 + o] * v;
    } else {
      for (let o = 0; o < next.outputs; o++) delta[o] = next.weights[o * next.inputs + j] * v;
    }
    // ... and every layer above by W (D ⊙ Δ).
    for (let u = l + 1; u < L; u++) {
      const width = n[u];
      if (u === L - 1) {
        const { e, k, w, hs, oSlope } = this;
        for (let o = 0; o < e; o++) oSlope[o] += delta[o];
        for (let q = 0; q < k; q++) {
          let t = 0;
          for (let o = 0; o < e; o++) t += w[q * e + o] * delta[o];
          hs[q] += t;
        }
        break;
      }
      const su = s[u];
      for (let o = 0; o < width; o++) su[o] += delta[o];
      if (u === L - 2) {
        // The last hidden layer: h_q′ changes by U_qᵀ (D ⊙ Δ), U_q = 2 (P_c − P_q), no output
        // layer needed.
        const { k, hs, cluster: c } = this;
        const U = this.U as Float64Array;
        const ou = on[u];
        // Σ_i U_qi D_i Δ_i for every q in one pass over i (the sums in `pd` first).
        const pd = this.pdot;
        pd.fill(0);
        for (let i = 0; i < width; i++) {
          if (!ou[i]) continue;
          const di = delta[i];
          for (let q = 0; q < k; q++) if (q !== c) pd[q] += U[q * width + i] * di;
        }
        for (let q = 0; q < k; q++) if (q !== c) hs[q] += pd[q];
        break;
      }
      const up = this.layers[u + 1];
      const ou = on[u];
      const deltaUp = this.dz[u + 1];
      const md = this.masked;
      for (let i = 0; i < width; i++) md[i] = ou[i] ? delta[i] : 0;
      const W = up.weights;
      for (let o = 0; o < up.outputs; o++) {
        let t = 0;
        const wo = o * up.inputs;
        for (let i = 0; i < width; i++) t += W[wo + i] * md[i];
        deltaUp[o] = t;
      }
      delta = deltaUp;
    }
  }

  /** Closes the open intervals, R = (x − r) ⊙ W_0ᵀ m, checks and rescales to f exactly. */
  private finish(x: Float64Array, r: Float64Array, f: number, groups: number, out: DeepPathOutput): boolean {
    const { L, d, n1, Y, start, m, G } = this;
    const n0 = this.n[0];
    const block = groups * n1;
    if (L >= 2) {
      const on0 = this.on[0];
      const W1T = this.W1T as Float64Array;
      for (let j = 0; j < n0; j++) {
        if (!on0[j]) continue;
        for (let g = 0; g < groups; g++) {
          let t = 0;
          for (let i = 0; i < n1; i++) t += W1T[j * n1 + i] * (Y[g * n1 + i] - start[j * block + g * n1 + i]);
          m[g * n0 + j] += t;
        }
      }
    } else {
      m.set(Y.subarray(0, groups * n0));
    }
    const W0 = this.layers[0].weights;
    G.fill(0, 0, groups * d);
    for (let g = 0; g < groups; g++) {
      for (let j = 0; j < n0; j++) {
        const mj = m[g * n0 + j];
        if (mj === 0) continue;
        const wo = j * d;
        for (let i = 0; i < d; i++) G[g * d + i] += W0[wo + i] * mj;
      }
    }
    const { coef, offset } = out;
    coef.fill(0);
    for (let g = 0; g < groups; g++) for (let i = 0; i < d; i++) coef[i] += G[g * d + i];
    let sum = 0;
    let abs = 0;
    for (let i = 0; i < d; i++) {
      const R = coef[i] * (x[i] - r[i]);
      sum += R;
      abs += Math.abs(R);
    }
    if (!Number.isFinite(sum)) return false;
    if (f === 0) {
      coef.fill(0);
      offset.fill(0);
      out.shares.fill(0);
      out.representation?.fill(0);
      out.perCompetitor?.fill(0);
      return true;
    }
    // The walk's pieces add up to f up to rounding; anything else is a walk gone wrong.
    if (!(Math.abs(sum - f) <= 1e-6 * Math.abs(f)) || ROOT_GUARD * abs > Math.abs(f)) return false;
    const scale = f / sum;
    for (let i = 0; i < d; i++) {
      coef[i] *= scale;
      offset[i] = coef[i] * r[i];
    }
    const repr = out.representation;
    if (this.T && repr) {
      const out2 = this.layers[L - 1];
      const nl = out2.inputs;
      const { e, w, T, held } = this;
      for (let q = 0; q < held.length; q++) {
        if (!held[q]) continue;
        for (let o = 0; o < e; o++) {
          let t = 0;
          for (let i = 0; i < nl; i++) t += out2.weights[o * nl + i] * T[q * nl + i];
          repr[o] -= w[q * e + o] * t;
        }
      }
    }
    let taken = 0;
    for (let q = 0; q < out.shares.length; q++) taken += out.shares[q];
    const shareScale = taken !== 0 ? f / taken : 1;
    for (let q = 0; q < out.shares.length; q++) out.shares[q] *= shareScale;
    if (repr) for (let j = 0; j < repr.length; j++) repr[j] *= shareScale;
    const per = out.perCompetitor;
    if (per) {
      for (let g = 0; g < groups; g++) for (let i = 0; i < d; i++) per[g * d + i] = G[g * d + i] * scale * (x[i] - r[i]);
    }
    return true;
  }
}
