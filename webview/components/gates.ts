/**
 * #gates (Interpretable Deep Clustering): the gates open for the selected row (instance-
 * level feature selection) and the units its cluster selects (cluster-level). Hidden for
 * models without gates.
 */
import type { WebviewCluster, WebviewItem } from '../../src/protocol/webview';
import { clusterName } from '../clusterStyle';
import { h, replace } from '../dom';
import { formatCount, formatNumber } from '../lib/format';
import { fractionBar } from './bars';

const SHOWN = 24;

export class GatesView {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('section', { id: 'gates', class: 'panel-section', 'aria-label': 'Gates (IDC)', hidden: true });
  }

  render(item: WebviewItem | undefined, cluster: WebviewCluster | undefined): void {
    const rowGates = [...(item?.gates ?? [])].sort((a, b) => b.gate - a.gate);
    const clusterGates = [...(cluster?.selected ?? [])].sort((a, b) => b.gate - a.gate);
    if (rowGates.length === 0 && clusterGates.length === 0) {
      this.element.hidden = true;
      replace(this.element);
      return;
    }
    this.element.hidden = false;
    replace(
      this.element,
      h('h2', { class: 'section-title' }, h('span', { class: 'codicon codicon-filter', 'aria-hidden': 'true' }), 'Gates (IDC)'),
      h(
        'div',
        { class: 'gates-grid' },
        rowGates.length > 0 ? gateGroup(`Open gates for ${item?.name ?? 'this row'}`, rowGates, 'row-gates') : null,
        clusterGates.length > 0 && cluster ? gateGroup(`Selected by ${clusterName(cluster.index, cluster.label)}`, clusterGates, 'cluster-gates') : null,
      ),
    );
  }
}

/** Gates below this are closed for display purposes (IDC's gates are ~0 or ~1 after training). */
const SHUT = 0.01;

function gateGroup(title: string, all: { name: string; gate: number }[], cls: string): HTMLElement {
  const open = all.filter((g) => g.gate >= 0.5).length;
  const gates = all.filter((g) => g.gate >= SHUT);
  const shut = all.length - gates.length;
  return h(
    'div',
    { class: `gate-group ${cls}` },
    h('h3', { class: 'subhead' }, title),
    h('p', { class: 'muted small' }, `${formatCount(open)} of ${formatCount(all.length)} gates ≥ 0.5`),
    h(
      'ul',
      { class: 'gate-list', 'aria-label': title },
      ...gates.slice(0, SHOWN).map((g) => h('li', { class: 'gate-row', title: `${g.name}: gate ${formatNumber(g.gate)}` }, h('span', { class: 'feature-name' }, g.name), fractionBar(g.gate, 'gate'), h('span', { class: 'feature-num' }, formatNumber(g.gate, 2)))),
    ),
    gates.length > SHOWN ? h('p', { class: 'muted small' }, `… ${formatCount(gates.length - SHOWN)} more`) : null,
    shut > 0 ? h('p', { class: 'muted small' }, `${formatCount(shut)} closed gate${shut === 1 ? '' : 's'} (< ${SHUT}) not listed`) : null,
  );
}
