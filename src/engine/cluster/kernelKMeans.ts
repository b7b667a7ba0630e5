/**
 * Kernel k-means with a Gaussian kernel k(x, x') = exp(−γ ||x − x'||²), trained as in the
 * appendix of Kauffmann et al. (neon-method.md, "Kernel k-means"), then reduced to a few
 * support vectors per cluster for the neuralized network.
 *
 * Training (the "full" model, on the training points):
 * - The kernel matrix K is computed once (N_train² doubles: 3000 points = 72 MB).
 * - EM-style loop with leave-one-out centroids: point n is assigned to the cluster whose
 *   unit-norm feature-space centroid, computed without n itself, is most similar to φ(x_n):
 *       score_k(n) = Σ_{j ∈ C_k \ n} K_nj / sqrt(Σ_{j,j' ∈ C_k \ n} K_jj').
 *   Since ||φ(x)|| = 1 for a Gaussian kernel, this is "nearest unit-norm centroid", the same
 *   rule the reduced model and its network use (inlier score i_k = z_k⁻¹ Σ_j k(x, x_j)).
 *   Leaving n out matters: with a stiff kernel a point's similarity to itself would otherwise
 *   dominate its own cluster's score and nothing would ever move.
 *   All points are updated together (batch) until no label changes or maxIterations; when
 *   batch updates alternate between two labelings, sequential sweeps (one point at a time,
 *   statistics updated after every move) finish the job. A point alone in its cluster stays (its leave-one-out centroid
 *   is empty), and a cluster that would lose all its members keeps its best-scoring one, so K
 *   clusters survive.
 * - Initialisation: `initLabels` (e.g. a label column) or standard k-means (fitKMeans, seeded).
 * - More than `maxTrainingPoints` (default 3000) rows: training runs on a seeded random
 *   subsample; the other rows get the full model's (non-leave-one-out) assignment, computed
 *   from their kernel row against the training points.
 *
 * Reduction: each final cluster becomes `supportVectorsPerCluster` support vectors (small
 * k-means inside the cluster, supportVectors.ts) with bias b_k = (1/γ) log z_k. `labels` are
 * the reduced model's assignments (what the network explains), `fullLabels` the full model's;
 * `reductionAgreement` = fraction of training points on which both agree.
 *
 * Bandwidth: a number, 'median' (1 / median squared distance, loose) or 'stiff' (default in
 * the settings): the initial clusters are reduced to support vectors and γ is bisected so a
 * support vector's self-similarity is 90% of its similarity to its cluster (bandwidth.ts).
 * γ is fixed before training, so the trained and reduced models use the same kernel.
 */
import { DataError, ModelError, OptionError } from '../errors';
import { Pacer, throttledProgress } from '../jobs';
import { Rng } from '../rng';
import type { JobHooks, KernelKMeansModel, Matrix, Progress } from '../types';
import { STIFF_SELF_SHARE, medianGamma, selfSimilarityShare, stiffGamma } from './bandwidth';
import { fitKMeans } from './kmeans';
import { reduceToSupportVectors, supportVectorBias } from './supportVectors';

export interface KernelKMeansOptions {
  readonly k: number;
  readonly seed: number;
  readonly gamma: number | 'stiff' | 'median';
  readonly supportVectorsPerCluster: number;
  /** Leave-one-out EM iterations. Default 100. */
  readonly maxIterations?: number;
  /** Initial cluster of each row (0..k−1, every cluster used); default: standard k-means. */
  readonly initLabels?: Int32Array;
  /** Rows beyond this are not trained on but assigned (seeded subsample). Default 3000. */
  readonly maxTrainingPoints?: number;
  /** Target self-similarity share of the stiff heuristic. Default 0.9. */
  readonly stiffTarget?: number;
}

export interface KernelKMeansFit {
  readonly model: KernelKMeansModel;
  /** Reduced model's assignment of every row (what the neuralized network explains). */
  readonly labels: Int32Array;
  /** Full (all training points) model's assignment of every row. */
  readonly fullLabels: Int32Array;
  /** Fraction of training rows where `labels` equals `fullLabels`. */
  readonly reductionAgreement: number;
  /** Leave-one-out iterations run. */
  readonly iterations: number;
  readonly converged: boolean;
  readonly gamma: number;
  /** Self-similarity share of the final support vectors at `gamma` (see bandwidth.ts). */
  readonly selfShare: number;
  /** Number of rows the full model was trained on. */
  readonly trainingRows: number;
  readonly warnings: string[];
}

const DEFAULTS = { maxIterations: 100, maxTrainingPoints: 3000 };
/** Yield to the event loop at least this often so an abort is seen within ~100 ms. */
const YIELD_MS = 50;


/** Fits kernel k-means and its support-vector reduction; see the module comment. */
export async function fitKernelKMeans(X: Matrix, options: KernelKMeansOptions, hooks?: JobHooks): Promise<KernelKMeansFit> {
  const { rows: n, cols: d } = X;
  const k = options.k;
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  const maxTrain = options.maxTrainingPoints ?? DEFAULTS.maxTrainingPoints;
  validate(X, options, maxIterations, maxTrain);
  const warnings: string[] = [];
  const report = throttledProgress(hooks);
  const pacer = new Pacer(hooks, YIELD_MS);

  // Training subset (seeded) when the kernel matrix would be too large.
  const train = trainingRows(n, maxTrain, options.seed);
  const nt = train.length;
  const Xt = nt === n ? X : selectRows(X, train);
  if (nt < n) {
    warnings.push(`kernel k-means trained on a seeded sample of ${nt} of ${n} rows (kernel matrix limit); the other rows are assigned by the trained model.`);
  }

  // Initial labels.
  report({ stage: 'kernel k-means', fraction: 0, message: 'initialising' });
  let labels: Int32Array;
  if (options.initLabels) {
    labels = new Int32Array(nt);
    for (let t = 0; t < nt; t++) labels[t] = options.initLabels[train[t]];
    const counts = countLabels(labels, k);
    const empty = counts.findIndex((c) => c === 0);
    if (empty >= 0) throw new OptionError(`kernel k-means: initLabels leave cluster ${empty} without training rows`);
  } else {
    const init = await fitKMeans(Xt, { k, seed: options.seed }, stageHooks(hooks, report, 0, 0.05, 'k-means initialisation'));
    for (const w of init.warnings) warnings.push(`k-means initialisation: ${w}`);
    if (init.model.k < k) throw new ModelError(`kernel k-means: only ${init.model.k} rows for k = ${k} clusters`);
    labels = init.labels;
  }

  // Bandwidth.
  const gamma = await chooseGamma(Xt, labels, options, warnings, stageHooks(hooks, report, 0.05, 0.1, 'bandwidth'));

  // Kernel matrix, then the leave-one-out loop.
  report({ stage: 'kernel k-means', fraction: 0.1, message: 'kernel matrix' });
  const K = await kernelMatrix(Xt, gamma, pacer);
  const loop = await leaveOneOutLoop(K, nt, k, labels, maxIterations, pacer, (it) =>
    report({ stage: 'kernel k-means', fraction: 0.2 + (0.4 * it) / maxIterations, message: `iteration ${it}` }),
  );
  labels = loop.labels;
  if (!loop.converged) warnings.push(`kernel k-means: labels still changing after ${maxIterations} iterations; kept the last.`);

  // Full-model labels of every row.
  const fullLabels = new Int32Array(n);
  if (nt === n) fullLabels.set(labels);
  else {
    await assignRest(X, Xt, train, labels, K, k, gamma, fullLabels, pacer, (done) =>
      report({ stage: 'kernel k-means', fraction: 0.6 + (0.25 * done) / n, message: 'assigning the rows not trained on' }),
    );
  }

  // Support-vector reduction and the reduced model's labels.
  report({ stage: 'kernel k-means', fraction: 0.85, message: 'support vectors' });
  const reduced = await reduceToSupportVectors(
    Xt,
    labels,
    k,
    options.supportVectorsPerCluster,
    options.seed,
    stageHooks(hooks, report, 0.85, 0.95, 'support vectors'),
  );
  warnings.push(...reduced.warnings);
  const bias = supportVectorBias(reduced.supportVectors, reduced.supportCluster, k, gamma);
  const model: KernelKMeansModel = {
    kind: 'kernel-kmeans',
    k,
    dim: d,
    gamma,
    supportVectors: reduced.supportVectors.data,
    supportCluster: reduced.supportCluster,
    bias,
  };
  const reducedLabels = predictKernelKMeans(model, X);
  let agree = 0;
  for (let t = 0; t < nt; t++) if (reducedLabels[train[t]] === fullLabels[train[t]]) agree++;
  const selfShare = selfSimilarityShare(reduced.supportVectors, reduced.supportCluster, gamma);
  report({ stage: 'kernel k-means', fraction: 1 });
  return {
    model,
    labels: reducedLabels,
    fullLabels,
    reductionAgreement: agree / nt,
    iterations: loop.iterations,
    converged: loop.converged,
    gamma,
    selfShare,
    trainingRows: nt,
    warnings,
  };
}

/**
 * Hooks for a sub-step (k-means runs inside the fit): same signal, progress mapped into
 * [from, to] of this job under the kernel k-means stage.
 */
function stageHooks(hooks: JobHooks | undefined, report: (p: Progress) => void, from: number, to: number, message: string): JobHooks {
  return {
    signal: hooks?.signal,
    onProgress: (p) => report({ stage: 'kernel k-means', fraction: from + (to - from) * Math.min(1, p.fraction ?? 0), message }),
  };
}

function validate(X: Matrix, options: KernelKMeansOptions, maxIterations: number, maxTrain: number): void {
  const { rows: n, cols: d, data } = X;
  if (data.length !== n * d) throw new OptionError(`kernel k-means: matrix holds ${data.length} values, expected ${n} x ${d}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new DataError(`kernel k-means: value at row ${Math.floor(i / d) + 1}, feature ${(i % d) + 1} is not a finite number (${data[i]})`);
    }
  }
  if (!Number.isInteger(options.k) || options.k < 2) throw new OptionError(`kernel k-means: k must be an integer >= 2, got ${options.k}`);
  if (options.k > n) throw new OptionError(`kernel k-means: k = ${options.k} is larger than the number of rows (${n})`);
  if (!Number.isInteger(options.seed)) throw new OptionError(`kernel k-means: seed must be an integer, got ${options.seed}`);
  if (typeof options.gamma === 'number' && !(options.gamma > 0 && Number.isFinite(options.gamma))) {
    throw new OptionError(`kernel k-means: gamma must be a positive number, 'stiff' or 'median', got ${options.gamma}`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new OptionError(`kernel k-means: maxIterations must be an integer >= 1, got ${maxIterations}`);
  }
  if (!Number.isInteger(maxTrain) || maxTrain < options.k) {
    throw new OptionError(`kernel k-means: maxTrainingPoints must be an integer >= k, got ${maxTrain}`);
  }
  if (options.initLabels) {
    if (options.initLabels.length !== n) throw new OptionError(`kernel k-means: ${options.initLabels.length} initLabels for ${n} rows`);
    for (let i = 0; i < n; i++) {
      const c = options.initLabels[i];
      if (!(c >= 0 && c < options.k)) throw new OptionError(`kernel k-means: initLabels[${i}] = ${c} is outside 0..${options.k - 1}`);
    }
  }
}

function trainingRows(n: number, maxTrain: number, seed: number): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (n <= maxTrain) return all;
  new Rng(seed).shuffle(all);
  return all.slice(0, maxTrain).sort();
}

function selectRows(X: Matrix, rows: Int32Array): Matrix {
  const d = X.cols;
  const data = new Float64Array(rows.length * d);
  for (let t = 0; t < rows.length; t++) data.set(X.data.subarray(rows[t] * d, rows[t] * d + d), t * d);
  return { rows: rows.length, cols: d, data };
}

function countLabels(labels: Int32Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

async function chooseGamma(
  Xt: Matrix,
  labels: Int32Array,
  options: KernelKMeansOptions,
  warnings: string[],
  hooks: JobHooks | undefined,
): Promise<number> {
  if (typeof options.gamma === 'number') return options.gamma;
  if (options.gamma === 'median') return medianGamma(Xt, { seed: options.seed });
  const reduced = await reduceToSupportVectors(Xt, labels, options.k, options.supportVectorsPerCluster, options.seed, hooks);
  const choice = stiffGamma(reduced.supportVectors, reduced.supportCluster, options.stiffTarget ?? STIFF_SELF_SHARE);
  if (choice.note) warnings.push(`stiff bandwidth: ${choice.note}`);
  return choice.gamma;
}

/** Squared distance of row a of `A` to row b of `B` (same width d). */
function distance2(A: Float64Array, a: number, B: Float64Array, b: number, d: number): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const diff = A[oa + t] - B[ob + t];
    s += diff * diff;
  }
  return s;
}

/** Symmetric N x N Gaussian kernel matrix, computed from exact differences (no norm trick). */
async function kernelMatrix(X: Matrix, gamma: number, pacer: Pacer): Promise<Float64Array> {
  const { rows: n, cols: d, data } = X;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    K[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const v = Math.exp(-gamma * distance2(data, i, data, j, d));
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
    if ((i & 31) === 31) await pacer.tick();
  }
  return K;
}

interface LoopResult {
  readonly labels: Int32Array;
  /** Batch iterations plus sequential sweeps run. */
  readonly iterations: number;
  readonly converged: boolean;
  /** Batch updates alternated between two labelings and sequential sweeps took over. */
  readonly cycled: boolean;
}

/** Per-cluster sufficient statistics of the leave-one-out scores for the current labels. */
interface LoopStats {
  /** rowSum[n·K + k] = Σ_{j ∈ C_k} K_nj (including n itself when n ∈ C_k). */
  readonly rowSum: Float64Array;
  /** clusterSum[k] = Σ_{j,j' ∈ C_k} K_jj'. */
  readonly clusterSum: Float64Array;
  readonly counts: Int32Array;
}

async function loopStats(K: Float64Array, n: number, k: number, labels: Int32Array, pacer: { tick(): Promise<void> }): Promise<LoopStats> {
  const rowSum = new Float64Array(n * k);
  const clusterSum = new Float64Array(k);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const out = i * k;
    for (let j = 0; j < n; j++) rowSum[out + labels[j]] += K[row + j];
    counts[labels[i]]++;
    if ((i & 255) === 255) await pacer.tick();
  }
  for (let i = 0; i < n; i++) clusterSum[labels[i]] += rowSum[i * k + labels[i]];
  return { rowSum, clusterSum, counts };
}

/**
 * Leave-one-out scores of point i for every cluster into score[i·K ..]; returns the best
 * cluster (the current one on ties; a point alone in its cluster stays).
 */
function scorePoint(K: Float64Array, n: number, k: number, i: number, own: number, stats: LoopStats, score: Float64Array): number {
  const { rowSum, clusterSum, counts } = stats;
  const kii = K[i * n + i];
  let best = own;
  let bestScore = -Infinity;
  for (let c = 0; c < k; c++) {
    let num = rowSum[i * k + c];
    let den = clusterSum[c];
    let size = counts[c];
    if (c === own) {
      num -= kii;
      den -= 2 * rowSum[i * k + c] - kii;
      size--;
    }
    const s = size === 0 ? (c === own ? Infinity : -Infinity) : num / Math.sqrt(den > 0 ? den : Number.MIN_VALUE);
    score[i * k + c] = s;
    if (s > bestScore || (s === bestScore && c === own)) {
      bestScore = s;
      best = c;
    }
  }
  return best;
}

/**
 * The leave-one-out EM loop on a precomputed kernel matrix (exported for tests). Batch
 * updates (all points against the same centroids) until no label changes; if they alternate
 * between two labelings, sequential sweeps take over (each move updates the statistics at
 * once, O(N) per move), which end the alternation. Does not modify `initial`.
 */
export async function leaveOneOutLoop(
  K: Float64Array,
  n: number,
  k: number,
  initial: Int32Array,
  maxIterations: number,
  pacer: { tick(): Promise<void> } = { tick: async () => undefined },
  onIteration: (iteration: number) => void = () => undefined,
): Promise<LoopResult> {
  let labels = initial.slice();
  let previous = new Int32Array(n).fill(-1);
  const score = new Float64Array(n * k);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const stats = await loopStats(K, n, k, labels, pacer);
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) next[i] = scorePoint(K, n, k, i, labels[i], stats, score);
    keepClustersAlive(next, labels, score, n, k);
    let changed = 0;
    for (let i = 0; i < n; i++) if (next[i] !== labels[i]) changed++;
    onIteration(iteration);
    if (changed === 0) return { labels, iterations: iteration, converged: true, cycled: false };
    let same = true;
    for (let i = 0; i < n && same; i++) if (next[i] !== previous[i]) same = false;
    previous = labels;
    labels = next;
    if (same) return sequentialSweeps(K, n, k, labels, iteration, maxIterations, score, pacer, onIteration);
    await pacer.tick();
  }
  return { labels, iterations: maxIterations, converged: false, cycled: false };
}

async function sequentialSweeps(
  K: Float64Array,
  n: number,
  k: number,
  labels: Int32Array,
  done: number,
  maxIterations: number,
  score: Float64Array,
  pacer: { tick(): Promise<void> },
  onIteration: (iteration: number) => void,
): Promise<LoopResult> {
  const stats = await loopStats(K, n, k, labels, pacer);
  const { rowSum, clusterSum, counts } = stats;
  for (let iteration = done + 1; iteration <= maxIterations; iteration++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const from = labels[i];
      const to = scorePoint(K, n, k, i, from, stats, score);
      if (to === from) continue;
      const kii = K[i * n + i];
      clusterSum[from] -= 2 * rowSum[i * k + from] - kii;
      clusterSum[to] += 2 * rowSum[i * k + to] + kii;
      counts[from]--;
      counts[to]++;
      for (let j = 0; j < n; j++) {
        const v = K[j * n + i];
        rowSum[j * k + from] -= v;
        rowSum[j * k + to] += v;
      }
      labels[i] = to;
      moved++;
      if ((moved & 63) === 63) await pacer.tick();
    }
    onIteration(iteration);
    if (moved === 0) return { labels, iterations: iteration, converged: true, cycled: true };
    await pacer.tick();
  }
  return { labels, iterations: maxIterations, converged: false, cycled: true };
}

/** A cluster left without members takes back its old member that scores highest for it. */
function keepClustersAlive(next: Int32Array, old: Int32Array, score: Float64Array, n: number, k: number): void {
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[next[i]]++;
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) continue;
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (old[i] === c && counts[next[i]] > 1 && (pick < 0 || score[i * k + c] > score[pick * k + c])) pick = i;
    }
    if (pick < 0) continue;
    counts[next[pick]]--;
    next[pick] = c;
    counts[c]++;
  }
}

/** Full-model (non-leave-one-out) labels for the rows that were not trained on. */
async function assignRest(
  X: Matrix,
  Xt: Matrix,
  train: Int32Array,
  labels: Int32Array,
  K: Float64Array,
  k: number,
  gamma: number,
  out: Int32Array,
  pacer: Pacer,
  onRows: (done: number) => void,
): Promise<void> {
  const nt = Xt.rows;
  const d = X.cols;
  const clusterSum = new Float64Array(k);
  for (let i = 0; i < nt; i++) for (let j = 0; j < nt; j++) if (labels[i] === labels[j]) clusterSum[labels[i]] += K[i * nt + j];
  const norm = clusterSum.map((s) => 1 / Math.sqrt(s));
  const isTrain = new Uint8Array(X.rows);
  for (let t = 0; t < nt; t++) {
    isTrain[train[t]] = 1;
    out[train[t]] = labels[t];
  }
  const sums = new Float64Array(k);
  for (let i = 0; i < X.rows; i++) {
    if (isTrain[i]) continue;
    sums.fill(0);
    for (let j = 0; j < nt; j++) sums[labels[j]] += Math.exp(-gamma * distance2(X.data, i, Xt.data, j, d));
    let best = 0;
    for (let c = 1; c < k; c++) if (sums[c] * norm[c] > sums[best] * norm[best]) best = c;
    out[i] = best;
    if ((i & 63) === 63) {
      onRows(i + 1);
      await pacer.tick();
    }
  }
}

// ---------------------------------------------------------------------------------------
// The reduced model (direct formulas; the network in neuralize/kernelKMeans.ts equals them)
// ---------------------------------------------------------------------------------------

/**
 * Outlier scores o_k(x) = −(1/γ) log(z_k⁻¹ Σ_{j ∈ C_k} k(x, x_j)) of one point, computed as
 * min_j d_j − (1/γ) log Σ_j exp(−γ (d_j − min_j d_j)) + b_k (d_j = ||x − x_j||²) so that a stiff
 * kernel far from every support vector does not underflow to log 0.
 * `x` is read from `xs` at offset `at`; `d2` (length M) and `low` (length K) are scratch.
 */
export function outlierScoresInto(
  model: KernelKMeansModel,
  xs: Float64Array,
  at: number,
  out: Float64Array,
  d2: Float64Array,
  low: Float64Array,
): void {
  const { k, dim: d, gamma, supportVectors: sv, supportCluster, bias } = model;
  const m = supportCluster.length;
  low.fill(Infinity);
  for (let j = 0; j < m; j++) {
    let s = 0;
    const o = j * d;
    for (let t = 0; t < d; t++) {
      const diff = xs[at + t] - sv[o + t];
      s += diff * diff;
    }
    d2[j] = s;
    if (s < low[supportCluster[j]]) low[supportCluster[j]] = s;
  }
  out.fill(0);
  for (let j = 0; j < m; j++) {
    const c = supportCluster[j];
    out[c] += Math.exp(-gamma * (d2[j] - low[c]));
  }
  for (let c = 0; c < k; c++) out[c] = low[c] - Math.log(out[c]) / gamma + bias[c];
}

/** Reduced-model assignment argmin_k o_k(x) of every row (lowest index on ties). */
export function predictKernelKMeans(model: KernelKMeansModel, X: Matrix): Int32Array {
  checkModel(model, X.cols);
  const labels = new Int32Array(X.rows);
  const o = new Float64Array(model.k);
  const d2 = new Float64Array(model.supportCluster.length);
  const low = new Float64Array(model.k);
  for (let i = 0; i < X.rows; i++) {
    outlierScoresInto(model, X.data, i * X.cols, o, d2, low);
    let best = 0;
    for (let c = 1; c < model.k; c++) if (o[c] < o[best]) best = c;
    labels[i] = best;
  }
  return labels;
}

/** Shape and sanity checks of a (possibly loaded) kernel k-means model. */
export function checkModel(model: KernelKMeansModel, dim?: number): void {
  const m = model.supportCluster.length;
  if (dim !== undefined && dim !== model.dim) throw new ModelError(`kernel k-means model expects ${model.dim} features, the data has ${dim}`);
  if (model.supportVectors.length !== m * model.dim) {
    throw new ModelError(`kernel k-means model: ${model.supportVectors.length} support-vector values for ${m} support vectors x ${model.dim} features`);
  }
  if (model.bias.length !== model.k) throw new ModelError(`kernel k-means model: ${model.bias.length} biases for k = ${model.k}`);
  if (!(model.gamma > 0 && Number.isFinite(model.gamma))) throw new ModelError(`kernel k-means model: gamma must be positive, got ${model.gamma}`);
  const seen = new Uint8Array(model.k);
  for (let j = 0; j < m; j++) {
    const c = model.supportCluster[j];
    if (!(c >= 0 && c < model.k)) throw new ModelError(`kernel k-means model: support vector ${j} has cluster ${c}, outside 0..${model.k - 1}`);
    seen[c] = 1;
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new ModelError(`kernel k-means model: cluster ${missing} has no support vectors`);
}
