/**
 * Deep-Taylor / LRP rules that move relevance down through one dense layer
 * (Montavon et al., Pattern Recognition 65 (2017); "Layer-wise relevance propagation: an
 * overview" (2019)). All rules are proportional redistributions: with the forward
 * quantities of the point fixed, R_in is linear in R_out, so relevance of either sign (and
 * per-competitor rows) goes through the same rule.
 *
 * Notation for a layer z_j = Σ_i a_i w_ji + b_j: a_i its inputs, R_j the relevance of its
 * output neuron j, R_i what the inputs receive.
 */
import { ROOT_GUARD, referenceDenominator, referenceShift } from '../neuralize/rootPoint';

/**
 * Generalized γ-rule: contributions of the same sign as z_j are boosted by (1 + γ),
 *   c_ij = a_i w_ji + γ (a_i w_ji)^±,   c_bj = b_j + γ b_j^±   (± = sign of z_j),
 *   R_i = Σ_j c_ij / (Σ_i' c_i'j + c_bj) · R_j.
 * For relu inputs (a_i ≥ 0) and z_j > 0 this is the usual γ-rule (w + γw⁺); the sign switch
 * makes it also usable for a linear layer whose outputs may be negative (the representation
 * layer of φ), where R_j is signed too. The denominator equals z_j + γ·(same-sign parts), so
 * |den| ≥ |z_j| and it never flips sign: no explosion near z_j = 0 as with the plain z-rule.
 * γ = 0 is LRP-0 (the z-rule), γ → ∞ approaches z⁺ (positive contributions only).
 * The bias is an input of its own and keeps its share Σ_j c_bj / den_j · R_j, which is
 * returned: this is the relevance "lost to biases" (Σ_i R_i = Σ_j R_j − returned value).
 * Output neurons whose denominator is below `eps` in magnitude pass nothing on (their R_j is
 * returned as lost too, so the accounting stays exact).
 */
export function gammaRule(
  weights: Float64Array,
  bias: Float64Array,
  inputs: number,
  outputs: number,
  a: Float64Array,
  z: Float64Array,
  rOut: Float64Array,
  gamma: number,
  rIn: Float64Array,
  eps = 1e-12,
): number {
  rIn.fill(0, 0, inputs);
  let lost = 0;
  for (let j = 0; j < outputs; j++) {
    const rj = rOut[j];
    if (rj === 0) continue;
    const positive = z[j] >= 0;
    const wo = j * inputs;
    let den = boost(bias[j], gamma, positive);
    for (let i = 0; i < inputs; i++) den += boost(a[i] * weights[wo + i], gamma, positive);
    if (!(Math.abs(den) > eps)) {
      lost += rj;
      continue;
    }
    const s = rj / den;
    for (let i = 0; i < inputs; i++) rIn[i] += boost(a[i] * weights[wo + i], gamma, positive) * s;
    lost += boost(bias[j], gamma, positive) * s;
  }
  return lost;
}

/** v + γ·v⁺ (positive branch) or v + γ·v⁻ (negative branch). */
function boost(v: number, gamma: number, positive: boolean): number {
  return positive ? (v > 0 ? v + gamma * v : v) : v < 0 ? v + gamma * v : v;
}

/**
 * Box rule z^B for an input layer with inputs bounded by low ≤ x ≤ high:
 *   c_ij = x_i w_ji − l_i w_ji⁺ − h_i w_ji⁻  (≥ 0 inside the box),
 *   R_i = Σ_j c_ij / Σ_i' c_i'j · R_j.
 * The root point is the box corner that minimises z_j, so the bias does not enter and the
 * rule is conservative: Σ_i R_i = Σ_j R_j (outputs with a zero denominator, x at that corner,
 * pass nothing and are returned as lost). Written in the linear form of `LinearAttribution`:
 *   R_i = coef_i x_i − offset_i,  coef_i = Σ_j w_ji s_j,  offset_i = Σ_j (l_i w_ji⁺ + h_i w_ji⁻) s_j,
 * with s_j = R_j / den_j. Callers must pass bounds that contain x (see the neuralizer).
 */
export function boxRule(
  weights: Float64Array,
  inputs: number,
  outputs: number,
  x: Float64Array,
  low: Float64Array,
  high: Float64Array,
  rOut: Float64Array,
  coef: Float64Array,
  offset: Float64Array,
  eps = 1e-12,
): number {
  coef.fill(0, 0, inputs);
  offset.fill(0, 0, inputs);
  let lost = 0;
  for (let j = 0; j < outputs; j++) {
    const rj = rOut[j];
    if (rj === 0) continue;
    const wo = j * inputs;
    let den = 0;
    for (let i = 0; i < inputs; i++) {
      const w = weights[wo + i];
      den += x[i] * w - (w > 0 ? low[i] * w : high[i] * w);
    }
    if (!(den > eps)) {
      lost += rj;
      continue;
    }
    const s = rj / den;
    for (let i = 0; i < inputs; i++) {
      const w = weights[wo + i];
      coef[i] += w * s;
      offset[i] += (w > 0 ? low[i] * w : high[i] * w) * s;
    }
  }
  return lost;
}

/**
 * Reference root-point rule for an input layer: the root point of neuron j is taken on the
 * segment from x to a reference point r (e.g. the data mean), so contributions are
 * measured from r: c_ij = (x_i − r_i) w_ji, boosted by γ where they have the sign of
 * Σ_i c_ij (the generalized γ-rule on differences). The bias cancels in z_j(x) − z_j(r), so
 * the rule is conservative: Σ_i R_i = Σ_j R_j (outputs with a vanishing denominator pass
 * nothing and are returned as lost). Linear form R_i = coef_i x_i − offset_i with
 * coef_i = Σ_j s_j w_ji (1 + γ·[boosted]), offset_i = coef_i r_i, s_j = R_j / den_j.
 */
export function referenceRule(
  weights: Float64Array,
  inputs: number,
  outputs: number,
  x: Float64Array,
  reference: Float64Array,
  rOut: Float64Array,
  gamma: number,
  coef: Float64Array,
  offset: Float64Array,
  eps = 1e-12,
): number {
  coef.fill(0, 0, inputs);
  let lost = 0;
  for (let j = 0; j < outputs; j++) {
    const rj = rOut[j];
    if (rj === 0) continue;
    const wo = j * inputs;
    let plain = 0;
    for (let i = 0; i < inputs; i++) plain += (x[i] - reference[i]) * weights[wo + i];
    const positive = plain >= 0;
    let den = 0;
    for (let i = 0; i < inputs; i++) den += boost((x[i] - reference[i]) * weights[wo + i], gamma, positive);
    if (!(Math.abs(den) > eps)) {
      lost += rj;
      continue;
    }
    const s = rj / den;
    for (let i = 0; i < inputs; i++) {
      const w = weights[wo + i];
      const d = (x[i] - reference[i]) * w;
      const boosted = positive ? d > 0 : d < 0;
      coef[i] += s * w * (boosted ? 1 + gamma : 1);
    }
  }
  for (let i = 0; i < inputs; i++) offset[i] = coef[i] * reference[i];
  return lost;
}

/**
 * Root-point rule with the root carried through the network: a reference point r is sent
 * through the same layers, and every neuron's root is searched on the line from the row's
 * activations to the reference's (neuralize/rootPoint.ts). For a dense layer z = W a + b:
 *   R_i = Σ_j s_j (w_ji Δa_i + t_j w_ji²),   s_j = R_j / den_j,  Δa = a(x) − a(r),
 *   den_j = Δz_j = z_j(x) − z_j(r) (the bias cancels), moved along w_j by t_j when |Δz_j| is
 *   below ε ‖w_j‖ ‖Δa‖ (the guard of rootPoint.ts; with Δa = 0 this is the w² rule).
 * Σ_i R_i = Σ_j R_j exactly: nothing is kept by biases (unlike the γ-rule). A neuron whose
 * weights are all zero spreads its relevance evenly over the inputs (still conservative).
 * Relevance on a relu unit's output is relevance on its pre-activation: the rule is the
 * DeepLIFT "rescale" multiplier Δa/Δz applied to relevance instead of to Δf.
 * When `coef` / `offset` are given (the input layer), the result is also written in the linear
 * form R_i = coef_i x_i − offset_i: coef_i = Σ_j s_j w_ji, offset_i = coef_i r_i − Σ_j s_j t_j w_ji²
 * − (even spreads), with `reference` = r.
 */
export function carriedRootRule(
  weights: Float64Array,
  inputs: number,
  outputs: number,
  deltaIn: Float64Array,
  deltaZ: Float64Array,
  rOut: Float64Array,
  rIn: Float64Array,
  linear?: { readonly coef: Float64Array; readonly offset: Float64Array; readonly reference: Float64Array },
  eps = ROOT_GUARD,
  /** Typical size of the layer's inputs (e.g. ‖a(r)‖), for the guard's floor. */
  inputScale?: number,
): void {
  rIn.fill(0, 0, inputs);
  let dist2 = 0;
  for (let i = 0; i < inputs; i++) dist2 += deltaIn[i] * deltaIn[i];
  // Floor of the guard for Δa ≈ 0 (the row's activations equal the root's): a small fraction
  // of the layer's input scale, so R / den stays moderate (no cancellation in the linear form).
  let scale2 = dist2;
  if (inputScale !== undefined) scale2 = Math.max(scale2, inputScale * inputScale);
  let spread = 0;
  if (linear) {
    linear.coef.fill(0, 0, inputs);
    linear.offset.fill(0, 0, inputs);
  }
  for (let j = 0; j < outputs; j++) {
    const rj = rOut[j];
    if (rj === 0) continue;
    const wo = j * inputs;
    let ww = 0;
    for (let i = 0; i < inputs; i++) ww += weights[wo + i] * weights[wo + i];
    if (ww === 0) {
      spread += rj;
      continue;
    }
    const delta = deltaZ[j];
    const den = referenceDenominator(delta, delta >= 0, ww, dist2, Math.max(1e-3 * eps * Math.sqrt(ww * scale2), Number.MIN_VALUE), eps);
    const t = referenceShift(den, delta, ww);
    const s = rj / den;
    for (let i = 0; i < inputs; i++) {
      const w = weights[wo + i];
      rIn[i] += s * w * (deltaIn[i] + t * w);
    }
    if (linear) {
      for (let i = 0; i < inputs; i++) {
        const w = weights[wo + i];
        linear.coef[i] += s * w;
        if (t !== 0) linear.offset[i] -= s * t * w * w;
      }
    }
  }
  if (spread !== 0) for (let i = 0; i < inputs; i++) rIn[i] += spread / inputs;
  if (linear) for (let i = 0; i < inputs; i++) linear.offset[i] += linear.coef[i] * linear.reference[i] - (spread !== 0 ? spread / inputs : 0);
}
