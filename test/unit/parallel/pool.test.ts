import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { assignNearest, assignNearestParallel, fitKMeans } from '../../../src/engine/cluster/kmeans';
import { buildTableDataset } from '../../../src/engine/data/tableDataset';
import { tableFromRows } from '../../../src/engine/data/tableFromRows';
import { CancelledError } from '../../../src/engine/errors';
import { silhouette, silhouetteAsync } from '../../../src/engine/evaluate/silhouette';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import type { KernelArgs } from '../../../src/engine/parallel/kernels';
import { createPool, InProcessPool, ThreadPool, type ComputePool } from '../../../src/engine/parallel/pool';
import { sharedInt32, toSharedMatrix } from '../../../src/engine/parallel/shared';
import { explainAll } from '../../../src/engine/pipeline/explainAll';
import { Rng } from '../../../src/engine/rng';
import type { KMeansModel, Matrix, NeonOptions } from '../../../src/engine/types';

/** Overlapping Gaussian clusters (centres 1.5 standard deviations apart): many rescans per iteration. */
function overlapping(n: number, d: number, k: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const centres = new Float64Array(k * d).map(() => 1.5 * rng.normal());
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + rng.normal();
  }
  return { rows: n, cols: d, data };
}

const pools: ComputePool[] = [];
function pool(threads: number): ComputePool {
  const p = createPool(threads);
  pools.push(p);
  return p;
}
after(async () => {
  for (const p of pools) await p.close();
});

test('createPool: threads from the compiled thread script; one thread runs in-process', () => {
  const two = pool(2);
  assert.ok(two instanceof ThreadPool, 'computeThread.js must be found next to pool.js');
  assert.equal(two.threads, 2);
  const one = pool(1);
  assert.ok(one instanceof InProcessPool);
  assert.equal(one.threads, 1);
});

test('k-means: 1, 2 and 8 threads give bit-identical centroids, labels, inertia and iterations', async () => {
  const X = overlapping(60_000, 12, 10, 3);
  const fits = [];
  for (const threads of [1, 2, 8]) fits.push(await fitKMeans(X, { k: 10, seed: 5, restarts: 2, pool: pool(threads) }));
  const [one, ...rest] = fits;
  assert.ok(one.iterations > 3, `the data should need several iterations, took ${one.iterations}`);
  for (const f of rest) {
    assert.deepEqual(f.model.centroids, one.model.centroids);
    assert.deepEqual(f.labels, one.labels);
    assert.equal(f.inertia, one.inertia);
    assert.equal(f.iterations, one.iterations);
  }
  // And the parallel labels are the nearest centroids (exact, not just consistent).
  const labels = new Int32Array(X.rows);
  const inertia = assignNearest(X, one.model.centroids, 10, labels);
  assert.deepEqual(labels, one.labels);
  assert.ok(Math.abs(inertia - one.inertia) <= 1e-12 * inertia);
});

test('assignNearestParallel equals assignNearest, X plain (in-process) or shared (threads), writing into plain or shared arrays', async () => {
  const plain = overlapping(50_000, 16, 12, 8);
  const centroids = plain.data.slice(0, 12 * 16);
  const ref = new Int32Array(plain.rows);
  const refD = new Float64Array(plain.rows);
  const refInertia = assignNearest(plain, centroids, 12, ref, refD);
  for (const X of [plain, toSharedMatrix(plain)]) {
    for (const labels of [new Int32Array(X.rows), sharedInt32(X.rows)]) {
      const d2 = new Float64Array(X.rows);
      const inertia = await assignNearestParallel(X, centroids, 12, labels, d2, { pool: pool(2) });
      assert.deepEqual(Array.from(labels), Array.from(ref));
      assert.deepEqual(d2, refD);
      assert.ok(Math.abs(inertia - refInertia) <= 1e-12 * refInertia);
    }
  }
});

test('cancellation: an abort stops the threads; the fit rejects before its end', async () => {
  const X = overlapping(300_000, 16, 16, 4);
  const controller = new AbortController();
  const p = pool(2);
  // Abort at the first progress report of the fit (it is under way); how promptly the threads
  // stop is measured by npm run bench (cancel latency), not asserted here.
  const progress: number[] = [];
  const hooks = { signal: controller.signal, onProgress: (q: { fraction?: number }) => { progress.push(q.fraction ?? NaN); controller.abort(); } };
  await assert.rejects(fitKMeans(X, { k: 16, seed: 1, restarts: 10, pool: p }, hooks), (e: unknown) => e instanceof CancelledError);
  assert.ok(progress.length >= 1, 'the fit reported progress before it ended');
  assert.ok(progress.every((f) => f < 1), `progress reached ${Math.max(...progress)}: the fit ran to its end`);
  // The pool stays usable after a cancelled pass.
  const small = overlapping(20_000, 16, 4, 9);
  const labels = sharedInt32(small.rows);
  await assignNearestParallel(small, small.data.slice(0, 64), 4, labels, undefined, { pool: p });
  const ref = new Int32Array(small.rows);
  assignNearest(small, small.data.slice(0, 64), 4, ref);
  assert.deepEqual(Array.from(labels), Array.from(ref));
});

test('a kernel error in a thread rejects the run with its message', async () => {
  const p = pool(2);
  const args = { data: new Float64Array(0), n: 100_000, d: 4, k: 4, blockRows: 64, centroids: null } as unknown as KernelArgs<'kmeansSeedFirst'>;
  await assert.rejects(p.run('kmeansSeedFirst', args, 10, { work: 1e9 }), /null|undefined|Cannot read/);
});

test('explain every row: 1 and 2 threads give bit-identical outputs, equal to the per-point network', async () => {
  const rng = new Rng(12);
  const colors = ['red', 'green', 'blue', 'grey'];
  const rows: string[][] = [];
  for (let i = 0; i < 40_000; i++) {
    rows.push([(rng.normal() * 3).toFixed(3), (rng.normal() + (i % 3)).toFixed(3), colors[rng.int(4)], (rng.normal() * 2).toFixed(3), rng.normal().toFixed(3)]);
  }
  const dataset = await buildTableDataset(tableFromRows(['a', 'b', 'color', 'c', 'e'], rows), 't.csv');
  const d = dataset.features.cols;
  const k = 7;
  const model: KMeansModel = { kind: 'kmeans', k, dim: d, centroids: dataset.features.data.slice(0, k * d) };
  for (const rule of ['midpoint', 'reference', 'z'] as const) {
    const options: NeonOptions = { beta: 0.8, evidence: 'soft', rule, reference: dataset.features.data.slice(k * d, (k + 1) * d) };
    const nm = neuralizeKMeans(model, options);
    const one = await explainAll(nm, dataset, undefined, model, options, pool(1));
    const two = await explainAll(nm, dataset, undefined, model, options, pool(2));
    assert.deepEqual(Array.from(two.assignments), Array.from(one.assignments));
    assert.deepEqual(Array.from(two.evidence), Array.from(one.evidence));
    assert.deepEqual(Array.from(two.probability), Array.from(one.probability));
    assert.deepEqual(Array.from(two.rowRelevance), Array.from(one.rowRelevance));
    assert.equal(two.conservationGap, one.conservationGap);
    if (rule !== 'z') assert.ok(one.conservationGap < 1e-9, `gap ${one.conservationGap}`);
    const units = dataset.columns.length;
    for (let i = 0; i < dataset.features.rows; i += 997) {
      const e = nm.explain(dataset.features.data.slice(i * d, (i + 1) * d));
      assert.equal(two.assignments[i], e.cluster);
      assert.ok(Math.abs(two.evidence[i] - e.evidence) <= 1e-9 * Math.max(1, Math.abs(e.evidence)), `row ${i} evidence`);
      assert.ok(Math.abs(two.probability[i] - e.probability) <= 1e-12, `row ${i} probability`);
      const perColumn = new Float64Array(units);
      for (let j = 0; j < d; j++) perColumn[dataset.featureColumn[j]] += e.relevance[j];
      for (let u = 0; u < units; u++) assert.ok(Math.abs(two.rowRelevance[i * units + u] - perColumn[u]) <= 1e-5 * (1 + Math.abs(perColumn[u])), `row ${i} column ${u}`);
    }
  }
});

test('silhouette: the pool (1, 2 threads) and the synchronous driver give the same value', async () => {
  const X = overlapping(5_000, 6, 4, 21);
  const labels = new Int32Array(X.rows);
  assignNearest(X, X.data.slice(0, 24), 4, labels);
  const sync = silhouette(X, labels, 4, { sample: 3000, seed: 3 });
  assert.ok(sync > -1 && sync < 1 && sync !== 0);
  assert.equal(await silhouetteAsync(X, labels, 4, { sample: 3000, seed: 3 }, undefined, pool(1)), sync);
  assert.equal(await silhouetteAsync(X, labels, 4, { sample: 3000, seed: 3 }, undefined, pool(2)), sync);
});
