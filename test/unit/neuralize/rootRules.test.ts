/**
 * The first layer's root points (neuralize/rootPoint.ts; issue 13): the midpoint and reference
 * rules are exactly conservative in standard, kernel and deep k-means, the reference rule
 * measures from its reference (hand values), its guard keeps degenerate references
 * conservative and bounded, and deep k-means carries the root through φ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neuralizeDeepKMeans } from '../../../src/engine/neuralize/deepKMeans';
import { neuralizeKernelKMeans } from '../../../src/engine/neuralize/kernelKMeans';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { ROOT_GUARD } from '../../../src/engine/neuralize/rootPoint';
import { Rng } from '../../../src/engine/rng';
import type { DeepKMeansModel, DenseLayer, EvidenceForm, FirstLayerRule, KMeansModel, KernelKMeansModel, NeonOptions, NeuralizedModel } from '../../../src/engine/types';

const sum = (v: ArrayLike<number>): number => Array.from(v).reduce((a, b) => a + b, 0);
const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

function randomKMeans(rng: Rng, k: number, d: number): KMeansModel {
  return { kind: 'kmeans', k, dim: d, centroids: new Float64Array(k * d).map(() => rng.normal() * 2) };
}

function randomRows(rng: Rng, n: number, d: number, scale = 2): Float64Array[] {
  return Array.from({ length: n }, () => new Float64Array(d).map(() => rng.normal() * scale));
}

/** Σ R = f for every row, |R_i| bounded by |f|·(1 + ε)/ε per competitor, everything finite. */
function assertConservative(net: NeuralizedModel, rows: readonly Float64Array[], what: string, bounded = true): void {
  for (const [r, x] of rows.entries()) {
    const e = net.explain(x, undefined, { perCompetitor: true });
    assert.ok(Number.isFinite(e.evidence), `${what} row ${r}: evidence`);
    for (const v of e.relevance) assert.ok(Number.isFinite(v), `${what} row ${r}: relevance ${v}`);
    close(sum(e.relevance), e.evidence, 1e-9, `${what} row ${r}: Σ R`);
    // Linear form and per-competitor rows agree with the relevance.
    for (let i = 0; i < x.length; i++) close(e.attribution.coef[i] * x[i] - e.attribution.offset[i], e.relevance[i], 1e-9, `${what} row ${r} linear form ${i}`);
    if (e.perCompetitor) {
      for (let i = 0; i < x.length; i++) {
        let s = 0;
        for (let q = 0; q < net.k; q++) s += e.perCompetitor[q * x.length + i];
        close(s, e.relevance[i], 1e-9, `${what} row ${r} per-competitor ${i}`);
      }
    }
    if (bounded) {
      const limit = (sum(Array.from(e.competitorShares).map(Math.abs)) * (2 + ROOT_GUARD)) / ROOT_GUARD + 1e-9;
      for (const v of e.relevance) assert.ok(Math.abs(v) <= limit, `${what} row ${r}: |R| ${v} > ${limit}`);
    }
  }
}

describe('standard k-means', () => {
  const rng = new Rng(11);
  const model = randomKMeans(rng, 5, 6);
  const rows = randomRows(rng, 150, 6);
  const reference = new Float64Array(6).map(() => rng.normal() * 0.3);

  for (const evidence of ['hard', 'soft'] as EvidenceForm[]) {
    for (const rule of ['midpoint', 'reference'] as FirstLayerRule[]) {
      it(`${rule} rule, ${evidence} evidence: relevance sums to the evidence, per competitor too`, () => {
        assertConservative(neuralizeKMeans(model, { beta: 0.8, evidence, rule, reference }), rows, `${rule}/${evidence}`, rule === 'reference');
      });
    }
  }

  it('reference rule, hand values: R_i = f · w_i (x_i − r_i) / wᵀ(x − r) with one competitor', () => {
    // μ0 = (0, 0), μ1 = (4, 2): w = 2(μ0 − μ1) = (−8, −4), h = −8 x0 − 4 x1 + 20.
    const m: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: Float64Array.from([0, 0, 4, 2]) };
    const r = Float64Array.from([2, 1]); // h(r) = 0: the reference sits on the boundary
    const x = Float64Array.from([0.5, 1]); // h(x) = 12
    const e = neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'reference', reference: r }).explain(x);
    assert.equal(e.evidence, 12);
    // wᵀ(x − r) = −8(−1.5) − 4(0) = 12: R = (12, 0).
    close(e.relevance[0], 12, 1e-12, 'R_0');
    close(e.relevance[1], 0, 1e-12, 'R_1');
    // A reference off the boundary: r = (0, 0) (h(r) = 20 > h(x)): the row is on the same side,
    // closer to the boundary, so the guard moves the root along w (still conservative).
    const e2 = neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'reference', reference: new Float64Array(2) }).explain(x);
    close(sum(e2.relevance), 12, 1e-12, 'guarded Σ R');
  });

  it('the reference rule at the midpoint is the midpoint rule (K = 2)', () => {
    const m = randomKMeans(new Rng(5), 2, 5);
    const mid = new Float64Array(5).map((_, j) => (m.centroids[j] + m.centroids[5 + j]) / 2);
    const a = neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'midpoint' });
    const b = neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'reference', reference: mid });
    const w = new Float64Array(5).map((_, j) => 2 * (m.centroids[j] - m.centroids[5 + j]));
    const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, t) => s + t * t, 0));
    let compared = 0;
    for (const x of randomRows(new Rng(6), 60, 5)) {
      // Only where the reference rule's guard does not act (x − m not almost parallel to the boundary).
      const h = w.reduce((s, wj, j) => s + wj * (x[j] - mid[j]), 0);
      const g = Math.max(ROOT_GUARD * norm(w) * norm(x.map((v, j) => v - mid[j])), 0.5 * ROOT_GUARD * norm(w) ** 2);
      if (Math.abs(h) < 2 * g) continue;
      const ea = a.explain(x);
      const eb = b.explain(x);
      for (let i = 0; i < 5; i++) close(eb.relevance[i], ea.relevance[i], 1e-9, `feature ${i}`);
      compared++;
    }
    assert.ok(compared > 40, `${compared} rows compared`);
  });

  it('degenerate references keep conservation: the row itself (w² rule) and a far reference on the same side', () => {
    const m: KMeansModel = { kind: 'kmeans', k: 2, dim: 3, centroids: Float64Array.from([0, 0, 0, 2, 1, -2]) };
    const x = Float64Array.from([0.3, -0.2, 0.1]);
    const self = neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'reference', reference: x.slice() }).explain(x);
    // w = 2(μ0 − μ1) = (−4, −2, 4): R_i = f w_i² / ‖w‖² = f (16, 4, 16) / 36.
    const f = self.evidence;
    close(self.relevance[0], (f * 16) / 36, 1e-9, 'w² rule 0');
    close(self.relevance[1], (f * 4) / 36, 1e-9, 'w² rule 1');
    close(self.relevance[2], (f * 16) / 36, 1e-9, 'w² rule 2');
    // Reference deep inside the row's own cluster: Δ has the wrong sign, the guard acts.
    const far = Float64Array.from([-3, -1.5, 3]);
    const g = neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'reference', reference: far }).explain(x);
    close(sum(g.relevance), g.evidence, 1e-12, 'guarded Σ R');
    for (const v of g.relevance) assert.ok(Math.abs(v) <= (Math.abs(g.evidence) * (2 + ROOT_GUARD)) / ROOT_GUARD);
  });

  it('the reference rule needs a finite reference of the model width', () => {
    const m = randomKMeans(new Rng(1), 3, 4);
    assert.throws(() => neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'reference' }), /needs a reference point/);
    assert.throws(() => neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'reference', reference: new Float64Array(3) }), /has 3 values, the model expects 4/);
    assert.throws(() => neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'reference', reference: Float64Array.from([0, NaN, 0, 0]) }), /not a finite number/);
  });
});

describe('kernel k-means', () => {
  const rng = new Rng(21);
  const d = 4;
  const supportCluster = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2]);
  const supportVectors = new Float64Array(supportCluster.length * d).map(() => rng.normal());
  for (let j = 0; j < supportCluster.length; j++) supportVectors[j * d] += 2.5 * supportCluster[j];
  const model: KernelKMeansModel = { kind: 'kernel-kmeans', k: 3, dim: d, gamma: 0.7, supportVectors, supportCluster, bias: Float64Array.from([0.1, -0.2, 0.05]) };
  const rows = randomRows(rng, 80, d, 1.5).map((x) => {
    x[0] += 2.5 * rng.int(3);
    return x;
  });
  const reference = new Float64Array(d).map(() => rng.normal() * 0.2);
  for (const evidence of ['hard', 'soft'] as EvidenceForm[]) {
    for (const rule of ['midpoint', 'reference'] as FirstLayerRule[]) {
      it(`${rule} rule, ${evidence} evidence: exactly conservative through the four layers`, () => {
        assertConservative(neuralizeKernelKMeans(model, { beta: 1.2, evidence, rule, reference }), rows, `kernel ${rule}/${evidence}`, false);
      });
    }
  }
  it('reference rule with the reference equal to a row: still conservative (w² rule per neuron)', () => {
    const net = neuralizeKernelKMeans(model, { beta: 1, evidence: 'hard', rule: 'reference', reference: rows[3].slice() });
    const e = net.explain(rows[3]);
    close(sum(e.relevance), e.evidence, 1e-9, 'Σ R');
  });
});

/** A small random relu MLP φ: D → 6 → 3 and k-means on φ(x). */
function randomDeep(rng: Rng, d: number, k: number): DeepKMeansModel {
  const layer = (inputs: number, outputs: number, activation: DenseLayer['activation']): DenseLayer => ({
    inputs,
    outputs,
    weights: new Float64Array(inputs * outputs).map(() => rng.normal() / Math.sqrt(inputs)),
    bias: new Float64Array(outputs).map(() => rng.normal() * 0.3),
    activation,
  });
  const layers = [layer(d, 6, 'relu'), layer(6, 3, 'linear')];
  return { kind: 'deep-kmeans', k, dim: d, layers, centroids: new Float64Array(k * 3).map(() => rng.normal()), inputLow: new Float64Array(d).fill(-3), inputHigh: new Float64Array(d).fill(3) };
}

describe('deep k-means: the root carried through φ', () => {
  const rng = new Rng(31);
  const d = 5;
  const model = randomDeep(rng, d, 4);
  const rows = randomRows(rng, 120, d, 1);
  const reference = new Float64Array(d).map(() => rng.normal() * 0.2);
  const clusterCentroids = new Float64Array(4 * d).map(() => rng.normal());
  for (const evidence of ['hard', 'soft'] as EvidenceForm[]) {
    for (const rule of ['midpoint', 'reference'] as FirstLayerRule[]) {
      it(`${rule} rule, ${evidence} evidence: Σ R = f exactly, no share kept by biases`, () => {
        const options: NeonOptions = { beta: 0.9, evidence, rule, reference };
        // 'root': the carried roots (under the hard reference rule the default is the exact path, deepPath.test.ts).
        const net = neuralizeDeepKMeans(model, options, { clusterCentroids, propagation: 'root' });
        assertConservative(net, rows, `deep ${rule}/${evidence}`, false);
        for (const x of rows.slice(0, 20)) {
          const e = net.explain(x);
          assert.equal(e.biasRelevance, 0);
          close(sum(e.representationRelevance), e.evidence, 1e-9, 'representation Σ R');
        }
      });
    }
  }

  it('with a linear φ the carried reference rule is the k-means reference rule on the composed map', () => {
    // φ(x) = W x + b; k-means on φ equals k-means in x with w'_k = Wᵀ w_k: same relevance.
    const r2 = new Rng(41);
    const W = new Float64Array(3 * d).map(() => r2.normal());
    const b = new Float64Array(3).map(() => r2.normal());
    const linear: DeepKMeansModel = { ...model, layers: [{ inputs: d, outputs: 3, weights: W, bias: b, activation: 'linear' }] };
    const options: NeonOptions = { beta: 0.9, evidence: 'soft', rule: 'reference', reference };
    const deep = neuralizeDeepKMeans(linear, options);
    const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, t) => s + t * t, 0));
    let compared = 0;
    for (const x of rows) {
      // Skip rows where a guard acts (some Δz_j nearly 0 for its weights): the rules then differ by design.
      const dx = x.map((v, i) => v - reference[i]);
      const guarded = [0, 1, 2].some((j) => {
        const wj = W.subarray(j * d, (j + 1) * d);
        return Math.abs(wj.reduce((s, v, i) => s + v * dx[i], 0)) < 2 * ROOT_GUARD * norm(wj) * norm(dx);
      });
      if (guarded) continue;
      const e = deep.explain(x);
      // ... and where the detection layer's guard does not act on any competitor.
      const da = [0, 1, 2].map((j) => W.subarray(j * d, (j + 1) * d).reduce((s2, v, i) => s2 + v * dx[i], 0));
      const topGuarded = [0, 1, 2, 3].some((q) => {
        if (q === e.cluster) return false;
        const w = [0, 1, 2].map((j) => 2 * (linear.centroids[e.cluster * 3 + j] - linear.centroids[q * 3 + j]));
        const delta = w.reduce((s2, v, j) => s2 + v * da[j], 0);
        // h_q(φ(x)): the guard also acts when Δ has the other sign (reference farther on the same side).
        const a = deep.representation(x);
        const h = [0, 1, 2].reduce((s2, j) => s2 + w[j] * a[j] + linear.centroids[q * 3 + j] ** 2 - linear.centroids[e.cluster * 3 + j] ** 2, 0);
        return Math.sign(delta) !== Math.sign(h) || Math.abs(delta) < 2 * Math.max(ROOT_GUARD * norm(w) * norm(da), 0.5 * ROOT_GUARD * norm(w) ** 2);
      });
      if (topGuarded) continue;
      compared++;
      // Per competitor: R_ki = R_k (Wᵀ w_k)_i (x_i − r_i) / w_kᵀ W (x − r) (no guard acts here).
      const a = deep.representation(x);
      const c = e.cluster;
      const expected = new Float64Array(d);
      for (let q = 0; q < linear.k; q++) {
        if (q === c) continue;
        const w = [0, 1, 2].map((j) => 2 * (linear.centroids[c * 3 + j] - linear.centroids[q * 3 + j]));
        const wx = new Float64Array(d).map((_, i) => w.reduce((s, wj, j) => s + wj * W[j * d + i], 0));
        const delta = wx.reduce((s, v, i) => s + v * (x[i] - reference[i]), 0);
        for (let i = 0; i < d; i++) expected[i] += (e.competitorShares[q] * wx[i] * (x[i] - reference[i])) / delta;
      }
      assert.ok(a.length === 3);
      for (let i = 0; i < d; i++) close(e.relevance[i], expected[i], 1e-8, `feature ${i}`);
    }
    assert.ok(compared > 10, `${compared} rows compared`);
  });

  it('without input-space centroids the midpoint rule keeps the earlier deep-Taylor propagation', () => {
    const net = neuralizeDeepKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
    const e = net.explain(rows[0]);
    close(sum(e.relevance) + e.biasRelevance, e.evidence, 1e-9, 'Σ R + bias share');
  });
});
