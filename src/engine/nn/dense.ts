/**
 * One fully connected layer on a batch of rows: z = x Wᵀ + b, a = act(z).
 * Flat row-major arrays throughout (x: rows × inputs, z and a: rows × outputs); nothing is
 * allocated per call, the caller owns every buffer.
 */
import { OptionError } from '../errors';
import type { Rng } from '../rng';
import type { Activation, DenseLayer } from '../types';
import { activationBackward, applyActivation } from './activation';

/**
 * He initialisation (std √(2/fan_in)) keeps relu activations at a stable scale through depth;
 * Glorot (std √(2/(fan_in + fan_out))) does the same for symmetric activations and linear outputs.
 */
export type InitScheme = 'he' | 'glorot';

export function createDenseLayer(
  inputs: number,
  outputs: number,
  activation: Activation,
  rng: Rng,
  scheme: InitScheme = activation === 'relu' ? 'he' : 'glorot',
): DenseLayer {
  if (!Number.isInteger(inputs) || inputs < 1 || !Number.isInteger(outputs) || outputs < 1) {
    throw new OptionError(`A dense layer needs positive integer sizes, got ${inputs} -> ${outputs}`);
  }
  const std = scheme === 'he' ? Math.sqrt(2 / inputs) : Math.sqrt(2 / (inputs + outputs));
  const weights = new Float64Array(outputs * inputs);
  for (let i = 0; i < weights.length; i++) weights[i] = std * rng.normal();
  return { inputs, outputs, weights, bias: new Float64Array(outputs), activation };
}

/** z = x Wᵀ + b and a = act(z) for `rows` rows. `a` may be `z` when z is not needed later. */
export function denseForward(layer: DenseLayer, x: Float64Array, rows: number, z: Float64Array, a: Float64Array): void {
  const { inputs: nIn, outputs: nOut, weights: w, bias: b } = layer;
  for (let r = 0; r < rows; r++) {
    const xo = r * nIn;
    const zo = r * nOut;
    for (let o = 0; o < nOut; o++) {
      let s = b[o];
      const wo = o * nIn;
      for (let i = 0; i < nIn; i++) s += x[xo + i] * w[wo + i];
      z[zo + o] = s;
    }
  }
  applyActivation(layer.activation, z, a, rows * nOut);
}

/**
 * Backward pass of one layer. On entry `g` holds dL/da (rows × outputs); it is turned into
 * dL/dz in place. Adds dL/dW and dL/db into `gradW`, `gradB` (so gradients of several terms
 * or batches accumulate) and writes dL/dx into `gx` when given.
 */
export function denseBackward(
  layer: DenseLayer,
  x: Float64Array,
  z: Float64Array,
  a: Float64Array,
  rows: number,
  g: Float64Array,
  gradW: Float64Array | undefined,
  gradB: Float64Array | undefined,
  gx: Float64Array | undefined,
): void {
  const { inputs: nIn, outputs: nOut, weights: w } = layer;
  activationBackward(layer.activation, z, a, g, rows * nOut);
  if (gx) gx.fill(0, 0, rows * nIn);
  for (let r = 0; r < rows; r++) {
    const xo = r * nIn;
    const go = r * nOut;
    for (let o = 0; o < nOut; o++) {
      const gz = g[go + o];
      if (gz === 0) continue;
      const wo = o * nIn;
      if (gradB) gradB[o] += gz;
      if (gradW) for (let i = 0; i < nIn; i++) gradW[wo + i] += gz * x[xo + i];
      if (gx) for (let i = 0; i < nIn; i++) gx[xo + i] += gz * w[wo + i];
    }
  }
}
