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

test('silhouetteAsync stops with CancelledError once its signal has fired', async () => {
  const { X, labels } = blobs(6000);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  const t0 = Date.now();
  await assert.rejects(silhouetteAsync(X, labels, 3, { sample: 6000 }, { signal: controller.signal }), (e: Error) => e.name === 'CancelledError');
  // Generous bound for a loaded 2-core machine; unaborted this sample takes several seconds.
  assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
});
