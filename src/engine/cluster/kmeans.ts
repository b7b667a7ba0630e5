/**
 * Standard k-means (Lloyd's algorithm) on a flat row-major matrix, on every core.
 *
 * - Seeding: greedy k-means++ as in scikit-learn (`_kmeans_plusplus`): each new centre is the
 *   best of 2 + ⌊ln K⌋ candidates drawn with probability ∝ D(x)², "best" = lowest potential.
 * - Iterations: exact Lloyd iterations, accelerated with Hamerly's bounds (one upper bound
 *   to the own centroid, one lower bound to the second closest per point). The bounds only
 *   skip distance computations that cannot change a label, so every iteration assigns the
 *   same labels as plain Lloyd would (up to ties) and `iterations` counts Lloyd iterations.
 * - Convergence: no label changed, or the total squared centroid shift
 *   Σ_k ||Δμ_k||² ≤ tolerance × mean per-feature variance (scikit-learn's relative `tol`).
 * - Empty clusters are reseeded with the point farthest from its centroid (scikit-learn's
 *   relocation), taken from clusters that keep at least one member.
 * - `restarts` independent seedings (from one seeded Rng); the lowest inertia wins.
 * - The final labels are recomputed against the final centroids, so `labels` and `inertia`
 *   describe the returned model exactly.
 * - Fewer distinct points than k: with `lowerKToDistinct` k is lowered to the number of
 *   distinct points (a cluster without a distinct centre has no margin to explain), else
 *   the fit keeps k; either way a warning says so, as scikit-learn's does.
 *
 * Parallel and deterministic: every pass over the rows (seeding potentials, assignment,
 * bounds, final labels, moments) is a kernel over fixed row blocks (kmeansKernels.ts,
 * parallel/blocks.ts) run by the compute pool; each block keeps its own partial sums and the
 * driver adds them in block order, so 1, 2 or 8 threads give bit-identical centroids, labels
 * and inertia for a seed. Sequential steps (drawing candidates, centroid updates, relocation)
 * run here, between passes.
 *
 * Memory beyond X: O(N) (labels, two bounds, seeding buffers of (1 + trials)·N doubles),
 * never N×K. With more than one thread X is used from shared memory (copied once if it is
 * not already there). Passes honour the abort signal between blocks.
 */
import { DataError, OptionError } from '../errors';
import { Pacer, throttledProgress } from '../jobs';
import { balancedRowsPerBlock, blockCount, rowsPerBlock } from '../parallel/blocks';
import { computePool, InProcessPool, type ComputePool } from '../parallel/pool';
import { isShared, sharedFloat64, sharedInt32, toSharedFloat64, toSharedMatrix } from '../parallel/shared';
import { Rng } from '../rng';
import type { JobHooks, KMeansModel, Matrix } from '../types';
import { assignRows, dist2, type KMeansShape, type LloydArgs } from './kmeansKernels';

export interface KMeansOptions {
  readonly k: number;
  readonly seed: number;
  /** Independent k-means++ seedings; the one with the lowest inertia is kept. Default 10. */
  readonly restarts?: number;
  /** Lloyd iterations per start. Default 300. */
  readonly maxIterations?: number;
  /**
   * Relative tolerance: a start converges when the total squared centroid shift of an
   * iteration, Σ_k ||Δμ_k||², is ≤ tolerance × the mean per-feature variance of X (population
   * variance). Default 1e-4: scikit-learn's `KMeans(tol=1e-4)`, defined the same way
   * (`_tolerance` and `center_shift_tot` in sklearn/cluster/_kmeans.py), so a fit stops at the
   * iteration a scikit-learn user's does.
   */
  readonly tolerance?: number;
  /** K x D initial centroids: skips seeding and runs a single start. */
  readonly init?: Float64Array;
  /**
   * When the data has fewer distinct points than k, fit that many clusters instead (with a
   * warning). Default false: k is kept and a warning names how many clusters are distinct.
   */
  readonly lowerKToDistinct?: boolean;
  /** Where the passes run; default the process-wide pool (every core). */
  readonly pool?: ComputePool;
}

export interface KMeansFit {
  readonly model: KMeansModel;
  readonly labels: Int32Array;
  /** Sum of squared distances of the points to their centroid. */
  readonly inertia: number;
  /** Lloyd iterations of the kept start. */
  readonly iterations: number;
  /** Things the user should know (k reduced to N, fewer distinct clusters than asked). */
  readonly warnings: string[];
}

/**
 * scikit-learn's defaults (n_init = 10, max_iter = 300, tol = 1e-4). The tolerance was 1e-6
 * until the whole-job bench showed our starts running ~20 % more Lloyd iterations than the
 * notebook's for the same inertia (209 vs 174 over 10 starts on the 1M-row bench table, best
 * inertia 9717826.86 vs 9717826.92, 6e-9 relative).
 */
const DEFAULTS = { restarts: 10, maxIterations: 300, tolerance: 1e-4 };
/**
 * Starts whose inertias differ by less than this (relative) reached the same solution up to
 * rounding: the earlier start is kept, so which one wins does not hinge on the last bits of a
 * sum (the order of the cluster indices would otherwise change with the arithmetic's order).
 */
const SAME_INERTIA = 1e-12;
/** Rows per chunk of the sequential checks between cancellation checks. */
const CHUNK_ROWS = 8192;
/** Yield to the event loop at least this often, so an abort is seen within ~100 ms even on a busy machine (a yield costs ~0.1 ms). */
const YIELD_MS = 20;
/** Fits started in this thread: each fit's number tells the kernels when X's rows may be reused (KMeansShape.generation). */
let fits = 0;
/** Passes that should not use the threads (still yielding to the event loop and honouring the signal). */
const IN_PROCESS = new InProcessPool();

/**
 * Assigns every row of X to its nearest centroid (squared Euclidean, lowest index on ties).
 * Writes `labels` (length N) and, if given, each row's squared distance into `dist2`.
 * Returns the inertia (sum of squared distances). Synchronous: for prediction on new data.
 */
export function assignNearest(X: Matrix, centroids: Float64Array, k: number, labels: Int32Array, dist2?: Float64Array): number {
  const { rows, cols, data } = X;
  if (centroids.length !== k * cols) {
    throw new OptionError(`assignNearest: centroids hold ${centroids.length} values, expected k x D = ${k} x ${cols}`);
  }
  if (labels.length < rows) throw new OptionError(`assignNearest: labels has length ${labels.length}, expected ${rows}`);
  return assignRows(data, 0, rows, cols, centroids, k, labels, dist2);
}

/**
 * `assignNearest` on the compute pool (same labels and distances; the inertia is summed per
 * block in block order). The threads run it only when X is already on shared memory (the
 * pipeline's features are): copying N x D into a fresh SharedArrayBuffer costs more than the
 * second thread saves on one pass (1M x 20, K = 12: 144 ms with the copy on 2 threads against
 * 73 ms on one), so a plain X is assigned on the calling thread. `labels` / `dist2` should be
 * on shared memory too, else the threads write to shared copies (N values, cheap).
 */
export async function assignNearestParallel(
  X: Matrix,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  dist2?: Float64Array,
  options: { pool?: ComputePool; signal?: AbortSignal } = {},
): Promise<number> {
  const threads = (options.pool ?? computePool()).threads > 1 && isShared(X.data);
  const pool = threads ? (options.pool ?? computePool()) : IN_PROCESS;
  const shape = shapeOf(X, k);
  const blocks = blockCount(X.rows, shape.blockRows);
  // Threads write through shared memory only: outputs elsewhere go through a shared copy.
  const labelsOut = threads && !isShared(labels) ? sharedInt32(X.rows) : labels;
  const distOut = dist2 && threads && !isShared(dist2) ? sharedFloat64(X.rows) : dist2;
  const blockInertia = threads ? sharedFloat64(blocks) : new Float64Array(blocks);
  await pool.run(
    'kmeansAssign',
    { ...shape, centroids: threads ? toSharedFloat64(centroids) : centroids, labels: labelsOut, dist2: distOut ?? new Float64Array(0), blockInertia },
    blocks,
    { signal: options.signal, work: X.rows * k * X.cols },
  );
  if (labelsOut !== labels) labels.set(labelsOut.subarray(0, X.rows));
  if (dist2 && distOut && distOut !== dist2) dist2.set(distOut.subarray(0, X.rows));
  let inertia = 0;
  for (let b = 0; b < blocks; b++) inertia += blockInertia[b];
  return inertia;
}

function shapeOf(X: Matrix, k: number): KMeansShape {
  return { data: X.data, n: X.rows, d: X.cols, k, blockRows: rowsPerBlock(Math.max(1, k) * X.cols) };
}

/**
 * Number of distinct rows of X, counted up to `limit` (stops there): O(N · limit · D) at worst,
 * usually a few rows. Exact equality of the feature values.
 */
export function countDistinctRows(X: Matrix, limit: number): number {
  const { rows: n, cols: d, data } = X;
  const kept: number[] = [];
  for (let i = 0; i < n && kept.length < limit; i++) {
    const o = i * d;
    let seen = false;
    for (const r of kept) {
      const q = r * d;
      let j = 0;
      while (j < d && data[o + j] === data[q + j]) j++;
      if (j === d) {
        seen = true;
        break;
      }
    }
    if (!seen) kept.push(i);
  }
  return kept.length;
}

/** Fits k-means; see the module comment. Rejects with CancelledError when aborted. */
export async function fitKMeans(X: Matrix, options: KMeansOptions, hooks?: JobHooks): Promise<KMeansFit> {
  const { rows: n, cols: d } = X;
  const restartsAsked = options.restarts ?? DEFAULTS.restarts;
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? DEFAULTS.tolerance;
  validate(X, options, restartsAsked, maxIterations, tolerance);
  const init = options.init;
  if (init && init.length !== options.k * d) {
    throw new OptionError(`k-means init: expected k x D = ${options.k} x ${d} = ${options.k * d} values, got ${init.length}`);
  }
  if (init && !init.every(Number.isFinite)) throw new OptionError('k-means init: the initial centroids contain a value that is not a finite number');
  const pacer = new Pacer(hooks, YIELD_MS);
  const warnings: string[] = [];

  let k = options.k;
  if (k > n) {
    warnings.push(`k = ${k} is larger than the number of rows (${n}); fitted k = ${n} clusters instead.`);
    k = n;
  }
  if (options.lowerKToDistinct && !init) {
    const distinct = countDistinctRows(X, k);
    if (distinct < k) {
      if (distinct < 2) throw new DataError(`all ${n} rows have the same feature values: there is nothing to cluster`);
      warnings.push(
        `Only ${distinct} distinct points among the ${n} rows, fewer than k = ${k} (scikit-learn: "Number of distinct clusters (${distinct}) found smaller than n_clusters (${k})"); fitted k = ${distinct} clusters instead.`,
      );
      k = distinct;
    }
  }
  const pool = options.pool ?? computePool();
  const Xs = pool.threads > 1 ? toSharedMatrix(X) : X;
  const restarts = init ? 1 : restartsAsked;
  const ws = new Workspace(Xs, k, init ? 0 : 2 + Math.floor(Math.log(k)), pool, hooks?.signal);
  const variance = await meanVariance(ws);
  // A NaN or ±Infinity anywhere makes the moments non-finite (NaN, or Infinity − Infinity):
  // only then is X scanned for the culprit, rather than a sequential pass on every fit. (A
  // finite sum can overflow too; then the scan finds nothing and the fit goes on.)
  if (!Number.isFinite(variance)) await checkFinite(X, pacer);
  const tolAbs = tolerance * variance;

  const report = throttledProgress(hooks);
  const rng = new Rng(options.seed);

  const bestCentroids = new Float64Array(k * d);
  const bestLabels = new Int32Array(n);
  let best: { inertia: number; iterations: number } | undefined;
  for (let r = 0; r < restarts; r++) {
    const startRng = rng.fork();
    if (init) ws.centroids.set(init.subarray(0, k * d));
    else await kmeansPlusPlus(ws, startRng);
    const progress = (iteration: number): void =>
      report({ stage: 'k-means', fraction: (r + iteration / maxIterations) / restarts, message: `start ${r + 1}/${restarts}, iteration ${iteration}` });
    const iterations = await lloyd(ws, maxIterations, tolAbs, progress);
    const inertia = await finalAssignment(ws);
    await pacer.tick();
    if (!best || inertia < best.inertia * (1 - SAME_INERTIA)) {
      best = { inertia, iterations };
      bestCentroids.set(ws.centroids);
      bestLabels.set(ws.labels);
    }
  }
  if (!best) throw new OptionError('k-means: restarts must be at least 1');
  report({ stage: 'k-means', fraction: 1 });

  const distinct = countDistinctClusters(bestLabels, bestCentroids, k, d);
  if (distinct < k) {
    warnings.push(
      `k-means found only ${distinct} distinct clusters out of the ${k} asked (the data has fewer distinct points or clusters collapsed).`,
    );
  }
  return {
    model: { kind: 'kmeans', k, dim: d, centroids: bestCentroids },
    labels: bestLabels,
    inertia: best.inertia,
    iterations: best.iterations,
    warnings,
  };
}

function validate(X: Matrix, options: KMeansOptions, restarts: number, maxIterations: number, tolerance: number): void {
  const { rows: n, cols: d, data } = X;
  if (data.length !== n * d) throw new DataError(`k-means: matrix holds ${data.length} values, expected ${n} x ${d}`);
  if (n === 0) throw new DataError('k-means: the data has no rows');
  if (d === 0) throw new DataError('k-means: the data has no feature columns');
  if (!Number.isInteger(options.k) || options.k < 1) throw new OptionError(`k-means: k must be an integer >= 1, got ${options.k}`);
  if (!Number.isInteger(restarts) || restarts < 1) throw new OptionError(`k-means: restarts must be an integer >= 1, got ${restarts}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new OptionError(`k-means: maxIterations must be an integer >= 1, got ${maxIterations}`);
  }
  if (!(tolerance >= 0)) throw new OptionError(`k-means: tolerance must be >= 0, got ${tolerance}`);
  if (!Number.isInteger(options.seed)) throw new OptionError(`k-means: seed must be an integer, got ${options.seed}`);
}

/** Rejects NaN / ±Infinity, naming the row and feature (1-based). */
async function checkFinite(X: Matrix, pacer: Pacer): Promise<void> {
  const { cols: d, data } = X;
  const step = CHUNK_ROWS * d;
  for (let start = 0; start < data.length; start += step) {
    const end = Math.min(data.length, start + step);
    for (let i = start; i < end; i++) {
      if (!Number.isFinite(data[i])) {
        throw new DataError(`k-means: value at row ${Math.floor(i / d) + 1}, feature ${(i % d) + 1} is not a finite number (${data[i]})`);
      }
    }
    await pacer.tick();
  }
}

/**
 * Buffers reused across restarts and iterations (no allocation inside the loops). Arrays the
 * kernels touch live on shared memory, so the pool's threads use them in place.
 */
class Workspace {
  readonly shape: KMeansShape;
  readonly blocks: number;
  readonly centroids: Float64Array;
  readonly previous: Float64Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly halfSeparation: Float64Array;
  readonly moved: Float64Array;
  readonly blockSums: Float64Array;
  readonly blockCounts: Float64Array;
  readonly blockChanged: Int32Array;
  readonly blockInertia: Float64Array;
  /** Seeding: distance² of each point to its closest chosen centre, and per candidate (N x T). */
  readonly closest: Float64Array;
  readonly candidateDist: Float64Array;
  /** Seeding: each block's sum of D(x)² (B), and the running sums over the blocks (B + 1). */
  readonly blockMass: Float64Array;
  readonly massPrefix: Float64Array;
  /** Seeding: the T candidates' rows (T x D) and their row indices. */
  readonly candidatePoints: Float64Array;
  readonly candidates: Int32Array;
  readonly blockPots: Float64Array;

  constructor(
    readonly X: Matrix,
    readonly k: number,
    trials: number,
    readonly pool: ComputePool,
    readonly signal: AbortSignal | undefined,
  ) {
    const { rows: n, cols: d } = X;
    this.shape = { data: X.data, n, d, k, blockRows: balancedRowsPerBlock(n, Math.max(k, trials, 1) * d), generation: ++fits };
    const blocks = (this.blocks = blockCount(n, this.shape.blockRows));
    this.centroids = sharedFloat64(k * d);
    this.previous = new Float64Array(k * d);
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.labels = sharedInt32(n);
    this.upper = sharedFloat64(n);
    this.lower = sharedFloat64(n);
    this.halfSeparation = sharedFloat64(k);
    this.moved = sharedFloat64(k);
    this.blockSums = sharedFloat64(blocks * k * d);
    this.blockCounts = sharedFloat64(blocks * k);
    this.blockChanged = sharedInt32(blocks);
    this.blockInertia = sharedFloat64(blocks);
    this.closest = sharedFloat64(trials > 0 ? n : 0);
    this.candidateDist = sharedFloat64(trials * n);
    this.blockMass = sharedFloat64(trials > 0 ? blocks : 0);
    this.massPrefix = new Float64Array(trials > 0 ? blocks + 1 : 0);
    this.candidatePoints = sharedFloat64(trials * d);
    this.candidates = new Int32Array(trials);
    this.blockPots = sharedFloat64(blocks * trials);
  }

  /** Multiply-adds of one full pass (decides whether threads are worth a message). */
  get passWork(): number {
    return this.X.rows * this.k * this.X.cols;
  }

  lloydArgs(r1: number, m1: number, m2: number): LloydArgs {
    return {
      ...this.shape,
      centroids: this.centroids,
      labels: this.labels,
      upper: this.upper,
      lower: this.lower,
      blockSums: this.blockSums,
      blockCounts: this.blockCounts,
      blockChanged: this.blockChanged,
      blockInertia: this.blockInertia,
      moved: this.moved,
      half: this.halfSeparation,
      r1,
      m1,
      m2,
    };
  }
}

/** Mean over features of the per-feature variance (scales the tolerance, as scikit-learn). */
async function meanVariance(ws: Workspace): Promise<number> {
  const { rows: n, cols: d } = ws.X;
  const blocks = blockCount(n, ws.shape.blockRows);
  const mean = sharedFloat64(d);
  const blockOut = sharedFloat64(blocks * d);
  const opts = { signal: ws.signal, work: n * d };
  await ws.pool.run('kmeansMoments', { ...ws.shape, mean, blockOut, pass: 1 }, blocks, opts);
  for (let b = 0; b < blocks; b++) for (let j = 0; j < d; j++) mean[j] += blockOut[b * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  await ws.pool.run('kmeansMoments', { ...ws.shape, mean, blockOut, pass: 2 }, blocks, opts);
  let total = 0;
  for (let b = 0; b < blocks; b++) total += blockOut[b];
  return total / (n * d);
}

// ---------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------

/**
 * Greedy k-means++ (scikit-learn `_kmeans_plusplus`), writing ws.centroids. The candidates'
 * potentials and D(x)² are block kernels; here, between passes, the candidates are drawn with
 * probability ∝ D(x)²: a target in [0, Σ D(x)²) picks a block by the blocks' sums of D(x)²
 * (each summed in row order by its kernel, added here in block order), then the row inside it
 * by a running sum over that block only. So the calling thread touches B + a few blocks' rows
 * per centre, not all N (a sequential prefix sum over N rows per centre was ~10 % of a 2-thread
 * fit on 1M rows, with the threads idle), and the draw depends on the blocks, never on threads.
 */
async function kmeansPlusPlus(ws: Workspace, rng: Rng): Promise<void> {
  const { rows: n, cols: d, data } = ws.X;
  const { k, centroids, closest, candidates, candidatePoints, blockPots, candidateDist, blockMass, blocks, pool, signal } = ws;
  const trials = candidates.length;
  const pots = new Float64Array(trials);
  const first = rng.int(n);
  centroids.set(data.subarray(first * d, first * d + d), 0);
  const passWork = n * d;
  await pool.run('kmeansSeedFirst', { ...ws.shape, centroids, closest, blockMass }, blocks, { signal, work: passWork });
  let accepted = -1;
  for (let c = 1; c < k; c++) {
    // Blocks' sums of D(x)² after the last accepted candidate: its column of the block potentials.
    const total = blockPrefixes(ws, accepted);
    for (let t = 0; t < trials; t++) {
      // All points at distance 0 (duplicates): uniform.
      candidates[t] = total > 0 ? drawRow(ws, accepted, rng.next() * total) : rng.int(n);
      candidatePoints.set(data.subarray(candidates[t] * d, candidates[t] * d + d), t * d);
    }
    // The kernel first makes the accepted candidate's column D(x)², then measures the new candidates.
    await pool.run('kmeansSeedTrial', { ...ws.shape, closest, candidatePoints, candidateDist, blockPots, accepted }, blocks, {
      signal,
      work: passWork * trials,
    });
    // Potential if each candidate were added (block partials in block order); keep the lowest.
    pots.fill(0);
    for (let b = 0; b < blocks; b++) for (let t = 0; t < trials; t++) pots[t] += blockPots[b * trials + t];
    let bestT = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[bestT]) bestT = t;
    accepted = bestT;
    const chosen = candidates[bestT];
    centroids.set(data.subarray(chosen * d, chosen * d + d), c * d);
  }
}

/**
 * ws.massPrefix[b] = Σ of the blocks' D(x)² before block b (block order), for D(x)² after
 * candidate `accepted` (-1: the first centre's). Returns the total.
 */
function blockPrefixes(ws: Workspace, accepted: number): number {
  const { blocks, blockMass, blockPots, massPrefix } = ws;
  const trials = ws.candidates.length;
  let acc = 0;
  for (let b = 0; b < blocks; b++) {
    massPrefix[b] = acc;
    acc += accepted >= 0 ? blockPots[b * trials + accepted] : blockMass[b];
  }
  massPrefix[blocks] = acc;
  return acc;
}

/**
 * The row whose D(x)² interval holds `target` (0 ≤ target < total): the last block starting at
 * or below it, then the first row of that block whose running sum passes the rest. Rounding
 * between the blocks' sums and the running sum can leave the target just past a block's last
 * row: then that block's last row with D(x)² > 0 is taken (never a row at distance 0).
 */
function drawRow(ws: Workspace, accepted: number, target: number): number {
  const { blocks, massPrefix, closest, candidateDist } = ws;
  const trials = ws.candidates.length;
  const blockRows = ws.shape.blockRows;
  let lo = 0;
  let hi = blocks - 1;
  // The last block b with massPrefix[b] <= target and a positive mass.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (massPrefix[mid] <= target) lo = mid;
    else hi = mid - 1;
  }
  while (lo > 0 && massPrefix[lo + 1] === massPrefix[lo]) lo--;
  const start = lo * blockRows;
  const end = Math.min(ws.X.rows, start + blockRows);
  const rest = target - massPrefix[lo];
  let acc = 0;
  let last = -1;
  for (let i = start; i < end; i++) {
    const v = accepted >= 0 ? candidateDist[i * trials + accepted] : closest[i];
    if (v > 0) last = i;
    acc += v;
    if (acc > rest && v > 0) return i;
  }
  return last >= 0 ? last : start;
}

// ---------------------------------------------------------------------------------------
// Lloyd iterations with Hamerly bounds
// ---------------------------------------------------------------------------------------

/**
 * Runs Lloyd iterations from ws.centroids until convergence; returns the iteration count.
 * On return ws.centroids holds the final centroids and ws.labels/upper/lower valid bounds
 * up to the last recorded moves (ws.moved).
 */
async function lloyd(ws: Workspace, maxIterations: number, tolAbs: number, progress: (iteration: number) => void): Promise<number> {
  const { k, centroids, moved, blocks, pool, signal } = ws;
  const d = ws.X.cols;
  const opts = { signal, work: ws.passWork };

  // Iteration 1: full assignment, sums from scratch.
  await pool.run('kmeansLloydFirst', ws.lloydArgs(-1, 0, 0), blocks, opts);
  let iteration = 1;
  let shift = updateCentroids(ws);
  progress(iteration);
  if (shift <= tolAbs) return iteration;

  while (iteration < maxIterations) {
    iteration++;
    const { r1, m1, m2 } = largestMoves(moved, k);
    separation(centroids, k, d, ws.halfSeparation);
    await pool.run('kmeansLloydHamerly', ws.lloydArgs(r1, m1, m2), blocks, opts);
    let changed = 0;
    for (let b = 0; b < blocks; b++) changed += ws.blockChanged[b];
    if (changed === 0) {
      moved.fill(0);
      progress(iteration);
      return iteration;
    }
    shift = updateCentroids(ws);
    progress(iteration);
    if (shift <= tolAbs) return iteration;
  }
  return iteration;
}

/** The centroid that moved most (r1), its move (m1) and the largest move of any other (m2). */
function largestMoves(moved: Float64Array, k: number): { r1: number; m1: number; m2: number } {
  let m1 = 0;
  let m2 = 0;
  let r1 = -1;
  for (let c = 0; c < k; c++) {
    const m = moved[c];
    if (m > m1) {
      m2 = m1;
      m1 = m;
      r1 = c;
    } else if (m > m2) m2 = m;
  }
  return { r1, m1, m2 };
}

/** Half the distance from each centroid to the closest other centroid (Infinity when K = 1). */
function separation(centroids: Float64Array, k: number, d: number, out: Float64Array): Float64Array {
  out.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const h = 0.5 * Math.sqrt(dist2(centroids, a, centroids, b, d));
      if (h < out[a]) out[a] = h;
      if (h < out[b]) out[b] = h;
    }
  }
  return out;
}

/** ws.sums / ws.counts = the blocks' running sums and counts, added in block order. */
function combineBlocks(ws: Workspace): void {
  const { k, sums, counts, blockSums, blockCounts, blocks } = ws;
  const kd = k * ws.X.cols;
  sums.fill(0);
  counts.fill(0);
  for (let b = 0; b < blocks; b++) {
    const so = b * kd;
    for (let j = 0; j < kd; j++) sums[j] += blockSums[so + j];
    const co = b * k;
    for (let c = 0; c < k; c++) counts[c] += blockCounts[co + c];
  }
}

/**
 * Reseeds empty clusters, then sets centroids = sums / counts. Records how far each
 * centroid moved (for the bounds) and returns the total squared shift.
 */
function updateCentroids(ws: Workspace): number {
  const { k, centroids, previous, sums, counts, moved } = ws;
  const d = ws.X.cols;
  combineBlocks(ws);
  let empty = false;
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty = true;
  if (empty) {
    relocateEmpty(ws);
    combineBlocks(ws);
  }
  previous.set(centroids);
  let shift = 0;
  for (let c = 0; c < k; c++) {
    const co = c * d;
    const cnt = counts[c];
    let s = 0;
    if (cnt > 0) {
      for (let j = 0; j < d; j++) {
        const v = sums[co + j] / cnt;
        const t = v - previous[co + j];
        s += t * t;
        centroids[co + j] = v;
      }
    }
    moved[c] = Math.sqrt(s);
    shift += s;
  }
  return shift;
}

/**
 * Moves the points farthest from their (current) centroid into the empty clusters, one per
 * empty cluster, never emptying the donor cluster; the moved row changes its own block's
 * sums. Rare, so a plain sequential O(N·D) pass is fine.
 */
function relocateEmpty(ws: Workspace): void {
  const { rows: n, cols: d, data } = ws.X;
  const { k, centroids, counts, labels, upper, lower, blockSums, blockCounts } = ws;
  const blockRows = ws.shape.blockRows;
  const far = new Float64Array(n);
  for (let i = 0; i < n; i++) far[i] = dist2(data, i, centroids, labels[i], d);
  for (let c = 0; c < k; c++) {
    if (counts[c] !== 0) continue;
    let pick = -1;
    let pickD = -1;
    for (let i = 0; i < n; i++) {
      if (counts[labels[i]] > 1 && far[i] > pickD) {
        pickD = far[i];
        pick = i;
      }
    }
    if (pick < 0) return;
    const from = labels[pick];
    const b = Math.floor(pick / blockRows);
    const off = pick * d;
    for (let j = 0; j < d; j++) {
      blockSums[(b * k + from) * d + j] -= data[off + j];
      blockSums[(b * k + c) * d + j] += data[off + j];
    }
    blockCounts[b * k + from]--;
    blockCounts[b * k + c]++;
    counts[from]--;
    counts[c]++;
    labels[pick] = c;
    far[pick] = -1;
    // The point becomes the centroid of its new cluster; lower bound 0 forces a recheck.
    upper[pick] = 0;
    lower[pick] = 0;
  }
}

/** Labels against the final centroids with exact squared distances; returns the inertia (block partials in block order). */
async function finalAssignment(ws: Workspace): Promise<number> {
  const { k, centroids, moved, blocks, pool, signal } = ws;
  separation(centroids, k, ws.X.cols, ws.halfSeparation);
  const { r1, m1, m2 } = largestMoves(moved, k);
  await pool.run('kmeansLloydFinal', ws.lloydArgs(r1, m1, m2), blocks, { signal, work: ws.passWork });
  let inertia = 0;
  for (let b = 0; b < blocks; b++) inertia += ws.blockInertia[b];
  return inertia;
}

/** Number of clusters that have members and a centroid distinct from all earlier ones. */
function countDistinctClusters(labels: Int32Array, centroids: Float64Array, k: number, d: number): number {
  const used = new Uint8Array(k);
  for (let i = 0; i < labels.length; i++) used[labels[i]] = 1;
  let distinct = 0;
  for (let c = 0; c < k; c++) {
    if (!used[c]) continue;
    let duplicate = false;
    for (let e = 0; e < c && !duplicate; e++) if (used[e] && dist2(centroids, c, centroids, e, d) === 0) duplicate = true;
    if (!duplicate) distinct++;
  }
  return distinct;
}
