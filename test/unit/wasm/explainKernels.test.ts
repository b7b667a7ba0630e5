import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { batchRule, expNeg, explainKMeansRows, RowPooling } from '../../../src/engine/neuralize/kmeansBatch';
import { createPool } from '../../../src/engine/parallel/pool';
import { EXPLAIN_KERNELS, explainTableArgs, type ExplainTableArgs } from '../../../src/engine/pipeline/explainTableKernel';
import { blockCount } from '../../../src/engine/parallel/blocks';
import { Rng } from '../../../src/engine/rng';
import type { EvidenceForm, FirstLayerRule, KMeansModel, NeonOptions, PoolingRule } from '../../../src/engine/types';
import { explainKernels } from '../../../src/engine/wasm/explainKernels';
import { POOL_PATH } from '../../../src/engine/wasm/poolKernel';

/** The fused table kernel (WebAssembly) over every block of X, as explainAll runs it. */
function fused(model: KMeansModel, options: NeonOptions, data: Float64Array, n: number, featureColumn: Int32Array, units: number, blockRows = 64): ExplainTableArgs {
  const args = explainTableArgs(data.subarray(0, n * model.dim), model, options, featureColumn, units, blockRows);
  for (let b = 0; b < blockCount(n, blockRows); b++) EXPLAIN_KERNELS.explainKMeansTable(args, b);
  return args;
}

function randomCase(seed: number, n: number, d: number, k: number): { model: KMeansModel; data: Float64Array } {
  const rng = new Rng(seed);
  const centroids = new Float64Array(k * d).map(() => rng.normal() * 2);
  const data = new Float64Array(n * d).map(() => rng.normal() * 2);
  return { model: { kind: 'kmeans', k, dim: d, centroids }, data };
}

test('WebAssembly SIMD explain kernels are available in this Node', () => {
  assert.ok(explainKernels(), 'WebAssembly SIMD missing: the fused path would not be tested');
});

for (const evidence of ['hard', 'soft'] as EvidenceForm[]) {
  for (const [rule, pooling] of [['reference'], ['reference', 'min-takes-most'], ['midpoint'], ['z']] as [FirstLayerRule, PoolingRule?][]) {
    for (const d of [7, 6]) {
      test(`fused kernel = JavaScript batch path bit for bit (${evidence}, ${rule}${pooling ? `, ${pooling}` : ''}, D = ${d})`, () => {
        const n = 301;
        const { model, data } = randomCase(5 + d, n, d, 6);
        // Reference: a data row, so the guard and the path's fallback both occur.
        const options: NeonOptions = { beta: 0.7, evidence, rule, reference: data.slice(0, d), ...(pooling ? { pooling } : {}) };
        // Features 0 and 1 are one table column (as one-hot features are).
        const featureColumn = Int32Array.from({ length: d }, (_, j) => Math.max(0, j - 1));
        const units = d - 1;
        const got = fused(model, options, data, n, featureColumn, units);
        const ref = { cluster: new Int32Array(n), evidence: new Float64Array(n), probability: new Float64Array(n), relevance: new Float64Array(n * d) };
        explainKMeansRows(model, options, { rows: n, cols: d, data }, ref);
        assert.deepEqual(Array.from(got.cluster), Array.from(ref.cluster));
        assert.deepEqual(Array.from(got.evidence), Array.from(ref.evidence));
        assert.deepEqual(Array.from(got.probability), Array.from(ref.probability));
        const blockSums = referenceBlockSums(ref.relevance, ref.evidence, n, d, 64);
        assert.deepEqual(Array.from(got.blockGap), blockSums.gap, 'block gaps');
        assert.deepEqual(Array.from(got.blockTotal), blockSums.total, 'block Σ|f|');
        const nm = neuralizeKMeans(model, options);
        for (let i = 0; i < n; i++) {
          const cols = new Float64Array(units);
          let sum = 0;
          let abs = 0;
          for (let j = 0; j < d; j++) {
            const r = ref.relevance[i * d + j];
            cols[featureColumn[j]] += r;
            sum += r;
            abs += Math.abs(r);
          }
          for (let u = 0; u < units; u++) assert.ok(Object.is(got.rowRelevance[i * units + u], cols[u]), `row ${i} column ${u}: ${got.rowRelevance[i * units + u]} vs ${cols[u]}`);
          // Conservation Σ_i R_i = f to 1e-12 of the row's scale (not for the z-rule).
          if (rule !== 'z') assert.ok(Math.abs(sum - got.evidence[i]) <= 1e-12 * (abs + Math.abs(got.evidence[i])), `row ${i}: Σ R ${sum} vs f ${got.evidence[i]}`);
          // And the per-point network (independent code) to its documented 1e-9.
          if (i % 10 === 0) {
            const e = nm.explain(data.slice(i * d, (i + 1) * d));
            const scale = Math.max(1, Math.abs(e.evidence));
            for (let j = 0; j < d; j++) assert.ok(Math.abs(ref.relevance[i * d + j] - e.relevance[j]) <= 1e-9 * scale, `row ${i} feature ${j}`);
          }
        }
      });
    }
  }
}

test('fused kernel, hand-computed 2-D case: μ = (0,0), (2,0); x = (0.5, 1)', () => {
  // d_0 = 1.25, d_1 = 3.25: cluster 0, h = 2, hard evidence f = 2.
  const model: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: Float64Array.from([0, 0, 2, 0]) };
  const data = Float64Array.from([0.5, 1]);
  // Midpoint: R_i = (x_i − μ_1i)² − (x_i − μ_0i)² = (2.25 − 0.25, 1 − 1) = (2, 0).
  let got = fused(model, { beta: 1, evidence: 'hard', rule: 'midpoint' }, data, 1, Int32Array.from([0, 1]), 2);
  assert.equal(got.cluster[0], 0);
  assert.equal(got.evidence[0], 2);
  assert.equal(got.probability[0], 1 / (1 + Math.exp(-2)));
  assert.deepEqual(Array.from(got.rowRelevance), [2, 0]);
  // Reference r = (1, 0) on the boundary: Δ = h(x) − h(r) = 2, root at α* = 1, a = 1,
  // R = 2 (x − r) a (μ_0 − μ_1) = 2 (−0.5, 1) (−2, 0) = (2, 0).
  got = fused(model, { beta: 1, evidence: 'hard', rule: 'reference', reference: Float64Array.from([1, 0]) }, data, 1, Int32Array.from([0, 1]), 2);
  assert.deepEqual(Array.from(got.rowRelevance), [2, 0]);
  // z-rule: R = 2 x a δ = 2 (0.5, 1) (−2, 0) = (−2, 0) (the bias keeps the rest).
  got = fused(model, { beta: 1, evidence: 'hard', rule: 'z' }, data, 1, Int32Array.from([0, 1]), 2);
  assert.deepEqual(Array.from(got.rowRelevance), [-2, 0]);
  // Both features in one column: their sum.
  got = fused(model, { beta: 1, evidence: 'hard', rule: 'midpoint' }, data, 1, Int32Array.from([0, 0]), 1);
  assert.deepEqual(Array.from(got.rowRelevance), [2]);
});

test('fused kernel: 1 and 2 threads give the same bits (default rule, hard evidence)', async () => {
  const { model, data } = randomCase(21, 30_000, 9, 8);
  const n = 30_000;
  const d = 9;
  const featureColumn = Int32Array.from({ length: d }, (_, j) => j);
  const options: NeonOptions = { beta: 1.3, evidence: 'hard', rule: 'reference', reference: new Float64Array(d) };
  const results: Float64Array[] = [];
  for (const threads of [1, 2]) {
    const pool = createPool(threads);
    try {
      const x = new Float64Array(new SharedArrayBuffer(8 * n * d));
      x.set(data);
      const args = explainTableArgs(x, model, options, featureColumn, d, 512);
      const blocks = blockCount(n, 512);
      await pool.run('explainKMeansTable', args, blocks, { work: 1e9 });
      results.push(Float64Array.from([...args.evidence, ...args.probability, ...args.rowRelevance, ...args.blockGap, ...args.cluster]));
    } finally {
      await pool.close();
    }
  }
  assert.equal(results[0].length, results[1].length);
  for (let i = 0; i < results[0].length; i++) assert.ok(Object.is(results[0][i], results[1][i]), `value ${i}`);
});

test('pool kernel, hand-computed path walk (1-D, μ = 0, 2, −1; r = 3): two pieces, and a row without a root gets guarded min-takes-most weights', () => {
  const kx = explainKernels();
  assert.ok(kx);
  const k = 3;
  const kk = k + 1;
  kx.reserve(2, 1, kk, 1);
  // Centroids, then the reference r = 3 as centroid K (its distance to each row).
  kx.c.set([0, 2, -1, 3]);
  kx.x.set([0.2, 2.5]);
  kx.distances(2, kk, 1);
  kx.prepare(2, kk, k, 1);
  assert.deepEqual(Array.from(kx.label.subarray(0, 2)), [0, 1]);
  kx.fv.set(kx.hmin.subarray(0, 2));
  kx.refd.set([9, 1, 16]);
  for (let c = 0; c < k; c++) {
    for (let q = 0; q < k; q++) {
      const w = 2 * Math.abs(kx.c[c] - kx.c[q]);
      kx.w2[c * k + q] = w * w;
      kx.wlen[c * k + q] = w;
      kx.gw[c * k + q] = 0.05 * w;
      kx.floor[c * k + q] = Math.max(0.5 * 0.05 * w * w, Number.MIN_VALUE);
    }
  }
  kx.pool(2, kk, k, POOL_PATH, 1e-12);
  const close = (got: number, want: number, what: string): void => assert.ok(Math.abs(got - want) <= 1e-14 * Math.abs(want), `${what} = ${got}, want ${want}`);
  // Row 0 (x = 0.2, cluster 0): h_1 = 3.2, h_2 = 1.4, f = 1.4; Δ = h(x) − h(r) = (11.2, −5.6).
  // Along x + α(r − x): h_2 + 5.6α holds the minimum until it meets h_1 − 11.2α at α = 1.8/16.8,
  // then h_1 reaches 0 at α* = 3.2/11.2: a_2 = 3/28, a_1 = 2/7 − 3/28 = 5/28 (Σ a Δ = 2 − 0.6 = f).
  assert.equal(kx.start[1], 2, 'row 0 has two entries');
  assert.deepEqual(Array.from(kx.which.subarray(0, 2)), [1, 2]);
  close(kx.a[0], 5 / 28, 'a_1');
  close(kx.a[1], 3 / 28, 'a_2');
  assert.deepEqual(Array.from(kx.v.subarray(0, 2)), [0, 0]);
  // Row 1 (x = 2.5, cluster 1, h_0 = 6, h_2 = 12, f = 6): Δ = (6 − 8, 12 − 15) < 0, the line never
  // leaves cluster 1, so the shares 1 : e^−6 with guarded roots: ‖x − r‖ = 0.5; competitor 0:
  // ‖w‖ = 4, den = max(|Δ|, 0.05·4·0.5, 0.4) = 2, a = 6·share/2, root moved t = (2 + 2)/16 = 1/4,
  // v = 4 a t = a; competitor 2: ‖w‖ = 6, den = max(3, 0.15, 0.9) = 3, t = 6/36, v = 2a/3.
  assert.equal(kx.start[2], 4);
  assert.deepEqual(Array.from(kx.which.subarray(2, 4)), [0, 2]);
  const z = 1 + Math.exp(-6);
  close(kx.a[2], 3 / z, 'a_0');
  close(kx.v[2], 3 / z, 'v_0');
  close(kx.a[3], (2 * Math.exp(-6)) / z, 'a_2');
  close(kx.v[3], (4 * Math.exp(-6)) / (3 * z), 'v_2');
});

/**
 * The JavaScript batch path's block sums: per block of `blockRows`, Σ |Σ_i R_i − f| and Σ |f|
 * over the rows with a finite Σ R and f, in row order (explainTableKernel.ts `rowColumns`).
 */
function referenceBlockSums(relevance: Float64Array, evidence: Float64Array, n: number, d: number, blockRows: number): { gap: number[]; total: number[] } {
  const gap: number[] = [];
  const total: number[] = [];
  for (let b = 0; b * blockRows < n; b++) {
    let g = 0;
    let t = 0;
    for (let i = b * blockRows; i < Math.min(n, (b + 1) * blockRows); i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += relevance[i * d + j];
      if (Number.isFinite(sum) && Number.isFinite(evidence[i])) {
        g += Math.abs(sum - evidence[i]);
        t += Math.abs(evidence[i]);
      }
    }
    gap.push(g);
    total.push(t);
  }
  return { gap, total };
}

for (const k of [2, 7, 12]) {
  test(`fused kernel = JavaScript batch path bit for bit on ties, fallbacks, far rows and rows beyond float64; block sums too (K = ${k})`, () => {
    const d = 5;
    const n = 400;
    const blockRows = 64;
    const { model, data } = randomCase(40 + k, n, d, k);
    const { centroids } = model;
    // A duplicate centroid (K > 2): exact ties in distance (lowest index wins), h = 0 for a
    // competitor, and two identical lines on the reference path (firstLine / nextLine ties).
    if (k > 2) centroids.copyWithin((k - 1) * d, 0, d);
    // A mirror pair (K > 3): centroid K − 2 is centroid 1 with feature 0 negated, so a row with
    // x_0 = 0 has h_1 = h_{K−2} exactly, and with a reference r_0 = 0 also Δ_1 = Δ_{K−2}: two
    // lines tied in h (then Δ, then index decides) with different δ, so the choice shows.
    if (k > 3) {
      centroids.copyWithin((k - 2) * d, d, 2 * d);
      centroids[(k - 2) * d] = -centroids[d];
    }
    for (let i = 0; i < n; i++) {
      const row = data.subarray(i * d, (i + 1) * d);
      if (i % 5 === 1) {
        // The midpoint of two centroids: a tie up to rounding.
        const a = i % k;
        const b = (i + 1) % k;
        for (let j = 0; j < d; j++) row[j] = (centroids[a * d + j] + centroids[b * d + j]) / 2;
      } else if (i % 5 === 2) {
        // Far out: most shares beyond e^−40 (0), the others tiny.
        for (let j = 0; j < d; j++) row[j] *= 8;
      } else if (i % 5 === 3) {
        // On a centroid: h = 0 for its duplicate.
        row.set(centroids.subarray((i % k) * d, (i % k + 1) * d));
      } else if (i % 5 === 4) {
        // On the mirror pair's plane.
        row[0] = 0;
      }
    }
    // Block 0 only: a row the plain path cannot hold (redone, rescaled) and one beyond float64.
    data[7 * d] = 1e200;
    data[9 * d] = 9.99e307;
    const featureColumn = Int32Array.from({ length: d }, (_, j) => Math.max(0, j - 1));
    const units = d - 1;
    // References: data rows (‖x − r‖ = 0 there; the path's fallback elsewhere), row 4 on the
    // mirror plane (r_0 = 0: ties in h and Δ) and row 0 off it (ties in h only, Δ decides).
    for (const [evidence, rule, pooling, refRow] of [
      ['hard', 'reference', undefined, 4],
      ['hard', 'reference', undefined, 0],
      ['hard', 'reference', 'min-takes-most', 4],
      ['hard', 'midpoint', undefined, 0],
      ['soft', 'reference', undefined, 4],
      ['soft', 'reference', undefined, 0],
      ['soft', 'reference', 'min-takes-most', 0],
      ['soft', 'midpoint', undefined, 0],
    ] as [EvidenceForm, FirstLayerRule, PoolingRule | undefined, number][]) {
      {
        const reference = data.slice(refRow * d, (refRow + 1) * d);
        const what = `${evidence}, ${rule}${pooling ? `, ${pooling}` : ''}, r = row ${refRow}`;
        const options: NeonOptions = { beta: 0.9, evidence, rule, reference, ...(pooling ? { pooling } : {}) };
        const got = fused(model, options, data, n, featureColumn, units, blockRows);
        const ref = { cluster: new Int32Array(n), evidence: new Float64Array(n), probability: new Float64Array(n), relevance: new Float64Array(n * d), status: new Uint8Array(n) };
        explainKMeansRows(model, options, { rows: n, cols: d, data }, ref);
        for (let i = 0; i < n; i++) {
          assert.equal(got.cluster[i], ref.cluster[i], `${what}: cluster of row ${i}`);
          assert.ok(Object.is(got.evidence[i], ref.evidence[i]), `${what}: evidence of row ${i}: ${got.evidence[i]} vs ${ref.evidence[i]}`);
          assert.ok(Object.is(got.probability[i], ref.probability[i]), `${what}: probability of row ${i}: ${got.probability[i]} vs ${ref.probability[i]}`);
          assert.equal(got.status[i], ref.status[i], `${what}: status of row ${i}`);
          const cols = new Float64Array(units);
          for (let j = 0; j < d; j++) cols[featureColumn[j]] += ref.relevance[i * d + j];
          for (let u = 0; u < units; u++) assert.ok(Object.is(got.rowRelevance[i * units + u], cols[u]), `${what}: row ${i} column ${u}: ${got.rowRelevance[i * units + u]} vs ${cols[u]}`);
        }
        const sums = referenceBlockSums(ref.relevance, ref.evidence, n, d, blockRows);
        for (let b = 0; b < sums.gap.length; b++) {
          assert.ok(Object.is(got.blockGap[b], sums.gap[b]), `${what}: block ${b} gap ${got.blockGap[b]} vs ${sums.gap[b]}`);
          assert.ok(Object.is(got.blockTotal[b], sums.total[b]), `${what}: block ${b} Σ|f| ${got.blockTotal[b]} vs ${sums.total[b]}`);
        }
        // Both ways of summing a block occur: block 0's huge rows are refused by the relevance
        // kernel (its sums redone in JavaScript), and some block has every row exact (the
        // kernel's own sums). Each block again alone, to read the kernel's count of refused rows.
        let exactBlocks = 0;
        for (let b = 0; b < sums.gap.length; b++) {
          EXPLAIN_KERNELS.explainKMeansTable(got, b);
          if (b === 0) assert.ok(explainKernels()!.sums[2] >= 1, `${what}: block 0 has a row the kernel refuses`);
          if (explainKernels()!.sums[2] === 0) exactBlocks++;
        }
        // (Soft evidence, and the midpoint rule, on these ties leave rows whose plain-path Σ R
        // misses f, redone rescaled, in every block here.)
        if (evidence === 'hard' && rule === 'reference') assert.ok(exactBlocks >= 1, `${what}: a block with every row exact`);
      }
    }
  });
}

test('prepare: every share = expNeg bit for bit over 0 … 45 (each 2^−j/32 entry, every 2^−m, e^−40 cut, NaN); z in index order', () => {
  const kx = explainKernels()!;
  const k = 11;
  // Row i: centroid 0 at distance 0 (c), centroid 1 at 0 too (hMin = 0, tied: lowest index
  // is c), the other nine at distances a, so with β = 1 the share's argument is a exactly.
  const args: number[] = [];
  const step = Math.LN2 / 32;
  for (let n = 0; n <= 1860; n++) {
    // Around each reduction point n·ln 2 / 32 (the rounding of n, every table entry, m = 0 … 58).
    const t = n * step;
    args.push(t, t + step / 2, t + step / 2 + 1e-12, Math.max(0, t - 1e-12));
  }
  args.push(40, 40 + 1e-12, 39.999999999999, 45, 0, NaN, 1e-300);
  const rng = new Rng(3);
  while (args.length % 9 !== 0) args.push(rng.next() * 41);
  const rows = args.length / 9;
  kx.reserve(rows, 1, k, 1);
  for (const beta of [1, 0.7303]) {
    for (let i = 0; i < rows; i++) {
      kx.dist[i * k] = 0;
      kx.dist[i * k + 1] = 0;
      // β = 0.7303: the arguments are β·a as the JavaScript computes them.
      for (let q = 2; q < k; q++) kx.dist[i * k + q] = args[i * 9 + q - 2];
    }
    kx.prepare(rows, k, k, beta);
    for (let i = 0; i < rows; i++) {
      assert.equal(kx.label[i], 0);
      assert.ok(Object.is(kx.hmin[i], 0));
      let z = 0;
      for (let q = 0; q < k; q++) {
        const a = beta * (kx.dist[i * k + q] - 0);
        const want = q === 0 ? 0 : a > 40 ? 0 : expNeg(a);
        assert.ok(Object.is(kx.ex[i * k + q], want), `β ${beta}, argument ${a}: ${kx.ex[i * k + q]} vs ${want}`);
        z += want;
      }
      assert.ok(Object.is(kx.zsum[i], z), `β ${beta}, row ${i}: z`);
    }
  }
});

test('prepare: nearest centroid, h, hMin and shares = RowPooling.row bit for bit with ties, NaN and ∞ distances', () => {
  const kx = explainKernels()!;
  const k = 7;
  const rows = 2000;
  const rng = new Rng(11);
  // Distances from a few values, so exact ties are common; NaN (a NaN feature) and ∞ (overflow) too.
  const pick = [0, 0.5, 1, 1, 2, 3.25, 7, NaN, Infinity, 1e-300, 60];
  kx.reserve(rows, 1, k, 1);
  for (let i = 0; i < rows * k; i++) kx.dist[i] = pick[rng.int(pick.length)] * (rng.next() < 0.3 ? 1 : 1 + rng.int(4) / 8);
  const beta = 1.3;
  kx.prepare(rows, k, k, beta);
  // The real RowPooling.row (neuralize/kmeansBatch.ts; review6 F8: this test re-implemented it inline,
  // free to drift): its private h and shares after each row, and everything it hands on (cluster,
  // evidence = hMin, probability from z, the weights) against prepared() fed the kernel's values.
  const model: KMeansModel = { kind: 'kmeans', k, dim: 1, centroids: Float64Array.from({ length: k }, (_, q) => q) };
  const options: NeonOptions = { beta, evidence: 'hard', rule: 'midpoint' };
  const direct = new RowPooling(model, options, batchRule(options));
  const fromKernel = new RowPooling(model, options, batchRule(options));
  const own = direct as unknown as { h: Float64Array; ex: Float64Array };
  for (let i = 0; i < rows; i++) {
    direct.row(kx.dist, i * k);
    fromKernel.prepared(kx.label[i]!, kx.hmin[i]!, kx.zsum[i]!, kx.h, kx.ex, i * k, NaN, 0);
    const c = direct.cluster;
    const what = `row ${i} [${Array.from(kx.dist.subarray(i * k, (i + 1) * k)).join(', ')}]`;
    assert.equal(kx.label[i], c, `${what}: c`);
    assert.ok(Object.is(kx.hmin[i], direct.evidence), `${what}: hMin ${kx.hmin[i]} vs ${direct.evidence}`);
    for (let q = 0; q < k; q++) {
      if (q === c) continue;
      assert.ok(Object.is(kx.h[i * k + q], own.h[q]), `${what}: h_${q}`);
      assert.ok(Object.is(kx.ex[i * k + q], own.ex[q]), `${what}: share ${q} ${kx.ex[i * k + q]} vs ${own.ex[q]}`);
    }
    assert.ok(Object.is(fromKernel.probability, direct.probability), `${what}: probability (z)`);
    assert.ok(Object.is(fromKernel.evidence, direct.evidence) && fromKernel.count === direct.count, `${what}: evidence, count`);
    for (let e = 0; e < direct.count; e++) {
      assert.ok(fromKernel.which[e] === direct.which[e] && Object.is(fromKernel.a[e], direct.a[e]) && Object.is(fromKernel.v[e], direct.v[e]), `${what}: weight ${e}`);
    }
  }
});

test('fused kernel with every feature its own column (the relevance stored in the R pass) = JavaScript batch path bit for bit', () => {
  for (const d of [7, 6]) {
    const n = 203;
    const { model, data } = randomCase(70 + d, n, d, 5);
    // Rows on a centroid (x − b = 0 under the midpoint rule, so R = ±0 terms) and beyond float64.
    data.set(model.centroids.subarray(0, d), 3 * d);
    data[11 * d] = 1e200;
    const featureColumn = Int32Array.from({ length: d }, (_, j) => j);
    for (const [evidence, rule, pooling] of [
      ['hard', 'reference'],
      ['hard', 'reference', 'min-takes-most'],
      ['soft', 'midpoint'],
      ['hard', 'z'],
    ] as [EvidenceForm, FirstLayerRule, PoolingRule?][]) {
      const options: NeonOptions = { beta: 0.8, evidence, rule, reference: data.slice(0, d), ...(pooling ? { pooling } : {}) };
      const got = fused(model, options, data, n, featureColumn, d);
      const ref = { cluster: new Int32Array(n), evidence: new Float64Array(n), probability: new Float64Array(n), relevance: new Float64Array(n * d) };
      explainKMeansRows(model, options, { rows: n, cols: d, data }, ref);
      for (let i = 0; i < n * d; i++) {
        // The column sum of one feature: 0 + R (so −0 becomes +0, as the column pass gives).
        const want = 0 + ref.relevance[i];
        assert.ok(Object.is(got.rowRelevance[i], want), `D = ${d}, ${evidence} ${rule}: row ${Math.floor(i / d)} feature ${i % d}: ${got.rowRelevance[i]} vs ${want}`);
      }
      assert.deepEqual(Array.from(got.evidence), Array.from(ref.evidence));
    }
  }
});
