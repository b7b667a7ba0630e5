/**
 * Trial7 D11e: after a restart the panel said both "filled with the column mean" (the fit's
 * stored notes) and "filled with the training mean" (the restored model's) for the same cells.
 * Under a stored model the fit's note is left out: one wording, the training mean's.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fitNotesUnderStoredModel } from '../../../src/engine/data/filledCellsNotes';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { FIXTURES } from './fixturePaths';

test('sensors.csv (NaN temperatures, inf humidity) fitted, then explained under its model as a restore does: one note on filled cells', async () => {
  const file = path.join(FIXTURES, 'trial7', 'sensors.csv');
  const settings = { ...DEFAULT_SETTINGS, k: 3, flippingSample: 0 };
  const fit = await runPipeline({ kind: 'table', path: file }, settings);
  const fitNotes = [...new Set([...fit.result.dataset.notes, ...fit.result.notes])];
  assert.ok(fitNotes.some((n) => /^sensors\.csv: missing numeric cells filled with the column mean in .*"temperature"/.test(n)), fitNotes.join('\n'));
  const restored = await runPipeline({ kind: 'table', path: file }, { ...settings, beta: fit.result.neon.beta }, undefined, {
    model: fit.result.model,
    preprocessing: fit.result.preprocessing,
    featureNames: fit.result.featureNames,
  });
  const shown = [...new Set([...fitNotesUnderStoredModel(fitNotes), ...restored.result.dataset.notes, ...restored.result.notes])];
  const filled = shown.filter((n) => /filled with the (column|training) mean/.test(n));
  assert.equal(filled.length, 1, filled.join('\n'));
  assert.match(filled[0]!, /^sensors\.csv: missing numeric cells filled with the training mean: .*"temperature" \d+/);
  // The other fit notes stay (how the file was read).
  assert.equal(fitNotesUnderStoredModel(fitNotes).length, fitNotes.length - 1);
});
