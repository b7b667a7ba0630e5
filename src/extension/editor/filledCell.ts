/**
 * What the hover says about a numeric feature cell that was read as missing (empty, NaN, inf,
 * `n/a`, …) and filled with the mean (trial7 D8: an `inf` cell showed "Relevance +4.42e-16
 * (rank 5 of 5 columns)", float noise read as a rank). No vscode import: unit-tested.
 */
import { plain, signed } from './format';

/**
 * Whether the text of a numeric column's cell was read as missing: no digit in it (empty, a
 * missing-value token such as NaN or n/a, ±inf, a placeholder like `-`). Every number the
 * reader accepts has a digit; every cell without one is missing in a numeric column.
 */
export function readAsMissing(text: string): boolean {
  return !/\p{Nd}/u.test(text);
}

/**
 * "Read as missing ("inf") and filled with the column mean 31.67: no relevance (+4.42e-16 is
 * rounding)." — relevance counts as none when |r| ≤ 1e-9 · max(1, |evidence|) (the mean is the
 * reference point, where a column's share vanishes); otherwise the sentence ends at the mean
 * and the relevance line follows. `meanName`: "the column mean", "the training mean".
 */
export function filledCellLine(text: string, mean: number, meanName: string, relevance: number, evidence: number): { text: string; noRelevance: boolean } {
  const what = text.trim() === '' ? 'an empty cell' : `"${text.trim()}"`;
  const head = `Read as missing (${what}) and filled with ${meanName} ${plain(mean)}`;
  const noRelevance = Math.abs(relevance) <= 1e-9 * Math.max(1, Math.abs(evidence));
  return noRelevance ? { text: `${head}: no relevance (${signed(relevance)} is rounding).`, noRelevance } : { text: `${head}.`, noRelevance };
}
