/**
 * Memory the compute threads can read and write without copies: typed arrays over a
 * SharedArrayBuffer. A typed array on shared memory crosses `postMessage` by reference, so a
 * kernel running in a pool thread sees the very rows the engine worker holds.
 */
import type { Matrix } from '../types';

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

/** True when the array lives in shared memory (a pool thread can use it in place). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** `a` itself when it is already shared, else a shared copy. */
export function toSharedFloat64(a: Float64Array): Float64Array {
  if (isShared(a)) return a;
  const s = sharedFloat64(a.length);
  s.set(a);
  return s;
}

/** The matrix itself when its data is shared, else a copy on shared memory (one N x D copy). */
export function toSharedMatrix(X: Matrix): Matrix {
  return isShared(X.data) ? X : { rows: X.rows, cols: X.cols, data: toSharedFloat64(X.data) };
}
