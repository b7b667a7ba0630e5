import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ari, clusteringAccuracy, hungarian, nmi, purity, qualityMetrics, silhouette } from '../../../src/engine/evaluate/metrics';
import { Rng } from '../../../src/engine/rng';
import type { Matrix } from '../../../src/engine/types';

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const ints = (a: number[]): Int32Array => new Int32Array(a);

test('identical partitions up to relabelling score 1 everywhere', () => {
  const labels = ['a', 'a', 'b', 'b', 'c', 'c', 'c'];
  const assignments = ints([2, 2, 0, 0, 1, 1, 1]);
  assert.equal(ari(labels, assignments), 1);
  close(nmi(labels, assignments), 1, 1e-15, 'nmi');
  assert.equal(purity(labels, assignments), 1);
  assert.equal(clusteringAccuracy(labels, assignments), 1);
});

test('hand values: ARI 4/7 and 0, NMI 0.343711 (scikit-learn arithmetic) and 0', () => {
  // scikit-learn doc example: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) = 4/7.
  close(ari(['0', '0', '1', '2'], ints([0, 0, 1, 1])), 4 / 7, 1e-15, 'ari 4/7');
  // [a,a,b,b] vs [0,0,0,1]: Σ cell pairs = 1 equals its expectation 2·3/6 -> ARI 0.
  close(ari(['a', 'a', 'b', 'b'], ints([0, 0, 0, 1])), 0, 1e-15, 'ari 0');
  // MI = 0.5 ln(4/3) + 0.25 ln(2/3) + 0.25 ln 2; H(U) = ln 2; H(V) = −(¾ ln ¾ + ¼ ln ¼).
  const mi = 0.5 * Math.log(4 / 3) + 0.25 * Math.log(2 / 3) + 0.25 * Math.log(2);
  const hv = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
  close(nmi(['a', 'a', 'b', 'b'], ints([0, 0, 0, 1])), mi / ((Math.log(2) + hv) / 2), 1e-15, 'nmi formula');
  close(nmi(['a', 'a', 'b', 'b'], ints([0, 0, 0, 1])), 0.343711, 1e-6, 'nmi value');
  close(nmi(['a', 'a', 'b', 'b'], ints([0, 1, 0, 1])), 0, 1e-15, 'independent partitions');
  assert.equal(nmi(['a', 'a'], ints([3, 3])), 1, 'both single blocks');
});

test('purity and Hungarian accuracy on a hand case', () => {
  // Cluster 0: a,a,b; cluster 1: b,b; cluster 2: a. Purity = (2 + 2 + 1)/6.
  const labels = ['a', 'a', 'b', 'b', 'b', 'a'];
  const assignments = ints([0, 0, 0, 1, 1, 2]);
  close(purity(labels, assignments), 5 / 6, 1e-15, 'purity');
  // One-to-one: cluster 0 -> a (2), cluster 1 -> b (2), cluster 2 unmatched: 4/6.
  close(clusteringAccuracy(labels, assignments), 4 / 6, 1e-15, 'accuracy');
});

test('hungarian solves a known 3x3 and a rectangular problem', () => {
  // Minimum 5: row0->col1 (1), row1->col0 (2), row2->col2 (2).
  assert.deepEqual(Array.from(hungarian(new Float64Array([4, 1, 3, 2, 0, 5, 3, 2, 2]), 3, 3)), [1, 0, 2]);
  // 2 x 3: row0 -> col2 (1), row1 -> col0 (2): total 3.
  assert.deepEqual(Array.from(hungarian(new Float64Array([5, 9, 1, 2, 3, 4]), 2, 3)), [2, 0]);
  assert.throws(() => hungarian(new Float64Array(6), 3, 2), /needs rows <= cols, got 3 x 2/);
});

test('hungarian equals brute force on random 5x5 matrices', () => {
  const rng = new Rng(3);
  const perms: number[][] = [];
  const permute = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) perms.push(prefix);
    rest.forEach((v, i) => permute([...prefix, v], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], [0, 1, 2, 3, 4]);
  for (let t = 0; t < 20; t++) {
    const cost = new Float64Array(25).map(() => Math.floor(rng.next() * 20));
    const best = Math.min(...perms.map((p) => p.reduce((s, c, r) => s + cost[r * 5 + c], 0)));
    const got = Array.from(hungarian(cost, 5, 5)).reduce((s, c, r) => s + cost[r * 5 + c], 0);
    assert.equal(got, best);
  }
});

test('silhouette: hand case in 1-D, sampled version is seeded', () => {
  const X: Matrix = { rows: 4, cols: 1, data: new Float64Array([0, 1, 10, 11]) };
  const expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
  close(silhouette(X, ints([0, 0, 1, 1]), 2), expected, 1e-15, 'silhouette');
  assert.equal(silhouette(X, ints([0, 0, 0, 0]), 1), 0, 'one cluster');
  // Singletons score 0: cluster {0} and {1, 10, 11}.
  const rng = new Rng(1);
  const big: Matrix = { rows: 3000, cols: 2, data: new Float64Array(6000).map(() => rng.normal()) };
  const assignments = new Int32Array(3000).map((_, i) => (big.data[2 * i] > 0 ? 1 : 0));
  const a = silhouette(big, assignments, 2, { sample: 500, seed: 7 });
  const b = silhouette(big, assignments, 2, { sample: 500, seed: 7 });
  const full = silhouette(big, assignments, 2, { sample: 3000 });
  assert.equal(a, b);
  close(a, full, 0.05, 'sample close to full');
});

test('qualityMetrics includes label metrics only with labels', () => {
  const X: Matrix = { rows: 4, cols: 1, data: new Float64Array([0, 1, 10, 11]) };
  const q = qualityMetrics(X, ints([0, 0, 1, 1]), 2);
  assert.deepEqual(Object.keys(q), ['silhouette']);
  const ql = qualityMetrics(X, ints([0, 0, 1, 1]), 2, ['x', 'x', 'y', 'y']);
  assert.deepEqual({ purity: ql.purity, nmi: ql.nmi, ari: ql.ari, accuracy: ql.accuracy }, { purity: 1, nmi: 1, ari: 1, accuracy: 1 });
  assert.throws(() => purity(['a'], ints([0, 1])), /1 labels but 2 assignments/);
});
