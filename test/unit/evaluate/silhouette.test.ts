import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silhouette, silhouetteAsync } from '../../../src/engine/evaluate/silhouette';
import { Rng } from '../../../src/engine/rng';

function blobs(n: number): { X: { rows: number; cols: number; data: Float64Array }; labels: Int32Array } {
  const rng = new Rng(2);
  const data = new Float64Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < 3; j++) data[i * 3 + j] = labels[i] * 4 + rng.normal();
  }
  return { X: { rows: n, cols: 3, data }, labels };
}

test('silhouetteAsync gives exactly the synchronous value (same subsample)', async () => {
  const { X, labels } = blobs(900);
  for (const opts of [{}, { sample: 300, seed: 5 }]) {
    assert.equal(await silhouetteAsync(X, labels, 3, opts), silhouette(X, labels, 3, opts));
  }
});

test('silhouetteAsync stops with CancelledError once its signal has fired, before finishing its blocks', async () => {
  const { X, labels } = blobs(6000);
  const controller = new AbortController();
  // Abort at the first progress report (the pass is under way); no clock is involved.
  const fractions: number[] = [];
  const hooks = { signal: controller.signal, onProgress: (p: { fraction?: number }) => { fractions.push(p.fraction ?? NaN); controller.abort(); } };
  await assert.rejects(silhouetteAsync(X, labels, 3, { sample: 6000 }, hooks), (e: Error) => e.name === 'CancelledError');
  assert.ok(fractions.length >= 1, 'a progress report came before the end');
  assert.ok(fractions.every((f) => f < 1), `progress reached ${fractions.join(', ')}: the pass ran to its end`);
});
