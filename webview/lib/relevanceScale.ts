/**
 * Relevance → visual intensity. NEON relevances are signed: positive = evidence FOR the
 * assigned cluster (red), negative = evidence AGAINST it (blue), magnitude ∝ |R|
 * (neon-method.md "Text: word-level relevance"). Intensities are relative to the largest
 * |R| in view, so one document or one row is always readable on its own.
 */
import { clamp, mixRgb, type Rgba } from './color';

/** Number of discrete intensity steps per sign (matches the CSS classes s1..s5). */
export const RELEVANCE_STEPS = 5;

export type RelevanceSign = 'pos' | 'neg' | 'zero';

/** Largest finite |value|; 0 for an empty or all-zero list. */
export function maxAbs(values: Iterable<number>): number {
  let m = 0;
  for (const v of values) {
    const a = Math.abs(v);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m;
}

/** |r| / scale in [0, 1]; 0 when the scale is 0 or r is not finite. */
export function intensity(r: number, scale: number): number {
  if (!(scale > 0) || !Number.isFinite(r)) return 0;
  return clamp(Math.abs(r) / scale, 0, 1);
}

/**
 * Discrete step 0..RELEVANCE_STEPS: 0 means "too small to colour" (below half a step),
 * otherwise the nearest step, so the colour's strength is proportional to |R|.
 */
export function relevanceStep(r: number, scale: number, steps = RELEVANCE_STEPS): number {
  const t = intensity(r, scale);
  return Math.min(steps, Math.round(t * steps));
}

/** Sign of a relevance value, with values that round to step 0 counted as zero. */
export function relevanceSign(r: number, scale: number): RelevanceSign {
  if (relevanceStep(r, scale) === 0) return 'zero';
  return r > 0 ? 'pos' : 'neg';
}

/** Diverging colour for canvas heatmaps: neutral at 0, `pos` at +scale, `neg` at -scale. */
export function divergingColor(r: number, scale: number, neutral: Rgba, pos: Rgba, neg: Rgba): Rgba {
  const t = intensity(r, scale);
  return mixRgb(neutral, r >= 0 ? pos : neg, t);
}

/** Width of a bar for `value` as a percentage of a half-track (0..100). */
export function barPercent(value: number, scale: number): number {
  return Math.round(intensity(value, scale) * 1000) / 10;
}
