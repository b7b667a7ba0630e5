/**
 * Issue 8, "Numerical range": any finite evidence gives finite relevances that add up to it,
 * whatever the magnitudes (neuralize/kmeansScaled.ts); what float64 cannot hold comes back as
 * NaN with `beyondRange` naming the features, never as ±Infinity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { explainKMeansRows, ROW_BEYOND_RANGE, ROW_EXACT } from '../../../src/engine/neuralize/kmeansBatch';
import { Rng } from '../../../src/engine/rng';
import type { FirstLayerRule, KMeansModel } from '../../../src/engine/types';

const sum = (v: ArrayLike<number>): number => Array.from(v).reduce((a, b) => a + b, 0);

function scaledModel(model: KMeansModel, s: number): KMeansModel {
  return { ...model, centroids: model.centroids.map((v) => v * s) };
}

describe('k-means NEON at any magnitude', () => {
  const rng = new Rng(3);
  const model: KMeansModel = { kind: 'kmeans', k: 4, dim: 3, centroids: new Float64Array(12).map(() => rng.normal() * 2) };
  const rows = Array.from({ length: 30 }, () => new Float64Array(3).map(() => rng.normal() * 2));
  const reference = Float64Array.from([0.1, -0.2, 0.3]);

  for (const rule of ['midpoint', 'reference'] as FirstLayerRule[]) {
    for (const s of [1e-150, 1e-60, 1e60, 1e150]) {
      it(`${rule} rule: scaling the data and centroids by ${s} scales evidence and relevance by s² (β by 1/s²)`, () => {
        const base = neuralizeKMeans(model, { beta: 0.9, evidence: 'soft', rule, reference });
        const big = neuralizeKMeans(scaledModel(model, s), { beta: 0.9 / s / s, evidence: 'soft', rule, reference: reference.map((v) => v * s) });
        for (const x of rows) {
          const e = base.explain(x);
          const g = big.explain(x.map((v) => v * s));
          assert.equal(g.beyondRange, undefined);
          assert.equal(g.cluster, e.cluster);
          const s2 = s * s;
          assert.ok(Math.abs(g.evidence / s2 - e.evidence) <= 1e-9 * (1 + Math.abs(e.evidence)), `evidence ${g.evidence / s2} vs ${e.evidence}`);
          for (let j = 0; j < 3; j++) {
            assert.ok(Number.isFinite(g.relevance[j]));
            assert.ok(Math.abs(g.relevance[j] / s2 - e.relevance[j]) <= 1e-8 * (1 + Math.abs(e.evidence)), `R_${j}`);
          }
          assert.ok(Math.abs(sum(g.relevance) - g.evidence) <= 1e-9 * Math.abs(g.evidence), 'conserved');
        }
      });
    }
  }

  it('one huge column next to small ones: finite, conserved, and the small columns keep their relevance', () => {
    // μ0 = (0, 0), μ1 = (2, 2); x = (1e200, 5): R_0 = w_0 (x_0 − m_0) = −4(1e200 − 1) = −4e200; R_1 = −4 (5 − 1) = −16.
    const m: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: Float64Array.from([0, 0, 2, 2]) };
    const net = neuralizeKMeans(m, { beta: 1, evidence: 'hard', rule: 'midpoint' });
    const e = net.explain(Float64Array.from([1e200, 5]), 0);
    assert.equal(e.beyondRange, undefined);
    assert.ok(Math.abs(e.relevance[0] / -4e200 - 1) < 1e-12);
    assert.ok(Math.abs(e.relevance[1] - -16) < 1e-9, `R_1 = ${e.relevance[1]}`);
    assert.ok(Math.abs(e.evidence / -4e200 - 1) < 1e-12);
    // Assigned to the nearer centroid (cluster 1), the evidence is positive and finite.
    const own = net.explain(Float64Array.from([1e200, 5]));
    assert.equal(own.cluster, 1);
    assert.ok(own.evidence > 0 && Number.isFinite(own.evidence));
    assert.ok(Math.abs(sum(own.relevance) / own.evidence - 1) < 1e-12);
  });

  it('evidence beyond float64: NaN (not Infinity) with the features named; the row keeps its cluster', () => {
    const m: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: Float64Array.from([1.05e160, 2.05e160, 5.1e160, 8.9e160]) };
    const net = neuralizeKMeans(m, { beta: 1e-320, evidence: 'hard', rule: 'midpoint' });
    const e = net.explain(Float64Array.from([1e160, 2e160]));
    assert.equal(e.cluster, 0);
    assert.ok(Number.isNaN(e.evidence));
    assert.deepEqual(e.beyondRange, { evidence: true, features: [0, 1] });
    for (const v of e.relevance) assert.ok(Number.isNaN(v));
  });

  it('the batch path recomputes such rows, marks the ones beyond float64 and leaves the others exact', () => {
    const m: KMeansModel = { kind: 'kmeans', k: 2, dim: 2, centroids: Float64Array.from([-1, -1, 1, 1]) };
    const data = Float64Array.from([0.5, 0.7, 1e200, 2, 9.99e307, 2, -3, 1e170]);
    const out = { cluster: new Int32Array(4), evidence: new Float64Array(4), probability: new Float64Array(4), relevance: new Float64Array(8), status: new Uint8Array(4) };
    explainKMeansRows(m, { beta: 1, evidence: 'hard', rule: 'midpoint' }, { rows: 4, cols: 2, data }, out);
    assert.deepEqual(Array.from(out.status), [ROW_EXACT, ROW_EXACT, ROW_BEYOND_RANGE, ROW_EXACT]);
    assert.deepEqual(Array.from(out.cluster), [1, 1, 1, 1]);
    // Row 1: h = ‖x − μ0‖² − ‖x − μ1‖² = 4 x_0 + 4 x_1 = 4e200 + 8; R = (4e200, 8).
    assert.ok(Math.abs(out.evidence[1] / 4e200 - 1) < 1e-12);
    assert.ok(Math.abs(out.relevance[3] - 8) < 1e-6, `R_1 of row 1 = ${out.relevance[3]}`);
    // Row 2: 4 · 9.99e307 overflows: beyond float64, NaN.
    assert.ok(Number.isNaN(out.evidence[2]) && Number.isNaN(out.relevance[4]));
    // Row 3: R = (−12, 4e170), evidence 4e170 − 12.
    assert.ok(Math.abs(out.relevance[6] - -12) < 1e-6 && Math.abs(out.relevance[7] / 4e170 - 1) < 1e-12);
    for (let i = 0; i < 4; i++) if (i !== 2) assert.ok(Math.abs(out.relevance[2 * i] + out.relevance[2 * i + 1] - out.evidence[i]) <= 1e-12 * Math.abs(out.evidence[i]));
  });
});
