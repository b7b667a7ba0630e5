/**
 * A small multilayer perceptron: a stack of `DenseLayer`s (plain data, so a trained network
 * goes into the model file and through postMessage as is) with a batched forward pass that
 * records what the backward pass needs, and exact backpropagation.
 *
 * Why our own and not a library: the networks here are tiny (tens of units, a few thousand
 * rows) and must run in the extension's worker, the CLI and plain unit tests on any platform.
 * @tensorflow/tfjs-node downloads a native binary at install time (breaks offline installs and
 * the packaged .vsix), native add-ons need a toolchain per platform, and pure-JS
 * @tensorflow/tfjs is several MB for work that a few hundred lines of loops over
 * Float64Array do in milliseconds. Owning the code also gives the exact layer-wise quantities
 * (pre-activations, weights) that deep-Taylor relevance propagation needs.
 */
import { OptionError } from '../errors';
import type { Rng } from '../rng';
import { Pacer, throwIfAborted } from '../jobs';
import type { Activation, DenseLayer, JobHooks, Matrix } from '../types';
import { createDenseLayer, denseBackward, denseForward } from './dense';

export interface LayerSpec {
  readonly outputs: number;
  readonly activation: Activation;
}

/** Layers inputs -> specs[0].outputs -> ... with seeded He/Glorot initialisation. */
export function createMlp(inputs: number, specs: readonly LayerSpec[], rng: Rng): DenseLayer[] {
  if (specs.length === 0) throw new OptionError('An MLP needs at least one layer');
  const layers: DenseLayer[] = [];
  let nIn = inputs;
  for (const s of specs) {
    layers.push(createDenseLayer(nIn, s.outputs, s.activation, rng));
    nIn = s.outputs;
  }
  return layers;
}

export function outputSize(layers: readonly DenseLayer[]): number {
  return layers[layers.length - 1].outputs;
}

/** Deep copy (weights are mutated in place by the optimiser). */
export function cloneLayers(layers: readonly DenseLayer[]): DenseLayer[] {
  return layers.map((l) => ({ ...l, weights: Float64Array.from(l.weights), bias: Float64Array.from(l.bias) }));
}

/** Checks that consecutive layers fit together and the arrays have their stated sizes. */
export function checkLayers(layers: readonly DenseLayer[], inputs: number, what: string): void {
  let nIn = inputs;
  layers.forEach((l, i) => {
    if (l.inputs !== nIn) throw new OptionError(`${what}: layer ${i} takes ${l.inputs} inputs but receives ${nIn}`);
    if (l.weights.length !== l.inputs * l.outputs || l.bias.length !== l.outputs) {
      throw new OptionError(`${what}: layer ${i} has ${l.weights.length} weights and ${l.bias.length} biases for ${l.inputs} -> ${l.outputs}`);
    }
    nIn = l.outputs;
  });
}

/**
 * Buffers of one forward pass for up to `capacity` rows: pre-activations z[l], activations
 * a[l], scratch gradients g[l] and the input it was run on. Reused across mini-batches.
 */
export interface MlpTape {
  readonly capacity: number;
  rows: number;
  input: Float64Array;
  readonly z: Float64Array[];
  readonly a: Float64Array[];
  readonly g: Float64Array[];
}

export function createTape(layers: readonly DenseLayer[], capacity: number): MlpTape {
  return {
    capacity,
    rows: 0,
    input: new Float64Array(0),
    z: layers.map((l) => new Float64Array(capacity * l.outputs)),
    a: layers.map((l) => new Float64Array(capacity * l.outputs)),
    g: layers.map((l) => new Float64Array(capacity * l.outputs)),
  };
}

/**
 * Runs `rows` rows of `x` (rows × inputs) through the network, recording into `tape`.
 * Returns the output activations (a view of the tape: rows × outputs valid entries).
 * `x` is kept by reference for the backward pass: do not overwrite it before then.
 */
export function mlpForward(layers: readonly DenseLayer[], x: Float64Array, rows: number, tape: MlpTape): Float64Array {
  if (rows > tape.capacity) throw new OptionError(`Batch of ${rows} rows exceeds the tape capacity ${tape.capacity}`);
  tape.rows = rows;
  tape.input = x;
  let input = x;
  for (let l = 0; l < layers.length; l++) {
    denseForward(layers[l], input, rows, tape.z[l], tape.a[l]);
    input = tape.a[l];
  }
  return tape.a[layers.length - 1];
}

export interface MlpGradients {
  readonly weights: Float64Array[];
  readonly bias: Float64Array[];
}

export function createGradients(layers: readonly DenseLayer[]): MlpGradients {
  return { weights: layers.map((l) => new Float64Array(l.weights.length)), bias: layers.map((l) => new Float64Array(l.bias.length)) };
}

export function zeroGradients(g: MlpGradients): void {
  for (const w of g.weights) w.fill(0);
  for (const b of g.bias) b.fill(0);
}

/** Parameter arrays in a fixed order [W0, b0, W1, b1, ...] (for the optimiser). */
export function parameterArrays(layers: readonly DenseLayer[]): Float64Array[] {
  return layers.flatMap((l) => [l.weights, l.bias]);
}

/** Gradient arrays in the order of `parameterArrays`. */
export function gradientArrays(g: MlpGradients): Float64Array[] {
  return g.weights.flatMap((w, i) => [w, g.bias[i]]);
}

/**
 * Backpropagates dL/d(output) (rows × outputs, not modified) through the recorded pass.
 * Adds parameter gradients into `grads` (pass undefined to skip them, e.g. for a frozen
 * network) and writes dL/dx (rows × inputs) into `gradInput` when given.
 */
export function mlpBackward(
  layers: readonly DenseLayer[],
  tape: MlpTape,
  gradOutput: Float64Array,
  grads: MlpGradients | undefined,
  gradInput?: Float64Array,
): void {
  const rows = tape.rows;
  const last = layers.length - 1;
  tape.g[last].set(gradOutput.subarray(0, rows * layers[last].outputs));
  for (let l = last; l >= 0; l--) {
    const x = l === 0 ? tape.input : tape.a[l - 1];
    const gx = l === 0 ? gradInput : tape.g[l - 1];
    denseBackward(layers[l], x, tape.z[l], tape.a[l], rows, tape.g[l], grads?.weights[l], grads?.bias[l], gx);
  }
}

/** Network output for every row of X (computed in batches to bound memory). */
export function mlpPredict(layers: readonly DenseLayer[], X: Matrix, batch = 512): Matrix {
  const out = outputSize(layers);
  const result = new Float64Array(X.rows * out);
  const tape = createTape(layers, Math.min(batch, Math.max(1, X.rows)));
  for (let r0 = 0; r0 < X.rows; r0 += tape.capacity) {
    const rows = Math.min(tape.capacity, X.rows - r0);
    const y = mlpForward(layers, X.data.subarray(r0 * X.cols, (r0 + rows) * X.cols), rows, tape);
    result.set(y.subarray(0, rows * out), r0 * out);
  }
  return { rows: X.rows, cols: out, data: result };
}

/**
 * `mlpPredict` for long inputs inside a job: rows in chunks, the abort signal checked between
 * chunks and the event loop given a turn every ~30 ms, so a cancel is seen promptly even
 * when one pass over the data takes seconds.
 */
export async function mlpPredictAsync(layers: readonly DenseLayer[], X: Matrix, hooks?: JobHooks, chunk = 2048): Promise<Matrix> {
  const out = outputSize(layers);
  const result = new Float64Array(X.rows * out);
  const tape = createTape(layers, Math.min(chunk, Math.max(1, X.rows)));
  const pacer = new Pacer(hooks, 30);
  for (let r0 = 0; r0 < X.rows; r0 += tape.capacity) {
    await pacer.tick();
    const rows = Math.min(tape.capacity, X.rows - r0);
    const y = mlpForward(layers, X.data.subarray(r0 * X.cols, (r0 + rows) * X.cols), rows, tape);
    result.set(y.subarray(0, rows * out), r0 * out);
  }
  throwIfAborted(hooks);
  return { rows: X.rows, cols: out, data: result };
}
