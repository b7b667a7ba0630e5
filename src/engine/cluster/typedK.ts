/**
 * Reads a k the user typed into the Cluster Dataset… input's k step, with the CLI's rule
 * (cli/options.ts integerOption: "--k must be an integer of at least 2, found …") and the
 * fit's (pipeline/fitModel.ts: k must not exceed the number of rows).
 *
 * Why: the k step is a QuickPick whose filter matched typed text against its items, so `1`
 * highlighted "10" and Enter took k = 10 without a word, while `250` or `3,5` matched nothing
 * and Enter did nothing (trial 6 D4). Typed text that holds a digit is now a k of its own:
 * either a value Enter takes, or a message saying why not. Text without a digit ("au") still
 * filters the items.
 */

/** What typed text means for the k step. */
export type TypedK =
  | { readonly kind: 'filter' }
  | { readonly kind: 'k'; readonly k: number }
  | { readonly kind: 'invalid'; readonly message: string };

export interface TypedKLimits {
  /** Largest k the input offers (the `neon.k` setting's documented range, 2 to 200). */
  readonly max: number;
  /** Data rows, when the whole file was inspected (k may not exceed it); undefined when unknown. */
  readonly rows?: number;
}

/**
 * @param text the QuickPick's value, as typed
 * @returns `filter` when the text holds no digit (it filters the items, e.g. "auto"); `k` for an
 *   integer from 2 to min(max, rows); `invalid` with the message to show otherwise.
 */
export function readTypedK(text: string, limits: TypedKLimits): TypedK {
  const v = text.trim();
  if (!/\d/.test(v)) return { kind: 'filter' };
  const n = /^[+]?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 2) return { kind: 'invalid', message: `k must be an integer of at least 2, found "${v}"` };
  if (limits.rows !== undefined && n > limits.rows) return { kind: 'invalid', message: `k = ${n} exceeds the number of rows (${limits.rows})` };
  if (n > limits.max) return { kind: 'invalid', message: `k must be at most ${limits.max} here, found "${v}" (the CLI's fit -k takes more)` };
  return { kind: 'k', k: n };
}
