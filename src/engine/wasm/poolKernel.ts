/**
 * The per-row pooling of NEON's k-means network in WebAssembly: step 2 of the batch path
 * (neuralize/kmeansBatch.ts `RowPooling.finish`) after the `prepare` kernel
 * (explainKernels.ts), so that explaining a block of rows needs no JavaScript per row. It
 * writes each row's active competitors (index, weight a, δ² weight v) into the lists the
 * relevance kernel reads, with the same operations in the same order as the JavaScript path
 * (so the same bits; unit-tested against it):
 *
 *  - shares (midpoint, z-rule, reference rule with min-takes-most pooling, and the path's
 *    fallback): a_q =
 *    ((f / z) · share_q) / den_q for every competitor with share ≥ 1e-15 z, den_q guarded to
 *    |den_q| ≥ ε; den_q = h_q, or for the reference rule the guarded root distance
 *    (rootPoint.ts `referenceDenominator`, ε = ROOT_GUARD) and v_q = 4 a_q t_q
 *    (`referenceShift`); midpoint v_q = a_q; z-rule v_q = 0.
 *  - path (reference rule, default pooling, hard pool): the walk along the lower envelope of
 *    h_q − α Δ_q to its first root (referencePath.ts `hardEnvelope`, `nextLine`), a_q the
 *    α-length on which q holds the minimum, and the bound of `pathPoolWeights`. The scans over
 *    q (first line, next line) run two lines at a time in f64x2 lanes with masks and blends, no
 *    branch per q; each lane keeps the scalar scan's choice over its q's, and the two lanes'
 *    choices are merged by the scan's own order (lower t or h, then larger Δ, then lower
 *    index). Only the lines the walk visits are read back for the entries.
 *
 * A row whose path has no root, or whose root the bound refuses, gets the reference rule's
 * shares with guarded roots, as the JavaScript path falls back. The soft pool's path integral
 * (Gauss–Legendre, referencePath.ts) is not here: the caller pools those rows in JavaScript.
 * The evidence f (fv) is the caller's (soft evidence needs a logarithm).
 */
import { ROOT_GUARD } from '../neuralize/rootPoint';
import { F64, FunctionBody, I32, V128 } from './assembler';

/** `pool`'s `mode` argument. */
export const POOL_MIDPOINT = 0;
export const POOL_Z = 1;
export const POOL_REFERENCE = 2;
export const POOL_PATH = 3;

/**
 * pool(count, k, kk, mode, label, fv, h, ex, zsum, dist, eps, refd, gw, floor, w2, wlen, del,
 * len, start, which, a, v) for rows [0, count). Per row i: c = label[i], f = fv[i], h and the
 * shares ex at stride K, z = zsum[i], ‖x − r‖² = dist[i·kk + K]; entries from 0 on, start[i] =
 * the row's first entry (start[count] the end). Tables (K × K, row c): gw = ROOT_GUARD·‖w_cq‖, floor = pairFloor(‖w_cq‖²),
 * w2 = ‖w_cq‖², wlen = ‖w_cq‖; refd[q] = ‖r − μ_q‖²; del, len: K scratch.
 */
export function poolKernel(): FunctionBody {
  const f = new FunctionBody([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const p = { count: 0, k: 1, kk: 2, mode: 3, label: 4, fv: 5, h: 6, ex: 7, zsum: 8, dist: 9, eps: 10, refd: 11, gw: 12, floor: 13, w2: 14, wlen: 15, del: 16, len: 17, start: 18, which: 19, a: 20, v: 21 };
  const i = f.local(I32);
  const e = f.local(I32);
  const c = f.local(I32);
  const q = f.local(I32);
  const ck = f.local(I32);
  const hb = f.local(I32);
  const eb = f.local(I32);
  const cur = f.local(I32);
  const next = f.local(I32);
  const step = f.local(I32);
  const ok = f.local(I32);
  const fr = f.local(F64);
  const dist2 = f.local(F64);
  const rc = f.local(F64);
  const hq = f.local(F64);
  const hc = f.local(F64);
  const dc = f.local(F64);
  const al = f.local(F64);
  const value = f.local(F64);
  const rt = f.local(F64);
  const nat = f.local(F64);
  const amp = f.local(F64);
  const sd = f.local(F64);
  const z = f.local(F64);
  const cut = f.local(F64);
  const fz = f.local(F64);
  const eq = f.local(F64);
  const den = f.local(F64);
  const delta = f.local(F64);
  const m = f.local(F64);
  const ak = f.local(F64);
  const w2q = f.local(F64);
  // Byte address of element `idx` (an i32 pushed by `idx`) of the 8-byte array at local `base`.
  const at8 = (base: number, idx: () => void): void => {
    f.get(base);
    idx();
    f.i32(3).i32Shl().i32Add();
  };
  const load8 = (base: number, idx: () => void): void => {
    at8(base, idx);
    f.f64Load();
  };
  const atQ = (): void => void f.get(q);
  const atCkQ = (): void => void f.get(ck).get(q).i32Add();
  const overK = (body: () => void): void => void f.forRange(q, () => f.i32(0), () => f.get(p.k), 1, body);
  /** which[e] = q; a[e] = (ak); v[e] = (pushed by `vValue`); e++. */
  const entry = (vValue: () => void): void => {
    f.get(p.which).get(e).i32(2).i32Shl().i32Add().get(q).i32Store();
    at8(p.a, () => f.get(e));
    f.get(ak).f64Store();
    at8(p.v, () => f.get(e));
    vValue();
    f.f64Store();
    f.get(e).i32(1).i32Add().set(e);
  };

  /** kmeansBatch.ts `finish`, the shares branch. */
  const sharesRow = (): void => {
    load8(p.zsum, () => f.get(i));
    f.set(z);
    f.f64(1e-15).get(z).f64Mul().set(cut);
    f.get(fr).get(z).f64Div().set(fz);
    f.get(dist2).f64Sqrt().set(sd);
    overK(() => {
      load8(eb, atQ);
      f.tee(eq).get(cut).f64Lt().i32Eqz().get(q).get(c).i32Ne().i32And().ifThen(() => {
        load8(hb, atQ);
        f.tee(hq).set(den);
        f.get(p.mode).i32(POOL_REFERENCE).i32GeS().ifThen(() => {
          // referenceDenominator: ±max(|Δ|, max(ε ‖w‖ ‖x − r‖, floor)), the sign of h.
          f.get(hq);
          load8(p.refd, atQ);
          f.get(rc).f64Sub().f64Sub().set(delta);
          f.get(delta).f64Abs();
          load8(p.gw, atCkQ);
          f.get(sd).f64Mul();
          load8(p.floor, atCkQ);
          f.f64Max().f64Max().tee(m);
          f.get(m).f64Neg();
          f.get(hq).f64(0).f64Ge().select().set(den);
        });
        // The ε guard (neuralize/kmeans.ts `guard`).
        f.get(p.eps);
        f.get(den);
        f.get(den).get(p.eps).f64Lt().select();
        f.get(p.eps).f64Neg();
        f.get(den);
        f.get(den).get(p.eps).f64Neg().f64Gt().select();
        f.get(den).f64(0).f64Ge().select().set(den);
        f.get(fz).get(eq).f64Mul().get(den).f64Div().set(ak);
        entry(() => {
          f.get(p.mode).i32(POOL_MIDPOINT).i32Eq().ifThen(
            () => void f.get(ak).set(m),
            () => {
              f.f64(0).set(m);
              f.get(p.mode).i32(POOL_REFERENCE).i32GeS().ifThen(() => {
                // v = 4 a t, t = referenceShift(den, Δ, ‖w‖²).
                load8(p.w2, atCkQ);
                f.set(w2q);
                f.f64(0);
                f.f64(4).get(ak).f64Mul().get(den).get(delta).f64Sub().get(w2q).f64Div().f64Mul();
                f.get(den).get(delta).f64Eq().get(w2q).f64(0).f64Eq().i32Or().select().set(m);
              });
            },
          );
          f.get(m);
        });
      });
    });
  };

  // The path's lines two at a time (f64x2 lanes q, q + 1), decided by masks and blends
  // (v128.bitselect): V8 compiles a scalar f64 select to a branch, and these comparisons
  // mispredict on real rows.
  const lane01 = f.local(V128);
  const kv = f.local(V128);
  const none = f.local(V128);
  const zero = f.local(V128);
  const inf = f.local(V128);
  const cv = f.local(V128);
  const rcv = f.local(V128);
  const qv = f.local(V128);
  const hv = f.local(V128);
  const dqv = f.local(V128);
  const tv = f.local(V128);
  const mk = f.local(V128);
  const hcv = f.local(V128);
  const dcv = f.local(V128);
  const alv = f.local(V128);
  /** Per lane: the best line so far (index, −1 for none) and its two keys. */
  const nL = f.local(V128);
  const aL = f.local(V128);
  const bL = f.local(V128);
  const e0 = f.local(I32);
  /** The walk's lines so far (their indices at which[e0 …]), and a sort's two cursors. */
  const seen = f.local(I32);
  const j = f.local(I32);
  const mm = f.local(I32);
  const qi = f.local(I32);
  const two = f.local(V128);
  const dn = f.local(F64);
  f.f64(0).f64x2Splat().f64(1).f64x2ReplaceLane(1).set(lane01);
  f.f64(2).f64x2Splat().set(two);
  f.get(p.k).f64ConvertI32().f64x2Splat().set(kv);
  f.f64(-1).f64x2Splat().set(none);
  f.v128Zero().set(zero);
  f.f64(Infinity).f64x2Splat().set(inf);
  /** Pairs q = 0, 2, … < K with qv = (q, q + 1); an odd K's last pair reads one past the row (masked by q < K). */
  const pairsOfK = (body: () => void): void => {
    f.get(lane01).set(qv);
    f.forRange(q, () => f.i32(0), () => f.get(p.k), 2, () => {
      body();
      f.get(qv).get(two).f64x2Add().set(qv);
    });
  };
  const loadPair = (base: number, idx: () => void): void => {
    at8(base, idx);
    f.v128Load();
  };
  /** dst = mk ? src : dst, per lane. */
  const blend = (src: number, dst: number): void => void f.get(src).get(dst).get(mk).bitselect().set(dst);
  /** [a, b] → [b, a] (the other lane). */
  const other = (v: number): void => void f.get(v).get(v).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
  /**
   * Lane 0 ← the better of the two lanes' bests: the lower a, then the higher b, then the lower
   * index (a lane with index < 0 has none). Each lane scanned its q in increasing order taking a
   * line only when strictly better in (a, −b), so this is the scalar scan's choice over every q.
   */
  const better = (): void => {
    // mk = other(n) ≥ 0 && (n < 0 || o(a) < a || (o(a) == a && (o(b) > b || (o(b) == b && o(n) < n))))
    other(nL);
    f.get(zero).f64x2Ge();
    f.get(nL).get(zero).f64x2Lt();
    other(aL);
    f.get(aL).f64x2Lt().v128Or();
    other(aL);
    f.get(aL).f64x2Eq();
    other(bL);
    f.get(bL).f64x2Gt();
    other(bL);
    f.get(bL).f64x2Eq();
    other(nL);
    f.get(nL).f64x2Lt().v128And().v128Or().v128And().v128Or().v128And().set(mk);
    other(nL);
    f.get(nL).get(mk).bitselect().set(nL);
    other(aL);
    f.get(aL).get(mk).bitselect().set(aL);
    other(bL);
    f.get(bL).get(mk).bitselect().set(bL);
  };

  /** which[e0 + seen++] = cur: the walk's lines, in the order it visits them. */
  const seenLine = (): void => {
    f.get(p.which).get(e0).get(seen).i32Add().i32(2).i32Shl().i32Add().get(cur).i32Store();
    f.get(seen).i32(1).i32Add().set(seen);
  };
  /**
   * referencePath.ts: Δ, the envelope walk (`firstLine`, `nextLine`, `hardEnvelope`), the bound,
   * then the entries (or the shares). Every value taken is the scalar path's (same operations
   * per lane); a masked lane's value (q = c, q = cur, q ≥ K, or failing a test) is never taken.
   */
  const pathRow = (): void => {
    f.get(c).f64ConvertI32().f64x2Splat().set(cv);
    f.get(rc).f64x2Splat().set(rcv);
    // Δ_q = h_q − (‖r − μ_q‖² − ‖r − μ_c‖²), lengths 0, and per lane firstLine: the
    // lowest h (q ≠ c), ties to the larger Δ: take = cur < 0 || h < h_cur || (h == h_cur && Δ > Δ_cur).
    f.get(none).set(nL);
    pairsOfK(() => {
      loadPair(hb, atQ);
      f.tee(hv);
      loadPair(p.refd, atQ);
      f.get(rcv).f64x2Sub().f64x2Sub().set(dqv);
      at8(p.del, atQ);
      f.get(dqv).v128Store();
      at8(p.len, atQ);
      f.get(zero).v128Store();
      f.get(qv).get(cv).f64x2Ne().get(qv).get(kv).f64x2Lt().v128And();
      f.get(nL).get(zero).f64x2Lt();
      f.get(hv).get(aL).f64x2Lt().v128Or();
      f.get(hv).get(aL).f64x2Eq().get(dqv).get(bL).f64x2Gt().v128And().v128Or();
      f.v128And().set(mk);
      blend(qv, nL);
      blend(hv, aL);
      blend(dqv, bL);
    });
    // Δ = −∞ at c and one past the last line: nextLine's Δ_q > Δ_cur then drops q = c, an odd
    // K's padding lane and (Δ_cur > Δ_cur being false) q = cur with no index tests.
    at8(p.del, () => f.get(c));
    f.f64(-Infinity).f64Store();
    at8(p.del, () => f.get(p.k));
    f.f64(-Infinity).f64Store();
    better();
    f.get(nL).f64x2Lane(0).i32TruncSatF64().set(cur);
    f.get(aL).f64x2Lane(0).set(hc);
    f.get(bL).f64x2Lane(0).set(dc);
    f.f64(0).set(al);
    f.i32(0).set(step);
    f.i32(1).set(ok);
    f.get(e).set(e0);
    f.i32(0).set(seen);
    f.block(() => {
      // depth here: 0 = success block
      f.block(() => {
        // 0 = fail block, 1 = success block
        f.loop(() => {
          // 0 = loop, 1 = fail, 2 = success. hc, dc: h and Δ of cur.
          f.get(cur).i32(0).i32LtS().get(step).get(p.k).i32GeS().i32Or().brIf(1);
          f.get(hc).get(al).get(dc).f64Mul().f64Sub().set(value);
          // rt = value == 0 ? α : (value and Δ_cur of one sign) ? max(α, h/Δ) : ∞.
          f.get(al);
          f.get(al).get(hc).get(dc).f64Div().f64Max();
          f.f64(Infinity);
          f.get(value).f64(0).f64Gt().get(dc).f64(0).f64Gt().i32And();
          f.get(value).f64(0).f64Lt().get(dc).f64(0).f64Lt().i32And().i32Or();
          f.select();
          f.get(value).f64(0).f64Eq().select().set(rt);
          // nextLine per lane: t = (h_q − h_cur) / (Δ_q − Δ_cur) for q ∉ {c, cur} with Δ_q > Δ_cur
          // and t ≥ α; take = t < at || (t == at && next ≥ 0 && Δ_q > Δ_next).
          f.get(hc).f64x2Splat().set(hcv);
          f.get(dc).f64x2Splat().set(dcv);
          f.get(al).f64x2Splat().set(alv);
          f.get(none).set(nL);
          f.get(inf).set(aL);
          pairsOfK(() => {
            loadPair(p.del, atQ);
            f.set(dqv);
            loadPair(hb, atQ);
            f.get(hcv).f64x2Sub().get(dqv).get(dcv).f64x2Sub().f64x2Div().set(tv);
            f.get(dqv).get(dcv).f64x2Gt();
            f.get(tv).get(alv).f64x2Ge().v128And();
            f.get(tv).get(aL).f64x2Lt();
            f.get(tv).get(aL).f64x2Eq().get(nL).get(zero).f64x2Ge().v128And().get(dqv).get(bL).f64x2Gt().v128And();
            f.v128Or().v128And().set(mk);
            blend(qv, nL);
            blend(tv, aL);
            blend(dqv, bL);
          });
          better();
          f.get(nL).f64x2Lane(0).i32TruncSatF64().set(next);
          f.get(aL).f64x2Lane(0).set(nat);
          f.get(bL).f64x2Lane(0).set(dn);
          // The root comes first: the walk ends on cur.
          f.get(rt).get(nat).f64Le().ifThen(() => {
            at8(p.len, () => f.get(cur));
            load8(p.len, () => f.get(cur));
            f.get(rt).get(al).f64Sub().f64Add().f64Store();
            seenLine();
            f.br(3);
          });
          f.get(next).i32(0).i32LtS().brIf(1);
          at8(p.len, () => f.get(cur));
          load8(p.len, () => f.get(cur));
          f.get(nat).get(al).f64Sub().f64Add().f64Store();
          seenLine();
          f.get(nat).set(al);
          f.get(next).set(cur);
          load8(hb, () => f.get(cur));
          f.set(hc);
          f.get(dn).set(dc);
          f.get(step).i32(1).i32Add().set(step);
          f.br(0);
        });
      });
      // No root on the line.
      f.i32(0).set(ok);
    });
    f.get(dist2).f64Sqrt().set(sd);
    f.get(ok).ifThen(() => {
      // The lines the walk visited (each once: Δ rises along it) are the only ones with a
      // length: sorted into index order (insertion sort, 1–3 lines as a rule), then those with
      // a nonzero length become the entries, and the bound's Σ_q |a_q| ‖w_q‖ is summed in that
      // order, as the scalar path's pass over every q adds them.
      f.forRange(j, () => f.i32(1), () => f.get(seen), 1, () => {
        f.get(p.which).get(e0).get(j).i32Add().i32(2).i32Shl().i32Add().i32Load().set(qi);
        f.get(j).set(mm);
        f.block(() =>
          f.loop(() => {
            f.get(mm).i32Eqz().brIf(1);
            f.get(p.which).get(e0).get(mm).i32Add().i32(2).i32Shl().i32Add().i32(4).i32Sub().i32Load().get(qi).i32GtS().i32Eqz().brIf(1);
            f.get(p.which).get(e0).get(mm).i32Add().i32(2).i32Shl().i32Add();
            f.get(p.which).get(e0).get(mm).i32Add().i32(2).i32Shl().i32Add().i32(4).i32Sub().i32Load().i32Store();
            f.get(mm).i32(1).i32Sub().set(mm);
            f.br(0);
          }),
        );
        f.get(p.which).get(e0).get(mm).i32Add().i32(2).i32Shl().i32Add().get(qi).i32Store();
      });
      f.f64(0).set(amp);
      f.forRange(j, () => f.i32(0), () => f.get(seen), 1, () => {
        f.get(p.which).get(e0).get(j).i32Add().i32(2).i32Shl().i32Add().i32Load().set(q);
        load8(p.len, atQ);
        f.tee(ak).f64(0).f64Ne().ifThen(() => {
          f.get(amp).get(ak).f64Abs();
          load8(p.wlen, atCkQ);
          f.f64Mul().f64Add().set(amp);
          entry(() => void f.f64(0));
        });
      });
      // ROOT_GUARD · Σ · ‖x − r‖ ≤ |f| (‖x − r‖ = 0: f = 0); refused: the entries dropped.
      f.f64(ROOT_GUARD).get(amp).f64Mul().get(sd).f64Mul().get(fr).f64Abs().f64Le();
      f.get(fr).f64(0).f64Eq();
      f.get(sd).f64(0).f64Gt().select().set(ok);
      f.get(ok).i32Eqz().ifThen(() => void f.get(e0).set(e));
    });
    // No usable root: the shares with guarded roots, as RowPooling.finish falls back.
    f.get(ok).i32Eqz().ifThen(sharesRow);
  };

  f.i32(0).set(e);
  f.forRange(i, () => f.i32(0), () => f.get(p.count), 1, () => {
    f.get(p.start).get(i).i32(2).i32Shl().i32Add().get(e).i32Store();
    f.get(p.label).get(i).i32(2).i32Shl().i32Add().i32Load().tee(c).get(p.k).i32Mul().set(ck);
    load8(p.fv, () => f.get(i));
    f.set(fr);
    f.get(p.h).get(i).get(p.k).i32Mul().i32(3).i32Shl().i32Add().set(hb);
    f.get(p.ex).get(i).get(p.k).i32Mul().i32(3).i32Shl().i32Add().set(eb);
    load8(p.dist, () => f.get(i).get(p.kk).i32Mul().get(p.k).i32Add());
    f.set(dist2);
    load8(p.refd, () => f.get(c));
    f.set(rc);
    f.get(p.mode).i32(POOL_PATH).i32Eq().ifThen(pathRow, sharesRow);
  });
  f.get(p.start).get(p.count).i32(2).i32Shl().i32Add().get(e).i32Store();
  return f;
}
