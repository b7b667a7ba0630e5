import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../src/engine/rng';
import type { Activation, DenseLayer } from '../../../src/engine/types';
import { Adam } from '../../../src/engine/nn/adam';
import { createGradients, createMlp, createTape, gradientArrays, mlpBackward, mlpForward, mlpPredict, mlpPredictAsync, parameterArrays, checkLayers, cloneLayers } from '../../../src/engine/nn/mlp';

/** L = ½ Σ (y − t)² over the batch; returns L, and dL/dy into `gy` when given. */
function squaredLoss(layers: DenseLayer[], x: Float64Array, rows: number, t: Float64Array, gy?: Float64Array): number {
  const tape = createTape(layers, rows);
  const y = mlpForward(layers, x, rows, tape);
  let loss = 0;
  for (let i = 0; i < rows * layers[layers.length - 1].outputs; i++) {
    const d = y[i] - t[i];
    loss += 0.5 * d * d;
    if (gy) gy[i] = d;
  }
  return loss;
}

function randomArray(n: number, rng: Rng, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = scale * rng.normal();
  return a;
}

for (const act of ['relu', 'tanh', 'sigmoid', 'linear'] as Activation[]) {
  test(`backprop equals central finite differences (${act} hidden layers) to 1e-6 relative`, () => {
    const rng = new Rng(11);
    const layers = createMlp(5, [{ outputs: 7, activation: act }, { outputs: 6, activation: act }, { outputs: 3, activation: 'linear' }], rng);
    for (const l of layers) l.bias.set(randomArray(l.outputs, rng, 0.3));
    const rows = 4;
    const x = randomArray(rows * 5, rng);
    const t = randomArray(rows * 3, rng);
    const tape = createTape(layers, rows);
    const y = mlpForward(layers, x, rows, tape);
    const gy = new Float64Array(rows * 3);
    for (let i = 0; i < gy.length; i++) gy[i] = y[i] - t[i];
    const grads = createGradients(layers);
    const gx = new Float64Array(rows * 5);
    mlpBackward(layers, tape, gy, grads, gx);

    const h = 1e-6;
    const check = (arr: Float64Array, analytic: Float64Array, what: string): void => {
      for (let i = 0; i < arr.length; i++) {
        const keep = arr[i];
        arr[i] = keep + h;
        const up = squaredLoss(layers, x, rows, t);
        arr[i] = keep - h;
        const down = squaredLoss(layers, x, rows, t);
        arr[i] = keep;
        const numeric = (up - down) / (2 * h);
        const err = Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(numeric), Math.abs(analytic[i]));
        assert.ok(err <= 1e-6, `${what}[${i}]: analytic ${analytic[i]} vs numeric ${numeric} (rel ${err})`);
      }
    };
    const params = parameterArrays(layers);
    const g = gradientArrays(grads);
    params.forEach((p, i) => check(p, g[i], `param ${i}`));
    check(x, gx, 'input');
  });
}

test('gradients accumulate over calls and a frozen network gives input gradients only', () => {
  const rng = new Rng(3);
  const layers = createMlp(3, [{ outputs: 4, activation: 'tanh' }, { outputs: 2, activation: 'linear' }], rng);
  const x = randomArray(6, rng);
  const tape = createTape(layers, 2);
  mlpForward(layers, x, 2, tape);
  const gy = Float64Array.from([1, -1, 0.5, 2]);
  const once = createGradients(layers);
  mlpBackward(layers, tape, gy, once);
  const twice = createGradients(layers);
  mlpBackward(layers, tape, gy, twice);
  mlpBackward(layers, tape, gy, twice);
  for (let i = 0; i < once.weights[0].length; i++) assert.ok(Math.abs(twice.weights[0][i] - 2 * once.weights[0][i]) < 1e-12);
  const gx = new Float64Array(6);
  mlpBackward(layers, tape, gy, undefined, gx);
  assert.ok(gx.some((v) => v !== 0));
});

test('hand-computed forward pass of a 2-2-1 relu network', () => {
  const layers: DenseLayer[] = [
    { inputs: 2, outputs: 2, weights: Float64Array.from([1, -1, 2, 1]), bias: Float64Array.from([0, -1]), activation: 'relu' },
    { inputs: 2, outputs: 1, weights: Float64Array.from([3, -2]), bias: Float64Array.from([0.5]), activation: 'linear' },
  ];
  // x = (1, 2): z1 = (1−2, 2+2−1) = (−1, 3) → relu (0, 3); y = 0 − 6 + 0.5 = −5.5
  const y = mlpPredict(layers, { rows: 1, cols: 2, data: Float64Array.from([1, 2]) });
  assert.equal(y.data[0], -5.5);
});

test('Adam fits a small regression and seeded training reproduces exactly', () => {
  const train = (seed: number): { loss0: number; loss1: number; w: Float64Array } => {
    const rng = new Rng(seed);
    const layers = createMlp(2, [{ outputs: 16, activation: 'tanh' }, { outputs: 1, activation: 'linear' }], rng);
    const rows = 64;
    const x = randomArray(rows * 2, new Rng(99));
    const t = new Float64Array(rows);
    for (let r = 0; r < rows; r++) t[r] = Math.sin(x[2 * r]) + x[2 * r + 1] * x[2 * r + 1] * 0.5;
    const loss0 = squaredLoss(layers, x, rows, t);
    const adam = new Adam(parameterArrays(layers), { learningRate: 0.02 });
    const grads = createGradients(layers);
    const tape = createTape(layers, rows);
    const gy = new Float64Array(rows);
    for (let it = 0; it < 300; it++) {
      const y = mlpForward(layers, x, rows, tape);
      for (let r = 0; r < rows; r++) gy[r] = y[r] - t[r];
      for (const w of gradientArrays(grads)) w.fill(0);
      mlpBackward(layers, tape, gy, grads);
      adam.step(gradientArrays(grads), 1 / rows);
    }
    return { loss0, loss1: squaredLoss(layers, x, rows, t), w: cloneLayers(layers)[0].weights };
  };
  const a = train(5);
  assert.ok(a.loss1 < 0.05 * a.loss0, `loss ${a.loss0} -> ${a.loss1}`);
  const b = train(5);
  assert.deepEqual(b.w, a.w);
  const c = train(6);
  assert.notDeepEqual(c.w, a.w);
});

test('bad shapes and options are rejected by message', () => {
  const rng = new Rng(1);
  const layers = createMlp(3, [{ outputs: 2, activation: 'relu' }], rng);
  assert.throws(() => checkLayers(layers, 4, 'phi'), /phi: layer 0 takes 3 inputs but receives 4/);
  assert.throws(() => new Adam(parameterArrays(layers), { learningRate: 0 }), /learningRate must be > 0/);
  assert.throws(() => createMlp(3, [{ outputs: 0, activation: 'relu' }], rng), /positive integer sizes/);
});

test('mlpPredictAsync equals mlpPredict across chunk borders and honours an abort', async () => {
  const rng = new Rng(8);
  const layers = createMlp(4, [{ outputs: 5, activation: 'relu' }, { outputs: 2, activation: 'linear' }], rng);
  const X = { rows: 25, cols: 4, data: randomArray(100, rng) };
  const sync = mlpPredict(layers, X);
  const chunked = await mlpPredictAsync(layers, X, undefined, 7);
  assert.deepEqual(chunked.data, sync.data);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(mlpPredictAsync(layers, X, { signal: controller.signal }), { name: 'CancelledError' });
});
