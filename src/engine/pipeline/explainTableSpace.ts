/**
 * Shared memory for explaining a table chunk after chunk (explainStream.ts): the chunk's model
 * inputs, the centroids and every output of explainTableKernel.ts's pass live in
 * SharedArrayBuffers allocated once and reused by every chunk, instead of fresh ones per chunk.
 *
 * Why: a SharedArrayBuffer is freed only when every thread that received it has collected its
 * handle. The compute threads allocate almost nothing while they explain (the pooling runs in
 * WebAssembly since wasm/poolKernel.ts), so they go ~10 s between garbage collections, and
 * every chunk's buffers stayed alive until then: the peak memory of `neon-cluster explain` and
 * of the every-row pass grew with the input (5,000,000 rows: 489 MB against 151 MB at 50,000
 * rows). With one space per stream the threads' stale handles all point at the same buffers,
 * so the shared memory is that of the largest chunk whatever the number of chunks.
 */
import { blockCount } from '../parallel/blocks';
import type { NeonOptions } from '../types';
import type { ExplainTableArgs } from './explainTableKernel';

type Region = 'features' | 'centroids' | 'cluster' | 'evidence' | 'probability' | 'rowRelevance' | 'status' | 'blockGap' | 'blockTotal';

export class ExplainTableSpace {
  private readonly buffers = new Map<Region, SharedArrayBuffer>();

  /** Bytes of shared memory held. */
  get bytes(): number {
    let sum = 0;
    for (const b of this.buffers.values()) sum += b.byteLength;
    return sum;
  }

  /** `bytes` of region `name`, reallocated only when an earlier call asked for less. */
  private region(name: Region, bytes: number): SharedArrayBuffer {
    let b = this.buffers.get(name);
    if (!b || b.byteLength < bytes) {
      b = new SharedArrayBuffer(Math.max(8, bytes));
      this.buffers.set(name, b);
    }
    return b;
  }

  /**
   * Room for a chunk's `rows` x `d` model inputs (row-major), zeroed, valid until the next
   * chunk: TablePreprocessor.apply writes the chunk here, so `args` need not copy it.
   */
  features(rows: number, d: number): Float64Array {
    return new Float64Array(this.region('features', rows * d * 8), 0, rows * d).fill(0);
  }

  /**
   * explainTableArgs' arguments for `data` (N x D row-major; copied in unless it is this
   * space's `features`) under the K x D `centroids` (copied in), on this space's buffers: the
   * outputs are views valid until the next call.
   */
  args(data: Float64Array, model: { readonly k: number; readonly dim: number; readonly centroids: Float64Array }, neon: NeonOptions, featureColumn: Int32Array, units: number, blockRows: number): ExplainTableArgs {
    const { k, dim: d } = model;
    const n = data.length / d;
    const blocks = blockCount(n, blockRows);
    let rows = data;
    if (data.buffer !== this.buffers.get('features')) {
      rows = new Float64Array(this.region('features', n * d * 8), 0, n * d);
      rows.set(data);
    }
    const centroids = new Float64Array(this.region('centroids', k * d * 8), 0, k * d);
    centroids.set(model.centroids);
    const f64 = (name: Region, length: number): Float64Array => new Float64Array(this.region(name, length * 8), 0, length);
    return {
      data: rows,
      n,
      d,
      k,
      centroids,
      neon,
      blockRows,
      featureColumn,
      units,
      cluster: new Int32Array(this.region('cluster', n * 4), 0, n),
      evidence: f64('evidence', n),
      probability: f64('probability', n),
      rowRelevance: f64('rowRelevance', n * units),
      // Zeroed: the kernels write every row's status and every block's slots, but a cancelled
      // pass must not leave the previous chunk's values behind.
      status: new Uint8Array(this.region('status', n), 0, n).fill(0),
      blockGap: f64('blockGap', blocks).fill(0),
      blockTotal: f64('blockTotal', blocks).fill(0),
    };
  }
}
