/**
 * Image-like tables (e.g. digits: 64 pixel columns = 8 x 8). The host says the side length
 * (session.imageSide); these helpers pick the pixel columns out of an item's columns and
 * lay their values and relevances out as side x side grids for the heatmap.
 */

export interface ColumnLike {
  readonly name: string;
  readonly value: string;
  readonly relevance: number;
}

/** Side length if `count` is a perfect square of at least 2 x 2, else undefined. */
export function squareSide(count: number): number | undefined {
  if (!Number.isInteger(count) || count < 4) return undefined;
  const s = Math.round(Math.sqrt(count));
  return s * s === count ? s : undefined;
}

/**
 * The side² pixel columns, in row-major order: all columns when there are exactly side²,
 * else those named in `units` (the model's columns) when that gives side², else the first
 * side² columns whose values are numbers. Undefined when no choice fits.
 */
export function pickImageColumns<C extends ColumnLike>(columns: readonly C[], side: number, units: readonly string[] = []): C[] | undefined {
  const n = side * side;
  if (!Number.isInteger(side) || side < 2) return undefined;
  if (columns.length === n) return [...columns];
  if (units.length > 0) {
    const used = new Set(units);
    const named = columns.filter((c) => used.has(c.name));
    if (named.length === n) return named;
  }
  const numeric = columns.filter((c) => c.value.trim() !== '' && Number.isFinite(Number(c.value)));
  return numeric.length >= n ? numeric.slice(0, n) : undefined;
}

/**
 * The pixels named by `imageColumns` (row-major, side² names), taken from `columns` by name;
 * a name with no column (e.g. a constant pixel left out of the features) becomes a blank
 * pixel with relevance 0. Undefined when the list has the wrong length.
 */
export function columnsByName(columns: readonly ColumnLike[], side: number, imageColumns: readonly string[]): ColumnLike[] | undefined {
  if (!Number.isInteger(side) || side < 2 || imageColumns.length !== side * side) return undefined;
  const byName = new Map(columns.map((c) => [c.name, c] as const));
  return imageColumns.map((name) => byName.get(name) ?? { name, value: '', relevance: 0 });
}

/** Pixel values as numbers (NaN for non-numeric) and their min/max, for a grey-scale view. */
export function pixelValues(columns: readonly ColumnLike[]): { values: Float64Array; min: number; max: number } {
  const values = new Float64Array(columns.length);
  let min = Infinity;
  let max = -Infinity;
  columns.forEach((c, i) => {
    const v = c.value.trim() === '' ? NaN : Number(c.value);
    values[i] = v;
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  });
  if (min > max) return { values, min: 0, max: 1 };
  return { values, min, max };
}
