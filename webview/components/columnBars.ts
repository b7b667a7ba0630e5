/**
 * A table row's explanation: one .column-bar per column (name, the cell's value, a signed
 * relevance bar, the number), largest |R| first. Long tables show the top rows with a
 * "show all" toggle; the choice is remembered across hide/show.
 */
import type { WebviewItem } from '../../src/protocol/webview';
import { h, replace } from '../dom';
import { formatCount } from '../lib/format';
import { maxAbs } from '../lib/relevanceScale';
import { featureRow } from './bars';

const INITIAL_ROWS = 16;

export function renderColumns(item: WebviewItem, showAll: boolean, onToggle: (showAll: boolean) => void): HTMLElement {
  const columns = [...(item.columns ?? [])].sort((a, b) => Math.abs(b.relevance) - Math.abs(a.relevance));
  const scale = maxAbs(columns.map((c) => c.relevance));
  const list = h('div', { class: 'feature-list column-bars', role: 'list', 'aria-label': `Column relevance for ${item.name}, largest first` });
  const footer = h('div', { class: 'list-footer' });
  let expanded = showAll;
  const render = (): void => {
    const rows = expanded ? columns : columns.slice(0, INITIAL_ROWS);
    replace(list, ...rows.map((c) => featureRow(c.name, c.relevance, scale, { value: c.value, className: 'column-bar' })));
    if (columns.length <= INITIAL_ROWS) {
      replace(footer);
      return;
    }
    const toggle = h('button', { class: 'link-button', type: 'button', 'aria-expanded': expanded ? 'true' : 'false' }, expanded ? `Show top ${INITIAL_ROWS} columns` : `Show all ${formatCount(columns.length)} columns`);
    toggle.addEventListener('click', () => {
      expanded = !expanded;
      onToggle(expanded);
      render();
    });
    replace(footer, h('span', { class: 'muted small' }, `${formatCount(rows.length)} of ${formatCount(columns.length)} columns, by |relevance|`), ' ', toggle);
  };
  render();
  const head = h('div', { class: 'column-head', 'aria-hidden': 'true' }, h('span', null, 'Column'), h('span', null, 'Value'), h('span', { class: 'axis-label' }, h('span', null, 'against'), h('span', null, '0'), h('span', null, 'for')), h('span', null, 'Relevance'));
  return h('div', { class: 'table-explanation' }, rowContext(item), head, list, footer);
}

/** Longest value shown in the context line (a free-text cell can be long); the whole one is its tooltip. */
const CONTEXT_CHARS = 60;

/**
 * The row's cells that are no feature, as one line above the relevance table: "label: setosa ·
 * id: 17" (trial7 D11b: they were relevance rows of 0). Each entry's tooltip says why it is no feature.
 */
function rowContext(item: WebviewItem): HTMLElement | null {
  const context = item.context ?? [];
  if (context.length === 0) return null;
  const parts: (HTMLElement | string)[] = [];
  context.forEach((c, i) => {
    if (i > 0) parts.push(' · ');
    const value = c.value.length > CONTEXT_CHARS ? `${c.value.slice(0, CONTEXT_CHARS - 1)}…` : c.value;
    parts.push(h('span', { class: 'context-entry', title: `${c.name} = ${c.value}${c.why ? ` (not a feature: ${c.why})` : ''}` }, h('span', { class: 'meta-key' }, `${c.name}: `), value));
  });
  return h('p', { class: 'row-context muted small', 'aria-label': 'Columns that are not features' }, ...parts);
}
