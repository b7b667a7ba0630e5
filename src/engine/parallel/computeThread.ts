/**
 * Entry of a compute thread (pool.ts): runs the named kernel on blocks it claims from the
 * shared counter until none is left or the abort flag is set, then answers once.
 */
import { parentPort } from 'node:worker_threads';
import { KERNELS } from './kernels';
import type { ThreadReply, ThreadRequest } from './pool';

const port = parentPort;
if (port) {
  port.on('message', (m: ThreadRequest) => {
    let reply: ThreadReply;
    try {
      const fn = KERNELS[m.kernel] as (args: unknown, block: number) => void;
      const control = m.control;
      for (;;) {
        if (Atomics.load(control, 1) !== 0) break;
        const b = Atomics.add(control, 0, 1);
        if (b >= m.blocks) break;
        fn(m.args, b);
      }
      reply = { ok: true };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { ok: false, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
    }
    port.postMessage(reply);
  });
}
