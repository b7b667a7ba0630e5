/**
 * Text clustering quality (issue 11), on three labelled corpora with the same code and
 * defaults: fortunes.jsonl (../shared/data; skipped when absent) and the two Debian corpora of
 * test/fixtures/text-corpora (scripts/build-text-corpora.mjs). Four tables:
 *
 * 1. Document-vector candidates, all on the same tokens and the same PPMI-SVD word vectors
 *    (window 10, 100 dimensions, PCA 50), k-means (k = number of classes, 10 restarts):
 *    mean (the paper), mean at unit length (spherical k-means), SIF weights +
 *    common-component removal (Arora et al. 2017) at unit length, IDF weights at unit length,
 *    a word-document TF-IDF space (LSA, 100 dimensions) at unit length, and IDF or √IDF (the
 *    default) weights at unit length on the corpus vectors joined with the shipped
 *    general-English vectors (data/generalVectors.ts). Every candidate
 *    keeps words -> document vector linear per document.
 * 2. The pipeline's defaults (what `neon-cluster fit --k K --label-column category` runs) over
 *    seeds, against the issue's targets; with scikit-learn's TF-IDF + k-means (the notebook a
 *    user would write) and a supervised ceiling (logistic regression on TF-IDF, 5-fold
 *    cross-validated predictions) when Debian's python3-sklearn is there.
 * 3. Mixed clusters: how many clusters the mixed rule flags by purity band, and the
 *    low-purity / unstable clusters with their stability, cohesion and evidence.
 * 4. k = auto: the chosen k, the stable clusters and the silhouette of every k.
 * 5. Word flipping: a document's words removed in order of relevance (NEON, sensitivity
 *    (∂f/∂α_t)², gradient x input ∂f/∂α_t, where α_t scales token t in the sum), evidence
 *    recomputed from the remaining words; area under the curve / initial evidence, lower =
 *    more faithful.
 *
 * `node out/bench/text-quality.js [--quick] [--skip-candidates]` runs it alone (bench-results/text-quality.md);
 * bench/index.ts runs it as one section of `npm run bench`. `--clustering-side` runs only
 * another table (not part of `npm run bench`): other routes to a k-means partition of the
 * default document vectors, two label oracles and logistic regression on the same vectors, by
 * bench/text_clustering_side.py (scikit-learn) on the vectors the pipeline builds for seeds 1-3.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fitKMeans } from '../src/engine/cluster/kmeans';
import { loadDataset } from '../src/engine/data';
import { documentVector } from '../src/engine/data/documentVector';
import { loadGeneralVectors, withGeneralVectors } from '../src/engine/data/generalVectors';
import { ppmiSvdWordVectors } from '../src/engine/data/wordVectors';
import { nmi, purity } from '../src/engine/evaluate/metrics';
import { pca } from '../src/engine/linalg/pca';
import { computePool } from '../src/engine/parallel/pool';
import { randomizedSvd } from '../src/engine/linalg/randomizedSvd';
import { runPipeline, type PipelineOutput } from '../src/engine/pipeline';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../src/engine/pipelineTypes';
import { Rng } from '../src/engine/rng';
import type { TextDataset } from '../src/engine/types';

const REPO = path.resolve(__dirname, '..', '..');
const SHARED = process.env.NEON_SHARED_DATA ?? path.resolve(REPO, '..', 'shared', 'data');

interface Corpus {
  readonly name: string;
  readonly file: string;
  readonly classes: number;
}

function corpora(): Corpus[] {
  const list: Corpus[] = [];
  const fortunes = path.join(SHARED, 'fortunes.jsonl');
  if (fs.existsSync(fortunes)) list.push({ name: 'fortunes', file: fortunes, classes: 8 });
  const fixtures = path.join(REPO, 'test', 'fixtures', 'text-corpora');
  list.push({ name: 'debian-packages', file: path.join(fixtures, 'debian-packages.jsonl'), classes: 8 });
  list.push({ name: 'man-pages', file: path.join(fixtures, 'man-pages.jsonl'), classes: 11 });
  return list;
}

/** Share of the documents in the largest cluster whose purity is below 0.4 (0 if none). */
export function largestMixedShare(labels: readonly string[], assignments: Int32Array, k: number): number {
  let worst = 0;
  for (let c = 0; c < k; c++) {
    const counts = new Map<string, number>();
    let size = 0;
    assignments.forEach((a, i) => {
      if (a !== c) return;
      size++;
      counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
    });
    if (size === 0) continue;
    if (Math.max(...counts.values()) / size < 0.4) worst = Math.max(worst, size / labels.length);
  }
  return worst;
}

interface Score {
  readonly nmi: number;
  readonly purity: number;
  readonly mixed: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const avg = (s: readonly Score[]): Score => ({ nmi: mean(s.map((x) => x.nmi)), purity: mean(s.map((x) => x.purity)), mixed: mean(s.map((x) => x.mixed)) });
const f3 = (v: number): string => v.toFixed(3);
const pct = (v: number): string => `${(100 * v).toFixed(0)}%`;

function unitRows(X: Float64Array, n: number, d: number): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] ** 2;
    if (s > 0) for (let j = 0; j < d; j++) X[i * d + j] /= Math.sqrt(s);
  }
  return X;
}

/** Weighted mean of word vectors per document (weights per vocabulary word). */
function weightedMeans(vectors: Float64Array, dim: number, ds: TextDataset, weight: Float64Array | undefined): Float64Array {
  const { word, docStart } = ds.tokens;
  const n = ds.documents.length;
  const X = new Float64Array(n * dim);
  for (let d = 0; d < n; d++) {
    let total = 0;
    for (let t = docStart[d]; t < docStart[d + 1]; t++) {
      const a = weight ? weight[word[t]] : 1;
      total += a;
      for (let j = 0; j < dim; j++) X[d * dim + j] += a * vectors[word[t] * dim + j];
    }
    if (total > 0) for (let j = 0; j < dim; j++) X[d * dim + j] /= total;
  }
  return X;
}

/** Arora et al.'s common component: the first right singular vector of the (uncentred) document matrix, projected out. */
function removeCommonComponent(X: Float64Array, n: number, d: number, seed: number): void {
  const op = {
    rows: n,
    cols: d,
    apply: (x: Float64Array, l: number, out: Float64Array) => {
      for (let c = 0; c < l; c++) for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += X[i * d + j] * x[c * d + j];
        out[c * n + i] = s;
      }
    },
    applyTranspose: (y: Float64Array, l: number, out: Float64Array) => {
      for (let c = 0; c < l; c++) for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[c * d + j] += X[i * d + j] * y[c * n + i];
    },
  };
  const u = randomizedSvd(op, 1, { seed, powerIterations: 4 }).v.subarray(0, d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] * u[j];
    for (let j = 0; j < d; j++) X[i * d + j] -= s * u[j];
  }
}

/** Word vectors of an LSA space: right singular vectors of the row-normalised TF-IDF document-term matrix. */
function lsaWordVectors(ds: TextDataset, idf: Float64Array, rank: number, seed: number): { vectors: Float64Array; dim: number; docs: Float64Array } {
  const { word, docStart } = ds.tokens;
  const n = ds.documents.length;
  const v = ds.preprocessing.vocabulary.length;
  const rows: Map<number, number>[] = [];
  for (let d = 0; d < n; d++) {
    const m = new Map<number, number>();
    for (let t = docStart[d]; t < docStart[d + 1]; t++) m.set(word[t], (m.get(word[t]) ?? 0) + idf[word[t]]);
    const norm = Math.sqrt([...m.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [w, x] of m) m.set(w, x / norm);
    rows.push(m);
  }
  const op = {
    rows: n,
    cols: v,
    apply: (x: Float64Array, l: number, out: Float64Array) => {
      for (let c = 0; c < l; c++) for (let i = 0; i < n; i++) {
        let s = 0;
        for (const [w, val] of rows[i]) s += val * x[c * v + w];
        out[c * n + i] = s;
      }
    },
    applyTranspose: (y: Float64Array, l: number, out: Float64Array) => {
      for (let c = 0; c < l; c++) for (let i = 0; i < n; i++) for (const [w, val] of rows[i]) out[c * v + w] += val * y[c * n + i];
    },
  };
  const svd = randomizedSvd(op, rank, { seed, powerIterations: 3 });
  const dim = svd.rank;
  const vectors = new Float64Array(v * dim);
  for (let c = 0; c < dim; c++) for (let w = 0; w < v; w++) vectors[w * dim + c] = svd.v[c * v + w];
  const docs = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (const [w, val] of rows[i]) for (let c = 0; c < dim; c++) docs[i * dim + c] += val * vectors[w * dim + c];
  return { vectors, dim, docs };
}

async function score(X: Float64Array, n: number, d: number, labels: readonly string[], k: number, seed: number): Promise<Score> {
  const fit = await fitKMeans({ rows: n, cols: d, data: X }, { k, seed, restarts: 10 });
  return { nmi: nmi(labels, fit.labels), purity: purity(labels, fit.labels), mixed: largestMixedShare(labels, fit.labels, k) };
}

const CANDIDATES = [
  'mean (paper)',
  'mean, unit length',
  'SIF + common component removed, unit length',
  'IDF-weighted mean, unit length',
  'TF-IDF LSA (100 dims), unit length',
  'IDF-weighted mean, unit length, + general-English vectors',
  '√IDF-weighted mean, unit length, + general-English vectors (default)',
] as const;

async function candidateScores(c: Corpus, seeds: readonly number[]): Promise<Score[][]> {
  const ds = (await loadDataset({ kind: 'jsonl', path: c.file }, { ...DEFAULT_SETTINGS, labelColumn: 'category' })) as TextDataset;
  const labels = ds.labels as readonly string[];
  const n = ds.documents.length;
  const { word, docStart } = ds.tokens;
  const v = ds.preprocessing.vocabulary.length;
  const count = new Float64Array(v);
  const df = new Float64Array(v);
  for (let d = 0; d < n; d++) {
    const seen = new Set<number>();
    for (let t = docStart[d]; t < docStart[d + 1]; t++) {
      count[word[t]]++;
      seen.add(word[t]);
    }
    for (const w of seen) df[w]++;
  }
  const total = word.length;
  const sif = count.map((x) => 1e-3 / (1e-3 + x / total));
  const idf = df.map((x) => Math.log((1 + n) / (1 + x)) + 1);
  const results: Score[][] = CANDIDATES.map(() => []);
  for (const seed of seeds) {
    const wv = ppmiSvdWordVectors(word, docStart, v, { window: 10, dim: 100, seed });
    const reduce = (X: Float64Array, unit: boolean, cols = wv.dim): Float64Array => {
      const p = pca({ rows: n, cols, data: X }, 50, { seed }).projected.data;
      return unit ? unitRows(new Float64Array(p), n, 50) : new Float64Array(p);
    };
    const means = weightedMeans(wv.vectors, wv.dim, ds, undefined);
    results[0].push(await score(reduce(means, false), n, 50, labels, c.classes, seed));
    results[1].push(await score(reduce(means, true), n, 50, labels, c.classes, seed));
    const sifMeans = weightedMeans(wv.vectors, wv.dim, ds, sif);
    removeCommonComponent(sifMeans, n, wv.dim, seed);
    results[2].push(await score(reduce(sifMeans, true), n, 50, labels, c.classes, seed));
    results[3].push(await score(reduce(weightedMeans(wv.vectors, wv.dim, ds, idf), true), n, 50, labels, c.classes, seed));
    const lsa = lsaWordVectors(ds, idf, 100, seed);
    results[4].push(await score(unitRows(lsa.docs, n, lsa.dim), n, lsa.dim, labels, c.classes, seed));
    const general = loadGeneralVectors();
    if (general) {
      const joined = withGeneralVectors(wv.vectors, wv.dim, ds.preprocessing.vocabulary, general);
      results[5].push(await score(reduce(weightedMeans(joined.vectors, joined.dim, ds, idf), true, joined.dim), n, 50, labels, c.classes, seed));
      const sqrtIdf = idf.map(Math.sqrt);
      results[6].push(await score(reduce(weightedMeans(joined.vectors, joined.dim, ds, sqrtIdf), true, joined.dim), n, 50, labels, c.classes, seed));
    }
  }
  return results;
}

/** scikit-learn TF-IDF + k-means (the notebook baseline) and a supervised ceiling, means over seeds. */
function sklearnPeer(python: string, file: string, k: number, seeds: readonly number[]): { kmeans: Score; supervised: { nmi: number; accuracy: number } } | undefined {
  const script = `
import json, sys, collections
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict
from sklearn.metrics import normalized_mutual_info_score as NMI, accuracy_score
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
X = [r['text'] for r in rows]; y = [r['category'] for r in rows]
k = int(sys.argv[2]); seeds = [int(s) for s in sys.argv[3].split(',')]
T = TfidfVectorizer(stop_words='english', min_df=2, token_pattern=r'(?u)\\b[^\\W\\d_]{3,}\\b').fit_transform(X)
out = []
for s in seeds:
    a = KMeans(k, n_init=10, random_state=s).fit_predict(T)
    pur = sum(collections.Counter(y[i] for i in range(len(y)) if a[i] == c).most_common(1)[0][1] for c in set(a)) / len(y)
    worst = 0.0
    for c in set(a):
        m = [y[i] for i in range(len(y)) if a[i] == c]
        if collections.Counter(m).most_common(1)[0][1] / len(m) < 0.4: worst = max(worst, len(m) / len(y))
    out.append((NMI(y, a), pur, worst))
p = cross_val_predict(LogisticRegression(max_iter=2000, C=10), T, y, cv=5)
print(json.dumps({'kmeans': np.mean(out, 0).tolist(), 'nmi': NMI(y, p), 'accuracy': accuracy_score(y, p)}))
`;
  const r = spawnSync(python, ['-c', script, file, String(k), seeds.join(',')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) return undefined;
  const j = JSON.parse(r.stdout) as { kmeans: [number, number, number]; nmi: number; accuracy: number };
  return { kmeans: { nmi: j.kmeans[0], purity: j.kmeans[1], mixed: j.kmeans[2] }, supervised: { nmi: j.nmi, accuracy: j.accuracy } };
}

function pipelineScore(o: PipelineOutput, k: number): Score {
  const labels = (o.state.dataset as TextDataset).labels as readonly string[];
  return { nmi: o.result.quality.nmi ?? 0, purity: o.result.quality.purity ?? 0, mixed: largestMixedShare(labels, o.result.assignments, k) };
}

/**
 * Word flipping on `sample` documents of a fitted text session: per method, remove the
 * document's tokens in order of decreasing score in `steps` steps and recompute the evidence
 * for the originally assigned cluster from the remaining tokens. Returns the normalised areas.
 */
export function wordFlipping(o: PipelineOutput, sample: number, steps: number, seed: number): Record<'neon' | 'sensitivity' | 'gradient-x-input', number> {
  const ds = o.state.dataset as TextDataset;
  const pre = ds.preprocessing;
  const nm = o.state.neuralized;
  const { docStart, word } = ds.tokens;
  const dim = pre.dim;
  const candidates: number[] = [];
  for (let d = 0; d < ds.documents.length; d++) if (docStart[d + 1] - docStart[d] >= 2) candidates.push(d);
  const order = new Rng(seed).shuffle(Int32Array.from(candidates)).slice(0, sample);
  const methods = ['neon', 'sensitivity', 'gradient-x-input'] as const;
  const curves = methods.map(() => new Float64Array(steps + 1));
  const x = new Float64Array(dim);
  const g = new Float64Array(dim);
  const sum = new Float64Array(dim);
  for (const d of order) {
    const s = docStart[d];
    const e = docStart[d + 1];
    const tokens = word.subarray(s, e);
    const c = o.result.assignments[d];
    documentVector(pre.wordVectors, dim, pre.normalization ?? 'mean', tokens, 0, tokens.length, x);
    nm.gradient(x, c, g);
    // ∂f/∂α_t for x = s/‖s‖, s = Σ α_t r_t (or the mean): the chain rule through the normalisation.
    sum.fill(0);
    for (const w of tokens) for (let j = 0; j < dim; j++) sum[j] += pre.wordVectors[w * dim + j];
    const norm = Math.hypot(...sum);
    let gx = 0;
    for (let j = 0; j < dim; j++) gx += g[j] * x[j];
    const grad = Array.from(tokens, (w) => {
      let gr = 0;
      let xr = 0;
      for (let j = 0; j < dim; j++) {
        gr += g[j] * pre.wordVectors[w * dim + j];
        xr += x[j] * pre.wordVectors[w * dim + j];
      }
      return pre.normalization === 'l2' ? (gr - gx * xr) / norm : gr / tokens.length;
    });
    const relevance = Array.from(o.result.tokenRelevance.subarray(s, e));
    const scores = { neon: relevance, sensitivity: grad.map((v) => v * v), 'gradient-x-input': grad };
    methods.forEach((m, mi) => {
      const rankOrder = scores[m].map((v, t) => ({ v, t })).sort((a, b) => b.v - a.v || a.t - b.t).map((r) => r.t);
      for (let step = 0; step <= steps; step++) {
        const removed = new Set(rankOrder.slice(0, Math.round((step * tokens.length) / steps)));
        const kept = Int32Array.from(Array.from(tokens).filter((_, t) => !removed.has(t)));
        documentVector(pre.wordVectors, dim, pre.normalization ?? 'mean', kept, 0, kept.length, x);
        curves[mi][step] += nm.evidence(x, c);
      }
    });
  }
  const out = {} as Record<(typeof methods)[number], number>;
  methods.forEach((m, mi) => {
    const curve = curves[mi].map((v) => v / order.length);
    let area = 0;
    for (let s = 0; s < steps; s++) area += (curve[s] + curve[s + 1]) / (2 * steps);
    out[m] = area / Math.abs(curve[0]);
  });
  return out;
}

/** One row of the mixed-cluster table: a cluster of a pipeline run, with what the rule saw. */
interface MixedRow {
  readonly corpus: string;
  readonly seed: number;
  readonly index: number;
  readonly size: number;
  readonly purity: number;
  readonly stability: number;
  readonly cohesion: number;
  readonly evidence: number;
  readonly label: string;
  readonly mixed: boolean;
}

function mixedRows(corpus: string, seed: number, o: PipelineOutput): MixedRow[] {
  const cs = o.result.clusters.filter((c) => c.size > 0);
  const med = (xs: number[]): number => {
    const v = [...xs].sort((a, b) => a - b);
    const m = v.length >> 1;
    return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
  };
  const mc = med(cs.map((c) => c.cohesion ?? 0));
  const me = med(cs.map((c) => c.meanEvidence));
  return cs.map((c) => ({
    corpus,
    seed,
    index: c.index,
    size: c.size,
    purity: c.purity ?? Number.NaN,
    stability: c.stability ?? Number.NaN,
    cohesion: (c.cohesion ?? 0) / mc,
    evidence: c.meanEvidence / me,
    label: c.label,
    mixed: c.mixed !== undefined,
  }));
}

export async function textQualitySection(out: (s?: string) => void, quick: boolean, python: string | undefined, skipCandidates = false): Promise<void> {
  const seeds = quick ? [1] : [1, 2, 3];
  const list = corpora();
  const settingsFor = (k: number | 'auto', seed: number): ClusterSettings => ({ ...DEFAULT_SETTINGS, k, seed, labelColumn: 'category', flippingSample: 0 });
  out('## Text clustering quality (issue 11)');
  out();
  out(`Corpora: ${list.map((c) => `${c.name} (${c.classes} classes)`).join(', ')}${list.some((c) => c.name === 'fortunes') ? '' : ' — fortunes.jsonl skipped: ../shared/data is absent'}. Seeds ${seeds.join(', ')}, means shown; "mixed" = share of the documents in the largest cluster of purity < 0.4.`);
  out();
  if (!skipCandidates) {
    out('### Document vectors compared (same tokens and PPMI-SVD word vectors; k-means, k = classes)');
    out();
    out(`| candidate | ${list.map((c) => `${c.name} NMI / purity / mixed`).join(' | ')} |`);
    out(`|---|${list.map(() => '---').join('|')}|`);
    const table: Score[][] = [];
    for (const c of list) table.push((await candidateScores(c, seeds)).filter((scores) => scores.length > 0).map(avg));
    CANDIDATES.forEach((name, i) => i < table[0].length && out(`| ${name} | ${table.map((t) => `${f3(t[i].nmi)} / ${f3(t[i].purity)} / ${pct(t[i].mixed)}`).join(' | ')} |`));
    out();
  }
  out('### Pipeline defaults vs the targets (NMI ≥ 0.45, purity ≥ 0.70, no cluster > 25% at purity < 0.4)');
  out();
  out('| corpus | k | NMI | purity | largest mixed cluster | targets | scikit-learn TF-IDF + k-means NMI / purity / mixed | supervised ceiling (logistic regression, 5-fold) NMI / accuracy |');
  out('|---|---|---|---|---|---|---|---|');
  const fitted: PipelineOutput[] = [];
  const clusters: MixedRow[] = [];
  for (const c of list) {
    const scores: Score[] = [];
    for (const seed of seeds) {
      const o = await runPipeline({ kind: 'jsonl', path: c.file }, settingsFor(c.classes, seed));
      scores.push(pipelineScore(o, c.classes));
      clusters.push(...mixedRows(c.name, seed, o));
      if (seed === seeds[0]) fitted.push(o);
    }
    const s = avg(scores);
    const met = [s.nmi >= 0.45 ? 'NMI ✓' : 'NMI ✗', s.purity >= 0.7 ? 'purity ✓' : 'purity ✗', scores.every((x) => x.mixed <= 0.25) ? 'mixed ✓' : 'mixed ✗'].join(' ');
    const peer = python ? sklearnPeer(python, c.file, c.classes, seeds) : undefined;
    out(
      `| ${c.name} | ${c.classes} | ${f3(s.nmi)} (${scores.map((x) => f3(x.nmi)).join(', ')}) | ${f3(s.purity)} | ${pct(Math.max(...scores.map((x) => x.mixed)))} | ${met} | ${peer ? `${f3(peer.kmeans.nmi)} / ${f3(peer.kmeans.purity)} / ${pct(peer.kmeans.mixed)}` : 'no python3-sklearn'} | ${peer ? `${f3(peer.supervised.nmi)} / ${f3(peer.supervised.accuracy)}` : ''} |`,
    );
  }
  out();
  out();
  out('### Mixed clusters: what the rule flags (pipeline/summaries.ts mixedReason), by purity against the labels');
  out();
  out('| corpus | purity < 0.4 flagged | 0.4-0.6 flagged | ≥ 0.6 flagged |');
  out('|---|---|---|---|');
  const band = (rows: MixedRow[], lo: number, hi: number): string => {
    const inBand = rows.filter((r) => r.purity >= lo && r.purity < hi);
    return `${inBand.filter((r) => r.mixed).length} of ${inBand.length}`;
  };
  for (const name of [...list.map((c) => c.name), 'all']) {
    const rows = name === 'all' ? clusters : clusters.filter((r) => r.corpus === name);
    out(`| ${name} | ${band(rows, 0, 0.4)} | ${band(rows, 0.4, 0.6)} | ${band(rows, 0.6, 1.01)} |`);
  }
  out();
  out('Every cluster, lowest purity first (stability = mean Jaccard over 10 re-fits on 75% subsamples; cohesion and evidence relative to the median cluster):');
  out();
  out('| corpus | seed | cluster | size | purity | stability | cohesion | evidence | mixed | label |');
  out('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of [...clusters].sort((a, b) => a.purity - b.purity)) {
    out(`| ${r.corpus} | ${r.seed} | ${r.index} | ${r.size} | ${r.purity.toFixed(2)} | ${r.stability.toFixed(2)} | ${r.cohesion.toFixed(2)} | ${r.evidence.toFixed(2)} | ${r.mixed ? 'yes' : 'no'} | ${r.label.replace(/\|/g, '\\|')} |`);
  }
  out();
  out('### k = auto (text: the k with the largest Σ over its clusters of (stability corrected for chance − 0.5) × silhouette, 10 re-fits on 75% subsamples, k = 2..10)');
  out();
  out('| corpus | classes | seed | chosen k | NMI at that k | score by k | Σ (stability corrected for chance − 0.5) by k | stable clusters (≥ 0.75) by k | silhouette by k |');
  out('|---|---|---|---|---|---|---|---|---|');
  for (const c of list) {
    for (const seed of quick ? [42] : [42, 1, 2]) {
      const o = await runPipeline({ kind: 'jsonl', path: c.file }, settingsFor('auto', seed));
      const ks = o.result.kSuggestion;
      out(
        `| ${c.name} | ${c.classes} | ${seed} | ${o.result.model.k} | ${f3(o.result.quality.nmi ?? Number.NaN)} | ${ks ? ks.scores.map((x) => `${x.k}: ${x.score?.toFixed(3)}`).join(', ') : ''} | ${ks ? ks.scores.map((x) => `${x.k}: ${x.stabilityScore?.toFixed(2)}`).join(', ') : ''} | ${ks ? ks.scores.map((x) => `${x.k}: ${x.stableClusters}`).join(', ') : ''} | ${ks ? ks.scores.map((x) => `${x.k}: ${x.silhouette.toFixed(3)}`).join(', ') : ''} |`,
      );
    }
  }
  out();
  out(`### Word flipping (${quick ? 30 : 100} documents per corpus, 10 steps; area / initial evidence, lower = more faithful)`);
  out();
  out('| corpus | NEON | sensitivity | gradient × input |');
  out('|---|---|---|---|');
  list.forEach((c, i) => {
    const a = wordFlipping(fitted[i], quick ? 30 : 100, 10, 7);
    out(`| ${c.name} | **${a.neon.toFixed(3)}** | ${a.sensitivity.toFixed(3)} | ${a['gradient-x-input'].toFixed(3)} |`);
  });
  out();
}

/**
 * Table 5 (`--clustering-side`): writes each corpus's default document vectors (seeds 1-3) to a
 * temporary folder and runs bench/text_clustering_side.py on them.
 */
export async function clusteringSideSection(out: (s?: string) => void, python: string): Promise<void> {
  const list = corpora();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-text-vectors-'));
  try {
    for (const c of list) {
      for (const seed of [1, 2, 3]) {
        const ds = (await loadDataset({ kind: 'jsonl', path: c.file }, { ...DEFAULT_SETTINGS, seed, labelColumn: 'category' })) as TextDataset;
        const { rows, cols, data } = ds.features;
        fs.writeFileSync(path.join(dir, `${c.name}-${seed}.f64`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        fs.writeFileSync(path.join(dir, `${c.name}-${seed}.json`), JSON.stringify({ rows, cols, labels: ds.labels, k: c.classes }));
      }
    }
    out('### Clustering side: the default document vectors, k = classes, seeds 1-3 (scikit-learn)');
    out();
    out(`| method | ${list.map((c) => `${c.name} NMI (per seed) / purity`).join(' | ')} | mean NMI |`);
    out(`|---|${list.map(() => '---').join('|')}|---|`);
    const script = path.join(REPO, 'bench', 'text_clustering_side.py');
    const r = spawnSync(python, [script, dir, list.map((c) => c.name).join(',')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    if (r.status !== 0) throw new Error(`text_clustering_side.py failed: ${r.stderr}`);
    for (const line of r.stdout.split('\n')) if (line.startsWith('|')) out(line);
    out();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench section (bench/index.ts SECTIONS). */
export const textQualityBench = (ctx: { quick: boolean; python?: string; out: (s?: string) => void }): Promise<void> => textQualitySection(ctx.out, ctx.quick, ctx.python);

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const lines: string[] = [];
  const out = (s = ''): void => {
    lines.push(s);
    console.log(s);
  };
  const py = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0);
  const clusteringSide = process.argv.includes('--clustering-side');
  if (clusteringSide && !py) throw new Error('--clustering-side needs python3 with scikit-learn (apt: python3-sklearn)');
  const run = clusteringSide ? clusteringSideSection(out, py as string) : textQualitySection(out, quick, py, process.argv.includes('--skip-candidates'));
  run
    .then(async () => {
      const dir = path.join(REPO, 'bench-results');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, clusteringSide ? 'text-clustering-side.md' : 'text-quality.md'), lines.join('\n') + '\n');
      await computePool().close();
    })
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    });
}
