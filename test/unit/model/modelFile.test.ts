import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseCentroidsCsv, parseModelFile, serializeModel, type ModelFileContents } from '../../../src/engine/model/modelFile';
import type { DeepKMeansModel, IdcModel, KernelKMeansModel } from '../../../src/engine/types';
import { REPO_ROOT } from '../helpers/sharedData';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'models');

function assertSameArray(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.equal(a[i], b[i], `${what}[${i}]`);
}

const kmeansFile = (centroids: number[][], featureNames = ['a', 'b', 'c']): string =>
  JSON.stringify({ format: 'neon-cluster-model', version: 1, kind: 'kmeans', featureNames, preprocessing: { kind: 'none' }, centroids });

describe('model file: hand-written k-means', () => {
  it('reads the committed fixture', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'handwritten-kmeans.json'), 'utf8');
    const m = parseModelFile(text, 'handwritten-kmeans.json');
    assert.equal(m.model.kind, 'kmeans');
    assert.equal(m.model.k, 3);
    assert.equal(m.model.dim, 3);
    assert.deepEqual(m.featureNames, ['sweetness', 'acidity', 'crunch']);
    if (m.model.kind !== 'kmeans') throw new Error('unreachable');
    assertSameArray(m.model.centroids, [8, 2, 7, 3, 8, 2, 6, 5, 1], 'centroids');
    assert.deepEqual(m.neon, { beta: 1, evidence: 'hard', rule: 'midpoint' });
    assert.deepEqual(m.clusterLabels, ['crisp and sweet', 'sour', 'soft']);
    assert.equal(m.metadata?.author, 'written by hand');
    assert.deepEqual(m.notes, []);
  });

  it('names the JSON path and the expected length of a short centroid', () => {
    const text = kmeansFile([[1, 2, 3], [4, 5, 6], [7, 8]]);
    assert.throws(() => parseModelFile(text, 'm.json'), { name: 'ModelError', message: 'm.json: centroids[2] has 2 values, expected 3 (featureNames)' });
  });

  it('names a non-numeric value by its path', () => {
    const text = kmeansFile([[1, 2, 3], [4, '5', 6]] as unknown as number[][]);
    assert.throws(() => parseModelFile(text, 'm.json'), { message: 'm.json: centroids[1][1] must be a finite number, found a string' });
  });

  it('reports the line of a JSON syntax error', () => {
    const text = '{\n  "format": "neon-cluster-model",\n  "version": 1,,\n}';
    assert.throws(() => parseModelFile(text, 'bad.json'), { name: 'ModelError', message: /^bad\.json: line 3, column \d+: not valid JSON/ });
  });

  it('rejects a wrong format tag, an unknown kind and a single cluster', () => {
    assert.throws(() => parseModelFile('{"format":"other"}', 'm.json'), { message: 'm.json: format must be "neon-cluster-model", found "other"' });
    const kind = JSON.stringify({ format: 'neon-cluster-model', version: 1, kind: 'dbscan', featureNames: ['a'] });
    assert.throws(() => parseModelFile(kind, 'm.json'), { message: /^m\.json: kind must be one of "kmeans", "kernel-kmeans", "deep-kmeans", "idc", found "dbscan"$/ });
    assert.throws(() => parseModelFile(kmeansFile([[1, 2, 3]]), 'm.json'), { message: /describes 1 cluster/ });
  });

  it('checks a table preprocessing against the feature count', () => {
    const doc = {
      format: 'neon-cluster-model', version: 1, kind: 'kmeans', featureNames: ['age', 'color=red', 'color=blue'],
      preprocessing: { kind: 'table', columns: [{ column: 'age', kind: 'numeric', mean: 40, std: 10 }, { column: 'color', kind: 'categorical', categories: ['red'] }] },
      centroids: [[0, 1, 0], [1, 0, 1]],
    };
    assert.throws(() => parseModelFile(JSON.stringify(doc), 't.json'), {
      message: 't.json: preprocessing.columns yield 2 features (one per numeric column, one per category), expected 3 (featureNames)',
    });
    doc.preprocessing.columns[1].categories = ['red', 'blue'];
    const m = parseModelFile(JSON.stringify(doc), 't.json');
    assert.equal(m.preprocessing.kind, 'table');
  });

  it('notes unknown keys instead of failing', () => {
    const doc = JSON.parse(kmeansFile([[1, 2, 3], [4, 5, 6]])) as Record<string, unknown>;
    doc.comment = 'exported by hand';
    const m = parseModelFile(JSON.stringify(doc), 'm.json');
    assert.deepEqual(m.notes, ['m.json: unknown keys ignored: comment']);
  });
});

describe('model file: round trip of every kind is bit-identical', () => {
  const layer = (inputs: number, outputs: number, seed: number, activation: 'relu' | 'linear' | 'sigmoid' = 'relu') => ({
    inputs,
    outputs,
    weights: Float64Array.from({ length: inputs * outputs }, (_, i) => Math.sin(seed + i * 1.7) / 3),
    bias: Float64Array.from({ length: outputs }, (_, i) => Math.cos(seed + i) / 10),
    activation,
  });

  it('kernel k-means', () => {
    const model: KernelKMeansModel = {
      kind: 'kernel-kmeans', k: 2, dim: 2, gamma: 0.731,
      supportVectors: Float64Array.from([0.1, 0.2, 0.3, -0.4, 5.1, 5.2]),
      supportCluster: Int32Array.from([0, 0, 1]),
      bias: Float64Array.from([0.01, -0.02]),
    };
    const back = parseModelFile(serializeModel({ model, preprocessing: { kind: 'none' }, featureNames: ['x', 'y'] }), 'k.json').model;
    assert.equal(back.kind, 'kernel-kmeans');
    if (back.kind !== 'kernel-kmeans') return;
    assert.equal(back.gamma, model.gamma);
    assertSameArray(back.supportVectors, model.supportVectors, 'supportVectors');
    assertSameArray(back.supportCluster, model.supportCluster, 'supportCluster');
    assertSameArray(back.bias, model.bias, 'bias');
  });

  it('deep k-means with a text preprocessing', () => {
    const model: DeepKMeansModel = {
      kind: 'deep-kmeans', k: 3, dim: 4,
      layers: [layer(4, 5, 1), layer(5, 2, 2, 'linear')],
      centroids: Float64Array.from([0.1, 0.2, 1 / 3, -2 / 7, 1e-17, 12345.678901234]),
      inputLow: Float64Array.from([-1, -2, -3, -4]),
      inputHigh: Float64Array.from([1, 2, 3, 4]),
    };
    const contents: ModelFileContents = {
      model,
      featureNames: ['dim1', 'dim2', 'dim3', 'dim4'],
      preprocessing: {
        kind: 'text', minWordLength: 3, stopWords: 'en', vocabulary: ['alpha', 'beta'], dim: 4, vectorSource: 'ppmi-svd',
        wordVectors: Float64Array.from([0.1, Math.PI, -Math.E, 1e-300, 2, 3, 4, 5]),
      },
      neon: { beta: 2.5, evidence: 'soft', rule: 'z' },
    };
    const back = parseModelFile(serializeModel(contents), 'd.json');
    assert.equal(back.model.kind, 'deep-kmeans');
    if (back.model.kind !== 'deep-kmeans' || back.preprocessing.kind !== 'text') throw new Error('kind lost');
    assert.equal(back.model.layers.length, 2);
    back.model.layers.forEach((l, i) => {
      assertSameArray(l.weights, model.layers[i].weights, `layers[${i}].weights`);
      assertSameArray(l.bias, model.layers[i].bias, `layers[${i}].bias`);
      assert.equal(l.activation, model.layers[i].activation);
    });
    assertSameArray(back.model.centroids, model.centroids, 'centroids');
    assertSameArray(back.preprocessing.wordVectors, (contents.preprocessing as { wordVectors: Float64Array }).wordVectors, 'wordVectors');
    assert.deepEqual(back.neon, contents.neon);
  });

  it('idc', () => {
    const model: IdcModel = {
      kind: 'idc', k: 2, dim: 3,
      gateNet: [layer(3, 4, 3), layer(4, 3, 4, 'linear')],
      encoder: [layer(3, 2, 5)],
      clusterHead: [layer(2, 2, 6, 'linear')],
      clusterGates: Float64Array.from([0, 0.5, 1, 0.25, 0.75, 0.125]),
    };
    const back = parseModelFile(serializeModel({ model, preprocessing: { kind: 'none' }, featureNames: ['a', 'b', 'c'] }), 'i.json').model;
    if (back.kind !== 'idc') throw new Error('kind lost');
    assertSameArray(back.clusterGates, model.clusterGates, 'clusterGates');
    assertSameArray(back.gateNet[1].weights, model.gateNet[1].weights, 'gateNet[1].weights');
    assert.equal(back.k, 2);
  });

  it('idc: a gate net of the wrong width is named', () => {
    const model: IdcModel = {
      kind: 'idc', k: 2, dim: 3, gateNet: [layer(3, 2, 3)], encoder: [layer(3, 2, 5)], clusterHead: [layer(2, 2, 6)],
      clusterGates: new Float64Array(6),
    };
    assert.throws(() => parseModelFile(serializeModel({ model, preprocessing: { kind: 'none' }, featureNames: ['a', 'b', 'c'] }), 'i.json'), {
      message: 'i.json: idc.gateNet outputs 2 gate logits, expected 3 (featureNames)',
    });
  });

  it('deep: a layer whose width does not chain is named', () => {
    const text = JSON.stringify({
      format: 'neon-cluster-model', version: 1, kind: 'deep-kmeans', featureNames: ['a', 'b'],
      deep: { layers: [{ weights: [[1, 2], [3, 4], [5, 6]], bias: [0, 0, 0] }, { weights: [[1, 2]], bias: [0] }], centroids: [[0], [1]], inputLow: [0, 0], inputHigh: [1, 1] },
    });
    assert.throws(() => parseModelFile(text, 'd.json'), { message: 'd.json: deep.layers[1].weights[0] has 2 values, expected 3 (rows of deep.layers[0].weights)' });
  });
});

describe('centroids CSV', () => {
  it('drops the unnamed pandas index column', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'centroids-pandas.csv'), 'utf8');
    const m = parseCentroidsCsv(text, 'centroids-pandas.csv');
    assert.deepEqual(m.featureNames, ['sweetness', 'acidity', 'crunch']);
    if (m.model.kind !== 'kmeans') throw new Error('kind');
    assertSameArray(m.model.centroids, [8, 2, 7, 3, 8, 2, 6, 5, 1], 'centroids');
    assert.equal(m.notes.length, 1);
  });

  it('takes a plain header and semicolons', () => {
    const m = parseCentroidsCsv('x;y\n1;2\n3;4\n', 'c.csv');
    assert.deepEqual(m.featureNames, ['x', 'y']);
    assert.equal(m.model.k, 2);
  });

  it('names the line and column of a bad cell, and a short row', () => {
    assert.throws(() => parseCentroidsCsv('x,y\n1,2\n3,abc\n', 'c.csv'), { name: 'DataError', message: 'c.csv, line 3, column "y": "abc" is not a number' });
    assert.throws(() => parseCentroidsCsv('x,y\n1,2\n3\n', 'c.csv'), { message: 'c.csv, line 3: has 1 values, expected 2 (one per header column)' });
    assert.throws(() => parseCentroidsCsv(',x\n5,1\n7,2\n', 'c.csv'), { message: /first column has no name and does not hold the row index/ });
  });
});
