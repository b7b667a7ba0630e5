/**
 * Categorical colours and marker shapes for clusters. Colours come from a fixed list tuned
 * per theme kind (dark themes need lighter tones, high contrast needs saturated ones);
 * shapes repeat with a different period so two clusters never share both colour and shape
 * (for high contrast themes and colour-blind users).
 */

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

// Tableau-10-like hues, reordered so neighbours in the list differ strongly.
const LIGHT = ['#1f77b4', '#d62728', '#2ca02c', '#d96400', '#9467bd', '#8c564b', '#c7409f', '#0f8c99', '#7f7f7f', '#8c8d00', '#393b79', '#637939'];
const DARK = ['#4e9de6', '#f0605d', '#5fc45f', '#ffa64d', '#b48ee0', '#c99a8a', '#f29ad6', '#40d6e6', '#b3b3b3', '#d8d94a', '#8c8fe8', '#a6c46a'];
const HC_DARK = ['#6fc3ff', '#ff6b6b', '#7dff7d', '#ffc14d', '#e0a6ff', '#ffffff', '#ff8ce0', '#4dffff', '#ffff4d', '#c0c0ff', '#ffb3b3', '#b3ffb3'];
const HC_LIGHT = ['#0050a0', '#b00000', '#006000', '#a04000', '#5a2a90', '#000000', '#a0005a', '#006070', '#606000', '#202080', '#703000', '#305000'];

export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'triangle-down'] as const;
export type MarkerShape = (typeof SHAPES)[number];

/** Theme kind from the body classes VS Code sets on a webview. */
export function themeKindFromClasses(classes: Iterable<string>): ThemeKind {
  const set = new Set(classes);
  if (set.has('vscode-high-contrast-light')) return 'high-contrast-light';
  if (set.has('vscode-high-contrast')) return 'high-contrast';
  if (set.has('vscode-light')) return 'light';
  return 'dark';
}

/** Colour of cluster `index` (hex), cycling through the theme's list. */
export function clusterColor(index: number, kind: ThemeKind): string {
  const list = kind === 'light' ? LIGHT : kind === 'high-contrast' ? HC_DARK : kind === 'high-contrast-light' ? HC_LIGHT : DARK;
  const i = ((Math.trunc(index) % list.length) + list.length) % list.length;
  return list[i];
}

/**
 * Marker shape of cluster `index`. Colours repeat every 12 clusters and shapes every 6, so
 * the shape shifts by one each time the colours wrap: clusters j and j + 12 share a colour
 * but never a shape.
 */
export function clusterShape(index: number): MarkerShape {
  const i = Math.max(0, Math.trunc(index));
  const wraps = Math.floor(i / 12);
  return SHAPES[(i + wraps) % SHAPES.length];
}

/** Number of distinct colours available per theme (for tests and legends). */
export const PALETTE_SIZE = LIGHT.length;

/**
 * SVG path data for a marker of radius `r` centred at the origin. The same string draws
 * the map's points (canvas Path2D) and the swatches in legends, cards and lists (SVG), so
 * a cluster looks identical everywhere.
 */
export function markerPathData(shape: MarkerShape, r: number): string {
  const f = (v: number): string => String(Math.round(v * 1000) / 1000);
  const poly = (pts: readonly (readonly [number, number])[]): string => `M${pts.map(([x, y]) => `${f(x)} ${f(y)}`).join('L')}Z`;
  switch (shape) {
    case 'circle':
      return `M${f(-r)} 0A${f(r)} ${f(r)} 0 1 0 ${f(r)} 0A${f(r)} ${f(r)} 0 1 0 ${f(-r)} 0Z`;
    case 'square': {
      const s = r * 0.85;
      return poly([[-s, -s], [s, -s], [s, s], [-s, s]]);
    }
    case 'triangle':
      return poly([[0, -r * 1.1], [r, r * 0.75], [-r, r * 0.75]]);
    case 'triangle-down':
      return poly([[0, r * 1.1], [r, -r * 0.75], [-r, -r * 0.75]]);
    case 'diamond': {
      const s = r * 1.15;
      return poly([[0, -s], [s, 0], [0, s], [-s, 0]]);
    }
    case 'cross': {
      const t = r * 0.4;
      return poly([[-t, -r], [t, -r], [t, -t], [r, -t], [r, t], [t, t], [t, r], [-t, r], [-t, t], [-r, t], [-r, -t], [-t, -t]]);
    }
  }
}

/**
 * SVG path data for the marker of an item in no cluster (a document without a usable word):
 * a ring with a slash, the map's and lists' counterpart of the tree's circle-slash icon for
 * "No usable words · not in any cluster". Drawn stroked in a neutral colour, never filled
 * in a cluster colour, so it cannot be read as a member of any cluster (trial s19 D4).
 */
export function noClusterPathData(r: number): string {
  const f = (v: number): string => String(Math.round(v * 1000) / 1000);
  const d = r * Math.SQRT1_2;
  return `${markerPathData('circle', r)}M${f(-d)} ${f(d)}L${f(d)} ${f(-d)}`;
}
