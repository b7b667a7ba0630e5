/**
 * Where one word occurrence stands in its document, as the CLI and the panel count: a word's
 * relevance is the sum over its occurrences in the document (export/explanations.ts "top
 * words"), and words are ranked by that sum. The hover used to rank single occurrences
 * (trial 6 D6: "portfolio" +0.132, rank 14 of 27, while `explain` listed portfolio first at
 * +0.397 = 3 × 0.132); it now gives both the word's total and rank and the occurrence's share.
 */

export interface WordStanding {
  /** The word's relevance summed over its occurrences in the document. */
  readonly total: number;
  /** Its occurrences in the document. */
  readonly occurrences: number;
  /** 1-based rank of the word's total among the document's distinct words, largest first (ties share a rank). */
  readonly rank: number;
  /** Distinct words in the document. */
  readonly words: number;
}

/**
 * @param wordOf the word of token i (a vocabulary index or the word itself), for i in [from, to)
 * @param relevance per-token relevance (the same indexing)
 * @param t the hovered token, from ≤ t < to
 */
export function wordStanding(wordOf: (i: number) => number | string, relevance: ArrayLike<number>, from: number, to: number, t: number): WordStanding {
  const totals = new Map<number | string, { total: number; occurrences: number }>();
  for (let i = from; i < to; i++) {
    const w = wordOf(i);
    const e = totals.get(w);
    if (e) {
      e.total += relevance[i];
      e.occurrences++;
    } else totals.set(w, { total: relevance[i], occurrences: 1 });
  }
  const own = totals.get(wordOf(t))!;
  let rank = 1;
  for (const e of totals.values()) if (e.total > own.total) rank++;
  return { total: own.total, occurrences: own.occurrences, rank, words: totals.size };
}
