/**
 * Kernel k-means on digits: feature flipping of NEON against sensitivity, gradient×input and
 * integrated gradients, with the stiff (default) and the loose (1 / median squared distance)
 * bandwidth (neon-method.md, "Bandwidth matters"). Prints the markdown table of
 * docs/kernel-kmeans.md.
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/out && node /tmp/out/bench/kernel-digits.js [--every 1]
 *
 * Data: ../shared/data/digits.csv (or $NEON_SHARED_DATA), pixels / 16, K = 10,
 * 10 support vectors per cluster, seed 1, β for a mean top probability of 0.9,
 * hard evidence, reference = data mean, one flipping step per pixel.
 */
import fs from 'node:fs';
import { fitKernelKMeans } from '../src/engine/cluster/kernelKMeans';
import { featureFlipping } from '../src/engine/evaluate/flipping';
import { clusteringAccuracy } from '../src/engine/evaluate/metrics';
import { betaForTargetProbability } from '../src/engine/neuralize/beta';
import { kernelOutlierScores, neuralizeKernelKMeans } from '../src/engine/neuralize/kernelKMeans';
import type { ExplanationMethod, Matrix, NeuralizedModel } from '../src/engine/types';
import { sharedData } from '../test/unit/helpers/sharedData';

const METHODS: readonly ExplanationMethod[] = ['neon', 'sensitivity', 'gradient-x-input', 'integrated-gradients'];
const KERNEL_TARGET_PROBABILITY = 0.9;

interface Digits {
  readonly X: Matrix;
  readonly digit: Int32Array;
}

function loadDigits(path: string): Digits {
  const lines = fs.readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const data = new Float64Array(n * 64);
  const digit = new Int32Array(n);
  lines.forEach((line, i) => {
    const cells = line.split(',').map(Number);
    for (let t = 0; t < 64; t++) data[i * 64 + t] = cells[t] / 16;
    digit[i] = cells[64];
  });
  return { X: { rows: n, cols: 64, data }, digit };
}

function columnMean(X: Matrix): Float64Array {
  const mean = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++) for (let t = 0; t < X.cols; t++) mean[t] += X.data[i * X.cols + t] / X.rows;
  return mean;
}

/** Largest max_i |R_i| / |f_c| over the rows (points with |f_c| > 1e-6): how far single terms blow up. */
function worstRatio(net: NeuralizedModel, X: Matrix, rows: readonly number[]): number {
  const x = new Float64Array(X.cols);
  let worst = 0;
  for (const i of rows) {
    x.set(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    const e = net.explain(x);
    if (Math.abs(e.evidence) <= 1e-6) continue;
    for (let t = 0; t < X.cols; t++) worst = Math.max(worst, Math.abs(e.relevance[t]) / Math.abs(e.evidence));
  }
  return worst;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const path = sharedData('digits.csv');
  if (!path) {
    console.log('digits.csv not found (../shared/data or $NEON_SHARED_DATA): nothing to measure');
    return;
  }
  const everyArg = argv.indexOf('--every');
  const every = everyArg >= 0 ? Number(argv[everyArg + 1]) : 1;
  const { X, digit } = loadDigits(path);
  const truth = Array.from(digit, String);
  const reference = columnMean(X);
  const rows = Array.from({ length: Math.ceil(X.rows / every) }, (_, r) => r * every);
  const lines: string[] = [];
  lines.push(
    '| bandwidth | init | γ | β | LOO iters | agreement (reduced vs full) | accuracy (reduced) | NEON | NEON ε = 0 | NEON z-rule | sensitivity | gradient×input | integrated gradients | max\\|R\\|/\\|f\\| (ε = 0.05 / 0) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  const timing: string[] = [];
  for (const gamma of ['stiff', 'median'] as const) {
    for (const init of ['labels', 'k-means'] as const) {
      const fitStart = performance.now();
      const fit = await fitKernelKMeans(X, {
        k: 10,
        seed: 1,
        gamma,
        supportVectorsPerCluster: 10,
        initLabels: init === 'labels' ? digit : undefined,
      });
      const fitMs = performance.now() - fitStart;
      const beta = betaForTargetProbability(kernelOutlierScores(fit.model, X), 10, KERNEL_TARGET_PROBABILITY);
      const net = neuralizeKernelKMeans(fit.model, { beta, evidence: 'hard', rule: 'midpoint' });
      const zNet = neuralizeKernelKMeans(fit.model, { beta, evidence: 'hard', rule: 'z' });
      const curves = await featureFlipping(net, X, rows, METHODS, { reference });
      const [zCurve] = await featureFlipping(zNet, X, rows, ['neon'], { reference });
      const bareNet = neuralizeKernelKMeans(fit.model, { beta, evidence: 'hard', rule: 'midpoint' }, { rootPointGuard: 0 });
      const [bareCurve] = await featureFlipping(bareNet, X, rows, ['neon'], { reference });
      const area = (m: ExplanationMethod): string => curves.find((c) => c.method === m)!.area.toFixed(3);
      const ms = (m: ExplanationMethod): string => curves.find((c) => c.method === m)!.msPerExplanation.toFixed(3);
      lines.push(
        `| ${gamma} | ${init} | ${fit.gamma.toPrecision(3)} | ${beta.toPrecision(3)} | ${fit.iterations} | ${(100 * fit.reductionAgreement).toFixed(1)}% | ` +
          `${(100 * clusteringAccuracy(truth, fit.labels)).toFixed(1)}% | **${area('neon')}** | ${bareCurve.area.toFixed(3)} | ${zCurve.area.toFixed(3)} | ${area('sensitivity')} | ` +
          `${area('gradient-x-input')} | ${area('integrated-gradients')} | ${worstRatio(net, X, rows).toFixed(2)} / ${worstRatio(bareNet, X, rows).toFixed(2)} |`,
      );
      timing.push(
        `| ${gamma} | ${init} | ${(fitMs / 1000).toFixed(2)} s | ${ms('neon')} | ${ms('sensitivity')} | ${ms('gradient-x-input')} | ${ms('integrated-gradients')} |`,
      );
      if (fit.warnings.length > 0) console.error(`${gamma}/${init}: ${fit.warnings.join(' | ')}`);
    }
  }
  console.log(`Flipping areas (lower = more faithful) over ${rows.length} digits:\n`);
  console.log(lines.join('\n'));
  console.log('\nTime (fit incl. bandwidth, kernel matrix, LOO loop, reduction; ms per explanation):\n');
  console.log('| bandwidth | init | fit | NEON | sensitivity | gradient×input | integrated gradients (32 steps) |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(timing.join('\n'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
