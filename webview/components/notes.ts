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
    // The same remark can reach us twice (e.g. from the loader and from the pipeline).
    const unique = [...new Set(notes.map((n) => n.trim()).filter((n) => n.length > 0))];
    this.element.hidden = unique.length === 0;
    replace(this.list, ...unique.map((n) => h('li', { class: 'note' }, n)));
  }
}
