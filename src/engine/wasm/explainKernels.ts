/**
 * NEON for a block of k-means rows in WebAssembly (f64x2 SIMD where it pays), emitted with
 * assembler.ts: steps 1 and 3 of the batch path (neuralize/kmeansBatch.ts module comment) and
 * step 2 but for the evidence's logarithm and the probability's exponential: `prepare` below,
 * then `pool` (poolKernel.ts: the rule's weights, with the reference rule's envelope walk).
 * The soft pool's path integral stays in JavaScript (`RowPooling.prepared`).
 *
 *  - distances: the assignment pass's own kernel (distanceKernels.ts `distancesKernel`), so
 *    h_k = d_k − d_c comes with the canonical bits of the assignment; the rule's base point as
 *    centroid K gives ‖x − r‖² with them.
 *  - prepare: per row the nearest centroid, h, hMin and the min-takes-most shares (below).
 *  - relevance(x, count, d, c, label, start, which, a, v, base, midpoint, fc, units, out,
 *    rowSum, rowAbs, u, w, r, fv, conservative, sums): for list row i with assigned cluster c = label[i] and active
 *    competitors e ∈ [start[i], start[i + 1]) (index which[e], weights a[e], v[e]), with
 *    δ = μ_c − μ_q:
 *        U = Σ_e a_e δ,  W = Σ_e v_e δ²  (δ² only where v_e ≠ 0),
 *        R_j = ((x_j − b_j) · U_j) · 2 + W_j,  b = μ_c (midpoint ≠ 0) or `base`,
 *    then per row Σ_j R_j (rowSum), Σ_j |R_j| (rowAbs), and R summed into the table's columns,
 *    out[i·units + fc[j]] += R_j, in feature order; with the evidence f = fv[i], the block's
 *    conservation sums (kmeansBatch.ts `exactRow`) into sums[0 … 2]. Each lane holds one feature, so the values
 *    are those of `rowRelevance` in kmeansBatch.ts bit for bit (same operations, same order).
 *    Features are taken in pairs; an odd D's last pair reads one value past the row (x, μ) and
 *    writes scratch lane D of u, w, r, never read back.
 *
 * Addresses are byte offsets into the module's own memory; `ExplainKernels` lays the regions
 * out per block and copies rows, centroids and the pooling's lists in.
 */
import { EXP_NEG } from '../neuralize/kmeansBatch';
import { F64, FunctionBody, I32, ModuleBuilder, V128 } from './assembler';
import { distancesKernel } from './distanceKernels';
import { poolKernel } from './poolKernel';

/** relevance(...): see the module comment. */
function relevanceKernel(): FunctionBody {
  const f = new FunctionBody(Array.from({ length: 25 }, () => I32));
  const p = { x: 0, count: 1, d: 2, c: 3, label: 4, start: 5, which: 6, a: 7, v: 8, base: 9, midpoint: 10, fc: 11, units: 12, out: 13, rowSum: 14, rowAbs: 15, u: 16, w: 17, r: 18, fv: 19, conservative: 20, sums: 21, k: 22, dtab: 23, identity: 24 };
  const cb = f.local(I32);
  const da = f.local(I32);
  const sq = f.local(I32);
  const i = f.local(I32);
  const e = f.local(I32);
  const eEnd = f.local(I32);
  const db = f.local(I32);
  const dpb = f.local(I32);
  const jb = f.local(I32);
  const j = f.local(I32);
  const xa = f.local(I32);
  const ca = f.local(I32);
  const ba = f.local(I32);
  const o = f.local(I32);
  const addr = f.local(I32);
  const ve = f.local(F64);
  const rj = f.local(F64);
  const sum = f.local(F64);
  const abs = f.local(F64);
  const fr = f.local(F64);
  const gap = f.local(F64);
  const total = f.local(F64);
  const dev = f.local(F64);
  const exact = f.local(I32);
  const inexact = f.local(I32);
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
  // sq: bytes from a δ row of the `deltas` table to its δ² row (K · K rows of the pairs' span).
  f.get(p.k).get(p.k).i32Mul().get(dpb).i32Mul().set(sq);
  f.f64(0).set(gap);
  f.f64(0).set(total);
  f.i32(0).set(inexact);
  f.forRange(i, () => f.i32(0), () => f.get(p.count), 1, () => {
    f.get(p.x).get(i).get(db).i32Mul().i32Add().set(xa);
    f.get(p.c).get(p.label).get(i).i32(2).i32Shl().i32Add().i32Load().get(db).i32Mul().i32Add().set(ca);
    // b = μ_c (midpoint) or the base point.
    f.get(ca).get(p.base).get(p.midpoint).select().set(ba);
    // The δ = μ_c − μ_q rows of this row's c.
    f.get(p.dtab).get(p.label).get(i).i32(2).i32Shl().i32Add().i32Load().get(p.k).i32Mul().get(dpb).i32Mul().i32Add().set(cb);
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
        f.get(cb).get(p.which).get(e).i32(2).i32Shl().i32Add().i32Load().get(dpb).i32Mul().i32Add().set(da);
        f.get(p.a).get(e).i32(3).i32Shl().i32Add().f64Load().f64x2Splat().set(av);
        f.get(p.v).get(e).i32(3).i32Shl().i32Add().f64Load().tee(ve);
        f.f64(0).f64Ne().ifThen(
          () => {
            f.get(ve).f64x2Splat().set(vv);
            pairs(() => {
              load(da);
              f.set(t);
              at(p.u);
              load(p.u);
              f.get(av).get(t).f64x2Mul().f64x2Add().v128Store();
              at(p.w);
              load(p.w);
              f.get(vv);
              // δ² (the table's second half): t · t as computed here before.
              f.get(da).get(sq).i32Add().get(jb).i32Add().v128Load();
              f.f64x2Mul().f64x2Add().v128Store();
            });
          },
          () =>
            pairs(() => {
              at(p.u);
              load(p.u);
              f.get(av);
              load(da);
              f.f64x2Mul().f64x2Add().v128Store();
            }),
        );
        f.get(e).i32(1).i32Add().set(e).br(0);
      }),
    );
    f.get(p.out).get(i).get(p.units).i32Mul().i32(3).i32Shl().i32Add().set(o);
    // R = ((x − b) · U) · 2 + W; every feature its own column (`identity`): out = 0 + R here,
    // what the column pass below gives (0 + −0 is +0), two at a time (an odd D's last pair
    // writes one past the row: the next row's first column, written again with that row).
    pairs(() => {
      at(p.r);
      load(xa);
      load(ba);
      f.f64x2Sub();
      load(p.u);
      f.f64x2Mul().get(two).f64x2Mul();
      load(p.w);
      f.f64x2Add().tee(t).v128Store();
      f.get(p.identity).ifThen(() => {
        at(o);
        f.v128Zero().get(t).f64x2Add().v128Store();
      });
    });
    f.f64(0).set(sum);
    f.f64(0).set(abs);
    f.get(p.identity).ifThen(
      () =>
        f.forRange(j, () => f.i32(0), () => f.get(p.d), 1, () => {
          f.get(p.r).get(j).i32(3).i32Shl().i32Add().f64Load().set(rj);
          f.get(sum).get(rj).f64Add().set(sum);
          f.get(abs).get(rj).f64Abs().f64Add().set(abs);
        }),
      () => {
        // Columns: zero the row's U outputs, then add each feature's R in feature order.
        f.forRange(j, () => f.i32(0), () => f.get(p.units), 1, () => void f.get(o).get(j).i32(3).i32Shl().i32Add().f64(0).f64Store());
        f.forRange(j, () => f.i32(0), () => f.get(p.d), 1, () => {
          f.get(p.r).get(j).i32(3).i32Shl().i32Add().f64Load().set(rj);
          f.get(sum).get(rj).f64Add().set(sum);
          f.get(abs).get(rj).f64Abs().f64Add().set(abs);
          f.get(o).get(p.fc).get(j).i32(2).i32Shl().i32Add().i32Load().i32(3).i32Shl().i32Add().tee(addr);
          f.get(addr).f64Load().get(rj).f64Add().f64Store();
        });
      },
    );
    f.get(p.rowSum).get(i).i32(3).i32Shl().i32Add().get(sum).f64Store();
    f.get(p.rowAbs).get(i).i32(3).i32Shl().i32Add().get(abs).f64Store();
    // kmeansBatch.ts `exactRow`: f and Σ|R| finite, and (conservative rules) |Σ R − f| ≤
    // 1e-10 (Σ|R| + |f|) + MIN_VALUE. An exact row adds to the block's gap and Σ|f| in row
    // order, as the caller's loop did; an inexact one is counted (the caller then redoes the block's sums).
    f.get(p.fv).get(i).i32(3).i32Shl().i32Add().f64Load().set(fr);
    f.get(sum).get(fr).f64Sub().f64Abs().set(dev);
    f.get(fr).f64Abs().f64(Infinity).f64Lt().get(abs).f64Abs().f64(Infinity).f64Lt().i32And();
    f.get(dev).f64(1e-10).get(abs).get(fr).f64Abs().f64Add().f64Mul().f64(Number.MIN_VALUE).f64Add().f64Le().get(p.conservative).i32Eqz().i32Or();
    f.i32And().set(exact);
    f.get(gap).get(dev).f64Add().get(gap).get(exact).select().set(gap);
    f.get(total).get(fr).f64Abs().f64Add().get(total).get(exact).select().set(total);
    f.get(inexact).get(exact).i32Eqz().i32Add().set(inexact);
  });
  f.get(p.sums).get(gap).f64Store();
  f.get(p.sums).get(total).f64Store(8);
  f.get(p.sums).get(inexact).f64ConvertI32().f64Store(16);
  return f;
}

/**
 * deltas(c, k, d, dtab): for every pair of centroids c, q < K (K × D at `c`), δ = μ_c − μ_q into
 * row c·K + q of `dtab` and δ² = δ · δ into the same row of its second half (rows of D rounded
 * up to even; an odd D's last lane is the pairs' scratch, as in the relevance kernel). The
 * relevance kernel reads them instead of subtracting the centroids for every row and entry:
 * the same operations on the same values, so the same bits.
 */
function deltasKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32]);
  const p = { c: 0, k: 1, d: 2, dtab: 3 };
  const cq = f.local(I32);
  const q = f.local(I32);
  const jb = f.local(I32);
  const db = f.local(I32);
  const dpb = f.local(I32);
  const o = f.local(I32);
  const sq = f.local(I32);
  const t = f.local(V128);
  f.get(p.d).i32(3).i32Shl().set(db);
  f.get(p.d).i32(1).i32Add().i32(-2).i32And().i32(3).i32Shl().set(dpb);
  f.get(p.k).get(p.k).i32Mul().get(dpb).i32Mul().set(sq);
  f.forRange(cq, () => f.i32(0), () => f.get(p.k), 1, () =>
    f.forRange(q, () => f.i32(0), () => f.get(p.k), 1, () => {
      f.get(p.dtab).get(cq).get(p.k).i32Mul().get(q).i32Add().get(dpb).i32Mul().i32Add().set(o);
      f.forRange(jb, () => f.i32(0), () => f.get(dpb), 16, () => {
        f.get(o).get(jb).i32Add();
        f.get(p.c).get(cq).get(db).i32Mul().i32Add().get(jb).i32Add().v128Load();
        f.get(p.c).get(q).get(db).i32Mul().i32Add().get(jb).i32Add().v128Load();
        f.f64x2Sub().tee(t).v128Store();
        f.get(o).get(sq).i32Add().get(jb).i32Add().get(t).get(t).f64x2Mul().v128Store();
      });
    }),
  );
  return f;
}

/**
 * prepare(dist, count, kk, k, beta, label, hmin, zsum, h, ex, pow32): the first part of
 * `RowPooling.row` (kmeansBatch.ts) for each row i, with the same operations in the same order
 * (so the same bits): from its K squared distances at dist[i·kk …] the nearest centroid c (lowest
 * index on ties) into label[i], h_q = d_q − d_c into h[i·K + q] (0 at c), hMin = min_{q≠c} h_q,
 * the shares ex[i·K + q] = e^−β(h_q − hMin) (0 beyond e^−40, and at c) by `expNeg`'s arithmetic
 * (table pow32 = 2^−j/32; 2^−m by the exponent field), and z = Σ_q ex in index order.
 */
function prepareKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, F64, I32, I32, I32, I32, I32, I32]);
  const p = { dist: 0, count: 1, kk: 2, k: 3, beta: 4, label: 5, hmin: 6, zsum: 7, h: 8, ex: 9, pow32: 10 };
  const { LN2_32_HI, LN2_32_LO, INV_LN2_32, C3, C4, C5, C6 } = EXP_NEG;
  const i = f.local(I32);
  const q = f.local(I32);
  const c = f.local(I32);
  const at = f.local(I32);
  const ho = f.local(I32);
  const eo = f.local(I32);
  const best = f.local(F64);
  const dq = f.local(F64);
  const hMin = f.local(F64);
  const z = f.local(F64);
  const hv = f.local(V128);
  const dv = f.local(V128);
  const bestv = f.local(V128);
  const hminv = f.local(V128);
  const bv = f.local(V128);
  const v40 = f.local(V128);
  const zero = f.local(V128);
  const argv = f.local(V128);
  const rv = f.local(V128);
  const r2v = f.local(V128);
  const nv = f.local(V128);
  const nfv = f.local(V128);
  const ev = f.local(V128);
  // The constants of expNeg, splatted once.
  const vInv = f.local(V128);
  const vHalf = f.local(V128);
  const vHi = f.local(V128);
  const vLo = f.local(V128);
  const vOne = f.local(V128);
  const vC3 = f.local(V128);
  const vC4 = f.local(V128);
  const vC5 = f.local(V128);
  const vC6 = f.local(V128);
  const overK = (body: () => void): void => void f.forRange(q, () => f.i32(0), () => f.get(p.k), 1, body);
  const slot = (base: number): void => void f.get(base).get(q).i32(3).i32Shl().i32Add();
  f.get(p.beta).f64x2Splat().set(bv);
  f.f64(40).f64x2Splat().set(v40);
  f.v128Zero().set(zero);
  f.f64(INV_LN2_32).f64x2Splat().set(vInv);
  f.f64(0.5).f64x2Splat().set(vHalf);
  f.f64(LN2_32_HI).f64x2Splat().set(vHi);
  f.f64(LN2_32_LO).f64x2Splat().set(vLo);
  f.f64(1).f64x2Splat().set(vOne);
  f.f64(C3).f64x2Splat().set(vC3);
  f.f64(C4).f64x2Splat().set(vC4);
  f.f64(C5).f64x2Splat().set(vC5);
  f.f64(C6).f64x2Splat().set(vC6);
  f.forRange(i, () => f.i32(0), () => f.get(p.count), 1, () => {
    f.get(p.dist).get(i).get(p.kk).i32Mul().i32(3).i32Shl().i32Add().set(at);
    f.get(p.h).get(i).get(p.k).i32Mul().i32(3).i32Shl().i32Add().set(ho);
    f.get(p.ex).get(i).get(p.k).i32Mul().i32(3).i32Shl().i32Add().set(eo);
    // c = dq < best ? q : c; best = dq < best ? dq : best (NaN never taken), without branches:
    // V8 compiles a scalar f64 select to a branch, which mispredicts on real data, so best
    // lives in an f64x2 lane (pmin is that select) and the comparison's mask picks c.
    f.f64(Infinity).f64x2Splat().set(bestv);
    f.i32(0).set(c);
    overK(() => {
      slot(at);
      f.f64Load().f64x2Splat().tee(dv).get(bestv).f64x2Lt().i32x4Lane(0).get(q).get(c).i32Xor().i32And().get(c).i32Xor().set(c);
      f.get(bestv).get(dv).f64x2Pmin().set(bestv);
    });
    f.get(bestv).f64x2Lane(0).set(best);
    // h_q = d_q − d_c for every q (0 at c); hMin over q ≠ c (hMin = h < hMin && q ≠ c ? h : hMin), likewise.
    f.f64(Infinity).f64x2Splat().set(hminv);
    overK(() => {
      slot(ho);
      slot(at);
      f.f64Load().get(best).f64Sub().tee(dq).f64Store();
      f.get(dq).f64x2Splat().tee(dv).get(hminv).get(dv).get(hminv).f64x2Lt().i32(0).get(q).get(c).i32Ne().i32Sub().i32x4Splat().v128And().bitselect().set(hminv);
    });
    f.get(hminv).f64x2Lane(0).set(hMin);
    // The shares two at a time (f64x2: each lane the scalar expNeg's operations, so its bits):
    // arg = β (h_q − hMin) (JS: beta * (h − hMin)); expNeg on arg clamped to [0, 40] so its
    // table index stays in range (NaN stays NaN); e = 0 where arg > 40. An odd K's last pair
    // reads h one past the row and writes ex one past it: the next row's slot, written again
    // when that row comes (the regions have room past the last row).
    f.get(hMin).f64x2Splat().set(hv);
    f.forRange(q, () => f.i32(0), () => f.get(p.k), 2, () => {
      slot(ho);
      f.v128Load().get(hv).f64x2Sub().get(bv).f64x2Mul().set(argv);
      f.get(argv).get(v40).f64x2Min().get(zero).f64x2Max().set(rv);
      // expNeg(a): n = (a · 32/ln 2 + 0.5) | 0, r = a − n·HI − n·LO, Taylor to degree 6.
      f.get(rv).get(vInv).f64x2Mul().get(vHalf).f64x2Add().i32x4TruncSatF64x2().tee(nv).f64x2ConvertLowI32x4().set(nfv);
      f.get(rv).get(nfv).get(vHi).f64x2Mul().f64x2Sub().get(nfv).get(vLo).f64x2Mul().f64x2Sub().tee(rv).get(rv).f64x2Mul().set(r2v);
      // 1 − r + r2 · (0.5 − r·C3 + r2 · (C4 − r·C5 + r2·C6))
      f.get(vOne).get(rv).f64x2Sub();
      f.get(r2v);
      f.get(vHalf).get(rv).get(vC3).f64x2Mul().f64x2Sub();
      f.get(r2v);
      f.get(vC4).get(rv).get(vC5).f64x2Mul().f64x2Sub().get(r2v).get(vC6).f64x2Mul().f64x2Add();
      f.f64x2Mul().f64x2Add().f64x2Mul().f64x2Add();
      // · 2^−(n & 31)/32, each lane its own table entry,
      const entry = (lane: 0 | 1): void => void f.get(p.pow32).get(nv).i32x4Lane(lane).i32(31).i32And().i32(3).i32Shl().i32Add().f64Load();
      entry(0);
      f.f64x2Splat();
      entry(1);
      f.f64x2ReplaceLane(1);
      // then · 2^−m, m = n >> 5 ≤ 57, by subtracting m from the exponent field: the product above
      // lies in (0.49, 1.02), so the result stays normal and the bits are those of the
      // multiplication by the table's exact 2^−m (NaN lanes have n = 0: unchanged).
      f.f64x2Mul();
      f.get(nv).i32(5).i32x4ShrS().i64x2ExtendLowI32x4().i32(52).i64x2Shl().i64x2Sub().set(ev);
      // e = arg > 40 ? 0 : expNeg(arg) (NaN: expNeg's NaN, as in JavaScript).
      f.get(zero).get(ev).get(argv).get(v40).f64x2Gt().bitselect().set(ev);
      slot(eo);
      f.get(ev).v128Store();
    });
    // 0 at c; z = Σ_q ex in index order (the 0 at c included, as the scalar loop added it).
    f.get(eo).get(c).i32(3).i32Shl().i32Add().f64(0).f64Store();
    f.f64(0).set(z);
    overK(() => {
      slot(eo);
      f.f64Load().get(z).f64Add().set(z);
    });
    f.get(p.label).get(i).i32(2).i32Shl().i32Add().get(c).i32Store();
    f.get(p.hmin).get(i).i32(3).i32Shl().i32Add().get(hMin).f64Store();
    f.get(p.zsum).get(i).i32(3).i32Shl().i32Add().get(z).f64Store();
  });
  return f;
}

/** The module's bytes: distances, prepare, pool (poolKernel.ts) and relevance over one memory. */
export function explainKernelsModule(): Uint8Array {
  return new ModuleBuilder().add('distances', distancesKernel()).add('prepare', prepareKernel()).add('pool', poolKernel()).add('relevance', relevanceKernel()).add('deltas', deltasKernel()).encode();
}

interface Regions {
  x: Float64Array;
  h: Float64Array;
  ex: Float64Array;
  hmin: Float64Array;
  zsum: Float64Array;
  pow32: Float64Array;
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
  fv: Float64Array;
  refd: Float64Array;
  gw: Float64Array;
  floor: Float64Array;
  w2: Float64Array;
  wlen: Float64Array;
  del: Float64Array;
  len: Float64Array;
  sums: Float64Array;
  dtab: Float64Array;
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
  prepare(dist: number, count: number, kk: number, k: number, beta: number, label: number, hmin: number, zsum: number, h: number, ex: number, pow32: number): void;
  pool(...args: number[]): void;
  relevance(...args: number[]): void;
  deltas(c: number, k: number, d: number, dtab: number): void;
}

/**
 * One thread's instance: regions for a block of `rows` rows (views valid until the next
 * `reserve`), the two kernels over them.
 */
export class ExplainKernels implements Regions {
  x = new Float64Array(0);
  h = new Float64Array(0);
  ex = new Float64Array(0);
  hmin = new Float64Array(0);
  zsum = new Float64Array(0);
  pow32 = new Float64Array(0);
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
  fv = new Float64Array(0);
  refd = new Float64Array(0);
  gw = new Float64Array(0);
  floor = new Float64Array(0);
  w2 = new Float64Array(0);
  wlen = new Float64Array(0);
  del = new Float64Array(0);
  len = new Float64Array(0);
  /** The relevance kernel's block sums: Σ |Σ R − f| and Σ |f| over exact rows, the count of inexact rows. */
  sums = new Float64Array(0);
  /** The `deltas` table: δ = μ_c − μ_q, then δ², for the relevance kernel. */
  dtab = new Float64Array(0);
  private at = {} as Record<RegionName, number>;
  private shape = { rows: -1, d: -1, k: -1, units: -1 };

  constructor(private readonly fn: Exports) {}

  /**
   * Room for `rows` rows of `d` features, `k` centroids (K, plus one for a base point) and
   * `units` output columns.
   */
  reserve(rows: number, d: number, k: number, units: number): void {
    const sh = this.shape;
    if (rows <= sh.rows && d === sh.d && k === sh.k && units === sh.units) return;
    const r = rows + 2;
    const dp = d + (d & 1);
    // [name, element count, bytes per element]; each region + 16 bytes (a pair read past an odd D).
    const sizes: [RegionName, number, 4 | 8][] = [
      ['x', r * d, 8],
      ['h', r * k, 8],
      ['ex', r * k, 8],
      ['hmin', r, 8],
      ['zsum', r, 8],
      ['pow32', 32, 8],
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
      ['fv', r, 8],
      ['refd', k, 8],
      ['gw', k * k, 8],
      ['floor', k * k, 8],
      ['w2', k * k, 8],
      ['wlen', k * k, 8],
      ['del', k, 8],
      ['len', k, 8],
      ['sums', 3, 8],
      ['dtab', 2 * k * k * dp, 8],
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
    this.pow32.set(EXP_NEG.POW2_NEG_32TH);
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

  /**
   * `RowPooling.row`'s first part for list rows [0, count) (`prepare`, module comment): label,
   * h and ex (stride `k`), hmin, zsum; distances at stride `kk` (≥ k).
   */
  prepare(count: number, kk: number, k: number, beta: number): void {
    const a = this.at;
    this.fn.prepare(a.dist, count, kk, k, beta, a.label, a.hmin, a.zsum, a.h, a.ex, a.pow32);
  }

  /**
   * The pooling (poolKernel.ts) for list rows [0, count) with `mode` (POOL_*): start, which, a,
   * v; the evidence in `fv`, the reference rule's tables in refd, gw, floor, w2, wlen (row
   * stride `k`), distances at stride `kk`.
   */
  pool(count: number, kk: number, k: number, mode: number, eps: number): void {
    const a = this.at;
    this.fn.pool(count, k, kk, mode, a.label, a.fv, a.h, a.ex, a.zsum, a.dist, eps, a.refd, a.gw, a.floor, a.w2, a.wlen, a.del, a.len, a.start, a.which, a.a, a.v);
  }

  /**
   * The relevance kernel over rows [0, count) (module comment); b = μ_c when `midpoint`; the
   * evidence in `fv`; `sums` = [Σ |Σ R − f|, Σ |f|] over the rows `exactRow` accepts (with
   * `conservative`), in row order, and the count of rows it refuses. `k`: the number of clusters
   * (the `deltas` table's row c·k + q holds the pair c, q). `identity`: every feature is its own
   * output column (`units` = d, featureColumn[j] = j), so each row's R is stored as it is, not
   * summed per column.
   * Precondition, not checked: the `deltas` table was built by `deltas(k, d)` from the centroids
   * now in `c`; a table left from other centroids gives wrong relevances without an error.
   */
  relevance(count: number, d: number, midpoint: boolean, units: number, conservative: boolean, k: number, identity: boolean): void {
    const a = this.at;
    this.fn.relevance(a.x, count, d, a.c, a.label, a.start, a.which, a.a, a.v, a.base, midpoint ? 1 : 0, a.fc, units, a.out, a.rowSum, a.rowAbs, a.u, a.w, a.r, a.fv, conservative ? 1 : 0, a.sums, k, a.dtab, identity ? 1 : 0);
  }

  /** The `deltas` table of the first `k` centroids in `c` (call after loading them, before `relevance`). */
  deltas(k: number, d: number): void {
    const a = this.at;
    this.fn.deltas(a.c, k, d, a.dtab);
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
