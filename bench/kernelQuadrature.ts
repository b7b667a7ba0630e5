/**
 * Accuracy of kernel k-means NEON's path quadrature under the hard top pool (default rule:
 * reference = data mean, path pooling), against the converged integral (64 Gauss–Legendre
 * panels per smooth piece), on the faithfulness bench's tables: seed 1, the first 500 rows.
 * Per rule: the worst row's, the 99th percentile's and the median row's max_t |ΔR_t| / |f|.
 * Rules: `auto` (the default, panels by each piece's sharpness) or a fixed number of panels
 * per piece (4: the rule before session 21).
 *
 *   NEON_SHARED_DATA=/work/shared/data node out/bench/kernelQuadrature.js [auto 4 8 ...]
 */
import { fitClusterModel } from '../src/engine/pipeline/fitModel';
import { resolveNeonOptions } from '../src/engine/pipeline/neuralizeModel';
import { columnMean } from '../src/engine/pipeline/reference';
import { neuralizeKernelKMeans } from '../src/engine/neuralize/kernelKMeans';
import { DEFAULT_SETTINGS } from '../src/engine/pipelineTypes';
import type { KernelKMeansModel } from '../src/engine/types';
import { TABLES } from './faithfulness';

const fmt = (v: number): string => v.toExponential(1);

async function main(): Promise<void> {
  const rules = process.argv.slice(2);
  if (rules.length === 0) rules.push('auto', '4');
  for (const table of TABLES) {
    const X = await table.load();
    if (!X) {
      console.log(`${table.name}: data not found, skipped`);
      continue;
    }
    const fit = await fitClusterModel(X, table.k, { ...DEFAULT_SETTINGS, model: 'kernel-kmeans', seed: 1, k: table.k, restarts: 10 });
    const model = fit.model as KernelKMeansModel;
    const neon = { ...resolveNeonOptions(model, X, { beta: 'auto', evidence: 'hard', rule: 'reference', reference: { point: columnMean(X), name: 'data mean' } }), pooling: 'path' as const };
    const d = X.cols;
    const rows = Math.min(X.rows, 500);
    const ref = neuralizeKernelKMeans(model, neon, { piecePanels: 64 });
    const conv: Float64Array[] = [];
    const fs: number[] = [];
    const cs: number[] = [];
    for (let r = 0; r < rows; r++) {
      const x = X.data.subarray(r * d, (r + 1) * d);
      const c = ref.assign(x);
      cs.push(c);
      fs.push(ref.evidence(x, c));
      conv.push(ref.explain(x, c).relevance);
    }
    const cells: string[] = [];
    for (const rule of rules) {
      const net = neuralizeKernelKMeans(model, neon, rule === 'auto' ? {} : { piecePanels: Number(rule) });
      const errs: number[] = [];
      for (let r = 0; r < rows; r++) {
        const x = X.data.subarray(r * d, (r + 1) * d);
        const R = net.explain(x, cs[r]).relevance;
        let e = 0;
        for (let t = 0; t < d; t++) e = Math.max(e, Math.abs(R[t] - conv[r][t]));
        errs.push(e / Math.abs(fs[r]));
      }
      errs.sort((a, b) => a - b);
      cells.push(`${rule}: max ${fmt(errs[errs.length - 1])} p99 ${fmt(errs[Math.floor(0.99 * errs.length)])} median ${fmt(errs[errs.length >> 1])}`);
    }
    console.log(`${table.name} (${rows} rows): ${cells.join(' | ')}`);
  }
}

void main();
