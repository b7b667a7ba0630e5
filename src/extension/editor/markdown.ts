/**
 * Dataset text inside Markdown (hovers): every ASCII punctuation character is
 * backslash-escaped (CommonMark), so a cell like `<img onerror=…>` or `[x](command:…)` stays
 * literal text. Unlike MarkdownString.appendText this keeps ordinary spaces, so the rendered
 * hover reads (and is searched) as plain text.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}
