/**
 * #map: the 2-D projection of every item as a scatter plot, one colour and marker shape per
 * cluster. Hover shows the item's name and cluster, click selects it (selectItem), double
 * click opens it (openItem). Canvas is sized for devicePixelRatio and redrawn on resize and
 * theme changes. Keyboard users get the same items through #map-list (mapList.ts).
 */
import type { WebviewSession } from '../../src/protocol/webview';
import { prepareCanvas } from '../canvas';
import { clusterName, clusterSwatch, NO_CLUSTER_NAME, noClusterSwatch } from '../clusterStyle';
import { h, replace } from '../dom';
import { toCss } from '../lib/color';
import { formatCount, formatSigned } from '../lib/format';
import { PointGrid } from '../lib/hitTest';
import { countNoCluster, NO_CLUSTER, shownClusters } from '../lib/membership';
import { clusterColor, clusterShape, markerPathData, noClusterPathData, type MarkerShape } from '../lib/palette';
import { equalAspect, extentOf, linearScale, padExtent } from '../lib/plotScale';
import { IDENTITY, panBy, zoomAt, type ViewTransform } from '../lib/viewTransform';
import type { ThemeColors } from '../theme';

export interface MapCallbacks {
  select(index: number): void;
  open(index: number): void;
}

const PAD = 12;
const HIT_RADIUS = 9;

export class MapView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly wrap: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly legend: HTMLElement;
  private session: WebviewSession | undefined;
  /** Per item: its cluster, NO_CLUSTER for a document without a usable word (drawn neutral, never as a member). */
  private shown: number[] = [];
  private count = 0;
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);
  private grid: PointGrid | undefined;
  private selected = -1;
  private active = -1;
  private hover = -1;
  private cluster: number | undefined;
  private view: ViewTransform = IDENTITY;
  private readonly resetButton: HTMLButtonElement;
  /** Pointer-drag state: a drag pans the view and suppresses the click that ends it. */
  private drag: { x: number; y: number; moved: boolean } | undefined;
  private suppressClick = false;

  constructor(
    private readonly callbacks: MapCallbacks,
    private theme: ThemeColors,
  ) {
    this.canvas = h('canvas', { id: 'map', role: 'img', 'aria-label': 'Cluster map', 'aria-describedby': 'map-list-hint' });
    this.tooltip = h('div', { class: 'map-tooltip', role: 'tooltip', hidden: true });
    const zoomButton = (icon: string, label: string, action: () => void): HTMLButtonElement => {
      const b = h('button', { class: 'icon-button map-zoom', type: 'button', 'aria-label': label, title: label }, h('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }));
      b.addEventListener('click', action);
      return b;
    };
    const centre = (f: number) => (): void => this.setView(zoomAt(this.view, this.wrap.clientWidth / 2, this.canvasHeight() / 2, f));
    this.resetButton = zoomButton('screen-normal', 'Reset zoom', () => this.setView(IDENTITY));
    this.resetButton.hidden = true;
    const controls = h('div', { class: 'map-controls', role: 'group', 'aria-label': 'Map zoom', title: 'Zoom: these buttons or Ctrl + mouse wheel; drag to pan when zoomed in' }, zoomButton('zoom-in', 'Zoom in', centre(1.5)), zoomButton('zoom-out', 'Zoom out', centre(1 / 1.5)), this.resetButton);
    this.wrap = h('div', { class: 'map-canvas-wrap' }, this.canvas, this.tooltip, controls);
    this.legend = h('ul', { class: 'map-legend', 'aria-label': 'Clusters on the map' });
    this.element = h('div', { class: 'map-view' }, this.wrap, this.legend);

    // Pointer moves arrive faster than frames: handle only the latest one per frame.
    let pendingMove: MouseEvent | undefined;
    this.canvas.addEventListener('mousemove', (e) => {
      if (pendingMove === undefined) requestAnimationFrame(() => {
        const ev = pendingMove;
        pendingMove = undefined;
        if (ev) this.onHover(ev);
      });
      pendingMove = e;
    });
    this.canvas.addEventListener('mouseleave', () => this.setHover(-1, 0, 0));
    this.canvas.addEventListener('click', (e) => {
      if (this.suppressClick) {
        this.suppressClick = false;
        return;
      }
      const i = this.hitAt(e);
      if (i >= 0) this.callbacks.select(i);
    });
    // Ctrl/Cmd + wheel (and trackpad pinch, which Chromium reports the same way) zooms;
    // a plain wheel keeps scrolling the panel, so the map never traps the page scroll.
    this.canvas.addEventListener('wheel', (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const rect = this.canvas.getBoundingClientRect();
      this.setView(zoomAt(this.view, e.clientX - rect.left, e.clientY - rect.top, Math.exp(-e.deltaY * 0.0015)));
    }, { passive: false });
    this.canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || this.view.k === 1) return;
      this.drag = { x: e.clientX, y: e.clientY, moved: false };
      this.canvas.setPointerCapture(e.pointerId);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (!d) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.hypot(dx, dy) < 4) return; // a click, not a drag
      d.moved = true;
      d.x = e.clientX;
      d.y = e.clientY;
      this.canvas.classList.add('panning');
      this.setView(panBy(this.view, dx, dy));
    });
    const endDrag = (): void => {
      if (this.drag?.moved) this.suppressClick = true;
      this.drag = undefined;
      this.canvas.classList.remove('panning');
    };
    this.canvas.addEventListener('pointerup', endDrag);
    this.canvas.addEventListener('pointercancel', endDrag);
    this.canvas.addEventListener('dblclick', (e) => {
      const i = this.hitAt(e);
      if (i >= 0) this.callbacks.open(i);
    });
    new ResizeObserver(() => this.draw()).observe(this.wrap);
  }

  private drawQueued = false;

  /** Coalesces the redraws several setters ask for in one task into a single frame. */
  private requestDraw(): void {
    if (this.drawQueued) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.draw();
    });
  }

  setSession(session: WebviewSession): void {
    if (this.session?.sessionId !== session.sessionId) this.view = IDENTITY;
    this.resetButton.hidden = this.view.k === 1;
    this.session = session;
    this.shown = shownClusters(session.assignments, session.memberStatus);
    this.count = Math.min(session.itemNames.length, session.assignments.length, Math.floor(session.projection.length / 2));
    const k = session.clusters.length;
    const none = countNoCluster(this.shown);
    this.canvas.setAttribute(
      'aria-label',
      `Cluster map: ${formatCount(this.count)} items in ${k} clusters, 2-D projection. Use the item list below to browse with the keyboard.`,
    );
    replace(
      this.legend,
      ...session.clusters.map((c) => h('li', null, clusterSwatch(c.index), h('span', { class: 'legend-name' }, clusterName(c.index, c.label)), h('span', { class: 'legend-size' }, formatCount(c.size)))),
      none > 0 ? h('li', { class: 'legend-no-cluster' }, noClusterSwatch(), h('span', { class: 'legend-name' }, NO_CLUSTER_NAME), h('span', { class: 'legend-size' }, formatCount(none))) : null,
    );
    this.draw();
  }

  setSelected(index: number): void {
    this.selected = index;
    this.requestDraw();
  }

  /** The listbox's active option, outlined on the map so keyboard users see where it is. */
  setActive(index: number): void {
    this.active = index;
    this.requestDraw();
  }

  /** Emphasise one cluster (others dimmed); undefined shows all equally. */
  setCluster(cluster: number | undefined): void {
    this.cluster = cluster;
    this.requestDraw();
  }

  setTheme(theme: ThemeColors): void {
    this.theme = theme;
    this.requestDraw();
  }

  private setView(v: ViewTransform): void {
    this.view = v;
    this.resetButton.hidden = v.k === 1;
    this.canvas.classList.toggle('zoomed', v.k !== 1);
    this.requestDraw();
  }

  private canvasHeight(): number {
    return Math.round(Math.min(440, Math.max(220, this.wrap.clientWidth * 0.62)));
  }

  draw(): void {
    const width = this.wrap.clientWidth;
    if (width <= 0) return; // Hidden: the ResizeObserver redraws once it has a size.
    const height = this.canvasHeight();
    const ctx = prepareCanvas(this.canvas, width, height);
    if (!ctx || !this.session) return;
    const s = this.session;
    const n = this.count;

    const fitted = equalAspect(padExtent(extentOf(s.projection, 2, 0), 0.04), padExtent(extentOf(s.projection, 2, 1), 0.04), width - 2 * PAD, height - 2 * PAD);
    const { k, tx, ty } = this.view;
    const bx = linearScale(fitted.x.min, fitted.x.max, PAD, width - PAD);
    const by = linearScale(fitted.y.min, fitted.y.max, height - PAD, PAD);
    const sx = (v: number): number => bx(v) * k + tx;
    const sy = (v: number): number => by(v) * k + ty;
    this.xs = new Float64Array(n);
    this.ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.xs[i] = sx(s.projection[2 * i]);
      this.ys[i] = sy(s.projection[2 * i + 1]);
    }
    this.grid = new PointGrid(this.xs, this.ys, 16, width);

    const radius = n < 300 ? 4.5 : n < 2000 ? 3.5 : 2.6;
    const hc = this.theme.kind === 'high-contrast' || this.theme.kind === 'high-contrast-light';
    const paths = new Map<MarkerShape, Path2D>();
    const noClusterPath = new Path2D(noClusterPathData(radius));
    const muted = toCss(this.theme.muted);
    const pathFor = (shape: MarkerShape): Path2D => {
      let p = paths.get(shape);
      if (!p) paths.set(shape, (p = new Path2D(markerPathData(shape, radius))));
      return p;
    };
    const dpr = Math.max(1, window.devicePixelRatio || 1);
    const outline = toCss(this.theme.background);

    // Dimmed clusters first, then the emphasised one, so it is never hidden underneath.
    const passes = this.cluster === undefined ? [undefined] : ['others', 'focus'];
    for (const pass of passes) {
      for (let i = 0; i < n; i++) {
        const c = this.shown[i];
        if (pass === 'others' && c === this.cluster) continue;
        if (pass === 'focus' && c !== this.cluster) continue;
        if (this.xs[i] < -radius || this.xs[i] > width + radius || this.ys[i] < -radius || this.ys[i] > height + radius) continue;
        ctx.setTransform(dpr, 0, 0, dpr, dpr * this.xs[i], dpr * this.ys[i]);
        ctx.globalAlpha = pass === 'others' ? 0.16 : 0.9;
        if (c === NO_CLUSTER) {
          // In no cluster: a muted ring with a slash (the tree's "No usable words" icon), not filled.
          ctx.lineWidth = 1.3;
          ctx.strokeStyle = muted;
          ctx.stroke(noClusterPath);
          continue;
        }
        const p = pathFor(clusterShape(c));
        ctx.fillStyle = clusterColor(c, this.theme.kind);
        ctx.fill(p);
        if (hc || n < 300) {
          ctx.lineWidth = hc ? 1 : 0.75;
          ctx.strokeStyle = hc ? toCss(this.theme.foreground) : outline;
          ctx.stroke(p);
        }
      }
    }
    ctx.globalAlpha = 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.ring(ctx, this.active, radius + 5, toCss(this.theme.muted), [3, 2]);
    this.ring(ctx, this.hover, radius + 3, toCss(this.theme.foreground), []);
    this.ring(ctx, this.selected, radius + 4, toCss(this.theme.focus), [], 2.5);
  }

  private ring(ctx: CanvasRenderingContext2D, i: number, r: number, color: string, dash: number[], width = 1.5): void {
    if (i < 0 || i >= this.count) return;
    ctx.save();
    ctx.setLineDash(dash);
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.beginPath();
    ctx.arc(this.xs[i], this.ys[i], r, 0, Math.PI * 2);
    ctx.stroke();
    ctx.restore();
  }

  private hitAt(e: MouseEvent): number {
    if (!this.grid) return -1;
    const rect = this.canvas.getBoundingClientRect();
    return this.grid.nearest(e.clientX - rect.left, e.clientY - rect.top, HIT_RADIUS);
  }

  private onHover(e: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    this.setHover(this.hitAt(e), e.clientX - rect.left, e.clientY - rect.top);
  }

  private setHover(i: number, x: number, y: number): void {
    const changed = i !== this.hover;
    this.hover = i;
    this.canvas.classList.toggle('over-point', i >= 0);
    if (i < 0 || !this.session) {
      this.tooltip.hidden = true;
      if (changed) this.requestDraw();
      return;
    }
    const s = this.session;
    const c = this.shown[i];
    const cluster = s.clusters.find((k) => k.index === c);
    replace(
      this.tooltip,
      h('div', { class: 'tooltip-title' }, s.itemNames[i]),
      c === NO_CLUSTER ? h('div', { class: 'tooltip-line' }, noClusterSwatch(), ' ', NO_CLUSTER_NAME) : h('div', { class: 'tooltip-line' }, clusterSwatch(c), ' ', clusterName(c, cluster?.label)),
      s.evidence[i] !== undefined && c !== NO_CLUSTER ? h('div', { class: 'tooltip-line muted' }, `evidence ${formatSigned(s.evidence[i])}`) : null,
    );
    this.tooltip.hidden = false;
    // Keep the tooltip inside the plot: flip to the other side of the pointer near edges.
    const tw = this.tooltip.offsetWidth;
    const th = this.tooltip.offsetHeight;
    const w = this.wrap.clientWidth;
    const left = x + 14 + tw > w ? Math.max(0, x - 14 - tw) : x + 14;
    const top = y + 14 + th > this.wrap.clientHeight ? Math.max(0, y - 14 - th) : y + 14;
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${top}px`;
    if (changed) this.requestDraw();
  }
}
