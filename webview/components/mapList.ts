/**
 * #map-list: the map's items as a keyboard-accessible listbox (the canvas is mouse-only).
 * Windowed: only the rows in view exist in the DOM, so 5000 items cost ~20 elements.
 * Keys: arrows / Page / Home / End move the active option (the map outlines it, and it is
 * selected after a short pause), Space selects now, Enter opens the item in the editor.
 */
import type { WebviewSession } from '../../src/protocol/webview';
import { clusterName, clusterSwatch, NO_CLUSTER_NAME, noClusterSwatch } from '../clusterStyle';
import { h, replace } from '../dom';
import { formatSigned } from '../lib/format';
import { filterItems, listCount, nextActiveIndex, scrollToReveal, visibleRange } from '../lib/listNav';
import { NO_CLUSTER, shownClusters } from '../lib/membership';

export interface MapListCallbacks {
  select(index: number): void;
  open(index: number): void;
  /** The active option changed (item index, -1 for none): the map outlines it. */
  active(index: number): void;
  filterChanged(query: string): void;
  clearCluster(): void;
  /** The list was scrolled (its scrollTop in px), by the user or to reveal an item. */
  scrolled(scrollTop: number): void;
}

/** Must match `.map-option { height }` in panel.css. */
const ROW_HEIGHT = 24;
const SELECT_DELAY_MS = 300;

type TextField = HTMLElement & { value: string };

export class MapListView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly filter: TextField;
  private readonly count: HTMLElement;
  private readonly clusterChip: HTMLElement;
  private session: WebviewSession | undefined;
  /** Per item: its cluster, NO_CLUSTER for a document without a usable word. */
  private shown: number[] = [];
  private visible: number[] = [];
  private activePos = -1;
  private selected = -1;
  private cluster: number | undefined;
  private query = '';
  private selectTimer: ReturnType<typeof setTimeout> | undefined;
  /** The list was focused and no navigation key has been pressed since (see onKey). */
  private revealOnKey = false;
  /** Rendered option elements by item index (only the rows in view). */
  private readonly rows = new Map<number, HTMLElement>();

  constructor(private readonly callbacks: MapListCallbacks) {
    this.filter = h('vscode-textfield', { placeholder: 'Filter items by name', 'aria-label': 'Filter items by name', id: 'map-filter' }) as TextField;
    this.filter.addEventListener('input', () => {
      this.query = this.filter.value ?? '';
      this.callbacks.filterChanged(this.query);
      this.refilter();
    });
    this.clusterChip = h('span', { class: 'filter-chip', hidden: true });
    this.count = h('span', { class: 'map-list-count', 'aria-live': 'polite' });
    this.spacer = h('div', { class: 'map-list-spacer' });
    this.list = h('div', {
      id: 'map-list',
      role: 'listbox',
      tabindex: 0,
      'aria-label': 'Items on the map',
      'aria-describedby': 'map-list-hint',
    }, this.spacer);
    const hint = h('p', { id: 'map-list-hint', class: 'hint' }, 'Arrow keys move through the items, Space selects, Enter opens the item in the editor.');
    this.element = h('div', { class: 'map-list-view' }, h('div', { class: 'map-list-toolbar' }, this.filter, this.clusterChip, this.count), this.list, hint);

    this.list.addEventListener('scroll', () => {
      this.renderRows();
      this.callbacks.scrolled(this.list.scrollTop);
    });
    this.list.addEventListener('click', (e) => {
      const i = this.optionAt(e);
      if (i < 0) return;
      this.setActivePos(this.visible.indexOf(i), false);
      this.callbacks.select(i);
    });
    this.list.addEventListener('dblclick', (e) => {
      const i = this.optionAt(e);
      if (i >= 0) this.callbacks.open(i);
    });
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.list.addEventListener('focus', () => {
      this.revealOnKey = true;
      if (this.activePos < 0 && this.visible.length > 0) this.setActivePos(Math.max(0, this.visible.indexOf(this.selected)), false);
    });
    new ResizeObserver(() => this.renderRows()).observe(this.list);
  }

  setSession(session: WebviewSession, query: string): void {
    this.session = session;
    this.shown = shownClusters(session.assignments, session.memberStatus);
    for (const row of this.rows.values()) row.remove();
    this.rows.clear();
    this.query = query;
    this.filter.value = query;
    this.activePos = -1;
    this.refilter();
  }

  setSelected(index: number): void {
    this.selected = index;
    const pos = this.visible.indexOf(index);
    if (pos >= 0) {
      this.activePos = pos;
      this.list.scrollTop = scrollToReveal(pos, this.list.scrollTop, this.list.clientHeight, ROW_HEIGHT);
    }
    this.renderRows();
  }

  /** Puts the list back where the user left it (a restored panel), clamped to the list's length. */
  scrollTo(scrollTop: number): void {
    this.list.scrollTop = Math.min(Math.max(0, scrollTop), Math.max(0, this.visible.length * ROW_HEIGHT - this.list.clientHeight));
    this.renderRows();
  }

  setCluster(cluster: number | undefined): void {
    this.cluster = cluster;
    this.refilter();
  }

  private refilter(): void {
    const s = this.session;
    if (!s) return;
    const activeItem = this.activePos >= 0 ? this.visible[this.activePos] : -1;
    this.visible = filterItems(s.itemNames, this.shown, this.query, this.cluster);
    this.activePos = this.visible.indexOf(activeItem >= 0 ? activeItem : this.selected);
    this.spacer.style.height = `${this.visible.length * ROW_HEIGHT}px`;
    // The browser clamps scrollTop to the new height lazily; do it now so the rows match.
    this.list.scrollTop = Math.min(this.list.scrollTop, Math.max(0, this.visible.length * ROW_HEIGHT - this.list.clientHeight));
    const count = listCount(this.visible.length, s.itemNames.length, s.itemCount ?? s.itemNames.length);
    this.count.textContent = count.text;
    this.count.title = count.title;
    if (this.cluster === undefined) {
      this.clusterChip.hidden = true;
    } else {
      const label = s.clusters.find((c) => c.index === this.cluster)?.label;
      const clear = h('button', { class: 'chip-clear', type: 'button', 'aria-label': 'Show all clusters', title: 'Show all clusters' }, h('span', { class: 'codicon codicon-close', 'aria-hidden': 'true' }));
      clear.addEventListener('click', () => this.callbacks.clearCluster());
      // The name is cut with an ellipsis (full name in its tooltip), never the × after it.
      const name = clusterName(this.cluster, label);
      replace(this.clusterChip, clusterSwatch(this.cluster), h('span', { class: 'chip-label', title: name }, name), clear);
      this.clusterChip.hidden = false;
    }
    if (this.activePos >= 0) this.list.scrollTop = scrollToReveal(this.activePos, this.list.scrollTop, this.list.clientHeight, ROW_HEIGHT);
    this.renderRows();
  }

  /**
   * Brings the rows in view up to date in place: existing row elements are kept (keyed by
   * item index) and only their state changes, so a click that focuses the list between
   * mousedown and mouseup still lands on the same element.
   */
  private renderRows(): void {
    const s = this.session;
    if (!s) return;
    const { start, end } = visibleRange(this.list.scrollTop, this.list.clientHeight || 200, ROW_HEIGHT, this.visible.length);
    const keep = new Set<number>();
    for (let pos = start; pos < end; pos++) {
      const i = this.visible[pos];
      keep.add(i);
      let row = this.rows.get(i);
      if (!row) {
        row = this.createRow(s, i);
        this.rows.set(i, row);
        this.list.appendChild(row);
      }
      row.setAttribute('aria-selected', i === this.selected ? 'true' : 'false');
      row.setAttribute('aria-setsize', String(this.visible.length));
      row.setAttribute('aria-posinset', String(pos + 1));
      row.classList.toggle('active', pos === this.activePos);
      row.style.top = `${pos * ROW_HEIGHT}px`;
    }
    for (const [i, row] of this.rows) {
      if (keep.has(i)) continue;
      row.remove();
      this.rows.delete(i);
    }
    const active = this.activePos >= 0 ? this.visible[this.activePos] : -1;
    if (active >= 0 && this.rows.has(active)) this.list.setAttribute('aria-activedescendant', `map-option-${active}`);
    else this.list.removeAttribute('aria-activedescendant');
  }

  private createRow(s: WebviewSession, i: number): HTMLElement {
    const c = this.shown[i];
    // A document without a usable word is in no cluster (issue 8 case 06): the tree's neutral
    // marker, not the cluster colour of whatever index the engine's array holds for it.
    const wordless = c === NO_CLUSTER;
    const row = h(
      'div',
      { id: `map-option-${i}`, class: wordless ? 'map-option no-cluster' : 'map-option', role: 'option', 'data-index': i },
      wordless ? noClusterSwatch() : clusterSwatch(c),
      h('span', { class: 'option-name' }, s.itemNames[i]),
      h('span', { class: 'option-cluster' }, wordless ? '—' : `C${c}`),
      h('span', { class: 'option-evidence' }, wordless ? 'no words' : formatSigned(s.evidence[i], 2)),
    );
    row.title = wordless ? `${s.itemNames[i]} — ${NO_CLUSTER_NAME}` : `${s.itemNames[i]} — ${clusterName(c, s.clusters.find((k) => k.index === c)?.label)}`;
    return row;
  }

  /** Item index of the option under a mouse event (events are delegated to the list). */
  private optionAt(e: Event): number {
    const row = e.target instanceof Element ? e.target.closest('.map-option') : null;
    const i = row ? Number(row.getAttribute('data-index')) : NaN;
    return Number.isInteger(i) ? i : -1;
  }

  private setActivePos(pos: number, scheduleSelect: boolean): void {
    this.activePos = pos;
    const item = pos >= 0 ? this.visible[pos] : -1;
    this.list.scrollTop = scrollToReveal(pos, this.list.scrollTop, this.list.clientHeight, ROW_HEIGHT);
    this.renderRows();
    this.callbacks.active(item);
    if (this.selectTimer !== undefined) clearTimeout(this.selectTimer);
    this.selectTimer = undefined;
    // Selection follows focus, but only once the user pauses: each selection asks the host
    // for a fresh explanation, which should not happen for every row skipped over.
    if (scheduleSelect && item >= 0 && item !== this.selected) {
      this.selectTimer = setTimeout(() => this.callbacks.select(item), SELECT_DELAY_MS);
    }
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.list.clientHeight / ROW_HEIGHT) - 1);
    const next = nextActiveIndex(e.key, this.activePos, this.visible.length, page);
    if (next !== undefined) {
      // Show Clusters Panel focuses the list without scrolling, so the header stays in view
      // (main.ts focusKeepingHeader); the first navigation key after focus brings the list into
      // view, once: not Tab or Escape, and not on every key where the list is taller than the
      // panel, which made the page jump (review6 F11).
      if (this.revealOnKey) {
        this.revealOnKey = false;
        const box = this.list.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) this.list.scrollIntoView({ block: 'nearest' });
      }
      e.preventDefault();
      this.setActivePos(next, true);
      return;
    }
    const item = this.activePos >= 0 ? this.visible[this.activePos] : -1;
    if (item < 0) return;
    if (e.key === ' ') {
      e.preventDefault();
      if (this.selectTimer !== undefined) clearTimeout(this.selectTimer);
      this.callbacks.select(item);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (this.selectTimer !== undefined) clearTimeout(this.selectTimer);
      if (item !== this.selected) this.callbacks.select(item);
      this.callbacks.open(item);
    }
  }
}
