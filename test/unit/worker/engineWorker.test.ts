/**
 * The worker's message handler without a thread (replies collected from `post`), and once
 * through a real worker_threads Worker running the compiled worker file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SETTINGS, type ClusterSettings, type ItemExplanation, type PipelineResult } from '../../../src/engine/pipelineTypes';
import { FromWorker, ToWorker, type ErrorMessage, type FromWorkerMessage, type LoadedModel, type ToWorkerMessage } from '../../../src/protocol/worker';
import { EngineWorker, errorMessage } from '../../../src/worker/engineWorker';
import { tempDir, writeBlobTable, writeTopicCorpus } from '../pipeline/syntheticData';

const dir = tempDir('worker');
const table = writeBlobTable(dir);
const settings: ClusterSettings = { ...DEFAULT_SETTINGS, k: 3, labelColumn: 'kind', flippingSample: 10, restarts: 2 };

/** A worker whose replies are collected per request id. */
function harness() {
  const worker = new EngineWorker();
  const replies: { msg: FromWorkerMessage; transfer?: readonly unknown[] }[] = [];
  const send = (msg: ToWorkerMessage) => worker.handleMessage(msg, (m, transfer) => replies.push({ msg: m, transfer }));
  const final = (id: number) => replies.find((r) => r.msg.inReplyTo === id && r.msg.type !== FromWorker.Progress)?.msg;
  return { worker, replies, send, final };
}

function resultOf<T>(msg: FromWorkerMessage | undefined): T {
  assert.ok(msg, 'no reply');
  if (msg.type === FromWorker.Error) assert.fail(`error reply: ${msg.kind}: ${msg.message}`);
  assert.equal(msg.type, FromWorker.Result);
  return msg.result as T;
}

describe('EngineWorker.handleMessage', () => {
  it('fits, reports throttled progress, keeps the session, explains items, exports and reloads the model', async () => {
    const h = harness();
    await h.send({ type: ToWorker.Fit, id: 1, sessionId: 's1', source: { kind: 'auto', path: table }, settings });
    const result = resultOf<PipelineResult>(h.final(1));
    assert.equal(result.assignments.length, 60);
    assert.equal(result.quality.purity, 1);
    const progress = h.replies.filter((r) => r.msg.type === FromWorker.Progress);
    assert.ok(progress.length >= 3, `progress events: ${progress.length}`);
    const fitReply = h.replies.find((r) => r.msg.inReplyTo === 1 && r.msg.type === FromWorker.Result);
    assert.ok((fitReply?.transfer?.length ?? 0) >= 4, 'large result arrays are transferred');
    assert.equal(h.worker.sessionCount, 1);

    await h.send({ type: ToWorker.ExplainItem, id: 2, sessionId: 's1', index: 7 });
    const item = resultOf<ItemExplanation>(h.final(2));
    assert.equal(item.index, 7);
    assert.equal(item.cluster, result.assignments[7]);

    await h.send({ type: ToWorker.ExportModel, id: 3, sessionId: 's1' });
    const { text } = resultOf<{ text: string }>(h.final(3));
    await h.send({ type: ToWorker.LoadModel, id: 4, text, fileName: 'exported.json' });
    const loaded = resultOf<LoadedModel>(h.final(4));
    assert.equal(loaded.model.kind, 'kmeans');
    assert.equal(loaded.model.k, 3);
    assert.equal(loaded.preprocessing.kind, 'table');

    await h.send({ type: ToWorker.Fit, id: 5, sessionId: 's2', source: { kind: 'auto', path: table }, settings: { ...settings, flippingSample: 0 }, model: loaded });
    const again = resultOf<PipelineResult>(h.final(5));
    assert.deepEqual(Array.from(again.assignments), Array.from(result.assignments));
  });

  it('cancel: the running fit answers with a cancelled error and sends no result', async () => {
    const h = harness();
    const corpus = writeTopicCorpus(dir, 150);
    let cancelSent = false;
    const worker = h.worker;
    const fit = worker.handleMessage(
      { type: ToWorker.Fit, id: 10, sessionId: 'c', source: { kind: 'auto', path: corpus }, settings: { ...settings, k: 'auto', labelColumn: 'category', textDim: 20, model: 'kmeans', flippingSample: 200 } },
      (m) => {
        h.replies.push({ msg: m });
        if (m.type === FromWorker.Progress && !cancelSent && m.progress.stage !== 'loading') {
          cancelSent = true;
          void worker.handleMessage({ type: ToWorker.Cancel, id: 11, targetId: 10 }, (c) => h.replies.push({ msg: c }));
        }
      },
    );
    await fit;
    const reply = h.final(10);
    assert.equal(reply?.type, FromWorker.Error);
    assert.equal((reply as ErrorMessage).kind, 'cancelled');
    // How promptly: npm run bench (cancel latency in the engine worker), not asserted here.
    assert.ok(cancelSent, 'the fit reported progress before it ended');
    assert.ok(!h.replies.some((r) => r.msg.type === FromWorker.Result && r.msg.inReplyTo === 10), 'a cancelled fit sends no result');
    assert.deepEqual(resultOf<{ cancelled: boolean }>(h.final(11)), { cancelled: true });
    assert.equal(worker.sessionCount, 0);
  });

  it('a bad file is a data error, and the next request still works', async () => {
    const h = harness();
    const bad = path.join(dir, 'empty.csv');
    fs.writeFileSync(bad, '');
    await h.send({ type: ToWorker.Fit, id: 20, sessionId: 'b', source: { kind: 'auto', path: bad }, settings });
    const err = h.final(20) as ErrorMessage;
    assert.equal(err.type, FromWorker.Error);
    assert.equal(err.kind, 'data');
    assert.match(err.message, /empty\.csv.*empty/);
    await h.send({ type: ToWorker.Fit, id: 21, sessionId: 'b', source: { kind: 'auto', path: table }, settings: { ...settings, flippingSample: 0 } });
    assert.equal(resultOf<PipelineResult>(h.final(21)).assignments.length, 60);
  });

  it('maps errors to kinds: model file problems, unknown sessions, bugs', async () => {
    const h = harness();
    await h.send({ type: ToWorker.LoadModel, id: 30, text: '{"format":"neon-cluster-model","version":1,"kind":"kmeans","featureNames":["a"],"centroids":[[1],[2,3]]}', fileName: 'm.json' });
    assert.deepEqual(h.final(30), { type: FromWorker.Error, inReplyTo: 30, kind: 'model', message: 'm.json: centroids[1] has 2 values, expected 1 (featureNames)' });
    await h.send({ type: ToWorker.ExplainItem, id: 31, sessionId: 'nope', index: 0 });
    assert.equal((h.final(31) as ErrorMessage).kind, 'option');
    await h.send({ type: ToWorker.Cancel, id: 32, targetId: 999 });
    assert.deepEqual(resultOf<{ cancelled: boolean }>(h.final(32)), { cancelled: false });
    const internal = errorMessage(33, new TypeError('x is undefined'));
    assert.equal(internal.kind, 'internal');
    assert.ok(internal.stack?.includes('TypeError'));
  });
});

describe('engine worker in a real worker thread', () => {
  it('answers a fit and a cancel over postMessage', async () => {
    const file = path.resolve(__dirname, '..', '..', '..', 'src', 'worker', 'engineWorker.js');
    const worker = new Worker(file);
    try {
      const replies: FromWorkerMessage[] = [];
      const waitFor = (id: number) =>
        new Promise<FromWorkerMessage>((resolve, reject) => {
          const onMessage = (m: FromWorkerMessage) => {
            replies.push(m);
            if (m.inReplyTo === id && m.type !== FromWorker.Progress) {
              worker.off('message', onMessage);
              resolve(m);
            }
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
        });
      const fitted = waitFor(1);
      worker.postMessage({ type: ToWorker.Fit, id: 1, sessionId: 't', source: { kind: 'auto', path: table }, settings: { ...settings, flippingSample: 0 } });
      const result = resultOf<PipelineResult>(await fitted);
      assert.ok(result.rowRelevance instanceof Float64Array);
      assert.equal(result.assignments.length, 60);

      const item = waitFor(2);
      worker.postMessage({ type: ToWorker.ExplainItem, id: 2, sessionId: 't', index: 0 });
      assert.equal(resultOf<ItemExplanation>(await item).index, 0);
    } finally {
      await worker.terminate();
    }
  });
});
