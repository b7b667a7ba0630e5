/** Number formatting shared by hovers, the status bar, the tree and exports. */

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
