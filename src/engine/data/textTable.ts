/**
 * Whether a `.txt` file is a tab-separated table rather than prose: what Excel's "Unicode Text"
 * export (UTF-16 LE with a byte-order mark, tab-separated, CRLF) and other tools save. Decided
 * from the first 64 KB, decoded as the table reader would decode them (fileText.ts), so the
 * CLI's `--source-kind auto` and the extension's choice of reader agree.
 */
import fs from 'node:fs';
import { fieldCounts } from './delimiter';
import { decodeBytes, sniffEncoding, SNIFF_BYTES } from './fileText';

/** Records inspected: enough to tell a table from prose with a stray tab. */
const SNIFF_RECORDS = 100;

/**
 * True when at least 3 non-blank lines among the first 100 all have the same number (≥ 2) of
 * tab-separated fields (quoted fields may hold tabs and line breaks). Prose with an occasional
 * tab, an unreadable or binary file: false (the caller reads it as text, which reports why).
 */
export function isTabSeparatedTable(file: string): boolean {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(SNIFF_BYTES);
      head = head.subarray(0, fs.readSync(fd, head, 0, SNIFF_BYTES, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  let text: string;
  try {
    text = decodeBytes(head, sniffEncoding(head, file, head.length < SNIFF_BYTES));
  } catch {
    return false;
  }
  return isTabSeparatedText(text, head.length < SNIFF_BYTES);
}

/**
 * The same test on text already decoded (an open editor's first lines): `whole` says the text
 * is the whole document (else its last, possibly cut, record is not counted).
 */
export function isTabSeparatedText(text: string, whole: boolean): boolean {
  const counts = fieldCounts(text, '\t', SNIFF_RECORDS, whole);
  return counts.length >= 3 && counts[0] >= 2 && counts.every((n) => n === counts[0]);
}
