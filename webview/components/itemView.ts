/**
 * #item: the selected item's explanation. Header: name, cluster, evidence, probability and
 * an Open button (unless no editor can show the item); then the body by data kind: highlighted text (documents), a pixel heatmap
 * plus column bars (image-like tables) or column bars (other tables).
 */
import type { WebviewItem, WebviewSession } from '../../src/protocol/webview';
import { clusterName, clusterSwatch } from '../clusterStyle';
import { announce, button, h, replace } from '../dom';
import { formatPercent, formatSigned } from '../lib/format';
import type { ThemeColors } from '../theme';
import { renderColumns } from './columnBars';
import { renderPixels, type PixelView } from './pixelHeatmap';
import { renderText } from './textExplanation';

export interface ItemCallbacks {
  open(index: number): void;
  showAllColumnsChanged(showAll: boolean): void;
}

export class ItemView {
  readonly element: HTMLElement;
  private pixels: PixelView | undefined;

  constructor(private readonly callbacks: ItemCallbacks) {
    this.element = h('section', { id: 'item', class: 'panel-section', 'aria-label': 'Selected item', 'aria-busy': 'false' });
    this.showPlaceholder('Select a point on the map, an item in the list or a cluster member to see why it belongs to its cluster.');
  }

  showPlaceholder(text: string): void {
    this.pixels = undefined;
    replace(this.element, h('h2', { class: 'section-title' }, h('span', { class: 'codicon codicon-symbol-misc', 'aria-hidden': 'true' }), 'Explanation'), h('p', { class: 'placeholder muted' }, text));
  }

  /** Marks the view as waiting for the host's explanation of `name`. */
  showLoading(name: string): void {
    this.element.setAttribute('aria-busy', 'true');
    this.element.classList.add('loading');
    const status = this.element.querySelector('.item-status');
    if (status) replace(status, h('span', { class: 'codicon codicon-loading codicon-modifier-spin', 'aria-hidden': 'true' }), ` Explaining ${name}…`);
    else this.showPlaceholder(`Explaining ${name}…`);
  }

  /** The host answered with an error instead of an item: stop showing "Explaining…". */
  cancelLoading(): void {
    this.element.setAttribute('aria-busy', 'false');
    this.element.classList.remove('loading');
    const status = this.element.querySelector('.item-status');
    if (status) status.textContent = '';
  }

  render(item: WebviewItem, session: WebviewSession | undefined, showAllColumns: boolean, theme: ThemeColors): void {
    this.element.setAttribute('aria-busy', 'false');
    this.element.classList.remove('loading');
    const name = clusterName(item.cluster, item.clusterLabel);
    // An item no editor can show (a Parquet row or text cell) is shown here only: no Open button.
    const open = item.panelOnly ? null : button('Open', () => this.callbacks.open(item.index), { icon: 'go-to-file', secondary: true, title: `Open ${item.name} in the editor` });
    const header = h(
      'header',
      { class: 'item-header' },
      h('h2', { class: 'section-title item-title' }, h('span', { class: 'codicon codicon-symbol-misc', 'aria-hidden': 'true' }), h('span', { class: 'item-name', title: item.name }, item.name)),
      h(
        'div',
        { class: 'item-meta' },
        h('span', { class: 'item-cluster' }, clusterSwatch(item.cluster), ' ', name),
        item.notExplained !== undefined
          ? h('span', { class: 'meta item-not-explained' }, h('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }), ` not explained: ${item.notExplained}`)
          : h('span', { class: 'meta' }, h('span', { class: 'meta-key' }, 'evidence '), h('span', { class: 'item-evidence' }, formatSigned(item.evidence))),
        h('span', { class: 'meta' }, h('span', { class: 'meta-key' }, 'p '), formatPercent(item.probability)),
        h('span', { class: 'item-status muted', role: 'status' }),
        open,
      ),
    );
    const legend = h(
      'p',
      { class: 'relevance-legend' },
      h('span', { class: 'legend-entry' }, h('span', { class: 'legend-dot pos', 'aria-hidden': 'true' }), `evidence for ${name}`),
      h('span', { class: 'legend-entry' }, h('span', { class: 'legend-dot neg', 'aria-hidden': 'true' }), 'evidence against (for a competitor)'),
      item.segments && item.segments.length > 0 ? stepScale() : null,
    );

    const body: (HTMLElement | null)[] = [];
    this.pixels = undefined;
    if (item.segments && item.segments.length > 0) {
      body.push(renderText(item));
    } else if (item.columns && item.columns.length > 0) {
      const side = session?.imageSide;
      if (side !== undefined && side >= 2) {
        this.pixels = renderPixels(item, side, session?.units ?? [], session?.imageColumns, theme);
        if (this.pixels) body.push(this.pixels.element);
      }
      body.push(renderColumns(item, showAllColumns, (v) => this.callbacks.showAllColumnsChanged(v)));
    } else {
      body.push(h('p', { class: 'muted' }, 'The host sent no word or column relevance for this item.'));
    }
    // Which question the numbers answer (the first-layer rule's root point).
    const question = session?.question ? h('p', { class: 'item-question muted' }, session.question) : null;
    replace(this.element, header, legend, question, ...body);
    announce(`Explanation of ${item.name}: ${name}, ${item.notExplained !== undefined ? `not explained: ${item.notExplained}` : `evidence ${formatSigned(item.evidence)}`}.`);
  }

  redraw(theme: ThemeColors): void {
    this.pixels?.redraw(theme);
  }
}

/** The five highlight strengths per sign, as the text uses them (|R| relative to the document's largest). */
function stepScale(): HTMLElement {
  const swatches = (sign: 'pos' | 'neg'): HTMLElement[] => [5, 4, 3, 2, 1].map((k) => h('span', { class: `token ${sign} s${k} step-swatch` }));
  return h(
    'span',
    { class: 'legend-entry step-scale', 'aria-hidden': 'true', title: 'Highlight strength ∝ |relevance|, relative to the largest in this document' },
    ...swatches('neg'),
    h('span', { class: 'step-zero' }, '0'),
    ...swatches('pos').reverse(),
  );
}
