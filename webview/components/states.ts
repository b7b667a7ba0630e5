/**
 * The panel's non-data states: #empty (nothing clustered yet: a message and a button that
 * runs "Cluster Dataset…") and #error (a banner with the host's message; the last session
 * stays visible under it).
 */
import { button, h, replace } from '../dom';

export class EmptyState {
  readonly element: HTMLElement;
  private readonly message: HTMLElement;

  constructor(onCluster: () => void) {
    this.message = h('p', { class: 'empty-message' });
    this.element = h(
      'section',
      { id: 'empty', class: 'empty-state', hidden: true, 'aria-label': 'No clustering yet' },
      h('span', { class: 'codicon codicon-type-hierarchy-sub empty-icon', 'aria-hidden': 'true' }),
      h('h2', null, 'No clusters yet'),
      this.message,
      button('Cluster Dataset…', onCluster, { icon: 'run', id: 'empty-cluster' }),
    );
  }

  show(message: string): void {
    replace(this.message, message);
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

export class ErrorBanner {
  readonly element: HTMLElement;
  private readonly message: HTMLElement;

  constructor(onRetry: () => void) {
    this.message = h('span', { class: 'error-message' });
    const dismiss = h('button', { class: 'icon-button', type: 'button', 'aria-label': 'Dismiss error', title: 'Dismiss' }, h('span', { class: 'codicon codicon-close', 'aria-hidden': 'true' }));
    dismiss.addEventListener('click', () => this.hide());
    this.element = h(
      'div',
      { id: 'error', class: 'error-banner', role: 'alert', hidden: true },
      h('span', { class: 'codicon codicon-error', 'aria-hidden': 'true' }),
      this.message,
      button('Cluster Dataset…', onRetry, { secondary: true, icon: 'run' }),
      dismiss,
    );
  }

  show(message: string): void {
    replace(this.message, message);
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
