/**
 * Any text (an open editor, a new document) embedded under a fitted TextPreprocessing: the
 * same tokens, the same vocabulary, x = σ · Σ of the known tokens' wordVectors rows
 * (data/documentVector.ts: the mean, or the mean at unit length).
 */
import type { TextPreprocessing } from '../types';
import { documentVector, normalizationOf } from './documentVector';
import { stopWordSet } from './stopWords';
import { forEachToken } from './tokenize';

export interface EmbeddedText {
  /** Feature vector (length pre.dim); zeros when no token is known. */
  readonly x: Float64Array;
  /** σ: x = σ · Σ of the known tokens' rows (0 when no token is known). */
  readonly scale: number;
  /** Known tokens only: vocabulary index and UTF-16 offsets into the given text. */
  readonly word: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly words: string[];
  /** Tokens whose word is not in the vocabulary (not in `word`, no relevance). */
  readonly unknownWords: number;
}

const vocabularyIndex = new WeakMap<TextPreprocessing, Map<string, number>>();

function indexOf(pre: TextPreprocessing): Map<string, number> {
  let index = vocabularyIndex.get(pre);
  if (!index) {
    index = new Map();
    pre.vocabulary.forEach((w, i) => index?.set(w, i));
    vocabularyIndex.set(pre, index);
  }
  return index;
}

export function embedText(text: string, pre: TextPreprocessing): EmbeddedText {
  const index = indexOf(pre);
  const words: string[] = [];
  const ids: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let unknownWords = 0;
  forEachToken(text, pre.minWordLength, stopWordSet(pre.stopWords), (w, s, e) => {
    const id = index.get(w);
    if (id === undefined) {
      unknownWords++;
      return;
    }
    words.push(w);
    ids.push(id);
    starts.push(s);
    ends.push(e);
  });
  const x = new Float64Array(pre.dim);
  const scale = documentVector(pre.wordVectors, pre.dim, normalizationOf(pre), ids, 0, ids.length, x);
  return { x, scale, word: Int32Array.from(ids), start: Int32Array.from(starts), end: Int32Array.from(ends), words, unknownWords };
}
