/**
 * Where an image-like table's pixels go: the columns of one numbered series (`p0 … p63`,
 * `pixel1 … pixel784`) whose count is a square, in index order = row-major. Constant pixels
 * (left out of the features) are still pixels. Shared by the panel, the tree's tooltips and the
 * engine client; no `vscode` import.
 */
import { MIN_IMAGE_COLUMNS, numberedName } from '../engine/data/imageScaling';

export interface ImageLayout {
  readonly side: number;
  /** side² column names, row-major. */
  readonly columns: readonly string[];
}

/** The image layout of a table with these column names, or undefined. */
export function imageLayoutOf(names: readonly string[]): ImageLayout | undefined {
  const series = new Map<string, { index: number; name: string }[]>();
  for (const name of names) {
    const m = numberedName(name);
    if (!m) continue;
    const list = series.get(m.prefix) ?? [];
    list.push({ index: m.index, name });
    series.set(m.prefix, list);
  }
  let best: { index: number; name: string }[] | undefined;
  for (const list of series.values()) if (!best || list.length > best.length) best = list;
  if (!best || best.length < MIN_IMAGE_COLUMNS) return undefined;
  const side = Math.round(Math.sqrt(best.length));
  if (side * side !== best.length) return undefined;
  best.sort((a, b) => a.index - b.index);
  // Consecutive indices (from 0 or 1): anything else is not a grid we can lay out.
  const first = best[0]!.index;
  if (first > 1 || best.some((p, i) => p.index !== first + i)) return undefined;
  return { side, columns: best.map((p) => p.name) };
}
