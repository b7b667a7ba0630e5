/**
 * Stochastic gates (Yamada et al., "Feature selection using stochastic gates", ICML 2020), as
 * used by Interpretable Deep Clustering: a gate is a clipped Gaussian
 *   z = clamp(μ + 0.5 + σ ε, 0, 1),  ε ~ N(0, 1)   (training),
 *   z = clamp(μ + 0.5, 0, 1)                       (deterministic, at test time),
 * so μ = 0 is half open, μ ≥ 0.5 fully open, μ ≤ −0.5 closed. The expected number of open
 * gates is differentiable: P(z > 0) = Φ((μ + 0.5) / σ), the sparsity penalty.
 */
import type { Rng } from '../rng';

/** σ of the gate noise during training (the STG paper's default). */
export const GATE_NOISE = 0.5;

/** z = clamp(μ + 0.5 + σ ε, 0, 1); records whether the gate is inside (0, 1) (gradient passes) in `pass`. */
export function sampleGates(mu: Float64Array, n: number, sigma: number, rng: Rng | undefined, z: Float64Array, pass: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    const v = mu[i] + 0.5 + (rng ? sigma * rng.normal() : 0);
    if (v <= 0) {
      z[i] = 0;
      pass[i] = 0;
    } else if (v >= 1) {
      z[i] = 1;
      pass[i] = 0;
    } else {
      z[i] = v;
      pass[i] = 1;
    }
  }
}

/** Deterministic gate value clamp(μ + 0.5, 0, 1). */
export function gateValue(mu: number): number {
  const v = mu + 0.5;
  return v <= 0 ? 0 : v >= 1 ? 1 : v;
}

/** P(gate open) = Φ((μ + 0.5)/σ) and its derivative with respect to μ. */
export function openProbability(mu: number, sigma: number): { p: number; dp: number } {
  const t = (mu + 0.5) / sigma;
  return { p: normalCdf(t), dp: Math.exp(-0.5 * t * t) / (Math.sqrt(2 * Math.PI) * sigma) };
}

/** Standard normal CDF via erfc (W. J. Cody's rational Chebyshev fit, |error| < 1.2e-7). */
export function normalCdf(t: number): number {
  return 0.5 * erfc(-t / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
