/**
 * Element-wise activations of a dense layer and their derivatives, on flat arrays.
 * The derivative is written in terms of the pre-activation z and the activation a, whichever
 * is cheaper (relu, linear: z; sigmoid, tanh: a), so a backward pass needs no extra storage.
 */
import type { Activation } from '../types';

/** a[i] = act(z[i]) for i < n. `a` may be `z` (in place). */
export function applyActivation(activation: Activation, z: Float64Array, a: Float64Array, n: number): void {
  switch (activation) {
    case 'relu':
      for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : 0;
      return;
    case 'linear':
      if (a !== z) for (let i = 0; i < n; i++) a[i] = z[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = z[i];
        // Two branches keep exp() from overflowing for large |v|.
        a[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]);
      return;
    default:
      assertUnreachable(activation);
  }
}

/**
 * Turns dL/da into dL/dz in place: g[i] *= act'(z[i]). For relu the derivative at exactly 0
 * is taken as 0 (the subgradient used by every framework).
 */
export function activationBackward(activation: Activation, z: Float64Array, a: Float64Array, g: Float64Array, n: number): void {
  switch (activation) {
    case 'relu':
      for (let i = 0; i < n; i++) if (!(z[i] > 0)) g[i] = 0;
      return;
    case 'linear':
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) g[i] *= a[i] * (1 - a[i]);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) g[i] *= 1 - a[i] * a[i];
      return;
    default:
      assertUnreachable(activation);
  }
}

export function assertUnreachable(x: never): never {
  throw new Error(`Unexpected value: ${String(x)}`);
}
