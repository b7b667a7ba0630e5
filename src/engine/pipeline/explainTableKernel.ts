/**
 * The compute pool's kernel for explaining a k-means table (explainAll.ts drives it): NEON
 * for the rows of one block (neuralize/kmeansBatch.ts), each row's relevance summed into its
 * table columns (one-hot features back into their column) and stored as Float64, and the
 * block's share of the conservation gap. Writes only its own rows and its own block slots.
 *
 * Where WebAssembly SIMD is available the block runs fused (wasm/explainKernels.ts): the
 * assignment's distance kernel, a kernel for each row's cluster, h, hMin and shares, the
 * evidence and probability in JavaScript (a logarithm and an exponential per row), the pool
 * kernel for the rule's weights (wasm/poolKernel.ts; the soft pool's path integral by
 * `RowPooling`), then one kernel for the relevance, its column sums, the row's Σ R and Σ |R|
 * and the block's conservation sums (a block with a row that fails the exactness check is
 * summed again here, in row order, with that row redone).
 * The values are those of the JavaScript batch path bit for bit (tested); a row that fails its
 * exactness check (not finite, or Σ R ≠ f beyond 1e-10) is redone by that path, which
 * rescales it.
 */
import { batchRule, exactRow, explainKMeansRows, ROW_EXACT, RowPooling, type BatchRule } from '../neuralize/kmeansBatch';
import { blockCount } from '../parallel/blocks';
import { sharedFloat64, sharedInt32 } from '../parallel/shared';
import type { KMeansModel, NeonOptions } from '../types';
import { pairFloor, ROOT_GUARD } from '../neuralize/rootPoint';
import { explainKernels, type ExplainKernels } from '../wasm/explainKernels';
import { POOL_MIDPOINT, POOL_PATH, POOL_REFERENCE, POOL_Z } from '../wasm/poolKernel';

export interface ExplainTableArgs {
  /** N x D features (row-major) and the K x D centroids. */
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly centroids: Float64Array;
  readonly neon: NeonOptions;
  readonly blockRows: number;
  /** D: the table column of each feature; U columns. */
  readonly featureColumn: Int32Array;
  readonly units: number;
  /** N outputs and N x U relevance per column. */
  readonly cluster: Int32Array;
  readonly evidence: Float64Array;
  readonly probability: Float64Array;
  readonly rowRelevance: Float64Array;
  /** N: kmeansBatch's row status (ROW_BEYOND_RANGE: values beyond float64, NaN). */
  readonly status: Uint8Array;
  /** B: Σ_rows |Σ_i R_i − f| and Σ_rows |f| of each block. */
  readonly blockGap: Float64Array;
  readonly blockTotal: Float64Array;
}

/**
 * The arguments of one pass over `data` (N x D row-major; pass it in shared memory when pool
 * threads run the blocks) under the K x D `centroids`: outputs for N rows and U = `units`
 * columns and slots for the ceil(N / blockRows) blocks, all on shared memory so any pool
 * thread writes its own rows in place. `featureColumn`: length D, each feature's column.
 */
export function explainTableArgs(
  data: Float64Array,
  model: { readonly k: number; readonly dim: number; readonly centroids: Float64Array },
  neon: NeonOptions,
  featureColumn: Int32Array,
  units: number,
  blockRows: number,
): ExplainTableArgs {
  const d = model.dim;
  const n = data.length / d;
  const blocks = blockCount(n, blockRows);
  return {
    data,
    n,
    d,
    k: model.k,
    centroids: model.centroids,
    neon,
    blockRows,
    featureColumn,
    units,
    cluster: sharedInt32(n),
    evidence: sharedFloat64(n),
    probability: sharedFloat64(n),
    rowRelevance: sharedFloat64(n * units),
    status: new Uint8Array(new SharedArrayBuffer(n)),
    blockGap: sharedFloat64(blocks),
    blockTotal: sharedFloat64(blocks),
  };
}

/** Per-thread scratch for the per-column sums. */
let columnBuf = new Float64Array(64);

/** Per-thread state of the run whose arguments are `args` (one pass: the same object per block). */
interface RunState {
  readonly args: ExplainTableArgs;
  readonly model: KMeansModel;
  readonly rule: BatchRule;
  readonly pooling: RowPooling;
  readonly base: Float64Array;
  /** wasm/poolKernel.ts's mode for the rule, or −1: pooled in JavaScript (soft path pooling). */
  readonly mode: number;
  /** The reference rule's K × K tables as the pool kernel takes them (rootPoint.ts terms). */
  readonly gw: Float64Array;
  readonly floor: Float64Array;
  /** Every feature its own table column (no one-hot columns): the relevance kernel stores R directly. */
  readonly identity: boolean;
}
let run: RunState | undefined;

function runState(s: ExplainTableArgs): RunState {
  if (run?.args === s) return run;
  const model: KMeansModel = { kind: 'kmeans', k: s.k, dim: s.d, centroids: s.centroids };
  const rule = batchRule(s.neon, model);
  const w2 = rule.referenceTables?.weightNorm2 ?? new Float64Array(0);
  // The same expressions as referenceDenominator / pairFloor, so the kernel gets the same bits.
  const gw = w2.map((v) => ROOT_GUARD * Math.sqrt(v));
  const floor = w2.map((v) => pairFloor(v));
  run = { args: s, model, rule, pooling: new RowPooling(model, s.neon, rule), base: rule.base ?? new Float64Array(s.d), mode: s.k > 1 ? poolMode(rule, s.neon) : -1, gw, floor, identity: s.units === s.d && s.featureColumn.every((u, j) => u === j) };
  return run;
}

/** Which pool kernel mode computes `rule`'s weights; −1 for none (the soft pool's path integral). */
function poolMode(rule: BatchRule, neon: NeonOptions): number {
  if (rule.form === 'squares') return POOL_MIDPOINT;
  const t = rule.referenceTables;
  if (t) return !t.path ? POOL_REFERENCE : neon.evidence === 'soft' && Number.isFinite(neon.beta) ? -1 : POOL_PATH;
  return rule.denominator || rule.shift || rule.poolWeights ? -1 : POOL_Z;
}

function explainTableBlock(s: ExplainTableArgs, b: number): void {
  const kx = explainKernels();
  if (kx) explainBlockFused(s, b, kx);
  else explainBlockScalar(s, b);
}

/** The fused block (module comment). */
function explainBlockFused(s: ExplainTableArgs, b: number, kx: ExplainKernels): void {
  const start = b * s.blockRows;
  const end = Math.min(s.n, start + s.blockRows);
  const count = end - start;
  const { d, k, units, data } = s;
  const st = runState(s);
  const { pooling, rule } = st;
  // The rule's base (reference) as centroid K: its distance to each row comes with the others.
  const kk = rule.startRow ? k + 1 : k;
  kx.reserve(count, d, kk, units);
  kx.c.set(s.centroids);
  if (kk > k) kx.c.set(st.base, k * d);
  kx.base.set(st.base);
  kx.fc.set(s.featureColumn);
  kx.deltas(k, d);
  kx.loadRows(data, start, end, d);
  kx.distances(count, kk, d);
  const beta = s.neon.beta;
  kx.prepare(count, kk, k, beta);
  const { dist, label, hmin, zsum, h, ex, fv } = kx;
  const entryStart = kx.start;
  pooling.into(kx.which, kx.a, kx.v);
  if (st.mode >= 0) {
    // Evidence and probability as RowPooling.finish computes them (a logarithm and an
    // exponential per row, which WebAssembly lacks), then the weights in the pool kernel.
    const soft = s.neon.evidence === 'soft';
    for (let i = 0; i < count; i++) {
      const hMin = hmin[i];
      const z = zsum[i];
      fv[i] = soft ? hMin - Math.log(z) / beta : hMin;
      const tail = Math.exp(-beta * hMin) * z;
      s.probability[start + i] = Number.isFinite(tail) ? 1 / (1 + tail) : 0;
    }
    const t = rule.referenceTables;
    if (t) {
      kx.refd.set(t.refDist);
      kx.w2.set(t.weightNorm2);
      kx.wlen.set(t.weightLength);
      kx.gw.set(st.gw);
      kx.floor.set(st.floor);
    }
    kx.pool(count, kk, k, st.mode, pooling.eps);
    s.cluster.set(label.subarray(0, count), start);
    s.evidence.set(fv.subarray(0, count), start);
    s.status.fill(ROW_EXACT, start, end);
  } else {
    let e = 0;
    for (let i = 0; i < count; i++) {
      const r = start + i;
      pooling.prepared(label[i], hmin[i], zsum[i], h, ex, i * k, dist[i * kk + k], e);
      entryStart[i] = e;
      e += pooling.count;
      s.cluster[r] = pooling.cluster;
      s.evidence[r] = pooling.evidence;
      fv[i] = pooling.evidence;
      s.probability[r] = pooling.probability;
      s.status[r] = ROW_EXACT;
    }
    entryStart[count] = e;
  }
  const conservative = rule.conservative !== false;
  kx.relevance(count, d, rule.form === 'squares', units, conservative, k, st.identity);
  s.rowRelevance.set(kx.out.subarray(0, count * units), start * units);
  const sums = kx.sums;
  if (sums[2] === 0) {
    // Every row exact: the kernel's sums are this loop's, in the same order.
    s.blockGap[b] = sums[0];
    s.blockTotal[b] = sums[1];
    return;
  }
  const { rowSum, rowAbs } = kx;
  let gap = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const r = start + i;
    const f = s.evidence[r];
    if (exactRow(rowSum[i], rowAbs[i], f, conservative)) {
      gap += Math.abs(rowSum[i] - f);
      total += Math.abs(f);
      continue;
    }
    // Rare: numbers beyond the plain path's range; the JavaScript path rescales the row.
    const one = rowColumns(s, r, r + 1, st.rule, st.model);
    gap += one.gap;
    total += one.total;
  }
  s.blockGap[b] = gap;
  s.blockTotal[b] = total;
}

/** Without WebAssembly SIMD: the JavaScript batch path, the same values. */
function explainBlockScalar(s: ExplainTableArgs, b: number): void {
  const start = b * s.blockRows;
  const end = Math.min(s.n, start + s.blockRows);
  const st = runState(s);
  const { gap, total } = rowColumns(s, start, end, st.rule, st.model);
  s.blockGap[b] = gap;
  s.blockTotal[b] = total;
}

/** Rows [start, end) by the JavaScript batch path, summed into their columns; their gap and Σ|f|. */
function rowColumns(s: ExplainTableArgs, start: number, end: number, rule: BatchRule, model: KMeansModel): { gap: number; total: number } {

  const { featureColumn, units, rowRelevance, evidence } = s;
  if (columnBuf.length < units) columnBuf = new Float64Array(units);
  const buf = columnBuf;
  let gap = 0;
  let total = 0;
  explainKMeansRows(
    model,
    s.neon,
    { rows: s.n, cols: s.d, data: s.data },
    s,
    start,
    end,
    (i, r) => {
      let sum = 0;
      buf.fill(0, 0, units);
      for (let j = 0; j < r.length; j++) {
        sum += r[j];
        buf[featureColumn[j]] += r[j];
      }
      // Rows beyond float64 (NaN, status set) are reported on their own, not as a gap.
      if (Number.isFinite(sum) && Number.isFinite(evidence[i])) {
        gap += Math.abs(sum - evidence[i]);
        total += Math.abs(evidence[i]);
      }
      const o = i * units;
      for (let u = 0; u < units; u++) rowRelevance[o + u] = buf[u];
    },
    rule,
  );
  return { gap, total };
}

export const EXPLAIN_KERNELS = { explainKMeansTable: explainTableBlock };
