/**
 * #competitors: NEON's evidence is a soft minimum over the margins to the other clusters;
 * each competitor's share R_k says how much of the explanation is about beating it, and its
 * top units are what separates this item from it. The strongest few are shown first.
 */
import type { WebviewItem } from '../../src/protocol/webview';
import { clusterName, clusterSwatch } from '../clusterStyle';
import { h, replace } from '../dom';
import { formatCount, formatNumber, formatPercent, formatSigned, shareFractions } from '../lib/format';
import { maxAbs, relevanceSign } from '../lib/relevanceScale';
import { fractionBar } from './bars';

const TOP_UNITS = 6;
const SHOWN = 4;

export class CompetitorsView {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('section', { id: 'competitors', class: 'panel-section', 'aria-label': 'Competing clusters' });
    this.clear();
  }

  clear(): void {
    replace(this.element, title(), h('p', { class: 'placeholder muted' }, 'The clusters the selected item was separated from appear here.'));
  }

  render(item: WebviewItem): void {
    const comps = [...item.competitors].sort((a, b) => b.share - a.share);
    if (comps.length === 0) {
      replace(this.element, title(), h('p', { class: 'muted' }, 'No competitors (a single cluster).'));
      return;
    }
    const fractions = shareFractions(comps.map((c) => c.share));
    const maxShare = Math.max(...comps.map((c) => Math.abs(c.share)), 0) || 1;
    const rows = comps.map((c, i) => {
      // Units with exactly zero relevance separate nothing: leave them out.
      const units = c.top.filter((t) => Number.isFinite(t.relevance) && t.relevance !== 0).slice(0, TOP_UNITS);
      const unitScale = maxAbs(units.map((t) => t.relevance));
      const name = clusterName(c.cluster, c.label);
      const shareText = fractions ? `${formatNumber(c.share)} (${formatPercent(fractions[i], 0)})` : formatNumber(c.share);
      return h(
        'li',
        { class: 'competitor', 'data-cluster': c.cluster, hidden: i >= SHOWN },
        h('div', { class: 'competitor-head' }, clusterSwatch(c.cluster), h('span', { class: 'competitor-name', title: name }, name)),
        h(
          'div',
          { class: 'share-row', 'aria-label': `share ${shareText}` },
          h('span', { class: 'meta-key' }, 'share R'),
          fractionBar(Math.max(0, c.share) / maxShare, 'share'),
          h('span', { class: 'share-num' }, shareText),
        ),
        units.length > 0
          ? h(
              'ul',
              { class: 'unit-chips', 'aria-label': `Units separating ${item.name} from ${name}` },
              ...units.map((t) => h('li', { class: `chip ${relevanceSign(t.relevance, unitScale)}`, title: `${t.name}: relevance ${formatSigned(t.relevance)}` }, h('span', { class: 'chip-name' }, t.name), h('span', { class: 'chip-num' }, formatSigned(t.relevance, 2)))),
            )
          : null,
      );
    });
    const list = h('ol', { class: 'competitor-list' }, ...rows);
    let footer: HTMLElement | null = null;
    if (rows.length > SHOWN) {
      const toggle = h('button', { class: 'link-button', type: 'button', 'aria-expanded': 'false' }, `Show all ${formatCount(rows.length)} competitors`);
      toggle.addEventListener('click', () => {
        const expand = toggle.getAttribute('aria-expanded') !== 'true';
        rows.forEach((r, i) => (r.hidden = !expand && i >= SHOWN));
        toggle.setAttribute('aria-expanded', expand ? 'true' : 'false');
        replace(toggle, expand ? `Show the top ${SHOWN}` : `Show all ${formatCount(rows.length)} competitors`);
      });
      footer = h('div', { class: 'list-footer' }, toggle);
    }
    replace(
      this.element,
      title(),
      h('p', { class: 'hint' }, `Why ${item.name} is not in these clusters: the share of its evidence spent beating each one, and the units that separate it most.`),
      list,
      footer,
    );
  }
}

function title(): HTMLElement {
  return h('h2', { class: 'section-title' }, h('span', { class: 'codicon codicon-git-compare', 'aria-hidden': 'true' }), 'Competitors');
}
