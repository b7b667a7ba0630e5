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

test('ppmiSvdWordVectors: the default power iterations recover the PPMI spectrum (singular values within 2% of a converged SVD)', () => {
  // A Zipf-like corpus of 400 words in 40 loose topics: a slowly decaying PPMI spectrum, where
  // one power iteration leaves the lower components' singular values several percent low.
  const rng = new Rng(11);
  const v = 400;
  const words: number[] = [];
  const docStart = [0];
  for (let d = 0; d < 1500; d++) {
    const topic = rng.int(40);
    for (let t = 0; t < 20; t++) {
      const w = rng.next() < 0.5 ? topic * 10 + rng.int(10) : Math.floor(v * rng.next() ** 2);
      words.push(w);
    }
    docStart.push(words.length);
  }
  const word = Int32Array.from(words);
  const starts = Int32Array.from(docStart);
  // Column c of the vectors is sqrt(s_c) u_c (unit u_c): its squared norm is s_c.
  const spectrum = (powerIterations?: number): number[] => {
    const { vectors, dim } = ppmiSvdWordVectors(word, starts, v, { window: 5, dim: 40, seed: 3, ...(powerIterations === undefined ? {} : { powerIterations }) });
    return Array.from({ length: dim }, (_, c) => {
      let s = 0;
      for (let a = 0; a < v; a++) s += vectors[a * dim + c] ** 2;
      return s;
    });
  };
  const converged = spectrum(30);
  const worstError = (s: number[]): number => Math.max(...s.map((x, c) => Math.abs(x - converged[c]) / converged[c]));
  const one = worstError(spectrum(1));
  const byDefault = worstError(spectrum());
  assert.ok(byDefault < 0.02, `default: worst relative error of a singular value ${byDefault}`);
  assert.ok(one > 0.05, `one power iteration: worst relative error ${one} (the test corpus must be hard enough to tell)`);
});
