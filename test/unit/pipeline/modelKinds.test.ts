/**
 * Every model kind through the whole pipeline on the blob table: fitted, neuralized, explained,
 * with the kind's extras (loss history, IDC gates) and an honest note when its relevances do
 * not sum to the evidence.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainItem, runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../../../src/engine/pipelineTypes';
import { tempDir, writeBlobTable } from './syntheticData';

const table = writeBlobTable(tempDir('kinds'));
const base: ClusterSettings = { ...DEFAULT_SETTINGS, k: 3, labelColumn: 'kind', flippingSample: 10, restarts: 2, epochs: 8 };

describe('model kinds through runPipeline', () => {
  it('kernel k-means: conservative relevance, clusters recovered', async () => {
    const { result } = await runPipeline({ kind: 'auto', path: table }, { ...base, model: 'kernel-kmeans' });
    assert.equal(result.model.kind, 'kernel-kmeans');
    assert.ok((result.quality.purity ?? 0) >= 0.95, `purity ${result.quality.purity}`);
    const u = result.units.length;
    for (let i = 0; i < result.dataset.rows; i++) {
      let s = 0;
      for (let j = 0; j < u; j++) s += result.rowRelevance[i * u + j];
      assert.ok(Math.abs(s - result.evidence[i]) < 1e-4 * (Math.abs(result.evidence[i]) + 1e-3), `row ${i}`);
    }
    assert.ok(!result.notes.some((n) => n.startsWith('Relevances sum to the evidence only approximately')));
  });

  it('deep k-means: loss history and a projection of the representation', async () => {
    const { result } = await runPipeline({ kind: 'auto', path: table }, { ...base, model: 'deep-kmeans' });
    assert.equal(result.model.kind, 'deep-kmeans');
    assert.ok((result.lossHistory?.length ?? 0) > 0);
    assert.equal(result.projection.length, 2 * result.dataset.rows);
    assert.ok(result.evidence.every((e) => Number.isFinite(e)));
  });

  it('IDC: gates per row and per cluster over the columns, and the non-conservation note', async () => {
    const { result, state } = await runPipeline({ kind: 'auto', path: table }, { ...base, model: 'idc' });
    assert.equal(result.model.kind, 'idc');
    const u = result.units.length;
    assert.equal(result.gates?.rowGates.length, result.dataset.rows * u);
    assert.equal(result.gates?.clusterGates.length, 3 * u);
    assert.ok((result.gates?.meanOpenGates ?? -1) >= 0);
    // The id and label columns are not model inputs: no gate.
    assert.equal(result.gates?.rowGates[0], 0);
    assert.ok(result.notes.some((n) => n.includes("IDC's relevance is gradient x input")));
    const item = explainItem(state, 0);
    assert.equal(item.gates?.length, u);
    // The batch gate report and the single-item explanation agree.
    for (let j = 0; j < u; j++) assert.ok(Math.abs((item.gates?.[j] ?? NaN) - (result.gates?.rowGates[j] ?? NaN)) < 1e-6, `gate ${j}`);
  });

  it('an unknown model kind is an option error', async () => {
    const settings = { ...base, model: 'dbscan' } as unknown as ClusterSettings;
    await assert.rejects(runPipeline({ kind: 'auto', path: table }, settings), { name: 'OptionError', message: /model kind "dbscan" is not available/ });
  });
});
