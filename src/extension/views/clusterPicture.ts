/**
 * A cluster of an image-like table as one picture for Markdown tooltips: its mean image (ink on
 * white, 0 = white) and, beside it, its relevance map (red: evidence for the cluster, blue:
 * against, white: none; the colours of the light theme's highlights), one PNG.
 */
import type { ClusterImage } from '../clusterImages';
import { pngDataUri, pngOfGrid, type Rgb } from './pngImage';

const CELL = 10;
const WHITE: Rgb = [255, 255, 255];
const FOR: Rgb = [211, 47, 47];
const AGAINST: Rgb = [21, 101, 192];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.max(0, Math.min(1, t));
  return [Math.round(a[0] + (b[0] - a[0]) * u), Math.round(a[1] + (b[1] - a[1]) * u), Math.round(a[2] + (b[2] - a[2]) * u)];
}

/** data: URI of the mean image and the relevance map side by side (one blank column between). */
export function clusterPictureUri(image: ClusterImage): string {
  const side = image.side;
  let low = Infinity;
  let high = -Infinity;
  for (const v of image.mean) {
    if (!Number.isFinite(v)) continue;
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  if (!(high > low)) [low, high] = [0, 1];
  let scale = 0;
  for (const r of image.relevance) scale = Math.max(scale, Math.abs(r));
  const png = pngOfGrid(2 * side + 1, side, CELL, (x, y) => {
    if (x === side) return WHITE;
    if (x < side) {
      const v = image.mean[y * side + x]!;
      return Number.isFinite(v) ? mix(WHITE, [0, 0, 0], (v - low) / (high - low)) : WHITE;
    }
    const r = image.relevance[y * side + (x - side - 1)]!;
    if (!(scale > 0) || r === 0) return WHITE;
    return r > 0 ? mix(WHITE, FOR, r / scale) : mix(WHITE, AGAINST, -r / scale);
  });
  return pngDataUri(png);
}
