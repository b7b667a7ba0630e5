import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predictCorpusHalf } from '../../../src/engine/data/rareWordRows';
import { Rng } from '../../../src/engine/rng';

/** Rows [own | general] with own = general · B for every word (4 general, 2 corpus dimensions). */
function rows(count: number, b: number[][], seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(count * 6);
  for (let v = 0; v < count; v++) {
    const g = [0, 1, 2, 3].map(() => rng.next() - 0.5);
    for (let i = 0; i < 4; i++) out[v * 6 + 2 + i] = g[i];
    for (let j = 0; j < 2; j++) out[v * 6 + j] = g.reduce((s, gi, i) => s + gi * b[i][j], 0);
  }
  return out;
}

const B = [
  [1, 0],
  [0, 2],
  [-1, 1],
  [0.5, 0],
];

test('predictCorpusHalf: a rare row gets its general half mapped by the ridge fit on the corpus rows', () => {
  // 400 corpus rows where own = g B exactly, then 3 rare rows (the last one unknown to the general vectors).
  const v = rows(403, B, 5);
  const truth = v.slice(400 * 6);
  for (let j = 0; j < 6; j++) v[402 * 6 + j] = 0;
  for (let r = 400; r < 402; r++) v[r * 6] = v[r * 6 + 1] = 0;
  const before = v.slice(0, 400 * 6);
  const known = Array.from({ length: 403 }, (_, i) => i < 402);
  predictCorpusHalf(v, 6, 2, 400, known);
  assert.deepEqual(v.slice(0, 400 * 6), before, 'corpus rows unchanged');
  for (let r = 0; r < 2; r++) {
    const got = [v[(400 + r) * 6], v[(400 + r) * 6 + 1]];
    const want = [truth[r * 6], truth[r * 6 + 1]];
    // α = mean eigenvalue of GᵀG (≈ 400/12 per direction here) shrinks by l / (l + α) ≈ 1/2.
    const cos = (got[0] * want[0] + got[1] * want[1]) / (Math.hypot(...got) * Math.hypot(...want));
    assert.ok(cos > 0.99, `row ${r}: direction ${got} vs ${want}`);
    const ratio = Math.hypot(...got) / Math.hypot(...want);
    assert.ok(ratio > 0.4 && ratio < 0.6, `row ${r}: shrunk by ${ratio}`);
    assert.deepEqual([...v.slice((400 + r) * 6 + 2, (400 + r) * 6 + 6)], [...truth.slice(r * 6 + 2, r * 6 + 6)], 'general half kept');
  }
  assert.deepEqual([...v.slice(402 * 6)], [0, 0, 0, 0, 0, 0], 'a word without a general vector stays 0');
});

test('predictCorpusHalf: no rare rows, no shared rows or no corpus half leave the rows alone', () => {
  const v = rows(10, B, 2);
  const copy = v.slice();
  predictCorpusHalf(v, 6, 2, 10, Array<boolean>(10).fill(true));
  assert.deepEqual(v, copy);
  // No shared rows: the corpus rows 0..4 have no general vector, the rare rows 5..9 have one.
  // Without the guard the fit is α = 0 over an empty GᵀG, 1/0, and the rare rows become NaN (review6 F7:
  // with every row unknown the rare rows were never touched, so this case could not fail).
  predictCorpusHalf(v, 6, 2, 5, Array.from({ length: 10 }, (_, i) => i >= 5));
  assert.deepEqual(v, copy);
  predictCorpusHalf(v, 6, 0, 5, Array<boolean>(10).fill(true));
  assert.deepEqual(v, copy);
});
