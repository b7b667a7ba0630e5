/**
 * The panel header: dataset title, model settings (kind, k, β, rule, evidence form), the
 * quality metrics, silhouette per k (when k was chosen automatically), the final training
 * loss, and the toolbar (cluster again, export, save model).
 */
import type { WebviewSession } from '../../src/protocol/webview';
import { button, h, replace, svg } from '../dom';
import { formatCount, formatNumber, qualityEntries } from '../lib/format';
import { sparklinePoints } from '../lib/plotScale';

export interface HeaderCallbacks {
  /** A toolbar button; `sessionId` is the dataset shown (its buttons act on it). */
  command(command: 'cluster' | 'recluster' | 'export' | 'saveModel', sessionId?: string): void;
}

export class HeaderView {
  readonly element: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly chips: HTMLElement;
  private readonly metrics: HTMLElement;
  private readonly kScores: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly origin: HTMLElement;
  private readonly question: HTMLElement;
  private readonly clusterButton: HTMLElement;
  private sessionId: string | undefined;

  constructor(callbacks: HeaderCallbacks) {
    this.titleEl = h('h1', { class: 'panel-title' }, 'NEON Clusters');
    this.chips = h('ul', { class: 'setting-chips', 'aria-label': 'Model settings' });
    // Every button acts on the dataset shown here (not on the active editor's file).
    this.clusterButton = button('Cluster…', () => callbacks.command(this.sessionId !== undefined ? 'recluster' : 'cluster', this.sessionId), { icon: 'run', title: 'Cluster a dataset (NEON: Cluster Dataset…)', id: 'action-cluster' });
    this.toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Panel actions' },
      this.clusterButton,
      button('Export…', () => callbacks.command('export', this.sessionId), { icon: 'export', secondary: true, title: 'Export the explanations of this dataset', id: 'action-export' }),
      button('Save Model…', () => callbacks.command('saveModel', this.sessionId), { icon: 'save', secondary: true, title: 'Save the model of this dataset', id: 'action-save' }),
    );
    this.origin = h('p', { id: 'model-origin', class: 'model-origin muted', hidden: true });
    this.question = h('p', { id: 'neon-question', class: 'neon-question', hidden: true });
    this.metrics = h('dl', { id: 'quality', class: 'metrics', hidden: true });
    this.kScores = h('div', { id: 'kscores', class: 'kscores', hidden: true });
    this.element = h(
      'header',
      { id: 'header', class: 'panel-header' },
      h('div', { class: 'title-row' }, h('span', { class: 'codicon codicon-type-hierarchy-sub title-icon', 'aria-hidden': 'true' }), this.titleEl, this.toolbar),
      this.chips,
      this.origin,
      this.question,
      h('div', { class: 'header-stats' }, this.metrics, this.kScores),
    );
  }

  /** Export and Save need a fitted model: disabled while there is none. */
  setHasSession(has: boolean): void {
    for (const id of ['action-export', 'action-save']) {
      const b = this.toolbar.querySelector(`#${id}`);
      if (!b) continue;
      if (has) b.removeAttribute('disabled');
      else b.setAttribute('disabled', '');
    }
    if (!has) {
      this.sessionId = undefined;
      this.setClusterButton('Cluster…', 'Cluster a dataset (NEON: Cluster Dataset…)');
      this.origin.hidden = true;
      this.question.hidden = true;
      replace(this.titleEl, 'NEON Clusters');
      replace(this.chips);
      replace(this.metrics);
      this.metrics.hidden = true;
      this.kScores.hidden = true;
    }
  }

  private setClusterButton(label: string, title: string): void {
    replace(this.clusterButton, label);
    this.clusterButton.setAttribute('title', title);
  }

  setSession(s: WebviewSession): void {
    this.setHasSession(true);
    this.sessionId = s.sessionId;
    this.setClusterButton('Re-cluster…', `Cluster ${s.title} again: change its label column, left-out columns, k or model`);
    replace(this.titleEl, s.title);
    this.titleEl.title = s.title;
    const chip = (key: string, value: string, title?: string): HTMLElement => h('li', { class: 'chip setting', title: title ?? `${key} ${value}` }, h('span', { class: 'chip-key' }, key), h('span', { class: 'chip-val' }, value));
    replace(
      this.chips,
      chip('data', s.kind === 'text' ? `text · ${formatCount(s.rows)} docs` : `table · ${formatCount(s.rows)} rows`, `${s.rowsPhrase}${s.rows > s.itemNames.length ? `; the map shows ${formatCount(s.itemNames.length)} of them` : ''}`),
      s.labelColumn !== undefined ? chip('label', s.labelColumn, `Label column ${s.labelColumn}: known classes, not a feature`) : null,
      chip('model', s.modelKind),
      chip('k', String(s.k)),
      chip('β', formatNumber(s.beta), 'β: stiffness of the soft minimum over competitors'),
      chip('rule', s.ruleLabel ?? s.rule, s.question),
      chip('evidence', s.evidenceForm),
    );

    replace(this.origin, `${capitalise(s.rowsPhrase)}, explained with ${s.modelOrigin}${s.restored ? ' (restored after a reload, not fitted again)' : ''}.`);
    this.origin.hidden = false;
    replace(this.question, h('span', { class: 'codicon codicon-question', 'aria-hidden': 'true' }), ' ', s.question ?? '');
    this.question.hidden = !s.question;

    const entries = qualityEntries(s.quality);
    this.metrics.hidden = entries.length === 0;
    replace(this.metrics, ...entries.map((e) => h('div', { class: 'metric', 'data-metric': e.key }, h('dt', null, e.label), h('dd', null, formatNumber(e.value)))));
    if (s.lossHistory && s.lossHistory.length > 1) {
      const last = s.lossHistory[s.lossHistory.length - 1];
      this.metrics.hidden = false;
      this.metrics.appendChild(h('div', { class: 'metric loss' }, h('dt', null, 'Training loss'), h('dd', null, sparkline(s.lossHistory, 'Training loss per epoch'), ' ', formatNumber(last))));
    }
    this.renderKScores(s);
  }

  private renderKScores(s: WebviewSession): void {
    const scores = [...(s.kScores ?? [])].sort((a, b) => a.k - b.k);
    if (scores.length === 0) {
      this.kScores.hidden = true;
      replace(this.kScores);
      return;
    }
    this.kScores.hidden = false;
    // Text chooses k by stability over re-fits x silhouette (engine cluster/suggestK.ts): chart the score that chose.
    // A result stored before that score existed (persistence) has only the stability sum: chart that.
    const byStability = scores.every((x) => x.stabilityScore !== undefined);
    const byProduct = byStability && scores.every((x) => x.score !== undefined);
    const value = (x: (typeof scores)[number]): number => (byProduct ? (x.score ?? 0) : byStability ? (x.stabilityScore ?? 0) : x.silhouette);
    const top = Math.max(...scores.map((x) => (Number.isFinite(value(x)) ? value(x) : 0)), 1e-9);
    const bars = scores.map((x) => {
      const bar = h('span', { class: 'k-bar' });
      const v = Number.isFinite(value(x)) ? Math.max(0, value(x)) : 0;
      bar.style.height = `${Math.max(2, Math.round((v / top) * 100))}%`;
      const stable = `${x.stableClusters ?? 0} of ${x.k} clusters stable`;
      const detail = byProduct
        ? `score ${formatNumber(value(x))} = stability ${formatNumber(x.stabilityScore)} (${stable}) × silhouette ${formatNumber(x.silhouette)}`
        : byStability
          ? `stability score ${formatNumber(value(x))} (${stable}), silhouette ${formatNumber(x.silhouette)}`
          : `silhouette ${formatNumber(x.silhouette)}`;
      return h(
        'li',
        { class: `k-col${x.k === s.k ? ' chosen' : ''}`, title: `k = ${x.k}: ${detail}${x.k === s.k ? ' (chosen)' : ''}` },
        h('span', { class: 'k-val' }, formatNumber(value(x), 2)),
        h('span', { class: 'k-bar-box', 'aria-hidden': 'true' }, bar),
        h('span', { class: 'k-label' }, `k=${x.k}`),
      );
    });
    const title = byProduct
      ? 'Score per k: stability over re-fits (chance-corrected, summed over the clusters) × silhouette'
      : byStability
        ? 'Stability per k (sum of cluster stability − 0.5 over re-fits)'
        : 'Silhouette per k';
    const aria = byStability ? 'Stability score per number of clusters' : 'Silhouette score per number of clusters';
    replace(this.kScores, h('div', { class: 'kscores-title' }, title), h('ol', { class: 'k-chart', 'aria-label': aria }, ...bars));
  }
}

/** Small inline SVG line for a series (loss per epoch), labelled for screen readers. */
export function sparkline(values: readonly number[], label: string, width = 90, height = 18): SVGSVGElement {
  return svg('svg', { class: 'sparkline', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label }, svg('polyline', { points: sparklinePoints(values, width, height, 1.5) }));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
