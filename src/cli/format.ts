/** Output helpers for the CLI: CSV fields, numbers and aligned plain-text tables. */
import type { NeonOptions } from '../engine/types';

/** A CSV field, quoted when it holds a delimiter, quote or line break (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\n';
}

/**
 * Numbers with 8 significant digits: enough for relevances, short enough to read. A value that
 * is not finite (NaN marks one beyond float64, named in a note) is an empty field.
 */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (Number.isInteger(v)) return String(v);
  const s = v.toPrecision(8);
  // Fixed notation (1e-6 <= |v| < 1e8): dropping trailing zeros is exactly String(Number(s))
  // (distinct 8-digit decimals never share a double), without a parse per value.
  if (s.indexOf('e') < 0 && s.indexOf('.') >= 0) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    return s.slice(0, end);
  }
  return s.indexOf('e') < 0 ? s : String(Number(s));
}

/** Left-aligned columns separated by two spaces; numbers right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const isNumeric = header.map((_, j) => rows.length > 0 && rows.every((r) => /^-?[\d.e+-]+$/.test(r[j]) || r[j] === ''));
  const line = (cells: readonly string[]) =>
    cells.map((c, j) => (isNumeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd() + '\n';
  return line(header) + line(widths.map((w) => '-'.repeat(w))) + rows.map(line).join('');
}

/** The NEON options as JSON: the reference point as an array (a typed array would print as an object). */
export function neonJson(neon: NeonOptions): Record<string, unknown> {
  const { reference, ...rest } = neon;
  return { ...rest, ...(reference ? { reference: Array.from(reference) } : {}) };
}
