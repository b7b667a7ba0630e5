import type { KSuggestion } from '../types';

/**
 * A note when `k = auto` chose the largest k it tried, or undefined otherwise.
 *
 * Why: the score still being best at the top of the range means the data may hold more
 * clusters than the range allows, and a user reading "k = 10 chosen as the best silhouette over
 * k = 2..10" cannot tell that 10 was the ceiling. On tables a cause can be one categorical
 * column: its one-hot features split every real cluster again by category (a noise `city` of 3
 * values took a 3-segment customer table to k = 10 in trial s19 with 0/1 indicators; 2 since
 * they are 1/√2, data/categoryIndicator.ts), so the note names both
 * ways out. Nothing is said when the top k tried was lowered by the data (fewer rows or
 * distinct points than `kRange`'s upper end): a larger k is then impossible anyway.
 *
 * @param suggestion the scores `cluster/suggestK.ts` returned (one entry per k tried, ascending k).
 * @param rangeTop the upper end of the `kRange` setting.
 */
export function largestKTriedNote(suggestion: KSuggestion, rangeTop: number): string | undefined {
  const scores = suggestion.scores;
  if (scores.length < 2) return undefined;
  const top = scores[scores.length - 1].k;
  if (suggestion.k !== top || top !== rangeTop) return undefined;
  return (
    `k = ${top} is the largest k tried (kRange ${scores[0].k}..${top}): the score was best at the end of the range, so the data may hold more clusters. ` +
    'Set k to a larger number to see; if clusters are named by one category column, leaving that column out may be the better fix.'
  );
}
