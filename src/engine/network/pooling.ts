/**
 * Soft min / max pooling layers of the neuralized networks (neon-method.md, "Notation"):
 *   smin_β{a_j} = −(1/β) log Σ_j exp(−β a_j),   smax_β{a_j} = (1/β) log Σ_j exp(β a_j),
 * and their backward shares ("min-takes-most" / "max-takes-most"), which sum to 1.
 *
 * Everything is computed around the extreme value (log-sum-exp trick) so that very stiff
 * pools (large β) and large activations neither overflow nor underflow to NaN.
 * `skip` leaves out one entry (the assigned cluster c in the k-means network); entries equal
 * to ±Infinity are allowed. β = Infinity gives the hard min / max, ties sharing equally.
 * An empty pool (every entry skipped) gives +Infinity for the min, −Infinity for the max.
 */

/** Soft minimum of `values` (excluding index `skip`). */
export function softMin(values: Float64Array, beta: number, skip = -1): number {
  const n = values.length;
  let m = Infinity;
  for (let j = 0; j < n; j++) if (j !== skip && values[j] < m) m = values[j];
  if (!Number.isFinite(m) || beta === Infinity) return m;
  let s = 0;
  for (let j = 0; j < n; j++) if (j !== skip) s += Math.exp(-beta * (values[j] - m));
  return m - Math.log(s) / beta;
}

/** Soft maximum of `values` (excluding index `skip`). */
export function softMax(values: Float64Array, beta: number, skip = -1): number {
  const n = values.length;
  let m = -Infinity;
  for (let j = 0; j < n; j++) if (j !== skip && values[j] > m) m = values[j];
  if (!Number.isFinite(m) || beta === Infinity) return m;
  let s = 0;
  for (let j = 0; j < n; j++) if (j !== skip) s += Math.exp(beta * (values[j] - m));
  return m + Math.log(s) / beta;
}

/**
 * Min-takes-most shares: out[j] = exp(−β a_j) / Σ_{j'≠skip} exp(−β a_j'), out[skip] = 0.
 * They are ∂ smin_β / ∂ a_j, so they also serve the gradient. With β = Infinity (or when
 * all finite weights underflow) the minima share equally. Empty pool: all zeros.
 */
export function softMinShares(values: Float64Array, beta: number, out: Float64Array, skip = -1): void {
  poolShares(values, -beta, out, skip);
}

/** Max-takes-most shares: out[j] = exp(β a_j) / Σ_{j'≠skip} exp(β a_j'), out[skip] = 0. */
export function softMaxShares(values: Float64Array, beta: number, out: Float64Array, skip = -1): void {
  poolShares(values, beta, out, skip);
}

/** Shares of exp(s a_j): s < 0 for the min pool, s > 0 for the max pool. */
function poolShares(values: Float64Array, s: number, out: Float64Array, skip: number): void {
  const n = values.length;
  // Extreme value in the direction the pool favours: max of s·a_j.
  let best = -Infinity;
  let bestCount = 0;
  for (let j = 0; j < n; j++) {
    if (j === skip) continue;
    const v = s > 0 ? values[j] : -values[j];
    if (v > best) {
      best = v;
      bestCount = 1;
    } else if (v === best) bestCount++;
  }
  if (bestCount === 0) {
    out.fill(0);
    return;
  }
  const hard = !Number.isFinite(s) || !Number.isFinite(best);
  let total = 0;
  for (let j = 0; j < n; j++) {
    if (j === skip) {
      out[j] = 0;
      continue;
    }
    const v = s > 0 ? values[j] : -values[j];
    const w = hard ? (v === best ? 1 : 0) : Math.exp(Math.abs(s) * (v - best));
    out[j] = w;
    total += w;
  }
  // total >= 1 always (the extreme entry contributes exp(0) = 1), so this never divides by 0.
  for (let j = 0; j < n; j++) out[j] /= total;
  if (skip >= 0 && skip < n) out[skip] = 0;
}
