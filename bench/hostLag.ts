/**
 * Extension-host responsiveness during a large job: a 1,000,000-row CSV is clustered and
 * explained (a) the way the extension does it — in the engine worker (dist/worker.js) over the
 * typed protocol — and (b), as the peer, by calling the same pipeline on the main thread.
 * Event-loop delay of the main thread is measured for both with perf_hooks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { runPipeline } from '../src/engine/pipeline';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../src/engine/pipelineTypes';
import { Rng } from '../src/engine/rng';
import { FromWorker, ToWorker, type FromWorkerMessage } from '../src/protocol/worker';

export interface LagRow {
  readonly mode: string;
  readonly rows: number;
  readonly jobMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** A CSV of `rows` x 8 numeric columns around 8 centres (written once, ~60 MB). */
export function writeBigCsv(rows: number, file: string): void {
  const rng = new Rng(5);
  const d = 8;
  const centres = Array.from({ length: 8 }, () => Array.from({ length: d }, () => (rng.next() * 2 - 1) * 5));
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Array.from({ length: d }, (_, j) => `f${j}`).join(',') + '\n');
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const c = centres[rng.int(8)];
    chunk.push(c.map((v) => (v + rng.normal()).toFixed(4)).join(','));
    if (chunk.length === 10000) {
      fs.writeSync(fd, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  fs.closeSync(fd);
}

const SETTINGS: ClusterSettings = { ...DEFAULT_SETTINGS, k: 8, restarts: 1, maxRows: 2_000_000, flippingSample: 0 };

function monitor(): { stop(): { p50Ms: number; p99Ms: number; maxMs: number } } {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return {
    stop() {
      h.disable();
      return { p50Ms: h.percentile(50) / 1e6, p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 };
    },
  };
}

export async function lagInWorker(csv: string, rows: number, workerFile: string): Promise<LagRow> {
  const worker = new Worker(workerFile);
  const m = monitor();
  const t0 = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: FromWorkerMessage) => {
        if (msg.inReplyTo !== 1) return;
        if (msg.type === FromWorker.Result) resolve();
        else if (msg.type === FromWorker.Error) reject(new Error(msg.message));
      });
      worker.on('error', reject);
      worker.postMessage({ type: ToWorker.Fit, id: 1, sessionId: 'bench', source: { kind: 'table', path: csv }, settings: SETTINGS });
    });
  } finally {
    await worker.terminate();
  }
  const jobMs = performance.now() - t0;
  return { mode: 'engine worker (extension)', rows, jobMs, ...m.stop() };
}

export interface CancelRow {
  /** The stage whose first progress report triggered the Cancel. */
  readonly stage: string;
  /** From posting Cancel to the worker's 'cancelled' error, ms. */
  readonly cancelMs: number;
}

/**
 * How promptly a Cancel stops the job in the engine worker (the unit tests check only that it
 * does): for each stage, a fresh fit is cancelled at that stage's first progress report.
 */
export async function cancelLatencyInWorker(csv: string, workerFile: string, stages: readonly string[] = ['loading', 'fitting', 'explaining', 'quality']): Promise<CancelRow[]> {
  const rows: CancelRow[] = [];
  for (const stage of stages) {
    const worker = new Worker(workerFile);
    try {
      const cancelMs = await new Promise<number>((resolve, reject) => {
        let sentAt = 0;
        worker.on('message', (msg: FromWorkerMessage) => {
          if (msg.inReplyTo !== 1) return;
          if (msg.type === FromWorker.Progress && sentAt === 0 && msg.progress.stage === stage) {
            sentAt = performance.now();
            worker.postMessage({ type: ToWorker.Cancel, id: 2, targetId: 1 });
          } else if (msg.type === FromWorker.Error) {
            if (msg.kind === 'cancelled' && sentAt > 0) resolve(performance.now() - sentAt);
            else reject(new Error(msg.message));
          } else if (msg.type === FromWorker.Result) {
            reject(new Error(`the job ended before a '${stage}' progress report`));
          }
        });
        worker.on('error', reject);
        worker.postMessage({ type: ToWorker.Fit, id: 1, sessionId: 'bench', source: { kind: 'table', path: csv }, settings: SETTINGS });
      });
      rows.push({ stage, cancelMs });
    } finally {
      await worker.terminate();
    }
  }
  return rows;
}

export async function lagOnMainThread(csv: string, rows: number): Promise<LagRow> {
  const m = monitor();
  const t0 = performance.now();
  await runPipeline({ kind: 'table', path: csv }, SETTINGS);
  const jobMs = performance.now() - t0;
  return { mode: 'same job on the main thread (peer)', rows, jobMs, ...m.stop() };
}

export function tempCsvPath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'neon-lag-')), 'big.csv');
}
