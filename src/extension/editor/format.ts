/** Number formatting shared by hovers, the status bar, the tree and exports (no vscode import: unit-tested). */
import type { WordStanding } from '../../engine/relevance/wordStanding';

/** Signed relevance with 3 decimals ("+0.123", "-0.045"); tiny values in exponent form. */
export function signed(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const body = abs !== 0 && abs < 0.001 ? abs.toExponential(2) : abs.toFixed(3);
  return `${value < 0 ? '-' : '+'}${body}`;
}

export function plain(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** 1-based rank of `values[index]` among `values[from..to)` by value, largest first. */
export function rankOf(values: ArrayLike<number>, from: number, to: number, index: number): number {
  const v = values[index]!;
  let rank = 1;
  for (let i = from; i < to; i++) if (values[i]! > v) rank++;
  return rank;
}

/**
 * A word's relevance as the CLI and the panel rank it (summed over its occurrences in the
 * document, ranked among the document's words), and the hovered occurrence's share:
 * "Relevance +0.397 in 3 occurrences (rank 1 of 17 words; this occurrence +0.132)".
 */
export function wordLine(s: WordStanding, occurrence: number): string {
  const rank = `rank ${s.rank} of ${s.words} word${s.words === 1 ? '' : 's'}`;
  return s.occurrences > 1 ? `Relevance ${signed(s.total)} in ${s.occurrences} occurrences (${rank}; this occurrence ${signed(occurrence)})` : `Relevance ${signed(s.total)} (${rank})`;
}
