import assert from 'node:assert/strict';
import type { NeuralizedModel } from '../../../src/engine/types';

/**
 * Asserts that `net.gradient(x, c)` matches central finite differences of `net.evidence(·, c)`
 * in every input: |numeric − analytic| ≤ tol · max(1, |numeric|). For smooth networks (soft
 * pools, smooth activations); kinks of hard pools need the caller's own care.
 */
export function assertGradientMatchesDifferences(net: NeuralizedModel, x: Float64Array, c: number, h: number, tol: number, label: string): void {
  const g = new Float64Array(x.length);
  net.gradient(x, c, g);
  for (let i = 0; i < x.length; i++) {
    const up = x.slice();
    up[i] += h;
    const down = x.slice();
    down[i] -= h;
    const numeric = (net.evidence(up, c) - net.evidence(down, c)) / (2 * h);
    assert.ok(Math.abs(numeric - g[i]) <= tol * Math.max(1, Math.abs(numeric)), `${label} dim ${i}: ${g[i]} vs ${numeric}`);
  }
}
