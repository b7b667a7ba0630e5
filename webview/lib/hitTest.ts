/**
 * Nearest-point lookup for the map's hover and click. A uniform grid over screen
 * coordinates keeps each query to the few cells around the pointer, so hovering over
 * thousands of points stays cheap.
 */

export class PointGrid {
  private readonly cellSize: number;
  private readonly cells = new Map<number, number[]>();
  private readonly cols: number;

  /** xs[i], ys[i]: screen position of point i (NaN = not drawn, never hit). */
  constructor(
    private readonly xs: Float64Array,
    private readonly ys: Float64Array,
    cellSize = 16,
    width = 4096,
  ) {
    this.cellSize = Math.max(1, cellSize);
    this.cols = Math.max(1, Math.ceil(width / this.cellSize) + 1);
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
      const key = this.key(Math.floor(xs[i] / this.cellSize), Math.floor(ys[i] / this.cellSize));
      let list = this.cells.get(key);
      if (!list) this.cells.set(key, (list = []));
      list.push(i);
    }
  }

  /** Index of the point nearest (x, y) within `radius` pixels, or -1. Ties go to the higher index (drawn later, so on top). */
  nearest(x: number, y: number, radius: number): number {
    const r = Math.max(0, radius);
    const c0 = Math.floor((x - r) / this.cellSize);
    const c1 = Math.floor((x + r) / this.cellSize);
    const r0 = Math.floor((y - r) / this.cellSize);
    const r1 = Math.floor((y + r) / this.cellSize);
    let best = -1;
    let bestD = r * r;
    for (let cy = r0; cy <= r1; cy++) {
      for (let cx = c0; cx <= c1; cx++) {
        const list = this.cells.get(this.key(cx, cy));
        if (!list) continue;
        for (const i of list) {
          const dx = this.xs[i] - x;
          const dy = this.ys[i] - y;
          const d = dx * dx + dy * dy;
          // Later points are drawn on top, so on equal distance the later one is what the user sees.
          if (d < bestD || (d === bestD && i > best)) {
            best = i;
            bestD = d;
          }
        }
      }
    }
    return best;
  }

  // Cells outside [0, cols) may share a key with another row: that only adds candidates
  // (distances are exact), it never hides a point, because a point is filed under this same key.
  private key(cx: number, cy: number): number {
    return cy * this.cols + cx;
  }
}

/** Brute-force reference for tests and tiny sets: same contract as PointGrid.nearest. */
export function nearestLinear(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number, y: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    const d = (xs[i] - x) ** 2 + (ys[i] - y) ** 2;
    if (d < bestD || (d === bestD && i > best)) {
      best = i;
      bestD = d;
    }
  }
  return best;
}
