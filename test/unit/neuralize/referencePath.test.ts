/**
 * The reference rule pooled along the root segment (neuralize/referencePath.ts; issue 13):
 * hand values of the envelope walk, conservation in every model and path, the hard pool equal
 * to integrated gradients from the network's root (a fine Riemann sum), and the fallbacks to
 * min-takes-most when the line through the reference has no usable root.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neuralizeDeepKMeans } from '../../../src/engine/neuralize/deepKMeans';
import { kernelOutlierScores, neuralizeKernelKMeans } from '../../../src/engine/neuralize/kernelKMeans';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { explainKMeansRows } from '../../../src/engine/neuralize/kmeansBatch';
import { createPathScratch, pathPoolWeights } from '../../../src/engine/neuralize/referencePath';
import { Rng } from '../../../src/engine/rng';
import type { DeepKMeansModel, DenseLayer, EvidenceForm, KMeansModel, KernelKMeansModel, Matrix, NeonOptions, NeuralizedModel } from '../../../src/engine/types';

const sum = (v: ArrayLike<number>): number => Array.from(v).reduce((a, b) => a + b, 0);
const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

/** 2-D, 3 clusters: μ_0 = (0, 0), μ_1 = (2, 0), μ_2 = (0, 2); h_1 = 4 − 4x₁, h_2 = 4 − 4x₂ for c = 0. */
const HAND: KMeansModel = { kind: 'kmeans', k: 3, dim: 2, centroids: Float64Array.from([0, 0, 2, 0, 0, 2]) };

function hardOptions(reference: Float64Array, pooling?: 'path' | 'min-takes-most'): NeonOptions {
  return { beta: 3, evidence: 'hard', rule: 'reference', reference, ...(pooling ? { pooling } : {}) };
}

function batch(model: KMeansModel, options: NeonOptions, rows: readonly Float64Array[]): { relevance: Float64Array; evidence: Float64Array } {
  const d = model.dim;
  const data = new Float64Array(rows.length * d);
  rows.forEach((x, i) => data.set(x, i * d));
  const X: Matrix = { rows: rows.length, cols: d, data };
  const out = { cluster: new Int32Array(rows.length), evidence: new Float64Array(rows.length), probability: new Float64Array(rows.length), relevance: new Float64Array(rows.length * d) };
  explainKMeansRows(model, options, X, out);
  return out;
}

describe('envelope walk, hand values (2-D, 3 clusters)', () => {
  // x = (0.5, −0.5), r = (0.75, 1.5): h_1(α) = 2 − α, h_2(α) = 6 − 8α (Δ = 1, 8). Line 1 holds
  // the minimum until the lines cross at α = 4/7 (value 10/7), line 2 until its root α* = 3/4:
  // a_1 = 4/7, a_2 = 3/4 − 4/7 = 5/28; R = (x − r) ⊙ Σ a_k w_k, w_1 = (−4, 0), w_2 = (0, −4):
  // R = (−0.25 · −16/7, −2 · −20/28) = (4/7, 10/7), Σ R = f = 2.
  const x = Float64Array.from([0.5, -0.5]);
  const r = Float64Array.from([0.75, 1.5]);

  it('pathPoolWeights: a_k are the α-lengths on which each competitor holds the minimum', () => {
    const h = Float64Array.from([Infinity, 2, 6]);
    const delta = Float64Array.from([0, 1, 8]);
    const weights = new Float64Array(3);
    const root = pathPoolWeights(h, delta, 0, 2, false, Infinity, weights, createPathScratch(3), Float64Array.from([0, 4, 4]), 0, Math.hypot(0.25, 2));
    close(root, 0.75, 1e-15, 'α*');
    close(weights[1], 4 / 7, 1e-15, 'a_1');
    close(weights[2], 5 / 28, 1e-15, 'a_2');
    assert.equal(weights[0], 0);
  });

  it('the network and the batch path give R = (4/7, 10/7), competitor shares a_k Δ_k', () => {
    const e = neuralizeKMeans(HAND, hardOptions(r)).explain(x, undefined, { perCompetitor: true });
    assert.equal(e.cluster, 0);
    close(e.evidence, 2, 1e-15, 'f');
    close(e.relevance[0], 4 / 7, 1e-14, 'R_1');
    close(e.relevance[1], 10 / 7, 1e-14, 'R_2');
    close(e.competitorShares[1], 4 / 7, 1e-14, 'R_k=1');
    close(e.competitorShares[2], 10 / 7, 1e-14, 'R_k=2');
    // Competitor 1 acts on feature 1 only, competitor 2 on feature 2.
    const per = e.perCompetitor as Float64Array;
    close(per[2], 4 / 7, 1e-14, 'per k=1, i=1');
    close(per[3], 0, 1e-14, 'per k=1, i=2');
    close(per[5], 10 / 7, 1e-14, 'per k=2, i=2');
    const b = batch(HAND, hardOptions(r), [x]);
    close(b.relevance[0], 4 / 7, 1e-14, 'batch R_1');
    close(b.relevance[1], 10 / 7, 1e-14, 'batch R_2');
  });

  it("min-takes-most (pooling 'min-takes-most') gives the earlier rule: all of f to the nearest competitor at this β", () => {
    // Shares ∝ exp(−3 h): competitor 1 takes 1/(1 + e^−12) of f; its root on the line is α = 2.
    const e = neuralizeKMeans(HAND, hardOptions(r, 'min-takes-most')).explain(x);
    const s1 = 1 / (1 + Math.exp(-12));
    // R = Σ_k f s_k w_k (x − r) / Δ_k: competitor 1 → (2 s1, 0), competitor 2 → (0, 2 (1 − s1)).
    close(e.relevance[0], 2 * s1, 1e-12, 'R_1');
    close(e.relevance[1], 2 * (1 - s1), 1e-12, 'R_2');
  });
});

describe('fallbacks to min-takes-most (same bits as pooling min-takes-most)', () => {
  const cases: [string, Float64Array, Float64Array][] = [
    // Δ_1 = Δ_2 = −2: r = μ_0 is deeper in cluster 0 than x for both competitors, no root.
    ['no root on the line (the reference is deeper in the cluster than the row)', Float64Array.from([0.5, 0.5]), Float64Array.from([0, 0])],
    // Root at α* = 5, far beyond r: ε a_1 ‖w_1‖ ‖x − r‖ = 0.05 · 5 · 4 · 10.5 = 10.5 > f = 2.
    ['a root so far beyond r that the bound refuses it', Float64Array.from([0.5, 0.5]), Float64Array.from([0.6, -10])],
  ];
  for (const [what, x, r] of cases) {
    it(what, () => {
      const h = Float64Array.from([Infinity, 4 - 4 * x[0], 4 - 4 * x[1]]);
      const delta = Float64Array.from([0, 4 * (r[0] - x[0]), 4 * (r[1] - x[1])]);
      assert.equal(pathPoolWeights(h, delta, 0, 2, false, Infinity, new Float64Array(3), createPathScratch(3), Float64Array.from([0, 4, 4]), 0, Math.hypot(x[0] - r[0], x[1] - r[1])), -1);
      const path = neuralizeKMeans(HAND, hardOptions(r)).explain(x);
      const shares = neuralizeKMeans(HAND, hardOptions(r, 'min-takes-most')).explain(x);
      assert.deepEqual(Array.from(path.relevance), Array.from(shares.relevance));
      assert.deepEqual(Array.from(batch(HAND, hardOptions(r), [x]).relevance), Array.from(batch(HAND, hardOptions(r, 'min-takes-most'), [x]).relevance));
      close(sum(path.relevance), 2, 1e-12, 'Σ R');
    });
  }
});

/** First α > 0 with evidence(x + α(r − x), c) = 0 (evidence concave along the line), by bisection; −1 if none up to 2^20. */
function rootAlong(net: NeuralizedModel, x: Float64Array, r: Float64Array, c: number): number {
  const at = (a: number): number => net.evidence(x.map((v, i) => v + a * (r[i] - v)), c);
  const sign = Math.sign(at(0));
  let lo = 0;
  let hi = 1;
  while (Math.sign(at(hi)) === sign) {
    lo = hi;
    hi *= 2;
    if (hi > 2 ** 20) return -1;
  }
  for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
    const m = 0.5 * (lo + hi);
    if (Math.sign(at(m)) === sign) lo = m;
    else hi = m;
  }
  return 0.5 * (lo + hi);
}

/** Integrated gradients from x̃ = x + α*(r − x) to x: (x − r) ⊙ ∫_0^α* ∇f(x(α)) dα, midpoint sum. */
function igFromRoot(net: NeuralizedModel, x: Float64Array, r: Float64Array, c: number, root: number, steps: number): Float64Array {
  const d = x.length;
  const g = new Float64Array(d);
  const acc = new Float64Array(d);
  const p = new Float64Array(d);
  for (let s = 0; s < steps; s++) {
    const a = ((s + 0.5) / steps) * root;
    for (let i = 0; i < d; i++) p[i] = x[i] + a * (r[i] - x[i]);
    net.gradient(p, c, g);
    for (let i = 0; i < d; i++) acc[i] += g[i];
  }
  return acc.map((v, i) => (v * root * (x[i] - r[i])) / steps);
}

describe('standard k-means: the hard pool is integrated gradients from the root', () => {
  const rng = new Rng(31);
  const k = 6;
  const d = 5;
  const model: KMeansModel = { kind: 'kmeans', k, dim: d, centroids: new Float64Array(k * d).map(() => rng.normal() * 2) };
  const rows = Array.from({ length: 60 }, () => new Float64Array(d).map(() => rng.normal() * 2));
  const mean = new Float64Array(d);
  for (const x of rows) for (let i = 0; i < d; i++) mean[i] += x[i] / rows.length;

  it('rows whose root lies on the segment: R equals a 20000-step Riemann sum of ∇f from the root (1e-3 of f)', () => {
    const net = neuralizeKMeans(model, hardOptions(mean));
    let compared = 0;
    for (const x of rows) {
      const c = net.assign(x);
      const root = rootAlong(net, x, mean, c);
      if (!(root > 0 && root <= 1)) continue;
      const e = net.explain(x, c);
      const ig = igFromRoot(net, x, mean, c, root, 20000);
      close(sum(ig), e.evidence, 1e-3, 'Riemann sum conserves f');
      for (let i = 0; i < d; i++) assert.ok(Math.abs(e.relevance[i] - ig[i]) <= 1e-3 * Math.abs(e.evidence), `feature ${i}: ${e.relevance[i]} vs IG ${ig[i]}`);
      compared++;
    }
    assert.ok(compared >= 20, `only ${compared} rows with a root on the segment`);
  });

  for (const evidence of ['hard', 'soft'] as EvidenceForm[]) {
    it(`${evidence} evidence: Σ R = f to 1e-9 in the network, the batch path equal to it (1e-9), for the mean and for a data row as reference`, () => {
      for (const reference of [mean, rows[0]]) {
        const options: NeonOptions = { beta: 0.9, evidence, rule: 'reference', reference };
        const net = neuralizeKMeans(model, options);
        const b = batch(model, options, rows);
        for (const [n, x] of rows.entries()) {
          const e = net.explain(x);
          close(sum(e.relevance), e.evidence, 1e-9, `row ${n} Σ R`);
          const scale = Math.max(1, Math.abs(e.evidence));
          for (let i = 0; i < d; i++) assert.ok(Math.abs(b.relevance[n * d + i] - e.relevance[i]) <= 1e-9 * scale, `row ${n} feature ${i}`);
        }
      }
    });
  }

  it('soft evidence: close to integrated gradients from the soft root (Gauss–Legendre, rescaled)', () => {
    const net = neuralizeKMeans(model, { beta: 0.9, evidence: 'soft', rule: 'reference', reference: mean });
    let compared = 0;
    for (const x of rows) {
      const c = net.assign(x);
      const root = rootAlong(net, x, mean, c);
      if (!(root > 0 && root <= 1)) continue;
      const e = net.explain(x, c);
      const ig = igFromRoot(net, x, mean, c, root, 4000);
      for (let i = 0; i < d; i++) assert.ok(Math.abs(e.relevance[i] - ig[i]) <= 1e-3 * Math.abs(e.evidence), `feature ${i}: ${e.relevance[i]} vs IG ${ig[i]}`);
      compared++;
    }
    assert.ok(compared >= 20, `only ${compared} rows compared`);
  });
});

describe('kernel and deep k-means', () => {
  const rng = new Rng(41);
  const d = 4;
  const k = 3;
  const perCluster = 4;
  const m = k * perCluster;
  const centres = Array.from({ length: k }, () => new Float64Array(d).map(() => rng.normal() * 3));
  const supportVectors = new Float64Array(m * d);
  const svCluster = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    svCluster[j] = Math.floor(j / perCluster);
    for (let t = 0; t < d; t++) supportVectors[j * d + t] = centres[svCluster[j]][t] + rng.normal();
  }
  const kernel: KernelKMeansModel = { kind: 'kernel-kmeans', k, dim: d, gamma: 0.3, supportVectors, supportCluster: svCluster, bias: new Float64Array(k) };
  const rows = Array.from({ length: 40 }, (_, i) => centres[i % k].map((v) => v + 1.5 * rng.normal()));
  const mean = new Float64Array(d);
  for (const x of rows) for (let i = 0; i < d; i++) mean[i] += x[i] / rows.length;

  /** How often the hard top pool changes holder on x → x(root), seen at 400 points of the segment. */
  const holderChanges = (x: Float64Array, c: number, root: number): number => {
    let changes = 0;
    let previous = -1;
    for (let s = 0; s <= 400; s++) {
      const a = (s / 400) * root;
      const o = kernelOutlierScores(kernel, { rows: 1, cols: d, data: x.map((v, i) => v + a * (mean[i] - v)) });
      let holder = -1;
      for (let q = 0; q < k; q++) if (q !== c && (holder < 0 || o[q] < o[holder])) holder = q;
      if (previous >= 0 && holder !== previous) changes++;
      previous = holder;
    }
    return changes;
  };

  it('kernel k-means, hard top pool: Σ R = f to 1e-9, integrated gradients from the root to 1e-3 of f, also where the pool changes holder', () => {
    const net = neuralizeKernelKMeans(kernel, hardOptions(mean));
    // Rows whose path is refused get the per-neuron roots, i.e. the min-takes-most network's numbers: not compared.
    const perNeuron = neuralizeKernelKMeans(kernel, hardOptions(mean, 'min-takes-most'));
    let compared = 0;
    let switching = 0;
    for (const x of rows) {
      const e = net.explain(x, undefined, { perCompetitor: true });
      close(sum(e.relevance), e.evidence, 1e-9, 'Σ R');
      const per = e.perCompetitor as Float64Array;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += per[q * d + i];
        close(s, e.relevance[i], 1e-9, `per-competitor ${i}`);
      }
      const root = rootAlong(net, x, mean, e.cluster);
      if (!(root > 0)) continue;
      const fallback = perNeuron.explain(x, e.cluster).relevance;
      if (fallback.every((v, i) => v === e.relevance[i])) continue;
      // Measured: ≤ 1.8e-4 of f against a 40000-step sum, ≤ 5.6e-4 against this 10000-step one (its
      // own error where ∇f jumps, at the holder switches). Gauss–Legendre panels across a switch
      // (before the pieces) were 8e-2 of f off on one of these rows, and 0.7 of f on a row whose
      // pool went 1 → 2 → 1 before the nodes' holders were checked.
      const ig = igFromRoot(net, x, mean, e.cluster, root, 10000);
      for (let i = 0; i < d; i++) assert.ok(Math.abs(e.relevance[i] - ig[i]) <= 1e-3 * Math.abs(e.evidence), `feature ${i}: ${e.relevance[i]} vs IG ${ig[i]} (root ${root})`);
      compared++;
      if (holderChanges(x, e.cluster, root) > 0) switching++;
    }
    assert.ok(compared >= 30, `only ${compared} rows compared`);
    assert.ok(switching >= 8, `only ${switching} compared rows where the pool changes holder`);
  });

  it('kernel k-means, stiff γ on long segments: the factored exponentials fall back where they would leave their range, equal to the direct evaluation', () => {
    // γ = 20 with support vectors 2 apart along segments ~12 long: within a cluster the exponents
    // change by γ |u_j − u_i| / 2 ≫ 700 per quarter of the segment (u_j = (x − x_j)ᵀ(r − x)), so
    // the bracket's Y factors would overflow and the quadrature's would leave [−700, 700]. Before
    // the bracket's check for an overflowing Y, 0 · ∞ = NaN in c's sum took the bracket to a
    // wrong root and the relevance up to 43 % off on these rows.
    const stiff = new Rng(7);
    const dim = 3;
    const sep = 12;
    const per = 6;
    const sv = new Float64Array(k * per * dim);
    const svc = new Int32Array(k * per);
    for (let j = 0; j < k * per; j++) {
      svc[j] = Math.floor(j / per);
      for (let t = 0; t < dim; t++) sv[j * dim + t] = (t === svc[j] ? sep : 0) + 2 * stiff.normal();
    }
    const model: KernelKMeansModel = { kind: 'kernel-kmeans', k, dim, gamma: 20, supportVectors: sv, supportCluster: svc, bias: new Float64Array(k) };
    const points = Array.from({ length: 30 }, (_, i) => Float64Array.from({ length: dim }, (_, t) => (t === i % k ? sep : 0) + 2 * stiff.normal()));
    const centre = new Float64Array(dim);
    for (const x of points) for (let t = 0; t < dim; t++) centre[t] += x[t] / points.length;
    const factored = neuralizeKernelKMeans(model, hardOptions(centre));
    const direct = neuralizeKernelKMeans(model, hardOptions(centre), { directExponentials: true });
    const perNeuron = neuralizeKernelKMeans(model, hardOptions(centre, 'min-takes-most'));
    let steepest = 0;
    let pathed = 0;
    for (const x of points) {
      const e = factored.explain(x);
      const ref = direct.explain(x);
      close(sum(e.relevance), e.evidence, 1e-9, 'Σ R');
      const top = Math.max(...Array.from(ref.relevance, Math.abs));
      for (let t = 0; t < dim; t++) assert.ok(Math.abs(e.relevance[t] - ref.relevance[t]) <= 1e-12 * top, `feature ${t}: ${e.relevance[t]} vs direct ${ref.relevance[t]}`);
      if (perNeuron.explain(x, e.cluster).relevance.every((v, t) => v === ref.relevance[t])) continue;
      pathed++;
      const u = Array.from({ length: k * per }, (_, j) => {
        let s = 0;
        for (let t = 0; t < dim; t++) s += (x[t] - sv[j * dim + t]) * (centre[t] - x[t]);
        return s;
      });
      for (let j = 0; j < k * per; j++) for (let i = 0; i < k * per; i++) if (svc[i] === svc[j]) steepest = Math.max(steepest, (model.gamma * Math.abs(u[j] - u[i])) / 2);
    }
    assert.ok(pathed >= 20, `only ${pathed} rows explained by the path`);
    assert.ok(steepest > 700, `the exponents change by at most ${steepest} per quarter: the fallbacks are not exercised`);
  });

  it('deep k-means: the top layer pooled along φ(x) → φ(r), carried through φ, Σ R = f to 1e-9', () => {
    const layer = (inputs: number, outputs: number, activation: 'relu' | 'linear'): DenseLayer => ({
      inputs,
      outputs,
      activation,
      weights: new Float64Array(inputs * outputs).map(() => rng.normal() / Math.sqrt(inputs)),
      bias: new Float64Array(outputs).map(() => 0.1 * rng.normal()),
    });
    const layers = [layer(d, 6, 'relu'), layer(6, 3, 'linear')];
    const deep: DeepKMeansModel = { kind: 'deep-kmeans', k, dim: d, layers, centroids: new Float64Array(k * 3).map(() => rng.normal()), inputLow: new Float64Array(d).fill(-10), inputHigh: new Float64Array(d).fill(10) };
    for (const evidence of ['hard', 'soft'] as EvidenceForm[]) {
      // 'root': the carried roots (the hard pool's default is the exact path, deepPath.test.ts).
      const pathNet = neuralizeDeepKMeans(deep, { beta: 2, evidence, rule: 'reference', reference: mean }, { propagation: 'root' });
      const sharesNet = neuralizeDeepKMeans(deep, { beta: 2, evidence, rule: 'reference', reference: mean, pooling: 'min-takes-most' }, { propagation: 'root' });
      let differ = 0;
      for (const x of rows) {
        const e = pathNet.explain(x);
        close(sum(e.relevance) + (e.biasRelevance ?? 0), e.evidence, 1e-9, `${evidence} Σ R`);
        const s = sharesNet.explain(x);
        if (e.relevance.some((v, i) => Math.abs(v - s.relevance[i]) > 1e-9 * (1 + Math.abs(e.evidence)))) differ++;
      }
      // The option reaches the top layer: some rows with several competitors on their path differ.
      assert.ok(differ > 0, `${evidence}: path and min-takes-most pooling agree on every row`);
    }
  });
});
