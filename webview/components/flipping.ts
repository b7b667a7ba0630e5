/**
 * #flipping: feature-flipping curves (neon-method.md "Judging an explanation", paper Fig. 5).
 * Features are removed in order of decreasing relevance and f_c recomputed; a faithful
 * explanation makes the curve fall fast, so a smaller area under it is better. Curves are an
 * SVG built with createElementNS (styled by class, distinguished by dash pattern as well as
 * colour); the table gives each method's area and cost.
 */
import type { WebviewFlipping } from '../../src/protocol/webview';
import { h, replace, svg } from '../dom';
import { formatMs, formatNumber, methodName } from '../lib/format';
import { linearScale, niceTicks } from '../lib/plotScale';

const M = { left: 46, right: 14, top: 12, bottom: 36 };

export class FlippingView {
  readonly element: HTMLElement;
  private readonly figure: HTMLElement;
  private rows: readonly WebviewFlipping[] = [];
  private width = 0;

  constructor() {
    this.element = h('section', { id: 'flipping', class: 'panel-section', 'aria-label': 'Feature flipping', hidden: true });
    this.figure = h('figure', { class: 'flipping-chart' });
    // The chart is drawn at its on-screen width (not scaled), so its text stays legible.
    new ResizeObserver(() => {
      const w = Math.floor(this.figure.clientWidth);
      if (w > 0 && w !== this.width) {
        this.width = w;
        this.drawChart();
      }
    }).observe(this.figure);
  }

  private drawChart(): void {
    if (this.rows.length === 0) return;
    const w = Math.max(260, Math.min(760, this.width || 520));
    replace(this.figure, chart(this.rows, w, Math.round(Math.min(260, Math.max(180, w * 0.42)))), legend(this.rows));
  }

  render(results: readonly WebviewFlipping[] | undefined): void {
    const rows = (results ?? []).filter((r) => r.curve.length > 0);
    this.rows = rows;
    if (rows.length === 0) {
      this.element.hidden = true;
      replace(this.element);
      return;
    }
    this.element.hidden = false;
    const best = Math.min(...rows.map((r) => r.area));
    replace(
      this.element,
      h('h2', { class: 'section-title' }, h('span', { class: 'codicon codicon-graph-line', 'aria-hidden': 'true' }), 'Feature flipping'),
      h('p', { class: 'hint' }, 'Features are removed in order of decreasing relevance and the cluster score f_c is recomputed. A faithful explanation removes the evidence fastest: lower area is better.'),
      h('div', { class: 'flipping-layout' }, this.figure, table(rows, best)),
    );
    this.drawChart();
  }
}

function chart(rows: readonly WebviewFlipping[], W: number, H: number): SVGSVGElement {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) for (const v of r.curve) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(lo <= hi)) { lo = 0; hi = 1; }
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const yTicks = niceTicks(Math.min(0, lo), hi, 4);
  const y0 = Math.min(yTicks[0] ?? lo, lo);
  const y1 = Math.max(yTicks[yTicks.length - 1] ?? hi, hi);
  const x = linearScale(0, 1, M.left, W - M.right);
  const y = linearScale(y0, y1, H - M.bottom, M.top);

  const root = svg('svg', { class: 'flip-svg', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Feature flipping curves for ${rows.map((r) => methodName(r.method)).join(', ')}; areas are listed in the table` });
  const grid = svg('g', { class: 'grid' });
  for (const t of yTicks) {
    grid.appendChild(svg('line', { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }));
    grid.appendChild(svg('text', { x: M.left - 6, y: y(t), class: 'tick y' }, formatNumber(t, 2)));
  }
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    grid.appendChild(svg('text', { x: x(t), y: H - M.bottom + 14, class: 'tick x' }, `${Math.round(t * 100)}%`));
  }
  root.appendChild(grid);
  root.appendChild(svg('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: y(Math.max(y0, Math.min(0, y1))), y2: y(Math.max(y0, Math.min(0, y1))) }));
  root.appendChild(svg('text', { class: 'axis-title', x: (M.left + W - M.right) / 2, y: H - 4 }, 'features removed (most relevant first)'));
  root.appendChild(svg('text', { class: 'axis-title', x: 12, y: (M.top + H - M.bottom) / 2, transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})` }, 'f_c'));

  rows.forEach((r, s) => {
    const n = r.curve.length;
    const pts = r.curve.map((v, i) => `${x(n === 1 ? 0 : i / (n - 1)).toFixed(1)},${y(Number.isFinite(v) ? v : y0).toFixed(1)}`).join(' ');
    root.appendChild(svg('polyline', { class: `series series-${s % 6}${isNeon(r.method) ? ' neon' : ''}`, points: pts }, svg('title', null, `${methodName(r.method)}: area ${formatNumber(r.area)}`)));
  });
  return root;
}

function legend(rows: readonly WebviewFlipping[]): HTMLElement {
  return h(
    'figcaption',
    { class: 'flip-legend' },
    ...rows.map((r, s) =>
      h('span', { class: 'legend-item' }, svg('svg', { width: 26, height: 10, 'aria-hidden': 'true', class: 'legend-line' }, svg('line', { x1: 1, x2: 25, y1: 5, y2: 5, class: `series series-${s % 6}${isNeon(r.method) ? ' neon' : ''}` })), methodName(r.method)),
    ),
  );
}

function table(rows: readonly WebviewFlipping[], best: number): HTMLElement {
  const sorted = [...rows].sort((a, b) => a.area - b.area);
  return h(
    'table',
    { class: 'data-table flip-table' },
    h('caption', { class: 'visually-hidden' }, 'Area under the feature-flipping curve per method (lower is better) and time per explanation'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Method'), h('th', { scope: 'col', class: 'num' }, 'Area ↓'), h('th', { scope: 'col', class: 'num' }, 'ms / explanation'))),
    h(
      'tbody',
      null,
      ...sorted.map((r) =>
        h(
          'tr',
          { class: r.area === best ? 'best' : null },
          h('th', { scope: 'row' }, methodName(r.method), r.area === best ? h('vscode-badge', { class: 'best-badge' }, 'best') : null),
          h('td', { class: 'num' }, formatNumber(r.area)),
          h('td', { class: 'num' }, formatMs(r.msPerExplanation)),
        ),
      ),
    ),
  );
}

function isNeon(method: string): boolean {
  return /neon/i.test(method);
}
