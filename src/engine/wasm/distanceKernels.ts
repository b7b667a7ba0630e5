/**
 * The distance kernels of k-means and NEON in WebAssembly SIMD (f64x2), emitted with
 * assembler.ts. All addresses are byte offsets into the module's own memory (simdKernels.ts
 * lays the regions out and copies rows in); a "list" is an i32 array of row indices into the
 * row region, so the same kernel serves a whole block (identity list) or a block's pending rows.
 *
 * The canonical squared distance (`canonicalDist2`, kmeansKernels.ts, in JavaScript) is the
 * arithmetic every kernel performs, in the same order: features 0, 2, 4, … are summed in one
 * lane and 1, 3, 5, … in the other, sequentially; the two lanes are added; an odd last feature
 * is added after that. IEEE arithmetic per lane is the same in WebAssembly and JavaScript, so a
 * distance has the same bits whichever path computes it, on any number of threads.
 *
 * Blocking as k-means' scalar scan had it, now two lanes wide: two rows × four centroids per
 * sweep over the features, so each loaded vector is used four (rows) or two (centroids) times
 * and eight independent accumulators keep the floating-point units busy.
 *
 * Kernels (all rows of the list, `count` of them; outputs indexed by list position; every
 * output region has room for one row more than `count`, which an odd count writes as scratch):
 *  - nearest(x, list, count, c, k, d, label, best, second): nearest centroid (lowest index on
 *    ties), its squared distance, and the second smallest squared distance.
 *  - distances(x, list, count, c, k, d, out): all K squared distances, out[i·K + q].
 *  - own(x, list, count, c, d, centre, out): squared distance to centroid centre[i].
 *  - accumulate(x, list, count, label, d, sums): sums[label[i]] += row list[i], per feature.
 */
import { F64, FunctionBody, I32, ModuleBuilder, V128 } from './assembler';

/** Shuffle lanes: (a.lane0, b.lane0) and (a.lane1, b.lane1) of two f64x2. */
const LANE0_OF_BOTH = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const LANE1_OF_BOTH = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];

/** Loads and stores at one feature offset (see Scan.pairs). */
interface Access {
  load(addr: number): void;
  address(addr: number): void;
  store(): void;
}

/** Locals and code helpers shared by the scans. */
class Scan {
  readonly xa: number;
  readonly xb: number;
  private readonly db: number;
  private readonly dEven: number;
  private readonly odd: number;
  private readonly jb: number;
  private readonly x0: number;
  private readonly x1: number;
  private readonly m: number;
  private readonly t: number;
  private readonly tt: number;

  constructor(
    readonly f: FunctionBody,
    dParam: number,
  ) {
    this.db = f.local(I32);
    this.dEven = f.local(I32);
    this.odd = f.local(I32);
    this.xa = f.local(I32);
    this.xb = f.local(I32);
    this.jb = f.local(I32);
    this.x0 = f.local(V128);
    this.x1 = f.local(V128);
    this.m = f.local(V128);
    this.t = f.local(V128);
    this.tt = f.local(F64);
    // db = d · 8 (row stride in bytes); dEven = bytes of the paired features; odd = d & 1.
    f.get(dParam).i32(3).i32Shl().set(this.db);
    f.get(dParam).i32(-2).i32And().i32(3).i32Shl().set(this.dEven);
    f.get(dParam).i32(1).i32And().set(this.odd);
  }

  /** Pushes the row stride in bytes. */
  stride(): FunctionBody {
    return this.f.get(this.db);
  }

  /** Pushes base + index · stride, index an i32 loaded from `listAddr` + `offset`. */
  rowAddress(base: number, listAddr: () => void, offset: number): FunctionBody {
    this.f.get(base);
    listAddr();
    this.f.i32Load(offset);
    this.stride();
    return this.f.i32Mul().i32Add();
  }

  /**
   * A loop over the feature pairs (byte offset jb): `body(at)`, where at.load(addr) pushes the
   * v128 at addr + jb; at.address(addr) pushes the address a following at.store() writes to.
   * (Unrolling it for a known D measured slower in V8: 0.35 against 0.24 ns per distance term.)
   */
  pairs(body: (at: Access) => void): void {
    const f = this.f;
    f.forRange(this.jb, () => f.i32(0), () => f.get(this.dEven), 16, () =>
      body({ load: (addr) => void f.get(addr).get(this.jb).i32Add().v128Load(), address: (addr) => void f.get(addr).get(this.jb).i32Add(), store: () => void f.v128Store() }),
    );
  }

  /** When D is odd, `body(at)` for the last feature (f64 loads and store). */
  tail(body: (at: Access) => void): void {
    const f = this.f;
    f.get(this.odd).ifThen(() =>
      body({ load: (addr) => void f.get(addr).get(this.dEven).i32Add().f64Load(), address: (addr) => void f.get(addr).get(this.dEven).i32Add(), store: () => void f.f64Store() }),
    );
  }

  /**
   * Squared distances of rows xa and xb to the centroids at addresses cs (locals), into the v128
   * locals vs[u] = (row a's, row b's), in the canonical order: the two lanes of each row's
   * accumulator are added (a shuffle pairs row a's lane 0 with row b's, and lane 1 likewise,
   * so one f64x2.add forms both sums), then an odd last feature is added.
   */
  pairDistances(cs: readonly number[], accA: readonly number[], accB: readonly number[], vs: readonly number[], form: Form = 'difference'): void {
    const f = this.f;
    // One term: (x − m)² in the difference form, x · m in the dot form (same summation order).
    const term = (): void => void (form === 'dot' ? f.f64x2Mul() : f.f64x2Sub().tee(this.t).get(this.t).f64x2Mul());
    for (let u = 0; u < cs.length; u++) {
      f.v128Zero().set(accA[u]);
      f.v128Zero().set(accB[u]);
    }
    this.pairs((at) => {
      at.load(this.xa);
      f.set(this.x0);
      at.load(this.xb);
      f.set(this.x1);
      for (let u = 0; u < cs.length; u++) {
        at.load(cs[u]);
        f.set(this.m);
        f.get(accA[u]).get(this.x0).get(this.m);
        term();
        f.f64x2Add().set(accA[u]);
        f.get(accB[u]).get(this.x1).get(this.m);
        term();
        f.f64x2Add().set(accB[u]);
      }
    });
    for (let u = 0; u < cs.length; u++) {
      f.get(accA[u]).get(accB[u]).shuffle(LANE0_OF_BOTH);
      f.get(accA[u]).get(accB[u]).shuffle(LANE1_OF_BOTH);
      f.f64x2Add().set(vs[u]);
    }
    // Odd last feature: (x_a, x_b) − (m, m), squared, added lane-wise.
    this.tail((at) => {
      at.load(this.xa);
      f.f64x2Splat();
      at.load(this.xb);
      f.f64x2ReplaceLane(1).set(this.x0);
      for (let u = 0; u < cs.length; u++) {
        f.get(vs[u]).get(this.x0);
        at.load(cs[u]);
        f.f64x2Splat();
        term();
        f.f64x2Add().set(vs[u]);
      }
    });
  }

  /**
   * Squared norms of rows xa and xb into the v128 local `out` = (‖x_a‖², ‖x_b‖²), in the
   * canonical order (the dot form of pairDistances with each row against itself).
   */
  pairNorms(accA: number, accB: number, out: number): void {
    const f = this.f;
    f.v128Zero().set(accA);
    f.v128Zero().set(accB);
    this.pairs((at) => {
      f.get(accA);
      at.load(this.xa);
      f.tee(this.t).get(this.t).f64x2Mul().f64x2Add().set(accA);
      f.get(accB);
      at.load(this.xb);
      f.tee(this.t).get(this.t).f64x2Mul().f64x2Add().set(accB);
    });
    f.get(accA).get(accB).shuffle(LANE0_OF_BOTH);
    f.get(accA).get(accB).shuffle(LANE1_OF_BOTH);
    f.f64x2Add().set(out);
    this.tail((at) => {
      at.load(this.xa);
      f.f64x2Splat();
      at.load(this.xb);
      f.f64x2ReplaceLane(1).tee(this.x0).get(this.x0).f64x2Mul().get(out).f64x2Add().set(out);
    });
  }

  /** Squared distance of row xa to the centroid at ca and of row xb to the one at cb, into sa / sb. */
  pairDistancesOwn(ca: number, cb: number, accA: number, accB: number, sa: number, sb: number): void {
    const f = this.f;
    f.v128Zero().set(accA);
    f.v128Zero().set(accB);
    this.pairs((at) => {
      f.get(accA);
      at.load(this.xa);
      at.load(ca);
      f.f64x2Sub().tee(this.t).get(this.t).f64x2Mul().f64x2Add().set(accA);
      f.get(accB);
      at.load(this.xb);
      at.load(cb);
      f.f64x2Sub().tee(this.t).get(this.t).f64x2Mul().f64x2Add().set(accB);
    });
    f.get(accA).f64x2Lane(0).get(accA).f64x2Lane(1).f64Add().set(sa);
    f.get(accB).f64x2Lane(0).get(accB).f64x2Lane(1).f64Add().set(sb);
    this.tail((at) => {
      f.get(sa);
      at.load(this.xa);
      at.load(ca);
      f.f64Sub().tee(this.tt).get(this.tt).f64Mul().f64Add().set(sa);
      f.get(sb);
      at.load(this.xb);
      at.load(cb);
      f.f64Sub().tee(this.tt).get(this.tt).f64Mul().f64Add().set(sb);
    });
  }
}

/** How a scan forms a distance term: (x − m)² (the canonical distance) or x · m (a dot product). */
type Form = 'difference' | 'dot';

interface ScanParams {
  readonly x: number;
  readonly list: number;
  readonly count: number;
  readonly c: number;
  readonly k: number;
  readonly d: number;
}

/** Receives centroid q + u's distances to the pair's rows, as the v128 local v = (a's, b's). */
type Consumer = (q: number, u: number, v: number) => void;

/**
 * The two-rows × four-centroids scan over the list, pairs of list entries at a time; `consume`
 * receives each centroid's two distances (centroid index = local q + u). `startPair` /
 * `endPair` run around each pair's centroid loop; `hasB` (local) says whether the pair's
 * second entry exists (an odd count ends with row i used twice, its second result written to
 * the spare output slot).
 */
function pairScan(f: FunctionBody, p: ScanParams, hooks: { startPair: (i: number, hasB: number, s: Scan) => void; consume: Consumer; endPair: (i: number) => void }, form: Form = 'difference'): void {
  const s = new Scan(f, p.d);
  const i = f.local(I32);
  const q = f.local(I32);
  const k4 = f.local(I32);
  const hasB = f.local(I32);
  const cs = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const accA = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const accB = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const vs = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const listAt = (): void => void f.get(p.list).get(i).i32(2).i32Shl().i32Add();
  f.get(p.k).i32(-4).i32And().set(k4);
  f.forRange(i, () => f.i32(0), () => f.get(p.count), 2, () => {
    s.rowAddress(p.x, listAt, 0).set(s.xa);
    s.rowAddress(p.x, listAt, 4).set(s.xb);
    f.get(i).i32(1).i32Add().get(p.count).i32LtS().set(hasB);
    f.get(hasB).ifThen(() => undefined, () => void f.get(s.xa).set(s.xb));
    hooks.startPair(i, hasB, s);
    f.forRange(q, () => f.i32(0), () => f.get(k4), 4, () => {
      f.get(p.c).get(q);
      s.stride();
      f.i32Mul().i32Add().set(cs[0]);
      for (let u = 1; u < 4; u++) {
        f.get(cs[u - 1]);
        s.stride();
        f.i32Add().set(cs[u]);
      }
      s.pairDistances(cs, accA, accB, vs, form);
      for (let u = 0; u < 4; u++) hooks.consume(q, u, vs[u]);
    });
    f.forRange(q, () => f.get(k4), () => f.get(p.k), 1, () => {
      f.get(p.c).get(q);
      s.stride();
      f.i32Mul().i32Add().set(cs[0]);
      s.pairDistances([cs[0]], accA, accB, vs, form);
      hooks.consume(q, 0, vs[0]);
    });
    hooks.endPair(i);
  });
}

const SCAN_PARAMS = { x: 0, list: 1, count: 2, c: 3, k: 4, d: 5 } as const;

/** nearest(x, list, count, c, k, d, label, best, second). */
function nearestKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const out = { label: 6, best: 7, second: 8 };
  // Both rows of the pair at once, one per lane: best, second, label (as f64, exact).
  const best = f.local(V128);
  const second = f.local(V128);
  const label = f.local(V128);
  const lt = f.local(V128);
  // Lowest index on ties: a centroid replaces the best only when strictly closer. Lane-wise
  // masks and blends (v128.bitselect), no branch: scalar selects compiled to branches, which
  // mispredict on real data (nearest ran 1.8x slower on fresh rows than on repeated ones).
  //   lt = v < best; second = lt ? best : (v < second ? v : second); label = lt ? q : label; best = lt ? v : best.
  const store = (i: number, lane: 0 | 1): void => {
    f.get(out.label).get(i).i32(2).i32Shl().i32Add().get(label).f64x2Lane(lane).i32TruncF64().i32Store(4 * lane);
    f.get(out.best).get(i).i32(3).i32Shl().i32Add().get(best).f64x2Lane(lane).f64Store(8 * lane);
    f.get(out.second).get(i).i32(3).i32Shl().i32Add().get(second).f64x2Lane(lane).f64Store(8 * lane);
  };
  pairScan(f, SCAN_PARAMS, {
    startPair: () => {
      f.f64(Infinity).f64x2Splat().set(best);
      f.f64(Infinity).f64x2Splat().set(second);
      f.v128Zero().set(label);
    },
    consume: (q, u, v) => {
      f.get(v).get(best).f64x2Lt().set(lt);
      f.get(best).get(v).get(second).get(v).get(second).f64x2Lt().bitselect().get(lt).bitselect().set(second);
      f.get(q).i32(u).i32Add().f64ConvertI32().f64x2Splat().get(label).get(lt).bitselect().set(label);
      f.get(v).get(best).get(lt).bitselect().set(best);
    },
    endPair: (i) => {
      store(i, 0);
      store(i, 1);
    },
  });
  return f;
}

/**
 * nearestBounded(x, list, count, c, k, d, norms, label, best, second, ties, slack, normMax) →
 * number of near ties. The nearest centroid by the dot-product form: for each centroid
 * v_q = ‖c_q‖² − 2 x·c_q (norms[q] = ‖c_q‖², given), one multiply and one add per feature
 * instead of the difference form's subtract, multiply and add. The argmin of v is the
 * canonical nearest whenever the gap between the two smallest v exceeds 2Δ, Δ = slack ·
 * (‖x‖² + normMax) (normMax ≥ every norms[q]; slack bounds both forms' rounding, see
 * simdKernels.ts nearestBounded); rows with a smaller gap are near ties, their list positions
 * go to `ties` for the caller to settle with canonical distances (so do rows where the dot form
 * overflowed: then the test's NaN fails). best and second are then
 * bounds, not distances: best ≥ the canonical nearest squared distance, second ≤ the
 * canonical second smallest (both ≥ 0).
 */
function nearestBoundedKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64], [I32]);
  const out = { norms: 6, label: 7, best: 8, second: 9, ties: 10, slack: 11, normMax: 12 };
  const best = f.local(V128);
  const second = f.local(V128);
  const label = f.local(V128);
  const lt = f.local(V128);
  const v = f.local(V128);
  const nx = f.local(V128);
  const accA = f.local(V128);
  const accB = f.local(V128);
  const pairHasB = f.local(I32);
  const found = f.local(I32);
  const nxl = f.local(F64);
  const delta = f.local(F64);
  const bl = f.local(F64);
  const sl = f.local(F64);
  f.i32(0).set(found);
  // Per row (one lane): Δ, the near-tie test, and the bounds, in scalar f64 (once per row).
  const finish = (i: number, lane: 0 | 1): void => {
    f.get(nx).f64x2Lane(lane).set(nxl);
    f.get(best).f64x2Lane(lane).set(bl);
    f.get(second).f64x2Lane(lane).set(sl);
    f.get(out.slack).get(nxl).get(out.normMax).f64Add().f64Mul().set(delta);
    f.get(out.label).get(i).i32(2).i32Shl().i32Add().get(label).f64x2Lane(lane).i32TruncF64().i32Store(4 * lane);
    f.get(out.best).get(i).i32(3).i32Shl().i32Add().get(nxl).get(bl).f64Add().get(delta).f64Add().f64(0).f64Max().f64Store(8 * lane);
    f.get(out.second).get(i).i32(3).i32Shl().i32Add().get(nxl).get(sl).f64Add().get(delta).f64Sub().f64(0).f64Max().f64Store(8 * lane);
    // ties[found] = i + lane, kept (found advances) unless gap > 2Δ — so a NaN from an
    // overflow (‖x‖² beyond 1.8e308) is a near tie too — with no branch.
    f.get(out.ties).get(found).i32(2).i32Shl().i32Add().get(i).i32(lane).i32Add().i32Store();
    f.get(sl).get(bl).f64Sub().get(delta).get(delta).f64Add().f64Gt().i32Eqz();
    if (lane === 1) f.get(pairHasB).i32And();
    f.get(found).i32Add().set(found);
  };
  pairScan(
    f,
    SCAN_PARAMS,
    {
      startPair: (_i, hasB, s) => {
        f.get(hasB).set(pairHasB);
        s.pairNorms(accA, accB, nx);
        f.f64(Infinity).f64x2Splat().set(best);
        f.f64(Infinity).f64x2Splat().set(second);
        f.v128Zero().set(label);
      },
      consume: (q, u, dot) => {
        // v = ‖c‖² − (x·c + x·c); lt = v < best; second = pmin(second, pmax(best, v)) (the
        // old best when v takes its place, else min(second, v)); best = pmin(best, v).
        f.get(out.norms).get(q).i32(3).i32Shl().i32Add().f64Load(8 * u).f64x2Splat().get(dot).get(dot).f64x2Add().f64x2Sub().set(v);
        f.get(v).get(best).f64x2Lt().set(lt);
        f.get(second).get(best).get(v).f64x2Pmax().f64x2Pmin().set(second);
        f.get(q).i32(u).i32Add().f64ConvertI32().f64x2Splat().get(label).get(lt).bitselect().set(label);
        f.get(best).get(v).f64x2Pmin().set(best);
      },
      endPair: (i) => {
        finish(i, 0);
        finish(i, 1);
      },
    },
    'dot',
  );
  f.get(found);
  return f;
}

/**
 * loosen(labels, upper, lower, count, moved, half, r1, m1, m2, list, label, z) → p. Hamerly's
 * bounds after a centroid update, for `count` rows (labels i32, upper and lower f64, updated
 * in place): u = upper + moved[a], l = lower − (a = r1 ? m2 : m1) for the row's centroid a.
 * Rows whose bounds fail (u > half[a] and u > l) are listed — list[p] = row, label[p] = a,
 * z[p] = l — and counted in p. Every row is written and p advances by the test's 0 or 1: no
 * branch, which would mispredict on overlapping clusters.
 */
function loosenKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32, I32, F64, F64, I32, I32, I32], [I32]);
  const p = { labels: 0, upper: 1, lower: 2, count: 3, moved: 4, half: 5, r1: 6, m1: 7, m2: 8, list: 9, label: 10, z: 11 };
  // Row i, rows listed n, its centroid a, its f64 offset at8; its loosened bounds u and l.
  const [i, n, a, at8] = ([I32, I32, I32, I32] as const).map((t) => f.local(t));
  const [u, l] = ([F64, F64] as const).map((t) => f.local(t));
  f.i32(0).set(n);
  f.forRange(i, () => f.i32(0), () => f.get(p.count), 1, () => {
    f.get(p.labels).get(i).i32(2).i32Shl().i32Add().i32Load().set(a);
    f.get(i).i32(3).i32Shl().set(at8);
    f.get(p.upper).get(at8).i32Add().f64Load().get(p.moved).get(a).i32(3).i32Shl().i32Add().f64Load().f64Add().set(u);
    f.get(p.lower).get(at8).i32Add().f64Load().get(p.m2).get(p.m1).get(a).get(p.r1).i32Eq().select().f64Sub().set(l);
    f.get(p.upper).get(at8).i32Add().get(u).f64Store();
    f.get(p.lower).get(at8).i32Add().get(l).f64Store();
    f.get(p.list).get(n).i32(2).i32Shl().i32Add().get(i).i32Store();
    f.get(p.label).get(n).i32(2).i32Shl().i32Add().get(a).i32Store();
    f.get(p.z).get(n).i32(3).i32Shl().i32Add().get(l).f64Store();
    f.get(u).get(p.half).get(a).i32(3).i32Shl().i32Add().f64Load().f64Gt().get(u).get(l).f64Gt().i32And().get(n).i32Add().set(n);
  });
  f.get(n);
  return f;
}

/**
 * apply(x, list, count, label, rowLabel, upper, lower, best, second, d, sums, counts) →
 * changed. After a full scan of the listed rows: each row r = list[t] gets its bounds
 * upper[r] = √best[t], lower[r] = √second[t]; when its nearest centroid c = label[t] differs
 * from its centroid a = rowLabel[r], the row moves: rowLabel[r] = c, sums[a] −= x[r],
 * sums[c] += x[r] (per feature, in list order, as a scalar loop would), counts[a] −= 1,
 * counts[c] += 1. Returns how many rows moved.
 */
function applyKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], [I32]);
  const p = { x: 0, list: 1, count: 2, label: 3, rowLabel: 4, upper: 5, lower: 6, best: 7, second: 8, d: 9, sums: 10, counts: 11 };
  const s = new Scan(f, p.d);
  // List position t, its row r, from centroid a to c; sc: c's sums; changed: rows moved.
  const [t, r, a, c, sc, changed] = ([I32, I32, I32, I32, I32, I32] as const).map((type) => f.local(type));
  const row = s.xa;
  const sa = s.xb;
  f.i32(0).set(changed);
  f.forRange(t, () => f.i32(0), () => f.get(p.count), 1, () => {
    f.get(p.list).get(t).i32(2).i32Shl().i32Add().i32Load().set(r);
    f.get(p.label).get(t).i32(2).i32Shl().i32Add().i32Load().set(c);
    f.get(p.upper).get(r).i32(3).i32Shl().i32Add().get(p.best).get(t).i32(3).i32Shl().i32Add().f64Load().f64Sqrt().f64Store();
    f.get(p.lower).get(r).i32(3).i32Shl().i32Add().get(p.second).get(t).i32(3).i32Shl().i32Add().f64Load().f64Sqrt().f64Store();
    f.get(p.rowLabel).get(r).i32(2).i32Shl().i32Add().i32Load().set(a);
    f.get(a).get(c).i32Ne().ifThen(() => {
      f.get(changed).i32(1).i32Add().set(changed);
      f.get(p.rowLabel).get(r).i32(2).i32Shl().i32Add().get(c).i32Store();
      f.get(p.counts).get(a).i32(3).i32Shl().i32Add().tee(sc).get(sc).f64Load().f64(1).f64Sub().f64Store();
      f.get(p.counts).get(c).i32(3).i32Shl().i32Add().tee(sc).get(sc).f64Load().f64(1).f64Add().f64Store();
      f.get(p.x).get(r);
      s.stride();
      f.i32Mul().i32Add().set(row);
      f.get(p.sums).get(a);
      s.stride();
      f.i32Mul().i32Add().set(sa);
      f.get(p.sums).get(c);
      s.stride();
      f.i32Mul().i32Add().set(sc);
      s.pairs((at) => {
        at.address(sa);
        at.load(sa);
        at.load(row);
        f.f64x2Sub();
        at.store();
        at.address(sc);
        at.load(sc);
        at.load(row);
        f.f64x2Add();
        at.store();
      });
      s.tail((at) => {
        at.address(sa);
        at.load(sa);
        at.load(row);
        f.f64Sub();
        at.store();
        at.address(sc);
        at.load(sc);
        at.load(row);
        f.f64Add();
        at.store();
      });
    });
  });
  f.get(changed);
  return f;
}

/** distances(x, list, count, c, k, d, out): out[i·K + q] (row i + 1's slot too, see pairScan). */
export function distancesKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32, I32]);
  const p = SCAN_PARAMS;
  const out = 6;
  const rowA = f.local(I32);
  const kb = f.local(I32);
  pairScan(f, p, {
    startPair: (i) => {
      f.get(p.k).i32(3).i32Shl().set(kb);
      f.get(out).get(i).get(kb).i32Mul().i32Add().set(rowA);
    },
    consume: (q, u, v) => {
      f.get(rowA).get(q).i32(3).i32Shl().i32Add().get(v).f64x2Lane(0).f64Store(8 * u);
      f.get(rowA).get(kb).i32Add().get(q).i32(3).i32Shl().i32Add().get(v).f64x2Lane(1).f64Store(8 * u);
    },
    endPair: () => undefined,
  });
  return f;
}

/**
 * seed(x, list, count, c, t, d, closest, out, pots): k-means++ candidates. For each listed row
 * and candidate q: m = min(closest[i], ‖x − c_q‖²) into out[i·T + q], and pots[q] += m in row
 * order (the candidate's potential over these rows).
 */
function seedKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const p = SCAN_PARAMS;
  const io = { closest: 6, out: 7, pots: 8 };
  const rowA = f.local(I32);
  const tb = f.local(I32);
  const closest = f.local(V128);
  const m = f.local(V128);
  const pot = f.local(I32);
  const pairHasB = f.local(I32);
  pairScan(f, p, {
    startPair: (i, hasB) => {
      f.get(hasB).set(pairHasB);
      f.get(p.k).i32(3).i32Shl().set(tb);
      f.get(io.out).get(i).get(tb).i32Mul().i32Add().set(rowA);
      f.get(io.closest).get(i).i32(3).i32Shl().i32Add().v128Load().set(closest);
    },
    consume: (q, u, v) => {
      // m = v < closest ? v : closest, lane-wise (as the scalar path writes it).
      f.get(v).get(closest).get(v).get(closest).f64x2Lt().bitselect().set(m);
      f.get(rowA).get(q).i32(3).i32Shl().i32Add().get(m).f64x2Lane(0).f64Store(8 * u);
      f.get(rowA).get(tb).i32Add().get(q).i32(3).i32Shl().i32Add().get(m).f64x2Lane(1).f64Store(8 * u);
      // pots[q + u] += row a's m, then row b's when it exists (row order).
      f.get(io.pots).get(q).i32(3).i32Shl().i32Add().set(pot);
      f.get(pot).get(pot).f64Load(8 * u).get(m).f64x2Lane(0).f64Add().f64Store(8 * u);
      f.get(pairHasB).ifThen(() => void f.get(pot).get(pot).f64Load(8 * u).get(m).f64x2Lane(1).f64Add().f64Store(8 * u));
    },
    endPair: () => undefined,
  });
  return f;
}

/** own(x, list, count, c, d, centre, out): out[i] = ‖x[list[i]] − c[centre[i]]‖². */
function ownKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32, I32]);
  const p = { x: 0, list: 1, count: 2, c: 3, d: 4, centre: 5, out: 6 };
  const s = new Scan(f, p.d);
  const i = f.local(I32);
  const ca = f.local(I32);
  const cb = f.local(I32);
  const accA = f.local(V128);
  const accB = f.local(V128);
  const sa = f.local(F64);
  const sb = f.local(F64);
  const listAt = (): void => void f.get(p.list).get(i).i32(2).i32Shl().i32Add();
  const centreAt = (): void => void f.get(p.centre).get(i).i32(2).i32Shl().i32Add();
  f.forRange(i, () => f.i32(0), () => f.get(p.count), 2, () => {
    s.rowAddress(p.x, listAt, 0).set(s.xa);
    s.rowAddress(p.x, listAt, 4).set(s.xb);
    s.rowAddress(p.c, centreAt, 0).set(ca);
    s.rowAddress(p.c, centreAt, 4).set(cb);
    f.get(i).i32(1).i32Add().get(p.count).i32GeS().ifThen(() => {
      f.get(s.xa).set(s.xb);
      f.get(ca).set(cb);
    });
    s.pairDistancesOwn(ca, cb, accA, accB, sa, sb);
    f.get(p.out).get(i).i32(3).i32Shl().i32Add().get(sa).f64Store();
    f.get(p.out).get(i).i32(3).i32Shl().i32Add().get(sb).f64Store(8);
  });
  return f;
}

/** accumulate(x, list, count, label, d, sums): sums[label[i]·D + j] += x[list[i]·D + j], rows in list order. */
function accumulateKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32]);
  const p = { x: 0, list: 1, count: 2, label: 3, d: 4, sums: 5 };
  const s = new Scan(f, p.d);
  const i = f.local(I32);
  const row = s.xa;
  const sum = s.xb;
  const listAt = (): void => void f.get(p.list).get(i).i32(2).i32Shl().i32Add();
  const labelAt = (): void => void f.get(p.label).get(i).i32(2).i32Shl().i32Add();
  f.forRange(i, () => f.i32(0), () => f.get(p.count), 1, () => {
    s.rowAddress(p.x, listAt, 0).set(row);
    s.rowAddress(p.sums, labelAt, 0).set(sum);
    // sums += row, pair by pair: the load at `sum` + o, the row's at `row` + o, the store at `sum` + o.
    s.pairs((at) => {
      at.address(sum);
      at.load(sum);
      at.load(row);
      f.f64x2Add();
      at.store();
    });
    s.tail((at) => {
      at.address(sum);
      at.load(sum);
      at.load(row);
      f.f64Add();
      at.store();
    });
  });
  return f;
}

/** The module's bytes (a few kB; compiled once per thread). */
export function distanceKernelsModule(): Uint8Array {
  return new ModuleBuilder()
    .add('nearest', nearestKernel())
    .add('nearestBounded', nearestBoundedKernel())
    .add('loosen', loosenKernel())
    .add('apply', applyKernel())
    .add('distances', distancesKernel())
    .add('own', ownKernel())
    .add('accumulate', accumulateKernel())
    .add('seed', seedKernel())
    .encode();
}
