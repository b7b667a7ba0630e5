import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseModelFile, serializeModel } from '../../../src/engine/model/modelFile';
import { explainItem, explainText, runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../../../src/engine/pipelineTypes';
import type { Progress } from '../../../src/engine/types';
import { tempDir, writeBlobTable, writeTopicCorpus } from './syntheticData';

const dir = tempDir('pipeline');
const table = writeBlobTable(dir);
const corpus = writeTopicCorpus(dir);

const tableSettings: ClusterSettings = { ...DEFAULT_SETTINGS, k: 3, labelColumn: 'kind', flippingSample: 20, restarts: 3 };
const textSettings: ClusterSettings = { ...DEFAULT_SETTINGS, k: 3, labelColumn: 'category', textDim: 8, flippingSample: 10, restarts: 3 };

/** |a - b| within a tolerance scaled to the magnitudes summed (Float32 storage: ~1e-7 relative). */
function assertSum(values: ArrayLike<number>, from: number, to: number, expected: number, what: string): void {
  let s = 0;
  let scale = Math.abs(expected);
  for (let i = from; i < to; i++) {
    s += values[i];
    scale += Math.abs(values[i]);
  }
  assert.ok(Math.abs(s - expected) <= 1e-5 * scale + 1e-9, `${what}: sum ${s} vs evidence ${expected}`);
}

describe('runPipeline on a table', async () => {
  const progress: Progress[] = [];
  const { result, state } = await runPipeline({ kind: 'auto', path: table }, tableSettings, { onProgress: (p) => progress.push(p) });
  const n = result.dataset.rows;
  const u = result.units.length;

  it('recovers the three blobs and reports quality against the label column', () => {
    assert.equal(n, 60);
    assert.equal(result.model.k, 3);
    assert.equal(result.quality.purity, 1);
    assert.equal(result.quality.accuracy, 1);
    assert.ok((result.quality.silhouette ?? 0) > 0.5, `silhouette ${result.quality.silhouette}`);
    assert.deepEqual(result.clusters.map((c) => c.size).sort(), [20, 20, 20]);
    for (const c of result.clusters) {
      assert.equal(c.purity, 1);
      assert.ok(c.label.length > 0);
      assert.ok(c.top.length > 0 && c.top.length <= 10);
    }
  });

  it('reports relevance per column (identifier and label columns get 0) summing to the evidence', () => {
    assert.deepEqual(result.units, ['id', 'x', 'y', 'z', 'shade', 'kind']);
    assert.equal(result.rowRelevance.length, n * u);
    for (let i = 0; i < n; i++) {
      assert.ok(result.evidence[i] > 0, 'hard margin of the assigned cluster is positive');
      assertSum(result.rowRelevance, i * u, (i + 1) * u, result.evidence[i], `row ${i}`);
      assert.equal(result.rowRelevance[i * u + 0], 0);
      assert.equal(result.rowRelevance[i * u + 5], 0);
    }
  });

  it('fills the map, the flipping curves, the timings and a monotone progress ending at 1', () => {
    assert.equal(result.projection.length, 2 * n);
    assert.ok(result.projection.some((v) => v !== 0));
    assert.deepEqual([...new Set(result.flipping?.map((f) => f.method))], ['neon', 'sensitivity', 'gradient-x-input', 'integrated-gradients']);
    assert.deepEqual([...new Set(result.flipping?.map((f) => f.reference))], ['mean', 'competitor-centroid', 'other-cluster-row']);
    assert.deepEqual([...new Set(result.flipping?.map((f) => f.direction))], ['deletion', 'insertion']);
    for (const f of result.flipping ?? []) assert.ok(Number.isFinite(f.area));
    for (const stage of ['loading', 'fitting', 'neuralizing', 'explaining', 'flipping']) assert.ok(stage in result.timings, stage);
    const fractions = progress.map((p) => p.fraction ?? 0);
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1] - 1e-12, `progress went back at ${i}: ${fractions[i - 1]} -> ${fractions[i]}`);
    assert.equal(fractions[fractions.length - 1], 1);
    assert.ok(result.neon.beta > 0);
  });

  it('explainItem: per-competitor parts add up to the column relevance; raw values are shown', () => {
    for (const index of [0, 25, 59]) {
      const item = explainItem(state, index);
      assert.equal(item.cluster, result.assignments[index]);
      assert.ok(Math.abs(item.evidence - result.evidence[index]) < 1e-9);
      assertSum(item.unitRelevance, 0, u, item.evidence, `item ${index}`);
      for (let j = 0; j < u; j++) {
        let s = 0;
        for (let c = 0; c < 3; c++) s += item.perCompetitor[c * u + j];
        assert.ok(Math.abs(s - item.unitRelevance[j]) < 1e-4 * (Math.abs(item.unitRelevance[j]) + 1e-3), `column ${j}`);
      }
      assert.equal(item.competitorShares[item.cluster], 0);
      assert.equal(item.values?.[0], `r${index}`);
      assert.equal(item.values?.[5], `kind${Math.floor(index / 20)}`);
    }
    assert.throws(() => explainItem(state, 60), { name: 'OptionError', message: 'item 60 does not exist; the data has 60 rows (0..59)' });
  });

  it('model file round trip: the same model explains the same data identically', async () => {
    const text = serializeModel({ model: result.model, preprocessing: result.preprocessing, featureNames: result.featureNames });
    const parsed = parseModelFile(text, 'roundtrip.json');
    const again = await runPipeline({ kind: 'auto', path: table }, { ...tableSettings, beta: result.neon.beta, flippingSample: 0 }, undefined, parsed);
    assert.deepEqual(Array.from(again.result.assignments), Array.from(result.assignments));
    for (let i = 0; i < n; i++) assert.ok(Math.abs(again.result.evidence[i] - result.evidence[i]) < 1e-9, `evidence ${i}`);
    const cols = result.units.length;
    for (let i = 0; i < n * cols; i++) assert.ok(Math.abs(again.result.rowRelevance[i] - result.rowRelevance[i]) < 1e-6, `relevance ${i}`);
    assert.deepEqual(explainItem(again.state, 3).values, explainItem(state, 3).values);
  });

  it('rejects a given model whose width does not match its feature names', async () => {
    const model = { kind: 'kmeans' as const, k: 2, dim: 3, centroids: new Float64Array(6) };
    const given = { model, preprocessing: { kind: 'none' as const }, featureNames: ['x', 'y'] };
    await assert.rejects(runPipeline({ kind: 'auto', path: table }, tableSettings, undefined, given), {
      name: 'ModelError',
      message: 'the model takes 3 inputs but names 2 features (featureNames)',
    });
  });

  it('a given model reads the label column like a fresh fit: case-insensitive, optional as a note', async () => {
    const model = { kind: 'kmeans' as const, k: 2, dim: 2, centroids: Float64Array.from([0, 0, 5, 5]) };
    const given = { model, preprocessing: { kind: 'none' as const }, featureNames: ['x', 'y'] };
    const quiet = { ...tableSettings, flippingSample: 0 };
    const named = await runPipeline({ kind: 'auto', path: table }, { ...quiet, labelColumn: 'KIND' }, undefined, given);
    assert.ok(named.result.quality.purity !== undefined, 'purity against the label column');
    const optional = await runPipeline({ kind: 'auto', path: table }, { ...quiet, labelColumn: 'segment', labelColumnOptional: true }, undefined, given);
    assert.equal(optional.result.quality.purity, undefined);
    assert.ok(optional.result.notes.some((n) => /no label column "segment" here/.test(n)), optional.result.notes.join('\n'));
    await assert.rejects(runPipeline({ kind: 'auto', path: table }, { ...quiet, labelColumn: 'segment' }, undefined, given), /label column "segment" not found/);
  });

  it('stops with CancelledError when the signal fires', async () => {
    const controller = new AbortController();
    const run = runPipeline({ kind: 'auto', path: table }, tableSettings, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'fitting') controller.abort();
      },
    });
    await assert.rejects(run, { name: 'CancelledError' });
  });
});

describe('runPipeline on a text corpus', async () => {
  const { result, state } = await runPipeline({ kind: 'auto', path: corpus }, textSettings);
  const n = result.dataset.rows;

  it('finds the three topics', () => {
    assert.equal(n, 60);
    assert.ok((result.quality.purity ?? 0) >= 0.9, `purity ${result.quality.purity}`);
    const words = result.clusters.map((c) => c.top.slice(0, 3).map((t) => t.name));
    console.log('topic clusters:', result.clusters.map((c) => `${c.index} (${c.size}, ${c.majorityLabel}): ${c.label}`).join(' | '));
    assert.equal(words.length, 3);
  });

  it("relevance of a document's tokens sums to its evidence", () => {
    if (result.dataset.kind !== 'text') throw new Error('expected text');
    const { docStart } = result.dataset.tokens;
    assert.equal(result.tokenRelevance.length, docStart[n]);
    for (let d = 0; d < n; d++) assertSum(result.tokenRelevance, docStart[d], docStart[d + 1], result.evidence[d], `document ${d}`);
  });

  it('explainItem gives tokens with offsets and per-competitor token splits', () => {
    const item = explainItem(state, 5);
    const t = item.tokens?.word.length ?? 0;
    assert.ok(t > 0);
    assertSum(item.unitRelevance, 0, t, item.evidence, 'item 5');
    for (let j = 0; j < t; j++) {
      let s = 0;
      for (let c = 0; c < 3; c++) s += item.perCompetitor[c * t + j];
      assert.ok(Math.abs(s - item.unitRelevance[j]) < 1e-4 * (Math.abs(item.unitRelevance[j]) + 1e-3), `token ${j}`);
    }
  });

  it('explainText explains a new text word by word', () => {
    const text = 'The rocket launch put a telescope in orbit around the planet, a great week for people.';
    const e = explainText(state, text);
    assert.ok(e.words.includes('rocket'));
    const rocket = e.words.indexOf('rocket');
    assert.equal(text.slice(e.start[rocket], e.end[rocket]).toLowerCase(), 'rocket');
    assertSum(e.relevance, 0, e.relevance.length, e.evidence, 'free text');
    const spaceCluster = result.clusters.find((c) => c.majorityLabel === 'space');
    assert.equal(e.cluster, spaceCluster?.index);
    for (let j = 0; j < e.topCompetitor.length; j++) assert.ok(e.topCompetitor[j] !== e.cluster && e.topCompetitor[j] >= 0);
  });

  it('model file round trip of a text model: same tokens, same relevance', async () => {
    const text = serializeModel({ model: result.model, preprocessing: result.preprocessing, featureNames: result.featureNames });
    const parsed = parseModelFile(text, 'topics.json');
    const again = await runPipeline({ kind: 'auto', path: corpus }, { ...textSettings, beta: result.neon.beta, flippingSample: 0 }, undefined, parsed);
    assert.deepEqual(Array.from(again.result.assignments), Array.from(result.assignments));
    if (again.result.dataset.kind !== 'text' || result.dataset.kind !== 'text') throw new Error('expected text');
    assert.deepEqual(Array.from(again.result.dataset.tokens.start), Array.from(result.dataset.tokens.start));
    for (let t = 0; t < result.tokenRelevance.length; t++) assert.ok(Math.abs(again.result.tokenRelevance[t] - result.tokenRelevance[t]) < 1e-6, `token ${t}`);
  });

  it('a table session cannot explain free text', async () => {
    const tableRun = await runPipeline({ kind: 'auto', path: table }, { ...tableSettings, flippingSample: 0 });
    assert.throws(() => explainText(tableRun.state, 'hello'), { name: 'OptionError' });
  });
});
