import * as vscode from 'vscode';
import { isTabSeparatedText } from '../../engine/data/textTable';

/** Above this size only the visible part (plus a margin) of a document is decorated / explained. */
export const LARGE_DOCUMENT_CHARS = 200_000;
const MARGIN_LINES = 100;

/** Offsets [start, end) of the part of `editor`'s document worth decorating. */
export function decoratedWindow(editor: vscode.TextEditor): { start: number; end: number } {
  const doc = editor.document;
  const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
  if (length <= LARGE_DOCUMENT_CHARS || editor.visibleRanges.length === 0) return { start: 0, end: length };
  const first = editor.visibleRanges[0]!.start.line;
  const last = editor.visibleRanges[editor.visibleRanges.length - 1]!.end.line;
  const from = Math.max(0, first - MARGIN_LINES);
  const to = Math.min(doc.lineCount - 1, last + MARGIN_LINES);
  return { start: doc.offsetAt(new vscode.Position(from, 0)), end: doc.offsetAt(doc.lineAt(to).range.end) };
}

/** Lines [first, last] worth decorating in a table (visible part plus a margin). */
export function decoratedLines(editor: vscode.TextEditor): { first: number; last: number } {
  const doc = editor.document;
  if (editor.visibleRanges.length === 0) return { first: 0, last: Math.min(doc.lineCount - 1, 2 * MARGIN_LINES) };
  const first = editor.visibleRanges[0]!.start.line;
  const last = editor.visibleRanges[editor.visibleRanges.length - 1]!.end.line;
  return { first: Math.max(0, first - MARGIN_LINES), last: Math.min(doc.lineCount - 1, last + MARGIN_LINES) };
}

/** Data files are tables or records, never prose, whatever language VS Code gives them (a CSV is "plaintext" without a CSV extension). */
const DATA_EXTENSIONS = ['.csv', '.tsv', '.jsonl', '.ndjson', '.json', '.parquet'];

/** Lines looked at to tell a tab-separated table from prose (as the table reader's sniff). */
const SNIFF_LINES = 100;

/**
 * Documents explained automatically when a text model exists: prose, not code, and not a data
 * file (a text model is applied only to text: a CSV is never explained as prose, nor a `.txt`
 * or untitled text that is a tab-separated table, such as Excel's "Unicode Text" export).
 */
export function isProse(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'plaintext' && doc.languageId !== 'markdown') return false;
  const name = doc.uri.path.toLowerCase();
  if (DATA_EXTENSIONS.some((ext) => name.endsWith(ext))) return false;
  if (doc.languageId !== 'plaintext') return true;
  const whole = doc.lineCount <= SNIFF_LINES;
  const head = doc.getText(whole ? undefined : new vscode.Range(0, 0, SNIFF_LINES, 0));
  return !isTabSeparatedText(head, whole);
}
