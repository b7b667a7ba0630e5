import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STIFF_SELF_SHARE, medianGamma, selfSimilarityShare, stiffGamma } from '../../../src/engine/cluster/bandwidth';
import { ModelError, OptionError } from '../../../src/engine/errors';
import { Rng } from '../../../src/engine/rng';
import type { Matrix } from '../../../src/engine/types';

function blobs(seed: number, k: number, perCluster: number, d: number): { sv: Matrix; cluster: Int32Array } {
  const rng = new Rng(seed);
  const data = new Float64Array(k * perCluster * d);
  const cluster = new Int32Array(k * perCluster);
  for (let c = 0; c < k; c++) {
    const centre = Array.from({ length: d }, () => 5 * rng.normal());
    for (let s = 0; s < perCluster; s++) {
      const r = c * perCluster + s;
      cluster[r] = c;
      for (let t = 0; t < d; t++) data[r * d + t] = centre[t] + rng.normal();
    }
  }
  return { sv: { rows: k * perCluster, cols: d, data }, cluster };
}

describe('selfSimilarityShare', () => {
  it('hand-computed: two support vectors at squared distance 2, γ = ln 2 / 2 → each has share 1 / (1 + 1/2)', () => {
    const sv: Matrix = { rows: 2, cols: 2, data: Float64Array.from([0, 0, 1, 1]) };
    assert.ok(Math.abs(selfSimilarityShare(sv, Int32Array.from([0, 0]), Math.LN2 / 2) - 2 / 3) < 1e-15);
  });

  it('ignores single-support-vector clusters and grows monotonically with γ', () => {
    const { sv, cluster } = blobs(3, 3, 6, 4);
    // Add a lone support vector in a 4th cluster: it would have share 1 at every γ.
    const withLone: Matrix = { rows: sv.rows + 1, cols: 4, data: Float64Array.from([...sv.data, 0, 0, 0, 0]) };
    const clusterLone = Int32Array.from([...cluster, 3]);
    let last = 0;
    for (const g of [1e-4, 1e-3, 1e-2, 0.1, 1, 10]) {
      const s = selfSimilarityShare(sv, cluster, g);
      assert.equal(selfSimilarityShare(withLone, clusterLone, g), s);
      assert.ok(s > last, `share(${g}) = ${s} should exceed ${last}`);
      last = s;
    }
    assert.ok(selfSimilarityShare(sv, cluster, 1e-9) < 1 / 6 + 1e-6, 'γ → 0: share → 1/|C|');
  });
});

describe('stiffGamma', () => {
  it(`hits the ${STIFF_SELF_SHARE} self-similarity target`, () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { sv, cluster } = blobs(seed, 4, 10, 8);
      const choice = stiffGamma(sv, cluster);
      assert.equal(choice.note, undefined);
      assert.ok(Math.abs(choice.selfShare - 0.9) < 1e-9, `share ${choice.selfShare}`);
      assert.ok(Math.abs(selfSimilarityShare(sv, cluster, choice.gamma) - 0.9) < 1e-9);
      const looser = stiffGamma(sv, cluster, 0.5);
      assert.ok(looser.gamma < choice.gamma, 'a lower target means a looser (smaller) γ');
      assert.ok(Math.abs(looser.selfShare - 0.5) < 1e-9);
    }
  });

  it('hand-computed: two points at squared distance 2 → γ = ln 9 / 2 for share 0.9', () => {
    // 1 / (1 + e^{−2γ}) = 0.9  ⇔  e^{−2γ} = 1/9.
    const sv: Matrix = { rows: 2, cols: 2, data: Float64Array.from([0, 0, 1, 1]) };
    const choice = stiffGamma(sv, Int32Array.from([0, 0]));
    assert.ok(Math.abs(choice.gamma - Math.log(9) / 2) < 1e-9);
  });

  it('falls back with a note when the target cannot be reached', () => {
    const lone: Matrix = { rows: 2, cols: 1, data: Float64Array.from([0, 3]) };
    const single = stiffGamma(lone, Int32Array.from([0, 1]));
    assert.match(single.note ?? '', /single support vector/);
    assert.ok(Math.abs(single.gamma - 1 / 9) < 1e-15);
    // Two identical support vectors cap the share at 1/2 (+ a far one).
    const dup: Matrix = { rows: 3, cols: 1, data: Float64Array.from([0, 0, 1]) };
    const capped = stiffGamma(dup, Int32Array.from([0, 0, 0]));
    assert.match(capped.note ?? '', /cap the self-similarity share/);
  });

  it('rejects bad targets and shapes by message', () => {
    const { sv, cluster } = blobs(1, 2, 3, 2);
    assert.throws(() => stiffGamma(sv, cluster, 1), (e: unknown) => e instanceof OptionError && /target self-similarity share must be in \(0, 1\), got 1/.test(e.message));
    assert.throws(() => stiffGamma(sv, cluster.subarray(1)), /5 cluster labels for 6 support vectors/);
    const same: Matrix = { rows: 2, cols: 1, data: Float64Array.from([2, 2]) };
    assert.throws(() => stiffGamma(same, Int32Array.from([0, 0])), (e: unknown) => e instanceof ModelError && /coincide/.test(e.message));
  });
});

describe('medianGamma', () => {
  it('hand-computed: points 0, 1, 3 → squared distances 1, 9, 4 → γ = 1/4', () => {
    assert.equal(medianGamma({ rows: 3, cols: 1, data: Float64Array.from([0, 1, 3]) }), 0.25);
  });

  it('even count takes the mean of the middle pair; duplicates are ignored', () => {
    // 0, 1, 3, 7: squared distances 1, 9, 49, 4, 36, 16 → middle pair 9, 16 → median 12.5.
    assert.equal(medianGamma({ rows: 4, cols: 1, data: Float64Array.from([0, 1, 3, 7]) }), 1 / 12.5);
    // 0, 1, 1, 3: nonzero squared distances 1, 1, 9, 4, 4 (the duplicate pair is dropped) → 4.
    assert.equal(medianGamma({ rows: 4, cols: 1, data: Float64Array.from([0, 1, 1, 3]) }), 0.25);
  });

  it('samples pairs (seeded) on large data and stays close to the exact value', () => {
    const rng = new Rng(2);
    const n = 800;
    const X: Matrix = { rows: n, cols: 3, data: Float64Array.from({ length: n * 3 }, () => rng.normal()) };
    const exact = medianGamma(X);
    const sampled = medianGamma(X, { seed: 5, maxPairs: 20_000 });
    assert.equal(sampled, medianGamma(X, { seed: 5, maxPairs: 20_000 }));
    assert.ok(Math.abs(sampled / exact - 1) < 0.05, `${sampled} vs ${exact}`);
  });

  it('rejects degenerate data by message', () => {
    assert.throws(() => medianGamma({ rows: 1, cols: 2, data: Float64Array.from([1, 2]) }), /needs at least 2 points, got 1/);
    assert.throws(() => medianGamma({ rows: 2, cols: 1, data: Float64Array.from([1, 1]) }), /all points coincide/);
  });
});
