/**
 * Cluster identity in the DOM: colours live in CSS custom properties (--cluster-N on the
 * root, set through CSSOM) so every swatch follows a theme change without re-rendering;
 * shapes come from the palette so the map, legend, cards and lists agree.
 */
import { svg } from './dom';
import { clusterColor, clusterShape, markerPathData, noClusterPathData, type ThemeKind } from './lib/palette';

/** Publishes --cluster-0 .. --cluster-(k-1) for the current theme kind. */
export function applyClusterColors(k: number, kind: ThemeKind): void {
  const root = document.documentElement;
  for (let i = 0; i < k; i++) root.style.setProperty(`--cluster-${i}`, clusterColor(i, kind));
}

/** A small decorative SVG marker in cluster `index`'s colour and shape. */
export function clusterSwatch(index: number, size = 12): SVGSVGElement {
  const r = size * 0.38;
  const el = svg('svg', { class: 'swatch', width: size, height: size, viewBox: `${-size / 2} ${-size / 2} ${size} ${size}`, 'aria-hidden': 'true', focusable: 'false' }, svg('path', { d: markerPathData(clusterShape(index), r) }));
  el.style.setProperty('--swatch', `var(--cluster-${index})`);
  return el;
}

/** The neutral marker of an item in no cluster (a document without a usable word): a ring with a slash. */
export function noClusterSwatch(size = 12): SVGSVGElement {
  return svg('svg', { class: 'swatch swatch-none', width: size, height: size, viewBox: `${-size / 2} ${-size / 2} ${size} ${size}`, 'aria-hidden': 'true', focusable: 'false' }, svg('path', { d: noClusterPathData(size * 0.38) }));
}

/** Name of the no-cluster group, as the Clusters tree calls it. */
export const NO_CLUSTER_NAME = 'No usable words · not in any cluster';

/** "Cluster 2 · label" (label omitted when empty or the same as the default name). */
export function clusterName(index: number, label?: string): string {
  const base = `Cluster ${index}`;
  const l = (label ?? '').trim();
  return l.length === 0 || l === base ? base : `${base} · ${l}`;
}
