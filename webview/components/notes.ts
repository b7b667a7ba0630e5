/** #notes: the host's remarks on the run (warnings, choices made), each as plain text. */
import { h, replace } from '../dom';

/** Notes shown before "Show N more": the first ones are the most important (data, k, β). */
const SHOWN = 4;

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
    const items = unique.map((n, i) => h('li', { class: 'note', hidden: i >= SHOWN }, n));
    let more: HTMLElement | null = null;
    if (unique.length > SHOWN) {
      const hiddenCount = unique.length - SHOWN;
      more = h('button', { class: 'link-button', type: 'button', 'aria-expanded': 'false' }, `Show ${hiddenCount} more note${hiddenCount === 1 ? '' : 's'}`);
      more.addEventListener('click', () => {
        const expand = more!.getAttribute('aria-expanded') !== 'true';
        items.forEach((li, i) => (li.hidden = !expand && i >= SHOWN));
        more!.setAttribute('aria-expanded', expand ? 'true' : 'false');
        more!.textContent = expand ? 'Show fewer notes' : `Show ${hiddenCount} more note${hiddenCount === 1 ? '' : 's'}`;
      });
    }
    replace(this.list, ...items, more ? h('li', { class: 'note-more' }, more) : null);
  }
}
