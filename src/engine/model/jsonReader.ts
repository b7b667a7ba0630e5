/**
 * Validating readers for hand-written JSON. Every failure is a ModelError that names the
 * file and the JSON path of the offending value (`deep.layers[1].weights[3]`), so a user
 * editing a model file by hand can go straight to the problem.
 */
import { ModelError } from '../errors';

/** A JSON value as JSON.parse returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Where a value sits: the file being read and the path inside it. */
export class JsonPath {
  constructor(
    readonly file: string,
    readonly path: string,
  ) {}

  key(name: string): JsonPath {
    return new JsonPath(this.file, this.path ? `${this.path}.${name}` : name);
  }

  index(i: number): JsonPath {
    return new JsonPath(this.file, `${this.path}[${i}]`);
  }

  /** A ModelError naming the file and this path. */
  error(problem: string): ModelError {
    return new ModelError(`${this.file}: ${this.path || '(top level)'} ${problem}`);
  }
}

/** Parses JSON text; a syntax error reports the line and column of the position JSON.parse names. */
export function parseJsonText(text: string, file: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    if (at) {
      const pos = Number(at[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const column = pos - before.lastIndexOf('\n');
      throw new ModelError(`${file}: line ${line}, column ${column}: not valid JSON (${message})`);
    }
    throw new ModelError(`${file}: not valid JSON (${message})`);
  }
}

function describe(v: Json | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

export function readObject(v: Json | undefined, at: JsonPath): JsonObject {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) {
    throw at.error(`must be an object, found ${describe(v)}`);
  }
  return v;
}

export function readArray(v: Json | undefined, at: JsonPath): Json[] {
  if (!Array.isArray(v)) throw at.error(`must be an array, found ${describe(v)}`);
  return v;
}

export function readNumber(v: Json | undefined, at: JsonPath): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw at.error(`must be a finite number, found ${describe(v)}`);
  return v;
}

export function readPositiveNumber(v: Json | undefined, at: JsonPath): number {
  const n = readNumber(v, at);
  if (!(n > 0)) throw at.error(`must be positive, found ${n}`);
  return n;
}

export function readInteger(v: Json | undefined, at: JsonPath, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = readNumber(v, at);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw at.error(`must be an integer in [${min}, ${max}], found ${n}`);
  }
  return n;
}

export function readString(v: Json | undefined, at: JsonPath): string {
  if (typeof v !== 'string') throw at.error(`must be a string, found ${describe(v)}`);
  return v;
}

export function readEnum<T extends string>(v: Json | undefined, at: JsonPath, allowed: readonly T[]): T {
  const s = readString(v, at);
  if (!(allowed as readonly string[]).includes(s)) {
    throw at.error(`must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, found "${s}"`);
  }
  return s as T;
}

export function readStringArray(v: Json | undefined, at: JsonPath): string[] {
  return readArray(v, at).map((s, i) => readString(s, at.index(i)));
}

/**
 * A vector of finite numbers. `expected` names where the expected length comes from, so the
 * message says e.g. "has 63 values, expected 64 (featureNames)".
 */
export function readVector(v: Json | undefined, at: JsonPath, expected?: { length: number; from: string }): Float64Array {
  const a = readArray(v, at);
  if (expected && a.length !== expected.length) {
    throw at.error(`has ${a.length} values, expected ${expected.length} (${expected.from})`);
  }
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw at.index(i).error(`must be a finite number, found ${describe(x)}`);
    out[i] = x;
  }
  return out;
}

/**
 * A matrix written as an array of rows, returned flat row-major. `cols` fixes the row length
 * (with the name of what fixes it); `rows` likewise, when known.
 */
export function readMatrix(
  v: Json | undefined,
  at: JsonPath,
  cols: { length: number; from: string },
  rows?: { length: number; from: string },
): { data: Float64Array; rows: number } {
  const a = readArray(v, at);
  if (rows && a.length !== rows.length) throw at.error(`has ${a.length} rows, expected ${rows.length} (${rows.from})`);
  if (a.length === 0) throw at.error('must have at least one row');
  const data = new Float64Array(a.length * cols.length);
  for (let r = 0; r < a.length; r++) data.set(readVector(a[r], at.index(r), cols), r * cols.length);
  return { data, rows: a.length };
}
