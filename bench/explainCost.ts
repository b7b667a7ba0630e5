/**
 * NEON's cost per explanation against integrated gradients', in CPU time, for the default rule
 * (reference = data mean, path pooling) on the faithfulness bench's tables (issue 13's
 * "≥ 10× less time than integrated gradients"). One seed, the bench's rows (all or 500
 * sampled), the model fitted as `neon-cluster fit` fits it.
 *
 *   node out/bench/explainCost.js [--data iris,wine] [--models kernel-kmeans,deep-kmeans]
 *        [--seed 1] [--passes 9] [--dump DIR] [--compare DIR] [--neon-only MS]
 *
 * Why CPU time: on the shared 2-core machine the wall clock of a batch moves 2–3× with the
 * load, while the process's own CPU time (process.cpuUsage, user + system) moves far less.
 * Each pass times a batch of NEON and a batch of integrated gradients over the same rows into
 * one preallocated N × D matrix (explainRowsInto), interleaved, each repeated for ≥ 30 ms of
 * CPU; the best pass of each is kept. `--dump DIR` writes NEON's relevances (N × D float64,
 * little endian) per cell, `--compare DIR` reads another build's dump and prints the largest
 * difference, relative to the row's |evidence| and elementwise: how an optimisation is shown
 * to leave the numbers alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fitClusterModel } from '../src/engine/pipeline/fitModel';
import { deepInputCentroids, neuralize, resolveNeonOptions } from '../src/engine/pipeline/neuralizeModel';
import { columnMean } from '../src/engine/pipeline/reference';
import { mlpPredict } from '../src/engine/nn/mlp';
import { explainRowsInto } from '../src/engine/relevance/baselines';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../src/engine/pipelineTypes';
import { Rng } from '../src/engine/rng';
import type { ExplanationMethod, Matrix, ModelKind, NeuralizedModel } from '../src/engine/types';
import { TABLES } from './faithfulness';

const WARM_MS = 60;
const PASS_MS = 30;

function sampleRows(n: number, count: number, seed: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  const order = new Rng(seed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  return Array.from(order.slice(0, count)).sort((a, b) => a - b);
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU ms per explanation of one batch, repeated for at least `ms` of CPU time. */
function batchCost(method: ExplanationMethod, net: NeuralizedModel, X: Matrix, rows: Int32Array, clusters: Int32Array, mean: Float64Array, out: Float64Array, ms: number): number {
  const t0 = cpuMs();
  let n = 0;
  let t = t0;
  do {
    explainRowsInto(method, net, X, rows, clusters, mean, out);
    n++;
    t = cpuMs();
  } while (t - t0 < ms);
  return (t - t0) / (n * rows.length);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const names = arg('--data')?.split(',');
  const models = (arg('--models')?.split(',') ?? ['kernel-kmeans', 'deep-kmeans']) as ModelKind[];
  const seed = Number(arg('--seed') ?? 1);
  const passes = Number(arg('--passes') ?? 9);
  const dump = arg('--dump');
  const compare = arg('--compare');
  // For a profiler: only NEON's batches, for this many ms of CPU per cell, nothing else timed.
  const neonOnly = arg('--neon-only');
  if (dump) fs.mkdirSync(dump, { recursive: true });
  console.log('| data | model | rows | NEON CPU ms | IG CPU ms | IG / NEON | max |ΔR| / |f| vs --compare |');
  console.log('|---|---|---|---|---|---|---|');
  for (const table of TABLES.filter((t) => !names || names.some((n) => t.name.startsWith(n)))) {
    const X = await table.load();
    if (!X) continue;
    for (const model of models) {
      const settings: ClusterSettings = { ...DEFAULT_SETTINGS, model, seed, k: table.k, restarts: 10 };
      const fit = await fitClusterModel(X, table.k, settings);
      const mean = columnMean(X);
      const representation = fit.model.kind === 'deep-kmeans' ? mlpPredict(fit.model.layers, X) : undefined;
      const clusterCentroids = representation && fit.model.kind === 'deep-kmeans' ? deepInputCentroids(fit.model, X, representation) : undefined;
      const neon = resolveNeonOptions(fit.model, X, { beta: 'auto', evidence: 'hard', rule: 'reference', reference: { point: mean, name: 'data mean' } });
      const net = neuralize(fit.model, { ...neon, pooling: 'path' }, clusterCentroids ? { clusterCentroids } : {});
      const rows = Int32Array.from(sampleRows(X.rows, 500, seed));
      const d = X.cols;
      const clusters = Int32Array.from(rows, (i) => net.assign(X.data.subarray(i * d, (i + 1) * d)));
      const out = new Float64Array(rows.length * d);
      const file = `${table.name.replace(/[^a-z0-9]+/gi, '-')}-${model}-s${seed}.f64`;
      explainRowsInto('neon', net, X, rows, clusters, mean, out);
      let diff = '–';
      if (dump) fs.writeFileSync(path.join(dump, file), Buffer.from(out.buffer));
      if (compare && fs.existsSync(path.join(compare, file))) {
        const buf = fs.readFileSync(path.join(compare, file));
        const old = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
        let worstF = 0;
        let worstRel = 0;
        let identical = true;
        for (let r = 0; r < rows.length; r++) {
          const f = net.evidence(X.data.subarray(rows[r] * d, (rows[r] + 1) * d), clusters[r]);
          for (let i = 0; i < d; i++) {
            const a = out[r * d + i];
            const b = old[r * d + i];
            if (a !== b) identical = false;
            worstF = Math.max(worstF, Math.abs(a - b) / Math.max(Math.abs(f), 1e-300));
            if (a !== b) worstRel = Math.max(worstRel, Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
          }
        }
        diff = identical ? 'bit-identical' : `${worstF.toExponential(2)} (elementwise ${worstRel.toExponential(2)})`;
      }
      if (neonOnly) {
        const ms = batchCost('neon', net, X, rows, clusters, mean, out, Number(neonOnly));
        console.log(`| ${table.name} | ${model} | ${rows.length} | ${ms.toFixed(4)} | – | – | ${diff} |`);
        continue;
      }
      batchCost('neon', net, X, rows, clusters, mean, out, WARM_MS);
      batchCost('integrated-gradients', net, X, rows, clusters, mean, out, WARM_MS);
      let bestNeon = Infinity;
      let bestIg = Infinity;
      for (let p = 0; p < passes; p++) {
        bestNeon = Math.min(bestNeon, batchCost('neon', net, X, rows, clusters, mean, out, PASS_MS));
        bestIg = Math.min(bestIg, batchCost('integrated-gradients', net, X, rows, clusters, mean, out, PASS_MS));
      }
      console.log(`| ${table.name} | ${model} | ${rows.length} | ${bestNeon.toFixed(4)} | ${bestIg.toFixed(4)} | ${(bestIg / bestNeon).toFixed(1)}× | ${diff} |`);
    }
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
