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
import type { ExplanationMethod, Matrix, NeuralizedModel, Relevance } from '../types';

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
  checkIgArguments(d, reference, steps);
  const avg = new Float64Array(d);
  integratedGradientsInto(model, x, c, reference, steps, avg, new Float64Array(d), new Float64Array(d));
  return avg;
}

/**
 * One method's relevances for a batch of rows, written into `out` (rows.length × D, row-major):
 * the numbers `explainWith` gives row by row, computed the way a batch is (the product's
 * explain-all, the cost comparison of bench/faithfulness.ts): no result array and no scratch
 * allocated per row, for every method alike — for a 4–13-column table one allocation costs
 * about as much as NEON's whole explanation, and would hide the methods' own cost.
 * @param X the data (N × D); `rows` index into it, `clusters[r]` is row r's cluster
 * @param reference integrated gradients' baseline (length D)
 * @throws OptionError when shapes disagree or igSteps is not an integer ≥ 1
 */
export function explainRowsInto(
  method: ExplanationMethod,
  model: NeuralizedModel,
  X: Matrix,
  rows: ArrayLike<number>,
  clusters: ArrayLike<number>,
  reference: Float64Array,
  out: Float64Array,
  igSteps: number = DEFAULT_IG_STEPS,
): void {
  const d = model.dim;
  if (X.cols !== d) throw new OptionError(`explain (${method}): data have ${X.cols} features, the model expects ${d}`);
  if (clusters.length !== rows.length) throw new OptionError(`explain (${method}): ${rows.length} rows but ${clusters.length} clusters`);
  if (out.length !== rows.length * d) throw new OptionError(`explain (${method}): output has ${out.length} values, expected ${rows.length} x ${d}`);
  if (method === 'integrated-gradients') checkIgArguments(d, reference, igSteps);
  const point = new Float64Array(d);
  const g = new Float64Array(d);
  for (let r = 0; r < rows.length; r++) {
    const x = X.data.subarray(rows[r] * d, (rows[r] + 1) * d);
    const target = out.subarray(r * d, (r + 1) * d);
    const c = clusters[r];
    switch (method) {
      case 'neon':
        if (model.relevanceInto) model.relevanceInto(x, c, target);
        else target.set(model.relevance ? model.relevance(x, c) : model.explain(x, c).relevance);
        break;
      case 'sensitivity':
        model.gradient(x, c, target);
        for (let i = 0; i < d; i++) target[i] *= target[i];
        break;
      case 'gradient-x-input':
        model.gradient(x, c, target);
        for (let i = 0; i < d; i++) target[i] *= x[i];
        break;
      case 'integrated-gradients':
        integratedGradientsInto(model, x, c, reference, igSteps, target, point, g);
        break;
      default:
        assertUnreachable(method);
    }
  }
}

/**
 * Integrated gradients' own arguments, checked once for a row or a batch.
 * @param d the model's input dimension D
 * @throws OptionError when `reference` does not have D values, or `steps` is not an integer ≥ 1
 */
function checkIgArguments(d: number, reference: Float64Array, steps: number): void {
  if (reference.length !== d) throw new OptionError(`integrated gradients: reference has ${reference.length} features, the model expects ${d}`);
  if (!Number.isInteger(steps) || steps < 1) throw new OptionError(`integrated gradients: steps must be an integer >= 1, got ${steps}`);
}

/** The trapezoid sum of `integratedGradients` into `out`, with caller-owned scratch (point, g: length D). */
function integratedGradientsInto(model: NeuralizedModel, x: Float64Array, c: number, reference: Float64Array, steps: number, out: Float64Array, point: Float64Array, g: Float64Array): void {
  const d = model.dim;
  out.fill(0);
  for (let s = 0; s <= steps; s++) {
    const alpha = s / steps;
    for (let i = 0; i < d; i++) point[i] = reference[i] + alpha * (x[i] - reference[i]);
    model.gradient(point, c, g);
    const w = s === 0 || s === steps ? 0.5 / steps : 1 / steps;
    for (let i = 0; i < d; i++) out[i] += w * g[i];
  }
  for (let i = 0; i < d; i++) out[i] *= x[i] - reference[i];
}

function assertUnreachable(x: never): never {
  throw new OptionError(`unknown explanation method '${String(x)}'`);
}
