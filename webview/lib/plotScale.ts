/**
 * Scales and axes for the small plots (map, flipping curves, sparklines): data domain →
 * pixel range, "nice" tick values, and the extent of a flattened N x 2 projection.
 */

export interface Extent {
  readonly min: number;
  readonly max: number;
}

/** Min/max of every `stride`-th value starting at `offset` (x or y of an N x 2 array). */
export function extentOf(values: ArrayLike<number>, stride = 1, offset = 0): Extent {
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < values.length; i += stride) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 1 };
  if (min === max) return { min: min - 0.5, max: max + 0.5 };
  return { min, max };
}

/** Extent widened by `fraction` of its span on both sides, so markers don't touch edges. */
export function padExtent(e: Extent, fraction: number): Extent {
  const pad = (e.max - e.min) * fraction;
  return { min: e.min - pad, max: e.max + pad };
}

export interface LinearScale {
  (v: number): number;
  invert(p: number): number;
}

/** Maps [d0, d1] linearly onto [r0, r1] (r1 < r0 allowed, for y axes pointing up). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): LinearScale {
  const span = d1 - d0 === 0 ? 1 : d1 - d0;
  const k = (r1 - r0) / span;
  const f = ((v: number) => r0 + (v - d0) * k) as LinearScale;
  f.invert = (p: number) => d0 + (p - r0) / (k === 0 ? 1 : k);
  return f;
}

/**
 * About `count` round tick values covering [min, max] (steps of 1, 2 or 5 times a power
 * of ten), as in most plotting libraries.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || count < 1) return [];
  if (min === max) return [min];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const mult = raw / power;
  const step = (mult >= 7.5 ? 10 : mult >= 3.5 ? 5 : mult >= 1.5 ? 2 : 1) * power;
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * Keeps the map's aspect ratio honest: a projection's two axes share one unit, so the
 * domain is widened on the shorter side to match the plot's pixel aspect.
 */
export function equalAspect(x: Extent, y: Extent, width: number, height: number): { x: Extent; y: Extent } {
  const sx = (x.max - x.min) / Math.max(1, width);
  const sy = (y.max - y.min) / Math.max(1, height);
  const s = Math.max(sx, sy);
  const cx = (x.min + x.max) / 2;
  const cy = (y.min + y.max) / 2;
  const hw = (s * Math.max(1, width)) / 2;
  const hh = (s * Math.max(1, height)) / 2;
  return { x: { min: cx - hw, max: cx + hw }, y: { min: cy - hh, max: cy + hh } };
}

/** "x,y x,y ..." points of a sparkline of `values` inside a width x height box (y up). */
export function sparklinePoints(values: readonly number[], width: number, height: number, pad = 1): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '';
  const e = extentOf(finite);
  const x = linearScale(0, Math.max(1, finite.length - 1), pad, width - pad);
  const y = linearScale(e.min, e.max, height - pad, pad);
  return finite.map((v, i) => `${round2(x(i))},${round2(y(v))}`).join(' ');
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
