/**
 * A small WebAssembly assembler: just what the engine's SIMD kernels need (i32 / f64 / v128
 * locals, loads and stores, arithmetic, structured loops, exported functions over one
 * module-owned memory). The kernels are emitted from TypeScript (wasm/distanceKernels.ts), so
 * nothing is downloaded or built outside npm and the bytes are the same wherever the engine runs.
 *
 * Encoding: WebAssembly core specification 2.0, "Binary Format" (module sections, LEB128
 * integers, instruction opcodes) and its fixed-width SIMD instructions (prefix 0xFD followed by
 * the LEB128 sub-opcode). Only what is used here is defined; WebAssembly.Module validates the
 * result, so a wrong byte fails loudly at compile time, never silently.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

function uleb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

function sleb(n: number, out: number[]): void {
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** SIMD sub-opcodes (after the 0xFD prefix). */
const SIMD = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  f64x2Splat: 0x14,
  i32x4ExtractLane: 0x1b,
  f64x2ExtractLane: 0x21,
  f64x2ReplaceLane: 0x22,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  v128And: 0x4e,
  v128Or: 0x50,
  bitselect: 0x52,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Abs: 0xec,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Min: 0xf4,
  f64x2Max: 0xf5,
  i32x4TruncSatF64x2SZero: 0xfc,
  f64x2ConvertLowI32x4S: 0xfe,
  f64x2Pmin: 0xf6,
  f64x2Pmax: 0xf7,
  i32x4Splat: 0x11,
  i32x4ShrS: 0xac,
  i64x2ExtendLowI32x4S: 0xc7,
  i64x2Shl: 0xcb,
  i64x2Sub: 0xd1,
} as const;

/**
 * One function's body. Locals are numbered after the parameters; each `local(type)` adds one.
 * Methods append instructions and return `this`, so a kernel reads like the stack code it emits.
 */
export class FunctionBody {
  private readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];

  constructor(
    readonly params: readonly ValType[],
    readonly results: readonly ValType[] = [],
  ) {}

  /** A new local of `type`; returns its index. */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  get(i: number): this {
    this.code.push(0x20);
    uleb(i, this.code);
    return this;
  }
  set(i: number): this {
    this.code.push(0x21);
    uleb(i, this.code);
    return this;
  }
  tee(i: number): this {
    this.code.push(0x22);
    uleb(i, this.code);
    return this;
  }
  i32(n: number): this {
    this.code.push(0x41);
    sleb(n | 0, this.code);
    return this;
  }
  f64(x: number): this {
    this.code.push(0x44);
    const b = new Uint8Array(new Float64Array([x]).buffer);
    for (const v of b) this.code.push(v);
    return this;
  }

  // i32 arithmetic and comparisons
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32Shl(): this { return this.op(0x74); }
  i32And(): this { return this.op(0x71); }
  i32Eq(): this { return this.op(0x46); }
  i32LtS(): this { return this.op(0x48); }
  i32GeS(): this { return this.op(0x4e); }
  i32ShrS(): this { return this.op(0x75); }
  i32Or(): this { return this.op(0x72); }
  i32GtS(): this { return this.op(0x4a); }
  i32Ne(): this { return this.op(0x47); }
  i32Xor(): this { return this.op(0x73); }
  i32Eqz(): this { return this.op(0x45); }

  // f64 scalar
  f64Add(): this { return this.op(0xa0); }
  f64Sub(): this { return this.op(0xa1); }
  f64Mul(): this { return this.op(0xa2); }
  f64Div(): this { return this.op(0xa3); }
  f64Min(): this { return this.op(0xa4); }
  f64Max(): this { return this.op(0xa5); }
  f64Sqrt(): this { return this.op(0x9f); }
  f64Abs(): this { return this.op(0x99); }
  f64Ne(): this { return this.op(0x62); }
  f64Lt(): this { return this.op(0x63); }
  f64Gt(): this { return this.op(0x64); }
  f64Le(): this { return this.op(0x65); }
  f64Ge(): this { return this.op(0x66); }
  f64Eq(): this { return this.op(0x61); }
  f64Neg(): this { return this.op(0x9a); }
  /** select: [a, b, cond] → cond ? a : b. */
  select(): this { return this.op(0x1b); }

  // memory (offset in bytes added to the address on the stack; alignment hints: natural)
  i32Load(offset = 0): this { return this.mem(0x28, 2, offset); }
  i32Store(offset = 0): this { return this.mem(0x36, 2, offset); }
  f64Load(offset = 0): this { return this.mem(0x2b, 3, offset); }
  f64Store(offset = 0): this { return this.mem(0x39, 3, offset); }
  /** v128 load/store; alignment hint 8 bytes (rows of an odd width are not 16-byte aligned). */
  v128Load(offset = 0): this { return this.simd(SIMD.load).memarg(3, offset); }
  v128Store(offset = 0): this { return this.simd(SIMD.store).memarg(3, offset); }
  v128Zero(): this {
    this.simd(SIMD.const);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }
  f64x2Splat(): this { return this.simd(SIMD.f64x2Splat); }
  f64x2Lane(lane: 0 | 1): this {
    this.simd(SIMD.f64x2ExtractLane);
    this.code.push(lane);
    return this;
  }
  f64x2Add(): this { return this.simd(SIMD.f64x2Add); }
  f64x2Sub(): this { return this.simd(SIMD.f64x2Sub); }
  f64x2Mul(): this { return this.simd(SIMD.f64x2Mul); }
  /** [a, b] → lane-wise b < a ? b : a (pseudo-minimum: one instruction, no NaN rules). */
  f64x2Pmin(): this { return this.simd(SIMD.f64x2Pmin); }
  /** [a, b] → lane-wise a < b ? b : a (pseudo-maximum). */
  f64x2Pmax(): this { return this.simd(SIMD.f64x2Pmax); }
  f64x2ReplaceLane(lane: 0 | 1): this {
    this.simd(SIMD.f64x2ReplaceLane);
    this.code.push(lane);
    return this;
  }
  /** Lane-wise a < b: all-ones / all-zeros masks. */
  f64x2Lt(): this { return this.simd(SIMD.f64x2Lt); }
  /** Lane-wise a > b: all-ones / all-zeros masks (likewise ==, ≠, ≤, ≥; NaN compares as f64 does). */
  f64x2Gt(): this { return this.simd(SIMD.f64x2Gt); }
  f64x2Eq(): this { return this.simd(SIMD.f64x2Eq); }
  f64x2Ne(): this { return this.simd(SIMD.f64x2Ne); }
  f64x2Le(): this { return this.simd(SIMD.f64x2Le); }
  f64x2Ge(): this { return this.simd(SIMD.f64x2Ge); }
  /** Bitwise and / or of two v128 (masks). */
  v128And(): this { return this.simd(SIMD.v128And); }
  v128Or(): this { return this.simd(SIMD.v128Or); }
  f64x2Abs(): this { return this.simd(SIMD.f64x2Abs); }
  f64x2Div(): this { return this.simd(SIMD.f64x2Div); }
  /** Lane-wise min / max with f64.min / f64.max's semantics (NaN propagates, −0 < +0). */
  f64x2Min(): this { return this.simd(SIMD.f64x2Min); }
  f64x2Max(): this { return this.simd(SIMD.f64x2Max); }
  /** Both f64 lanes to i32 as i32.trunc_sat_f64_s does each, into i32 lanes 0 and 1 (2, 3 zero). */
  i32x4TruncSatF64x2(): this { return this.simd(SIMD.i32x4TruncSatF64x2SZero); }
  /** i32 lanes 0 and 1 to f64 lanes (exact, as f64.convert_i32_s). */
  f64x2ConvertLowI32x4(): this { return this.simd(SIMD.f64x2ConvertLowI32x4S); }
  i32x4Lane(lane: 0 | 1 | 2 | 3): this {
    this.simd(SIMD.i32x4ExtractLane);
    this.code.push(lane);
    return this;
  }
  /** An i32 into all four i32 lanes (−1 / 0 into a mask for v128 ops). */
  i32x4Splat(): this { return this.simd(SIMD.i32x4Splat); }
  /** [v, n] → each i32 lane of v shifted right by n (arithmetic; n taken mod 32). */
  i32x4ShrS(): this { return this.simd(SIMD.i32x4ShrS); }
  /** i32 lanes 0 and 1 sign-extended to the two i64 lanes. */
  i64x2ExtendLowI32x4(): this { return this.simd(SIMD.i64x2ExtendLowI32x4S); }
  /** [v, n] → each i64 lane of v shifted left by n (mod 64). */
  i64x2Shl(): this { return this.simd(SIMD.i64x2Shl); }
  /** Lane-wise i64 a − b (wrapping); on f64 bits, subtracting m·2^52 scales a normal value by 2^−m exactly. */
  i64x2Sub(): this { return this.simd(SIMD.i64x2Sub); }
  /** [a, b, mask] → (a & mask) | (b & ~mask): a true blend, no branch. */
  bitselect(): this { return this.simd(SIMD.bitselect); }
  /** [a, b] → the 16 bytes lanes[i] of a ‖ b (0–15: a, 16–31: b). */
  shuffle(lanes: readonly number[]): this {
    this.simd(SIMD.shuffle);
    for (const l of lanes) this.code.push(l);
    return this;
  }
  f64ConvertI32(): this { return this.op(0xb7); }
  i32TruncF64(): this { return this.op(0xaa); }
  /** i32.trunc_sat_f64_s: toward zero, NaN → 0, out of range saturated (no trap). */
  i32TruncSatF64(): this {
    this.code.push(0xfc);
    uleb(2, this.code);
    return this;
  }

  // control
  /** block … end: `br(0)` inside leaves it. */
  block(body: () => void): this {
    this.code.push(0x02, 0x40);
    body();
    return this.op(0x0b);
  }
  /** loop … end: `br(0)` inside jumps back to its start. */
  loop(body: () => void): this {
    this.code.push(0x03, 0x40);
    body();
    return this.op(0x0b);
  }
  /** if (i32 on the stack) … else … end. */
  ifThen(then: () => void, otherwise?: () => void): this {
    this.code.push(0x04, 0x40);
    then();
    if (otherwise) {
      this.code.push(0x05);
      otherwise();
    }
    return this.op(0x0b);
  }
  br(depth: number): this {
    this.code.push(0x0c);
    uleb(depth, this.code);
    return this;
  }
  brIf(depth: number): this {
    this.code.push(0x0d);
    uleb(depth, this.code);
    return this;
  }

  /**
   * for (i = start; i < end; i += step) body — `start`, `end` emit one i32 each; `end` is
   * re-evaluated every pass (keep it a local). Inside `body`, depth 0 is the loop, 1 its exit.
   */
  forRange(i: number, start: () => void, end: () => void, step: number, body: () => void): this {
    start();
    this.set(i);
    return this.block(() =>
      this.loop(() => {
        this.get(i);
        end();
        this.i32GeS().brIf(1);
        body();
        this.get(i).i32(step).i32Add().set(i).br(0);
      }),
    );
  }

  /** The encoded body (locals + code + end). */
  encode(): number[] {
    const out: number[] = [];
    // Local declarations: runs of equal types.
    const runs: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(runs.length, out);
    for (const [count, t] of runs) {
      uleb(count, out);
      out.push(t);
    }
    out.push(...this.code, 0x0b);
    const sized: number[] = [];
    uleb(out.length, sized);
    return sized.concat(out);
  }

  private op(byte: number): this {
    this.code.push(byte);
    return this;
  }
  private simd(sub: number): this {
    this.code.push(0xfd);
    uleb(sub, this.code);
    return this;
  }
  private memarg(alignLog2: number, offset: number): this {
    this.code.push(alignLog2);
    uleb(offset, this.code);
    return this;
  }
  private mem(opcode: number, alignLog2: number, offset: number): this {
    this.code.push(opcode);
    return this.memarg(alignLog2, offset);
  }
}

/** A module of exported functions over one memory of its own (exported as "memory"). */
export class ModuleBuilder {
  private readonly functions: { name: string; body: FunctionBody }[] = [];

  add(name: string, body: FunctionBody): this {
    this.functions.push({ name, body });
    return this;
  }

  /** The module's bytes: type, function, memory (1 page to start, growable), export and code sections. */
  encode(): Uint8Array {
    const section = (id: number, content: number[]): number[] => {
      const out = [id];
      uleb(content.length, out);
      return out.concat(content);
    };
    const vec = (items: number[][]): number[] => {
      const out: number[] = [];
      uleb(items.length, out);
      for (const it of items) out.push(...it);
      return out;
    };
    const name = (s: string): number[] => {
      const bytes = Array.from(new TextEncoder().encode(s));
      const out: number[] = [];
      uleb(bytes.length, out);
      return out.concat(bytes);
    };
    const types = this.functions.map(({ body }) => {
      const t = [0x60];
      uleb(body.params.length, t);
      t.push(...body.params);
      uleb(body.results.length, t);
      t.push(...body.results);
      return t;
    });
    const funcs = this.functions.map((_, i) => {
      const t: number[] = [];
      uleb(i, t);
      return t;
    });
    const exports = this.functions.map((f, i) => {
      const e = [...name(f.name), 0x00];
      uleb(i, e);
      return e;
    });
    exports.push([...name('memory'), 0x02, 0x00]);
    const bytes = [
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...section(1, vec(types)),
      ...section(3, vec(funcs)),
      ...section(5, vec([[0x00, 0x01]])),
      ...section(7, vec(exports)),
      ...section(10, vec(this.functions.map((f) => f.body.encode()))),
    ];
    return Uint8Array.from(bytes);
  }
}
