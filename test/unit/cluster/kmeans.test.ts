import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignNearest, fitKMeans } from '../../../src/engine/cluster/kmeans';
import { dist2 } from '../../../src/engine/cluster/kmeansKernels';
import { CancelledError, DataError, OptionError } from '../../../src/engine/errors';
import { ari } from '../../../src/engine/evaluate/metrics';
import { InProcessPool } from '../../../src/engine/parallel/pool';
import { Rng } from '../../../src/engine/rng';
import type { Matrix, Progress } from '../../../src/engine/types';

/** k Gaussian blobs (unit noise) around centres drawn with standard deviation `spread`. */
function blobs(n: number, d: number, k: number, seed: number, spread: number): { X: Matrix; truth: Int32Array } {
  const rng = new Rng(seed);
  const centres = new Float64Array(k * d).map(() => spread * rng.normal());
  const data = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    truth[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + rng.normal();
  }
  return { X: { rows: n, cols: d, data }, truth };
}

const strings = (a: Int32Array): string[] => Array.from(a, String);

/** Squared Euclidean distance summed feature by feature, as the textbook writes it. */
function textbookDist2(data: Float64Array, i: number, mu: Float64Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (data[i * d + j] - mu[c * d + j]) ** 2;
  return s;
}

/**
 * Plain Lloyd, as the textbook states it: the slow reference for the accelerated loop. Returns
 * the centroids after `iterations` updates and each iteration's labels (iteration t's: the
 * nearest of the centroids after t − 1 updates, lowest index on ties).
 */
function referenceLloyd(X: Matrix, init: Float64Array, k: number, iterations: number, distance = textbookDist2): { centroids: Float64Array; labels: Int32Array[] } {
  const { rows: n, cols: d, data } = X;
  const mu = init.slice();
  const perIteration: Int32Array[] = [];
  for (let it = 0; it < iterations; it++) {
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const v = distance(data, i, mu, c, d);
        if (v < bestD) {
          bestD = v;
          labels[i] = c;
        }
      }
    }
    perIteration.push(labels);
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let j = 0; j < d; j++) sums[labels[i] * d + j] += data[i * d + j];
    }
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < d; j++) mu[c * d + j] = sums[c * d + j] / counts[c];
  }
  return { centroids: mu, labels: perIteration };
}

test('hand case: 1-D points 0, 1, 10, 11 with k = 2', async () => {
  const X: Matrix = { rows: 4, cols: 1, data: new Float64Array([0, 1, 10, 11]) };
  const fit = await fitKMeans(X, { k: 2, seed: 0 });
  const centroids = Array.from(fit.model.centroids).sort((a, b) => a - b);
  assert.deepEqual(centroids, [0.5, 10.5]);
  assert.equal(fit.inertia, 1);
  assert.equal(fit.labels[0], fit.labels[1]);
  assert.equal(fit.labels[2], fit.labels[3]);
  assert.notEqual(fit.labels[0], fit.labels[2]);
  assert.deepEqual(fit.warnings, []);
  assert.deepEqual({ kind: fit.model.kind, k: fit.model.k, dim: fit.model.dim }, { kind: 'kmeans', k: 2, dim: 1 });
});

test('recovers well-separated blobs (ARI = 1) and reports the exact inertia', async () => {
  const { X, truth } = blobs(2000, 5, 6, 7, 8);
  const fit = await fitKMeans(X, { k: 6, seed: 3 });
  assert.equal(ari(strings(truth), fit.labels), 1);
  const labels = new Int32Array(X.rows);
  const inertia = assignNearest(X, fit.model.centroids, 6, labels);
  assert.ok(Math.abs(inertia - fit.inertia) <= 1e-9 * inertia, `${inertia} vs ${fit.inertia}`);
  assert.deepEqual(labels, fit.labels);
});

test('accelerated iterations equal plain Lloyd from the same init (overlapping data, 1e-9)', async () => {
  const { X } = blobs(3000, 6, 7, 11, 1.2);
  const init = X.data.slice(0, 7 * 6);
  for (const iterations of [1, 3, 8]) {
    const fit = await fitKMeans(X, { k: 7, seed: 0, init, maxIterations: iterations, tolerance: 0 });
    assert.equal(fit.iterations, iterations);
    const ref = referenceLloyd(X, init, 7, iterations).centroids;
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(ref[i] - fit.model.centroids[i]) <= 1e-9, `iterations=${iterations} [${i}]`);
  }
});

test('every iteration assigns the labels of plain Lloyd: heavily overlapping clusters (many rows rescanned every iteration) and exact ties on integer data', async () => {
  // Overlapping: 12 centres 0.5 standard deviations apart, most rows torn between two or more.
  const overlapping = blobs(4000, 8, 12, 21, 0.5).X;
  // Integer grid with repeated points: many rows exactly equidistant from two centroids.
  const rng = new Rng(4);
  const grid: Matrix = { rows: 1500, cols: 2, data: Float64Array.from({ length: 3000 }, () => rng.int(7)) };
  const gridInit = new Float64Array([0, 0, 6, 6, 0, 6, 6, 0, 3, 3, 1, 5, 5, 1]);
  let ties = 0;
  for (let i = 0; i < grid.rows; i++) {
    const ds = [0, 1, 2, 3, 4, 5, 6].map((c) => dist2(grid.data, i, gridInit, c, 2));
    if (ds.filter((v) => v === Math.min(...ds)).length > 1) ties++;
  }
  assert.ok(ties > 100, `the grid should have rows equidistant from two initial centroids: ${ties}`);
  // The same overlapping rows moved far from the origin (1e6 per feature): the full scans'
  // dot-product form (‖x‖² − 2x·c + ‖c‖², ‖x‖² ≈ 8e12) cannot order centroids whose squared
  // distances differ by less than ~0.3 there, so a few percent of the scanned rows are near
  // ties that must be settled with canonical distances to give the labels below.
  const shifted: Matrix = { rows: overlapping.rows, cols: 8, data: overlapping.data.map((v) => v + 1e6) };
  const cases = [
    [overlapping, 12, 30, overlapping.data.slice(0, 12 * 8), 25],
    [shifted, 12, 30, shifted.data.slice(0, 12 * 8), 25],
    [grid, 7, 12, gridInit, 5],
  ] as const;
  for (const [X, k, iterations, init, atLeast] of cases) {
    // Distances in the engine's canonical summation order (dist2), so that a tie is a tie for both.
    const ref = referenceLloyd(X, init, k, iterations + 1, dist2).labels;
    let checked = 0;
    for (let it = 1; it <= iterations; it++) {
      // A fit of `it` iterations ends with the labels against its final centroids: plain Lloyd's labels of iteration it + 1.
      const fit = await fitKMeans(X, { k, seed: 0, init, maxIterations: it, tolerance: 0 });
      if (fit.iterations < it) break; // converged: no label changes any more
      assert.deepEqual(fit.labels, ref[it], `${X.rows} x ${X.cols}: labels after ${it} iterations`);
      let inertia = 0;
      for (let i = 0; i < X.rows; i++) inertia += dist2(X.data, i, fit.model.centroids, ref[it][i], X.cols);
      assert.ok(Math.abs(inertia - fit.inertia) <= 1e-9 * inertia, `inertia after ${it} iterations: ${fit.inertia} vs ${inertia}`);
      checked++;
    }
    assert.ok(checked >= atLeast, `${X.rows} x ${X.cols}: only ${checked} iterations before convergence`);
  }
});

test('seeded: the same seed gives the same fit', async () => {
  const { X } = blobs(1500, 4, 5, 2, 2);
  const a = await fitKMeans(X, { k: 5, seed: 42, restarts: 3 });
  const b = await fitKMeans(X, { k: 5, seed: 42, restarts: 3 });
  assert.deepEqual(a.model.centroids, b.model.centroids);
  assert.deepEqual(a.labels, b.labels);
  assert.equal(a.inertia, b.inertia);
});

test('row-order invariance: permuted rows give the same centroids as a set (1e-9)', async () => {
  const { X } = blobs(1200, 3, 4, 5, 6);
  const perm = new Int32Array(X.rows).map((_, i) => i);
  new Rng(9).shuffle(perm);
  const data = new Float64Array(X.data.length);
  for (let i = 0; i < X.rows; i++) data.set(X.data.subarray(perm[i] * 3, perm[i] * 3 + 3), i * 3);
  const a = await fitKMeans(X, { k: 4, seed: 1 });
  const b = await fitKMeans({ rows: X.rows, cols: 3, data }, { k: 4, seed: 1 });
  const rowsOf = (c: Float64Array): number[][] => [0, 1, 2, 3].map((q) => Array.from(c.subarray(q * 3, q * 3 + 3))).sort((u, v) => u[0] - v[0]);
  const ra = rowsOf(a.model.centroids);
  const rb = rowsOf(b.model.centroids);
  for (let q = 0; q < 4; q++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(ra[q][j] - rb[q][j]) <= 1e-9);
  assert.ok(Math.abs(a.inertia - b.inertia) <= 1e-9 * a.inertia);
  for (let i = 0; i < X.rows; i++) {
    // Same partition: point perm[i] of X and point i of the permuted data sit in matching clusters.
    assert.equal(ra.findIndex((r) => r[0] === a.model.centroids[a.labels[perm[i]] * 3]), rb.findIndex((r) => r[0] === b.model.centroids[b.labels[i] * 3]));
  }
});

test('empty cluster is reseeded with the farthest point', async () => {
  // Init puts centroid 2 far away from all data: it gets no point in the first assignment.
  const X: Matrix = { rows: 6, cols: 1, data: new Float64Array([0, 0.1, 0.2, 10, 10.1, 30]) };
  const fit = await fitKMeans(X, { k: 3, seed: 0, init: new Float64Array([0, 10, 1000]) });
  const centroids = Array.from(fit.model.centroids).sort((a, b) => a - b);
  assert.ok(Math.abs(centroids[0] - 0.1) < 1e-12 && Math.abs(centroids[1] - 10.05) < 1e-12 && centroids[2] === 30, String(centroids));
  assert.deepEqual(fit.warnings, []);
});

test('warnings as data: k larger than N, fewer distinct points than k', async () => {
  const small: Matrix = { rows: 3, cols: 2, data: new Float64Array([0, 0, 1, 1, 5, 5]) };
  const a = await fitKMeans(small, { k: 5, seed: 0 });
  assert.equal(a.model.k, 3);
  assert.equal(a.inertia, 0);
  assert.match(a.warnings.join('\n'), /k = 5 is larger than the number of rows \(3\); fitted k = 3 clusters instead/);
  const dup: Matrix = { rows: 6, cols: 1, data: new Float64Array([1, 1, 1, 2, 2, 2]) };
  const b = await fitKMeans(dup, { k: 3, seed: 0 });
  assert.equal(b.model.k, 3);
  assert.match(b.warnings.join('\n'), /found only 2 distinct clusters out of the 3 asked/);
});

test('K = 1 gives the mean', async () => {
  const X: Matrix = { rows: 4, cols: 2, data: new Float64Array([0, 0, 2, 0, 0, 4, 2, 4]) };
  const fit = await fitKMeans(X, { k: 1, seed: 0 });
  assert.deepEqual(Array.from(fit.model.centroids), [1, 2]);
  assert.equal(fit.inertia, 4 * 5);
});

test('assignNearest matches brute force and breaks ties towards the lower index', () => {
  const { X } = blobs(301, 3, 4, 8, 1);
  const centroids = X.data.slice(0, 12);
  const labels = new Int32Array(X.rows);
  const d2 = new Float64Array(X.rows);
  assignNearest(X, centroids, 4, labels, d2);
  for (let i = 0; i < X.rows; i++) {
    const dists = [0, 1, 2, 3].map((c) => {
      let s = 0;
      for (let j = 0; j < 3; j++) s += (X.data[i * 3 + j] - centroids[c * 3 + j]) ** 2;
      return s;
    });
    assert.equal(labels[i], dists.indexOf(Math.min(...dists)));
    assert.ok(Math.abs(d2[i] - Math.min(...dists)) <= 1e-12 * (1 + d2[i]));
  }
  const tie: Matrix = { rows: 1, cols: 1, data: new Float64Array([1]) };
  assignNearest(tie, new Float64Array([2, 0]), 2, labels);
  assert.equal(labels[0], 0);
});

test('bad options and data fail with messages', async () => {
  const X: Matrix = { rows: 2, cols: 1, data: new Float64Array([0, 1]) };
  await assert.rejects(fitKMeans(X, { k: 0, seed: 0 }), (e: unknown) => e instanceof OptionError && /k must be an integer >= 1, got 0/.test(e.message));
  await assert.rejects(fitKMeans(X, { k: 2, seed: 0, restarts: 0 }), /restarts must be an integer >= 1, got 0/);
  await assert.rejects(fitKMeans(X, { k: 2, seed: 0, init: new Float64Array(3) }), /expected k x D = 2 x 1 = 2 values, got 3/);
  await assert.rejects(fitKMeans({ rows: 2, cols: 1, data: new Float64Array([0, NaN]) }, { k: 1, seed: 0 }), (e: unknown) => e instanceof DataError && /row 2, feature 1 is not a finite number/.test(e.message));
  await assert.rejects(fitKMeans({ rows: 0, cols: 1, data: new Float64Array(0) }, { k: 1, seed: 0 }), /the data has no rows/);
  // ±Infinity (found through the non-finite moments, then located), in the second feature.
  const inf: Matrix = { rows: 3, cols: 2, data: new Float64Array([0, 1, 2, Infinity, 4, 5]) };
  await assert.rejects(fitKMeans(inf, { k: 2, seed: 0 }), (e: unknown) => e instanceof DataError && /row 2, feature 2 is not a finite number \(Infinity\)/.test(e.message));
  const both: Matrix = { rows: 3, cols: 1, data: new Float64Array([0, -Infinity, Infinity]) };
  await assert.rejects(fitKMeans(both, { k: 2, seed: 0 }), /row 2, feature 1 is not a finite number \(-Infinity\)/);
});

test('progress reaches 1 and is reported under the k-means stage', async () => {
  const { X } = blobs(500, 2, 3, 1, 5);
  const seen: Progress[] = [];
  await fitKMeans(X, { k: 3, seed: 0 }, { onProgress: (p) => seen.push(p) });
  assert.ok(seen.length >= 1);
  assert.ok(seen.every((p) => p.stage === 'k-means'));
  assert.equal(seen[seen.length - 1].fraction, 1);
});

/**
 * The fit must yield to the event loop while it runs (the worker sees a Cancel only between
 * chunks) and stop when its signal fires. Behaviour, not timing: a 5 ms interval timer counts
 * the turns of the event loop, and the abort comes from that timer's third turn — a fit that
 * never yielded would finish before the timer could fire, and the rejection would not come.
 * How promptly it stops is measured by `npm run bench` (hostLag), not asserted here.
 */
async function abortDuringFit(X: Matrix, k: number): Promise<{ turns: number; progress: number[] }> {
  const controller = new AbortController();
  let turns = 0;
  const ticker = setInterval(() => {
    if (++turns === 3) controller.abort();
  }, 5);
  const progress: number[] = [];
  try {
    // One thread, in-process: the path where this thread does the work and must yield itself
    // (with the pool's threads it only waits; see parallel/pool.test.ts).
    await assert.rejects(
      fitKMeans(X, { k, seed: 0, restarts: 10, pool: new InProcessPool() }, { signal: controller.signal, onProgress: (p) => progress.push(p.fraction ?? NaN) }),
      (e: unknown) => e instanceof CancelledError,
    );
  } finally {
    clearInterval(ticker);
  }
  return { turns, progress };
}

test('cancellation: abort mid-fit rejects with CancelledError; the fit yields to the event loop and stops before its end', async () => {
  const { X } = blobs(200_000, 32, 16, 3, 1);
  const { turns, progress } = await abortDuringFit(X, 16);
  assert.ok(turns >= 3, `the event loop turned ${turns} time(s) during the fit`);
  assert.ok(progress.every((f) => f < 1), `progress reached ${Math.max(...progress)}: the fit ran to its end`);
});

test('cancellation with wide rows (D = 1000, K = 40): chunks shrink, the loop still turns and the abort is seen', async () => {
  const rng = new Rng(4);
  const X: Matrix = { rows: 6000, cols: 1000, data: new Float64Array(6000 * 1000).map(() => rng.normal()) };
  const { turns, progress } = await abortDuringFit(X, 40);
  assert.ok(turns >= 3, `the event loop turned ${turns} time(s) during the fit`);
  assert.ok(progress.every((f) => f < 1), `progress reached ${Math.max(...progress)}: the fit ran to its end`);
});
