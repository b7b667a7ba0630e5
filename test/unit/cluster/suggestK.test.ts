import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggestK } from '../../../src/engine/cluster/suggestK';
import { OptionError } from '../../../src/engine/errors';
import { Rng } from '../../../src/engine/rng';
import type { Matrix } from '../../../src/engine/types';

function blobs(n: number, d: number, k: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const centres = new Float64Array(k * d).map(() => 10 * rng.normal());
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = centres[(i % k) * d + j] + rng.normal();
  return { rows: n, cols: d, data };
}

test('picks the number of well-separated blobs and returns every score', async () => {
  const X = blobs(800, 4, 4, 1);
  const s = await suggestK(X, [2, 7], 0);
  assert.equal(s.k, 4);
  assert.deepEqual(s.scores.map((v) => v.k), [2, 3, 4, 5, 6, 7]);
  const best = Math.max(...s.scores.map((v) => v.silhouette));
  assert.equal(s.scores.find((v) => v.k === 4)?.silhouette, best);
  assert.ok(best > 0.6 && best <= 1);
});

test('seeded: same seed, same scores; sampled silhouette on large N', async () => {
  const X = blobs(5000, 2, 3, 2);
  const a = await suggestK(X, [2, 4], 5);
  const b = await suggestK(X, [2, 4], 5);
  assert.deepEqual(a, b);
  assert.equal(a.k, 3);
});

test('range is clipped to N − 1 and validated', async () => {
  const X = blobs(5, 1, 2, 3);
  const s = await suggestK(X, [2, 10], 0);
  assert.deepEqual(s.scores.map((v) => v.k), [2, 3, 4]);
  await assert.rejects(suggestK(X, [1, 3], 0), (e: unknown) => e instanceof OptionError && /2 <= from <= to, got \[1, 3\]/.test(e.message));
  await assert.rejects(suggestK(X, [6, 8], 0), /needs at least 7 rows, the data has 5/);
});

test('large N: fits run on a seeded subsample and still find the blobs', async () => {
  const X = blobs(60_000, 3, 5, 4);
  const s = await suggestK(X, [3, 6], 1);
  assert.equal(s.k, 5);
  assert.deepEqual(await suggestK(X, [3, 6], 1), s);
});

test('tolerance (text): the smallest k whose silhouette is within the tolerance of the best', async () => {
  // Two pairs of near blobs: k = 4 scores best (0.82), k = 2 nearly as well (0.81).
  const rng = new Rng(4);
  const centres = [[0, 0], [3, 0], [10, 0], [13, 0]];
  const data = new Float64Array(800 * 2);
  for (let i = 0; i < 800; i++) for (let j = 0; j < 2; j++) data[i * 2 + j] = centres[i % 4][j] + 0.3 * rng.normal();
  const X = { rows: 800, cols: 2, data };
  const plain = await suggestK(X, [2, 6], 0);
  const best = plain.scores.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
  assert.equal(plain.k, best.k);
  assert.equal(plain.rule, 'the best silhouette');
  assert.equal(plain.k, 4);
  const tolerant = await suggestK(X, [2, 6], 0, undefined, { tolerance: 0.05 });
  assert.deepEqual(tolerant.scores, plain.scores);
  assert.equal(tolerant.k, 2);
  assert.match(tolerant.rule ?? '', /smallest k whose silhouette is within 5% of the best \(0\.82\d\d at k = 4\)/);
});
