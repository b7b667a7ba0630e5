/**
 * #cluster-cards: one .cluster-card per cluster with its size, label, mean evidence, purity
 * and majority label (labelled data) with the share of every label value (the label rate per
 * cluster, as pd.crosstab gives it), the top features as signed bars (mean relevance over
 * the members), IDC's selected units, and the members on demand.
 * Text clusters also show (text helper, issue 11): a "mixed" mark and the reason when the
 * engine found the cluster a catch-all, the number of weakly assigned members, and the most
 * typical documents with their first words; weak members are marked in the member list and
 * documents without a usable word are not listed as members.
 */
import type { WebviewCluster, WebviewSession } from '../../src/protocol/webview';
import { clusterName, clusterSwatch } from '../clusterStyle';
import { badge, h, replace } from '../dom';
import { labelSharesText } from '../../src/engine/pipeline/labelCounts';
import { formatCount, formatNumber, formatPercent, formatSigned } from '../lib/format';
import { maxAbs } from '../lib/relevanceScale';
import type { ThemeColors } from '../theme';
import { featureList, featureRow, fractionBar } from './bars';
import { clusterPicture, type ClusterPictureView } from './clusterPicture';

export interface ClusterCardsCallbacks {
  selectCluster(cluster: number): void;
  selectItem(index: number): void;
}

const TOP_FEATURES = 6;
const MEMBER_CAP = 200;

export class ClusterCardsView {
  readonly element: HTMLElement;
  private session: WebviewSession | undefined;
  private selected: number | undefined;
  private readonly cards = new Map<number, HTMLElement>();
  private pictures: ClusterPictureView[] = [];
  private theme: ThemeColors | undefined;

  constructor(private readonly callbacks: ClusterCardsCallbacks) {
    this.element = h('div', { id: 'cluster-cards', role: 'list', 'aria-label': 'Clusters' });
  }

  setSession(session: WebviewSession, theme: ThemeColors): void {
    this.session = session;
    this.theme = theme;
    this.cards.clear();
    this.pictures = [];
    // Each card has its own scale: clusters' mean relevances can differ by orders of
    // magnitude, and a shared scale would leave most cards with invisible bars. The
    // numbers next to the bars carry the comparison across cards.
    replace(this.element, ...session.clusters.map((c) => this.card(c, maxAbs(c.top.slice(0, TOP_FEATURES).map((t) => t.relevance)))));
    this.markSelected();
  }

  /** Theme changed: redraw the clusters' pictures. */
  setTheme(theme: ThemeColors): void {
    this.theme = theme;
    for (const p of this.pictures) p.redraw(theme);
  }

  setSelected(cluster: number | undefined): void {
    this.selected = cluster;
    this.markSelected();
  }

  /** Selects a cluster's card and scrolls it into view (Explain Cluster). */
  reveal(cluster: number): void {
    this.setSelected(cluster);
    this.cards.get(cluster)?.scrollIntoView({ block: 'nearest' });
  }

  private markSelected(): void {
    for (const [index, card] of this.cards) {
      const on = index === this.selected;
      card.classList.toggle('selected', on);
      card.querySelector('.card-select')?.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
  }

  private card(c: WebviewCluster, scale: number): HTMLElement {
    const s = this.session!;
    const name = clusterName(c.index, c.label);
    const select = h('button', { class: 'card-select', type: 'button', 'aria-pressed': 'false', title: `Show ${name} on the map and list its members` }, clusterSwatch(c.index, 14), h('span', { class: 'card-title' }, `Cluster ${c.index}`));
    select.addEventListener('click', (e) => {
      e.stopPropagation();
      this.callbacks.selectCluster(c.index);
    });
    const label = c.label.trim() && c.label !== `Cluster ${c.index}` ? h('span', { class: 'card-label', title: c.label }, c.label) : null;

    const meta: (HTMLElement | null)[] = [
      h('span', { class: 'meta' }, h('span', { class: 'meta-key' }, 'mean evidence '), formatSigned(c.meanEvidence)),
      c.weakMembers ? h('span', { class: 'meta weak-count', title: 'Members whose evidence is near zero: they sit near a boundary between clusters' }, h('span', { class: 'meta-key' }, 'weak '), formatCount(c.weakMembers)) : null,
      c.purity !== undefined ? h('span', { class: 'meta' }, h('span', { class: 'meta-key' }, 'purity '), formatPercent(c.purity)) : null,
      c.majorityLabel !== undefined ? h('span', { class: 'meta', title: c.majorityLabel }, h('span', { class: 'meta-key' }, 'majority '), c.majorityLabel) : null,
    ];
    // The label rate per cluster (pd.crosstab): "churned: no 87.0% · yes 13.0%".
    const shares = labelSharesText(c.labelCounts, c.size);
    const labelRate = shares ? h('div', { class: 'label-shares', title: `Share of the members per value of the label${s.labelColumn ? ` ${s.labelColumn}` : ''}` }, h('span', { class: 'meta-key' }, `${s.labelColumn ?? 'label'}: `), shares) : null;

    const top = c.top.slice(0, TOP_FEATURES).map((t) => featureRow(t.name, t.relevance, scale));
    // Image-like tables: the cluster as a picture (mean image, relevance map), not pixel ids.
    const image = s.clusterImages?.find((i) => i.cluster === c.index);
    const picture = image && this.theme ? clusterPicture(image, name, this.theme) : undefined;
    if (picture) this.pictures.push(picture);
    const selected = c.selected && c.selected.length > 0
      ? h(
          'div',
          { class: 'card-selected' },
          h('div', { class: 'card-subhead' }, `Selected ${s.kind === 'text' ? 'words' : 'columns'} (gate)`),
          h('ul', { class: 'gate-list compact' }, ...c.selected.slice(0, 8).map((g) => h('li', { class: 'gate-row', title: `${g.name}: gate ${formatNumber(g.gate)}` }, h('span', { class: 'feature-name' }, g.name), fractionBar(g.gate, 'gate'), h('span', { class: 'feature-num' }, formatNumber(g.gate, 2))))),
        )
      : null;

    const members = h('ul', { class: 'card-members', hidden: true, 'aria-label': `Members of ${name}` });
    const toggle = h('button', { class: 'link-button', type: 'button', 'aria-expanded': 'false' }, h('span', { class: 'codicon codicon-chevron-right', 'aria-hidden': 'true' }), ` Show members (${formatCount(c.size)})`);
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      const open = members.hidden;
      if (open && members.childElementCount === 0) this.fillMembers(members, c.index);
      members.hidden = !open;
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      replace(toggle, h('span', { class: `codicon codicon-chevron-${open ? 'down' : 'right'}`, 'aria-hidden': 'true' }), open ? ' Hide members' : ` Show members (${formatCount(c.size)})`);
    });

    const mixed = c.mixed
      ? h('p', { class: 'card-mixed', role: 'note' }, h('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }), ` ${c.mixed}`)
      : null;
    const examples = c.examples && c.examples.length > 0 ? this.examples(c, name) : null;

    const card = h(
      'article',
      { class: `cluster-card${c.mixed ? ' mixed' : ''}`, role: 'listitem', 'data-cluster': c.index, 'aria-label': `${name}${c.mixed ? ' (mixed)' : ''}, ${formatCount(c.size)} items` },
      h('header', { class: 'card-header' }, select, label, c.mixed ? h('span', { class: 'mixed-tag', title: c.mixed }, 'mixed') : null, badge(formatCount(c.size), `${formatCount(c.size)} items`, 'counter')),
      h('div', { class: 'card-meta' }, ...meta),
      labelRate,
      mixed,
      picture ? picture.element : null,
      top.length > 0 ? featureList(`Top ${s.kind === 'text' ? 'words' : 'features'} of ${name}`, top, 'card-features') : h('p', { class: 'muted' }, 'No feature relevance for this cluster.'),
      examples,
      selected,
      h('div', { class: 'card-footer' }, toggle),
      members,
    );
    card.style.setProperty('--card-accent', `var(--cluster-${c.index})`);
    // The whole card is a mouse target; keyboard users have the title button.
    card.addEventListener('click', () => this.callbacks.selectCluster(c.index));
    this.cards.set(c.index, card);
    return card;
  }

  /** "Typical documents": the most typical members with their first words; a click explains one. */
  private examples(c: WebviewCluster, name: string): HTMLElement {
    const rows = (c.examples ?? []).map((e) => {
      const body = [h('span', { class: 'example-name' }, e.name), e.excerpt ? h('span', { class: 'example-excerpt' }, e.excerpt) : null];
      if (e.shown < 0) return h('li', { class: 'example' }, ...body);
      const b = h('button', { class: 'example', type: 'button', title: `Explain ${e.name}` }, ...body);
      b.addEventListener('click', (ev) => {
        ev.stopPropagation();
        this.callbacks.selectItem(e.shown);
      });
      return h('li', null, b);
    });
    return h('div', { class: 'card-examples' }, h('div', { class: 'card-subhead' }, 'Typical documents'), h('ul', { class: 'example-list', 'aria-label': `Typical documents of ${name}` }, ...rows));
  }

  private fillMembers(list: HTMLElement, cluster: number): void {
    const s = this.session!;
    const idx: number[] = [];
    // Documents without a usable word are not members of any cluster.
    for (let i = 0; i < s.assignments.length && i < s.itemNames.length; i++) if (s.assignments[i] === cluster && s.memberStatus?.[i] !== 2) idx.push(i);
    // Most typical members first: highest evidence for their cluster.
    idx.sort((a, b) => (s.evidence[b] ?? 0) - (s.evidence[a] ?? 0));
    const shown = idx.slice(0, MEMBER_CAP).map((i) => {
      const weak = s.memberStatus?.[i] === 1;
      const b = h(
        'button',
        { class: `member${weak ? ' weak' : ''}`, type: 'button', title: `Explain ${s.itemNames[i]}${weak ? ' (weakly assigned: evidence near zero)' : ''}` },
        h('span', { class: 'member-name' }, s.itemNames[i]),
        h('span', { class: 'member-evidence' }, weak ? `weak ${formatSigned(s.evidence[i], 2)}` : formatSigned(s.evidence[i], 2)),
      );
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        this.callbacks.selectItem(i);
      });
      return h('li', null, b);
    });
    replace(list, ...shown, idx.length > MEMBER_CAP ? h('li', { class: 'muted' }, `… and ${formatCount(idx.length - MEMBER_CAP)} more (use the filter in the item list)`) : null);
  }
}
