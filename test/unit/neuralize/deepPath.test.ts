import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitKMeans } from '../../../src/engine/cluster/kmeans';
import { neuralizeDeepKMeans } from '../../../src/engine/neuralize/deepKMeans';
import { DeepPathIntegral } from '../../../src/engine/neuralize/deepPath';
import { featureRange } from '../../../src/engine/nn/batches';
import { createMlp, createTape, mlpForward, mlpPredict } from '../../../src/engine/nn/mlp';
import type { LayerSpec } from '../../../src/engine/nn/mlp';
import { Rng } from '../../../src/engine/rng';
import type { DeepKMeansModel, Matrix, NeonOptions, NeuralizedModel } from '../../../src/engine/types';

/** Three overlapping Gaussian blobs in D = 5. */
function blobs(n: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const d = 5;
  const data = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const c = r % 3;
    for (let j = 0; j < d; j++) data[r * d + j] = (j === c ? 2 : 0) + 0.8 * rng.normal();
  }
  return { rows: n, cols: d, data };
}

async function randomModel(X: Matrix, specs: LayerSpec[], k: number, seed: number): Promise<DeepKMeansModel> {
  const rng = new Rng(seed);
  const layers = createMlp(X.cols, specs, rng);
  for (const l of layers) for (let j = 0; j < l.outputs; j++) l.bias[j] = 0.3 * rng.normal();
  const fit = await fitKMeans(mlpPredict(layers, X), { k, seed });
  const { low, high } = featureRange(X);
  return { kind: 'deep-kmeans', k, dim: X.cols, layers, centroids: fit.model.centroids, inputLow: low, inputHigh: high };
}

function columnMean(X: Matrix): Float64Array {
  const m = new Float64Array(X.cols);
  for (let r = 0; r < X.rows; r++) for (let j = 0; j < X.cols; j++) m[j] += X.data[r * X.cols + j] / X.rows;
  return m;
}

/** The exact path through φ (deepKMeans.ts `propagation`; the default, named here explicitly). */
const PATH = { propagation: 'path' as const };

const row = (X: Matrix, r: number): Float64Array => X.data.slice(r * X.cols, (r + 1) * X.cols);

/**
 * The same integral by brute force: the first root α* of f on x + α(r − x) (scan, then
 * bisection on the network's own evidence), then a midpoint Riemann sum of the gradient with
 * `steps` points on [0, α*].
 */
function riemannFromRoot(net: NeuralizedModel, x: Float64Array, r: Float64Array, c: number, steps: number): Float64Array | undefined {
  const d = x.length;
  const p = new Float64Array(d);
  const at = (a: number): Float64Array => {
    for (let i = 0; i < d; i++) p[i] = x[i] + a * (r[i] - x[i]);
    return p;
  };
  const f0 = net.evidence(x, c);
  const sign = Math.sign(f0);
  let lo = 0;
  let hi = -1;
  for (let a = 1e-3; a <= 20; a += 1e-3) {
    if (Math.sign(net.evidence(at(a), c)) !== sign) {
      hi = a;
      lo = a - 1e-3;
      break;
    }
  }
  if (hi < 0) return undefined;
  for (let it = 0; it < 80; it++) {
    const mid = 0.5 * (lo + hi);
    if (Math.sign(net.evidence(at(mid), c)) === sign) lo = mid;
    else hi = mid;
  }
  const root = 0.5 * (lo + hi);
  const g = new Float64Array(d);
  const sum = new Float64Array(d);
  for (let s = 0; s < steps; s++) {
    net.gradient(at(((s + 0.5) / steps) * root), c, g);
    for (let i = 0; i < d; i++) sum[i] += g[i];
  }
  for (let i = 0; i < d; i++) sum[i] *= (root / steps) * (x[i] - r[i]);
  return sum;
}

/** φ(x) = relu(x) on R² (a relu layer and a linear layer, both the identity), μ_0 = (1, 0), μ_1 = (0, 1). */
function reluPlane(high: number): DeepKMeansModel {
  const id = Float64Array.from([1, 0, 0, 1]);
  return {
    kind: 'deep-kmeans',
    k: 2,
    dim: 2,
    layers: [
      { inputs: 2, outputs: 2, weights: id, bias: new Float64Array(2), activation: 'relu' },
      { inputs: 2, outputs: 2, weights: id, bias: new Float64Array(2), activation: 'linear' },
    ],
    centroids: Float64Array.from([1, 0, 0, 1]),
    inputLow: Float64Array.from([-2, -2]),
    inputHigh: Float64Array.from([high, 2]),
  };
}

test('hand case: φ = relu on R², two clusters — relevance (3.6, 0.4), share 4, representation (3.6, 0.4)', () => {
  // φ(x) = relu(x) (hidden relu layer = identity, linear output = identity); μ_0 = (1, 0), μ_1 = (0, 1).
  // x = (2, −1), r = (−1, 1): a(α) = (relu(2 − 3α), relu(−1 + 2α)), f = h_1 = 2 a_1 − 2 a_2:
  // 4 − 6α on [0, ½] (a_2 off), 6 − 10α on [½, ⅔]: root α* = 0.6. ∂f/∂x = (2, 0), then (2, −2):
  // ∫ = (1.2, −0.2), R = (x − r) ⊙ ∫ = (3.6, 0.4), Σ = 4 = f.
  const model = reluPlane(2);
  // No propagation option: the exact path is deep k-means' default under the reference rule.
  const net = neuralizeDeepKMeans(model, { beta: 1, evidence: 'hard', rule: 'reference', reference: Float64Array.from([-1, 1]) });
  const ex = net.explain(Float64Array.from([2, -1]), undefined, { perCompetitor: true });
  assert.equal(ex.cluster, 0);
  assert.ok(Math.abs(ex.evidence - 4) < 1e-12);
  assert.ok(Math.abs(ex.relevance[0] - 3.6) < 1e-12, `R_1 ${ex.relevance[0]}`);
  assert.ok(Math.abs(ex.relevance[1] - 0.4) < 1e-12, `R_2 ${ex.relevance[1]}`);
  assert.ok(Math.abs(ex.competitorShares[1] - 4) < 1e-12 && ex.competitorShares[0] === 0);
  assert.ok(Math.abs(ex.representationRelevance[0] - 3.6) < 1e-12 && Math.abs(ex.representationRelevance[1] - 0.4) < 1e-12);
  assert.ok(Math.abs((ex.perCompetitor as Float64Array)[2] - 3.6) < 1e-12 && Math.abs((ex.perCompetitor as Float64Array)[3] - 0.4) < 1e-12);
  assert.equal(ex.biasRelevance, 0);
});

test("hand case, 'root' (the previous default, carried roots): relevance (8/3, 4/3)", () => {
  // Same x = (2, −1), r = (−1, 1). φ(r) = (0, 1), a = φ(x) = (2, 0); the top layer's reference
  // rule on the line a → φ(r): w = 2(μ_0 − μ_1) = (2, −2), Δa = (2, −1), w ⊙ Δa = (4, 2), so
  // R_a = 4 · (4, 2) / 6 = (8/3, 4/3). φ's layers are the identity and each neuron's root is r's
  // activation (Δz = Δa_in), so R_x = R_a = (8/3, 4/3): the product of averages the exact path
  // (3.6, 0.4) replaces (the relu of a_2 is off for half of the path to the root).
  const model = reluPlane(2);
  const net = neuralizeDeepKMeans(model, { beta: 1, evidence: 'hard', rule: 'reference', reference: Float64Array.from([-1, 1]) }, { propagation: 'root' });
  const ex = net.explain(Float64Array.from([2, -1]));
  assert.ok(Math.abs(ex.evidence - 4) < 1e-12);
  assert.ok(Math.abs(ex.relevance[0] - 8 / 3) < 1e-12, `R_1 ${ex.relevance[0]}`);
  assert.ok(Math.abs(ex.relevance[1] - 4 / 3) < 1e-12, `R_2 ${ex.relevance[1]}`);
  assert.equal(ex.biasRelevance, 0);
});

test('hand case, reference deeper in the cluster than the row: the other ray of the line (mirror 2x − r) — relevance (4, 0)', () => {
  // Same φ = relu and centroids as above; x = (2, −1), r = (3, −1): toward r, f = 2 a_1 − 2 a_2
  // only grows (no root). The mirror 2x − r = (1, −1): x(α) = (2 − α, −1), f = 4 − 2α, root α* = 2,
  // ∂f/∂x = (2, 0) on [0, 2]: R = (x − (2x − r)) ⊙ ∫ = (1 · 4, 0) = (4, 0).
  const model = reluPlane(3);
  const net = neuralizeDeepKMeans(model, { beta: 1, evidence: 'hard', rule: 'reference', reference: Float64Array.from([3, -1]) }, PATH);
  const x = Float64Array.from([2, -1]);
  const ex = net.explain(x);
  assert.ok(Math.abs(ex.evidence - 4) < 1e-12);
  assert.ok(Math.abs(ex.relevance[0] - 4) < 1e-12 && Math.abs(ex.relevance[1]) < 1e-12, `R ${Array.from(ex.relevance)}`);
  assert.deepEqual(Array.from(net.relevance?.(x, 0) ?? []), Array.from(ex.relevance));
});

for (const [name, specs] of [
  ['one hidden relu layer (2-layer ReLU net)', [{ outputs: 7, activation: 'relu' }, { outputs: 3, activation: 'linear' }]],
  ['two hidden layers (the default shape)', [{ outputs: 9, activation: 'relu' }, { outputs: 6, activation: 'relu' }, { outputs: 4, activation: 'linear' }]],
  ['three hidden layers', [{ outputs: 8, activation: 'relu' }, { outputs: 6, activation: 'relu' }, { outputs: 5, activation: 'relu' }, { outputs: 3, activation: 'linear' }]],
] as [string, LayerSpec[]][]) {
  test(`exact path integral = a 20,000-point Riemann sum from the root (to the sum's own error), ${name}`, async () => {
    const X = blobs(90, 11);
    const model = await randomModel(X, specs, 4, 12);
    const mean = columnMean(X);
    const options: NeonOptions = { beta: 1, evidence: 'hard', rule: 'reference', reference: mean };
    const net = neuralizeDeepKMeans(model, options, PATH);
    let compared = 0;
    let mirrored = 0;
    const usable = (v: Float64Array | undefined, f: number): v is Float64Array => {
      if (!v) return false;
      let sum = 0;
      let abs = 0;
      for (const t of v) {
        sum += t;
        abs += Math.abs(t);
      }
      return Math.abs(sum - f) <= 1e-2 * (Math.abs(f) + 1e-9) && 0.05 * abs <= Math.abs(f);
    };
    for (let r = 0; r < 25; r++) {
      const x = row(X, r);
      const ex = net.explain(x);
      let brute = riemannFromRoot(net, x, mean, ex.cluster, 20000);
      if (!usable(brute, ex.evidence)) {
        // No usable root toward the mean: the other ray of the line, through 2x − mean.
        const mirror = x.map((v, i) => 2 * v - mean[i]);
        brute = riemannFromRoot(net, x, mirror, ex.cluster, 20000);
        if (!usable(brute, ex.evidence)) continue; // carried-root fallback: not this integral
        mirrored++;
      }
      const scale = Math.abs(ex.evidence) + 1e-9;
      compared++;
      // A midpoint sum of a piecewise-constant integrand errs by up to (kinks × step × jump):
      // ~1e-4 of f here, shrinking with the steps (80,000 / 320,000 points: 4× / 100× closer).
      for (let i = 0; i < X.cols; i++) assert.ok(Math.abs(ex.relevance[i] - brute[i]) <= 2e-3 * scale, `row ${r} feature ${i}: exact ${ex.relevance[i]} vs Riemann ${brute[i]}`);
    }
    void mirrored;
    assert.ok(compared >= 15, `compared ${compared} rows`);
  });
}

test('conservation Σ R = evidence (1e-9) for every cluster, linear form and per-competitor split adding up', async () => {
  const X = blobs(90, 21);
  const model = await randomModel(X, [{ outputs: 9, activation: 'relu' }, { outputs: 6, activation: 'relu' }, { outputs: 4, activation: 'linear' }], 4, 22);
  const mean = columnMean(X);
  const net = neuralizeDeepKMeans(model, { beta: 1, evidence: 'hard', rule: 'reference', reference: mean }, PATH);
  const d = X.cols;
  for (let r = 0; r < 40; r++) {
    const x = row(X, r);
    for (let c = 0; c < 4; c++) {
      const ex = net.explain(x, c, { perCompetitor: true });
      const tol = 1e-9 * (1 + Math.abs(ex.evidence));
      assert.ok(Math.abs(ex.relevance.reduce((s, v) => s + v, 0) - ex.evidence) <= tol, `row ${r} c ${c}`);
      assert.ok(Math.abs(ex.competitorShares.reduce((s, v) => s + v, 0) - ex.evidence) <= tol);
      assert.ok(Math.abs(ex.representationRelevance.reduce((s, v) => s + v, 0) - ex.evidence) <= tol);
      assert.equal(ex.biasRelevance, 0);
      const per = ex.perCompetitor as Float64Array;
      for (let i = 0; i < d; i++) {
        assert.ok(Math.abs(ex.relevance[i] - (ex.attribution.coef[i] * x[i] - ex.attribution.offset[i])) <= 1e-12 * (1 + Math.abs(ex.evidence)));
        let s = 0;
        for (let q = 0; q < 4; q++) s += per[q * d + i];
        assert.ok(Math.abs(s - ex.relevance[i]) <= tol, `row ${r} c ${c} feature ${i}`);
      }
      // The same explanation without the split.
      const plain = net.explain(x, c);
      for (let i = 0; i < d; i++) assert.ok(Math.abs(plain.relevance[i] - ex.relevance[i]) <= tol);
    }
  }
});

test('relevanceInto equals explain().relevance to the bit, also on rows whose both rays are refused (carried roots)', async () => {
  // relevanceInto goes straight to the carried roots when both rays are refused, without
  // walking them again as explain() does: the numbers must be the same.
  const X = blobs(90, 31);
  const model = await randomModel(X, [{ outputs: 9, activation: 'relu' }, { outputs: 6, activation: 'relu' }, { outputs: 4, activation: 'linear' }], 4, 32);
  const mean = columnMean(X);
  const options: NeonOptions = { beta: 1, evidence: 'hard', rule: 'reference', reference: mean };
  const net = neuralizeDeepKMeans(model, options, PATH);
  const carried = neuralizeDeepKMeans(model, options, { propagation: 'root' });
  const out = new Float64Array(X.cols);
  let refused = 0;
  for (let r = 0; r < 60; r++) {
    const x = row(X, r);
    for (let c = 0; c < 4; c++) {
      const ex = net.explain(x, c);
      (net.relevanceInto as (x: Float64Array, c: number, out: Float64Array) => void)(x, c, out);
      assert.deepEqual(Array.from(out), Array.from(ex.relevance), `row ${r} cluster ${c}`);
      if (carried.explain(x, c).relevance.every((v, i) => v === ex.relevance[i])) refused++;
    }
  }
  assert.ok(refused >= 3, `only ${refused} explanations fell back to the carried roots`);
});

test("the fused layer-0 kink step (with its scan of layer 1), forward() and forwardToward() give the general walk's and mlpForward's bits (the default φ shape, 64 → 32 → 10)", async () => {
  // deepPath.ts crosses a layer-0 kink in one pass over layer 1 when φ has two hidden layers,
  // and scans layer 1's next kink in the same pass; `fused = false` runs the general steps
  // (toggleLayer0, toggle, the step's own scan) the optimisation replaced. forwardToward also
  // writes the slopes at α = 0 that explain(…, slopesReady = false) computes itself.
  const X = blobs(120, 41);
  const model = await randomModel(X, [{ outputs: 64, activation: 'relu' }, { outputs: 32, activation: 'relu' }, { outputs: 10, activation: 'linear' }], 5, 42);
  const mean = columnMean(X);
  const fused = new DeepPathIntegral(model.layers, model.k, model.centroids);
  const general = new DeepPathIntegral(model.layers, model.k, model.centroids, false);
  const tape = createTape(model.layers, 1);
  const mine = createTape(model.layers, 1);
  const rootTape = createTape(model.layers, 1);
  mlpForward(model.layers, mean, 1, rootTape);
  const out = () => ({ coef: new Float64Array(X.cols), offset: new Float64Array(X.cols), shares: new Float64Array(model.k) });
  const a = out();
  const a2 = out();
  const b = out();
  let walked = 0;
  for (let r = 0; r < X.rows; r++) {
    const x = row(X, r);
    const o = mlpForward(model.layers, x, 1, tape).slice(0, 10);
    const o2 = fused.forward(x, mine);
    for (let l = 0; l < model.layers.length; l++) {
      assert.deepEqual(Array.from(mine.z[l]), Array.from(tape.z[l]), `row ${r} layer ${l} z`);
      assert.deepEqual(Array.from(mine.a[l]), Array.from(tape.a[l]), `row ${r} layer ${l} a`);
    }
    assert.deepEqual(Array.from(o2), Array.from(o));
    for (let c = 0; c < model.k; c++) {
      let f = Infinity;
      for (let q = 0; q < model.k; q++) {
        if (q === c) continue;
        let v = 0;
        for (let j = 0; j < 10; j++) v += (o[j] - model.centroids[q * 10 + j]) ** 2 - (o[j] - model.centroids[c * 10 + j]) ** 2;
        f = Math.min(f, v);
      }
      const okA = fused.explain(x, mean, tape.z, o, rootTape.z[0], c, f, a);
      const okB = general.explain(x, mean, tape.z, o, rootTape.z[0], c, f, b);
      assert.equal(okA, okB, `row ${r} cluster ${c}`);
      // The same walk after forwardToward (its tape and slopes), explain told the slopes are ready.
      const o3 = fused.forwardToward(x, rootTape.z[0], mine);
      for (let l = 0; l < model.layers.length; l++) {
        assert.deepEqual(Array.from(mine.z[l]), Array.from(tape.z[l]), `row ${r} layer ${l} z (forwardToward)`);
        assert.deepEqual(Array.from(mine.a[l]), Array.from(tape.a[l]), `row ${r} layer ${l} a (forwardToward)`);
      }
      assert.deepEqual(Array.from(o3), Array.from(o));
      const okC = fused.explain(x, mean, mine.z, o3, rootTape.z[0], c, f, a2, true);
      assert.equal(okC, okB, `row ${r} cluster ${c} (slopes from forwardToward)`);
      if (!okA) continue;
      walked++;
      assert.deepEqual(Array.from(a.coef), Array.from(b.coef), `row ${r} cluster ${c}`);
      assert.deepEqual(Array.from(a.offset), Array.from(b.offset));
      assert.deepEqual(Array.from(a.shares), Array.from(b.shares));
      assert.deepEqual(Array.from(a2.coef), Array.from(b.coef), `row ${r} cluster ${c} (slopes from forwardToward)`);
      assert.deepEqual(Array.from(a2.shares), Array.from(b.shares));
    }
  }
  assert.ok(walked >= 200, `only ${walked} walks compared`);
});
