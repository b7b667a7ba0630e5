/**
 * Kernel k-means NEON, default rule (reference = data mean, pooling along the root segment,
 * hard top pool), on real rows: every row's relevance within 1e-3 |f| of the converged path
 * integral (64 Gauss–Legendre panels per smooth piece), and Σ R = f. The fixed rule of 4
 * panels per piece (before session 21) was 2.5e-2 |f| off on the worst iris row and 1.6e-2 on
 * breast cancer (faith6); panels per piece now follow the piece's sharpness (PANEL_SHARPNESS).
 * Models fitted as the faithfulness bench fits them (seed 1, 10 restarts); iris from
 * bench/data, breast cancer copied into test/fixtures (sklearn's table, as in ../shared/data).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadDataset } from '../../../src/engine/data';
import { neuralizeKernelKMeans } from '../../../src/engine/neuralize/kernelKMeans';
import { fitClusterModel } from '../../../src/engine/pipeline/fitModel';
import { resolveNeonOptions } from '../../../src/engine/pipeline/neuralizeModel';
import { columnMean } from '../../../src/engine/pipeline/reference';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import type { KernelKMeansModel } from '../../../src/engine/types';
import { REPO_ROOT } from '../helpers/sharedData';

const TABLES = [
  { name: 'iris', file: path.join(REPO_ROOT, 'bench', 'data', 'iris.csv'), label: 'species', k: 3 },
  { name: 'breast cancer', file: path.join(REPO_ROOT, 'test', 'fixtures', 'breast_cancer.csv'), label: 'diagnosis', k: 2 },
];

describe('kernel k-means path quadrature on real rows (default reference rule)', () => {
  for (const table of TABLES) {
    it(`${table.name}: every row within 1e-3 |f| of the 64-panel integral, Σ R = f to 1e-12`, async () => {
      const X = (await loadDataset({ kind: 'table', path: table.file }, { ...DEFAULT_SETTINGS, labelColumn: table.label })).features;
      const fit = await fitClusterModel(X, table.k, { ...DEFAULT_SETTINGS, model: 'kernel-kmeans', seed: 1, k: table.k, restarts: 10 });
      const model = fit.model as KernelKMeansModel;
      const neon = { ...resolveNeonOptions(model, X, { beta: 'auto', evidence: 'hard', rule: 'reference', reference: { point: columnMean(X), name: 'data mean' } }), pooling: 'path' as const };
      const net = neuralizeKernelKMeans(model, neon);
      const converged = neuralizeKernelKMeans(model, neon, { piecePanels: 64 });
      const d = X.cols;
      let worst = 0;
      let worstRow = -1;
      let conservation = 0;
      for (let r = 0; r < X.rows; r++) {
        const x = X.data.subarray(r * d, (r + 1) * d);
        const c = net.assign(x);
        const f = net.evidence(x, c);
        const R = net.explain(x, c).relevance;
        const R64 = converged.explain(x, c).relevance;
        let sum = 0;
        let err = 0;
        for (let t = 0; t < d; t++) {
          sum += R[t];
          err = Math.max(err, Math.abs(R[t] - R64[t]));
        }
        conservation = Math.max(conservation, Math.abs(sum - f) / Math.abs(f));
        if (err / Math.abs(f) > worst) {
          worst = err / Math.abs(f);
          worstRow = r;
        }
      }
      assert.ok(conservation <= 1e-12, `${table.name}: |Σ R − f| / |f| = ${conservation.toExponential(2)} on some row`);
      assert.ok(worst <= 1e-3, `${table.name}: row ${worstRow + 1} is ${worst.toExponential(2)} |f| off the 64-panel integral`);
    });
  }

  it('piecePanels outside [1, 64] is refused with a message naming it', async () => {
    const X = (await loadDataset({ kind: 'table', path: TABLES[0].file }, { ...DEFAULT_SETTINGS, labelColumn: 'species' })).features;
    const fit = await fitClusterModel(X, 3, { ...DEFAULT_SETTINGS, model: 'kernel-kmeans', seed: 1, k: 3, restarts: 1 });
    const model = fit.model as KernelKMeansModel;
    const neon = { ...resolveNeonOptions(model, X, { beta: 'auto', evidence: 'hard', rule: 'reference', reference: { point: columnMean(X), name: 'data mean' } }), pooling: 'path' as const };
    assert.throws(() => neuralizeKernelKMeans(model, neon, { piecePanels: 0 }), /piecePanels must be an integer in \[1, 64\], got 0/);
    assert.throws(() => neuralizeKernelKMeans(model, neon, { piecePanels: 65 }), /piecePanels/);
  });
});
