/**
 * One format for counts of rows, documents and members everywhere a user reads them (tree,
 * hovers, pickers, messages, panel): digits grouped as the user's display language groups them
 * ("200,000" in English, "200.000" in German), no decimals. The extension passes VS Code's
 * display language (vscode.env.language); the panel's <html lang> carries the same tag.
 */
const formats = new Map<string, Intl.NumberFormat>();

export function formatCount(n: number, locale = 'en'): string {
  if (!Number.isFinite(n)) return String(n);
  let f = formats.get(locale);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    } catch {
      f = new Intl.NumberFormat('en', { maximumFractionDigits: 0 }); // an invalid tag: English grouping
    }
    formats.set(locale, f);
  }
  return f.format(Math.round(n));
}
