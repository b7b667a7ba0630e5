// WorkerClient against small stand-in worker scripts (so crash, out-of-memory and a job that
// ignores Cancel are deterministic), run in the real extension host's Node.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { WorkerClient, WorkerRequestError } from '../../../src/extension/workerClient';
import { ToWorker } from '../../../src/protocol/worker';

/**
 * A worker that answers ExportModel with its thread's start time, and on Fit: 'crash' throws,
 * 'oom' allocates until the heap limit, 'stuck' blocks its thread (cannot see a Cancel),
 * 'cooperative' answers Cancel with a 'cancelled' error.
 */
const SCRIPT = `
const { parentPort } = require('worker_threads');
const started = Date.now() + Math.random();
const jobs = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'exportModel') return parentPort.postMessage({ type: 'result', inReplyTo: m.id, result: { text: String(started) } });
  if (m.type === 'cancel') {
    const t = jobs.get(m.targetId);
    if (t) { clearInterval(t); jobs.delete(m.targetId); parentPort.postMessage({ type: 'error', inReplyTo: m.targetId, kind: 'cancelled', message: 'Cancelled' }); }
    return parentPort.postMessage({ type: 'result', inReplyTo: m.id, result: { cancelled: !!t } });
  }
  if (m.type !== 'fit') return;
  const mode = m.source.path;
  if (mode === 'crash') throw new Error('boom in the worker');
  if (mode === 'oom') { const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random())); }
  if (mode === 'stuck') { parentPort.postMessage({ type: 'progress', inReplyTo: m.id, progress: { stage: 'stuck' } }); const end = Date.now() + 10000; while (Date.now() < end) {} return; }
  if (mode === 'cooperative') {
    jobs.set(m.id, setInterval(() => parentPort.postMessage({ type: 'progress', inReplyTo: m.id, progress: { stage: 'working', fraction: 0.5 } }), 20));
  }
});
`;

function scriptFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-fake-worker-'));
  const file = path.join(dir, 'worker.js');
  fs.writeFileSync(file, SCRIPT);
  return file;
}

function fit(client: WorkerClient, mode: string, token?: vscode.CancellationToken, onProgress?: () => void) {
  return client.request<ToWorker.Fit>(
    { type: ToWorker.Fit, sessionId: mode, source: { kind: 'auto', path: mode }, settings: {} as never },
    { token, onProgress },
  );
}

async function startTime(client: WorkerClient): Promise<string> {
  return (await client.request<ToWorker.ExportModel>({ type: ToWorker.ExportModel, sessionId: 'x' })).text;
}

suite('WorkerClient', function () {
  this.timeout(60_000);
  const clients: WorkerClient[] = [];
  const make = (mb = 256) => {
    const c = new WorkerClient({ scriptPath: scriptFile(), maxOldGenerationSizeMb: () => mb });
    clients.push(c);
    return c;
  };
  suiteTeardown(async () => {
    for (const c of clients) await c.terminate();
  });

  test('a crash rejects every pending request and the next request gets a new worker', async () => {
    const client = make();
    const before = await startTime(client);
    const other = fit(client, 'cooperative');
    await assert.rejects(fit(client, 'crash'), (e: unknown) => e instanceof WorkerRequestError && e.kind === 'crashed' && /boom in the worker/.test(e.message));
    await assert.rejects(other, (e: unknown) => e instanceof WorkerRequestError && e.kind === 'crashed');
    assert.strictEqual(client.running, false);
    const after = await startTime(client);
    assert.notStrictEqual(after, before, 'a fresh worker answered');
    assert.strictEqual(client.generation, 2);
  });

  test('running out of memory (resourceLimits) is reported with the limit and the setting to change', async () => {
    const client = make(32);
    await assert.rejects(fit(client, 'oom'), (e: unknown) => e instanceof WorkerRequestError && /out of memory \(limit 32 MB\)/.test(e.message) && /workerMemoryMb/.test(e.message));
    assert.ok((await startTime(client)).length > 0, 'the next request works');
  });

  test('Cancel of a cooperative job is acknowledged by the worker (no restart)', async () => {
    const client = make();
    const cts = new vscode.CancellationTokenSource();
    let progressSeen = false;
    const job = fit(client, 'cooperative', cts.token, () => {
      if (!progressSeen) {
        progressSeen = true;
        cts.cancel();
      }
    });
    await assert.rejects(job, (e: unknown) => e instanceof Error && e.name === 'CancelledError' && e.message === 'Clustering cancelled');
    assert.strictEqual(client.generation, 1);
    assert.ok(client.running, 'the worker survived');
  });

  test('a job that ignores Cancel is stopped by terminating the worker within about a second', async () => {
    const client = make();
    const cts = new vscode.CancellationTokenSource();
    let cancelledAt = 0;
    const job = fit(client, 'stuck', cts.token, () => {
      cancelledAt = Date.now();
      cts.cancel();
    });
    await assert.rejects(job, (e: unknown) => e instanceof Error && e.name === 'CancelledError');
    const took = Date.now() - cancelledAt;
    assert.ok(took >= 900 && took < 2000, `rejected ${took} ms after cancel`);
    assert.ok((await startTime(client)).length > 0, 'a new worker serves the next request');
    assert.strictEqual(client.generation, 2);
  });
});
