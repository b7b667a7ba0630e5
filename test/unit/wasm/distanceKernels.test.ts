import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../src/engine/rng';
import { bothKernels, canonicalDist2, canonicalDot, type RegionKernels } from '../../../src/engine/wasm/simdKernels';

/**
 * The set-up the hand cases share: room for `rows` × `d` rows and `k` centroids, the rows and
 * centroids copied into the kernels' memory, and the identity list 0..rows-1 (every row listed).
 */
function loadProblem(K: RegionKernels, data: Float64Array, rows: number, d: number, centroids: Float64Array, k: number): void {
  K.reserve(rows, d, k);
  K.loadRows(data, 0, rows, d);
  K.c.set(centroids);
  K.identity(rows);
}

/** Every kernel's outputs on the same inputs, as plain arrays (bits compared by deepEqual). */
function run(K: RegionKernels, data: Float64Array, rows: number, d: number, centroids: Float64Array, k: number, list: Int32Array, closest: Float64Array, centre: Int32Array) {
  const count = list.length;
  K.reserve(rows, d, k);
  K.loadRows(data, 0, rows, d);
  K.c.set(centroids);
  K.writeList().set(list);
  K.nearest(count, k, d);
  const out: Record<string, number[]> = {
    label: Array.from(K.label.subarray(0, count)),
    best: Array.from(K.best.subarray(0, count)),
    second: Array.from(K.second.subarray(0, count)),
  };
  out.ties = [K.nearestBounded(count, k, d)];
  out.boundedLabel = Array.from(K.label.subarray(0, count));
  out.boundedBest = Array.from(K.best.subarray(0, count));
  out.boundedSecond = Array.from(K.second.subarray(0, count));
  // apply after nearestBounded: rows listed in `list` move from centre[row] to their nearest.
  K.rowLabel.set(Int32Array.from({ length: rows }, (_, r) => centre[r % count]));
  K.upper.fill(-1);
  K.lower.fill(-1);
  K.sums.set(centroids);
  K.counts.fill(count);
  out.moved = [K.apply(count, d)];
  out.rowLabel = Array.from(K.rowLabel.subarray(0, rows));
  out.upper = Array.from(K.upper.subarray(0, rows));
  out.lower = Array.from(K.lower.subarray(0, rows));
  out.applySums = Array.from(K.sums.subarray(0, k * d));
  out.counts = Array.from(K.counts.subarray(0, k));
  // loosen: bounds moved by the centroids' moves, the failing rows listed.
  K.moved.set(Float64Array.from({ length: k }, (_, q) => closest[q % count] / 50));
  K.half.set(Float64Array.from({ length: k }, (_, q) => closest[q % count] / 10));
  out.loosened = [K.loosen(rows, k >> 1, 0.3, 0.1)];
  out.loosenList = Array.from(K.list.subarray(0, out.loosened[0]));
  out.loosenLabel = Array.from(K.label.subarray(0, out.loosened[0]));
  out.loosenZ = Array.from(K.z.subarray(0, out.loosened[0]));
  out.loosenUpper = Array.from(K.upper.subarray(0, rows));
  out.loosenLower = Array.from(K.lower.subarray(0, rows));
  K.writeList().set(list);
  K.distances(count, k, d);
  out.dist = Array.from(K.dist.subarray(0, count * k));
  K.label.set(centre);
  K.own(count, d);
  out.own = Array.from(K.best.subarray(0, count));
  K.sums.fill(0);
  K.accumulate(count, d);
  out.sums = Array.from(K.sums.subarray(0, k * d));
  K.best.set(closest);
  K.sums.fill(0);
  K.seed(count, k, d);
  out.seed = Array.from(K.dist.subarray(0, count * k));
  out.pots = Array.from(K.sums.subarray(0, k));
  return out;
}

test('SIMD distance kernels give the bits of the scalar reference (odd and even D, K not a multiple of 4, odd counts, repeated rows)', (t) => {
  const { simd, scalar } = bothKernels();
  if (!simd) {
    t.skip('WebAssembly SIMD is not available here');
    return;
  }
  const rng = new Rng(5);
  for (const d of [1, 2, 3, 5, 8, 20, 21]) {
    for (const k of [1, 3, 4, 5, 12, 13]) {
      for (const count of [1, 2, 7, 40]) {
        const rows = count + 3;
        const data = Float64Array.from({ length: rows * d }, () => rng.normal() * 3);
        const centroids = Float64Array.from({ length: k * d }, () => rng.normal() * 3);
        const list = Int32Array.from({ length: count }, () => rng.int(rows));
        const closest = Float64Array.from({ length: count }, () => rng.next() * 20 * d);
        const centre = Int32Array.from({ length: count }, () => rng.int(k));
        const a = run(simd, data, rows, d, centroids, k, list, closest, centre);
        const b = run(scalar, data, rows, d, centroids, k, list, closest, centre);
        assert.deepEqual(a, b, `d ${d}, k ${k}, count ${count}`);
      }
    }
  }
});

test('the kernels compute squared Euclidean distances, nearest with lowest index on ties, and the second smallest', () => {
  for (const K of Object.values(bothKernels())) {
    if (!K) continue;
    // Rows (0,0), (3,4), (1,1); centroids (0,0), (0,0) again (a tie), (3,4).
    const data = Float64Array.from([0, 0, 3, 4, 1, 1]);
    const centroids = Float64Array.from([0, 0, 0, 0, 3, 4]);
    loadProblem(K, data, 3, 2, centroids, 3);
    K.nearest(3, 3, 2);
    assert.deepEqual(Array.from(K.label.subarray(0, 3)), [0, 2, 0], K.simd ? 'simd' : 'scalar');
    assert.deepEqual(Array.from(K.best.subarray(0, 3)), [0, 0, 2]);
    assert.deepEqual(Array.from(K.second.subarray(0, 3)), [0, 25, 2]);
    K.distances(3, 3, 2);
    assert.deepEqual(Array.from(K.dist.subarray(0, 9)), [0, 0, 25, 25, 25, 0, 2, 2, 13]);
    assert.equal(canonicalDist2(data, 2, centroids, 4, 2), 0);
  }
});

test('loadRowsOf copies a whole array once per generation, and always a part of one or an unnumbered load', () => {
  for (const K of Object.values(bothKernels())) {
    if (!K) continue;
    const data = Float64Array.from([1, 2, 3, 4, 5, 6]);
    K.reserve(3, 2, 1);
    K.loadRowsOf(data, 0, 3, 2, 7);
    assert.deepEqual(Array.from(K.x.subarray(0, 6)), [1, 2, 3, 4, 5, 6]);
    data[0] = 10;
    // Same array, same generation: the caller promised no change, the copy is kept.
    K.loadRowsOf(data, 0, 3, 2, 7);
    assert.equal(K.x[0], 1);
    K.loadRowsOf(data, 0, 3, 2, 8);
    assert.equal(K.x[0], 10);
    data[0] = 11;
    K.loadRowsOf(data, 0, 3, 2, undefined);
    assert.equal(K.x[0], 11);
    // A part of the array is never taken as loaded; nor is the whole array after a plain load of other rows.
    K.loadRowsOf(data, 1, 3, 2, 9);
    assert.deepEqual(Array.from(K.x.subarray(0, 4)), [3, 4, 5, 6]);
    K.loadRowsOf(data, 0, 3, 2, 9);
    K.loadRows(data, 2, 3, 2);
    K.loadRowsOf(data, 0, 3, 2, 9);
    assert.deepEqual(Array.from(K.x.subarray(0, 6)), [11, 2, 3, 4, 5, 6]);
  }
});

test('nearestBounded: labels by the dot form are the canonical nearest; near ties are re-checked with canonical distances; best/second bound the distances', () => {
  for (const K of Object.values(bothKernels())) {
    if (!K) continue;
    // Rows and centroids far from the origin (offset 1e6 per feature, D = 6): ‖x‖² ≈ 6e12, so
    // the dot form ‖x‖² − 2x·c + ‖c‖² has rounding errors ~1e-3. Centroids 0–6 lie 3 apart
    // along feature 0; centroid 7 is centroid 0 moved by 1e-4, so rows nearest to either of
    // those two are near ties (their squared distances differ by far less than the errors).
    const d = 6;
    const k = 8;
    const rows = 301;
    const rng = new Rng(9);
    const off = 1e6;
    const centroids = new Float64Array(k * d).fill(off);
    for (let q = 0; q < 7; q++) {
      centroids[q * d] += 3 * q;
      centroids[q * d + 1] += q % 3;
    }
    centroids.copyWithin(7 * d, 0, d);
    centroids[7 * d] += 1e-4;
    const data = Float64Array.from({ length: rows * d }, (_, v) => off + rng.next() * (v % d === 0 ? 20 : 3));
    loadProblem(K, data, rows, d, centroids, k);
    K.nearest(rows, k, d);
    const label = K.label.slice(0, rows);
    const best = K.best.slice(0, rows);
    const second = K.second.slice(0, rows);
    const ties = K.nearestBounded(rows, k, d);
    const tied = new Set(K.ties.subarray(0, ties));
    assert.ok(ties > 20 && ties < rows, `near ties: ${ties}`);
    assert.deepEqual(K.label.slice(0, rows), label, K.simd ? 'simd' : 'scalar');
    for (let i = 0; i < rows; i++) {
      if (tied.has(i)) {
        assert.equal(K.best[i], best[i]);
        assert.equal(K.second[i], second[i]);
      }
      assert.ok(K.best[i] >= best[i] && K.second[i] <= second[i], `row ${i}: bounds ${K.best[i]}, ${K.second[i]} vs ${best[i]}, ${second[i]}`);
    }
    // Without the re-check the dot form alone picks another centroid for some of these rows.
    let wrong = 0;
    for (let i = 0; i < rows; i++) {
      let b = 0;
      let bv = Infinity;
      for (let q = 0; q < k; q++) {
        const v = canonicalDot(centroids, q * d, centroids, q * d, d) - 2 * canonicalDot(data, i * d, centroids, q * d, d);
        if (v < bv) {
          bv = v;
          b = q;
        }
      }
      if (b !== label[i]) wrong++;
    }
    assert.ok(wrong > 0, 'the data should defeat the unchecked dot form');
  }
});

test('nearestBounded: rows whose squared norm overflows (values ~1e160) are settled with canonical distances', () => {
  for (const K of Object.values(bothKernels())) {
    if (!K) continue;
    // ‖x‖², ‖c‖² and x·c are all Infinity: the dot form gives NaN for every centroid, while
    // the canonical distances to the two centroids nearby are finite (0 and 1e300).
    const data = Float64Array.from([1e160, 1e160, 1e160 + 1e150, 1e160, 3e160, 3e160 - 1e150]);
    const centroids = Float64Array.from([0, 0, 1e160, 1e160, 3e160, 3e160]);
    loadProblem(K, data, 3, 2, centroids, 3);
    K.nearest(3, 3, 2);
    const label = Array.from(K.label.subarray(0, 3));
    assert.deepEqual(label, [1, 1, 2]);
    assert.equal(K.nearestBounded(3, 3, 2), 3);
    assert.deepEqual(Array.from(K.label.subarray(0, 3)), label, K.simd ? 'simd' : 'scalar');
  }
});

test('apply moves a row from one centroid to another (sums and counts) and sets its bounds; loosen lists the rows whose bounds fail', () => {
  for (const K of Object.values(bothKernels())) {
    if (!K) continue;
    // Rows (1, 2) and (3, 4), D = 2, K = 2; both belong to centroid 0; row 1's nearest is 1.
    K.reserve(2, 2, 2);
    K.loadRows(Float64Array.from([1, 2, 3, 4]), 0, 2, 2);
    K.rowLabel.set([0, 0]);
    K.sums.set([4, 6, 0, 0]);
    K.counts.set([2, 0]);
    K.writeList().set([0, 1]);
    K.label.set([0, 1]);
    K.best.set([4, 9]);
    K.second.set([16, 25]);
    assert.equal(K.apply(2, 2), 1, K.simd ? 'simd' : 'scalar');
    assert.deepEqual(Array.from(K.rowLabel.subarray(0, 2)), [0, 1]);
    assert.deepEqual(Array.from(K.sums.subarray(0, 4)), [1, 2, 3, 4]);
    assert.deepEqual(Array.from(K.counts.subarray(0, 2)), [1, 1]);
    assert.deepEqual(Array.from(K.upper.subarray(0, 2)), [2, 3]);
    assert.deepEqual(Array.from(K.lower.subarray(0, 2)), [4, 5]);
    // Centroid 1 moved most (r1 = 1, m1 = 1) and the other by m2 = 0.5; half-separations 2.5.
    K.moved.set([0.5, 1]);
    K.half.set([2.5, 2.5]);
    // Row 0: u = 2.5, l = 3 (holds: u ≤ half); row 1: u = 4, l = 4.5 (holds: u ≤ l).
    assert.equal(K.loosen(2, 1, 1, 0.5), 0);
    assert.deepEqual(Array.from(K.upper.subarray(0, 2)), [2.5, 4]);
    assert.deepEqual(Array.from(K.lower.subarray(0, 2)), [3, 4.5]);
    // Row 1 again: u = 5, l = 4 fails; row 0: u = 3 > half 2.5 and > l = 2: fails too.
    assert.equal(K.loosen(2, 1, 1, 0.5), 2);
    assert.deepEqual(Array.from(K.list.subarray(0, 2)), [0, 1]);
    assert.deepEqual(Array.from(K.label.subarray(0, 2)), [0, 1]);
    assert.deepEqual(Array.from(K.z.subarray(0, 2)), [2, 4]);
  }
});
