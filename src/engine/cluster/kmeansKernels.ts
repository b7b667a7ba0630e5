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
export interface KMeansShape {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly blockRows: number;
}

function rangeOf(s: KMeansShape, b: number): [number, number] {
  const start = b * s.blockRows;
  return [start, Math.min(s.n, start + s.blockRows)];
}

/**
 * Squared distance between row `i` of `data` and row `c` of `centroids`. Four partial sums
 * break the floating-point add dependency chain (about 1.5x faster than one accumulator).
 */
export function dist2(data: Float64Array, i: number, centroids: Float64Array, c: number, d: number): number {
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

/**
 * Scratch results of the scans (module-level: no allocation per point; each thread has its
 * own module instance). Row 0 / row 1 of a pair: nearest centroid, its squared distance,
 * squared distance of the second nearest.
 */
export const scan = { best0: 0, bestD0: 0, secondD0: 0, best1: 0, bestD1: 0, secondD1: 0 };

/**
 * Nearest and second nearest centroid of the rows at offsets o0 and o1 (o1 may equal o0).
 * Register blocking: each pass over the D features serves 2 points x 4 centroids, so every
 * loaded value is used several times and eight independent sums keep the FPU busy — about
 * 3x faster than one distance at a time. Lowest index wins ties.
 */
export function scanTwo(data: Float64Array, o0: number, o1: number, centroids: Float64Array, k: number, d: number): void {
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
  scan.best0 = b0;
  scan.bestD0 = bd0;
  scan.secondD0 = sd0;
  scan.best1 = b1;
  scan.bestD1 = bd1;
  scan.secondD1 = sd1;
}

function addRow(sums: Float64Array, so: number, data: Float64Array, i: number, d: number, sign: number): void {
  const off = i * d;
  for (let j = 0; j < d; j++) sums[so + j] += sign * data[off + j];
}

/** Rows of the current block that need a full scan (grown on demand, per thread). */
let pending = new Int32Array(1024);
function pendingFor(rows: number): Int32Array {
  if (pending.length < rows) pending = new Int32Array(rows);
  return pending;
}

// ---------------------------------------------------------------------------------------
// Seeding (greedy k-means++)
// ---------------------------------------------------------------------------------------

export interface SeedFirstArgs extends KMeansShape {
  readonly centroids: Float64Array;
  readonly closest: Float64Array;
  readonly nearest: Int32Array;
}

/** D(x)² to the first centre (row 0 of `centroids`). */
function seedFirst(s: SeedFirstArgs, b: number): void {
  const [start, end] = rangeOf(s, b);
  for (let i = start; i < end; i++) {
    s.closest[i] = dist2(s.data, i, s.centroids, 0, s.d);
    s.nearest[i] = 0;
  }
}

export interface SeedTrialArgs extends KMeansShape {
  readonly closest: Float64Array;
  readonly nearest: Int32Array;
  /** T candidate rows. */
  readonly candidates: Int32Array;
  /** T x K: squared distance of each candidate to each chosen centre. */
  readonly toCentre: Float64Array;
  /** T x N: min(D(x)², ||x − q_t||²). */
  readonly candidateDist: Float64Array;
  /** B x T: each block's potential per candidate. */
  readonly blockPots: Float64Array;
}

/**
 * Potential of each candidate over the block. Triangle inequality: with a the chosen centre
 * closest to x, ||x − q|| ≥ ||q − μ_a|| − ||x − μ_a||, so when ||q − μ_a||² ≥ 4 D(x)² the
 * candidate cannot get closer and the distance is skipped — on clustered data most of them.
 * The result is the same as computing every distance.
 */
function seedTrial(s: SeedTrialArgs, b: number): void {
  const { data, n, d, k, closest, nearest, candidates, toCentre, candidateDist, blockPots } = s;
  const trials = candidates.length;
  const [start, end] = rangeOf(s, b);
  let t = 0;
  // Four candidates at a time: a point none of them can skip takes one blocked pass over its
  // row (independent sums, each value loaded once), otherwise one distance per candidate
  // that cannot be ruled out.
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
    blockPots[b * trials + t] = p0;
    blockPots[b * trials + t + 1] = p1;
    blockPots[b * trials + t + 2] = p2;
    blockPots[b * trials + t + 3] = p3;
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
    blockPots[b * trials + t] = pot;
  }
}

export interface SeedAcceptArgs extends KMeansShape {
  readonly closest: Float64Array;
  readonly nearest: Int32Array;
  readonly candidateDist: Float64Array;
  /** The accepted candidate's trial index and the index of the new centre. */
  readonly trial: number;
  readonly centre: number;
}

/** D(x)² and the closest centre after accepting a candidate. */
function seedAccept(s: SeedAcceptArgs, b: number): void {
  const { closest, nearest, candidateDist, n, trial, centre } = s;
  const [start, end] = rangeOf(s, b);
  const base = trial * n;
  for (let i = start; i < end; i++) {
    const v = candidateDist[base + i];
    if (v < closest[i]) {
      closest[i] = v;
      nearest[i] = centre;
    }
  }
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

/** First iteration: full scan of every row, the block's sums and counts from scratch. */
function lloydFirst(s: LloydArgs, b: number): void {
  const { data, d, k, centroids, labels, upper, lower, blockSums, blockCounts } = s;
  const [start, end] = rangeOf(s, b);
  const so = b * k * d;
  const co = b * k;
  blockSums.fill(0, so, so + k * d);
  blockCounts.fill(0, co, co + k);
  const place = (i: number, c: number, bestD: number, secondD: number): void => {
    upper[i] = Math.sqrt(bestD);
    lower[i] = Math.sqrt(secondD);
    labels[i] = c;
    addRow(blockSums, so + c * d, data, i, d, 1);
    blockCounts[co + c]++;
  };
  for (let i = start; i < end; i += 2) {
    const i1 = i + 1 < end ? i + 1 : i;
    scanTwo(data, i * d, i1 * d, centroids, k, d);
    place(i, scan.best0, scan.bestD0, scan.secondD0);
    if (i1 !== i) place(i1, scan.best1, scan.bestD1, scan.secondD1);
  }
  s.blockChanged[b] = end - start;
}

/**
 * A Hamerly iteration: bounds are loosened by the centroids' moves; a row is rescanned only
 * when its bounds cannot prove the label unchanged. Moved rows update the block's sums.
 */
function lloydHamerly(s: LloydArgs, b: number): void {
  const { data, d, k, centroids, labels, upper, lower, moved, half, r1, m1, m2, blockSums, blockCounts } = s;
  const [start, end] = rangeOf(s, b);
  const list = pendingFor(end - start);
  let p = 0;
  for (let i = start; i < end; i++) {
    const a = labels[i];
    let u = upper[i] + moved[a];
    const l = lower[i] - (a === r1 ? m2 : m1);
    const z = half[a] > l ? half[a] : l;
    if (u > z) {
      u = Math.sqrt(dist2(data, i, centroids, a, d));
      if (u > z) list[p++] = i;
    }
    upper[i] = u;
    lower[i] = l;
  }
  const so = b * k * d;
  const co = b * k;
  let changed = 0;
  const place = (i: number, c: number, bestD: number, secondD: number): void => {
    upper[i] = Math.sqrt(bestD);
    lower[i] = Math.sqrt(secondD);
    const a = labels[i];
    if (c === a) return;
    changed++;
    labels[i] = c;
    addRow(blockSums, so + a * d, data, i, d, -1);
    addRow(blockSums, so + c * d, data, i, d, 1);
    blockCounts[co + a]--;
    blockCounts[co + c]++;
  };
  for (let q = 0; q < p; q += 2) {
    const i0 = list[q];
    const i1 = q + 1 < p ? list[q + 1] : i0;
    scanTwo(data, i0 * d, i1 * d, centroids, k, d);
    place(i0, scan.best0, scan.bestD0, scan.secondD0);
    if (i1 !== i0) place(i1, scan.best1, scan.bestD1, scan.secondD1);
  }
  s.blockChanged[b] = changed;
}

/**
 * Labels against the final centroids with exact squared distances, and the block's inertia.
 * Every upper bound is tightened (one distance per point); a full scan happens only where
 * the bounds cannot rule out a closer centroid. Exact ties keep the current label. `upper`
 * holds squared distances afterwards.
 */
function lloydFinal(s: LloydArgs, b: number): void {
  const { data, d, k, centroids, labels, upper, lower, half, r1, m1, m2 } = s;
  const [start, end] = rangeOf(s, b);
  const list = pendingFor(end - start);
  let p = 0;
  let inertia = 0;
  for (let i = start; i < end; i++) {
    const a = labels[i];
    const l = lower[i] - (a === r1 ? m2 : m1);
    const z = half[a] > l ? half[a] : l;
    const own = dist2(data, i, centroids, a, d);
    upper[i] = own;
    if (Math.sqrt(own) > z) list[p++] = i;
    else inertia += own;
  }
  const settle = (i: number, c: number, bestD: number): number => {
    if (bestD < upper[i]) {
      labels[i] = c;
      upper[i] = bestD;
      return bestD;
    }
    return upper[i];
  };
  for (let q = 0; q < p; q += 2) {
    const i0 = list[q];
    const i1 = q + 1 < p ? list[q + 1] : i0;
    scanTwo(data, i0 * d, i1 * d, centroids, k, d);
    inertia += settle(i0, scan.best0, scan.bestD0);
    if (i1 !== i0) inertia += settle(i1, scan.best1, scan.bestD1);
  }
  s.blockInertia[b] = inertia;
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
  const { data, d, k, centroids, labels } = s;
  const out = s.dist2.length > 0 ? s.dist2 : undefined;
  const [start, end] = rangeOf(s, b);
  let inertia = 0;
  for (let i = start; i < end; i += 2) {
    const i1 = i + 1 < end ? i + 1 : i;
    scanTwo(data, i * d, i1 * d, centroids, k, d);
    labels[i] = scan.best0;
    if (out) out[i] = scan.bestD0;
    inertia += scan.bestD0;
    if (i1 !== i) {
      labels[i1] = scan.best1;
      if (out) out[i1] = scan.bestD1;
      inertia += scan.bestD1;
    }
  }
  s.blockInertia[b] = inertia;
}

export interface MomentArgs extends KMeansShape {
  /** D: the column means (second pass) or unused (first pass). */
  readonly mean: Float64Array;
  /** B x D: each block's column sums (pass 1) or B: its sum of squared deviations (pass 2). */
  readonly blockOut: Float64Array;
  readonly pass: 1 | 2;
}

/** Column sums (pass 1) or the sum of squared deviations from `mean` (pass 2) of the block. */
function momentBlock(s: MomentArgs, b: number): void {
  const { data, d, mean, blockOut } = s;
  const [start, end] = rangeOf(s, b);
  if (s.pass === 1) {
    const o = b * d;
    blockOut.fill(0, o, o + d);
    for (let i = start; i < end; i++) for (let j = 0; j < d; j++) blockOut[o + j] += data[i * d + j];
    return;
  }
  let total = 0;
  for (let i = start; i < end; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const t = data[off + j] - mean[j];
      total += t * t;
    }
  }
  blockOut[b] = total;
}

export const KMEANS_KERNELS = {
  kmeansSeedFirst: seedFirst,
  kmeansSeedTrial: seedTrial,
  kmeansSeedAccept: seedAccept,
  kmeansLloydFirst: lloydFirst,
  kmeansLloydHamerly: lloydHamerly,
  kmeansLloydFinal: lloydFinal,
  kmeansAssign: assignBlock,
  kmeansMoments: momentBlock,
};
