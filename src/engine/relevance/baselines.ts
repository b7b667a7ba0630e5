/**
 * Explanation methods compared in feature flipping (neon-method.md, "Judging an
 * explanation"), all computed on the same neuralized model:
 *   neon                  — the model's own backward pass (LRP through the network);
 *   sensitivity           — (∂f_c/∂x_i)², as in the paper (unsigned);
 *   gradient-x-input      — x_i · ∂f_c/∂x_i;
 *   integrated-gradients  — (x_i − r_i) · ∫₀¹ ∂f_c/∂x_i (r + α(x − r)) dα from the reference r,
 *                           trapezoid rule with `igSteps` intervals (igSteps + 1 gradients).
 *                           Completeness: Σ_i IG_i ≈ f_c(x) − f_c(r), exact for piecewise-linear
 *                           f up to the kinks the grid straddles, O(1/steps²) for smooth f.
 */
import { OptionError } from '../errors';
import type { ExplanationMethod, NeuralizedModel, Relevance } from '../types';

export const DEFAULT_IG_STEPS = 32;

export function explainWith(
  method: ExplanationMethod,
  model: NeuralizedModel,
  x: Float64Array,
  c: number,
  reference: Float64Array,
  igSteps: number = DEFAULT_IG_STEPS,
): Relevance {
  const d = model.dim;
  if (x.length !== d) throw new OptionError(`explain (${method}): input has ${x.length} features, the model expects ${d}`);
  switch (method) {
    case 'neon':
      return model.relevance ? model.relevance(x, c) : model.explain(x, c).relevance;
    case 'sensitivity': {
      const g = new Float64Array(d);
      model.gradient(x, c, g);
      for (let i = 0; i < d; i++) g[i] *= g[i];
      return g;
    }
    case 'gradient-x-input': {
      const g = new Float64Array(d);
      model.gradient(x, c, g);
      for (let i = 0; i < d; i++) g[i] *= x[i];
      return g;
    }
    case 'integrated-gradients':
      return integratedGradients(model, x, c, reference, igSteps);
    default:
      return assertUnreachable(method);
  }
}

/** Integrated gradients along the straight path reference → x (trapezoid rule). */
export function integratedGradients(
  model: NeuralizedModel,
  x: Float64Array,
  c: number,
  reference: Float64Array,
  steps: number = DEFAULT_IG_STEPS,
): Relevance {
  const d = model.dim;
  if (reference.length !== d) throw new OptionError(`integrated gradients: reference has ${reference.length} features, the model expects ${d}`);
  if (!Number.isInteger(steps) || steps < 1) throw new OptionError(`integrated gradients: steps must be an integer >= 1, got ${steps}`);
  const point = new Float64Array(d);
  const g = new Float64Array(d);
  const avg = new Float64Array(d);
  for (let s = 0; s <= steps; s++) {
    const alpha = s / steps;
    for (let i = 0; i < d; i++) point[i] = reference[i] + alpha * (x[i] - reference[i]);
    model.gradient(point, c, g);
    const w = s === 0 || s === steps ? 0.5 / steps : 1 / steps;
    for (let i = 0; i < d; i++) avg[i] += w * g[i];
  }
  for (let i = 0; i < d; i++) avg[i] *= x[i] - reference[i];
  return avg;
}

function assertUnreachable(x: never): never {
  throw new OptionError(`unknown explanation method '${String(x)}'`);
}
