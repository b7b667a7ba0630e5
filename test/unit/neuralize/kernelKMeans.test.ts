import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { fitKernelKMeans } from '../../../src/engine/cluster/kernelKMeans';
import { supportVectorBias } from '../../../src/engine/cluster/supportVectors';
import { OptionError } from '../../../src/engine/errors';
import { featureFlipping } from '../../../src/engine/evaluate/flipping';
import { betaForTargetProbability } from '../../../src/engine/neuralize/beta';
import { kernelOutlierScores, neuralizeKernelKMeans } from '../../../src/engine/neuralize/kernelKMeans';
import { Rng } from '../../../src/engine/rng';
import type { EvidenceForm, KernelKMeansModel, Matrix, NeonOptions } from '../../../src/engine/types';
import { sharedData, skipUnlessShared } from '../helpers/sharedData';

/** A random model: K clusters of 2..4 support vectors around separated centres, shuffled order. */
function randomModel(seed: number, k = 3, d = 5, gamma = 0.7): KernelKMeansModel {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const cluster: number[] = [];
  for (let c = 0; c < k; c++) {
    const centre = Array.from({ length: d }, () => 2 * rng.normal());
    const count = 2 + rng.int(3);
    for (let s = 0; s < count; s++) {
      rows.push(centre.map((v) => v + 0.6 * rng.normal()));
      cluster.push(c);
    }
  }
  // Interleave clusters so the network's internal sorting is exercised.
  const order = rng.shuffle(Array.from({ length: rows.length }, (_, i) => i));
  const sv: Matrix = { rows: rows.length, cols: d, data: Float64Array.from(order.flatMap((i) => rows[i])) };
  const supportCluster = Int32Array.from(order.map((i) => cluster[i]));
  return {
    kind: 'kernel-kmeans',
    k,
    dim: d,
    gamma,
    supportVectors: sv.data,
    supportCluster,
    bias: supportVectorBias(sv, supportCluster, k, gamma),
  };
}

function randomPoint(rng: Rng, d: number, scale = 2): Float64Array {
  return Float64Array.from({ length: d }, () => scale * rng.normal());
}

/** The paper's direct formula, written literally: o_k(x) = −(1/γ) log(z_k⁻¹ Σ_{j∈C_k} k(x, x_j)). */
function directOutlier(model: KernelKMeansModel, x: Float64Array): number[] {
  const { k, dim: d, gamma } = model;
  const sums = new Array<number>(k).fill(0);
  for (let j = 0; j < model.supportCluster.length; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (x[t] - model.supportVectors[j * d + t]) ** 2;
    sums[model.supportCluster[j]] += Math.exp(-gamma * s);
  }
  return sums.map((s, c) => -Math.log(s / Math.exp(gamma * model.bias[c])) / gamma);
}

function directEvidence(model: KernelKMeansModel, x: Float64Array, c: number, beta: number, form: EvidenceForm): number {
  const o = directOutlier(model, x);
  const h = o.map((v) => v - o[c]).filter((_, q) => q !== c);
  if (form === 'hard') return Math.min(...h);
  return -Math.log(h.reduce((s, v) => s + Math.exp(-beta * v), 0)) / beta;
}

const smax = (v: number[], g: number): number => Math.log(v.reduce((s, a) => s + Math.exp(g * a), 0)) / g;
const smin = (v: number[], g: number): number => -Math.log(v.reduce((s, a) => s + Math.exp(-g * a), 0)) / g;

/**
 * Slow reference of the 4-layer network and its backward pass, written from the notes with
 * explicit neurons (w_ij, b_ijk) and no guard. `reference` picks the first-layer root point:
 * 'root' = m̃_ij (conservative), 'plain' = (x_i + x_j)/2 (leaks b_k − b_c), 'zero' = 0 (the z-rule).
 */
function slowExplain(model: KernelKMeansModel, x: Float64Array, c: number, beta: number, form: EvidenceForm, reference: 'root' | 'plain' | 'zero') {
  const { k, dim: d, gamma, supportVectors: sv, supportCluster, bias } = model;
  const members = (q: number): number[] => Array.from(supportCluster.keys()).filter((j) => supportCluster[j] === q);
  const row = (j: number): number[] => Array.from(sv.subarray(j * d, j * d + d));
  const norm2 = (v: number[]): number => v.reduce((s, a) => s + a * a, 0);
  const ic = members(c);
  const competitors = Array.from({ length: k }, (_, q) => q).filter((q) => q !== c);
  type Neuron = { w: number[]; b: number; a: number; m: number[] };
  const layer: Neuron[][][] = []; // [competitor][j][i]
  const zs: number[][] = [];
  const hs: number[] = [];
  for (const q of competitors) {
    const zq: number[] = [];
    const nq: Neuron[][] = [];
    for (const j of members(q)) {
      const ni: Neuron[] = [];
      for (const i of ic) {
        const xi = row(i);
        const xj = row(j);
        const w = xi.map((v, t) => 2 * (v - xj[t]));
        const b = norm2(xj) - norm2(xi) + bias[q] - bias[c];
        const a = w.reduce((s, wt, t) => s + wt * x[t], 0) + b;
        const mid = xi.map((v, t) => (v + xj[t]) / 2);
        const ww = norm2(w);
        const m = reference === 'root' ? mid.map((v, t) => v - ((bias[q] - bias[c]) / ww) * w[t]) : reference === 'plain' ? mid : mid.map(() => 0);
        ni.push({ w, b, a, m });
      }
      nq.push(ni);
      zq.push(smax(ni.map((n) => n.a), gamma));
    }
    layer.push(nq);
    zs.push(zq);
    hs.push(smin(zq, gamma));
  }
  const f = form === 'hard' ? Math.min(...hs) : smin(hs, beta);
  const e4 = hs.map((h) => Math.exp(-beta * (h - Math.min(...hs))));
  const t4 = e4.reduce((s, v) => s + v, 0);
  const R = new Array<number>(d).fill(0);
  competitors.forEach((_, qi) => {
    const Rk = (f * e4[qi]) / t4;
    const e3 = zs[qi].map((z) => Math.exp(-gamma * (z - Math.min(...zs[qi]))));
    const t3 = e3.reduce((s, v) => s + v, 0);
    layer[qi].forEach((ni, jj) => {
      const Rjk = (Rk * e3[jj]) / t3;
      const amax = Math.max(...ni.map((n) => n.a));
      const e2 = ni.map((n) => Math.exp(gamma * (n.a - amax)));
      const t2 = e2.reduce((s, v) => s + v, 0);
      ni.forEach((n, ii) => {
        const Rn = (Rjk * e2[ii]) / t2;
        for (let t = 0; t < d; t++) R[t] += (n.w[t] * (x[t] - n.m[t]) * Rn) / n.a;
      });
    });
  });
  return { f, R };
}

const sum = (v: ArrayLike<number>): number => Array.from(v).reduce((s, a) => s + a, 0);
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('neuralizeKernelKMeans: forward pass', () => {
  for (const form of ['hard', 'soft'] as const) {
    it(`network output equals the direct formula (${form}, ≤ 1e-9 relative)`, () => {
      let checked = 0;
      for (let seed = 1; seed <= 6; seed++) {
        const model = randomModel(seed);
        const net = neuralizeKernelKMeans(model, { beta: 1.3, evidence: form, rule: 'midpoint' });
        const rng = new Rng(100 + seed);
        for (let t = 0; t < 20; t++) {
          const x = randomPoint(rng, model.dim);
          for (let c = 0; c < model.k; c++) {
            const expected = directEvidence(model, x, c, 1.3, form);
            if (Math.abs(expected) < 1e-3) continue; // relative error is meaningless at a 0 margin
            assert.ok(rel(net.explain(x, c).evidence, expected) <= 1e-9, `explain: ${net.explain(x, c).evidence} vs ${expected}`);
            assert.ok(rel(net.evidence(x, c), expected) <= 1e-9, `evidence: ${net.evidence(x, c)} vs ${expected}`);
            checked++;
          }
        }
      }
      assert.ok(checked > 300);
    });
  }

  it('assigns to the lowest outlier score and reports p(c|x) = softmax(−β o)_c', () => {
    const model = randomModel(7);
    const beta = 0.8;
    const net = neuralizeKernelKMeans(model, { beta, evidence: 'hard', rule: 'midpoint' });
    const rng = new Rng(7);
    for (let t = 0; t < 30; t++) {
      const x = randomPoint(rng, model.dim);
      const o = directOutlier(model, x);
      const c = o.indexOf(Math.min(...o));
      assert.equal(net.assign(x), c);
      const e = o.map((v) => Math.exp(-beta * (v - o[c])));
      assert.ok(Math.abs(net.explain(x).probability - e[c] / sum(e)) < 1e-12);
      assert.equal(net.explain(x).cluster, c);
    }
    const scores = kernelOutlierScores(model, { rows: 1, cols: model.dim, data: Float64Array.from([1, 2, 3, 4, 5]) });
    const o = directOutlier(model, Float64Array.from([1, 2, 3, 4, 5]));
    o.forEach((v, c) => assert.ok(rel(scores[c], v) < 1e-12));
  });
});

describe('neuralizeKernelKMeans: backward pass', () => {
  for (const form of ['hard', 'soft'] as const) {
    it(`root-point rule conserves: Σ_i R_i = f_c (${form}, ≤ 1e-8 relative) and matches the slow reference`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const model = randomModel(seed);
        const net = neuralizeKernelKMeans(model, { beta: 1.3, evidence: form, rule: 'midpoint' }, { rootPointGuard: 0 });
        const guarded = neuralizeKernelKMeans(model, { beta: 1.3, evidence: form, rule: 'midpoint' });
        const rng = new Rng(200 + seed);
        for (let t = 0; t < 15; t++) {
          const x = randomPoint(rng, model.dim);
          const e = net.explain(x, undefined, { perCompetitor: true });
          assert.ok(rel(sum(e.relevance), e.evidence) <= 1e-8, `Σ R = ${sum(e.relevance)} vs f = ${e.evidence}`);
          assert.ok(rel(sum(guarded.explain(x).relevance), e.evidence) <= 1e-8, 'the guard keeps conservation');
          assert.ok(rel(sum(e.competitorShares), e.evidence) <= 1e-12);
          assert.equal(e.competitorShares[e.cluster], 0);
          // Linear form and detailed explanation are the same numbers, reorganised.
          for (let i = 0; i < model.dim; i++) {
            assert.ok(Math.abs(e.attribution.coef[i] * x[i] - e.attribution.offset[i] - e.relevance[i]) < 1e-9 * (1 + Math.abs(e.relevance[i])));
            let col = 0;
            for (let q = 0; q < model.k; q++) col += e.perCompetitor![q * model.dim + i];
            assert.ok(Math.abs(col - e.relevance[i]) < 1e-9 * (1 + Math.abs(e.relevance[i])));
          }
          for (let q = 0; q < model.k; q++) {
            const rowSum = sum(e.perCompetitor!.subarray(q * model.dim, (q + 1) * model.dim));
            assert.ok(Math.abs(rowSum - e.competitorShares[q]) < 1e-8 * (1 + Math.abs(e.evidence)));
          }
          // Also for a cluster the point is not assigned to (negative evidence).
          const other = net.explain(x, (e.cluster + 1) % model.k);
          assert.ok(other.evidence < 0);
          assert.ok(rel(sum(other.relevance), other.evidence) <= 1e-8);
          const slow = slowExplain(model, x, e.cluster, 1.3, form, 'root');
          assert.ok(rel(slow.f, e.evidence) < 1e-9);
          for (let i = 0; i < model.dim; i++) assert.ok(Math.abs(slow.R[i] - e.relevance[i]) < 1e-7 * (1 + Math.abs(slow.R[i])));
        }
      }
    });
  }

  it('the plain midpoint (x_i + x_j)/2 leaks the b_k − b_c share: why the root point matters', () => {
    let leak = 0;
    let count = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const model = randomModel(seed);
      const rng = new Rng(300 + seed);
      for (let t = 0; t < 15; t++) {
        const x = randomPoint(rng, model.dim);
        const c = neuralizeKernelKMeans(model, { beta: 1.3, evidence: 'hard', rule: 'midpoint' }).assign(x);
        const plain = slowExplain(model, x, c, 1.3, 'hard', 'plain');
        const root = slowExplain(model, x, c, 1.3, 'hard', 'root');
        assert.ok(rel(sum(root.R), root.f) < 1e-8);
        leak += rel(sum(plain.R), plain.f);
        count++;
      }
    }
    // Biases differ between clusters of different spread, so the plain midpoint misses a share.
    assert.ok(leak / count > 1e-3, `mean relative leak of the plain midpoint: ${leak / count}`);
  });

  it("the z-rule is not conservative (kept for comparison)", () => {
    const model = randomModel(3);
    const net = neuralizeKernelKMeans(model, { beta: 1.3, evidence: 'hard', rule: 'z' });
    const rng = new Rng(9);
    let leak = 0;
    for (let t = 0; t < 20; t++) {
      const x = randomPoint(rng, model.dim);
      const e = net.explain(x);
      leak += rel(sum(e.relevance), e.evidence);
      const slow = slowExplain(model, x, e.cluster, 1.3, 'hard', 'zero');
      for (let i = 0; i < model.dim; i++) {
        assert.equal(e.attribution.offset[i], 0);
        assert.ok(Math.abs(slow.R[i] - e.relevance[i]) < 1e-7 * (1 + Math.abs(slow.R[i])), `z-rule R_${i}: ${e.relevance[i]} vs ${slow.R[i]}`);
      }
    }
    assert.ok(leak / 20 > 1e-3, `mean relative leak of the z-rule: ${leak / 20}`);
  });

  it('guarded terms are bounded: max_i |R_i| ≤ |f_c| (1 + ε) / ε', () => {
    const eps = 0.05;
    for (let seed = 1; seed <= 4; seed++) {
      const model = randomModel(seed, 4, 8, 0.3);
      const net = neuralizeKernelKMeans(model, { beta: 1, evidence: 'soft', rule: 'midpoint' }, { rootPointGuard: eps });
      const rng = new Rng(400 + seed);
      for (let t = 0; t < 40; t++) {
        const x = randomPoint(rng, model.dim, 1);
        const e = net.explain(x);
        const maxR = Math.max(...Array.from(e.relevance, Math.abs));
        assert.ok(maxR <= (Math.abs(e.evidence) * (1 + eps)) / eps + 1e-12, `max|R| = ${maxR}, f = ${e.evidence}`);
      }
    }
  });

  for (const form of ['hard', 'soft'] as const) {
    it(`gradient matches central finite differences (${form})`, () => {
      const model = randomModel(5);
      const net = neuralizeKernelKMeans(model, { beta: 0.9, evidence: form, rule: 'midpoint' });
      const rng = new Rng(55);
      const g = new Float64Array(model.dim);
      for (let t = 0; t < 10; t++) {
        const x = randomPoint(rng, model.dim);
        const c = t % model.k;
        net.gradient(x, c, g);
        for (let i = 0; i < model.dim; i++) {
          const step = 1e-5;
          const xp = x.slice();
          const xm = x.slice();
          xp[i] += step;
          xm[i] -= step;
          const fd = (net.evidence(xp, c) - net.evidence(xm, c)) / (2 * step);
          assert.ok(Math.abs(fd - g[i]) < 1e-5 * (1 + Math.abs(fd)), `∂f/∂x_${i}: ${g[i]} vs finite difference ${fd}`);
        }
      }
    });
  }

  it('rejects bad options and clusters by message', () => {
    const model = randomModel(1);
    assert.throws(() => neuralizeKernelKMeans(model, { beta: 0, evidence: 'hard', rule: 'midpoint' }), (e: unknown) => e instanceof OptionError && /beta must be > 0/.test(e.message));
    assert.throws(() => neuralizeKernelKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' }, { rootPointGuard: 1 }), /rootPointGuard must be in \[0, 1\)/);
    const net = neuralizeKernelKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' });
    assert.throws(() => net.explain(new Float64Array(model.dim), 7), /cluster 7 is outside 0..2/);
    assert.throws(() => net.evidence(new Float64Array(3), 0), /point has 3 features, the model 5/);
    const broken: KernelKMeansModel = { ...model, supportCluster: model.supportCluster.map((c) => (c === 2 ? 1 : c)) };
    assert.throws(() => neuralizeKernelKMeans(broken, { beta: 1, evidence: 'hard', rule: 'midpoint' }), /cluster 2 has no support vectors/);
  });
});

describe('neuralizeKernelKMeans on digits (stiff bandwidth, 10 support vectors per class)', { skip: skipUnlessShared('digits.csv') }, () => {
  it('bounded, conservative relevance; NEON wins feature flipping', async () => {
    const lines = fs.readFileSync(sharedData('digits.csv')!, 'utf8').trim().split('\n').slice(1);
    const n = lines.length;
    const data = new Float64Array(n * 64);
    const labels = new Int32Array(n);
    lines.forEach((line, i) => {
      const cells = line.split(',').map(Number);
      for (let t = 0; t < 64; t++) data[i * 64 + t] = cells[t] / 16;
      labels[i] = cells[64];
    });
    const X: Matrix = { rows: n, cols: 64, data };
    const fit = await fitKernelKMeans(X, { k: 10, seed: 1, gamma: 'stiff', supportVectorsPerCluster: 10, initLabels: labels });
    const options: NeonOptions = { beta: 1, evidence: 'hard', rule: 'midpoint' };
    const net = neuralizeKernelKMeans(fit.model, options);
    let worst = 0;
    const x = new Float64Array(64);
    for (let i = 0; i < n; i += 9) {
      x.set(data.subarray(i * 64, i * 64 + 64));
      const e = net.explain(x);
      assert.ok(rel(sum(e.relevance), e.evidence) < 1e-8);
      if (Math.abs(e.evidence) > 1e-6) worst = Math.max(worst, Math.max(...Array.from(e.relevance, Math.abs)) / Math.abs(e.evidence));
    }
    // Stated bound 3 (measured 1.1 on all digits with ε = 0.05; 12 without the guard;
    // the guard's worst case is (1 + ε)/ε = 21).
    assert.ok(worst < 3, `max_i |R_i| / |f_c| = ${worst}`);

    // Feature flipping at the default (stiff) bandwidth: NEON beats sensitivity and gradient×input.
    const beta = betaForTargetProbability(kernelOutlierScores(fit.model, X), 10, 0.9);
    const tuned = neuralizeKernelKMeans(fit.model, { beta, evidence: 'hard', rule: 'midpoint' });
    const reference = new Float64Array(64);
    for (let i = 0; i < n; i++) for (let t = 0; t < 64; t++) reference[t] += data[i * 64 + t] / n;
    const rows = Array.from({ length: Math.ceil(n / 6) }, (_, r) => r * 6);
    const curves = await featureFlipping(tuned, X, rows, ['neon', 'sensitivity', 'gradient-x-input'], { reference });
    const [neon, sensitivity, gradientInput] = curves.map((curve) => curve.area);
    assert.ok(neon < sensitivity && neon < gradientInput, `flipping areas: NEON ${neon}, sensitivity ${sensitivity}, gradient×input ${gradientInput}`);
  });
});
