/**
 * Round trips: a k-means model fitted here on standardised columns, written in each foreign
 * format by foreignWriters.ts, read back by the importers, gives the same assignments,
 * evidence and per-column relevances (≤ 1e-9, float64) as the original on the same data.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bindInputNamesToTable, importModel, type ImportedModel } from '../../../src/engine/model/importers';
import { runPipeline, type GivenModelInput } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { FIXTURES, tempDir, writeFile } from '../data/fixturePaths';
import { npyBytes, onnxBytes, pmmlText, writeSparkPipeline, type ScaledKMeans } from './foreignWriters';

const COLUMNS = ['age', 'income', 'visits', 'spend'];
const dir = tempDir('roundtrip');
let numericCsv = '';
let standardisedCsv = '';
let original: GivenModelInput;
let fitted: ScaledKMeans;
const NEON = { ...DEFAULT_SETTINGS, beta: 0.7, flippingSample: 0 };

interface Explained {
  assignments: number[];
  evidence: number[];
  /** N × D relevances in float64, from the neuralized network (not the float32 panel copy). */
  relevance: number[][];
}

async function explain(given: GivenModelInput, data: string): Promise<Explained> {
  const { result, state } = await runPipeline({ kind: 'auto', path: data }, NEON, undefined, given);
  const X = state.dataset.features;
  const relevance: number[][] = [];
  const evidence: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    const e = state.neuralized.explain(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    relevance.push(Array.from(e.relevance));
    evidence.push(e.evidence);
  }
  return { assignments: Array.from(result.assignments), evidence, relevance };
}

function assertSame(a: Explained, b: Explained, what: string): void {
  assert.deepEqual(b.assignments, a.assignments, `${what}: assignments`);
  let worst = 0;
  a.relevance.forEach((r, i) => {
    worst = Math.max(worst, Math.abs(a.evidence[i] - b.evidence[i]));
    r.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b.relevance[i][j]))));
  });
  assert.ok(worst <= 1e-9, `${what}: largest relevance / evidence difference ${worst}`);
}

describe('foreign formats round-trip a model fitted here', () => {
  let reference: Explained;

  before(async () => {
    // The numeric columns of the customers fixture; k-means with standardisation, fitted here.
    const lines = fs.readFileSync(path.join(FIXTURES, 'foreign', 'customers.csv'), 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const idx = COLUMNS.map((c) => header.indexOf(c));
    const rows = lines.slice(1).map((l) => l.split(','));
    numericCsv = writeFile(dir, 'numeric.csv', [COLUMNS.join(','), ...rows.map((r) => idx.map((j) => r[j]).join(','))].join('\n') + '\n');
    const { result } = await runPipeline({ kind: 'auto', path: numericCsv }, { ...DEFAULT_SETTINGS, k: 3, flippingSample: 0 });
    assert.equal(result.preprocessing.kind, 'table');
    if (result.preprocessing.kind !== 'table' || result.model.kind !== 'kmeans') throw new Error('expected a standardised k-means model');
    const pre = result.preprocessing;
    const m = result.model;
    original = { model: m, preprocessing: pre, featureNames: result.featureNames };
    fitted = {
      columns: pre.columns.map((c) => c.column),
      mean: pre.columns.map((c) => (c.kind === 'numeric' ? c.mean : NaN)),
      std: pre.columns.map((c) => (c.kind === 'numeric' ? c.std : NaN)),
      centres: Array.from({ length: m.k }, (_, c) => Array.from(m.centroids.subarray(c * m.dim, (c + 1) * m.dim))),
    };
    assert.deepEqual(fitted.columns, COLUMNS);
    // The same rows standardised as the model does, for the formats without scaling (.npy).
    const inv = fitted.std.map((s) => 1 / s);
    standardisedCsv = writeFile(dir, 'standardised.csv', [COLUMNS.join(','), ...rows.map((r) => idx.map((j, f) => String((Number(r[j]) - fitted.mean[f]) * inv[f])).join(','))].join('\n') + '\n');
    reference = await explain(original, numericCsv);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const check = async (model: ImportedModel, data: string, what: string): Promise<void> => {
    const bound = await bindInputNamesToTable(model, data);
    assertSame(reference, await explain(bound, data), what);
  };

  it('Spark ML PipelineModel (VectorAssembler, StandardScalerModel, KMeansModel)', async () => {
    const folder = path.join(dir, 'spark-pipeline');
    writeSparkPipeline(folder, fitted);
    const m = await importModel(folder);
    assert.deepEqual(m.featureNames, COLUMNS);
    await check(m, numericCsv, 'Spark');
  });

  it('PMML ClusteringModel with Apply transformations', async () => {
    const file = writeFile(dir, 'model.pmml', pmmlText(fitted));
    await check(await importModel(file), numericCsv, 'PMML');
  });

  it('ONNX (skl2onnx graph for float64 input: Sub, Div, Gemm, Add, ArgMin)', async () => {
    const file = writeFile(dir, 'model.onnx', onnxBytes(fitted));
    const m = await importModel(file, { featureNames: COLUMNS });
    await check(m, numericCsv, 'ONNX');
  });

  it('NumPy .npy centres on the standardised data, names from its header', async () => {
    const file = writeFile(dir, 'centres.npy', npyBytes(fitted.centres));
    const m = await importModel(file);
    assert.equal(m.unnamedInputs, true);
    await check(m, standardisedCsv, '.npy');
  });
});
