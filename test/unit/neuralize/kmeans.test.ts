import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionError } from '../../../src/engine/errors';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { Rng } from '../../../src/engine/rng';
import type { EvidenceForm, FirstLayerRule, KMeansModel } from '../../../src/engine/types';

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};
const relClose = (a: number, b: number, tol: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1e-300, Math.abs(b)), `${what}: ${a} vs ${b} (rel tol ${tol})`);
const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

/** Random model and points (centroids ~ N(0, 3²), points ~ N(0, 3²)). */
function randomCase(seed: number, k: number, d: number, n: number): { model: KMeansModel; points: Float64Array[] } {
  const rng = new Rng(seed);
  const centroids = new Float64Array(k * d).map(() => 3 * rng.normal());
  const points = Array.from({ length: n }, () => new Float64Array(d).map(() => 3 * rng.normal()));
  return { model: { kind: 'kmeans', k, dim: d, centroids }, points };
}

/** The evidence computed directly from squared distances (neon-method.md, "Evidence"). */
function directEvidence(model: KMeansModel, x: Float64Array, c: number, form: EvidenceForm, beta: number): number {
  const { k, dim, centroids } = model;
  const o = Array.from({ length: k }, (_, q) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (x[j] - centroids[q * dim + j]) ** 2;
    return s;
  });
  const diffs = o.map((v) => v - o[c]).filter((_, q) => q !== c);
  if (form === 'hard') return Math.min(...diffs);
  // (1/β) logit p(c|x) with p = softmax(−β o); stable via the min.
  const m = Math.min(...diffs);
  return m - Math.log(diffs.reduce((s, v) => s + Math.exp(-beta * (v - m)), 0)) / beta;
}

const forms: EvidenceForm[] = ['hard', 'soft'];
const rules: FirstLayerRule[] = ['midpoint', 'z'];

test('network output equals the evidence computed from distances (hard and soft, 1e-9 relative)', () => {
  const { model, points } = randomCase(1, 6, 5, 40);
  for (const evidence of forms) {
    const net = neuralizeKMeans(model, { beta: 0.3, evidence, rule: 'midpoint' });
    for (const x of points) {
      for (let c = 0; c < model.k; c++) {
        relClose(net.evidence(x, c), directEvidence(model, x, c, evidence, 0.3), 1e-9, `${evidence} c=${c}`);
      }
      const e = net.explain(x);
      assert.equal(e.cluster, net.assign(x));
      const dist = Array.from({ length: model.k }, (_, q) => directEvidence(model, x, q, 'hard', 1));
      assert.equal(e.cluster, dist.indexOf(Math.max(...dist)), 'assigned = nearest centroid (largest margin)');
      relClose(e.evidence, directEvidence(model, x, e.cluster, evidence, 0.3), 1e-9, `${evidence} explain`);
      if (evidence === 'hard') assert.ok(e.evidence >= 0, 'assigned cluster has a non-negative hard margin');
    }
  }
});

test('midpoint rule conserves: sum of relevance = evidence (1e-9 relative), also for non-assigned clusters', () => {
  const { model, points } = randomCase(2, 8, 12, 50);
  for (const evidence of forms) {
    for (const beta of [0.05, 1, 20]) {
      const net = neuralizeKMeans(model, { beta, evidence, rule: 'midpoint' });
      for (const x of points) {
        const e = net.explain(x);
        relClose(sum(e.relevance), e.evidence, 1e-9, `${evidence} beta=${beta}`);
        relClose(sum(e.competitorShares), e.evidence, 1e-12, 'competitor shares sum to f_c');
        const other = (e.cluster + 1) % model.k;
        const o = net.explain(x, other);
        relClose(sum(o.relevance), o.evidence, 1e-9, 'other cluster');
      }
    }
  }
});

test('hand-checked 2-D case with two clusters (midpoint and z-rule)', () => {
  // μ0 = (0,0), μ1 = (2,0): w = 2(μ0 − μ1) = (−4, 0), b = ||μ1||² − ||μ0||² = 4, m = (1, 0).
  const model: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: new Float64Array([0, 0, 2, 0]) };
  const x = new Float64Array([0.5, 3]); // h = −4·0.5 + 4 = 2
  const mid = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' }).explain(x);
  assert.equal(mid.cluster, 0);
  assert.equal(mid.evidence, 2);
  assert.deepEqual(Array.from(mid.competitorShares), [0, 2]);
  // R_1 = w_1 (x_1 − m_1) / h · R = (−4)(−0.5)/2 · 2 = 2; R_2 = 0 (w_2 = 0).
  near(mid.relevance, [2, 0], 1e-15, 'midpoint');
  assert.equal(mid.probability, 1 / (1 + Math.exp(-2)));
  // z-rule: R_1 = w_1 x_1 / h · R = (−4)(0.5)/2 · 2 = −2: it leaks R·b/h = 2·4/2 = 4.
  const z = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'z' }).explain(x);
  near(z.relevance, [-2, 0], 1e-15, 'z-rule');
  near(z.attribution.offset, [0, 0], 0, 'z-rule has no offset');
});

test('hand-checked 2-D case with three clusters and a tie (hard / soft, per competitor, gradient)', () => {
  // μ0 = (0,0), μ1 = (2,0), μ2 = (0,2); x = (0.5, 0.5): o = (0.5, 2.5, 2.5), h1 = h2 = 2.
  const model: KMeansModel = { kind: 'kmeans', k: 3, dim: 2, centroids: new Float64Array([0, 0, 2, 0, 0, 2]) };
  const x = new Float64Array([0.5, 0.5]);
  const hard = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
  const e = hard.explain(x, undefined, { perCompetitor: true });
  assert.equal(e.cluster, 0);
  assert.equal(e.evidence, 2);
  near(e.competitorShares, [0, 1, 1], 1e-15, 'shares split the tie');
  // Competitor 1: w = (−4, 0), m = (1, 0): (−4)(−0.5)/2 · 1 = 1 on feature 1. Competitor 2 likewise on feature 2.
  near(e.relevance, [1, 1], 1e-15, 'relevance');
  assert.ok(e.perCompetitor);
  near(e.perCompetitor, [0, 0, 1, 0, 0, 1], 1e-15, 'per competitor');
  relClose(e.probability, 1 / (1 + 2 * Math.exp(-2)), 1e-15, 'p(c|x)');
  const g = new Float64Array(2);
  hard.gradient(x, 0, g);
  near(g, [-4, 0], 0, 'hard gradient takes the first active competitor on a tie');

  const soft = neuralizeKMeans(model, { beta: 1, evidence: 'soft', rule: 'midpoint' });
  const s = soft.explain(x);
  relClose(s.evidence, 2 - Math.log(2), 1e-15, 'soft evidence = 2 − ln 2');
  near(s.relevance, [(2 - Math.log(2)) / 2, (2 - Math.log(2)) / 2], 1e-15, 'soft relevance');
  soft.gradient(x, 0, g);
  near(g, [-2, -2], 1e-15, 'soft gradient = mean of w1, w2');
});

test('z-rule leaks exactly the bias share: Σ R = f_c − Σ_k R_k b_k / h_k', () => {
  const { model, points } = randomCase(3, 5, 7, 30);
  const { k, dim, centroids } = model;
  const norm = (q: number): number => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += centroids[q * dim + j] ** 2;
    return s;
  };
  for (const evidence of forms) {
    const net = neuralizeKMeans(model, { beta: 0.5, evidence, rule: 'z' });
    for (const x of points) {
      const e = net.explain(x);
      const c = e.cluster;
      let leak = 0;
      for (let q = 0; q < k; q++) {
        if (q === c) continue;
        const b = norm(q) - norm(c);
        let h = b;
        for (let j = 0; j < dim; j++) h += 2 * (centroids[c * dim + j] - centroids[q * dim + j]) * x[j];
        leak += (e.competitorShares[q] * b) / h;
      }
      relClose(sum(e.relevance), e.evidence - leak, 1e-9, `${evidence} z-rule leak`);
    }
  }
});

test('per-competitor terms sum to the total, each row to its competitor share (midpoint)', () => {
  const { model, points } = randomCase(4, 6, 9, 20);
  for (const rule of rules) {
    const net = neuralizeKMeans(model, { beta: 0.4, evidence: 'soft', rule });
    for (const x of points) {
      const e = net.explain(x, undefined, { perCompetitor: true });
      const per = e.perCompetitor;
      assert.ok(per, 'perCompetitor requested');
      for (let j = 0; j < model.dim; j++) {
        let s = 0;
        for (let q = 0; q < model.k; q++) s += per[q * model.dim + j];
        assert.ok(Math.abs(s - e.relevance[j]) <= 1e-9 * (1 + Math.abs(e.relevance[j])), `${rule}: column ${j}`);
      }
      for (let q = 0; q < model.k; q++) {
        const row = per.subarray(q * model.dim, (q + 1) * model.dim);
        if (q === e.cluster) assert.ok(row.every((v) => v === 0), 'own row is 0');
        else if (rule === 'midpoint') relClose(sum(row), e.competitorShares[q], 1e-9, `row ${q}`);
      }
      assert.equal(net.explain(x).perCompetitor, undefined, 'not computed unless asked');
    }
  }
});

test('attribution is linear: relevance = coef ⊙ x − offset', () => {
  const { model, points } = randomCase(5, 4, 6, 10);
  for (const rule of rules) {
    const net = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule });
    for (const x of points) {
      const e = net.explain(x);
      const direct = e.relevance.map((_, i) => e.attribution.coef[i] * x[i] - e.attribution.offset[i]);
      near(e.relevance, direct, 0, rule);
    }
  }
});

test('gradients match central finite differences (hard away from kinks, soft everywhere; 1e-6)', () => {
  const { model, points } = randomCase(6, 5, 4, 30);
  const h = 1e-5;
  for (const evidence of forms) {
    const net = neuralizeKMeans(model, { beta: 0.7, evidence, rule: 'midpoint' });
    const g = new Float64Array(model.dim);
    for (const x of points) {
      for (let c = 0; c < model.k; c++) {
        net.gradient(x, c, g);
        for (let j = 0; j < model.dim; j++) {
          const up = x.slice();
          const dn = x.slice();
          up[j] += h;
          dn[j] -= h;
          const fd = (net.evidence(up, c) - net.evidence(dn, c)) / (2 * h);
          // A hard-min kink within h of x makes the difference quotient meaningless: skip those.
          const slopeUp = (net.evidence(up, c) - net.evidence(x, c)) / h;
          const slopeDn = (net.evidence(x, c) - net.evidence(dn, c)) / h;
          if (evidence === 'hard' && Math.abs(slopeUp - slopeDn) > 1e-4) continue;
          assert.ok(Math.abs(fd - g[j]) <= 1e-6 * (1 + Math.abs(g[j])), `${evidence} c=${c} j=${j}: ${fd} vs ${g[j]}`);
        }
      }
    }
  }
});

test('K = 1: evidence 0, probability 1, zero relevance and gradient', () => {
  const model: KMeansModel = { kind: 'kmeans', k: 1, dim: 3, centroids: new Float64Array([1, 2, 3]) };
  const net = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
  const x = new Float64Array([4, 5, 6]);
  const e = net.explain(x, undefined, { perCompetitor: true });
  assert.equal(e.cluster, 0);
  assert.equal(e.evidence, 0);
  assert.equal(e.probability, 1);
  assert.deepEqual(Array.from(e.relevance), [0, 0, 0]);
  assert.equal(net.evidence(x, 0), 0);
  const g = new Float64Array(3).fill(7);
  net.gradient(x, 0, g);
  assert.deepEqual(Array.from(g), [0, 0, 0]);
});

test('points on a decision boundary give bounded relevance (denominator guard)', () => {
  const model: KMeansModel = { kind: 'kmeans', k: 3, dim: 2, centroids: new Float64Array([0, 0, 2, 0, 0, 5]) };
  const net = neuralizeKMeans(model, { beta: 2, evidence: 'soft', rule: 'midpoint' });
  const x = new Float64Array([1, 0.3]); // equidistant from μ0 and μ1: h1 = 0
  const e = net.explain(x, 1);
  assert.ok(e.relevance.every(Number.isFinite));
  assert.ok(Math.max(...e.relevance.map(Math.abs)) <= 10 * Math.max(1, Math.abs(e.evidence)));
});

test('bad options and inputs fail with messages', () => {
  const model: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: new Float64Array([0, 0, 1, 1]) };
  assert.throws(() => neuralizeKMeans(model, { beta: 0, evidence: 'hard', rule: 'midpoint' }), (e: unknown) => e instanceof OptionError && /beta must be a finite number > 0, got 0/.test(e.message));
  assert.throws(() => neuralizeKMeans({ ...model, centroids: new Float64Array(3) }, { beta: 1, evidence: 'hard', rule: 'midpoint' }), /centroids hold 3 values, expected k x dim = 2 x 2/);
  const net = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
  assert.throws(() => net.explain(new Float64Array(3)), /input has 3 features, the model expects 2/);
  assert.throws(() => net.evidence(new Float64Array(2), 2), /cluster 2 is out of range 0..1/);
});
