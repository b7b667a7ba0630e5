/**
 * Models trained elsewhere, read from fixtures written to each producer's schema
 * (test/fixtures/foreign/make_fixtures.py, make-fixtures.mjs): they load, name the right
 * columns, and assign customers.csv exactly as the producer (scikit-learn) did. Unsupported
 * models fail naming the file and what is unsupported.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bindInputNamesToTable, importModel, type ImportedModel } from '../../../src/engine/model/importers';
import { readNpyCentres } from '../../../src/engine/model/importers/npyCentres';
import { parsePmmlClustering } from '../../../src/engine/model/importers/pmmlClustering';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { FIXTURES, tempDir, writeFile } from '../data/fixturePaths';

const FOREIGN = path.join(FIXTURES, 'foreign');
const at = (name: string) => path.join(FOREIGN, name);
const CUSTOMERS = at('customers.csv');
interface Reference {
  columns: string[];
  rawCentres: number[][];
  rawLabels: number[];
  scalerMean: number[];
  scalerScale: number[];
  scaledCentres: number[][];
  scaledLabels: number[];
  onnxLabels: number[];
}
const ref = JSON.parse(fs.readFileSync(at('reference.json'), 'utf8')) as Reference;
const SETTINGS = { ...DEFAULT_SETTINGS, beta: 1, flippingSample: 0 };

async function assignments(model: ImportedModel, data = CUSTOMERS): Promise<number[]> {
  const bound = await bindInputNamesToTable(model, data);
  const { result } = await runPipeline({ kind: 'auto', path: data }, SETTINGS, undefined, bound);
  return Array.from(result.assignments);
}

function centres(model: ImportedModel): number[][] {
  const m = model.model;
  assert.equal(m.kind, 'kmeans');
  if (m.kind !== 'kmeans') return [];
  return Array.from({ length: m.k }, (_, c) => Array.from(m.centroids.subarray(c * m.dim, (c + 1) * m.dim)));
}

const disagreements = (a: readonly number[], b: readonly number[]) => a.filter((v, i) => v !== b[i]).length;

describe('Spark ML model folders', () => {
  it('a bare KMeansModel (Spark 3.5 layout, one sparse centre): centres, names from the data, scikit-learn\'s assignments', async () => {
    const m = await importModel(at('spark-kmeans-model'));
    assert.equal(m.format, 'Spark ML KMeansModel');
    assert.deepEqual(centres(m), ref.rawCentres);
    assert.equal(m.unnamedInputs, true);
    const bound = await bindInputNamesToTable(m, CUSTOMERS);
    assert.deepEqual(bound.featureNames, ['age', 'income', 'visits', 'spend']); // id (index-like) and segment (text) skipped
    assert.deepEqual(await assignments(m), ref.rawLabels);
  });

  it('the Spark 1.6 layout (one row of clusterCenters) gives the same model', async () => {
    const m = await importModel(at('spark16-kmeans-model'));
    assert.deepEqual(centres(m), ref.rawCentres);
  });

  it('a PipelineModel: VectorAssembler names the columns, StandardScalerModel (withMean, withStd) the scaling', async () => {
    const m = await importModel(at('spark-pipeline-model'));
    assert.equal(m.format, 'Spark ML PipelineModel');
    assert.deepEqual(m.featureNames, ref.columns);
    assert.ok(!m.unnamedInputs);
    assert.equal(m.preprocessing.kind, 'table');
    if (m.preprocessing.kind === 'table') {
      assert.deepEqual(m.preprocessing.columns.map((c) => (c.kind === 'numeric' ? [c.column, c.mean, c.std] : [])), ref.columns.map((c, j) => [c, ref.scalerMean[j], ref.scalerScale[j]]));
    }
    assert.deepEqual(centres(m), ref.scaledCentres);
    assert.deepEqual(await assignments(m), ref.scaledLabels);
  });

  it('--features names a bare model\'s inputs; a wrong count is an error naming the folder', async () => {
    const m = await importModel(at('spark-kmeans-model'), { featureNames: ['age', 'income', 'visits', 'spend'] });
    assert.deepEqual(m.featureNames, ['age', 'income', 'visits', 'spend']);
    assert.ok(!m.unnamedInputs);
    await assert.rejects(importModel(at('spark-kmeans-model'), { featureNames: ['age', 'income'] }), /spark-kmeans-model: has 4 inputs but 2 feature names were given/);
  });

  it('unsupported Spark models fail naming the folder and why', async () => {
    await assert.rejects(importModel(at('spark-bisecting-model')), (e: Error) => e.name === 'ModelError' && /spark-bisecting-model: is a Spark BisectingKMeansModel, which is not supported: .*tree/.test(e.message));
    await assert.rejects(importModel(at('spark-cosine-model')), /spark-cosine-model: is a k-means model with distanceMeasure "cosine"/);
  });

  it('a pipeline whose features pass through another transformer is refused, naming the stage', async () => {
    const dir = tempDir('spark-minmax');
    fs.cpSync(at('spark-pipeline-model'), dir, { recursive: true });
    const meta = path.join(dir, 'stages', '1_StandardScaler_7e2a9c4d1b05', 'metadata', 'part-00000');
    fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace('org.apache.spark.ml.feature.StandardScalerModel', 'org.apache.spark.ml.feature.MinMaxScalerModel'));
    await assert.rejects(importModel(dir), /1_StandardScaler_7e2a9c4d1b05: the k-means features pass through a MinMaxScalerModel/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a data column count that does not match an unnamed model is an error listing the columns', async () => {
    const m = await importModel(at('spark-kmeans-model'));
    const dir = tempDir('bind');
    const file = writeFile(dir, 'three.csv', 'a,b,c\n1,2,3\n4,5,6\n');
    await assert.rejects(bindInputNamesToTable(m, file), /does not name its 4 inputs, and three\.csv has 3 numeric column\(s\) \(a, b, c\); name the model's inputs in order with --features/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('NumPy .npy centres', () => {
  it('scikit-learn cluster_centers_ (float64, C order): exact centres, scikit-learn\'s assignments', async () => {
    const m = await importModel(at('sklearn-centres.npy'));
    assert.equal(m.format, 'NumPy .npy centres');
    assert.deepEqual(centres(m), ref.rawCentres);
    assert.deepEqual(await assignments(m), ref.rawLabels);
  });

  it('float32 in Fortran order (faiss / cuML): the same centres rounded to float32', async () => {
    const m = await importModel(at('faiss-centres-f32.npy'));
    assert.deepEqual(centres(m), ref.rawCentres.map((r) => r.map((v) => Math.fround(v))));
    assert.ok(m.notes.some((n) => /float32/.test(n)));
  });

  it('refuses a 1-D array, a string dtype and a truncated file, naming the file', () => {
    const npy = (descr: string, shape: string, payload: number): Uint8Array => {
      let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
      header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
      const bytes = new Uint8Array(10 + header.length + payload);
      bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      new DataView(bytes.buffer).setUint16(8, header.length, true);
      bytes.set(new TextEncoder().encode(header), 10);
      return bytes;
    };
    assert.throws(() => readNpyCentres(npy('<f8', '(6,)', 48), 'v.npy'), /v\.npy: holds an array of shape \(6\); cluster centres are a 2-D array/);
    assert.throws(() => readNpyCentres(npy('<U3', '(2, 2)', 48), 's.npy'), /s\.npy: holds dtype '<U3'/);
    assert.throws(() => readNpyCentres(npy('<f8', '(3, 4)', 40), 't.npy'), /t\.npy: is truncated/);
    assert.throws(() => readNpyCentres(new TextEncoder().encode('age,income\n1,2\n'), 'c.npy'), /c\.npy: is not a NumPy \.npy file/);
  });
});

describe('ONNX k-means (skl2onnx)', () => {
  it('Scaler + KMeans graph: float32 centres and scaling, raw columns named from the data, the graph\'s own assignments', async () => {
    const m = await importModel(at('sklearn-kmeans.onnx'));
    assert.equal(m.format, 'ONNX k-means (skl2onnx)');
    assert.deepEqual(centres(m), ref.scaledCentres.map((r) => r.map((v) => Math.fround(v))));
    assert.equal(m.preprocessing.kind, 'table');
    if (m.preprocessing.kind === 'table') {
      m.preprocessing.columns.forEach((c, j) => {
        assert.ok(c.kind === 'numeric');
        if (c.kind !== 'numeric') return;
        assert.equal(c.mean, Math.fround(ref.scalerMean[j]));
        assert.ok(Math.abs(c.std - ref.scalerScale[j]) <= 1e-6 * ref.scalerScale[j], `${c.column}: ${c.std}`);
      });
    }
    const got = await assignments(m);
    // float32 parameters evaluated in float64: at most a point exactly on a boundary may differ.
    assert.ok(disagreements(got, ref.onnxLabels) <= 1, `${disagreements(got, ref.onnxLabels)} of 300 differ`);
  });

  it('a graph without a k-means distance is refused, naming the file and its operators', async () => {
    const dir = tempDir('onnx');
    const file = writeFile(dir, 'not-kmeans.onnx', new Uint8Array([0x08, 0x07, 0x3a, 0x00]));
    await assert.rejects(importModel(file), /not-kmeans\.onnx: (is not an ONNX model with a graph|holds no k-means graph)/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('PMML ClusteringModel', () => {
  it('sklearn2pmml style (Apply - and / DerivedFields): raw column names, scaling, scikit-learn\'s assignments', async () => {
    const m = await importModel(at('sklearn2pmml-kmeans.pmml'));
    assert.equal(m.format, 'PMML ClusteringModel');
    assert.deepEqual(m.featureNames, ref.columns);
    assert.deepEqual(centres(m), ref.scaledCentres);
    assert.deepEqual(await assignments(m), ref.scaledLabels);
  });

  it('KNIME style (NormContinuous in the TransformationDictionary) gives the same model and cluster names', async () => {
    const m = await importModel(at('knime-kmeans.pmml'));
    assert.deepEqual(m.featureNames, ref.columns);
    assert.deepEqual(m.clusterLabels, ['cluster_0', 'cluster_1', 'cluster_2']);
    assert.deepEqual(await assignments(m), ref.scaledLabels);
  });

  it("Spark's toPMML (field_0.. names, no transformations) explains a table with those columns", async () => {
    const m = await importModel(at('spark-topmml.pmml'));
    assert.deepEqual(m.featureNames, ['field_0', 'field_1', 'field_2', 'field_3']);
    assert.equal(m.preprocessing.kind, 'none');
    const dir = tempDir('pmml');
    const csv = fs.readFileSync(CUSTOMERS, 'utf8').replace('id,age,income,visits,spend,segment', 'id,field_0,field_1,field_2,field_3,segment');
    const file = writeFile(dir, 'fields.csv', csv);
    assert.deepEqual(await assignments(m, file), ref.rawLabels);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('field weights fold into the scaling: w (x − c)² explained as (√w x − √w c)²', () => {
    const text = fs.readFileSync(at('spark-topmml.pmml'), 'utf8').replace('<ClusteringField field="field_1" compareFunction="absDiff"/>', '<ClusteringField field="field_1" compareFunction="absDiff" fieldWeight="4"/>');
    const m = parsePmmlClustering(text, 'w.pmml');
    assert.equal(m.preprocessing.kind, 'table');
    if (m.preprocessing.kind === 'table') assert.deepEqual(m.preprocessing.columns[1], { column: 'field_1', kind: 'numeric', mean: 0, std: 0.5 });
    assert.equal(centres(m)[0][1], 2 * ref.rawCentres[0][1]);
  });

  it('unsupported measures and models fail naming the file and what is unsupported', async () => {
    await assert.rejects(importModel(at('cityblock.pmml')), /cityblock\.pmml: uses the cityBlock distance; NEON explains k-means under squaredEuclidean/);
    const base = fs.readFileSync(at('spark-topmml.pmml'), 'utf8');
    assert.throws(() => parsePmmlClustering(base.replace('modelClass="centerBased"', 'modelClass="distributionBased"'), 'd.pmml'), /d\.pmml: is a distributionBased ClusteringModel/);
    assert.throws(() => parsePmmlClustering(base.replace('<ComparisonMeasure kind="distance">', '<ComparisonMeasure kind="similarity">'), 's.pmml'), /s\.pmml: compares by similarity measure/);
    assert.throws(() => parsePmmlClustering(base.replace('</Array>', ' 7</Array>'), 'n.pmml'), /n\.pmml: Cluster \d has 5 coordinates, expected 4/);
    assert.throws(() => parsePmmlClustering(base.replace('<ClusteringModel', '<TreeModel').replace('</ClusteringModel>', '</TreeModel>'), 't.pmml'), /t\.pmml: holds no ClusteringModel \(found TreeModel\)/);
    assert.throws(() => parsePmmlClustering('<PMML><oops></PMML>', 'x.pmml'), /x\.pmml: is not well-formed XML/);
  });
});

describe('importModel', () => {
  it('reads the native model file and the centroids CSV as before', async () => {
    const json = await importModel(path.join(FIXTURES, 'models', 'handwritten-kmeans.json'));
    assert.equal(json.format, 'NEON model file');
    assert.deepEqual(json.featureNames, ['sweetness', 'acidity', 'crunch']);
    const csv = await importModel(path.join(FIXTURES, 'models', 'centroids-pandas.csv'));
    assert.equal(csv.format, 'centroids CSV');
  });

  it('a missing path and a folder that is no Spark model are errors naming them', async () => {
    await assert.rejects(importModel(at('nope.onnx')), /nope\.onnx: no such model file or folder/);
    await assert.rejects(importModel(at('customers-parts')), /customers-parts: is a folder but not a saved Spark model/);
  });
});
