/**
 * A cluster of an image-like table in its card: the mean image of its members (ink =
 * foreground on background, as the item's input image) and its mean relevance map (red for the
 * cluster, blue against, as the item's heatmap). Redrawn on theme changes.
 */
import type { WebviewClusterImage } from '../../src/protocol/webview';
import { prepareCanvas } from '../canvas';
import { h } from '../dom';
import { mixRgb, toCss } from '../lib/color';
import { formatSigned } from '../lib/format';
import { divergingColor, maxAbs } from '../lib/relevanceScale';
import type { ThemeColors } from '../theme';

const CELL = 7;

export interface ClusterPictureView {
  readonly element: HTMLElement;
  redraw(theme: ThemeColors): void;
}

export function clusterPicture(image: WebviewClusterImage, clusterLabel: string, theme: ThemeColors): ClusterPictureView {
  const side = image.side;
  const size = side * CELL;
  const finite = image.mean.filter((v) => Number.isFinite(v));
  const low = finite.length > 0 ? Math.min(...finite) : 0;
  const high = finite.length > 0 ? Math.max(...finite) : 1;
  const scale = maxAbs(image.relevance);
  const mean = h('canvas', { class: 'cluster-mean-image', role: 'img', 'aria-label': `Mean image of ${clusterLabel}, ${side} by ${side} pixels` });
  const heat = h('canvas', { class: 'cluster-relevance-map', role: 'img', 'aria-label': `Mean pixel relevance of ${clusterLabel}: red for the cluster, blue against; largest ${formatSigned(scale)}` });
  const redraw = (t: ThemeColors): void => {
    const a = prepareCanvas(mean, size, size);
    if (a) {
      image.mean.forEach((v, i) => {
        const g = Number.isFinite(v) ? (v - low) / (high - low || 1) : 0;
        a.fillStyle = toCss(mixRgb(t.background, t.foreground, g));
        a.fillRect((i % side) * CELL, Math.floor(i / side) * CELL, CELL, CELL);
      });
      a.strokeStyle = toCss(t.border);
      a.strokeRect(0.5, 0.5, size - 1, size - 1);
    }
    const b = prepareCanvas(heat, size, size);
    if (b) {
      image.relevance.forEach((r, i) => {
        b.fillStyle = toCss(divergingColor(r, scale || 1, t.background, t.evidenceFor, t.evidenceAgainst));
        b.fillRect((i % side) * CELL, Math.floor(i / side) * CELL, CELL, CELL);
      });
      b.strokeStyle = toCss(t.border);
      b.strokeRect(0.5, 0.5, size - 1, size - 1);
    }
  };
  redraw(theme);
  const element = h(
    'div',
    { class: 'cluster-picture' },
    h('figure', { class: 'pixel-figure' }, mean, h('figcaption', null, 'Mean image')),
    h('figure', { class: 'pixel-figure' }, heat, h('figcaption', null, 'Relevance')),
  );
  return { element, redraw };
}
