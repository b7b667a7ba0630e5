/**
 * A document's explanation as highlighted text: each token is a .token.pos (evidence for the
 * cluster, red) or .token.neg (against, blue) span whose background step (s1..s5) grows
 * with |R|; its tooltip gives the value and rank. Beside it, the top words for and against
 * with their values, which is also what a screen reader gets.
 */
import type { WebviewItem } from '../../src/protocol/webview';
import { h } from '../dom';
import { formatCount, formatSigned } from '../lib/format';
import { barPercent, maxAbs } from '../lib/relevanceScale';
import { tokenViews, topWords, totalRelevance, type WordTotal } from '../lib/segments';

export function renderText(item: WebviewItem): HTMLElement {
  const segments = item.segments ?? [];
  const { tokens } = tokenViews(segments);
  const spans: (HTMLElement | string)[] = tokens.map((t) => {
    if (t.relevance === undefined) return t.text;
    const cls = t.sign === 'zero' ? 'token' : `token ${t.sign} s${t.step}`;
    const tip = `${t.word ?? t.text}: relevance ${formatSigned(t.relevance)} (rank ${t.rank ?? '?'})`;
    return h('span', { class: cls, title: tip, 'data-relevance': t.relevance }, t.text);
  });
  const doc = h('div', { class: 'doc-text', role: 'document', 'aria-label': `Text of ${item.name}, words highlighted by relevance`, tabindex: 0 }, ...spans);

  const { forWords, againstWords } = topWords(segments, 12);
  // One scale for both lists so a long blue bar and a long red bar mean the same magnitude.
  const scale = maxAbs([...forWords, ...againstWords].map((w) => w.relevance));
  const total = totalRelevance(segments);
  const words = h(
    'aside',
    { class: 'top-words', 'aria-label': 'Top words' },
    wordList('Evidence for', 'pos', forWords, scale),
    wordList('Evidence against', 'neg', againstWords, scale),
    h('p', { class: 'muted small' }, `Sum over words ${formatSigned(total)} · evidence ${formatSigned(item.evidence)}`),
  );
  return h('div', { class: 'text-explanation' }, doc, words);
}

function wordList(title: string, sign: 'pos' | 'neg', words: WordTotal[], scale: number): HTMLElement {
  const head = h('h4', { class: `word-head ${sign}` }, h('span', { class: `legend-dot ${sign}`, 'aria-hidden': 'true' }), title);
  if (words.length === 0) return h('section', { class: 'word-group' }, head, h('p', { class: 'muted small' }, 'none'));
  return h(
    'section',
    { class: 'word-group' },
    head,
    h(
      'ol',
      { class: 'word-list' },
      ...words.map((w) =>
        h(
          'li',
          { class: `word-item ${sign}` },
          h('span', { class: 'word', title: w.word }, w.word),
          h('span', { class: 'word-count', title: `${w.count} occurrence${w.count === 1 ? '' : 's'}` }, w.count > 1 ? `×${formatCount(w.count)}` : ''),
          wordBar(w.relevance, scale, sign),
          h('span', { class: `word-value ${sign}` }, formatSigned(w.relevance)),
        ),
      ),
    ),
  );
}

function wordBar(value: number, scale: number, sign: 'pos' | 'neg'): HTMLElement {
  const fill = h('span', { class: `bar-fill ${sign}` });
  fill.style.width = `${barPercent(value, scale)}%`;
  return h('span', { class: 'bar-track single word-bar', 'aria-hidden': 'true' }, fill);
}
