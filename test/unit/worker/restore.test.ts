/**
 * What the extension relies on to restore results after a window reload without refitting:
 * a session's model exported (Save Model's format), loaded back and given to Fit explains the
 * same data with the same clusters, evidence and relevances, for tables (plain and image-like)
 * and text. Also the worker's Inspect, ClusterMeans and DropSession requests.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { DatasetInspection } from '../../../src/engine/data/inspectDataset';
import { DEFAULT_SETTINGS, type ClusterSettings, type PipelineResult } from '../../../src/engine/pipelineTypes';
import { applyStoredNeon } from '../../../src/engine/model/modelFile';
import type { ModelKind } from '../../../src/engine/types';
import { FromWorker, ToWorker, type ClusterMeans, type FromWorkerMessage, type LoadedModel, type ToWorkerMessage } from '../../../src/protocol/worker';
import { EngineWorker } from '../../../src/worker/engineWorker';
import { FIXTURES } from '../data/fixturePaths';
import { REPO_ROOT } from '../helpers/sharedData';

const WINE = path.join(FIXTURES, 'e2e-labels', 'wine.csv');
const DIGITS = path.join(FIXTURES, 'e2e-labels', 'digits.csv');
const REVIEWS = path.join(REPO_ROOT, 'samples', 'reviews.jsonl');

/** A request without its id (distributes over the union, so each kind keeps its own fields). */
type Request = ToWorkerMessage extends infer M ? (M extends ToWorkerMessage ? Omit<M, 'id'> : never) : never;

function harness() {
  const worker = new EngineWorker();
  let id = 0;
  const replies: FromWorkerMessage[] = [];
  const request = async <T>(msg: Request): Promise<T> => {
    const at = ++id;
    await worker.handleMessage({ ...msg, id: at } as ToWorkerMessage, (m) => replies.push(m));
    const reply = replies.find((r) => r.inReplyTo === at && r.type !== FromWorker.Progress);
    assert.ok(reply, 'no reply');
    if (reply.type === FromWorker.Error) assert.fail(`${reply.kind}: ${reply.message}`);
    assert.equal(reply.type, FromWorker.Result);
    return reply.result as T;
  };
  return { worker, request };
}

/** Fit, export, load, fit again under the loaded model (what a reload does); both results. */
async function roundTrip(file: string, settings: ClusterSettings): Promise<{ fitted: PipelineResult; restored: PipelineResult }> {
  const h = harness();
  const source = { kind: 'auto', path: file } as const;
  const fitted = await h.request<PipelineResult>({ type: ToWorker.Fit, sessionId: 'a', source, settings });
  const { text } = await h.request<{ text: string }>({ type: ToWorker.ExportModel, sessionId: 'a' });
  const loaded = await h.request<LoadedModel>({ type: ToWorker.LoadModel, text, fileName: 'stored.neon-model.json' });
  // Today's settings may differ (k = 2, another rule here): the stored model and its stored NEON
  // settings (beta, rule, reference point) decide, as the extension's restore applies them.
  const today: ClusterSettings = { ...settings, k: 2, rule: settings.rule === 'midpoint' ? 'z' : 'midpoint' };
  const restored = await h.request<PipelineResult>({
    type: ToWorker.Fit,
    sessionId: 'b',
    source,
    settings: applyStoredNeon(today, loaded.neon, () => false),
    model: { model: loaded.model, preprocessing: loaded.preprocessing, featureNames: loaded.featureNames, ...(loaded.clusterLabels ? { clusterLabels: loaded.clusterLabels } : {}) },
  });
  return { fitted, restored };
}

function assertSame(a: PipelineResult, b: PipelineResult, what: string): void {
  assert.equal(b.model.k, a.model.k, `${what}: k`);
  assert.deepEqual(Array.from(b.assignments), Array.from(a.assignments), `${what}: assignments`);
  assert.deepEqual(b.clusters.map((c) => c.label), a.clusters.map((c) => c.label), `${what}: labels`);
  for (let i = 0; i < a.evidence.length; i++) assert.ok(Math.abs(a.evidence[i]! - b.evidence[i]!) <= 1e-9 * (1 + Math.abs(a.evidence[i]!)), `${what}: evidence ${i}`);
  const ra = a.rowRelevance.length > 0 ? a.rowRelevance : a.tokenRelevance;
  const rb = b.rowRelevance.length > 0 ? b.rowRelevance : b.tokenRelevance;
  assert.equal(rb.length, ra.length);
  for (let i = 0; i < ra.length; i++) assert.ok(Math.abs(ra[i]! - rb[i]!) <= 1e-6 * (1 + Math.abs(ra[i]!)), `${what}: relevance ${i}: ${ra[i]} vs ${rb[i]}`);
  assert.equal(b.quality.purity, a.quality.purity, `${what}: purity`);
}

const base: ClusterSettings = { ...DEFAULT_SETTINGS, flippingSample: 0, restarts: 3, epochs: 15 };

describe('restoring a session from its exported model', () => {
  for (const model of ['kmeans', 'kernel-kmeans', 'deep-kmeans', 'idc'] as ModelKind[]) {
    it(`wine.csv, ${model}: same clusters, evidence and relevances`, async () => {
      const { fitted, restored } = await roundTrip(WINE, { ...base, model, k: 3, labelColumn: 'class' });
      assertSame(fitted, restored, `wine ${model}`);
    });
  }

  it('digits.csv (image-like): the pixel scaling travels in the model file', async () => {
    const { fitted, restored } = await roundTrip(DIGITS, { ...base, k: 10, labelColumn: 'digit' });
    assertSame(fitted, restored, 'digits');
    assert.ok((fitted.quality.accuracy ?? 0) >= 0.78, `accuracy ${fitted.quality.accuracy}`);
  });

  it('reviews.jsonl (text, k = 4): same documents in the same clusters', async () => {
    const { fitted, restored } = await roundTrip(REVIEWS, { ...base, k: 4 });
    assertSame(fitted, restored, 'reviews');
  });
});

describe('Inspect, ClusterMeans and DropSession requests', () => {
  it('inspects a table without fitting it', async () => {
    const h = harness();
    const i = await h.request<DatasetInspection>({ type: ToWorker.Inspect, source: { kind: 'auto', path: WINE } });
    assert.equal(i.suggestedLabel, 'class');
    assert.equal(h.worker.sessionCount, 0);
  });

  it('gives each cluster\'s mean of every column in the file\'s units, and forgets a dropped session', async () => {
    const h = harness();
    const r = await h.request<PipelineResult>({ type: ToWorker.Fit, sessionId: 'd', source: { kind: 'auto', path: DIGITS }, settings: { ...base, k: 10, labelColumn: 'digit' } });
    const m = await h.request<ClusterMeans>({ type: ToWorker.ClusterMeans, sessionId: 'd' });
    assert.deepEqual([m.k, m.units], [10, 65]);
    // Pixel values are 0..16 (the file's units, not scaled); p0 is constant, not a feature: no mean.
    const p0 = r.units.indexOf('p0');
    const p20 = r.units.indexOf('p20');
    for (let c = 0; c < 10; c++) {
      assert.ok(Number.isNaN(m.means[c * 65 + p0]!));
      const v = m.means[c * 65 + p20]!;
      assert.ok(v >= 0 && v <= 16, `p20 mean ${v}`);
    }
    // Against a direct computation for cluster 0, p20.
    const assignments = r.assignments;
    let sum = 0;
    let n = 0;
    const fs = await import('node:fs');
    const rows = fs.readFileSync(DIGITS, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    rows.forEach((row, i) => {
      if (assignments[i] === 0) {
        sum += Number(row[20]);
        n++;
      }
    });
    assert.ok(Math.abs(m.means[p20]! - sum / n) < 1e-12);
    assert.deepEqual(await h.request({ type: ToWorker.DropSession, sessionId: 'd' }), { dropped: true });
    assert.equal(h.worker.sessionCount, 0);
    assert.deepEqual(await h.request({ type: ToWorker.DropSession, sessionId: 'd' }), { dropped: false });
  });
});
