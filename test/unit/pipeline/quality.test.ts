import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { qualityMetrics } from '../../../src/engine/evaluate/metrics';
import { defaultThreadCount } from '../../../src/engine/parallel/pool';
import { Rng } from '../../../src/engine/rng';
import { chunkedSilhouette, computeQuality } from '../../../src/engine/pipeline/quality';

function blobs(n: number, d: number, k: number, seed: number): { X: { rows: number; cols: number; data: Float64Array }; a: Int32Array; labels: string[] } {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = i % k;
    for (let j = 0; j < d; j++) data[i * d + j] = rng.normal() + (j === a[i] ? 4 : 0);
  }
  const labels = Array.from(a, (c, i) => (i % 10 === 0 ? 'noise' : `c${c}`));
  return { X: { rows: n, cols: d, data }, a, labels };
}

describe('pipeline quality', () => {
  it('equals qualityMetrics on a small set (exact silhouette) and on a subsampled one', async () => {
    for (const [n, sample] of [[300, undefined], [2600, undefined]] as const) {
      const { X, a, labels } = blobs(n, 5, 4, n);
      const want = qualityMetrics(X, a, 4, labels);
      const got = await computeQuality(X, a, 4, labels);
      assert.ok(Math.abs((got.silhouette ?? NaN) - (want.silhouette ?? NaN)) < 1e-12, `n=${n} sample=${sample}`);
      assert.equal(got.purity, want.purity);
      assert.equal(got.nmi, want.nmi);
      assert.equal(got.ari, want.ari);
      assert.equal(got.accuracy, want.accuracy);
    }
  });

  it('reports progress while it runs and stops on abort, before finishing', async () => {
    // Progress comes from a clock (the thread pool reports every 100 ms, the in-process pool at
    // its ~20 ms yields), so the pass must outlast that on any machine: with the default
    // 2,000-point sample (0.16 G multiply-adds) two threads sometimes finished before the first
    // report, and nothing aborted it. Here every thread has ~4 G multiply-adds (seconds at any
    // realistic speed), the subsample is the whole set, and the first report aborts the pass,
    // so the test itself stays short. It still fails if progress is never reported (nothing
    // aborts: the pass resolves instead of rejecting) or if the abort is ignored (it resolves).
    const d = 40;
    const m = Math.ceil(Math.sqrt((defaultThreadCount() * 4e9) / d));
    const { X, a } = blobs(m, d, 3, 1);
    const controller = new AbortController();
    const fractions: number[] = [];
    const hooks = { signal: controller.signal, onProgress: (p: { fraction?: number }) => { fractions.push(p.fraction ?? NaN); controller.abort(); } };
    await assert.rejects(chunkedSilhouette(X, a, 3, hooks, m), { name: 'CancelledError' });
    assert.ok(fractions.length >= 1 && fractions.every((f) => f < 1), `progress ${fractions.join(', ')}`);
  });

});
