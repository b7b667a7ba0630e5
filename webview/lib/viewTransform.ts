/**
 * Zoom and pan of the map: screen = base * k + (tx, ty), where base is the fitted,
 * un-zoomed position. Zooming keeps the point under the pointer in place.
 */

export interface ViewTransform {
  readonly k: number;
  readonly tx: number;
  readonly ty: number;
}

export const IDENTITY: ViewTransform = { k: 1, tx: 0, ty: 0 };
export const MIN_ZOOM = 1;
export const MAX_ZOOM = 50;

/** Zooms by `factor` around screen point (px, py), clamped to [MIN_ZOOM, MAX_ZOOM]. */
export function zoomAt(v: ViewTransform, px: number, py: number, factor: number): ViewTransform {
  const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, v.k * factor));
  if (k === MIN_ZOOM) return IDENTITY; // fully zoomed out: back to the fitted view, no drift
  const r = k / v.k;
  return { k, tx: px - (px - v.tx) * r, ty: py - (py - v.ty) * r };
}

/** Moves the view by (dx, dy) screen pixels (no effect when not zoomed in). */
export function panBy(v: ViewTransform, dx: number, dy: number): ViewTransform {
  if (v.k === 1) return v;
  return { k: v.k, tx: v.tx + dx, ty: v.ty + dy };
}

/** Screen position of a base position. */
export function apply(v: ViewTransform, x: number, y: number): [number, number] {
  return [x * v.k + v.tx, y * v.k + v.ty];
}
