import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError } from '../../../src/engine/errors';
import { featureFlipping } from '../../../src/engine/evaluate/flipping';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import type { KMeansModel, Matrix } from '../../../src/engine/types';

// μ0 = (0,0,0), μ1 = (4,0,0): the margin depends on feature 0 only, f = −8 x0 + 16.
const model: KMeansModel = { kind: 'kmeans', k: 2, dim: 3, centroids: new Float64Array([0, 0, 0, 4, 0, 0]) };
const net = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });

test('hand case: removing the one relevant feature first gives the exact curve and area', async () => {
  const X: Matrix = { rows: 1, cols: 3, data: new Float64Array([0, 5, -5]) };
  const reference = new Float64Array([1, 0, 0]); // f(reference) = 8
  const [neon] = await featureFlipping(net, X, [0], ['neon'], { reference });
  // f(x) = 16; NEON ranks feature 0 first (R = (16, 0, 0)) -> curve 16, 8, 8, 8.
  assert.deepEqual(Array.from(neon.curve), [16, 8, 8, 8]);
  // Trapezoid over 3 steps: (12 + 8 + 8)/3 = 28/3, normalised by 16.
  assert.ok(Math.abs(neon.area - 28 / 3 / 16) < 1e-15);
  assert.equal(neon.method, 'neon');
  assert.ok(neon.msPerExplanation >= 0);
});

test('a method that ranks the relevant feature last has a larger area; steps group features', async () => {
  const X: Matrix = { rows: 2, cols: 3, data: new Float64Array([0, 5, -5, 0.5, 1, 2]) };
  const reference = new Float64Array([1, 0, 0]);
  // gradient x input = x ⊙ (−8, 0, 0): row 1 all zeros (ties keep feature order, 0 first);
  // row 2 gives (−4, 0, 0), so the only relevant feature is removed last.
  const curves = await featureFlipping(net, X, [0, 1], ['neon', 'gradient-x-input'], { reference });
  assert.ok(curves[0].area < curves[1].area, `${curves[0].area} < ${curves[1].area}`);
  assert.equal(curves[0].curve[0], curves[1].curve[0], 'same starting evidence');
  assert.equal(curves[0].curve[3], curves[1].curve[3], 'same end: everything at the reference');
  const grouped = await featureFlipping(net, X, [0, 1], ['neon'], { reference, steps: 1 });
  assert.equal(grouped[0].curve.length, 2);
  await assert.rejects(featureFlipping(net, X, [0], ['neon'], { reference, steps: 4 }), /steps must be an integer in 1..3, got 4/);
  await assert.rejects(featureFlipping(net, X, [2], ['neon'], { reference }), /row 2 is outside 0..1/);
});

test('cancellation rejects with CancelledError', async () => {
  const rows = 5000;
  const data = new Float64Array(rows * 3).map((_, i) => (i % 3 === 0 ? (i % 7) / 7 : 1));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    featureFlipping(net, { rows, cols: 3, data }, Array.from({ length: rows }, (_, i) => i), ['integrated-gradients'], { reference: new Float64Array(3) }, { signal: controller.signal }),
    (e: unknown) => e instanceof CancelledError,
  );
});

test('insertion is deletion read backwards (the same points), and its area is the complement for a linear score', async () => {
  const X: Matrix = { rows: 1, cols: 3, data: new Float64Array([0, 5, -5]) };
  const reference = new Float64Array([1, 0, 0]); // f(reference) = 8, f(x) = 16
  const [del, ins] = await featureFlipping(net, X, [0], ['neon'], { reference, directions: ['deletion', 'insertion'] });
  assert.equal(del.direction, 'deletion');
  assert.equal(ins.direction, 'insertion');
  // Insertion starts at the reference (8) and puts feature 0 back first: 8, 16, 16, 16.
  assert.deepEqual(Array.from(ins.curve), [8, 16, 16, 16]);
  // Area (12 + 16 + 16)/3, normalised by f(x) = 16.
  assert.ok(Math.abs(ins.area - 44 / 3 / 16) < 1e-15);
  assert.equal(ins.referenceName, 'data mean');
});

test("references: the nearest competitor's centroid and a seeded row of another cluster", async () => {
  // Rows 0-1 in cluster 0 (x0 < 2), rows 2-3 in cluster 1; centroids of the assigned rows:
  // cluster 0 (0.5, 1, 0), cluster 1 (4, −1, 0).
  const X: Matrix = { rows: 4, cols: 3, data: new Float64Array([0, 2, 0, 1, 0, 0, 4, -1, 1, 4, -1, -1]) };
  const mean = new Float64Array([2.25, 0, 0]);
  const curves = await featureFlipping(net, X, [0, 1, 2, 3], ['neon'], { reference: mean, references: ['competitor-centroid', 'other-cluster-row'], seed: 7 });
  assert.deepEqual(curves.map((c) => c.reference), ['competitor-centroid', 'other-cluster-row']);
  assert.deepEqual(curves.map((c) => c.referenceName), ["nearest competitor's centroid", 'random row of another cluster']);
  // All features moved to the competitor's centroid: rows of cluster 0 reach x0 = 4
  // (f_0 = −8 x0 + 16 = −16), rows of cluster 1 reach x0 = 0.5 (f_1 = 8 x0 − 16 = −12).
  assert.equal(curves[0].curve[curves[0].curve.length - 1], -14);
  // To a row of the other cluster: cluster-0 rows reach x0 = 4 (−16), cluster-1 rows x0 = 0
  // or 1 (−16 or −8): the mean ends at −16, −14 or −12, never at a same-cluster row's value.
  assert.ok([-16, -14, -12].includes(curves[1].curve[curves[1].curve.length - 1]));
  // Same seed, same draws.
  const again = await featureFlipping(net, X, [0, 1, 2, 3], ['neon'], { reference: mean, references: ['other-cluster-row'], seed: 7 });
  assert.deepEqual(Array.from(again[0].curve), Array.from(curves[1].curve));
});
