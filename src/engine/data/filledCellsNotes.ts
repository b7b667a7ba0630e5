/**
 * The notes on missing numeric cells filled with a mean: at fit time with the column mean
 * (tableDataset.ts), under a stored model with its training mean (TablePreprocessor.notes).
 * No heavy imports: the extension's restore path uses it.
 */

const COLUMN_MEAN_FILLED = 'missing numeric cells filled with the column mean in';

/** "x.csv: missing numeric cells filled with the column mean in "a", "b"." (`columns`: the names as listed). */
export function columnMeanFilledNote(name: string, columns: string): string {
  return `${name}: ${COLUMN_MEAN_FILLED} ${columns}.`;
}

/**
 * The fit's notes shown again with a restored model's (trial7 D11e): the restored model fills
 * missing cells with its stored training mean and says so ("… filled with the training mean: …"),
 * so the fit's "filled with the column mean" note on the same cells is left out: one wording.
 */
export function fitNotesUnderStoredModel(fitNotes: readonly string[]): string[] {
  return fitNotes.filter((n) => !n.includes(`: ${COLUMN_MEAN_FILLED} `));
}
