import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitKMeans } from '../../../src/engine/cluster/kmeans';
import { SUGGEST_RESTARTS, suggestK } from '../../../src/engine/cluster/suggestK';
import { clusterStability } from '../../../src/engine/evaluate/clusterStability';
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

test("stability (text): the k whose clusters are most stable over re-fits; every score kept", async () => {
  // Six separated directions on the unit sphere in 10 dimensions (text-like: unit-length rows).
  const rng = new Rng(6);
  const d = 10;
  const centres = Array.from({ length: 6 }, () => Array.from({ length: d }, () => rng.normal()));
  const data = new Float64Array(600 * d);
  for (let i = 0; i < 600; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      data[i * d + j] = centres[i % 6][j] + 0.25 * rng.normal();
      norm += data[i * d + j] ** 2;
    }
    for (let j = 0; j < d; j++) data[i * d + j] /= Math.sqrt(norm);
  }
  const X = { rows: 600, cols: d, data };
  const s = await suggestK(X, [2, 9], 0, undefined, { criterion: 'stability' });
  assert.equal(s.k, 6);
  assert.deepEqual(s.scores.map((v) => v.k), [2, 3, 4, 5, 6, 7, 8, 9]);
  const six = s.scores.find((v) => v.k === 6);
  assert.equal(six?.stableClusters, 6);
  // Beyond 6 a direction is cut in halves that the re-fits cut differently: fewer stable clusters than k.
  for (const v of s.scores.filter((x) => x.k > 6)) assert.ok((v.stableClusters ?? 0) < v.k, `k = ${v.k}: ${v.stableClusters} stable`);
  for (const v of s.scores) assert.ok(Number.isFinite(v.silhouette) && v.stability !== undefined && v.stability > 0 && v.stability <= 1);
  assert.match(s.rule ?? '', /^the most stable, best separated clusters \(stability over re-fits on subsamples × silhouette: \d\.\d\d × 0\.\d{3} = \d\.\d{3}; 6 of 6 clusters stable\)$/);
  // The criterion: the chance-corrected stability sum x silhouette is largest at k = 6, and it is that product.
  const best = Math.max(...s.scores.map((v) => v.score ?? -Infinity));
  assert.equal(six?.score, best);
  for (const v of s.scores) assert.equal(v.score, (v.stabilityScore ?? NaN) * Math.max(0, v.silhouette));
  // Six intact directions, chance-corrected: each adds nearly 1 - 0.5.
  assert.ok((six?.stabilityScore ?? 0) > 6 * 0.45 && (six?.stabilityScore ?? 0) <= 3, `k = 6: ${six?.stabilityScore}`);
  // Without the criterion the silhouette decides, and no stability is computed.
  const plain = await suggestK(X, [2, 9], 0);
  assert.equal(plain.rule, 'the best silhouette');
  assert.equal(plain.scores[0].stableClusters, undefined);
});

/**
 * Notes-like corpus (trial s18 defect D2): `topics` topics, each a bank of 8 "sentences"
 * (directions near the topic's), a document the unit-length sum of 3 of its topic's sentences.
 * Documents that share sentences form splinters of 2-3 that k-means re-finds on most subsamples.
 */
function sentenceDocuments(topics: number, perTopic: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const topic = Array.from({ length: topics }, () => Array.from({ length: d }, () => rng.normal()));
  const sentences = topic.map((t) => Array.from({ length: 8 }, () => t.map((x) => x + 0.9 * rng.normal())));
  const data = new Float64Array(topics * perTopic * d);
  for (let i = 0; i < topics * perTopic; i++) {
    const bank = sentences[Math.floor(i / perTopic)];
    const row = data.subarray(i * d, (i + 1) * d);
    for (const s of rng.shuffle(Int32Array.from({ length: 8 }, (_, j) => j)).subarray(0, 3)) for (let j = 0; j < d; j++) row[j] += bank[s][j];
    const norm = Math.hypot(...row);
    for (let j = 0; j < d; j++) row[j] /= norm;
  }
  return { rows: topics * perTopic, cols: d, data };
}

test('stability (text): splinters of a few documents that re-fits find again do not beat the topics (chance-corrected, x silhouette)', async () => {
  const X = sentenceDocuments(4, 9, 30, 11);
  // The rule before (sum of raw stability - 0.5) on the same fits: a split k wins.
  const before: number[] = [];
  for (let k = 2; k <= 10; k++) {
    const fit = await fitKMeans(X, { k, seed: 42, restarts: SUGGEST_RESTARTS });
    const s = await clusterStability(X, fit.labels, k, { seed: 42 });
    before.push(Array.from(s.jaccard).reduce((a, j) => a + j - 0.5, 0));
  }
  const oldK = 2 + before.indexOf(Math.max(...before));
  assert.ok(oldK > 4, `the raw stability sum picks k = ${oldK} (${before.map((v) => v.toFixed(2)).join(', ')})`);
  const s = await suggestK(X, [2, 10], 42, undefined, { criterion: 'stability' });
  assert.equal(s.k, 4, s.scores.map((v) => `${v.k}: ${v.stabilityScore?.toFixed(2)} x ${v.silhouette.toFixed(3)}`).join('; '));
  assert.equal(s.scores.find((v) => v.k === 4)?.stableClusters, 4);
});
