/**
 * The per-block kernels of k-means (kmeans.ts drives them through the compute pool). Each
 * kernel handles rows [b·blockRows, min(N, (b+1)·blockRows)) of block b and writes only that
 * block's rows and that block's partial-result slots, so any number of threads can run the
 * blocks in any order and the driver's in-order combination gives the same bits.
 *
 * Shapes: X is N x D row-major, centroids K x D; per-block slots are B x K x D (sums), B x K
 * (counts), B (changed rows, inertia) and B x T (seeding potentials of T candidates).
 */

/** Arrays and sizes every k-means pass shares (typed arrays on shared memory in a pool). */
import { canonicalDist2, distanceKernels, type RegionKernels } from '../wasm/simdKernels';

export interface KMeansShape {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly blockRows: number;
  /**
   * Identifies one fit (kmeans.ts numbers them): X does not change while a fit runs, so rows a
   * thread loaded into its kernel memory for an earlier pass of the same fit are reused when
   * they are the same rows of the same array. Absent: rows are always copied.
   */
  readonly generation?: number;
}

function rangeOf(s: KMeansShape, b: number): [number, number] {
  const start = b * s.blockRows;
  return [start, Math.min(s.n, start + s.blockRows)];
}

/**
 * Squared distance between row `i` of `data` and row `c` of `centroids`, in the canonical
 * order of the SIMD kernels (wasm/simdKernels.ts), so a distance has the same bits whichever
 * path computes it.
 */
export function dist2(data: Float64Array, i: number, centroids: Float64Array, c: number, d: number): number {
  return canonicalDist2(data, i * d, centroids, c * d, d);
}

/**
 * Rows per sub-chunk: a block is copied into the kernels' memory and scanned in pieces of this
 * many rows, so the copy and the scan meet in L2 (1024 × 20 features = 160 kB). Results do not
 * depend on it (every row is independent; sums run in row order across pieces).
 */
const CHUNK_ROWS = 1024;

/**
 * Rows per chunk of a Lloyd pass: CHUNK_ROWS, or every row when X is a single block (N ≤
 * blockRows, small data run in-process): then the block stays in the kernels' memory from one
 * iteration to the next and is copied once per fit instead of once per pass (on the digits
 * table, 1,797 × 64, the copies were a quarter of a 43-iteration fit).
 */
function chunkRowsOf(s: KMeansShape): number {
  return s.n <= s.blockRows ? Math.max(1, s.n) : CHUNK_ROWS;
}

/** This thread's kernels, laid out for chunks of `rows` rows of `d` features and `k` centroids, holding `centroids`. */
function kernelsFor(centroids: Float64Array, k: number, d: number, rows = CHUNK_ROWS): RegionKernels {
  const K = distanceKernels();
  K.reserve(rows, d, k);
  K.c.set(centroids.subarray(0, k * d));
  return K;
}

// ---------------------------------------------------------------------------------------
// Seeding (greedy k-means++)
// ---------------------------------------------------------------------------------------

export interface SeedFirstArgs extends KMeansShape {
  readonly centroids: Float64Array;
  readonly closest: Float64Array;
  /** B: each block's sum of D(x)², in row order (the driver draws candidates block by block). */
  readonly blockMass: Float64Array;
}

/** D(x)² to the first centre (row 0 of `centroids`), and the block's sum of it. */
function seedFirst(s: SeedFirstArgs, b: number): void {
  const { data, d, closest } = s;
  const [start, end] = rangeOf(s, b);
  const K = kernelsFor(s.centroids, 1, d);
  let mass = 0;
  for (let from = start; from < end; from += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, end - from);
    K.loadRows(data, from, from + count, d);
    K.identity(count);
    K.distances(count, 1, d);
    const dist = K.dist;
    for (let i = 0; i < count; i++) mass += dist[i];
    closest.set(dist.subarray(0, count), from);
  }
  s.blockMass[b] = mass;
}

export interface SeedTrialArgs extends KMeansShape {
  readonly closest: Float64Array;
  /** T x D: the candidate points. */
  readonly candidatePoints: Float64Array;
  /** N x T: min(D(x)², ||x − q_t||²). */
  readonly candidateDist: Float64Array;
  /** B x T: each block's potential per candidate. */
  readonly blockPots: Float64Array;
  /**
   * The candidate accepted in the previous round (a column of `candidateDist`), or -1: its
   * column becomes D(x)² (`closest`) before this round's candidates are measured.
   */
  readonly accepted: number;
}

/**
 * Potential of each candidate over the block: every row's distance to the T candidates in one
 * SIMD sweep (the seed kernel), min(D(x)², ·) stored per row and candidate. (The scalar version
 * skipped candidates by the triangle inequality; on overlapping clusters that saved little and
 * cost a branch per row and candidate.)
 */
function seedTrial(s: SeedTrialArgs, b: number): void {
  const { data, d, closest, candidatePoints, candidateDist, blockPots, accepted } = s;
  const trials = candidatePoints.length / d;
  const [start, end] = rangeOf(s, b);
  const K = kernelsFor(candidatePoints, trials, d);
  K.sums.fill(0, 0, trials);
  // The previous round's candidates stored min(D(x)², ‖x − q_t‖²) per row: the accepted one's
  // column is the new D(x)² (its own T columns are overwritten below, after this read).
  if (accepted >= 0) for (let i = start; i < end; i++) closest[i] = candidateDist[i * trials + accepted];
  for (let from = start; from < end; from += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, end - from);
    K.loadRows(data, from, from + count, d);
    K.best.set(closest.subarray(from, from + count));
    K.identity(count);
    K.seed(count, trials, d);
    candidateDist.set(K.dist.subarray(0, count * trials), from * trials);
  }
  blockPots.set(K.sums.subarray(0, trials), b * trials);
}

// ---------------------------------------------------------------------------------------
// Lloyd iterations with Hamerly bounds
// ---------------------------------------------------------------------------------------

export interface LloydArgs extends KMeansShape {
  readonly centroids: Float64Array;
  readonly labels: Int32Array;
  /** Hamerly bounds (Euclidean, not squared): to the own centroid, to the second closest. */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** B x K x D and B x K: each block's running sums and counts per cluster. */
  readonly blockSums: Float64Array;
  readonly blockCounts: Float64Array;
  /** B: rows whose label changed in the pass. */
  readonly blockChanged: Int32Array;
  /** B: sum of squared distances (final pass). */
  readonly blockInertia: Float64Array;
  /** K: how far each centroid moved in the last update; K: half the distance to the nearest other centroid. */
  readonly moved: Float64Array;
  readonly half: Float64Array;
  /** The centroid that moved most (r1), its move (m1) and the largest move of any other (m2). */
  readonly r1: number;
  readonly m1: number;
  readonly m2: number;
}

/**
 * The full scan of a Lloyd iteration: the listed rows' nearest centroids (exactly the
 * canonical distances' nearest) with bounds for Hamerly's test (the bounds need not be the
 * distances themselves, only on the safe side of them). NEON_KMEANS_DOT=0 scans with the
 * canonical distances instead (for comparisons).
 */
function scanNearest(K: RegionKernels, count: number, k: number, d: number): void {
  if (DOT_FORM) K.nearestBounded(count, k, d);
  else K.nearest(count, k, d);
}
const DOT_FORM = process.env.NEON_KMEANS_DOT !== '0';

/** First iteration: full scan of every row, the block's sums and counts from scratch. */
function lloydFirst(s: LloydArgs, b: number): void {
  const { data, d, k, blockSums, blockCounts } = s;
  const [start, end] = rangeOf(s, b);
  const so = b * k * d;
  const co = b * k;
  blockCounts.fill(0, co, co + k);
  const chunk = chunkRowsOf(s);
  const K = kernelsFor(s.centroids, k, d, chunk);
  K.sums.fill(0, 0, k * d);
  for (let from = start; from < end; from += chunk) {
    const count = Math.min(chunk, end - from);
    K.loadRowsOf(data, from, from + count, d, s.generation);
    K.identity(count);
    scanNearest(K, count, k, d);
    firstBounds(s, K, from, count, co);
    // Sums per cluster in row order (the nearest labels are still in K.label).
    K.accumulate(count, d);
  }
  blockSums.set(K.sums.subarray(0, k * d), so);
  s.blockChanged[b] = end - start;
}

/** After K.nearest on rows [from, from + count): labels, exact bounds and the block's counts (a function of its own: see hamerlyChunk). */
function firstBounds(s: LloydArgs, K: RegionKernels, from: number, count: number, co: number): void {
  const { labels, upper, lower, blockCounts } = s;
  const { label, best, second } = K;
  for (let i = 0; i < count; i++) {
    const c = label[i];
    upper[from + i] = Math.sqrt(best[i]);
    lower[from + i] = Math.sqrt(second[i]);
    labels[from + i] = c;
    blockCounts[co + c]++;
  }
}

/**
 * A Hamerly iteration: bounds are loosened by the centroids' moves; a row whose bounds cannot
 * prove its label unchanged gets its own distance (tightening the upper bound), and a full
 * scan only if that is not enough. Moved rows update the block's sums. The block's sums and
 * counts, and each chunk's labels and bounds, are worked on in the kernels' memory (copied in
 * and out: a few kB against the chunk's 160 kB of rows), so that every per-row loop runs in
 * WebAssembly: in JavaScript over the shared arrays the bounds loop cost ~19 ns a row and the
 * moved rows' sums and the bounds' square roots another ~8 % of an iteration.
 */
function lloydHamerly(s: LloydArgs, b: number): void {
  const { k, d, blockSums, blockCounts } = s;
  const chunk = chunkRowsOf(s);
  const K = kernelsFor(s.centroids, k, d, chunk);
  const [start, end] = rangeOf(s, b);
  K.sums.set(blockSums.subarray(b * k * d, (b + 1) * k * d));
  K.counts.set(blockCounts.subarray(b * k, (b + 1) * k));
  K.moved.set(s.moved.subarray(0, k));
  K.half.set(s.half.subarray(0, k));
  let changed = 0;
  for (let from = start; from < end; from += chunk) changed += hamerlyChunk(s, K, from, Math.min(end, from + chunk));
  if (changed > 0) {
    blockSums.set(K.sums.subarray(0, k * d), b * k * d);
    blockCounts.set(K.counts.subarray(0, k), b * k);
  }
  s.blockChanged[b] = changed;
}

/**
 * Rows [from, stop) of a Hamerly iteration; returns how many changed cluster. Each loop over
 * rows is a function of its own that ends with the loop (or a kernel): V8 optimises a long
 * loop on stack replacement, and OSR code that went on past its loop was deoptimised there (a
 * "wrong map" at the first property read after the loop) on nearly every chunk, ~5,900
 * deoptimisations in one 1M-row fit (--trace-deopt), at random from one run to the next.
 */
function hamerlyChunk(s: LloydArgs, K: RegionKernels, from: number, stop: number): number {
  const { labels, upper, lower, d, k } = s;
  const count = stop - from;
  K.rowLabel.set(labels.subarray(from, stop));
  K.upper.set(upper.subarray(from, stop));
  K.lower.set(lower.subarray(from, stop));
  // The rows whose bounds fail: K.list (chunk rows), their centroid in K.label, lower bound in K.z.
  const p = K.loosen(count, s.r1, s.m1, s.m2);
  let changed = 0;
  if (p > 0) {
    K.loadRowsOf(s.data, from, stop, d, s.generation);
    let q = p;
    // Tighten (the exact distance to the own centroid), unless most of the chunk failed its
    // bounds: then the rows are near a boundary, not merely loosened by the centroids' moves,
    // and tightening rescues too few of them to pay for itself (1M overlapping rows: 64 % fail,
    // 87 % of those still fail after tightening, and a tightening costs ~1/4 of a full scan at
    // K = 12). Which rows get a full scan changes only the bounds: the labels are every row's
    // nearest centroid either way.
    if (2 * p <= count) {
      K.own(p, d);
      q = tightenBounds(s, K, p);
    }
    if (q > 0) {
      scanNearest(K, q, k, d);
      changed = K.apply(q, d);
    }
  }
  upper.set(K.upper.subarray(0, count), from);
  lower.set(K.lower.subarray(0, count), from);
  if (changed > 0) labels.set(K.rowLabel.subarray(0, count), from);
  return changed;
}

/** After K.own on the p listed rows: their upper bounds become exact; keeps listed those that still fail; returns how many. */
function tightenBounds(s: LloydArgs, K: RegionKernels, p: number): number {
  const { half } = s;
  const { list, label, best, z, upper } = K;
  let q = 0;
  for (let t = 0; t < p; t++) {
    const r = list[t];
    const u = Math.sqrt(best[t]);
    upper[r] = u;
    list[q] = r;
    q += Number(u > half[label[t]]) & Number(u > z[t]);
  }
  return q;
}

/**
 * Labels against the final centroids with exact squared distances, and the block's inertia.
 * Every upper bound is tightened (one distance per point); a full scan happens only where
 * the bounds cannot rule out a closer centroid. Exact ties keep the current label. `upper`
 * holds squared distances afterwards.
 */
function lloydFinal(s: LloydArgs, b: number): void {
  const chunk = chunkRowsOf(s);
  const K = kernelsFor(s.centroids, s.k, s.d, chunk);
  const [start, end] = rangeOf(s, b);
  let inertia = 0;
  for (let from = start; from < end; from += chunk) inertia += finalChunk(s, K, from, Math.min(end, from + chunk));
  s.blockInertia[b] = inertia;
}

/** Rows [from, stop) of the final assignment; returns their squared distances' sum (see hamerlyChunk on why a function per chunk). */
function finalChunk(s: LloydArgs, K: RegionKernels, from: number, stop: number): number {
  const { data, d, k, labels, upper, lower, half, r1, m1, m2 } = s;
  const count = stop - from;
  const list = K.writeList();
  const { label, best } = K;
  K.loadRowsOf(data, from, stop, d, s.generation);
  for (let i = 0; i < count; i++) {
    list[i] = i;
    label[i] = labels[from + i];
  }
  K.own(count, d);
  let inertia = 0;
  let p = 0;
  // Branch-free as in hamerlyChunk: a row whose bounds hold adds its distance, the others are
  // listed (and add 0, which leaves the sum's bits unchanged) and add theirs after the scan.
  for (let t = 0; t < count; t++) {
    const i = from + t;
    const a = labels[i];
    const l = lower[i] - (a === r1 ? m2 : m1);
    const own = best[t];
    const u = Math.sqrt(own);
    upper[i] = own;
    const fails = Number(u > half[a]) & Number(u > l);
    list[p] = t;
    p += fails;
    inertia += fails === 0 ? own : 0;
  }
  if (p === 0) return inertia;
  K.nearest(p, k, d);
  for (let t = 0; t < p; t++) {
    const i = from + list[t];
    const bestD = best[t];
    if (bestD < upper[i]) {
      labels[i] = label[t];
      upper[i] = bestD;
    }
    inertia += upper[i];
  }
  return inertia;
}

export interface AssignArgs extends KMeansShape {
  readonly centroids: Float64Array;
  readonly labels: Int32Array;
  /** N squared distances to the nearest centroid (empty: not wanted). */
  readonly dist2: Float64Array;
  readonly blockInertia: Float64Array;
}

/** Nearest centroid of every row (lowest index on ties) and the block's inertia. */
function assignBlock(s: AssignArgs, b: number): void {
  const [start, end] = rangeOf(s, b);
  s.blockInertia[b] = assignRows(s.data, start, end, s.d, s.centroids, s.k, s.labels, s.dist2.length > 0 ? s.dist2 : undefined);
}

/**
 * Nearest centroid of rows [start, end) of `data` (N x D): labels (and squared distances) at
 * the rows' own indices; returns the sum of the squared distances in row order.
 */
export function assignRows(data: Float64Array, start: number, end: number, d: number, centroids: Float64Array, k: number, labels: Int32Array, dist?: Float64Array): number {
  const K = kernelsFor(centroids, k, d);
  const { label, best } = K;
  let inertia = 0;
  for (let from = start; from < end; from += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, end - from);
    K.loadRows(data, from, from + count, d);
    K.identity(count);
    K.nearest(count, k, d);
    labels.set(label.subarray(0, count), from);
    if (dist) dist.set(best.subarray(0, count), from);
    for (let i = 0; i < count; i++) inertia += best[i];
  }
  return inertia;
}

export interface MomentArgs extends KMeansShape {
  /** D: the column means (second pass) or unused (first pass). */
  readonly mean: Float64Array;
  /** B x D: each block's column sums (pass 1) or B: its sum of squared deviations (pass 2). */
  readonly blockOut: Float64Array;
  readonly pass: 1 | 2;
}

/** Per-thread scratch of the moments: one running sum per column. */
let momentScratch = new Float64Array(64);

/**
 * Column sums (pass 1) or the sum of squared deviations from `mean` (pass 2) of the block.
 * Per-column running sums in a local array (the shared output is written once): column j's sum
 * runs over the rows in order, so the bits are those of summing into blockOut directly, without
 * a store to shared memory per value. Pass 2 sums each column's squared deviations the same
 * way, then the columns in order: D independent chains instead of one. Each loop is its own
 * function ending with the loop (see hamerlyChunk: OSR code that went on past the loop was
 * deoptimised ~130 times a fit).
 */
function momentBlock(s: MomentArgs, b: number): void {
  const { d, blockOut } = s;
  const [start, end] = rangeOf(s, b);
  const acc = momentScratch.length >= d ? momentScratch : (momentScratch = new Float64Array(d));
  acc.fill(0, 0, d);
  if (s.pass === 1) {
    columnSums(s.data, start, end, d, acc);
    blockOut.set(acc.subarray(0, d), b * d);
    return;
  }
  squaredDeviations(s.data, start, end, d, s.mean, acc);
  let total = 0;
  for (let j = 0; j < d; j++) total += acc[j];
  blockOut[b] = total;
}

/** acc[j] += data[i][j] for rows [start, end) in order. */
function columnSums(data: Float64Array, start: number, end: number, d: number, acc: Float64Array): void {
  for (let i = start; i < end; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) acc[j] += data[off + j];
  }
}

/** acc[j] += (data[i][j] − mean[j])² for rows [start, end) in order. */
function squaredDeviations(data: Float64Array, start: number, end: number, d: number, mean: Float64Array, acc: Float64Array): void {
  for (let i = start; i < end; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const t = data[off + j] - mean[j];
      acc[j] += t * t;
    }
  }
}

export const KMEANS_KERNELS = {
  kmeansSeedFirst: seedFirst,
  kmeansSeedTrial: seedTrial,
  kmeansLloydFirst: lloydFirst,
  kmeansLloydHamerly: lloydHamerly,
  kmeansLloydFinal: lloydFinal,
  kmeansAssign: assignBlock,
  kmeansMoments: momentBlock,
};
