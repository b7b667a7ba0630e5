import { formatCount as sharedFormatCount } from '../../src/protocol/count';
/**
 * Number formatting for the panel. Every number the UI shows goes through here so that
 * values read the same in cards, bars, tooltips and tables (and e2e tests can parse them):
 * ASCII minus sign, a fixed count of significant digits, exponent form only for extremes.
 */

/** Shown for missing or non-finite values instead of "NaN" or "undefined". */
export const MISSING = '—';

/** `x` with `digits` significant digits; exponent form outside [1e-3, 1e6). */
export function formatNumber(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return MISSING;
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-3) return x.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
  // toPrecision gives significant digits; Number() drops the trailing zeros it pads with.
  return String(Number(x.toPrecision(digits)));
}

/** Like formatNumber but always signed ("+0.12", "-0.034"), for relevance values. */
export function formatSigned(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return MISSING;
  const s = formatNumber(x, digits);
  return x > 0 ? `+${s}` : s;
}

/** A fraction in [0, 1] as a percentage ("83.4%"); `digits` decimals. */
export function formatPercent(fraction: number | undefined, digits = 1): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Milliseconds, readable at any scale ("0.42 ms", "12 ms", "3.1 s"). */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return MISSING;
  if (ms >= 1000) return `${formatNumber(ms / 1000, 2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${formatNumber(ms, 2)} ms`;
}

/** Integer counts with thousands separators fixed to a thin, locale-free form ("12 345"). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return MISSING;
  // The host writes VS Code's display language into <html lang>: the same grouping as the tree and hovers.
  const lang = (globalThis as { document?: { documentElement?: { lang?: string } } }).document?.documentElement?.lang ?? '';
  return sharedFormatCount(n, lang || 'en');
}

/** Display names of the quality metrics the host may send, in the order shown. */
export const QUALITY_LABELS: readonly (readonly [key: string, label: string])[] = [
  ['silhouette', 'Silhouette'],
  ['purity', 'Purity'],
  ['nmi', 'NMI'],
  ['ari', 'ARI'],
  ['accuracy', 'Accuracy'],
];

/**
 * The metrics present in `quality`, known ones first in QUALITY_LABELS order, then any
 * others the host adds (so a new metric shows up without a webview change).
 */
export function qualityEntries(quality: Readonly<Record<string, number | undefined>>): { key: string; label: string; value: number }[] {
  const out: { key: string; label: string; value: number }[] = [];
  const seen = new Set<string>();
  for (const [key, label] of QUALITY_LABELS) {
    const match = Object.keys(quality).find((k) => k.toLowerCase() === key);
    if (match === undefined) continue;
    seen.add(match);
    const v = quality[match];
    if (v !== undefined && Number.isFinite(v)) out.push({ key: match, label, value: v });
  }
  for (const [key, v] of Object.entries(quality)) {
    if (seen.has(key) || v === undefined || !Number.isFinite(v)) continue;
    out.push({ key, label: key, value: v });
  }
  return out;
}

/** Display names of the explanation methods the engine reports by id (feature flipping). */
const METHOD_NAMES: Readonly<Record<string, string>> = {
  neon: 'NEON',
  sensitivity: 'Sensitivity',
  'gradient-x-input': 'Gradient × Input',
  'integrated-gradients': 'Integrated Gradients',
};

/** "gradient-x-input" → "Gradient × Input"; unknown ids are shown as given. */
export function methodName(id: string): string {
  return METHOD_NAMES[id.toLowerCase()] ?? id;
}

/**
 * Each share as a fraction of their sum, when that is meaningful (all finite, none
 * negative, positive sum); undefined otherwise. Competitor shares R_k may be raw
 * relevance (summing to the evidence) or already fractions: this reads both the same way.
 */
export function shareFractions(shares: readonly number[]): number[] | undefined {
  if (shares.length === 0 || shares.some((s) => !Number.isFinite(s) || s < 0)) return undefined;
  const total = shares.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return undefined;
  return shares.map((s) => s / total);
}
