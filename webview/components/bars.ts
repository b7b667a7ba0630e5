/**
 * Signed relevance bars: a track split at zero, evidence against (blue) growing left,
 * evidence for (red) growing right, length ∝ |R| / scale. The number is always printed next
 * to the bar, so nothing depends on colour alone.
 */
import { h } from '../dom';
import { formatSigned } from '../lib/format';
import { barPercent, relevanceSign } from '../lib/relevanceScale';

/** The bar alone (decorative: the caller prints the value). */
export function relevanceBar(value: number, scale: number): HTMLElement {
  const sign = relevanceSign(value, scale);
  const fill = h('span', { class: `bar-fill ${value < 0 ? 'neg' : 'pos'}${sign === 'zero' ? ' tiny' : ''}` });
  fill.style.width = `${barPercent(value, scale)}%`;
  const neg = h('span', { class: 'bar-half bar-neg' }, value < 0 ? fill : null);
  const pos = h('span', { class: 'bar-half bar-pos' }, value >= 0 ? fill : null);
  return h('span', { class: 'bar-track', 'aria-hidden': 'true' }, neg, pos);
}

/** A 0..1 bar (gates, shares): one-sided, neutral colour. */
export function fractionBar(fraction: number, className = 'fraction'): HTMLElement {
  const fill = h('span', { class: `bar-fill ${className}` });
  fill.style.width = `${Math.round(Math.max(0, Math.min(1, fraction)) * 1000) / 10}%`;
  return h('span', { class: 'bar-track single', 'aria-hidden': 'true' }, fill);
}

/**
 * One row "name [value] ───bar─── +0.123". `className` lets tables mark rows `.column-bar`.
 * The row's accessible name states everything the bar shows.
 */
export function featureRow(name: string, relevance: number, scale: number, opts: { value?: string; className?: string; unitWord?: string } = {}): HTMLElement {
  const label = opts.value !== undefined ? `${name} = ${opts.value}, relevance ${formatSigned(relevance)}` : `${name}: relevance ${formatSigned(relevance)}`;
  const sign = relevanceSign(relevance, scale);
  return h(
    'div',
    { class: `feature-row ${opts.className ?? ''} ${sign}`.trim(), role: 'listitem', 'aria-label': label, title: label },
    h('span', { class: 'feature-name' }, name),
    opts.value !== undefined ? h('span', { class: 'feature-value' }, opts.value) : null,
    relevanceBar(relevance, scale),
    h('span', { class: `feature-num ${sign}` }, formatSigned(relevance)),
  );
}

/** A titled list of feature rows. */
export function featureList(label: string, rows: HTMLElement[], className = ''): HTMLElement {
  return h('div', { class: `feature-list ${className}`.trim(), role: 'list', 'aria-label': label }, ...rows);
}
