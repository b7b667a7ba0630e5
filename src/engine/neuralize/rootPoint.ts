/**
 * Root points of a linear detection neuron z(x) = wᵀx + b, shared by every NEON network here
 * (neon-method.md, "Propagation"; Montavon et al. 2017, deep Taylor decomposition).
 *
 * A root-point rule gives input i the share R_i = w_i (x_i − x̃_i) / z(x) · R of the neuron's
 * relevance R, for a root x̃ with z(x̃) = 0. Whatever the root, Σ_i R_i = R exactly: the choice
 * of root only decides *which question* the relevances answer.
 *  - midpoint rule: x̃ on the boundary between the assigned cluster c and the competitor k
 *    (the neuron's own hyperplane, reached from the midpoint (μ_c + μ_k)/2): "what separates x
 *    from the boundary with cluster k";
 *  - reference rule: x̃ searched on the line from x through a reference point r (the data mean
 *    by default, or a row / baseline the user picks). Then x − x̃ ∝ x − r and
 *      R_i = w_i (x_i − r_i) / wᵀ(x − r) · R:
 *    "compared with r, which features make x belong to c rather than k".
 *
 * Degenerate cases of the reference rule: when r is (almost) as close to the neuron's
 * hyperplane as x, the line x → r does not reach the boundary (Δ = wᵀ(x − r) ≈ 0) and single
 * terms w_i (x_i − r_i) / Δ explode; when r is on the same side and farther from it (Δ has the
 * wrong sign), the root lies behind x and the terms flip meaning (a feature that makes x less
 * like its cluster than r would count *for* the cluster). The reference is then moved along w
 * (the direction of the nearest root): to its mirror image across the hyperplane through x
 * parallel to the boundary (denominator |Δ| with the wanted sign), and at least until the
 * denominator reaches ε ‖w‖ ‖x − r‖. The root direction becomes (x − r) + t w,
 * t = (den − Δ) / ‖w‖², and the neuron's terms are
 *   R_i = w_i (x_i − r_i + t w_i) / den · R,
 * which still sum to R exactly (den = Δ + t ‖w‖²), each |term| ≤ |R| (2 + ε) / ε. A row equal
 * to the reference (‖x − r‖ = 0) falls back to the nearest root (the w² rule, R_i ∝ w_i²).
 */

/** ε of the guard above (the kernel network's root-point guard uses the same value). */
export const ROOT_GUARD = 0.05;

/**
 * The guarded denominator of the reference rule for one neuron.
 * @param delta Δ = wᵀ(x − r) = z(x) − z(r)
 * @param positive the sign the denominator must have: true when the row is on the neuron's
 *   positive side (z(x) ≥ 0), so the root lies between x and the boundary side of r; hidden
 *   layers, which have no boundary to reach, pass `delta >= 0`
 * @param wNorm2 ‖w‖²
 * @param dist2 ‖x − r‖²
 * @param floor smallest magnitude allowed (scale of the model's numbers × 1e-12), for ‖x − r‖ = 0
 * @returns den; the reference moved along w by t = (den − Δ) / ‖w‖² (0 when den = Δ)
 */
export function referenceDenominator(delta: number, positive: boolean, wNorm2: number, dist2: number, floor: number, eps = ROOT_GUARD): number {
  const g = Math.max(eps * Math.sqrt(wNorm2) * Math.sqrt(dist2), floor);
  const m = Math.max(Math.abs(delta), g);
  return positive ? m : -m;
}

/**
 * Smallest denominator magnitude for a detection neuron whose weight is w = 2(a − b) (two
 * centroids or support vectors): as if the row were ‖a − b‖ = ‖w‖/2 from its reference. A
 * floor of that size keeps the coefficients R / den moderate when the row *is* the reference
 * (then the rule is the w² rule), so the linear form coef·x − offset does not cancel.
 */
export function pairFloor(wNorm2: number, eps = ROOT_GUARD): number {
  return Math.max(0.5 * eps * wNorm2, Number.MIN_VALUE);
}

/** Shift t of the moved reference, r' = r − t w, for a denominator from `referenceDenominator`. */
export function referenceShift(den: number, delta: number, wNorm2: number): number {
  return den === delta || wNorm2 === 0 ? 0 : (den - delta) / wNorm2;
}

/** Denominator guard of the midpoint rule: |h| < ε becomes ±ε with the sign of h (0 counts as positive). */
export function guard(h: number, eps: number): number {
  if (h >= 0) return h < eps ? eps : h;
  return h > -eps ? -eps : h;
}
