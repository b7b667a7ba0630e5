import { formatCount } from './format';

/**
 * Keyboard model and windowing for the map's item listbox (#map-list): which option a key
 * moves to, and which rows a scrolled viewport needs, so thousands of items stay cheap.
 */

/** Position after `key` in a list of `count` options; `current` -1 = nothing active yet. Undefined: key not handled. */
export function nextActiveIndex(key: string, current: number, count: number, pageSize: number): number | undefined {
  if (count <= 0) return undefined;
  const last = count - 1;
  const cur = current < 0 ? -1 : Math.min(current, last);
  switch (key) {
    case 'ArrowDown':
      return cur < 0 ? 0 : Math.min(last, cur + 1);
    case 'ArrowUp':
      return cur < 0 ? 0 : Math.max(0, cur - 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageDown':
      return Math.min(last, Math.max(0, cur) + Math.max(1, pageSize));
    case 'PageUp':
      return Math.max(0, Math.max(0, cur) - Math.max(1, pageSize));
    default:
      return undefined;
  }
}

/** Rows [start, end) a viewport shows at `scrollTop`, plus `overscan` rows either side. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): { start: number; end: number } {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  // A scrollTop left over from a longer list (the browser clamps it later) shows the end.
  const first = Math.min(Math.floor(Math.max(0, scrollTop) / rowHeight), Math.max(0, count - visible + 1));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end: Math.max(start, end) };
}

/** scrollTop that brings row `index` fully into a viewport (unchanged if already visible). */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/**
 * Indices of items whose name contains `query` (case-insensitive) and, when `cluster` is
 * given, that are assigned to it. An empty query keeps every item.
 */
export function filterItems(names: readonly string[], assignments: readonly number[], query: string, cluster?: number): number[] {
  const q = query.trim().toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < names.length; i++) {
    if (cluster !== undefined && assignments[i] !== cluster) continue;
    if (q.length > 0 && !names[i].toLowerCase().includes(q)) continue;
    out.push(i);
  }
  return out;
}

/**
 * The item list's count and its tooltip. `listed`: items the map and list carry; `total`: items
 * of the result — more when the map shows an evenly spaced sample (toWebview.ts MAP_POINTS), so
 * the count never reads as if the list held every row.
 */
export function listCount(visible: number, listed: number, total: number): { text: string; title: string } {
  const sampled = listed < total;
  const title = sampled
    ? `The map and this list show an evenly spaced sample of ${formatCount(listed)} of the ${formatCount(total)} items; the Clusters tree and Export Explanations… have all of them.`
    : '';
  if (visible === listed) return { text: sampled ? `${formatCount(listed)} of ${formatCount(total)} items (evenly spaced)` : `${formatCount(total)} items`, title };
  return { text: sampled ? `${formatCount(visible)} of ${formatCount(listed)} shown (${formatCount(total)} in all)` : `${formatCount(visible)} of ${formatCount(total)}`, title };
}
