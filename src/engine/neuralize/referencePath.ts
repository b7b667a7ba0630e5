/**
 * The reference rule's pooling along the root segment (issue 13; neon-method.md,
 * "Propagation"; Montavon et al. 2017, deep Taylor decomposition with the root searched along
 * a direction).
 *
 * Setting. A detection layer h_k(x) = w_kᵀx + b_k (one neuron per competitor k ≠ c) under a
 * min-pool f = min_k h_k (hard evidence) or f = smin_β{h_k} (soft). The reference rule looks for
 * the network's root x̃ on the line from the row x through the reference r:
 *   x(α) = x + α (r − x),  h_k(x(α)) = h_k − α Δ_k,  Δ_k = h_k(x) − h_k(r) = w_kᵀ(x − r),
 * and x̃ = x(α*) with α* the first α ≥ 0 where f(x(α)) = 0 ("compared with r": moving x toward
 * r, where does the evidence for c run out?). α* may lie beyond r (r itself in cluster c).
 *
 * Pooling along the path. Instead of sharing f among the competitors by their softmin shares
 * at x alone (min-takes-most, the paper's rule), each competitor gets the evidence it takes
 * away along the root segment: with π_k(α) the pool's shares at x(α) (the arg-min's indicator
 * for the hard pool),
 *   a_k = ∫_0^{α*} π_k(α) dα,   R_k = a_k Δ_k,   Σ_k R_k = f(x) − f(x̃) = f(x)   (exactly),
 * and the linear layer's reference rule R_i = Σ_k R_k w_ki (x_i − r_i) / Δ_k = (x_i − r_i) Σ_k a_k w_ki.
 * So a_k is the multiplier of w_k: no division by Δ_k, no guard, no explosion near a boundary.
 * For the hard pool f is piecewise linear in α and the integral is exact: the lower envelope
 * of the K lines h_k − α Δ_k, walked from α = 0 to its first root, O(K) per breakpoint
 * (a handful per row), i.e. the cost of the forward pass. For a piecewise-linear network this
 * equals integrated gradients from the root x̃ (Sundararajan et al. 2017), computed exactly
 * instead of with a 32-step Riemann sum; it answers "compared with r" the way integrated
 * gradients does while conserving the evidence of x, not f(x) − f(r).
 * The soft pool is integrated numerically (Gauss–Legendre on panels split at the hard
 * envelope's breakpoints) and the weights rescaled so that Σ_k a_k Δ_k = f(x) exactly.
 *
 * No root (every Δ_k of the wrong sign: r is at least as deep in c as x for every competitor,
 * so the line never leaves c), or a root so far beyond r that the terms would explode (the
 * bound below): the caller falls back to the per-neuron roots of rootPoint.ts.
 *
 * Bound. Σ_i |R_i| ≤ ‖x − r‖ Σ_k |a_k| ‖w_k‖; when that exceeds |f| / ε (ε = ROOT_GUARD, i.e.
 * terms up to 20× the evidence) the row's reference is about as deep in c as the row itself and
 * the path's terms would be large and cancelling, so the path is refused. For a single
 * competitor (a = f / Δ) this is exactly rootPoint.ts's guard condition |Δ| ≥ ε ‖w‖ ‖x − r‖.
 */
import { ROOT_GUARD } from './rootPoint';

/** Gauss–Legendre nodes (on [0, 1]) and weights, 8 points: exact for polynomials of degree 15. */
const GL_NODES = [0.019855071751231856, 0.10166676129318664, 0.2372337950418355, 0.4082826787521751, 0.5917173212478249, 0.7627662049581645, 0.8983332387068134, 0.9801449282487681];
const GL_WEIGHTS = [0.05061426814518813, 0.11119051722668724, 0.15685332293894363, 0.18134189168918100, 0.18134189168918100, 0.15685332293894363, 0.11119051722668724, 0.05061426814518813];

/** Scratch for `pathPoolWeights` (one per network; K entries). */
export interface PathScratch {
  readonly shares: Float64Array;
  readonly breaks: Float64Array;
}

export function createPathScratch(k: number): PathScratch {
  return { shares: new Float64Array(k), breaks: new Float64Array(k + 2) };
}

/**
 * Multipliers a_k of the reference rule with pooling along the root segment (module comment).
 * @param h layer-1 activations h_k(x), length K (index `skip` = the assigned cluster is ignored)
 * @param delta Δ_k = h_k(x) − h_k(r)
 * @param skip the assigned cluster c
 * @param f the evidence at x (hard: min_k h_k; soft: smin_β h_k), either sign
 * @param beta the soft pool's stiffness (Infinity, or `soft` false: the hard min)
 * @param weights out: a_k (0 at `skip` and for competitors that never hold the pool)
 * @param weightNorm ‖w_k‖ per competitor (index q at weightNorm[normOffset + q]) and
 * @param distance ‖x − r‖, for the bound of the module comment
 * @returns α* ≥ 0 of the root, or −1 when the line from x through r has none or the bound
 *   refuses it (then `weights` hold nothing meaningful)
 */
export function pathPoolWeights(
  h: Float64Array,
  delta: Float64Array,
  skip: number,
  f: number,
  soft: boolean,
  beta: number,
  weights: Float64Array,
  scratch: PathScratch,
  weightNorm: Float64Array,
  normOffset: number,
  distance: number,
): number {
  const root = poolWeights(h, delta, skip, f, soft, beta, weights, scratch);
  if (root < 0) return -1;
  if (!(distance > 0)) return f === 0 ? root : -1;
  let amp = 0;
  for (let q = 0; q < h.length; q++) if (q !== skip && weights[q] !== 0) amp += Math.abs(weights[q]) * weightNorm[normOffset + q];
  return ROOT_GUARD * amp * distance <= Math.abs(f) ? root : -1;
}

function poolWeights(h: Float64Array, delta: Float64Array, skip: number, f: number, soft: boolean, beta: number, weights: Float64Array, scratch: PathScratch): number {
  const k = h.length;
  if (!soft || !Number.isFinite(beta)) return hardEnvelope(h, delta, skip, weights);
  // Soft pool: the root of g(α) = smin_β{h_k − α Δ_k}, then ∫ π_k dα by Gauss–Legendre on the
  // panels between the hard envelope's breakpoints (where the shares change fastest).
  if (f === 0) {
    for (let q = 0; q < k; q++) weights[q] = 0;
    return 0;
  }
  const root = softRoot(h, delta, skip, f, beta, scratch.shares);
  if (root < 0) return -1;
  const breaks = scratch.breaks;
  // Breakpoints of the hard envelope inside (0, root) as panel ends (the walk stops at root).
  const nb = envelopeBreaks(h, delta, skip, root, breaks);
  const { shares } = scratch;
  for (let q = 0; q < k; q++) weights[q] = 0;
  let from = 0;
  for (let p = 0; p <= nb; p++) {
    const to = p < nb ? breaks[p] : root;
    const len = to - from;
    if (len > 0) {
      for (let g = 0; g < GL_NODES.length; g++) {
        softSharesAt(h, delta, skip, beta, from + GL_NODES[g] * len, shares);
        const w = GL_WEIGHTS[g] * len;
        for (let q = 0; q < k; q++) if (q !== skip) weights[q] += w * shares[q];
      }
    }
    from = to;
  }
  // Σ_k a_k Δ_k = f(x) − g(root) = f(x) up to the quadrature error: rescale to exact.
  let drop = 0;
  for (let q = 0; q < k; q++) if (q !== skip && weights[q] !== 0) drop += weights[q] * delta[q];
  if (!(drop !== 0 && Math.sign(drop) === Math.sign(f) && Number.isFinite(drop))) return -1;
  const scale = f / drop;
  for (let q = 0; q < k; q++) weights[q] *= scale;
  return root;
}

/** The line holding the envelope's minimum at α = 0+: lowest h, ties to the one falling fastest. */
function firstLine(h: Float64Array, delta: Float64Array, skip: number): number {
  let cur = -1;
  for (let q = 0; q < h.length; q++) {
    if (q === skip) continue;
    if (cur < 0 || h[q] < h[cur] || (h[q] === h[cur] && delta[q] > delta[cur])) cur = q;
  }
  return cur;
}

/** Where another line takes the minimum over from line `cur` at or after α = a (`nextAt`, ∞ if never). */
let nextAt = Infinity;
function nextLine(h: Float64Array, delta: Float64Array, skip: number, cur: number, a: number): number {
  const hc = h[cur];
  const dc = delta[cur];
  let next = -1;
  nextAt = Infinity;
  for (let q = 0; q < h.length; q++) {
    if (q === skip || q === cur) continue;
    const dq = delta[q];
    if (!(dq > dc)) continue;
    const t = (h[q] - hc) / (dq - dc);
    if (!(t >= a)) continue;
    if (t < nextAt || (t === nextAt && dq > delta[next])) {
      nextAt = t;
      next = q;
    }
  }
  return next;
}

/**
 * Walks the lower envelope of h_k − α Δ_k (k ≠ skip) from α = 0 to its first root, writing the
 * α-length on which each line holds the minimum into `lengths`; returns the root, or −1 (and
 * all lengths 0) when there is none. The envelope is concave (its slopes −Δ only fall), so each
 * line holds it at most once: at most K − 1 steps of O(K).
 */
function hardEnvelope(h: Float64Array, delta: Float64Array, skip: number, lengths: Float64Array): number {
  const k = h.length;
  for (let q = 0; q < k; q++) lengths[q] = 0;
  let cur = firstLine(h, delta, skip);
  let a = 0;
  for (let step = 0; cur >= 0 && step < k; step++) {
    const hc = h[cur];
    const dc = delta[cur];
    const value = hc - a * dc;
    let root = Infinity;
    if (value === 0) root = a;
    else if ((value > 0 && dc > 0) || (value < 0 && dc < 0)) root = Math.max(a, hc / dc);
    const next = nextLine(h, delta, skip, cur, a);
    if (root <= nextAt) {
      lengths[cur] += root - a;
      return root;
    }
    if (next < 0) break;
    lengths[cur] += nextAt - a;
    a = nextAt;
    cur = next;
  }
  for (let q = 0; q < k; q++) lengths[q] = 0;
  return -1;
}

/** Breakpoints of the hard envelope in (0, stopAt), ascending, into `out`; returns their count. */
function envelopeBreaks(h: Float64Array, delta: Float64Array, skip: number, stopAt: number, out: Float64Array): number {
  let cur = firstLine(h, delta, skip);
  let a = 0;
  let count = 0;
  for (let step = 0; cur >= 0 && step < h.length && count < out.length; step++) {
    const next = nextLine(h, delta, skip, cur, a);
    if (next < 0 || !(nextAt < stopAt)) break;
    if (nextAt > a) out[count++] = nextAt;
    a = nextAt;
    cur = next;
  }
  return count;
}

/** smin_β{h_k − α Δ_k} and its softmin shares at α into `shares`; returns [g, g′]. */
function softAt(h: Float64Array, delta: Float64Array, skip: number, beta: number, alpha: number, shares: Float64Array): { g: number; slope: number } {
  const k = h.length;
  let m = Infinity;
  for (let q = 0; q < k; q++) if (q !== skip) m = Math.min(m, h[q] - alpha * delta[q]);
  let s = 0;
  for (let q = 0; q < k; q++) {
    if (q === skip) {
      shares[q] = 0;
      continue;
    }
    const e = Math.exp(-beta * (h[q] - alpha * delta[q] - m));
    shares[q] = e;
    s += e;
  }
  let slope = 0;
  for (let q = 0; q < k; q++) {
    if (q === skip) continue;
    shares[q] /= s;
    slope -= shares[q] * delta[q];
  }
  return { g: m - Math.log(s) / beta, slope };
}

function softSharesAt(h: Float64Array, delta: Float64Array, skip: number, beta: number, alpha: number, shares: Float64Array): void {
  softAt(h, delta, skip, beta, alpha, shares);
}

/**
 * First root α* > 0 of g(α) = smin_β{h_k − α Δ_k} from g(0) = f ≠ 0, bracketed by doubling
 * from α = 1, then Newton steps kept inside the bracket (bisection when a step leaves it); −1
 * when there is none. g is concave, so from f > 0 there is at most one root ahead. From f < 0
 * (a cluster other than the nearest) g rises to its top and falls again: a rise above 0 that
 * ends between two doublings is missed (then the caller's fallback explains the row).
 */
function softRoot(h: Float64Array, delta: Float64Array, skip: number, f: number, beta: number, shares: Float64Array): number {
  const sign = f > 0 ? 1 : -1;
  let lo = 0;
  let hi = 1;
  let gHi = softAt(h, delta, skip, beta, hi, shares).g;
  // f > 0: look for g ≤ 0; f < 0: g ≥ 0 (g concave: rises to its top, then falls).
  let doublings = 0;
  while (sign * gHi > 0) {
    if (++doublings > 60) return -1;
    lo = hi;
    hi *= 2;
    gHi = softAt(h, delta, skip, beta, hi, shares).g;
  }
  let a = 0.5 * (lo + hi);
  for (let it = 0; it < 100; it++) {
    const { g, slope } = softAt(h, delta, skip, beta, a, shares);
    if (g === 0) return a;
    if (sign * g > 0) lo = a;
    else hi = a;
    if (hi - lo <= 1e-14 * hi) break;
    let next = slope !== 0 ? a - g / slope : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    a = next;
  }
  return 0.5 * (lo + hi);
}
