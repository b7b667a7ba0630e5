/**
 * The distance kernels (distanceKernels.ts) as the engine calls them: one instance per thread
 * (each compute thread and the calling thread has its own module memory), regions laid out for
 * the block being processed, rows copied in from the caller's (shared) arrays.
 *
 * Why copy: WebAssembly reads only its own memory, and the data lives in SharedArrayBuffers the
 * pool's threads share. Copying a block of rows is a memcpy of a few hundred kB that stays in
 * cache for the kernel that follows (~1 ns per value, against ~5 for the arithmetic on it).
 *
 * `ScalarDistanceKernels` does the same arithmetic in the same order in JavaScript: the
 * fallback where WebAssembly SIMD is unavailable, and the reference the tests compare the SIMD
 * kernels with bit for bit.
 */
import { distanceKernelsModule } from './distanceKernels';

/** Regions of one block: rows, centroids, lists and outputs (views, valid until the next reserve). */
export interface KernelRegions {
  /** Rows × D (row-major): the block's rows. */
  readonly x: Float64Array;
  /** K × D centroids (or candidate points). */
  readonly c: Float64Array;
  /** Row indices into `x` (the rows a kernel visits, in order). */
  readonly list: Int32Array;
  /** Per list position: nearest centroid (nearest), or the centroid index (own, accumulate). */
  readonly label: Int32Array;
  /** Per list position: nearest squared distance (nearest) or own squared distance (own). */
  readonly best: Float64Array;
  /** Per list position: second smallest squared distance (nearest). */
  readonly second: Float64Array;
  /** Per list position × K: every squared distance (distances). */
  readonly dist: Float64Array;
  /** K × D sums (accumulate). */
  readonly sums: Float64Array;
  /** K: the centroids' squared norms (nearestBounded). */
  readonly norms: Float64Array;
  /** List positions of near ties (nearestBounded). */
  readonly ties: Int32Array;
  /** Per row of the block: its centroid and Hamerly bounds (loosen updates the bounds in place). */
  readonly rowLabel: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** Per list position: the listed row's loosened lower bound (loosen). */
  readonly z: Float64Array;
  /** K: each centroid's last move; K: half its distance to the nearest other centroid (loosen). */
  readonly moved: Float64Array;
  readonly half: Float64Array;
  /** K: rows per centroid (apply), as f64 like the engine's block counts. */
  readonly counts: Float64Array;
}

export interface DistanceKernels extends KernelRegions {
  /** Whether this is the WebAssembly SIMD implementation. */
  readonly simd: boolean;
  /** Lays out room for `rows` rows of `d` features and `k` centroids (grows memory if needed). */
  reserve(rows: number, d: number, k: number): void;
  /** Rows [start, end) of `data` (N × D) into `x` at row 0. */
  loadRows(data: Float64Array, start: number, end: number, d: number): void;
  /**
   * `loadRows`, skipped when `x` already holds all the rows of this very array, loaded under
   * the same `generation` (a caller's promise that the array has not changed since); an
   * undefined generation, or part of an array, is always copied.
   */
  loadRowsOf(data: Float64Array, start: number, end: number, d: number, generation: number | undefined): void;
  /** list = 0, 1, …, count − 1. */
  identity(count: number): void;
  nearest(count: number, k: number, d: number): void;
  /**
   * `nearest` by the dot-product form (nearestBounded in distanceKernels.ts): label is the
   * same (the canonical nearest, lowest index on ties); best and second are bounds instead of
   * distances — best ≥ the canonical nearest squared distance, second ≤ the canonical second
   * smallest, both ≥ 0 — except for near ties, which are settled with canonical distances and
   * get them exactly. Returns how many rows were near ties.
   */
  nearestBounded(count: number, k: number, d: number): number;
  /**
   * Hamerly's bounds after an update (rowLabel, upper, lower of `count` rows; moved, half):
   * upper += moved[a], lower −= (a = r1 ? m2 : m1); the rows whose bounds fail (upper >
   * half[a] and upper > lower) listed with their centroid in label and lower bound in z.
   * Returns how many.
   */
  loosen(count: number, r1: number, m1: number, m2: number): number;
  /**
   * After `nearest`/`nearestBounded` on the `count` listed rows: upper[r] = √best, lower[r] =
   * √second for each listed row r; a row whose nearest (label) differs from rowLabel[r] moves
   * there, its values leaving one centroid's sums and joining the other's (sums, counts),
   * rows in list order. Returns how many moved.
   */
  apply(count: number, d: number): number;
  distances(count: number, k: number, d: number): void;
  /** best[i] = ‖x[list[i]] − c[label[i]]‖². */
  own(count: number, d: number): void;
  /** sums[label[i]] += x[list[i]]. */
  accumulate(count: number, d: number): void;
  /**
   * k-means++ candidates (the T candidate points in `c`, the rows' D(x)² in `best`):
   * dist[i·T + t] = min(best[i], ‖x[list[i]] − c_t‖²) and sums[t] += that, in row order.
   */
  seed(count: number, t: number, d: number): void;
}

interface Layout {
  readonly bytes: number;
  readonly at: Record<keyof KernelRegions, number>;
  readonly rows: number;
  readonly d: number;
  readonly k: number;
}

/** Byte offsets of the regions (16-byte aligned), with one spare row for odd counts. */
function layout(rows: number, d: number, k: number): Layout {
  const r = rows + 2;
  const sizes: [keyof KernelRegions, number][] = [
    ['x', r * d * 8],
    ['c', k * d * 8],
    ['list', r * 4],
    ['label', r * 4],
    ['best', r * 8],
    ['second', r * 8],
    ['dist', r * k * 8],
    ['sums', k * d * 8],
    ['norms', k * 8],
    ['ties', r * 4],
    ['rowLabel', r * 4],
    ['upper', r * 8],
    ['lower', r * 8],
    ['z', r * 8],
    ['moved', k * 8],
    ['half', k * 8],
    ['counts', k * 8],
  ];
  let off = 0;
  const at = {} as Record<keyof KernelRegions, number>;
  for (const [name, size] of sizes) {
    at[name] = off;
    off += Math.ceil(size / 16) * 16;
  }
  return { bytes: off, at, rows: r, d, k };
}

export abstract class RegionKernels implements DistanceKernels {
  abstract readonly simd: boolean;
  x = new Float64Array(0);
  c = new Float64Array(0);
  list = new Int32Array(0);
  label = new Int32Array(0);
  best = new Float64Array(0);
  second = new Float64Array(0);
  dist = new Float64Array(0);
  sums = new Float64Array(0);
  norms = new Float64Array(0);
  ties = new Int32Array(0);
  rowLabel = new Int32Array(0);
  upper = new Float64Array(0);
  lower = new Float64Array(0);
  z = new Float64Array(0);
  moved = new Float64Array(0);
  half = new Float64Array(0);
  counts = new Float64Array(0);
  protected lay: Layout = layout(0, 0, 0);
  private identityUpTo = 0;
  /** What `x` holds when it was loaded by loadRowsOf (data undefined: unknown). Weak: a finished fit's X is not kept alive. */
  private loaded: { data: WeakRef<Float64Array> | undefined; start: number; end: number; d: number; generation: number } = { data: undefined, start: 0, end: 0, d: 0, generation: 0 };

  protected abstract buffer(bytes: number): ArrayBuffer;

  reserve(rows: number, d: number, k: number): void {
    const l = this.lay;
    if (rows + 2 <= l.rows && d === l.d && k <= l.k) return;
    const next = layout(Math.max(rows, l.d === d ? l.rows - 2 : 0), d, Math.max(k, l.d === d ? l.k : 0));
    const buf = this.buffer(next.bytes);
    const { at, rows: r } = next;
    this.x = new Float64Array(buf, at.x, r * d);
    this.c = new Float64Array(buf, at.c, next.k * d);
    this.list = new Int32Array(buf, at.list, r);
    this.label = new Int32Array(buf, at.label, r);
    this.best = new Float64Array(buf, at.best, r);
    this.second = new Float64Array(buf, at.second, r);
    this.dist = new Float64Array(buf, at.dist, r * next.k);
    this.sums = new Float64Array(buf, at.sums, next.k * d);
    this.norms = new Float64Array(buf, at.norms, next.k);
    this.ties = new Int32Array(buf, at.ties, r);
    this.rowLabel = new Int32Array(buf, at.rowLabel, r);
    this.upper = new Float64Array(buf, at.upper, r);
    this.lower = new Float64Array(buf, at.lower, r);
    this.z = new Float64Array(buf, at.z, r);
    this.moved = new Float64Array(buf, at.moved, next.k);
    this.half = new Float64Array(buf, at.half, next.k);
    this.counts = new Float64Array(buf, at.counts, next.k);
    this.lay = next;
    this.identityUpTo = 0;
    this.loaded.data = undefined;
  }

  loadRows(data: Float64Array, start: number, end: number, d: number): void {
    this.x.set(data.subarray(start * d, end * d));
    this.loaded.data = undefined;
  }

  loadRowsOf(data: Float64Array, start: number, end: number, d: number, generation: number | undefined): void {
    const l = this.loaded;
    if (generation !== undefined && l.data?.deref() === data && l.start === start && l.end === end && l.d === d && l.generation === generation) return;
    this.loadRows(data, start, end, d);
    // Only a whole array is remembered: a chunk of a larger one is not loaded twice in a row.
    if (generation !== undefined && start === 0 && end * d === data.length) this.loaded = { data: new WeakRef(data), start, end, d, generation };
  }

  identity(count: number): void {
    const list = this.list;
    for (let i = this.identityUpTo; i < count; i++) list[i] = i;
    // Kept while nothing else writes the list (see write()).
    this.identityUpTo = Math.max(this.identityUpTo, count);
  }

  /** The list is about to be written with other indices. */
  writeList(): Int32Array {
    this.identityUpTo = 0;
    return this.list;
  }

  abstract nearest(count: number, k: number, d: number): void;

  nearestBounded(count: number, k: number, d: number): number {
    const { c, norms } = this;
    let normMax = 0;
    for (let q = 0; q < k; q++) {
      const v = canonicalDot(c, q * d, c, q * d, d);
      norms[q] = v;
      if (v > normMax) normMax = v;
    }
    const ties = this.boundedScan(count, k, d, boundSlack(d), normMax);
    for (let t = 0; t < ties; t++) this.nearestAt(this.ties[t], k, d);
    return ties;
  }

  /** The kernel of nearestBounded (norms filled); returns the number of near ties listed in `ties`. */
  protected abstract boundedScan(count: number, k: number, d: number, slack: number, normMax: number): number;

  /** label, best and second of list position t by canonical distances (as the scalar nearest). */
  protected nearestAt(t: number, k: number, d: number): void {
    const { x, c, list, label, best, second } = this;
    const xo = list[t] * d;
    let b = 0;
    let bd = Infinity;
    let sd = Infinity;
    for (let q = 0; q < k; q++) {
      const v = canonicalDist2(x, xo, c, q * d, d);
      if (v < bd) {
        sd = bd;
        bd = v;
        b = q;
      } else if (v < sd) sd = v;
    }
    label[t] = b;
    best[t] = bd;
    second[t] = sd;
  }

  abstract loosen(count: number, r1: number, m1: number, m2: number): number;
  abstract apply(count: number, d: number): number;
  abstract distances(count: number, k: number, d: number): void;
  abstract own(count: number, d: number): void;
  abstract accumulate(count: number, d: number): void;
  abstract seed(count: number, t: number, d: number): void;
}

/**
 * The part of the WebAssembly JavaScript API used here (the engine compiles against ES2022
 * without DOM types, which is where TypeScript declares WebAssembly).
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  validate(bytes: Uint8Array): boolean;
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface KernelExports {
  readonly memory: WasmMemory;
  nearest(x: number, list: number, count: number, c: number, k: number, d: number, label: number, best: number, second: number): void;
  nearestBounded(x: number, list: number, count: number, c: number, k: number, d: number, norms: number, label: number, best: number, second: number, ties: number, slack: number, normMax: number): number;
  loosen(labels: number, upper: number, lower: number, count: number, moved: number, half: number, r1: number, m1: number, m2: number, list: number, label: number, z: number): number;
  apply(x: number, list: number, count: number, label: number, rowLabel: number, upper: number, lower: number, best: number, second: number, d: number, sums: number, counts: number): number;
  distances(x: number, list: number, count: number, c: number, k: number, d: number, out: number): void;
  own(x: number, list: number, count: number, c: number, d: number, centre: number, out: number): void;
  accumulate(x: number, list: number, count: number, label: number, d: number, sums: number): void;
  seed(x: number, list: number, count: number, c: number, t: number, d: number, closest: number, out: number, pots: number): void;
}

let compiled: WasmModule | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available. */
function kernelModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = distanceKernelsModule();
    compiled = wasmApi?.validate(bytes) ? new wasmApi.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

export class WasmDistanceKernels extends RegionKernels {
  readonly simd = true;
  private readonly fn: KernelExports;

  constructor(module: WasmModule) {
    super();
    if (!wasmApi) throw new Error('WebAssembly is not available');
    this.fn = new wasmApi.Instance(module, {}).exports as unknown as KernelExports;
  }

  protected buffer(bytes: number): ArrayBuffer {
    const memory = this.fn.memory;
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
    return memory.buffer;
  }

  nearest(count: number, k: number, d: number): void {
    const a = this.lay.at;
    this.fn.nearest(a.x, a.list, count, a.c, k, d, a.label, a.best, a.second);
  }
  protected boundedScan(count: number, k: number, d: number, slack: number, normMax: number): number {
    const a = this.lay.at;
    return this.fn.nearestBounded(a.x, a.list, count, a.c, k, d, a.norms, a.label, a.best, a.second, a.ties, slack, normMax);
  }
  loosen(count: number, r1: number, m1: number, m2: number): number {
    const a = this.lay.at;
    this.writeList();
    return this.fn.loosen(a.rowLabel, a.upper, a.lower, count, a.moved, a.half, r1, m1, m2, a.list, a.label, a.z);
  }
  apply(count: number, d: number): number {
    const a = this.lay.at;
    return this.fn.apply(a.x, a.list, count, a.label, a.rowLabel, a.upper, a.lower, a.best, a.second, d, a.sums, a.counts);
  }
  distances(count: number, k: number, d: number): void {
    const a = this.lay.at;
    this.fn.distances(a.x, a.list, count, a.c, k, d, a.dist);
  }
  own(count: number, d: number): void {
    const a = this.lay.at;
    this.fn.own(a.x, a.list, count, a.c, d, a.label, a.best);
  }
  accumulate(count: number, d: number): void {
    const a = this.lay.at;
    this.fn.accumulate(a.x, a.list, count, a.label, d, a.sums);
  }
  seed(count: number, t: number, d: number): void {
    const a = this.lay.at;
    this.fn.seed(a.x, a.list, count, a.c, t, d, a.best, a.dist, a.sums);
  }
}

/**
 * The canonical squared distance between row `ao` of `a` and row `bo` of `b` (offsets in
 * values): even features in one sum, odd in another, sequentially; then their sum; then an odd
 * last feature. The order every kernel uses (distanceKernels.ts).
 */
export function canonicalDist2(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const t0 = a[ao + j] - b[bo + j];
    const t1 = a[ao + j + 1] - b[bo + j + 1];
    const t2 = a[ao + j + 2] - b[bo + j + 2];
    const t3 = a[ao + j + 3] - b[bo + j + 3];
    s0 += t0 * t0;
    s1 += t1 * t1;
    s0 += t2 * t2;
    s1 += t3 * t3;
  }
  if (j + 2 <= d) {
    const t0 = a[ao + j] - b[bo + j];
    const t1 = a[ao + j + 1] - b[bo + j + 1];
    s0 += t0 * t0;
    s1 += t1 * t1;
    j += 2;
  }
  let s = s0 + s1;
  if (j < d) {
    const t = a[ao + j] - b[bo + j];
    s += t * t;
  }
  return s;
}

/**
 * The dot product of row `ao` of `a` and row `bo` of `b` in the canonical order (as
 * canonicalDist2, with x·m in place of (x − m)²): the order of the dot-form kernels.
 */
export function canonicalDot(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    s0 += a[ao + j] * b[bo + j];
    s1 += a[ao + j + 1] * b[bo + j + 1];
  }
  let s = s0 + s1;
  if (j < d) s += a[ao + j] * b[bo + j];
  return s;
}

/**
 * Δ per unit of ‖x‖² + max ‖c‖² in nearestBounded: how far the dot form's v_q = ‖c_q‖² −
 * 2 x·c_q, shifted by ‖x‖², can be from the canonical squared distance. With u = 2⁻⁵³ and
 * M = ‖x‖² + ‖c‖² (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.1:
 * a sum of n products has error ≤ γ_n Σ|x_j c_j|, γ_n ≈ n·u): the dot product (D/2 + 1 deep)
 * errs by ≤ γ_D·M/2, ‖c‖² by ≤ γ_D·M, the subtraction by ≤ 2u·M, so v by ≤ (2D + 2)u·M; the
 * canonical distance (D/2 + 1 deep sum of terms each within 3u) by ≤ (D/2 + 4)u·2M; ‖x‖²,
 * and the shifts' own roundings add (D + 6)u·M. Together ≤ (4D + 16)u·M; twice that is used,
 * so that the bounds hold with room for the rounding of M itself.
 */
function boundSlack(d: number): number {
  return (8 * d + 32) * 2 ** -53;
}

export class ScalarDistanceKernels extends RegionKernels {
  readonly simd = false;
  protected buffer(bytes: number): ArrayBuffer {
    return new ArrayBuffer(bytes);
  }
  nearest(count: number, k: number, d: number): void {
    for (let i = 0; i < count; i++) this.nearestAt(i, k, d);
  }
  /** The SIMD kernel's arithmetic in its order (pmin / pmax as `b < a ? b : a`, `a < b ? b : a`). */
  protected boundedScan(count: number, k: number, d: number, slack: number, normMax: number): number {
    const { x, c, list, label, best, second, norms, ties } = this;
    let found = 0;
    for (let i = 0; i < count; i++) {
      const xo = list[i] * d;
      const nx = canonicalDot(x, xo, x, xo, d);
      let b = 0;
      let bd = Infinity;
      let sd = Infinity;
      for (let q = 0; q < k; q++) {
        const v = norms[q] - (canonicalDot(x, xo, c, q * d, d) * 2);
        const m = bd < v ? v : bd;
        sd = m < sd ? m : sd;
        if (v < bd) b = q;
        bd = v < bd ? v : bd;
      }
      const delta = slack * (nx + normMax);
      label[i] = b;
      best[i] = Math.max(nx + bd + delta, 0);
      second[i] = Math.max(nx + sd - delta, 0);
      ties[found] = i;
      found += Number(!(sd - bd > delta + delta));
    }
    return found;
  }
  loosen(count: number, r1: number, m1: number, m2: number): number {
    const { rowLabel, upper, lower, moved, half, z } = this;
    const list = this.writeList();
    const label = this.label;
    let p = 0;
    for (let i = 0; i < count; i++) {
      const a = rowLabel[i];
      const u = upper[i] + moved[a];
      const l = lower[i] - (a === r1 ? m2 : m1);
      upper[i] = u;
      lower[i] = l;
      list[p] = i;
      label[p] = a;
      z[p] = l;
      p += Number(u > half[a]) & Number(u > l);
    }
    return p;
  }
  apply(count: number, d: number): number {
    const { x, list, label, rowLabel, upper, lower, best, second, sums, counts } = this;
    let changed = 0;
    for (let t = 0; t < count; t++) {
      const r = list[t];
      const c = label[t];
      upper[r] = Math.sqrt(best[t]);
      lower[r] = Math.sqrt(second[t]);
      const a = rowLabel[r];
      if (a === c) continue;
      changed++;
      rowLabel[r] = c;
      counts[a] -= 1;
      counts[c] += 1;
      const xo = r * d;
      for (let j = 0; j < d; j++) {
        sums[a * d + j] -= x[xo + j];
        sums[c * d + j] += x[xo + j];
      }
    }
    return changed;
  }
  distances(count: number, k: number, d: number): void {
    const { x, c, list, dist } = this;
    for (let i = 0; i < count; i++) for (let q = 0; q < k; q++) dist[i * k + q] = canonicalDist2(x, list[i] * d, c, q * d, d);
  }
  own(count: number, d: number): void {
    const { x, c, list, label, best } = this;
    for (let i = 0; i < count; i++) best[i] = canonicalDist2(x, list[i] * d, c, label[i] * d, d);
  }
  accumulate(count: number, d: number): void {
    const { x, list, label, sums } = this;
    for (let i = 0; i < count; i++) {
      const xo = list[i] * d;
      const so = label[i] * d;
      for (let j = 0; j < d; j++) sums[so + j] += x[xo + j];
    }
  }
  seed(count: number, t: number, d: number): void {
    const { x, c, list, best, dist, sums } = this;
    for (let i = 0; i < count; i++) {
      const cl = best[i];
      for (let q = 0; q < t; q++) {
        const v = canonicalDist2(x, list[i] * d, c, q * d, d);
        const m = v < cl ? v : cl;
        dist[i * t + q] = m;
        sums[q] += m;
      }
    }
  }
}

let mine: RegionKernels | undefined;

/**
 * This thread's kernels: WebAssembly SIMD where available (Node 16.4+, VS Code's Electron),
 * else the scalar JavaScript with the same results. NEON_SIMD=0 forces the scalar path.
 */
export function distanceKernels(): RegionKernels {
  if (mine) return mine;
  const module = process.env.NEON_SIMD === '0' ? null : kernelModule();
  mine = module ? new WasmDistanceKernels(module) : new ScalarDistanceKernels();
  return mine;
}

/** A fresh instance of each implementation (tests compare them). */
export function bothKernels(): { simd: RegionKernels | undefined; scalar: RegionKernels } {
  const module = kernelModule();
  return { simd: module ? new WasmDistanceKernels(module) : undefined, scalar: new ScalarDistanceKernels() };
}
