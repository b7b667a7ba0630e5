import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neuralizeKMeans } from '../../../src/engine/neuralize/kmeans';
import { sumByColumn, tokenRelevance } from '../../../src/engine/relevance/units';
import { Rng } from '../../../src/engine/rng';
import type { KMeansModel } from '../../../src/engine/types';

test('sumByColumn adds one-hot features into their column', () => {
  const out = new Float64Array(3).fill(99);
  sumByColumn(new Float64Array([1, 2, 3, 4]), new Int32Array([0, 1, 1, 2]), 3, out);
  assert.deepEqual(Array.from(out), [1, 5, 4]);
  assert.throws(() => sumByColumn(new Float64Array(2), new Int32Array([0, 3]), 3, out), /feature 1 maps to column 3, outside 0..2/);
  assert.throws(() => sumByColumn(new Float64Array(2), new Int32Array(1), 3, out), /2 relevances but 1 feature-column entries/);
});

test('tokenRelevance splits a document relevance exactly over its tokens (1e-9)', () => {
  const rng = new Rng(1);
  const dim = 4;
  const vocab = 7;
  const wordVectors = new Float64Array(vocab * dim).map(() => rng.normal());
  const tokens = new Int32Array([3, 0, 3, -1, 6, 2]); // one unknown token (-1)
  const x = new Float64Array(dim);
  let n = 0;
  for (const w of tokens) {
    if (w < 0) continue;
    n++;
    for (let i = 0; i < dim; i++) x[i] += wordVectors[w * dim + i];
  }
  for (let i = 0; i < dim; i++) x[i] /= n;
  const model: KMeansModel = { kind: 'kmeans', k: 3, dim, centroids: new Float64Array(3 * dim).map(() => rng.normal()) };
  const e = neuralizeKMeans(model, { beta: 1, evidence: 'hard', rule: 'midpoint' }).explain(x);
  const out = new Float64Array(tokens.length);
  tokenRelevance(e.attribution, wordVectors, dim, tokens, out);
  assert.equal(out[3], 0);
  assert.equal(out[0], out[2], 'same word, same relevance');
  const total = Array.from(out).reduce((a, b) => a + b, 0);
  const docTotal = Array.from(e.relevance).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - docTotal) <= 1e-9 * Math.max(1, Math.abs(docTotal)), `${total} vs ${docTotal}`);
  assert.ok(Math.abs(total - e.evidence) <= 1e-9 * Math.max(1, Math.abs(e.evidence)));
});

test('tokenRelevance hand case and shape errors', () => {
  // coef = (1, 2), offset = (0.5, 0): tokens v = (1, 0) and (0, 1), n = 2 -> r = ((1 − 0.5)/2, (2 − 0.5)/2).
  const attribution = { coef: new Float64Array([1, 2]), offset: new Float64Array([0.5, 0]) };
  const out = new Float64Array(2);
  tokenRelevance(attribution, new Float64Array([1, 0, 0, 1]), 2, new Int32Array([0, 1]), out);
  assert.deepEqual(Array.from(out), [0.25, 0.75]);
  assert.throws(() => tokenRelevance(attribution, new Float64Array(4), 2, new Int32Array([2]), out), /token 0 has word index 2, vocabulary size is 2/);
  assert.throws(() => tokenRelevance(attribution, new Float64Array(6), 3, new Int32Array([0]), out), /attribution has 2 features, word vectors have 3/);
});
