/**
 * Regression: negative numbers with more than 15 significant digits (what pandas' to_csv and
 * JavaScript's String(x) write for most doubles) kept their sign only on the fast path; the
 * exact Number() fallback negated them a second time. Every value must read back bit-exactly.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { readTable } from '../../../src/engine/data/tableFormats';
import { tempDir } from './fixturePaths';

it('reads negative full-precision doubles with their sign, bit-exactly', async () => {
  const values = [-1.1749440600158068, -0.6012900546173281, -5, -0.5, -1e3, -123456.78901234567, 1.3350333175303093, -2.2250738585072014e-308];
  const dir = tempDir('negative');
  const file = path.join(dir, 'n.csv');
  fs.writeFileSync(file, 'x\n' + values.map(String).join('\n') + '\n');
  const table = await readTable(file);
  assert.deepEqual(Array.from(table.columns[0].values), values);
  fs.rmSync(dir, { recursive: true, force: true });
});
