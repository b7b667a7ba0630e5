/**
 * Deep clustering side by side (docs/deep-clustering.md): clustering accuracy (Hungarian),
 * NMI and ARI of standard k-means, kernel k-means, deep k-means and IDC on digits and breast
 * cancer; IDC's mean number of open gates; and feature flipping of deep k-means' NEON
 * explanation against sensitivity, gradient×input and integrated gradients (and the same for
 * IDC's gradient×input-through-gates adapter, which is not NEON).
 *
 *   npx tsc -p tsconfig.json && node out/bench/deep-compare.js [--every 1] [--seeds 1]
 *
 * Data: ../shared/data (or $NEON_SHARED_DATA). digits.csv: pixels / 16, K = 10.
 * breast_cancer.csv: columns standardised (z-scores), K = 2, label `diagnosis`.
 * Fit times are CPU seconds (the machine is shared). Seed 1 (and 2, 3, ... with --seeds n:
 * the table then shows mean ± half the range), default
 * training settings of each model, β for a mean top probability of 0.9 (deep k-means),
 * hard evidence, reference = data mean, one flipping step per feature, every row
 * (--every n: every n-th row).
 */
import fs from 'node:fs';
import { fitDeepKMeans } from '../src/engine/cluster/deepKMeans';
import { fitIdc } from '../src/engine/cluster/idc';
import { fitKMeans } from '../src/engine/cluster/kmeans';
import { fitKernelKMeans } from '../src/engine/cluster/kernelKMeans';
import { featureFlipping } from '../src/engine/evaluate/flipping';
import { ari, clusteringAccuracy, nmi } from '../src/engine/evaluate/metrics';
import { betaForTargetProbability } from '../src/engine/neuralize/beta';
import { deepOutlierScores, neuralizeDeepKMeans } from '../src/engine/neuralize/deepKMeans';
import type { DeepRuleOptions } from '../src/engine/neuralize/deepKMeans';
import { neuralizeIdc } from '../src/engine/neuralize/idc';
import type { ExplanationMethod, Matrix, NeuralizedModel } from '../src/engine/types';
import { sharedData } from '../test/unit/helpers/sharedData';

const METHODS: readonly ExplanationMethod[] = ['neon', 'sensitivity', 'gradient-x-input', 'integrated-gradients'];

interface Labelled {
  readonly name: string;
  readonly X: Matrix;
  readonly labels: string[];
  readonly k: number;
}

/** Numeric CSV with one label column; `scale` maps the feature matrix in place. */
function loadCsv(path: string, name: string, labelColumn: string, k: number, scale: (X: Matrix) => void): Labelled {
  const lines = fs.readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const li = header.indexOf(labelColumn);
  if (li < 0) throw new Error(`${path}: no column "${labelColumn}"`);
  const d = header.length - 1;
  const n = lines.length - 1;
  const data = new Float64Array(n * d);
  const labels: string[] = [];
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1].split(',');
    let j = 0;
    cells.forEach((v, c) => {
      if (c === li) labels.push(v);
      else data[r * d + j++] = Number(v);
    });
  }
  const X = { rows: n, cols: d, data };
  scale(X);
  return { name, X, labels, k };
}

function standardise(X: Matrix): void {
  const { rows: n, cols: d, data } = X;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[i * d + j] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * d + j] - m) ** 2 / n;
    const s = v > 0 ? Math.sqrt(v) : 1;
    for (let i = 0; i < n; i++) data[i * d + j] = (data[i * d + j] - m) / s;
  }
}

function columnMean(X: Matrix): Float64Array {
  const mean = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++) for (let t = 0; t < X.cols; t++) mean[t] += X.data[i * X.cols + t] / X.rows;
  return mean;
}

interface Scores {
  acc: number[];
  nmi: number[];
  ari: number[];
  seconds: number[];
  extra: number[];
}

const newScores = (): Scores => ({ acc: [], nmi: [], ari: [], seconds: [], extra: [] });

/**
 * CPU time of this process in ms (user + system). The machine is shared by parallel jobs,
 * so wall time says more about the neighbours than about the model; the fits are
 * single-threaded, so CPU time is what they would take on an idle core.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function record(s: Scores, truth: string[], labels: Int32Array, ms: number, extra = NaN): void {
  s.acc.push(clusteringAccuracy(truth, labels));
  s.nmi.push(nmi(truth, labels));
  s.ari.push(ari(truth, labels));
  s.seconds.push(ms / 1000);
  s.extra.push(extra);
}

function fmt(v: number[], digits = 3): string {
  if (v.length === 0 || v.some((x) => Number.isNaN(x))) return '–';
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  if (v.length === 1) return mean.toFixed(digits);
  const spread = (Math.max(...v) - Math.min(...v)) / 2;
  return `${mean.toFixed(digits)} ± ${spread.toFixed(digits)}`;
}

/** Mean |bias share| = mean over rows of |biasRelevance| / f_c (rows with f_c > 1e-9). */
function biasShare(net: ReturnType<typeof neuralizeDeepKMeans>, X: Matrix, rows: readonly number[]): { mean: number; max: number } {
  const x = new Float64Array(X.cols);
  let sum = 0;
  let max = 0;
  let count = 0;
  for (const i of rows) {
    x.set(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    const e = net.explain(x);
    if (!(e.evidence > 1e-9)) continue;
    const s = Math.abs(e.biasRelevance) / e.evidence;
    sum += s;
    max = Math.max(max, s);
    count++;
  }
  return { mean: sum / Math.max(1, count), max };
}

async function flipping(net: NeuralizedModel, X: Matrix, rows: readonly number[]): Promise<Map<ExplanationMethod, { area: number; ms: number }>> {
  const curves = await featureFlipping(net, X, rows, METHODS, { reference: columnMean(X) });
  return new Map(curves.map((c) => [c.method, { area: c.area, ms: c.msPerExplanation }]));
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const arg = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const every = arg('--every', 1);
  const seeds = Array.from({ length: arg('--seeds', 1) }, (_, i) => i + 1);
  const sets: Labelled[] = [];
  const digits = sharedData('digits.csv');
  if (digits) sets.push(loadCsv(digits, 'digits (pixels/16, K = 10)', 'digit', 10, (X) => X.data.forEach((v, i) => (X.data[i] = v / 16))));
  const cancer = sharedData('breast_cancer.csv');
  if (cancer) sets.push(loadCsv(cancer, 'breast cancer (standardised, K = 2)', 'diagnosis', 2, standardise));
  if (sets.length === 0) {
    console.log('Shared datasets not found (../shared/data or $NEON_SHARED_DATA): nothing to measure');
    return;
  }

  const quality: string[] = ['| data | model | accuracy | NMI | ARI | fit time | notes |', '|---|---|---|---|---|---|---|'];
  const faith: string[] = [
    '| data | model (explanation) | NEON / own | sensitivity | gradient×input | integrated gradients | ms per NEON explanation | notes |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const set of sets) {
    const { X, labels: truth, k, name } = set;
    const rows = Array.from({ length: Math.ceil(X.rows / every) }, (_, r) => r * every);
    const km = newScores();
    const kk = newScores();
    const dk = newScores();
    const idc = newScores();
    const deepAreas = new Map<ExplanationMethod, number[]>();
    const idcAreas = new Map<ExplanationMethod, number[]>();
    const deepMs: number[] = [];
    const variantAreas = new Map<string, number[]>();
    const variantShares = new Map<string, number[]>();
    const idcMs: number[] = [];
    const shares: number[] = [];
    const maxShares: number[] = [];
    const clusterGates: number[] = [];
    for (const seed of seeds) {
      let t = cpuMs();
      const kmFit = await fitKMeans(X, { k, seed });
      record(km, truth, kmFit.labels, cpuMs() - t);

      t = cpuMs();
      const kkFit = await fitKernelKMeans(X, { k, seed, gamma: 'stiff', supportVectorsPerCluster: 10 });
      record(kk, truth, kkFit.labels, cpuMs() - t);

      t = cpuMs();
      const dkFit = await fitDeepKMeans(X, { k, seed, epochs: 30 });
      record(dk, truth, dkFit.labels, cpuMs() - t);
      const beta = betaForTargetProbability(deepOutlierScores(dkFit.model, X), k, 0.9);
      const deepNet = neuralizeDeepKMeans(dkFit.model, { beta, evidence: 'hard', rule: 'midpoint' });
      const share = biasShare(deepNet, X, rows);
      shares.push(share.mean);
      maxShares.push(share.max);
      const dFlip = await flipping(deepNet, X, rows);
      for (const m of METHODS) deepAreas.set(m, [...(deepAreas.get(m) ?? []), dFlip.get(m)!.area]);
      deepMs.push(dFlip.get('neon')!.ms);
      const variants: [string, DeepRuleOptions][] = [
        ['folded top layer', { top: 'folded' }],
        ['reference rule (data mean) at the input', { reference: columnMean(X) }],
        ['γ = 0 (LRP-0 in hidden layers)', { gamma: 0 }],
      ];
      for (const [label, rules] of variants) {
        const vNet = neuralizeDeepKMeans(dkFit.model, { beta, evidence: 'hard', rule: 'midpoint' }, rules);
        const [curve] = await featureFlipping(vNet, X, rows, ['neon'], { reference: columnMean(X) });
        variantAreas.set(label, [...(variantAreas.get(label) ?? []), curve.area]);
        variantShares.set(label, [...(variantShares.get(label) ?? []), biasShare(vNet, X, rows).mean]);
      }

      t = cpuMs();
      const idcFit = await fitIdc(X, { k, seed });
      record(idc, truth, idcFit.labels, cpuMs() - t, idcFit.meanOpenGates);
      clusterGates.push(Array.from(idcFit.openClusterGates).reduce((a, b) => a + b, 0) / k);
      const iFlip = await flipping(neuralizeIdc(idcFit.model, { beta: 1, evidence: 'hard', rule: 'midpoint' }), X, rows);
      for (const m of METHODS) idcAreas.set(m, [...(idcAreas.get(m) ?? []), iFlip.get(m)!.area]);
      idcMs.push(iFlip.get('neon')!.ms);
      console.error(`${name}, seed ${seed}: done`);
    }
    const line = (model: string, s: Scores, notes: string): string =>
      `| ${name} | ${model} | ${fmt(s.acc)} | ${fmt(s.nmi)} | ${fmt(s.ari)} | ${fmt(s.seconds, 1)} s CPU | ${notes} |`;
    quality.push(line('k-means (10 starts)', km, ''));
    quality.push(line('kernel k-means (stiff γ, 10 SV/cluster)', kk, 'labels of the reduced (explained) model'));
    quality.push(line('deep k-means (60 + 30 epochs)', dk, `φ: ${X.cols}→64→32→10`));
    quality.push(line('IDC (40 + 30 + 20 epochs)', idc, `open gates per row ${fmt(idc.extra, 1)} of ${X.cols}; per cluster ${fmt(clusterGates, 1)}`));
    const area = (m: Map<ExplanationMethod, number[]>, method: ExplanationMethod): string => fmt(m.get(method) ?? []);
    faith.push(
      `| ${name} | deep k-means (NEON: γ-rule + box rule) | **${area(deepAreas, 'neon')}** | ${area(deepAreas, 'sensitivity')} | ${area(deepAreas, 'gradient-x-input')} | ${area(deepAreas, 'integrated-gradients')} | ${fmt(deepMs)} | bias share of f_c: mean ${fmt(shares)}, max ${fmt(maxShares)} |`,
    );
    for (const [label, areas] of variantAreas) {
      faith.push(`| ${name} | deep k-means, NEON variant: ${label} | ${fmt(areas)} | | | | | bias share of f_c: mean ${fmt(variantShares.get(label) ?? [])} |`);
    }
    faith.push(
      `| ${name} | IDC (gated gradient×input, not NEON) | ${area(idcAreas, 'neon')} | ${area(idcAreas, 'sensitivity')} | ${area(idcAreas, 'gradient-x-input')} | ${area(idcAreas, 'integrated-gradients')} | ${fmt(idcMs)} | evidence = logit margin |`,
    );
  }
  console.log(`Clustering quality (seeds ${seeds.join(', ')}):\n`);
  console.log(quality.join('\n'));
  console.log(`\nFeature flipping areas (lower = more faithful; every ${every === 1 ? '' : `${every}-th `}row, reference = data mean):\n`);
  console.log(faith.join('\n'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
