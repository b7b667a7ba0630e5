/**
 * Theme colours for canvas drawing. CSS (media/panel.css) owns every colour; canvases can't
 * read CSS variables, so a hidden probe element resolves the ones they need to rgb() values.
 * VS Code swaps the body class and the variables on a theme change: observe both and redraw.
 */
import { parseCssColor, type Rgba } from './lib/color';
import { themeKindFromClasses, type ThemeKind } from './lib/palette';

export interface ThemeColors {
  readonly kind: ThemeKind;
  readonly foreground: Rgba;
  readonly muted: Rgba;
  readonly background: Rgba;
  readonly border: Rgba;
  readonly focus: Rgba;
  readonly evidenceFor: Rgba;
  readonly evidenceAgainst: Rgba;
  readonly fontFamily: string;
}

const FALLBACK: Rgba = { r: 128, g: 128, b: 128, a: 1 };

/** Resolves a CSS colour expression (may use var()) to RGBA via a probe's computed colour. */
function resolve(probe: HTMLElement, expr: string): Rgba {
  probe.style.color = expr; // CSSOM assignment: allowed by the CSP, unlike a style attribute in HTML.
  return parseCssColor(getComputedStyle(probe).color) ?? FALLBACK;
}

export function readTheme(): ThemeColors {
  const probe = document.createElement('span');
  probe.className = 'theme-probe';
  probe.setAttribute('aria-hidden', 'true');
  document.body.appendChild(probe);
  try {
    const colors: ThemeColors = {
      kind: themeKindFromClasses(document.body.classList),
      foreground: resolve(probe, 'var(--neon-fg)'),
      muted: resolve(probe, 'var(--neon-muted)'),
      background: resolve(probe, 'var(--neon-bg)'),
      border: resolve(probe, 'var(--neon-border)'),
      focus: resolve(probe, 'var(--neon-focus)'),
      evidenceFor: resolve(probe, 'var(--neon-for)'),
      evidenceAgainst: resolve(probe, 'var(--neon-against)'),
      fontFamily: getComputedStyle(document.body).fontFamily || 'sans-serif',
    };
    return colors;
  } finally {
    probe.remove();
  }
}

/** Calls `onChange` (debounced to a frame) whenever the theme may have changed. */
export function observeTheme(onChange: () => void): void {
  let pending = false;
  const fire = (): void => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  };
  const mo = new MutationObserver(fire);
  mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', fire);
}
