import { CancelledError } from './errors';
import type { JobHooks, Progress } from './types';

/** Throws CancelledError when the job's signal has fired. Cheap: call it between chunks. */
export function throwIfAborted(hooks: JobHooks | undefined): void {
  if (hooks?.signal?.aborted) throw new CancelledError();
}

/**
 * Wraps `onProgress` so a hot loop can report every chunk while the listener hears at most
 * one update per `intervalMs` (the worker posts each one; flooding postMessage costs time).
 */
export function throttledProgress(hooks: JobHooks | undefined, intervalMs = 100): (p: Progress) => void {
  const listener = hooks?.onProgress;
  if (!listener) return () => undefined;
  let last = 0;
  return (p: Progress) => {
    const now = Date.now();
    if (now - last >= intervalMs || p.fraction === 1) {
      last = now;
      listener(p);
    }
  };
}

/**
 * Yields to the event loop so an AbortSignal fired from elsewhere (worker message handler)
 * can be observed by a long synchronous computation split into chunks.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Paces a long synchronous computation split into chunks: `tick()` between chunks throws
 * CancelledError once the signal has fired and yields to the event loop at most every
 * `intervalMs`, so an abort posted to the worker is seen promptly at little cost. `onYield`
 * runs just before each yield: the natural moment to report progress.
 */
export class Pacer {
  private last = Date.now();

  constructor(
    private readonly hooks: JobHooks | undefined,
    private readonly intervalMs = 50,
  ) {}

  async tick(onYield?: () => void): Promise<void> {
    if (Date.now() - this.last >= this.intervalMs) {
      onYield?.();
      await yieldToEventLoop();
      this.last = Date.now();
    }
    throwIfAborted(this.hooks);
  }
}
