/**
 * The engine worker seen from the extension host: started lazily on the first request,
 * one promise per request keyed by id, progress events routed to the request's listener.
 * A cancelled request that the worker does not acknowledge within a second gets the
 * worker terminated; a crash (error, exit, out of memory) rejects every pending request
 * and the next request starts a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import { CancelledError } from '../engine/errors';
import type { Progress } from '../engine/types';
import { FromWorker, ToWorker } from '../protocol/worker';
import type { FromWorkerMessage, ReplyMap, ToWorkerMessage } from '../protocol/worker';

/** A request as the caller writes it: the client assigns the id. */
export type RequestOf<T extends ToWorker> = Omit<Extract<ToWorkerMessage, { type: T }>, 'id'>;

export interface RequestOptions {
  readonly onProgress?: (p: Progress) => void;
  readonly token?: vscode.CancellationToken;
}

export type WorkerErrorKind = 'data' | 'model' | 'option' | 'cancelled' | 'internal' | 'crashed';

/** A failed request; `kind` tells a user's data problem from a crash or a bug. */
export class WorkerRequestError extends Error {
  override readonly name = 'WorkerRequestError';
  constructor(
    message: string,
    readonly kind: WorkerErrorKind,
  ) {
    super(message);
  }
}

export interface WorkerClientOptions {
  /** Absolute path of the bundled worker (dist/worker.js). */
  readonly scriptPath: string;
  /** Heap limit of the worker, read at each (re)start so a changed setting applies. */
  readonly maxOldGenerationSizeMb: () => number;
  /** How long a cancelled request may take to stop before the worker is terminated. */
  readonly cancelGraceMs?: number;
}

interface Pending {
  readonly type: ToWorker;
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress?: (p: Progress) => void;
  cancelTimer?: NodeJS.Timeout;
  cancelListener?: vscode.Disposable;
}

export class WorkerClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private spawnCount = 0;

  constructor(private readonly options: WorkerClientOptions) {}

  /**
   * Increments every time a worker starts. Sessions remember the generation they were
   * fitted in: a different generation means the worker lost them (crash, termination).
   */
  get generation(): number {
    return this.spawnCount;
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  request<T extends ToWorker>(msg: RequestOf<T>, options: RequestOptions = {}): Promise<ReplyMap[T]> {
    if (options.token?.isCancellationRequested) {
      return Promise.reject(new CancelledError(cancelMessage(msg.type)));
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<ReplyMap[T]>((resolve, reject) => {
      const entry: Pending = { type: msg.type, resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress };
      this.pending.set(id, entry);
      if (options.token) {
        entry.cancelListener = options.token.onCancellationRequested(() => this.cancel(id));
      }
      worker.postMessage({ ...msg, id } as unknown as ToWorkerMessage);
    });
  }

  /** Stops the worker now (tests, crash recovery); pending requests are rejected. */
  async terminate(reason = 'The NEON worker was stopped.'): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.rejectAll(new WorkerRequestError(reason, 'crashed'));
    await worker.terminate();
  }

  dispose(): void {
    void this.terminate('The extension is shutting down.');
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.scriptPath, {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb() },
    });
    this.spawnCount++;
    worker.on('message', (m: FromWorkerMessage) => this.onMessage(m));
    worker.on('error', (e: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const message = oom
        ? `The NEON worker ran out of memory (limit ${this.options.maxOldGenerationSizeMb()} MB). Lower neonClusterExplorer.memoryBudgetMb (a smaller uniform sample is fitted; every row is still assigned and explained in a streaming pass), or raise neonClusterExplorer.workerMemoryMb if the machine has the memory.`
        : `The NEON worker crashed: ${e.message}`;
      this.rejectAll(new WorkerRequestError(message, 'crashed'));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.rejectAll(new WorkerRequestError(`The NEON worker stopped unexpectedly (exit code ${code}).`, 'crashed'));
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(m: FromWorkerMessage): void {
    const entry = this.pending.get(m.inReplyTo);
    if (!entry) return; // a reply to a fire-and-forget Cancel, or to a request already given up on
    switch (m.type) {
      case FromWorker.Progress:
        entry.onProgress?.(m.progress);
        return;
      case FromWorker.Result:
        this.settle(m.inReplyTo);
        entry.resolve(m.result);
        return;
      case FromWorker.Error:
        this.settle(m.inReplyTo);
        entry.reject(
          m.kind === 'cancelled' ? new CancelledError(cancelMessage(entry.type)) : new WorkerRequestError(m.message, m.kind),
        );
        return;
    }
  }

  private cancel(id: number): void {
    const entry = this.pending.get(id);
    const worker = this.worker;
    if (!entry || !worker || entry.cancelTimer) return;
    worker.postMessage({ type: ToWorker.Cancel, id: this.nextId++, targetId: id } satisfies ToWorkerMessage);
    // A job stuck in a long synchronous step cannot see the abort: stop the thread instead.
    entry.cancelTimer = setTimeout(() => {
      if (!this.pending.has(id)) return;
      this.settle(id);
      entry.reject(new CancelledError(cancelMessage(entry.type)));
      void this.terminate('The NEON worker was restarted because a cancelled job did not stop in time.');
    }, this.options.cancelGraceMs ?? 1000);
  }

  private settle(id: number): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (entry.cancelTimer) clearTimeout(entry.cancelTimer);
    entry.cancelListener?.dispose();
  }

  private rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) {
      const entry = this.pending.get(id);
      this.settle(id);
      entry?.reject(error);
    }
  }
}

function cancelMessage(type: ToWorker): string {
  return type === ToWorker.Fit ? 'Clustering cancelled' : 'Cancelled';
}
