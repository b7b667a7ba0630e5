/**
 * #flipping: how faithful each explanation method is (neon-method.md "Judging an explanation";
 * issue 13). Every method's explanation of the sampled rows is tested by moving features toward
 * a reference, most relevant first:
 *  - deletion: x → reference; a faithful explanation makes the score f_c fall fast (lower area);
 *  - insertion: reference → x; it makes f_c rise fast (higher area).
 * Three references are measured (data mean, nearest competitor's centroid, a random row of
 * another cluster), because each favours a different root point: the section names the
 * reference of every curve, lets the user pick one (a radio group of real buttons, keyboard
 * accessible), draws the four methods' curves for it as an SVG built with createElementNS
 * (styled by class, told apart by dash pattern as well as colour), and lists every
 * reference's areas in tables. Results from before references existed are one 'data mean'
 * deletion set.
 */
import type { WebviewFlipping } from '../../src/protocol/webview';
import { append, h, replace, svg } from '../dom';
import { formatMs, formatNumber, methodName } from '../lib/format';
import { linearScale, niceTicks } from '../lib/plotScale';

const M = { left: 46, right: 14, top: 12, bottom: 36 };

type Direction = 'deletion' | 'insertion';

interface Curve extends WebviewFlipping {
  readonly reference: string;
  readonly referenceName: string;
  readonly direction: Direction;
}

function normalise(f: WebviewFlipping): Curve {
  return {
    ...f,
    reference: f.reference ?? 'mean',
    referenceName: f.referenceName ?? 'data mean',
    direction: f.direction === 'insertion' ? 'insertion' : 'deletion',
  };
}

export class FlippingView {
  readonly element: HTMLElement;
  private readonly figure: HTMLElement;
  private curves: readonly Curve[] = [];
  private reference = 'mean';
  private direction: Direction = 'deletion';
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

  render(results: readonly WebviewFlipping[] | undefined, question?: string): void {
    const curves = (results ?? []).filter((r) => r.curve.length > 0).map(normalise);
    this.curves = curves;
    if (curves.length === 0) {
      this.element.hidden = true;
      replace(this.element);
      return;
    }
    const references = this.references();
    if (!references.some((r) => r.id === this.reference)) this.reference = references[0].id;
    if (!curves.some((c) => c.direction === this.direction)) this.direction = curves[0].direction;
    this.element.hidden = false;
    this.build(question);
  }

  /** References present, in the engine's order, with their names. */
  private references(): { id: string; name: string }[] {
    const seen = new Map<string, string>();
    for (const c of this.curves) if (!seen.has(c.reference)) seen.set(c.reference, c.referenceName);
    return [...seen].map(([id, name]) => ({ id, name }));
  }

  private build(question: string | undefined): void {
    const references = this.references();
    const directions = [...new Set(this.curves.map((c) => c.direction))];
    const refGroup = segmented(
      'Reference the features are moved toward',
      references.map((r) => ({ id: r.id, label: r.name })),
      this.reference,
      (id) => {
        this.reference = id;
        this.build(question);
      },
    );
    const dirGroup =
      directions.length > 1
        ? segmented(
            'Curve',
            directions.map((d) => ({ id: d, label: d === 'deletion' ? 'Deletion ↓' : 'Insertion ↑', title: d === 'deletion' ? 'Most relevant features removed first: a faithful explanation makes f_c fall fast (lower area is better)' : 'Most relevant features put back into the reference first: a faithful explanation makes f_c rise fast (higher area is better)' })),
            this.direction,
            (id) => {
              this.direction = id as Direction;
              this.build(question);
            },
          )
        : null;
    const refName = references.find((r) => r.id === this.reference)?.name ?? this.reference;
    replace(
      this.element,
      h('h2', { class: 'section-title' }, h('span', { class: 'codicon codicon-graph-line', 'aria-hidden': 'true' }), 'Feature flipping'),
      h(
        'p',
        { class: 'hint' },
        'Each method explains the same rows; features are then moved toward a reference, most relevant first. Deletion: the cluster score f_c should fall fast (lower area is better). Insertion: starting from the reference, f_c should rise fast (higher area is better). Each reference favours a different question, so all three are measured.',
      ),
      question ? h('p', { class: 'hint flip-question' }, h('span', { class: 'meta-key' }, 'NEON answers: '), question) : null,
      h('div', { class: 'flip-controls' }, refGroup, dirGroup),
      h('div', { class: 'flipping-layout' }, this.figure, methodTable(this.curves.filter((c) => c.reference === this.reference), refName)),
      references.length > 1 ? summaryTable(this.curves, references) : null,
    );
    this.drawChart();
  }

  private shown(): Curve[] {
    return this.curves.filter((c) => c.reference === this.reference && c.direction === this.direction);
  }

  private drawChart(): void {
    const rows = this.shown();
    if (rows.length === 0) return;
    const w = Math.max(260, Math.min(760, this.width || 520));
    const refName = rows[0].referenceName;
    replace(this.figure, chart(rows, w, Math.round(Math.min(260, Math.max(180, w * 0.42))), this.direction, refName), legend(rows));
  }
}

/** A radio group of buttons (arrow keys move, Enter/Space or click picks). */
function segmented(label: string, options: readonly { id: string; label: string; title?: string }[], selected: string, pick: (id: string) => void): HTMLElement {
  const group = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': label });
  const buttons = options.map((o) =>
    h('button', { type: 'button', class: `segment${o.id === selected ? ' selected' : ''}`, role: 'radio', 'aria-checked': o.id === selected ? 'true' : 'false', tabindex: o.id === selected ? 0 : -1, title: o.title ?? o.label, 'data-id': o.id }, o.label),
  );
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => pick(options[i].id));
    b.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
      if (step === 0) return;
      e.preventDefault();
      const next = (i + step + options.length) % options.length;
      pick(options[next].id);
      // The group is rebuilt: focus the new selection.
      queueMicrotask(() => (document.querySelector(`#flipping .segmented[aria-label="${label}"] [data-id="${options[next].id}"]`) as HTMLElement | null)?.focus());
    });
  });
  append(group, ...buttons);
  return h('div', { class: 'segmented-wrap' }, h('span', { class: 'segmented-label muted', 'aria-hidden': 'true' }, `${label}:`), group);
}

function chart(rows: readonly Curve[], W: number, H: number, direction: Direction, refName: string): SVGSVGElement {
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

  const what = direction === 'deletion' ? `features moved to the ${refName} (most relevant first)` : `features put back from the ${refName} (most relevant first)`;
  const root = svg('svg', { class: 'flip-svg', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${direction === 'deletion' ? 'Deletion' : 'Insertion'} curves toward the ${refName} for ${rows.map((r) => methodName(r.method)).join(', ')}; areas are listed in the table` });
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
  root.appendChild(svg('text', { class: 'axis-title', x: (M.left + W - M.right) / 2, y: H - 4 }, what));
  root.appendChild(svg('text', { class: 'axis-title', x: 12, y: (M.top + H - M.bottom) / 2, transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})` }, 'f_c'));

  rows.forEach((r, s) => {
    const n = r.curve.length;
    const pts = r.curve.map((v, i) => `${x(n === 1 ? 0 : i / (n - 1)).toFixed(1)},${y(Number.isFinite(v) ? v : y0).toFixed(1)}`).join(' ');
    root.appendChild(svg('polyline', { class: `series series-${s % 6}${isNeon(r.method) ? ' neon' : ''}`, points: pts }, svg('title', null, `${methodName(r.method)}: ${r.direction} area ${formatNumber(r.area)} (${r.referenceName})`)));
  });
  return root;
}

function legend(rows: readonly Curve[]): HTMLElement {
  return h(
    'figcaption',
    { class: 'flip-legend' },
    ...rows.map((r, s) =>
      h('span', { class: 'legend-item' }, svg('svg', { width: 26, height: 10, 'aria-hidden': 'true', class: 'legend-line' }, svg('line', { x1: 1, x2: 25, y1: 5, y2: 5, class: `series series-${s % 6}${isNeon(r.method) ? ' neon' : ''}` })), methodName(r.method)),
    ),
  );
}

/** For the chosen reference: each method's deletion and insertion areas and its cost. */
function methodTable(curves: readonly Curve[], refName: string): HTMLElement {
  const methods = [...new Set(curves.map((c) => c.method))];
  const area = (m: string, d: Direction): number | undefined => curves.find((c) => c.method === m && c.direction === d)?.area;
  const ms = (m: string): number => curves.find((c) => c.method === m)?.msPerExplanation ?? NaN;
  const hasIns = curves.some((c) => c.direction === 'insertion');
  const bestDel = Math.min(...methods.map((m) => area(m, 'deletion') ?? Infinity));
  const bestIns = Math.max(...methods.map((m) => area(m, 'insertion') ?? -Infinity));
  const sorted = [...methods].sort((a, b) => (area(a, 'deletion') ?? Infinity) - (area(b, 'deletion') ?? Infinity));
  const cell = (v: number | undefined, best: number): HTMLElement => h('td', { class: `num${v === best ? ' best-cell' : ''}` }, v === undefined ? '–' : formatNumber(v), v === best ? h('span', { class: 'visually-hidden' }, ' (best)') : null);
  return h(
    'table',
    { class: 'data-table flip-table' },
    h('caption', { class: 'flip-caption' }, `Toward the ${refName}`),
    h(
      'thead',
      null,
      h('tr', null, h('th', { scope: 'col' }, 'Method'), h('th', { scope: 'col', class: 'num', title: 'Deletion area: lower is better' }, 'Deletion ↓'), hasIns ? h('th', { scope: 'col', class: 'num', title: 'Insertion area: higher is better' }, 'Insertion ↑') : null, h('th', { scope: 'col', class: 'num' }, 'ms / expl.')),
    ),
    h(
      'tbody',
      null,
      ...sorted.map((m) =>
        h(
          'tr',
          { class: area(m, 'deletion') === bestDel ? 'best' : null },
          h('th', { scope: 'row' }, methodName(m), area(m, 'deletion') === bestDel ? h('vscode-badge', { class: 'best-badge' }, 'best') : null),
          cell(area(m, 'deletion'), bestDel),
          hasIns ? cell(area(m, 'insertion'), bestIns) : null,
          h('td', { class: 'num' }, formatMs(ms(m))),
        ),
      ),
    ),
  );
}

/** Every reference at a glance: each method's deletion area, and NEON's rank. */
function summaryTable(curves: readonly Curve[], references: readonly { id: string; name: string }[]): HTMLElement {
  const methods = [...new Set(curves.map((c) => c.method))];
  const area = (ref: string, m: string, d: Direction): number | undefined => curves.find((c) => c.reference === ref && c.method === m && c.direction === d)?.area;
  const rank = (ref: string, d: Direction): string => {
    const neon = methods.find(isNeon);
    if (!neon) return '–';
    const v = area(ref, neon, d);
    if (v === undefined) return '–';
    const better = methods.filter((m) => {
      const a = area(ref, m, d);
      return a !== undefined && (d === 'deletion' ? a < v : a > v);
    }).length;
    return `${better + 1} of ${methods.length}`;
  };
  const hasIns = curves.some((c) => c.direction === 'insertion');
  return h(
    'table',
    { class: 'data-table flip-summary' },
    h('caption', { class: 'flip-caption' }, 'Deletion area per reference (lower is better) and NEON’s rank'),
    h(
      'thead',
      null,
      h('tr', null, h('th', { scope: 'col' }, 'Reference'), ...methods.map((m) => h('th', { scope: 'col', class: 'num' }, methodName(m))), h('th', { scope: 'col', class: 'num' }, 'NEON rank ↓'), hasIns ? h('th', { scope: 'col', class: 'num' }, 'NEON rank ↑') : null),
    ),
    h(
      'tbody',
      null,
      ...references.map((r) => {
        const best = Math.min(...methods.map((m) => area(r.id, m, 'deletion') ?? Infinity));
        return h(
          'tr',
          null,
          h('th', { scope: 'row' }, r.name),
          ...methods.map((m) => {
            const v = area(r.id, m, 'deletion');
            return h('td', { class: `num${v === best ? ' best-cell' : ''}` }, v === undefined ? '–' : formatNumber(v));
          }),
          h('td', { class: 'num' }, rank(r.id, 'deletion')),
          hasIns ? h('td', { class: 'num' }, rank(r.id, 'insertion')) : null,
        );
      }),
    ),
  );
}

function isNeon(method: string): boolean {
  return /neon/i.test(method);
}
