/**
 * Tokens: maximal runs of Unicode letters (with combining marks, so decomposed accents stay
 * inside a word), lower-cased, at least `minWordLength` letters, stop words removed.
 * Offsets are UTF-16 offsets of the run in the given text (end exclusive).
 *
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
 * Myanmar) are split into words by the ICU dictionary segmenter that Node ships
 * (`Intl.Segmenter`, word granularity; Node's official builds carry full ICU data), only
 * where a run contains such letters, so Latin text keeps its fast path. The minimum length
 * fits the script: one Han character is a word (北, 学); kana, Thai and the other segmented
 * scripts need SEGMENTED_MIN_LENGTH letters (single kana are mostly particles: の, に, を);
 * Latin and other spaced scripts keep `minWordLength`.
 */
import { stopWordSet } from './stopWords';

export interface TokenizeOptions {
  readonly minWordLength: number;
  /** Stop-word language code ('en', 'de', 'fr', 'es', 'none'). */
  readonly stopWords: string;
}

const WORD = /[\p{L}\p{M}]+/gu;
/** Letters of scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const HAN = /\p{Script=Han}/u;
/** Minimum letters of a segmented word without Han characters (kana, Thai, ...). */
export const SEGMENTED_MIN_LENGTH = 2;

let segmenter: Intl.Segmenter | undefined;
/** One word segmenter for every unspaced script (ICU picks the dictionary by script, not by locale). */
function wordSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
  return segmenter;
}

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
    if (UNSPACED.test(raw)) {
      visitSegmented(raw, m.index, minWordLength, stop, visit);
      continue;
    }
    visitWord(raw, m.index, minWordLength, stop, visit);
  }
}

function visitWord(raw: string, at: number, minWordLength: number, stop: ReadonlySet<string>, visit: (word: string, start: number, end: number) => void): void {
  if (raw.length < minWordLength) return;
  if (raw.length < 2 * minWordLength && codePointLength(raw) < minWordLength) return;
  const word = raw.toLowerCase();
  if (stop.has(word)) return;
  visit(word, at, at + raw.length);
}

/** The words of a letter run that contains unspaced-script letters, by ICU's segmenter. */
function visitSegmented(run: string, at: number, minWordLength: number, stop: ReadonlySet<string>, visit: (word: string, start: number, end: number) => void): void {
  for (const seg of wordSegmenter().segment(run)) {
    if (!seg.isWordLike) continue;
    const piece = seg.segment;
    const start = at + seg.index;
    if (!UNSPACED.test(piece)) {
      visitWord(piece, start, minWordLength, stop, visit);
      continue;
    }
    const min = HAN.test(piece) ? 1 : Math.min(minWordLength, SEGMENTED_MIN_LENGTH);
    if (codePointLength(piece) < min) continue;
    const word = piece.toLowerCase();
    if (stop.has(word)) continue;
    visit(word, start, start + piece.length);
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
