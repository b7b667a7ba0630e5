/**
 * Feature flipping (neon-method.md, "Judging an explanation"; paper Fig. 5; Samek et al.,
 * IEEE TNNLS 2017) and insertion (Petsiuk et al., BMVC 2018), toward several references so
 * the test favours no root point (issue 13).
 *
 * For each point x (assigned cluster c, fixed for the whole curve) every method explains x
 * once; then, for each reference value a removed feature takes:
 *  - deletion: the features are replaced by the reference's values in order of *decreasing*
 *    relevance and f_c is recomputed after each step. A faithful explanation makes the curve
 *    fall fast: lower area is better;
 *  - insertion: starting from the reference, x's features are put back in order of decreasing
 *    relevance (the same points as removing the *least* relevant first, read backwards). A
 *    faithful explanation makes the curve rise fast: higher area is better.
 * Step s of `steps` moves the first round(s·D/steps) features of the ranking; by default one
 * step per feature up to 256 features. A curve is the mean over points of f_c after each step;
 * its area (trapezoid over the fraction moved, 0..1) is divided by |mean f_c(x)| (the raw area
 * when that is 0).
 *
 * References (each curve says which):
 *  - 'mean': the data mean (`options.reference`), the paper's choice. On standardised tables
 *    it is 0, gradient×input's own root point, so alone it favours gradient×input;
 *  - 'competitor-centroid': the input-space centroid of x's nearest competitor (the cluster
 *    holding the largest share of x's evidence), i.e. moving x toward the decision boundary
 *    and across it, the question NEON's midpoint rule answers;
 *  - 'other-cluster-row': a row of another cluster, drawn at random (seeded) for each point.
 * The methods are the same whatever the reference (integrated gradients integrates from the
 * data mean, NEON uses its configured rule), so a method cannot tune itself to one test.
 *
 * Ties in relevance keep feature order (stable sort), so curves are reproducible.
 */
import { OptionError } from '../errors';
import { Pacer, throttledProgress, throwIfAborted } from '../jobs';
import { DEFAULT_IG_STEPS, explainWith } from '../relevance/baselines';
import { Rng } from '../rng';
import type { ExplanationMethod, FlippingCurve, FlippingDirection, FlippingReferenceKind, JobHooks, Matrix, NeuralizedModel } from '../types';

/** Default cap on the number of curve steps (one per feature below it). */
export const MAX_DEFAULT_STEPS = 256;

/** All references and both directions, as the pipeline and `evaluate` report them. */
export const FLIPPING_REFERENCES: readonly FlippingReferenceKind[] = ['mean', 'competitor-centroid', 'other-cluster-row'];
export const FLIPPING_DIRECTIONS: readonly FlippingDirection[] = ['deletion', 'insertion'];

/** How each reference is named for people (panel, CLI). */
export const REFERENCE_NAMES: Readonly<Record<FlippingReferenceKind, string>> = {
  mean: 'data mean',
  'competitor-centroid': "nearest competitor's centroid",
  'other-cluster-row': 'random row of another cluster',
};

export interface FlippingOptions {
  /** The data mean (length D): the 'mean' reference, and integrated gradients' baseline. */
  readonly reference: Float64Array;
  /** References to flip toward; default ['mean']. */
  readonly references?: readonly FlippingReferenceKind[];
  /** Curves to draw; default ['deletion']. */
  readonly directions?: readonly FlippingDirection[];
  /**
   * Input-space centroid of each cluster (K × D) for 'competitor-centroid'; default: the mean
   * of the rows of X the model assigns to each cluster (the data mean for an empty cluster).
   */
  readonly clusterCentroids?: Float64Array;
  /** Seed of the 'other-cluster-row' draws. Default 0. */
  readonly seed?: number;
  /** Curve steps; default min(D, 256). */
  readonly steps?: number;
  /** Integrated-gradients intervals. Default 32. */
  readonly igSteps?: number;
}

/**
 * Curves for `methods` × `references` × `directions` (in that nesting order) on the given rows
 * of X (row indices; the pool of 'other-cluster-row' references too). Throws OptionError for
 * mismatched widths, bad steps or rows; CancelledError when hooks.signal fires.
 */
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
  const references = options.references ?? ['mean'];
  const directions = options.directions ?? ['deletion'];
  if (references.length === 0 || directions.length === 0) throw new OptionError('feature flipping: at least one reference and one direction are needed');
  if (options.clusterCentroids && options.clusterCentroids.length !== model.k * d) {
    throw new OptionError(`feature flipping: clusterCentroids hold ${options.clusterCentroids.length} values, expected k x D = ${model.k} x ${d}`);
  }
  const igSteps = options.igSteps ?? DEFAULT_IG_STEPS;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (!Number.isInteger(i) || i < 0 || i >= X.rows) throw new OptionError(`feature flipping: row ${i} is outside 0..${X.rows - 1}`);
  }
  throwIfAborted(hooks);
  const mean = options.reference;
  const report = throttledProgress(hooks);
  const pacer = new Pacer(hooks, 50);

  // The sampled rows' clusters: the pool of other-cluster rows, and the default centroids.
  const x = new Float64Array(d);
  const assigned = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    x.set(X.data.subarray(rows[r] * d, rows[r] * d + d));
    assigned[r] = model.assign(x);
  }
  const needCentroids = references.includes('competitor-centroid');
  const centroids = needCentroids ? (options.clusterCentroids ?? await assignedCentroids(model, X, mean, hooks)) : undefined;
  const rng = new Rng(options.seed ?? 0);

  const curveCount = methods.length * references.length * directions.length;
  const curves = Array.from({ length: curveCount }, () => new Float64Array(steps + 1));
  // Per-call times: their median is the time per explanation (robust to a preempted call on a
  // busy machine, which would dominate a mean).
  const callMs = methods.map(() => new Float64Array(rows.length));
  const flipped = new Float64Array(d);
  const order = new Int32Array(d);
  const moved = new Int32Array(steps + 1);
  for (let s = 0; s <= steps; s++) moved[s] = Math.round((s * d) / steps);
  const refs = references.map(() => new Float64Array(d));
  const total = rows.length * methods.length;
  let startSum = 0;
  // One untimed explanation per method first: the timings below are per explanation, not the
  // JIT's first compilation of each code path.
  if (rows.length > 0) {
    x.set(X.data.subarray(rows[0] * d, rows[0] * d + d));
    for (const method of methods) for (let rep = 0; rep < 20; rep++) explainWith(method, model, x, assigned[0], mean, igSteps);
  }

  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    x.set(X.data.subarray(i * d, i * d + d));
    const c = assigned[r];
    startSum += model.evidence(x, c);
    // This point's reference values, one vector per reference kind.
    references.forEach((kind, t) => fillReference(kind, refs[t], { model, x, c, mean, centroids, X, rows, assigned, rng }));
    for (let m = 0; m < methods.length; m++) {
      const t0 = performance.now();
      const relevance = explainWith(methods[m], model, x, c, mean, igSteps);
      callMs[m][r] = performance.now() - t0;
      rankDecreasing(relevance, order);
      for (let t = 0; t < references.length; t++) {
        const ref = refs[t];
        for (let v = 0; v < directions.length; v++) {
          const curve = curves[(m * references.length + t) * directions.length + v];
          const insertion = directions[v] === 'insertion';
          // Deletion moves x toward the reference; insertion moves the reference toward x.
          const from = insertion ? ref : x;
          const to = insertion ? x : ref;
          flipped.set(from);
          curve[0] += model.evidence(flipped, c);
          let done = 0;
          for (let s = 1; s <= steps; s++) {
            for (; done < moved[s]; done++) flipped[order[done]] = to[order[done]];
            curve[s] += model.evidence(flipped, c);
          }
        }
      }
      await pacer.tick(() => report({ stage: 'feature flipping', fraction: (r * methods.length + m + 1) / total }));
    }
  }
  throwIfAborted(hooks);
  report({ stage: 'feature flipping', fraction: 1 });

  const count = Math.max(1, rows.length);
  const scale = Math.abs(startSum / count);
  const explainMs = callMs.map(median);
  const out: FlippingCurve[] = [];
  methods.forEach((method, m) => {
    references.forEach((reference, t) => {
      directions.forEach((direction, v) => {
        const curve = curves[(m * references.length + t) * directions.length + v];
        for (let s = 0; s <= steps; s++) curve[s] /= count;
        let area = 0;
        for (let s = 0; s < steps; s++) area += (curve[s] + curve[s + 1]) / (2 * steps);
        out.push({
          method,
          curve,
          area: scale > 0 ? area / scale : area,
          msPerExplanation: explainMs[m],
          reference,
          referenceName: REFERENCE_NAMES[reference],
          direction,
        });
      });
    });
  });
  return out;
}

interface ReferenceContext {
  readonly model: NeuralizedModel;
  readonly x: Float64Array;
  readonly c: number;
  readonly mean: Float64Array;
  readonly centroids?: Float64Array;
  readonly X: Matrix;
  readonly rows: ArrayLike<number>;
  readonly assigned: Int32Array;
  readonly rng: Rng;
}

function fillReference(kind: FlippingReferenceKind, out: Float64Array, ctx: ReferenceContext): void {
  const d = out.length;
  if (kind === 'mean') {
    out.set(ctx.mean);
    return;
  }
  if (kind === 'competitor-centroid') {
    // The competitor holding the largest share of the evidence (min-takes-most: the nearest).
    const shares = ctx.model.explain(ctx.x, ctx.c).competitorShares;
    let q = -1;
    for (let k = 0; k < shares.length; k++) if (k !== ctx.c && (q < 0 || Math.abs(shares[k]) > Math.abs(shares[q]))) q = k;
    if (q < 0 || !ctx.centroids) out.set(ctx.mean);
    else out.set(ctx.centroids.subarray(q * d, (q + 1) * d));
    return;
  }
  // A random row of another cluster from the sampled rows (the mean if every row is in c).
  const { rows, assigned, rng, c } = ctx;
  let others = 0;
  for (let r = 0; r < rows.length; r++) if (assigned[r] !== c) others++;
  if (others === 0) {
    out.set(ctx.mean);
    return;
  }
  let pick = rng.int(others);
  for (let r = 0; r < rows.length; r++) {
    if (assigned[r] === c) continue;
    if (pick-- === 0) {
      out.set(ctx.X.data.subarray(rows[r] * d, rows[r] * d + d));
      return;
    }
  }
}

/** Mean of the rows of X assigned to each cluster (K × D); the data mean for empty clusters. */
async function assignedCentroids(model: NeuralizedModel, X: Matrix, mean: Float64Array, hooks?: JobHooks): Promise<Float64Array> {
  const { k } = model;
  const d = X.cols;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const pacer = new Pacer(hooks, 50);
  for (let i = 0; i < X.rows; i++) {
    const x = X.data.subarray(i * d, (i + 1) * d);
    const c = model.assign(x);
    counts[c]++;
    for (let j = 0; j < d; j++) sums[c * d + j] += x[j];
    if ((i & 1023) === 1023) await pacer.tick();
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) sums[c * d + j] = counts[c] > 0 ? sums[c * d + j] / counts[c] : mean[j];
  return sums;
}

function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const h = sorted.length >> 1;
  return sorted.length % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** Writes into `order` the feature indices sorted by decreasing relevance (stable). */
function rankDecreasing(relevance: Float64Array, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => relevance[b] - relevance[a] || a - b);
}
