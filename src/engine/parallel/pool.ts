/**
 * The compute pool: runs a named kernel over the fixed row blocks of a pass (blocks.ts), on
 * every core, through worker_threads that share the data over SharedArrayBuffer.
 *
 * One small interface, two implementations with identical results:
 *  - `InProcessPool` runs the blocks one after the other on the calling thread (one core, or
 *    a pass too small to be worth a message), yielding to the event loop every ~20 ms so the
 *    job's AbortSignal is seen;
 *  - `ThreadPool` posts the kernel's name and arguments (typed arrays on shared memory cross by
 *    reference) to its threads, which claim blocks from a shared counter with `Atomics.add`
 *    until none is left. The calling thread only waits: the engine worker's event loop stays
 *    free for Cancel and progress messages, and an abort flag in shared memory stops the
 *    threads at their next block (blocks are ~1–3 ms).
 * Which thread runs a block never matters: kernels write each block's results to that block's
 * own slots, so the caller's fixed-order combination is the same for any thread count.
 *
 * Threads are spawned from the engine worker or the CLI process (never from the extension
 * host) and load `computeThread.js` next to this module: `dist/computeThread.js` in the
 * bundles (a build target of scripts/build.mjs), `out/src/engine/parallel/computeThread.js` in
 * compiled tests. Idle threads are unref'd so they never keep a process alive.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../errors';
import { yieldToEventLoop } from '../jobs';
import { KERNELS, type KernelArgs, type KernelName } from './kernels';
import { sharedInt32 } from './shared';

export interface RunOptions {
  readonly signal?: AbortSignal;
  /**
   * Multiply-adds of the whole pass, if known: passes below ~4 M run in-process, where a
   * message round trip to the threads would cost more than the work.
   */
  readonly work?: number;
  /** Called about every 100 ms with the fraction of blocks started (for progress reports). */
  readonly onProgress?: (fraction: number) => void;
}

export interface ComputePool {
  /** Threads that run kernels (1: everything runs on the calling thread). */
  readonly threads: number;
  /** Runs `kernel(args, b)` for every block b in [0, blocks). Rejects with CancelledError when aborted. */
  run<N extends KernelName>(kernel: N, args: KernelArgs<N>, blocks: number, options?: RunOptions): Promise<void>;
  /** Stops the threads (a later `run` falls back to in-process). */
  close(): Promise<void>;
}

/** Messages to and from a compute thread. */
export interface ThreadRequest {
  readonly kernel: KernelName;
  readonly args: unknown;
  readonly blocks: number;
  /** [0] next unclaimed block, [1] abort flag. */
  readonly control: Int32Array;
}
export type ThreadReply = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly stack?: string };

const SMALL_WORK = 1 << 22;
const YIELD_MS = 20;
const PROGRESS_MS = 100;

/** When the calling thread last yielded to its event loop (shared by all in-process runs). */
let lastYield = Date.now();

/**
 * Runs every block on the calling thread, in order, yielding to the event loop every ~20 ms
 * (across consecutive runs) so an abort posted to this thread is seen.
 */
async function runBlocks<N extends KernelName>(kernel: N, args: KernelArgs<N>, blocks: number, options: RunOptions): Promise<void> {
  const fn = KERNELS[kernel] as (a: KernelArgs<N>, b: number) => void;
  const { signal, onProgress } = options;
  for (let b = 0; b < blocks; b++) {
    if (Date.now() - lastYield >= YIELD_MS) {
      onProgress?.(b / blocks);
      await yieldToEventLoop();
      lastYield = Date.now();
    }
    if (signal?.aborted) throw new CancelledError();
    fn(args, b);
  }
  if (signal?.aborted) throw new CancelledError();
}

export class InProcessPool implements ComputePool {
  readonly threads = 1;
  run<N extends KernelName>(kernel: N, args: KernelArgs<N>, blocks: number, options: RunOptions = {}): Promise<void> {
    return runBlocks(kernel, args, blocks, options);
  }
  async close(): Promise<void> {}
}

interface Slot {
  readonly worker: Worker;
  pending?: { resolve: () => void; reject: (e: Error) => void };
}

export class ThreadPool implements ComputePool {
  private slots: Slot[] = [];
  private broken: Error | undefined;
  /** Runs are serialised: one pass at a time owns the threads. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly threads: number,
    script: string,
  ) {
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(script, { name: `neon-compute-${t}` });
      const slot: Slot = { worker };
      worker.on('message', (reply: ThreadReply) => {
        const p = slot.pending;
        slot.pending = undefined;
        if (!p) return;
        if (reply.ok) p.resolve();
        else {
          const err = new Error(reply.message);
          if (reply.stack) err.stack = reply.stack;
          p.reject(err);
        }
      });
      const fail = (e: Error): void => {
        this.broken = e;
        const p = slot.pending;
        slot.pending = undefined;
        p?.reject(e);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`compute thread ${t} stopped (exit code ${code})`)));
      worker.unref();
      this.slots.push(slot);
    }
  }

  run<N extends KernelName>(kernel: N, args: KernelArgs<N>, blocks: number, options: RunOptions = {}): Promise<void> {
    const small = blocks <= 1 || (options.work !== undefined && options.work < SMALL_WORK);
    if (small || this.broken) return runBlocks(kernel, args, blocks, options);
    const next = this.queue.then(() => this.dispatch(kernel, args, blocks, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async dispatch<N extends KernelName>(kernel: N, args: KernelArgs<N>, blocks: number, options: RunOptions): Promise<void> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw new CancelledError();
    if (this.broken) return runBlocks(kernel, args, blocks, options);
    const control = sharedInt32(2);
    const onAbort = (): void => void Atomics.store(control, 1, 1);
    signal?.addEventListener('abort', onAbort);
    const ticker = onProgress ? setInterval(() => onProgress(Math.min(1, Atomics.load(control, 0) / blocks)), PROGRESS_MS) : undefined;
    const request: ThreadRequest = { kernel, args, blocks, control };
    try {
      await Promise.all(
        this.slots.map(
          (slot) =>
            new Promise<void>((resolve, reject) => {
              slot.pending = { resolve, reject };
              slot.worker.ref();
              slot.worker.postMessage(request);
            }),
        ),
      );
    } finally {
      if (ticker) clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
      for (const slot of this.slots) slot.worker.unref();
    }
    if (signal?.aborted) throw new CancelledError();
  }

  async close(): Promise<void> {
    this.broken = new Error('compute pool closed');
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

/** The compute thread's script next to this module (bundle or compiled tests), if present. */
export function threadScript(): string | undefined {
  const file = path.join(__dirname, 'computeThread.js');
  return fs.existsSync(file) ? file : undefined;
}

/** Threads to use: NEON_THREADS if set (>= 1), else every core the process may use. */
export function defaultThreadCount(): number {
  const env = Number(process.env.NEON_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 64);
  return Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 64));
}

/** A pool of `threads` threads (1, or no thread script found: in-process). */
export function createPool(threads = defaultThreadCount()): ComputePool {
  const script = threads > 1 ? threadScript() : undefined;
  return script ? new ThreadPool(threads, script) : new InProcessPool();
}

let shared: ComputePool | undefined;

/** The process-wide pool, created on first use. */
export function computePool(): ComputePool {
  shared ??= createPool();
  return shared;
}
