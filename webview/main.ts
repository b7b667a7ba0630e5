/**
 * Webview entry point: builds the panel once, then reacts to host messages.
 * The host's HTML only needs the stylesheets and scripts; this module creates every element
 * (no data ever goes into the HTML). Flow: post 'ready' → host sends 'session' (or 'empty')
 * → user picks an item → 'selectItem' → host sends 'item'.
 */
import type { HostToWebview, WebviewItem, WebviewSession } from '../src/protocol/webview';
import { applyClusterColors } from './clusterStyle';
import { h } from './dom';
import { ClusterCardsView } from './components/clusterCards';
import { CompetitorsView } from './components/competitors';
import { FlippingView } from './components/flipping';
import { GatesView } from './components/gates';
import { HeaderView } from './components/header';
import { ItemView } from './components/itemView';
import { MapView } from './components/map';
import { MapListView } from './components/mapList';
import { NotesView } from './components/notes';
import { ProgressView } from './components/progress';
import { EmptyState, ErrorBanner } from './components/states';
import { observeTheme, readTheme, type ThemeColors } from './theme';
import { loadState, onMessage, post, saveState, start } from './vscodeApi';

class App {
  private session: WebviewSession | undefined;
  private item: WebviewItem | undefined;
  private selectedItem = -1;
  private selectedCluster: number | undefined;
  private theme: ThemeColors;
  private restored = loadState();
  private showAllColumns = this.restored.showAllColumns === true;
  /** Scroll position to restore once the restored item has rendered (the page is taller then). */
  private pendingScroll: number | undefined;
  /** The list's scroll position to put back after the restored item arrives (selecting it reveals it in the list). */
  private pendingListScroll: number | undefined;
  /** The item whose explanation a list click / Space / Enter asked to show: revealed again once it has arrived (its full height). */
  private revealFor: number | undefined;

  private readonly header: HeaderView;
  private readonly progress = new ProgressView();
  private readonly notes = new NotesView();
  private readonly empty: EmptyState;
  private readonly error: ErrorBanner;
  private readonly map: MapView;
  private readonly list: MapListView;
  private readonly cards: ClusterCardsView;
  private readonly itemView: ItemView;
  private readonly competitors = new CompetitorsView();
  private readonly gates = new GatesView();
  private readonly flipping = new FlippingView();
  private readonly content: HTMLElement;

  constructor(root: HTMLElement) {
    this.theme = readTheme();
    const cluster = (): void => post({ type: 'command', command: 'cluster' });
    let listScrollTimer: ReturnType<typeof setTimeout> | undefined;
    this.header = new HeaderView({ command: (command, sessionId) => post({ type: 'command', command, ...(sessionId !== undefined ? { sessionId } : {}) }) });
    this.empty = new EmptyState(cluster);
    this.error = new ErrorBanner(cluster);
    this.map = new MapView({ select: (i) => this.selectItem(i), open: (i) => this.openItem(i) }, this.theme);
    this.list = new MapListView({
      select: (i) => this.selectItem(i),
      open: (i) => this.openItem(i),
      active: (i) => this.map.setActive(i),
      filterChanged: (q) => saveState({ listFilter: q }),
      clearCluster: () => this.selectCluster(undefined),
      scrolled: (top) => {
        if (listScrollTimer !== undefined) clearTimeout(listScrollTimer);
        listScrollTimer = setTimeout(() => saveState({ listScrollTop: Math.round(top) }), 150);
      },
    });
    this.cards = new ClusterCardsView({ selectCluster: (c) => this.selectCluster(c === this.selectedCluster ? undefined : c), selectItem: (i) => this.selectItem(i) });
    this.itemView = new ItemView({
      open: (i) => this.openItem(i),
      showAllColumnsChanged: (v) => {
        this.showAllColumns = v;
        saveState({ showAllColumns: v });
      },
    });

    this.content = h(
      'main',
      { id: 'content', class: 'layout', hidden: true },
      h('section', { class: 'panel-section map-section', 'aria-labelledby': 'map-heading' }, h('h2', { class: 'section-title', id: 'map-heading' }, h('span', { class: 'codicon codicon-graph-scatter', 'aria-hidden': 'true' }), 'Map'), this.map.element, this.list.element),
      h('section', { class: 'panel-section clusters-section', 'aria-labelledby': 'clusters-heading' }, h('h2', { class: 'section-title', id: 'clusters-heading' }, h('span', { class: 'codicon codicon-symbol-class', 'aria-hidden': 'true' }), 'Clusters'), this.cards.element),
      this.itemView.element,
      h('div', { class: 'side-column' }, this.competitors.element, this.gates.element),
      this.flipping.element,
    );
    // A click, Space or Enter on a list row selects it; its explanation sits below the map and
    // the cluster cards, often screens down (trial 6 D8): bring it into view. These listeners
    // run after the list's own (bubbling), so the selection is made; the focus stays in the list.
    this.list.element.addEventListener('click', (e) => {
      if (e.target instanceof Element && e.target.closest('.map-option')) this.revealExplanation();
    });
    // Only keys on the listbox itself: the view also holds the filter field, where a typed space
    // or Enter is text and must not scroll the page away from it (review 7, F5).
    this.list.element.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target instanceof Element && e.target.closest('#map-list')) this.revealExplanation();
    });
    this.header.setHasSession(false);
    root.append(this.header.element, this.progress.element, this.error.element, this.notes.element, this.empty.element, this.content);

    onMessage('session', (m) => this.onSession(m.session, m.selected));
    onMessage('item', (m) => this.onItem(m.item));
    onMessage('progress', (m) => this.onProgress(m));
    onMessage('empty', (m) => this.onEmpty(m.message));
    onMessage('cancelled', (m) => {
      // Cancel ends the job: no spinner left behind; the dataset shown before stays.
      this.progress.done();
      this.progress.flash(m.message);
      if (!this.session) this.empty.show(`${m.message} Run "NEON: Cluster Dataset…" to start again.`);
    });
    onMessage('focus', () => this.focusFirstControl());
    onMessage('revealCluster', (m) => {
      // The host chose the cluster (Explain Cluster): show it here without echoing it back.
      this.selectCluster(m.cluster, false);
      this.cards.reveal(m.cluster);
    });
    onMessage('error', (m) => {
      this.progress.done();
      this.itemView.cancelLoading();
      this.error.show(m.message);
    });
    observeTheme(() => {
      this.theme = readTheme();
      if (this.session) applyClusterColors(this.session.clusters.length + 1, this.theme.kind);
      this.map.setTheme(this.theme);
      this.cards.setTheme(this.theme);
      this.itemView.redraw(this.theme);
    });
    let scrollTimer: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('scroll', () => {
      if (scrollTimer !== undefined) clearTimeout(scrollTimer);
      scrollTimer = setTimeout(() => saveState({ scrollY: Math.round(window.scrollY) }), 150);
    });
  }

  /** Show Clusters Panel: keyboard focus on the first control (the map's list of points, else the header's first button). */
  private focusFirstControl(): void {
    const target = !this.content.hidden ? this.content.querySelector<HTMLElement>('#map-list') : document.querySelector<HTMLElement>('#header button:not([disabled]), button:not([disabled]), [tabindex="0"]');
    if (!target) return;
    // VS Code moves focus into the webview's frame around the same time as this message; a frame
    // without focus ignores element.focus(), so it is applied again once the frame has focus
    // (only while nothing inside has focus yet: a user's own click wins). Never while the frame
    // lacks focus: a programmatic focus() there pulls the focus back from wherever the user went
    // meanwhile (the command palette opened right after Show Clusters Panel closed at once).
    const until = Date.now() + 2_000;
    const apply = (): void => {
      if (Date.now() <= until && document.hasFocus() && (document.activeElement === null || document.activeElement === document.body)) focusKeepingHeader(target);
    };
    apply();
    window.addEventListener('focus', () => setTimeout(apply, 0), { once: true });
    for (const ms of [100, 400, 1_000]) setTimeout(apply, ms);
  }

  private onSession(s: WebviewSession, selected: number | undefined): void {
    const sameSession = this.restored.sessionId === s.sessionId;
    const isNew = this.session?.sessionId !== s.sessionId;
    this.session = s;
    this.progress.done();
    this.error.hide();
    this.empty.hide();
    this.content.hidden = false;
    document.body.classList.toggle('kind-text', s.kind === 'text');
    document.body.classList.toggle('kind-table', s.kind === 'table');
    applyClusterColors(Math.max(...s.clusters.map((c) => c.index), s.clusters.length) + 1, this.theme.kind);

    const inRange = (i: number | undefined): i is number => i !== undefined && Number.isInteger(i) && i >= 0 && i < s.itemNames.length;
    const restoreItem = selected === undefined && sameSession && inRange(this.restored.selectedItem) ? this.restored.selectedItem : undefined;
    if (isNew) {
      this.item = undefined;
      this.selectedItem = inRange(selected) ? selected : restoreItem ?? -1;
      const c = sameSession ? this.restored.selectedCluster : undefined;
      this.selectedCluster = c !== undefined && s.clusters.some((k) => k.index === c) ? c : undefined;
    } else if (inRange(selected)) {
      this.selectedItem = selected;
    }

    this.header.setSession(s);
    this.notes.render(s.notes);
    this.map.setSession(s);
    this.map.setCluster(this.selectedCluster);
    this.map.setSelected(this.selectedItem);
    this.list.setSession(s, sameSession ? this.restored.listFilter ?? '' : '');
    this.list.setCluster(this.selectedCluster);
    this.list.setSelected(this.selectedItem);
    this.cards.setSession(s, this.theme);
    this.cards.setSelected(this.selectedCluster);
    this.flipping.render(s.flipping, s.question);
    if (!this.item || this.item.index !== this.selectedItem) {
      this.competitors.clear();
      this.gates.render(undefined, this.selectedCluster !== undefined ? s.clusters.find((c) => c.index === this.selectedCluster) : undefined);
      if (this.selectedItem >= 0) this.itemView.showPlaceholder(`Explaining ${s.itemNames[this.selectedItem]}…`);
      else this.itemView.showPlaceholder('Select a point on the map, an item in the list or a cluster member to see why it belongs to its cluster.');
    }
    saveState({ sessionId: s.sessionId, selectedItem: this.selectedItem >= 0 ? this.selectedItem : undefined, selectedCluster: this.selectedCluster });
    // After hide/show the host re-sends the session without a selection: ask for the item the
    // user was looking at, and put the scroll position back once the layout exists.
    if (restoreItem !== undefined && isNew) post({ type: 'selectItem', index: restoreItem });
    if (sameSession && isNew && this.restored.scrollY !== undefined) {
      const y = this.restored.scrollY;
      this.pendingScroll = restoreItem !== undefined ? y : undefined;
      holdScroll(y);
    }
    if (sameSession && isNew && this.restored.listScrollTop !== undefined) {
      const top = this.restored.listScrollTop;
      this.pendingListScroll = restoreItem !== undefined ? top : undefined;
      this.list.scrollTo(top);
    }
    this.restored = { ...this.restored, sessionId: undefined };
  }

  private onItem(item: WebviewItem): void {
    this.item = item;
    this.selectedItem = item.index;
    this.map.setSelected(item.index);
    this.list.setSelected(item.index);
    this.itemView.render(item, this.session, this.showAllColumns, this.theme);
    this.competitors.render(item);
    this.gates.render(item, this.session?.clusters.find((c) => c.index === item.cluster));
    saveState({ selectedItem: item.index });
    if (this.pendingListScroll !== undefined) {
      this.list.scrollTo(this.pendingListScroll);
      this.pendingListScroll = undefined;
    }
    if (this.pendingScroll !== undefined) {
      const y = this.pendingScroll;
      this.pendingScroll = undefined;
      holdScroll(y);
    }
    if (this.revealFor === item.index) {
      this.revealFor = undefined;
      requestAnimationFrame(() => this.revealExplanation(false));
    }
  }

  private onProgress(m: Extract<HostToWebview, { type: 'progress' }>): void {
    this.empty.hide();
    this.error.hide();
    this.progress.update(m.stage, m.fraction, m.loss);
  }

  private onEmpty(message: string): void {
    this.session = undefined;
    this.item = undefined;
    this.progress.done();
    this.content.hidden = true;
    this.header.setHasSession(false);
    this.notes.render([]);
    this.empty.show(message);
  }

  private selectItem(index: number): void {
    const s = this.session;
    if (!s || index < 0 || index >= s.itemNames.length) return;
    this.selectedItem = index;
    this.map.setSelected(index);
    this.list.setSelected(index);
    if (this.item?.index !== index) this.itemView.showLoading(s.itemNames[index]);
    saveState({ selectedItem: index });
    post({ type: 'selectItem', index });
  }

  /**
   * Scrolls the explanation's heading into view unless it already shows in the upper quarter
   * of the panel; instantly when the user asks for reduced motion. Does not move focus.
   */
  private revealExplanation(again = true): void {
    if (this.selectedItem === undefined) return;
    // The loading placeholder is short (the page may not scroll that far yet): once more when the item arrives.
    if (again && this.item?.index !== this.selectedItem) this.revealFor = this.selectedItem;
    const box = this.itemView.element.getBoundingClientRect();
    if (box.top >= 0 && box.top < window.innerHeight * 0.25) return;
    const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
    this.itemView.element.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
  }

  private openItem(index: number): void {
    if (!this.session || index < 0 || index >= this.session.itemNames.length) return;
    post({ type: 'openItem', index });
  }

  private selectCluster(cluster: number | undefined, tellHost = true): void {
    this.selectedCluster = cluster;
    this.map.setCluster(cluster);
    this.list.setCluster(cluster);
    this.cards.setSelected(cluster);
    if (!this.item) this.gates.render(undefined, cluster !== undefined ? this.session?.clusters.find((c) => c.index === cluster) : undefined);
    saveState({ selectedCluster: cluster });
    if (cluster !== undefined && tellHost) post({ type: 'selectCluster', cluster });
  }
}

/** How long a restored page scroll is held while the rebuilt page settles. */
const HOLD_SCROLL_MS = 2_000;
let releaseHeldScroll: (() => void) | undefined;

/**
 * Scrolls the page to `y`, where the user left it, and keeps it there while the rebuilt page
 * settles: web components, icon fonts and the map lay out after the first frame, and the
 * browser's scroll anchoring then moves the page by their growth (21 px in the e2e test), while
 * `y` was measured on the settled page. Any scroll input of the user's ends the hold at once.
 */
function holdScroll(y: number): void {
  releaseHeldScroll?.();
  const apply = (): void => window.scrollTo(0, y);
  const observer = new ResizeObserver(apply);
  const inputs = ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const;
  const release = (): void => {
    observer.disconnect();
    clearTimeout(timer);
    for (const t of inputs) window.removeEventListener(t, release, true);
    if (releaseHeldScroll === release) releaseHeldScroll = undefined;
  };
  const timer = setTimeout(release, HOLD_SCROLL_MS);
  for (const t of inputs) window.addEventListener(t, release, true);
  releaseHeldScroll = release;
  observer.observe(document.body);
  requestAnimationFrame(apply);
}

/**
 * Focuses `target` without the browser's scroll-into-view. A plain focus() centred the list of
 * points, which sits below the header, notes and map, and so pushed the header (data, model, k,
 * quality) out of a freshly opened panel (trial s19 D10). The list brings itself into view at
 * the first key pressed in it (MapListView.onKey), so a keyboard user still sees where they are.
 */
function focusKeepingHeader(target: HTMLElement): void {
  target.focus({ preventScroll: true });
}

new App(document.getElementById('root') ?? document.body);
start();
