/**
 * #progress: the running job's stage and completion, with the training loss as a live
 * sparkline when the host reports one. Hidden when no job runs.
 */
import { h, replace } from '../dom';
import { formatNumber, formatPercent } from '../lib/format';
import { sparkline } from './header';

export class ProgressView {
  readonly element: HTMLElement;
  private readonly bar: HTMLElement & { value?: number; max: number; indeterminate: boolean };
  private readonly text: HTMLElement;
  private readonly loss: HTMLElement;
  private losses: number[] = [];
  private finishTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.bar = h('vscode-progress-bar', { 'aria-label': 'Job progress' }) as HTMLElement & { value?: number; max: number; indeterminate: boolean };
    this.text = h('span', { class: 'progress-text', role: 'status', 'aria-live': 'polite' });
    this.loss = h('span', { class: 'progress-loss' });
    this.element = h('div', { id: 'progress', class: 'progress', hidden: true }, this.bar, h('div', { class: 'progress-line' }, h('span', { class: 'codicon codicon-loading codicon-modifier-spin', 'aria-hidden': 'true' }), this.text, this.loss));
  }

  update(stage: string, fraction: number | undefined, loss: number | undefined): void {
    if (this.finishTimer !== undefined) clearTimeout(this.finishTimer);
    this.finishTimer = undefined;
    if (this.element.hidden) this.losses = [];
    this.element.hidden = false;
    document.body.classList.add('job-running');
    if (fraction !== undefined && Number.isFinite(fraction)) {
      this.bar.indeterminate = false;
      this.bar.max = 1;
      this.bar.value = Math.max(0, Math.min(1, fraction));
    } else {
      this.bar.indeterminate = true;
    }
    replace(this.text, fraction !== undefined && Number.isFinite(fraction) ? `${stage} · ${formatPercent(fraction, 0)}` : stage);
    if (loss !== undefined && Number.isFinite(loss)) {
      this.losses.push(loss);
      replace(this.loss, this.losses.length > 1 ? sparkline(this.losses, 'Training loss so far') : null, ` loss ${formatNumber(loss)}`);
    }
    // A stage that reports completion and is not followed by another one is over, even if
    // the host sends nothing else (e.g. an explanation job that changes no session).
    if (fraction !== undefined && fraction >= 1) this.finishTimer = setTimeout(() => this.done(), 2000);
  }

  /** A short status line without a spinner (e.g. "Clustering x was cancelled."), gone after a few seconds. */
  flash(message: string): void {
    this.done();
    document.getElementById('progress-flash')?.remove();
    const line = h('p', { id: 'progress-flash', class: 'progress-flash muted', role: 'status' }, message);
    this.element.after(line);
    setTimeout(() => line.remove(), 6000);
  }

  done(): void {
    if (this.finishTimer !== undefined) clearTimeout(this.finishTimer);
    this.finishTimer = undefined;
    this.element.hidden = true;
    document.body.classList.remove('job-running');
    this.losses = [];
    replace(this.loss);
  }
}
