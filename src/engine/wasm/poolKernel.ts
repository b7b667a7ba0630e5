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
 *    α-length on which q holds the minimum, and the bound of `pathPoolWeights`.
 *
 * A row whose path has no root, or whose root the bound refuses, gets the reference rule's
 * shares with guarded roots, as the JavaScript path falls back. The soft pool's path integral
 * (Gauss–Legendre, referencePath.ts) is not here: the caller pools those rows in JavaScript.
 * The evidence f (fv) is the caller's (soft evidence needs a logarithm).
 */
import { ROOT_GUARD } from '../neuralize/rootPoint';
import { F64, FunctionBody, I32 } from './assembler';

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
  const dq = f.local(F64);
  const hc = f.local(F64);
  const dc = f.local(F64);
  const al = f.local(F64);
  const value = f.local(F64);
  const rt = f.local(F64);
  const nat = f.local(F64);
  const t = f.local(F64);
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

  /** referencePath.ts: Δ, the envelope walk, the bound, then the entries (or return i). */
  const pathRow = (): void => {
    // Δ_q = h_q − (‖r − μ_q‖² − ‖r − μ_c‖²), 0 at c; lengths 0.
    overK(() => {
      at8(p.del, atQ);
      f.f64(0);
      load8(hb, atQ);
      load8(p.refd, atQ);
      f.get(rc).f64Sub().f64Sub();
      f.get(q).get(c).i32Eq().select().f64Store();
      at8(p.len, atQ);
      f.f64(0).f64Store();
    });
    // firstLine: lowest h, ties to the larger Δ.
    f.i32(-1).set(cur);
    overK(() => {
      f.get(q).get(c).i32Ne().ifThen(() => {
        f.get(cur).i32(0).i32LtS().ifThen(
          () => void f.get(q).set(cur),
          () => {
            load8(hb, atQ);
            f.tee(hq);
            load8(hb, () => f.get(cur));
            f.f64Lt();
            f.get(hq);
            load8(hb, () => f.get(cur));
            f.f64Eq();
            load8(p.del, atQ);
            load8(p.del, () => f.get(cur));
            f.f64Gt().i32And().i32Or().ifThen(() => void f.get(q).set(cur));
          },
        );
      });
    });
    f.f64(0).set(al);
    f.i32(0).set(step);
    f.i32(1).set(ok);
    f.block(() => {
      // depth here: 0 = success block
      f.block(() => {
        // 0 = fail block, 1 = success block
        f.loop(() => {
          // 0 = loop, 1 = fail, 2 = success
          f.get(cur).i32(0).i32LtS().get(step).get(p.k).i32GeS().i32Or().brIf(1);
          load8(hb, () => f.get(cur));
          f.set(hc);
          load8(p.del, () => f.get(cur));
          f.set(dc);
          f.get(hc).get(al).get(dc).f64Mul().f64Sub().set(value);
          // rt = value == 0 ? α : (value and Δ_cur of one sign) ? max(α, h/Δ) : ∞.
          f.get(al);
          f.get(al).get(hc).get(dc).f64Div().f64Max();
          f.f64(Infinity);
          f.get(value).f64(0).f64Gt().get(dc).f64(0).f64Gt().i32And();
          f.get(value).f64(0).f64Lt().get(dc).f64(0).f64Lt().i32And().i32Or();
          f.select();
          f.get(value).f64(0).f64Eq().select().set(rt);
          // nextLine: the first line (after α) falling faster than cur to cross it.
          f.i32(-1).set(next);
          f.f64(Infinity).set(nat);
          overK(() => {
            f.get(q).get(c).i32Ne().get(q).get(cur).i32Ne().i32And().ifThen(() => {
              load8(p.del, atQ);
              f.tee(dq).get(dc).f64Gt().ifThen(() => {
                load8(hb, atQ);
                f.get(hc).f64Sub().get(dq).get(dc).f64Sub().f64Div().tee(t).get(al).f64Ge().ifThen(() => {
                  f.get(t).get(nat).f64Lt();
                  f.get(t).get(nat).f64Eq().get(next).i32(0).i32GeS().i32And();
                  f.get(dq);
                  load8(p.del, () => f.get(next).i32(0).get(next).i32(0).i32GeS().select());
                  f.f64Gt().i32And().i32Or().ifThen(() => {
                    f.get(t).set(nat);
                    f.get(q).set(next);
                  });
                });
              });
            });
          });
          // The root comes first: the walk ends on cur.
          f.get(rt).get(nat).f64Le().ifThen(() => {
            at8(p.len, () => f.get(cur));
            load8(p.len, () => f.get(cur));
            f.get(rt).get(al).f64Sub().f64Add().f64Store();
            f.br(3);
          });
          f.get(next).i32(0).i32LtS().brIf(1);
          at8(p.len, () => f.get(cur));
          load8(p.len, () => f.get(cur));
          f.get(nat).get(al).f64Sub().f64Add().f64Store();
          f.get(nat).set(al);
          f.get(next).set(cur);
          f.get(step).i32(1).i32Add().set(step);
          f.br(0);
        });
      });
      // No root on the line.
      f.i32(0).set(ok);
    });
    // The bound: ROOT_GUARD · Σ_q |a_q| ‖w_q‖ · ‖x − r‖ ≤ |f|.
    f.get(dist2).f64Sqrt().set(sd);
    f.get(ok).ifThen(() => void f.get(sd).f64(0).f64Gt().ifThen(
      () => {
        f.f64(0).set(amp);
        overK(() => {
          load8(p.len, atQ);
          f.set(ak);
          f.get(q).get(c).i32Ne().get(ak).f64(0).f64Ne().i32And().ifThen(() => {
            f.get(amp).get(ak).f64Abs();
            load8(p.wlen, atCkQ);
            f.f64Mul().f64Add().set(amp);
          });
        });
        f.f64(ROOT_GUARD).get(amp).f64Mul().get(sd).f64Mul().get(fr).f64Abs().f64Le().set(ok);
      },
      () => void f.get(fr).f64(0).f64Eq().set(ok),
    ));
    f.get(ok).ifThen(
      () =>
        overK(() => {
          load8(p.len, atQ);
          f.set(ak);
          f.get(q).get(c).i32Ne().get(ak).f64(0).f64Ne().i32And().ifThen(() => entry(() => void f.f64(0)));
        }),
      // No usable root: the shares with guarded roots, as RowPooling.finish falls back.
      sharesRow,
    );
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
