/**
 * Where a document's text is (DocumentRef), the one question every part that shows a document
 * asks (the editor's reveal, decorations and hovers, the panel, exports, the CLI's --id-column):
 *  - in its file's text, at UTF-16 offsets start..end: a file of a folder, a paragraph, a JSONL
 *    record, a cell of a CSV text column. An editor opens it there and decorates its words;
 *  - held by the document (`text`): a string cell of a binary table (Parquet), whose file has no
 *    text to point into. Its start..end and its tokens' offsets count in the held text, no editor
 *    shows it, and the panel takes its text from the dataset.
 */
import type { DocumentRef } from '../types';

/** Whether the document lies at offsets of its file's text (an editor can open and decorate it). */
export function inFileText(ref: DocumentRef): boolean {
  return ref.text === undefined;
}

/** A document that holds its text (no place in a file's text): offsets 0..text.length. */
export function heldDocumentRef(fields: Omit<DocumentRef, 'start' | 'end' | 'text'>, text: string): DocumentRef {
  return { ...fields, start: 0, end: text.length, text };
}

/**
 * The text a document's start..end and token offsets index: the held text, else its file's text
 * as `readFile` gives it (the extension reads the open editor's text when there is one).
 */
export async function documentSourceText(ref: DocumentRef, readFile: (file: string) => Promise<string>): Promise<string> {
  return ref.text ?? readFile(ref.path);
}

/**
 * Where a document is, for exports: `path:start-end` (UTF-16 offsets in its file), or the file
 * alone for a held document (its row is the export's `row`, its name says it too).
 */
export function documentLocation(ref: DocumentRef): string {
  return inFileText(ref) ? `${ref.path}:${ref.start}-${ref.end}` : ref.path;
}

/**
 * A document as notes name it: its name and its 0-based row (`corpus.jsonl:7 (row 6)`, the
 * number `neon-cluster explain` and Export give it, trial s19 D6), or its name alone when that
 * is its row already (a held document: `file.parquet row 6`).
 * @param index the document's index in its corpus (its row unless `ref.row` says otherwise)
 */
export function nameWithRow(ref: DocumentRef, index: number): string {
  return inFileText(ref) ? `${ref.name} (row ${ref.row ?? index})` : ref.name;
}
