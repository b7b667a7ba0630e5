import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ppmiSvdWordVectors } from '../../../src/engine/data/wordVectors';
import { Rng } from '../../../src/engine/rng';

test('ppmiSvdWordVectors: words sharing contexts get similar vectors; deterministic under a seed', () => {
  // Two topics of 6 words each; documents draw words from one topic only.
  const rng = new Rng(5);
  const words: number[] = [];
  const docStart = [0];
  for (let d = 0; d < 200; d++) {
    const topic = d % 2;
    for (let t = 0; t < 12; t++) words.push(topic * 6 + rng.int(6));
    docStart.push(words.length);
  }
  const word = Int32Array.from(words);
  const starts = Int32Array.from(docStart);
  const { vectors, dim } = ppmiSvdWordVectors(word, starts, 12, { window: 5, dim: 4, seed: 1 });
  assert.equal(dim, 4);
  const cos = (a: number, b: number): number => {
    let s = 0;
    let na = 0;
    let nb = 0;
    for (let j = 0; j < dim; j++) {
      s += vectors[a * dim + j] * vectors[b * dim + j];
      na += vectors[a * dim + j] ** 2;
      nb += vectors[b * dim + j] ** 2;
    }
    return s / Math.sqrt(na * nb);
  };
  let within = 0;
  let across = 0;
  for (let a = 0; a < 12; a++) {
    for (let b = a + 1; b < 12; b++) {
      if (Math.floor(a / 6) === Math.floor(b / 6)) within += cos(a, b) / 30;
      else across += cos(a, b) / 36;
    }
  }
  assert.ok(within > 0.8, `mean within-topic cosine ${within}`);
  assert.ok(across < 0.2, `mean across-topic cosine ${across}`);
  const again = ppmiSvdWordVectors(word, starts, 12, { window: 5, dim: 4, seed: 1 });
  assert.deepEqual(Array.from(again.vectors), Array.from(vectors));
});
