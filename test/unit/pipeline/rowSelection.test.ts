import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../../../src/engine/pipelineTypes';
import { bytesPerRow } from '../../../src/engine/pipeline/rowBudget';
import { sampleIndices } from '../../../src/engine/pipeline/sampledTable';
import { Rng } from '../../../src/engine/rng';
import { tempDir } from './syntheticData';

const dir = tempDir('rows');
const file = path.join(dir, 'sorted.csv');
{
  // 5,000 rows sorted by `t`: the first rows alone would see only small t.
  const rng = new Rng(3);
  const lines = ['t,a,b,kind'];
  for (let i = 0; i < 5000; i++) lines.push(`${i},${(rng.normal() + (i % 3) * 4).toFixed(3)},${rng.normal().toFixed(3)},${['x', 'y'][i % 2]}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
const base: ClusterSettings = { ...DEFAULT_SETTINGS, k: 3, restarts: 2, flippingSample: 0 };

test('default: every row, and the result and a note say so', async () => {
  const { result } = await runPipeline({ kind: 'table', path: file }, base);
  assert.equal(result.dataset.rows, 5000);
  assert.deepEqual(result.rowSelection, { rows: 5000, totalRows: 5000, method: 'all' });
  assert.ok(result.notes.includes('sorted.csv: all 5,000 rows clustered and explained.'), result.notes.join('\n'));
});

test('maxRows N: the first N rows, said as such', async () => {
  const { result } = await runPipeline({ kind: 'table', path: file }, { ...base, maxRows: 300 });
  assert.equal(result.dataset.rows, 300);
  assert.deepEqual(result.rowSelection, { rows: 300, method: 'first' });
  assert.ok(result.notes.some((n) => n.startsWith('sorted.csv: 300 of more rows clustered and explained: the first rows')), result.notes.join('\n'));
});

test('beyond the memory budget: a seeded uniform random sample of the rows that fit, in file order', async () => {
  const budgetMb = (600 * bytesPerRow(4)) / 2 ** 20;
  const { result } = await runPipeline({ kind: 'table', path: file }, { ...base, memoryBudgetMb: budgetMb });
  const sel = result.rowSelection;
  assert.ok(sel && sel.method === 'sample', JSON.stringify(sel));
  assert.equal(sel.rows, 600);
  assert.equal(sel.totalRows, 5000);
  assert.equal(sel.seed, base.seed);
  assert.equal(result.dataset.rows, 600);
  assert.ok(result.notes.some((n) => /^sorted\.csv: 600 of 5,000 rows fitted: a uniform random sample \(seed 42\).*; all 5,000 rows assigned and explained in a streaming pass/.test(n)), result.notes.join('\n'));
  // Rows keep their own source lines, ascending, spread over the whole file (not the first 600).
  const lines = result.dataset.kind === 'table' ? Array.from(result.dataset.rowLine) : [];
  assert.equal(lines.length, 600);
  for (let i = 1; i < lines.length; i++) assert.ok(lines[i] > lines[i - 1]);
  assert.ok(lines[599] > 4500 && lines[0] < 500, `${lines[0]} .. ${lines[599]}`);
  // The same seed gives the same sample.
  const again = await runPipeline({ kind: 'table', path: file }, { ...base, memoryBudgetMb: budgetMb });
  assert.deepEqual(again.result.dataset.kind === 'table' ? Array.from(again.result.dataset.rowLine) : [], lines);
});

test('sampleIndices: distinct, ascending, uniform (each decile gets its share)', () => {
  const idx = sampleIndices(100_000, 10_000, 7);
  assert.equal(idx.length, 10_000);
  for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1]);
  const deciles = new Array(10).fill(0);
  for (const i of idx) deciles[Math.floor(i / 10_000)]++;
  for (const c of deciles) assert.ok(c > 900 && c < 1100, deciles.join(','));
  assert.deepEqual(sampleIndices(100_000, 10_000, 7), idx);
});
