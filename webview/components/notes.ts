/** #notes: the host's remarks on the run (warnings, choices made), each as plain text. */
import { h, replace } from '../dom';

export class NotesView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;

  constructor() {
    this.list = h('ul', { class: 'notes-list' });
    this.element = h('section', { id: 'notes', class: 'notes', 'aria-label': 'Notes', hidden: true }, h('span', { class: 'codicon codicon-info notes-icon', 'aria-hidden': 'true' }), this.list);
  }

  render(notes: readonly string[]): void {
    this.element.hidden = notes.length === 0;
    replace(this.list, ...notes.map((n) => h('li', { class: 'note' }, n)));
  }
}
