import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chanceCorrected, clusterStability } from '../../../src/engine/evaluate/clusterStability';
import { CancelledError, OptionError } from '../../../src/engine/errors';
import { Rng } from '../../../src/engine/rng';
import type { Matrix } from '../../../src/engine/types';

/** `blobs` tight Gaussian blobs of `per` rows each around random centres (10 sd apart on average) in d dimensions; row i is in blob floor(i / per). */
function blobs(blobCount: number, per: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const centres = Float64Array.from({ length: blobCount * d }, () => 10 * rng.normal());
  const data = new Float64Array(blobCount * per * d);
  for (let i = 0; i < blobCount * per; i++) for (let j = 0; j < d; j++) data[i * d + j] = centres[Math.floor(i / per) * d + j] + rng.normal();
  return { rows: blobCount * per, cols: d, data };
}

test('a clean partition of separated blobs comes back intact on every re-fit', async () => {
  const X = blobs(4, 60, 8, 1);
  const labels = Int32Array.from({ length: X.rows }, (_, i) => Math.floor(i / 60));
  const s = await clusterStability(X, labels, 4, { seed: 3 });
  assert.equal(s.refits, 10);
  assert.equal(s.rowsPerRefit, 180);
  for (const j of s.jaccard) assert.equal(j, 1);
});

test('a planted catch-all (two blobs forced into one cluster) is unstable; the clean clusters are not', async () => {
  // Five topics at equal distances (centres 10 e_i); topics 0..2 are clusters 0..2, topics 3
  // and 4 are forced into cluster 3. A k = 4 re-fit merges some pair of the five (which pair
  // depends on the subsample and the seeding): cluster 3 comes back whole only when it merges
  // 3 and 4, else its best match is one half (Jaccard 1/2); a clean cluster is whole unless
  // its own topic is in the merged pair.
  const d = 5;
  const rng = new Rng(2);
  const data = new Float64Array(300 * d);
  for (let i = 0; i < 300; i++) for (let j = 0; j < d; j++) data[i * d + j] = (Math.floor(i / 60) === j ? 10 : 0) + rng.normal();
  const X = { rows: 300, cols: d, data };
  const labels = Int32Array.from({ length: X.rows }, (_, i) => Math.min(3, Math.floor(i / 60)));
  const s = await clusterStability(X, labels, 4, { seed: 5, refits: 20 });
  assert.ok(s.jaccard[3] < 2 / 3, `catch-all stability ${s.jaccard[3]}`);
  // Every re-fit's best match of the catch-all holds one of its blobs or both: Jaccard 1/2 or 1 (± subsample noise).
  for (let b = 0; b < s.refits; b++) {
    const j = s.perRefit[3 * s.refits + b];
    assert.ok(Math.abs(j - 0.5) < 0.1 || j === 1, `re-fit ${b}: ${j}`);
  }
  // Seed 5: 0.77, 0.70, 0.75 for the clean clusters, 0.51 for the catch-all (seeds 6, 7: 0.69-0.85 and 0.52-0.57).
  assert.ok(s.jaccard[3] < 0.6, `catch-all ${s.jaccard[3]}`);
  for (let c = 0; c < 3; c++) assert.ok(s.jaccard[c] > 2 / 3, `cluster ${c}: ${s.jaccard[c]}`);
  // Deterministic for a seed.
  assert.deepEqual((await clusterStability(X, labels, 4, { seed: 5, refits: 20 })).jaccard, s.jaccard);
});

test('rows labelled -1 are left out; too few rows measure nothing; bad options and cancellation are errors', async () => {
  const X = blobs(2, 30, 3, 4);
  const labels = Int32Array.from({ length: X.rows }, (_, i) => (i % 10 === 0 ? -1 : Math.floor(i / 30)));
  const s = await clusterStability(X, labels, 2, { seed: 1, refits: 4 });
  assert.deepEqual(Array.from(s.jaccard), [1, 1]);
  assert.equal(s.rowsPerRefit, Math.round(0.75 * 54));
  const few = await clusterStability({ rows: 2, cols: 1, data: Float64Array.of(0, 1) }, Int32Array.of(0, 1), 2, { seed: 1 });
  assert.equal(few.refits, 0);
  assert.ok(Number.isNaN(few.jaccard[0]));
  await assert.rejects(clusterStability(X, labels, 1, { seed: 1 }), OptionError);
  await assert.rejects(clusterStability(X, labels.subarray(1), 2, { seed: 1 }), /59 labels for 60 rows/);
  await assert.rejects(clusterStability(X, labels, 2, { seed: 1, fraction: 0 }), OptionError);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(clusterStability(X, labels, 2, { seed: 1 }, { signal: controller.signal }), CancelledError);
});

test('chance level: a cluster of 3 rows matches some re-fit cluster by chance far better than a cluster of 60; chanceCorrected maps chance to 0 and intact to 1', async () => {
  // 4 blobs of 60 rows, k = 4: ~45 of a cluster's rows in a 180-row subsample against re-fit clusters of ~45;
  // expected overlap 45 x 45 / 180 = 11.25, Jaccard 11.25 / 78.75 = 0.14; the best of the four a little more.
  const X = blobs(4, 60, 8, 1);
  const labels = Int32Array.from({ length: X.rows }, (_, i) => Math.floor(i / 60));
  const large = await clusterStability(X, labels, 4, { seed: 3 });
  for (const c of large.chance) assert.ok(c > 0.14 && c < 0.25, `60 rows: chance ${c}`);
  // The chance level has its own random stream: the re-fits and Jaccards are those of the first test.
  for (const j of large.jaccard) assert.equal(j, 1);
  // 12 blobs of 3 rows, k = 12: ~2 of a cluster's rows in a 27-row subsample against re-fit clusters of ~2;
  // the two land apart (probability ~11/12): best Jaccard 1/3; together: 1 or 2/3.
  const Y = blobs(12, 3, 8, 2);
  const tiny = await clusterStability(Y, Int32Array.from({ length: Y.rows }, (_, i) => Math.floor(i / 3)), 12, { seed: 3 });
  for (const c of tiny.chance) assert.ok(c > 0.28 && c < 0.6, `3 rows: chance ${c}`);
  assert.equal(chanceCorrected(1, 0.3), 1);
  assert.equal(chanceCorrected(0.3, 0.3), 0);
  assert.ok(Math.abs(chanceCorrected(0.65, 0.3) - 0.5) < 1e-12);
  assert.ok(chanceCorrected(0.2, 0.3) < 0);
  assert.equal(chanceCorrected(1, 1), 0);
  assert.ok(Number.isNaN(chanceCorrected(Number.NaN, 0.2)));
});
