/**
 * Standard k-means (Lloyd's algorithm) on a flat row-major matrix.
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
 *
 * Memory beyond X: O(N) (labels, two bounds, seeding buffers of (3 + trials)·N doubles),
 * never N×K. Long loops run in row chunks, yield to the event loop every ~50 ms and honour
 * the abort signal.
 */
import { DataError, OptionError } from '../errors';
import { Pacer, throttledProgress } from '../jobs';
import { Rng } from '../rng';
import type { JobHooks, KMeansModel, Matrix } from '../types';

export interface KMeansOptions {
  readonly k: number;
  readonly seed: number;
  /** Independent k-means++ seedings; the one with the lowest inertia is kept. Default 10. */
  readonly restarts?: number;
  /** Lloyd iterations per start. Default 300. */
  readonly maxIterations?: number;
  /** Relative tolerance on the squared centroid shift (× mean feature variance). Default 1e-6. */
  readonly tolerance?: number;
  /** K x D initial centroids: skips seeding and runs a single start. */
  readonly init?: Float64Array;
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

const DEFAULTS = { restarts: 10, maxIterations: 300, tolerance: 1e-6 };
/** Rows per chunk at most; fewer when rows are long so that a chunk stays ~CHUNK_WORK. */
const CHUNK_ROWS = 8192;
/** Multiply-adds per chunk between cancellation checks (~2-4 ms of work). */
const CHUNK_WORK = 1 << 22;
/** Yield to the event loop at least this often, so an abort is seen within ~100 ms even on a busy machine (a yield costs ~0.1 ms). */
const YIELD_MS = 20;

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
  let inertia = 0;
  for (let i = 0; i < rows; i += 2) {
    const i1 = i + 1 < rows ? i + 1 : i;
    scanTwo(data, i * cols, i1 * cols, centroids, k, cols);
    labels[i] = scanBest0;
    if (dist2) dist2[i] = scanBestD0;
    inertia += scanBestD0;
    if (i1 !== i) {
      labels[i1] = scanBest1;
      if (dist2) dist2[i1] = scanBestD1;
      inertia += scanBestD1;
    }
  }
  return inertia;
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
  await checkFinite(X, pacer);
  const warnings: string[] = [];

  let k = options.k;
  if (k > n) {
    warnings.push(`k = ${k} is larger than the number of rows (${n}); fitted k = ${n} clusters instead.`);
    k = n;
  }
  const restarts = init ? 1 : restartsAsked;
  const tolAbs = tolerance * (await meanVariance(X, pacer));

  const ws = new Workspace(n, d, k, init ? 0 : 2 + Math.floor(Math.log(k)));
  const report = throttledProgress(hooks);
  const rng = new Rng(options.seed);

  const bestCentroids = new Float64Array(k * d);
  const bestLabels = new Int32Array(n);
  let best: { inertia: number; iterations: number } | undefined;
  for (let r = 0; r < restarts; r++) {
    const startRng = rng.fork();
    if (init) ws.centroids.set(init.subarray(0, k * d));
    else await kmeansPlusPlus(X, k, startRng, ws, pacer);
    const progress = (iteration: number): void =>
      report({ stage: 'k-means', fraction: (r + iteration / maxIterations) / restarts, message: `start ${r + 1}/${restarts}, iteration ${iteration}` });
    const iterations = await lloyd(X, k, maxIterations, tolAbs, ws, pacer, progress);
    const inertia = await finalAssignment(X, k, ws, pacer);
    if (!best || inertia < best.inertia) {
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

/** Mean over features of the per-feature variance (scales the tolerance, as scikit-learn). */
async function meanVariance(X: Matrix, pacer: Pacer): Promise<number> {
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d);
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const end = Math.min(n, start + CHUNK_ROWS);
    for (let i = start; i < end; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
    await pacer.tick();
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  let total = 0;
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const end = Math.min(n, start + CHUNK_ROWS);
    for (let i = start; i < end; i++) {
      const off = i * d;
      for (let j = 0; j < d; j++) {
        const t = data[off + j] - mean[j];
        total += t * t;
      }
    }
    await pacer.tick();
  }
  return total / (n * d);
}

/** Buffers reused across restarts and iterations (no allocation inside the loops). */
class Workspace {
  readonly centroids: Float64Array;
  readonly previous: Float64Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly labels: Int32Array;
  /** Hamerly bounds (Euclidean, not squared). */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** Half the distance from each centroid to its nearest other centroid. */
  readonly halfSeparation: Float64Array;
  /** How far each centroid moved in the last update. */
  readonly moved: Float64Array;
  /** Seeding: distance² of each point to its closest chosen centre, and per candidate. */
  readonly closest: Float64Array;
  readonly cumulative: Float64Array;
  readonly candidateDist: Float64Array;
  readonly candidates: Int32Array;
  /** Rows per chunk between cancellation checks. */
  readonly chunk: number;
  /** Rows of the current chunk that need a full scan. */
  readonly pending: Int32Array;

  constructor(n: number, d: number, k: number, trials: number) {
    this.centroids = new Float64Array(k * d);
    this.previous = new Float64Array(k * d);
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.labels = new Int32Array(n);
    this.upper = new Float64Array(n);
    this.lower = new Float64Array(n);
    this.halfSeparation = new Float64Array(k);
    this.moved = new Float64Array(k);
    this.closest = new Float64Array(trials > 0 ? n : 0);
    this.cumulative = new Float64Array(trials > 0 ? n : 0);
    this.candidateDist = new Float64Array(trials * n);
    this.candidates = new Int32Array(trials);
    this.chunk = Math.max(16, Math.min(CHUNK_ROWS, Math.floor(CHUNK_WORK / (Math.max(k, trials, 1) * d))));
    this.pending = new Int32Array(Math.min(n, this.chunk));
  }
}


/**
 * Squared distance between row `i` of `data` and row `c` of `centroids`. Four partial sums
 * break the floating-point add dependency chain (about 1.5x faster than one accumulator).
 */
function dist2(data: Float64Array, i: number, centroids: Float64Array, c: number, d: number): number {
  const a = i * d;
  const b = c * d;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const t0 = data[a + j] - centroids[b + j];
    const t1 = data[a + j + 1] - centroids[b + j + 1];
    const t2 = data[a + j + 2] - centroids[b + j + 2];
    const t3 = data[a + j + 3] - centroids[b + j + 3];
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
  }
  for (; j < d; j++) {
    const t = data[a + j] - centroids[b + j];
    s0 += t * t;
  }
  return s0 + s1 + (s2 + s3);
}

// ---------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------

/**
 * Greedy k-means++ (scikit-learn `_kmeans_plusplus`), writing ws.centroids.
 *
 * Trying a candidate q needs min(D(x)², ||x − q||²) for every point. Triangle inequality:
 * with a the chosen centre closest to x, ||x − q|| ≥ ||q − μ_a|| − ||x − μ_a||, so when
 * ||q − μ_a||² ≥ 4 D(x)² the candidate cannot get closer and the distance is skipped — on
 * clustered data most of them. The result is the same as computing every distance.
 * ws.labels holds each point's closest chosen centre meanwhile (Lloyd overwrites it).
 */
async function kmeansPlusPlus(X: Matrix, k: number, rng: Rng, ws: Workspace, pacer: Pacer): Promise<void> {
  const { rows: n, cols: d, data } = X;
  const { centroids, closest, cumulative, candidateDist, candidates, labels: nearest } = ws;
  const trials = candidates.length;
  // Squared distances between each candidate and each chosen centre.
  const toCentre = new Float64Array(trials * k);
  const pots = new Float64Array(trials);
  const first = rng.int(n);
  centroids.set(data.subarray(first * d, first * d + d), 0);
  for (let start = 0; start < n; start += ws.chunk) {
    const end = Math.min(n, start + ws.chunk);
    for (let i = start; i < end; i++) {
      closest[i] = dist2(data, i, centroids, 0, d);
      nearest[i] = 0;
    }
    await pacer.tick();
  }
  for (let c = 1; c < k; c++) {
    // Draw candidates ∝ D(x)²; all points at distance 0 (duplicates) -> uniform.
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cumulative[i] = acc;
    }
    for (let t = 0; t < trials; t++) {
      if (acc > 0) {
        const target = rng.next() * acc;
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid] <= target) lo = mid + 1;
          else hi = mid;
        }
        candidates[t] = lo;
      } else candidates[t] = rng.int(n);
      for (let e = 0; e < c; e++) toCentre[t * k + e] = dist2(data, candidates[t], centroids, e, d);
    }
    // Potential if each candidate were added; keep the candidate with the lowest.
    pots.fill(0);
    for (let start = 0; start < n; start += ws.chunk) {
      const end = Math.min(n, start + ws.chunk);
      let t = 0;
      // Four candidates at a time: a point none of them can skip takes one blocked pass
      // over its row (independent sums, each value loaded once), otherwise one distance
      // per candidate that cannot be ruled out.
      for (; t + 4 <= trials; t += 4) {
        const q0 = candidates[t] * d;
        const q1 = candidates[t + 1] * d;
        const q2 = candidates[t + 2] * d;
        const q3 = candidates[t + 3] * d;
        const b0 = t * n;
        const k0 = t * k;
        let p0 = 0;
        let p1 = 0;
        let p2 = 0;
        let p3 = 0;
        for (let i = start; i < end; i++) {
          const cl = closest[i];
          const limit = 4 * cl;
          const a = nearest[i];
          const need0 = toCentre[k0 + a] < limit;
          const need1 = toCentre[k0 + k + a] < limit;
          const need2 = toCentre[k0 + 2 * k + a] < limit;
          const need3 = toCentre[k0 + 3 * k + a] < limit;
          let s0 = cl;
          let s1 = cl;
          let s2 = cl;
          let s3 = cl;
          if (need0 && need1 && need2 && need3) {
            const off = i * d;
            s0 = 0;
            s1 = 0;
            s2 = 0;
            s3 = 0;
            for (let j = 0; j < d; j++) {
              const x = data[off + j];
              let u = x - data[q0 + j];
              s0 += u * u;
              u = x - data[q1 + j];
              s1 += u * u;
              u = x - data[q2 + j];
              s2 += u * u;
              u = x - data[q3 + j];
              s3 += u * u;
            }
            if (cl < s0) s0 = cl;
            if (cl < s1) s1 = cl;
            if (cl < s2) s2 = cl;
            if (cl < s3) s3 = cl;
          } else {
            if (need0) s0 = Math.min(cl, dist2(data, i, data, candidates[t], d));
            if (need1) s1 = Math.min(cl, dist2(data, i, data, candidates[t + 1], d));
            if (need2) s2 = Math.min(cl, dist2(data, i, data, candidates[t + 2], d));
            if (need3) s3 = Math.min(cl, dist2(data, i, data, candidates[t + 3], d));
          }
          candidateDist[b0 + i] = s0;
          candidateDist[b0 + n + i] = s1;
          candidateDist[b0 + 2 * n + i] = s2;
          candidateDist[b0 + 3 * n + i] = s3;
          p0 += s0;
          p1 += s1;
          p2 += s2;
          p3 += s3;
        }
        pots[t] += p0;
        pots[t + 1] += p1;
        pots[t + 2] += p2;
        pots[t + 3] += p3;
      }
      for (; t < trials; t++) {
        const base = t * n;
        const q = candidates[t];
        const tk = t * k;
        let pot = 0;
        for (let i = start; i < end; i++) {
          const cl = closest[i];
          let m = cl;
          if (toCentre[tk + nearest[i]] < 4 * cl) {
            const v = dist2(data, i, data, q, d);
            if (v < cl) m = v;
          }
          candidateDist[base + i] = m;
          pot += m;
        }
        pots[t] += pot;
      }
      await pacer.tick();
    }
    let bestT = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[bestT]) bestT = t;
    const base = bestT * n;
    for (let i = 0; i < n; i++) {
      const v = candidateDist[base + i];
      if (v < closest[i]) {
        closest[i] = v;
        nearest[i] = c;
      }
    }
    const chosen = candidates[bestT];
    centroids.set(data.subarray(chosen * d, chosen * d + d), c * d);
  }
}

// ---------------------------------------------------------------------------------------
// Lloyd iterations with Hamerly bounds
// ---------------------------------------------------------------------------------------

/**
 * Runs Lloyd iterations from ws.centroids until convergence; returns the iteration count.
 * On return ws.centroids holds the final centroids and ws.labels/upper/lower valid bounds
 * up to the last recorded moves (ws.moved).
 */
async function lloyd(
  X: Matrix,
  k: number,
  maxIterations: number,
  tolAbs: number,
  ws: Workspace,
  pacer: Pacer,
  progress: (iteration: number) => void,
): Promise<number> {
  const { rows: n, cols: d, data } = X;
  const { centroids, sums, counts, labels, upper, lower, moved, pending } = ws;

  // Iteration 1: full assignment, sums from scratch.
  sums.fill(0);
  counts.fill(0);
  for (let start = 0; start < n; start += ws.chunk) {
    const end = Math.min(n, start + ws.chunk);
    let p = 0;
    for (let i = start; i < end; i++) pending[p++] = i;
    scanPending(X, k, ws, p, true);
    await pacer.tick();
  }
  let iteration = 1;
  let shift = updateCentroids(X, k, ws);
  progress(iteration);
  if (shift <= tolAbs) return iteration;

  while (iteration < maxIterations) {
    iteration++;
    const { r1, m1, m2 } = largestMoves(moved, k);
    const half = separation(centroids, k, d, ws.halfSeparation);
    changedRows = 0;
    for (let start = 0; start < n; start += ws.chunk) {
      const end = Math.min(n, start + ws.chunk);
      let p = 0;
      for (let i = start; i < end; i++) {
        const a = labels[i];
        let u = upper[i] + moved[a];
        const l = lower[i] - (a === r1 ? m2 : m1);
        const z = half[a] > l ? half[a] : l;
        if (u > z) {
          u = Math.sqrt(dist2(data, i, centroids, a, d));
          if (u > z) pending[p++] = i;
        }
        upper[i] = u;
        lower[i] = l;
      }
      scanPending(X, k, ws, p, false);
      await pacer.tick();
    }
    if (changedRows === 0) {
      moved.fill(0);
      progress(iteration);
      return iteration;
    }
    shift = updateCentroids(X, k, ws);
    progress(iteration);
    if (shift <= tolAbs) return iteration;
  }
  return iteration;
}

/** Rows whose label changed in the current iteration (set by scanPending). */
let changedRows = 0;

/**
 * Full scans of the rows listed in ws.pending[0..count), two at a time: sets their label and
 * exact bounds, and moves them between the running sums. `fresh`: no previous label (the
 * first iteration), so every row is added to the sums.
 */
function scanPending(X: Matrix, k: number, ws: Workspace, count: number, fresh: boolean): void {
  const { cols: d, data } = X;
  const { centroids, sums, counts, labels, upper, lower, pending } = ws;
  for (let p = 0; p < count; p += 2) {
    const i0 = pending[p];
    const i1 = p + 1 < count ? pending[p + 1] : i0;
    scanTwo(data, i0 * d, i1 * d, centroids, k, d);
    place(i0, scanBest0, scanBestD0, scanSecondD0);
    if (i1 !== i0) place(i1, scanBest1, scanBestD1, scanSecondD1);
  }

  function place(i: number, b: number, bestD: number, secondD: number): void {
    upper[i] = Math.sqrt(bestD);
    lower[i] = Math.sqrt(secondD);
    if (fresh) {
      labels[i] = b;
      addRow(sums, data, i, b, d, 1);
      counts[b]++;
      return;
    }
    const a = labels[i];
    if (b === a) return;
    changedRows++;
    labels[i] = b;
    addRow(sums, data, i, a, d, -1);
    addRow(sums, data, i, b, d, 1);
    counts[a]--;
    counts[b]++;
  }
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

/**
 * Scratch results of the scans (module-level: no allocation per point). Row 0 / row 1 of a
 * pair: nearest centroid, its squared distance, squared distance of the second nearest.
 */
let scanBest0 = 0;
let scanBestD0 = 0;
let scanSecondD0 = 0;
let scanBest1 = 0;
let scanBestD1 = 0;
let scanSecondD1 = 0;

/**
 * Nearest and second nearest centroid of the rows at offsets o0 and o1 (o1 may equal o0).
 * Register blocking: each pass over the D features serves 2 points x 4 centroids, so every
 * loaded value is used several times and eight independent sums keep the FPU busy — about
 * 3x faster than one distance at a time. Lowest index wins ties.
 */
function scanTwo(data: Float64Array, o0: number, o1: number, centroids: Float64Array, k: number, d: number): void {
  let b0 = 0;
  let bd0 = Infinity;
  let sd0 = Infinity;
  let b1 = 0;
  let bd1 = Infinity;
  let sd1 = Infinity;
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    const c0 = c * d;
    const c1 = c0 + d;
    const c2 = c1 + d;
    const c3 = c2 + d;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let e0 = 0;
    let e1 = 0;
    let e2 = 0;
    let e3 = 0;
    for (let j = 0; j < d; j++) {
      const x = data[o0 + j];
      const y = data[o1 + j];
      const m0 = centroids[c0 + j];
      const m1 = centroids[c1 + j];
      const m2 = centroids[c2 + j];
      const m3 = centroids[c3 + j];
      let t = x - m0;
      a0 += t * t;
      t = x - m1;
      a1 += t * t;
      t = x - m2;
      a2 += t * t;
      t = x - m3;
      a3 += t * t;
      t = y - m0;
      e0 += t * t;
      t = y - m1;
      e1 += t * t;
      t = y - m2;
      e2 += t * t;
      t = y - m3;
      e3 += t * t;
    }
    if (a0 < bd0) { sd0 = bd0; bd0 = a0; b0 = c; } else if (a0 < sd0) sd0 = a0;
    if (a1 < bd0) { sd0 = bd0; bd0 = a1; b0 = c + 1; } else if (a1 < sd0) sd0 = a1;
    if (a2 < bd0) { sd0 = bd0; bd0 = a2; b0 = c + 2; } else if (a2 < sd0) sd0 = a2;
    if (a3 < bd0) { sd0 = bd0; bd0 = a3; b0 = c + 3; } else if (a3 < sd0) sd0 = a3;
    if (e0 < bd1) { sd1 = bd1; bd1 = e0; b1 = c; } else if (e0 < sd1) sd1 = e0;
    if (e1 < bd1) { sd1 = bd1; bd1 = e1; b1 = c + 1; } else if (e1 < sd1) sd1 = e1;
    if (e2 < bd1) { sd1 = bd1; bd1 = e2; b1 = c + 2; } else if (e2 < sd1) sd1 = e2;
    if (e3 < bd1) { sd1 = bd1; bd1 = e3; b1 = c + 3; } else if (e3 < sd1) sd1 = e3;
  }
  for (; c < k; c++) {
    const co = c * d;
    let a = 0;
    let e = 0;
    for (let j = 0; j < d; j++) {
      const m = centroids[co + j];
      let t = data[o0 + j] - m;
      a += t * t;
      t = data[o1 + j] - m;
      e += t * t;
    }
    if (a < bd0) { sd0 = bd0; bd0 = a; b0 = c; } else if (a < sd0) sd0 = a;
    if (e < bd1) { sd1 = bd1; bd1 = e; b1 = c; } else if (e < sd1) sd1 = e;
  }
  scanBest0 = b0;
  scanBestD0 = bd0;
  scanSecondD0 = sd0;
  scanBest1 = b1;
  scanBestD1 = bd1;
  scanSecondD1 = sd1;
}

function addRow(sums: Float64Array, data: Float64Array, i: number, c: number, d: number, sign: number): void {
  const off = i * d;
  const co = c * d;
  for (let j = 0; j < d; j++) sums[co + j] += sign * data[off + j];
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

/**
 * Reseeds empty clusters, then sets centroids = sums / counts. Records how far each
 * centroid moved (for the bounds) and returns the total squared shift.
 */
function updateCentroids(X: Matrix, k: number, ws: Workspace): number {
  const { cols: d } = X;
  const { centroids, previous, sums, counts, moved } = ws;
  let empty = false;
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty = true;
  if (empty) relocateEmpty(X, k, ws);
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
 * empty cluster, never emptying the donor cluster. Rare, so a plain O(N·D) pass is fine.
 */
function relocateEmpty(X: Matrix, k: number, ws: Workspace): void {
  const { rows: n, cols: d, data } = X;
  const { centroids, sums, counts, labels, upper, lower } = ws;
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
    addRow(sums, data, pick, from, d, -1);
    addRow(sums, data, pick, c, d, 1);
    counts[from]--;
    counts[c]++;
    labels[pick] = c;
    far[pick] = -1;
    // The point becomes the centroid of its new cluster; lower bound 0 forces a recheck.
    upper[pick] = 0;
    lower[pick] = 0;
  }
}

/**
 * Labels against the final centroids with exact squared distances; returns the inertia.
 * Every upper bound is tightened (one distance per point); a full scan happens only where
 * the bounds cannot rule out a closer centroid. Exact ties keep the current label.
 */
async function finalAssignment(X: Matrix, k: number, ws: Workspace, pacer: Pacer): Promise<number> {
  const { rows: n, cols: d, data } = X;
  const { centroids, labels, lower, moved, pending, upper } = ws;
  const half = separation(centroids, k, d, ws.halfSeparation);
  const { r1, m1, m2 } = largestMoves(moved, k);
  let inertia = 0;
  for (let start = 0; start < n; start += ws.chunk) {
    const end = Math.min(n, start + ws.chunk);
    let p = 0;
    for (let i = start; i < end; i++) {
      const a = labels[i];
      const l = lower[i] - (a === r1 ? m2 : m1);
      const z = half[a] > l ? half[a] : l;
      const own = dist2(data, i, centroids, a, d);
      upper[i] = own;
      if (Math.sqrt(own) > z) pending[p++] = i;
      else inertia += own;
    }
    for (let q = 0; q < p; q += 2) {
      const i0 = pending[q];
      const i1 = q + 1 < p ? pending[q + 1] : i0;
      scanTwo(data, i0 * d, i1 * d, centroids, k, d);
      inertia += settle(i0, scanBest0, scanBestD0);
      if (i1 !== i0) inertia += settle(i1, scanBest1, scanBestD1);
    }
    await pacer.tick();
  }
  return inertia;

  function settle(i: number, b: number, bestD: number): number {
    if (bestD < upper[i]) {
      labels[i] = b;
      return bestD;
    }
    return upper[i];
  }
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

