/**
 * NEON for a block of k-means rows in WebAssembly SIMD (f64x2), emitted with assembler.ts:
 * steps 1 and 3 of the batch path (neuralize/kmeansBatch.ts module comment), around step 2
 * (the per-row pooling, `RowPooling`, in JavaScript: a few comparisons and exponentials per
 * competitor, with the reference rule's envelope walk).
 *
 *  - distances: the assignment pass's own kernel (distanceKernels.ts `distancesKernel`), so
 *    h_k = d_k − d_c comes with the canonical bits of the assignment.
 *  - relevance(x, count, d, c, label, start, which, a, v, base, midpoint, fc, units, out,
 *    rowSum, rowAbs, u, w, r): for list row i with assigned cluster c = label[i] and active
 *    competitors e ∈ [start[i], start[i + 1]) (index which[e], weights a[e], v[e]), with
 *    δ = μ_c − μ_q:
 *        U = Σ_e a_e δ,  W = Σ_e v_e δ²  (δ² only where v_e ≠ 0),
 *        R_j = ((x_j − b_j) · U_j) · 2 + W_j,  b = μ_c (midpoint ≠ 0) or `base`,
 *    then per row Σ_j R_j (rowSum), Σ_j |R_j| (rowAbs), and R summed into the table's columns,
 *    out[i·units + fc[j]] += R_j, in feature order. Each lane holds one feature, so the values
 *    are those of `rowRelevance` in kmeansBatch.ts bit for bit (same operations, same order).
 *    Features are taken in pairs; an odd D's last pair reads one value past the row (x, μ) and
 *    writes scratch lane D of u, w, r, never read back.
 *
 * Addresses are byte offsets into the module's own memory; `ExplainKernels` lays the regions
 * out per block and copies rows, centroids and the pooling's lists in.
 */
import { F64, FunctionBody, I32, ModuleBuilder, V128 } from './assembler';
import { distancesKernel } from './distanceKernels';

/** relevance(...): see the module comment. */
function relevanceKernel(): FunctionBody {
  const f = new FunctionBody(Array.from({ length: 19 }, () => I32));
  const p = { x: 0, count: 1, d: 2, c: 3, label: 4, start: 5, which: 6, a: 7, v: 8, base: 9, midpoint: 10, fc: 11, units: 12, out: 13, rowSum: 14, rowAbs: 15, u: 16, w: 17, r: 18 };
  const i = f.local(I32);
  const e = f.local(I32);
  const eEnd = f.local(I32);
  const db = f.local(I32);
  const dpb = f.local(I32);
  const jb = f.local(I32);
  const j = f.local(I32);
  const xa = f.local(I32);
  const ca = f.local(I32);
  const qa = f.local(I32);
  const ba = f.local(I32);
  const o = f.local(I32);
  const addr = f.local(I32);
  const ve = f.local(F64);
  const rj = f.local(F64);
  const sum = f.local(F64);
  const abs = f.local(F64);
  const av = f.local(V128);
  const vv = f.local(V128);
  const t = f.local(V128);
  const two = f.local(V128);
  const at = (base: number): void => void f.get(base).get(jb).i32Add();
  const load = (base: number): void => {
    at(base);
    f.v128Load();
  };
  // db = D · 8; dpb = D rounded up to even, · 8 (the pairs' span).
  f.get(p.d).i32(3).i32Shl().set(db);
  f.get(p.d).i32(1).i32Add().i32(-2).i32And().i32(3).i32Shl().set(dpb);
  f.f64(2).f64x2Splat().set(two);
  const pairs = (body: () => void): void => void f.forRange(jb, () => f.i32(0), () => f.get(dpb), 16, body);
  f.forRange(i, () => f.i32(0), () => f.get(p.count), 1, () => {
    f.get(p.x).get(i).get(db).i32Mul().i32Add().set(xa);
    f.get(p.c).get(p.label).get(i).i32(2).i32Shl().i32Add().i32Load().get(db).i32Mul().i32Add().set(ca);
    // b = μ_c (midpoint) or the base point.
    f.get(ca).get(p.base).get(p.midpoint).select().set(ba);
    pairs(() => {
      at(p.u);
      f.v128Zero().v128Store();
      at(p.w);
      f.v128Zero().v128Store();
    });
    f.get(p.start).get(i).i32(2).i32Shl().i32Add().tee(addr).i32Load().set(e);
    f.get(addr).i32Load(4).set(eEnd);
    f.block(() =>
      f.loop(() => {
        f.get(e).get(eEnd).i32GeS().brIf(1);
        f.get(p.c).get(p.which).get(e).i32(2).i32Shl().i32Add().i32Load().get(db).i32Mul().i32Add().set(qa);
        f.get(p.a).get(e).i32(3).i32Shl().i32Add().f64Load().f64x2Splat().set(av);
        f.get(p.v).get(e).i32(3).i32Shl().i32Add().f64Load().tee(ve);
        f.f64(0).f64Ne().ifThen(
          () => {
            f.get(ve).f64x2Splat().set(vv);
            pairs(() => {
              load(ca);
              load(qa);
              f.f64x2Sub().set(t);
              at(p.u);
              load(p.u);
              f.get(av).get(t).f64x2Mul().f64x2Add().v128Store();
              at(p.w);
              load(p.w);
              f.get(vv).get(t).get(t).f64x2Mul().f64x2Mul().f64x2Add().v128Store();
            });
          },
          () =>
            pairs(() => {
              at(p.u);
              load(p.u);
              f.get(av);
              load(ca);
              load(qa);
              f.f64x2Sub().f64x2Mul().f64x2Add().v128Store();
            }),
        );
        f.get(e).i32(1).i32Add().set(e).br(0);
      }),
    );
    // R = ((x − b) · U) · 2 + W.
    pairs(() => {
      at(p.r);
      load(xa);
      load(ba);
      f.f64x2Sub();
      load(p.u);
      f.f64x2Mul().get(two).f64x2Mul();
      load(p.w);
      f.f64x2Add().v128Store();
    });
    // Columns: zero the row's U outputs, then add each feature's R in feature order.
    f.get(p.out).get(i).get(p.units).i32Mul().i32(3).i32Shl().i32Add().set(o);
    f.forRange(j, () => f.i32(0), () => f.get(p.units), 1, () => void f.get(o).get(j).i32(3).i32Shl().i32Add().f64(0).f64Store());
    f.f64(0).set(sum);
    f.f64(0).set(abs);
    f.forRange(j, () => f.i32(0), () => f.get(p.d), 1, () => {
      f.get(p.r).get(j).i32(3).i32Shl().i32Add().f64Load().set(rj);
      f.get(sum).get(rj).f64Add().set(sum);
      f.get(abs).get(rj).f64Abs().f64Add().set(abs);
      f.get(o).get(p.fc).get(j).i32(2).i32Shl().i32Add().i32Load().i32(3).i32Shl().i32Add().tee(addr);
      f.get(addr).f64Load().get(rj).f64Add().f64Store();
    });
    f.get(p.rowSum).get(i).i32(3).i32Shl().i32Add().get(sum).f64Store();
    f.get(p.rowAbs).get(i).i32(3).i32Shl().i32Add().get(abs).f64Store();
  });
  return f;
}

/** The module's bytes: distances and relevance over one memory. */
export function explainKernelsModule(): Uint8Array {
  return new ModuleBuilder().add('distances', distancesKernel()).add('relevance', relevanceKernel()).encode();
}

interface Regions {
  x: Float64Array;
  c: Float64Array;
  list: Int32Array;
  dist: Float64Array;
  label: Int32Array;
  start: Int32Array;
  which: Int32Array;
  a: Float64Array;
  v: Float64Array;
  base: Float64Array;
  fc: Int32Array;
  u: Float64Array;
  w: Float64Array;
  r: Float64Array;
  out: Float64Array;
  rowSum: Float64Array;
  rowAbs: Float64Array;
}
type RegionName = keyof Regions;

/** The part of the WebAssembly JavaScript API used here (no DOM types in the engine). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
  validate(bytes: Uint8Array): boolean;
}
interface Exports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  distances(x: number, list: number, count: number, c: number, k: number, d: number, out: number): void;
  relevance(...args: number[]): void;
}

/**
 * One thread's instance: regions for a block of `rows` rows (views valid until the next
 * `reserve`), the two kernels over them.
 */
export class ExplainKernels implements Regions {
  x = new Float64Array(0);
  c = new Float64Array(0);
  list = new Int32Array(0);
  dist = new Float64Array(0);
  label = new Int32Array(0);
  start = new Int32Array(0);
  which = new Int32Array(0);
  a = new Float64Array(0);
  v = new Float64Array(0);
  base = new Float64Array(0);
  fc = new Int32Array(0);
  u = new Float64Array(0);
  w = new Float64Array(0);
  r = new Float64Array(0);
  out = new Float64Array(0);
  rowSum = new Float64Array(0);
  rowAbs = new Float64Array(0);
  private at = {} as Record<RegionName, number>;
  private shape = { rows: -1, d: -1, k: -1, units: -1 };

  constructor(private readonly fn: Exports) {}

  /** Room for `rows` rows of `d` features, `k` centroids and `units` output columns. */
  reserve(rows: number, d: number, k: number, units: number): void {
    const sh = this.shape;
    if (rows <= sh.rows && d === sh.d && k === sh.k && units === sh.units) return;
    const r = rows + 2;
    const dp = d + (d & 1);
    // [name, element count, bytes per element]; each region + 16 bytes (a pair read past an odd D).
    const sizes: [RegionName, number, 4 | 8][] = [
      ['x', r * d, 8],
      ['c', k * d, 8],
      ['list', r, 4],
      ['dist', r * k, 8],
      ['label', r, 4],
      ['start', r + 1, 4],
      ['which', r * k, 4],
      ['a', r * k, 8],
      ['v', r * k, 8],
      ['base', dp, 8],
      ['fc', d, 4],
      ['u', dp, 8],
      ['w', dp, 8],
      ['r', dp, 8],
      ['out', r * units, 8],
      ['rowSum', r, 8],
      ['rowAbs', r, 8],
    ];
    let off = 0;
    const at = {} as Record<RegionName, number>;
    for (const [name, n, size] of sizes) {
      at[name] = off;
      off += Math.ceil((n * size) / 16) * 16 + 16;
    }
    const memory = this.fn.memory;
    if (off > memory.buffer.byteLength) memory.grow(Math.ceil((off - memory.buffer.byteLength) / 65536));
    const buf = memory.buffer;
    for (const [name, n, size] of sizes) {
      (this as unknown as Record<RegionName, ArrayBufferView>)[name] = size === 4 ? new Int32Array(buf, at[name], n) : new Float64Array(buf, at[name], n);
    }
    for (let i = 0; i < r; i++) this.list[i] = i;
    this.at = at;
    this.shape = { rows, d, k, units };
  }

  /** Rows [start, end) of `data` (N × D) into `x` at row 0. */
  loadRows(data: Float64Array, start: number, end: number, d: number): void {
    this.x.set(data.subarray(start * d, end * d));
  }

  /** dist[i·K + q] = ‖x_i − μ_q‖², canonical order, for list rows [0, count). */
  distances(count: number, k: number, d: number): void {
    const a = this.at;
    this.fn.distances(a.x, a.list, count, a.c, k, d, a.dist);
  }

  /** The relevance kernel over rows [0, count) (module comment); b = μ_c when `midpoint`. */
  relevance(count: number, d: number, midpoint: boolean, units: number): void {
    const a = this.at;
    this.fn.relevance(a.x, count, d, a.c, a.label, a.start, a.which, a.a, a.v, a.base, midpoint ? 1 : 0, a.fc, units, a.out, a.rowSum, a.rowAbs, a.u, a.w, a.r);
  }
}

const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;
let mine: ExplainKernels | null | undefined;

/**
 * This thread's explain kernels, or null where WebAssembly SIMD is unavailable or NEON_SIMD=0
 * (the JavaScript batch path, same values, is used then).
 */
export function explainKernels(): ExplainKernels | null {
  if (mine !== undefined) return mine;
  if (compiled === undefined) {
    try {
      const bytes = explainKernelsModule();
      compiled = process.env.NEON_SIMD !== '0' && wasmApi?.validate(bytes) ? new wasmApi.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  mine = compiled && wasmApi ? new ExplainKernels(new wasmApi.Instance(compiled, {}).exports as unknown as Exports) : null;
  return mine;
}
