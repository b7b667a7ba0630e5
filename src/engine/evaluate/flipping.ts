/**
 * Feature flipping (neon-method.md, "Judging an explanation"; paper Fig. 5).
 *
 * For each point x (assigned cluster c, fixed for the whole curve) and each method, the
 * features are removed in order of decreasing relevance — replaced by the reference value
 * (e.g. the data mean) — and f_c is recomputed after each step. Step s of `steps` removes
 * the first round(s·D/steps) features of the ranking; by default one step per feature up
 * to 256 features. The curve is the mean over points of f_c after each step; its area
 * (trapezoid over the removed fraction 0..1) divided by |mean initial evidence| is the
 * score: lower = the method found the features that carry the evidence first. When the
 * mean initial evidence is 0 the raw area is reported.
 *
 * Ties in relevance keep feature order (stable sort), so curves are reproducible.
 */
import { OptionError } from '../errors';
import { Pacer, throttledProgress, throwIfAborted } from '../jobs';
import { DEFAULT_IG_STEPS, explainWith } from '../relevance/baselines';
import type { ExplanationMethod, FlippingCurve, JobHooks, Matrix, NeuralizedModel } from '../types';

/** Default cap on the number of curve steps (one per feature below it). */
export const MAX_DEFAULT_STEPS = 256;

export interface FlippingOptions {
  /** Value a removed feature takes (length D), e.g. the data mean. */
  readonly reference: Float64Array;
  /** Curve steps; default min(D, 256). */
  readonly steps?: number;
  /** Integrated-gradients intervals. Default 32. */
  readonly igSteps?: number;
}

export async function featureFlipping(
  model: NeuralizedModel,
  X: Matrix,
  rows: ArrayLike<number>,
  methods: readonly ExplanationMethod[],
  options: FlippingOptions,
  hooks?: JobHooks,
): Promise<FlippingCurve[]> {
  const d = model.dim;
  if (X.cols !== d) throw new OptionError(`feature flipping: data has ${X.cols} features, the model expects ${d}`);
  if (options.reference.length !== d) throw new OptionError(`feature flipping: reference has ${options.reference.length} features, expected ${d}`);
  const steps = options.steps ?? Math.min(d, MAX_DEFAULT_STEPS);
  if (!Number.isInteger(steps) || steps < 1 || steps > d) {
    throw new OptionError(`feature flipping: steps must be an integer in 1..${d}, got ${steps}`);
  }
  const igSteps = options.igSteps ?? DEFAULT_IG_STEPS;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (!Number.isInteger(i) || i < 0 || i >= X.rows) throw new OptionError(`feature flipping: row ${i} is outside 0..${X.rows - 1}`);
  }
  throwIfAborted(hooks);
  const reference = options.reference;
  const curves = methods.map(() => new Float64Array(steps + 1));
  const explainMs = new Float64Array(methods.length);
  const x = new Float64Array(d);
  const flipped = new Float64Array(d);
  const order = new Int32Array(d);
  const removedAt = new Int32Array(steps + 1);
  for (let s = 0; s <= steps; s++) removedAt[s] = Math.round((s * d) / steps);
  const report = throttledProgress(hooks);
  const total = rows.length * methods.length;
  const pacer = new Pacer(hooks, 50);

  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    x.set(X.data.subarray(i * d, i * d + d));
    const c = model.assign(x);
    for (let m = 0; m < methods.length; m++) {
      const t0 = performance.now();
      const relevance = explainWith(methods[m], model, x, c, reference, igSteps);
      explainMs[m] += performance.now() - t0;
      rankDecreasing(relevance, order);
      flipped.set(x);
      const curve = curves[m];
      curve[0] += model.evidence(flipped, c);
      let removed = 0;
      for (let s = 1; s <= steps; s++) {
        for (; removed < removedAt[s]; removed++) flipped[order[removed]] = reference[order[removed]];
        curve[s] += model.evidence(flipped, c);
      }
      await pacer.tick(() => report({ stage: 'feature flipping', fraction: (r * methods.length + m + 1) / total }));
    }
  }
  throwIfAborted(hooks);
  report({ stage: 'feature flipping', fraction: 1 });

  const count = Math.max(1, rows.length);
  return methods.map((method, m) => {
    const curve = curves[m];
    for (let s = 0; s <= steps; s++) curve[s] /= count;
    let area = 0;
    for (let s = 0; s < steps; s++) area += (curve[s] + curve[s + 1]) / (2 * steps);
    const scale = Math.abs(curve[0]);
    return { method, curve, area: scale > 0 ? area / scale : area, msPerExplanation: explainMs[m] / count };
  });
}

/** Writes into `order` the feature indices sorted by decreasing relevance (stable). */
function rankDecreasing(relevance: Float64Array, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => relevance[b] - relevance[a] || a - b);
}
