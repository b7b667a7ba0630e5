/**
 * The only way this UI builds DOM. Children that are strings become Text nodes and
 * attributes go through setAttribute, so dataset strings (cell values, document text,
 * column names) can never become markup: `<img src=x onerror=…>` renders as those characters.
 * There is deliberately no innerHTML anywhere in webview/.
 */

export type Child = Node | string | number | null | undefined | false;
export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;

/** Creates an element; `true` attributes are set empty, false/null/undefined are skipped. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** SVG element (createElementNS); presentation attributes are attributes, not inline styles, so CSP allows them. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

export function setAttrs(el: Element, attrs?: Attrs | null): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces all children of `el` (replaceChildren is text-safe: strings become Text nodes). */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** A codicon glyph (font icon via class; decorative unless labelled). */
export function codicon(name: string, label?: string): HTMLElement {
  const attrs: Record<string, AttrValue> = { class: `codicon codicon-${name}` };
  if (label) {
    attrs.role = 'img';
    attrs['aria-label'] = label;
  } else {
    attrs['aria-hidden'] = 'true';
  }
  return h('span', attrs);
}

/** A vscode-elements button; `icon` is a codicon name. Click and keyboard both fire 'click'. */
export function button(label: string, onClick: () => void, opts: { icon?: string; secondary?: boolean; title?: string; id?: string } = {}): HTMLElement {
  const b = h('vscode-button', { icon: opts.icon, secondary: opts.secondary, title: opts.title, id: opts.id }, label);
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

/** A vscode-badge with text content. */
export function badge(text: string, title?: string, variant?: 'counter'): HTMLElement {
  return h('vscode-badge', { title, variant }, text);
}

/** A unique-enough id for aria relations. */
let nextId = 0;
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * Tells screen-reader users what changed (e.g. "Explanation of row 5 …") through one polite
 * live region, instead of making whole views live and having them read out in full.
 */
export function announce(text: string): void {
  let region = document.getElementById('announcer');
  if (!region) {
    region = h('div', { id: 'announcer', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(region);
  }
  region.textContent = text;
}
