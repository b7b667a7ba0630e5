import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filledCellLine, readAsMissing } from '../../../src/extension/editor/filledCell';

test('trial7 D8: a numeric cell without a digit was read as missing; the hover says it was filled with the mean, not float noise as a rank', () => {
  for (const t of ['inf', '-inf', 'NaN', '', '  ', 'n/a', '-', '?', 'null']) assert.equal(readAsMissing(t), true, t);
  for (const t of ['0', '31.6', '-1e-3', '1,234.5', '٣']) assert.equal(readAsMissing(t), false, t);
  assert.deepEqual(filledCellLine('inf', 31.6667, 'the column mean', 4.42e-16, 2.1), {
    text: 'Read as missing ("inf") and filled with the column mean 31.667: no relevance (+4.42e-16 is rounding).',
    noRelevance: true,
  });
  assert.deepEqual(filledCellLine('', 5, 'the training mean', 0.25, 2), { text: 'Read as missing (an empty cell) and filled with the training mean 5.000.', noRelevance: false });
});
