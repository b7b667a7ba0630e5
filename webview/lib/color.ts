/**
 * Colour arithmetic for canvas drawing. Canvas cannot use CSS variables or color-mix(),
 * so the UI reads the theme's colours once (getComputedStyle gives "rgb(...)" strings),
 * parses them here and mixes in plain numbers.
 */

export interface Rgba {
  readonly r: number; // 0..255
  readonly g: number;
  readonly b: number;
  readonly a: number; // 0..1
}

/**
 * Parses "#rgb", "#rgba", "#rrggbb", "#rrggbbaa", "rgb(r, g, b)", "rgba(r g b / a)" and
 * "color(srgb r g b / a)" (what browsers report for color-mix()); undefined otherwise.
 */
export function parseCssColor(text: string): Rgba | undefined {
  const s = text.trim().toLowerCase();
  const srgb = /^color\(srgb\s+([^)]*)\)$/.exec(s);
  if (srgb) {
    const parts = srgb[1].split(/[\s/]+/).filter((p) => p.length > 0).map((p) => (p.endsWith('%') ? parseFloat(p) / 100 : parseFloat(p)));
    if ((parts.length !== 3 && parts.length !== 4) || !parts.every(Number.isFinite)) return undefined;
    return { r: clamp(parts[0], 0, 1) * 255, g: clamp(parts[1], 0, 1) * 255, b: clamp(parts[2], 0, 1) * 255, a: parts.length === 4 ? clamp(parts[3], 0, 1) : 1 };
  }
  const hex = /^#([0-9a-f]{3,8})$/.exec(s);
  if (hex) {
    const h = hex[1];
    if (h.length === 3 || h.length === 4) {
      const c = (i: number): number => parseInt(h[i] + h[i], 16);
      return { r: c(0), g: c(1), b: c(2), a: h.length === 4 ? c(3) / 255 : 1 };
    }
    if (h.length === 6 || h.length === 8) {
      const c = (i: number): number => parseInt(h.slice(i, i + 2), 16);
      return { r: c(0), g: c(2), b: c(4), a: h.length === 8 ? c(6) / 255 : 1 };
    }
    return undefined;
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(s);
  if (!fn) return undefined;
  const parts = fn[1].split(/[\s,/]+/).filter((p) => p.length > 0);
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const channel = (p: string): number => (p.endsWith('%') ? (parseFloat(p) / 100) * 255 : parseFloat(p));
  const [r, g, b] = parts.slice(0, 3).map(channel);
  const a = parts.length === 4 ? (parts[3].endsWith('%') ? parseFloat(parts[3]) / 100 : parseFloat(parts[3])) : 1;
  if (![r, g, b, a].every(Number.isFinite)) return undefined;
  return { r: clamp(r, 0, 255), g: clamp(g, 0, 255), b: clamp(b, 0, 255), a: clamp(a, 0, 1) };
}

/** Linear blend from `from` (t = 0) to `to` (t = 1), per channel. */
export function mixRgb(from: Rgba, to: Rgba, t: number): Rgba {
  const u = clamp(t, 0, 1);
  return {
    r: from.r + (to.r - from.r) * u,
    g: from.g + (to.g - from.g) * u,
    b: from.b + (to.b - from.b) * u,
    a: from.a + (to.a - from.a) * u,
  };
}

/** Flattens a translucent colour onto an opaque background (what the eye sees). */
export function over(top: Rgba, background: Rgba): Rgba {
  return { ...mixRgb(background, { ...top, a: 1 }, top.a), a: 1 };
}

/** "rgb(r g b / a)" string for canvas fillStyle. */
export function toCss(c: Rgba): string {
  const r = Math.round(c.r);
  const g = Math.round(c.g);
  const b = Math.round(c.b);
  return c.a >= 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${Number(c.a.toFixed(3))})`;
}

/** WCAG relative luminance in [0, 1]. */
export function luminance(c: Rgba): number {
  const lin = (v: number): number => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG contrast ratio between two opaque colours (1..21). */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
