/**
 * Tokens: maximal runs of Unicode letters (with combining marks, so decomposed accents stay
 * inside a word), lower-cased, at least `minWordLength` letters, stop words removed.
 * Offsets are UTF-16 offsets of the run in the given text (end exclusive).
 */
import { stopWordSet } from './stopWords';

export interface TokenizeOptions {
  readonly minWordLength: number;
  /** Stop-word language code ('en', 'de', 'fr', 'es', 'none'). */
  readonly stopWords: string;
}

const WORD = /[\p{L}\p{M}]+/gu;

/** Number of code points of `s` (a letter outside the BMP is one letter, two UTF-16 units). */
function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/**
 * Calls `visit(word, start, end)` for each token of `text` in order. Used by the corpus loader
 * to tokenise without building intermediate arrays.
 */
export function forEachToken(
  text: string,
  minWordLength: number,
  stop: ReadonlySet<string>,
  visit: (word: string, start: number, end: number) => void,
): void {
  const re = new RegExp(WORD); // own lastIndex: safe if `visit` tokenises too
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const raw = m[0];
    if (raw.length < minWordLength) continue;
    if (raw.length < 2 * minWordLength && codePointLength(raw) < minWordLength) continue;
    const word = raw.toLowerCase();
    if (stop.has(word)) continue;
    visit(word, m.index, m.index + raw.length);
  }
}

export function tokenize(text: string, opts: TokenizeOptions): { words: string[]; start: Int32Array; end: Int32Array } {
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  forEachToken(text, opts.minWordLength, stopWordSet(opts.stopWords), (w, s, e) => {
    words.push(w);
    starts.push(s);
    ends.push(e);
  });
  return { words, start: Int32Array.from(starts), end: Int32Array.from(ends) };
}
