/**
 * Image-like tables (session.imageSide, e.g. 8 x 8 digits): the input as a grey-scale image
 * next to #pixel-heatmap, the pixel relevance in the paper's red (for) / blue (against)
 * diverging map, with a labelled colour scale. Redrawn on theme changes.
 */
import type { WebviewItem } from '../../src/protocol/webview';
import { prepareCanvas } from '../canvas';
import { h } from '../dom';
import { toCss, mixRgb } from '../lib/color';
import { formatSigned } from '../lib/format';
import { columnsByName, pickImageColumns, pixelValues } from '../lib/imageColumns';
import { divergingColor, maxAbs } from '../lib/relevanceScale';
import type { ThemeColors } from '../theme';

const CELL = 18;

export interface PixelView {
  readonly element: HTMLElement;
  redraw(theme: ThemeColors): void;
}

export function renderPixels(item: WebviewItem, side: number, units: readonly string[], imageColumns: readonly string[] | undefined, theme: ThemeColors): PixelView | undefined {
  const cols = (imageColumns ? columnsByName(item.columns ?? [], side, imageColumns) : undefined) ?? pickImageColumns(item.columns ?? [], side, units);
  if (!cols) return undefined;
  const size = side * CELL;
  const scale = maxAbs(cols.map((c) => c.relevance));
  const input = h('canvas', { id: 'pixel-input', role: 'img', 'aria-label': `Input image ${side} by ${side} pixels` });
  const heat = h('canvas', { id: 'pixel-heatmap', role: 'img', 'aria-label': `Pixel relevance ${side} by ${side}: red is evidence for the cluster, blue against; largest magnitude ${formatSigned(scale)}` });
  const scaleBar = h('canvas', { class: 'heat-scale', 'aria-hidden': 'true' });
  const redraw = (t: ThemeColors): void => {
    const { values, min, max } = pixelValues(cols);
    const a = prepareCanvas(input, size, size);
    if (a) {
      for (let i = 0; i < cols.length; i++) {
        const v = values[i];
        const g = Number.isFinite(v) ? (v - min) / (max - min || 1) : 0;
        // Ink = foreground on background: reads right in light and dark themes alike.
        a.fillStyle = toCss(mixRgb(t.background, t.foreground, g));
        a.fillRect((i % side) * CELL, Math.floor(i / side) * CELL, CELL, CELL);
      }
      a.strokeStyle = toCss(t.border);
      a.strokeRect(0.5, 0.5, size - 1, size - 1);
    }
    const b = prepareCanvas(heat, size, size);
    if (b) {
      for (let i = 0; i < cols.length; i++) {
        b.fillStyle = toCss(divergingColor(cols[i].relevance, scale, t.background, t.evidenceFor, t.evidenceAgainst));
        b.fillRect((i % side) * CELL, Math.floor(i / side) * CELL, CELL, CELL);
      }
      b.strokeStyle = toCss(t.border);
      b.strokeRect(0.5, 0.5, size - 1, size - 1);
    }
    const c = prepareCanvas(scaleBar, size, 10);
    if (c) {
      for (let x = 0; x < size; x++) {
        const r = ((x / (size - 1)) * 2 - 1) * (scale || 1);
        c.fillStyle = toCss(divergingColor(r, scale || 1, t.background, t.evidenceFor, t.evidenceAgainst));
        c.fillRect(x, 0, 1, 10);
      }
    }
  };
  redraw(theme);
  // Hover over a pixel: its column name, value and relevance.
  const tip = (e: MouseEvent, el: HTMLCanvasElement): void => {
    const r = el.getBoundingClientRect();
    const i = Math.floor((e.clientY - r.top) / CELL) * side + Math.floor((e.clientX - r.left) / CELL);
    const c = cols[i];
    el.title = c ? `${c.name} = ${c.value === '' ? '(not a feature)' : c.value}, relevance ${formatSigned(c.relevance)}` : '';
  };
  input.addEventListener('mousemove', (e) => tip(e, input));
  heat.addEventListener('mousemove', (e) => tip(e, heat));
  const element = h(
    'div',
    { class: 'pixel-view' },
    h('figure', { class: 'pixel-figure' }, input, h('figcaption', null, 'Input')),
    h(
      'figure',
      { class: 'pixel-figure' },
      heat,
      h('figcaption', null, 'Relevance'),
      scaleBar,
      h('div', { class: 'heat-scale-labels' }, h('span', null, formatSigned(-scale)), h('span', null, '0'), h('span', null, formatSigned(scale))),
    ),
  );
  return { element, redraw };
}
