/**
 * `npm run bench`: every speed / memory target of issue 9 is checked here against a peer
 * measured in the same run on the same data and seeds, and reported as a ratio. Nothing here
 * is a unit test: the numbers are printed and saved to bench-results/bench.md for the README.
 * `--quick` uses small sizes (a smoke run of the harness itself). `--only whole-job,every-row`
 * runs the named sections alone (names in SECTION_NAMES; results to bench-results/bench-<names>.md).
 *
 * Sections (targets in brackets):
 *  1. Whole job on the generated 1,000,000-row CSV vs pandas + scikit-learn [time ≤ 1.0×, peak RSS ≤ 1.0×]
 *  2. k-means with the same initial centroids and tol vs scikit-learn Lloyd and Elkan, both on
 *     every core, on overlapping clusters, well-separated blobs and real data [per iteration ≤ 1.0×, inertia to 1e-9]
 *  3. Explaining every row vs one assignment pass, same threads [≤ 2.5×]
 *  4. Extension-host event-loop delay during a 1,000,000-row job (worker vs main thread)
 * Other benches may register a section in SECTIONS (e.g. the table reader's reading bench).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computePool } from '../src/engine/parallel/pool';
import { toSharedMatrix } from '../src/engine/parallel/shared';
import { makeBlobs } from './blobs';
import { benchExplain } from './explainBench';
import { faithfulnessSection } from './faithfulness';
import { cancelLatencyInWorker, lagInWorker, lagOnMainThread, tempCsvPath, writeBigCsv, type LagRow } from './hostLag';
import { findSklearnPython, kmeansSection } from './kmeansBench';
import { writeMillionRowCsv } from './millionRowCsv';
import { readingSection } from './readBench';
import { everyRowSection } from './everyRowBench';
import { streamExplainSection } from './streamExplainBench';
import { textQualityBench } from './text-quality';

/** k of the issue's whole-job measurement (the generator's 12 clusters). */
const MILLION_ROWS_K = 12;

const quick = process.argv.includes('--quick');
/** `--only a,b`: run just these sections (undefined: all). */
const only = ((): Set<string> | undefined => {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? new Set((process.argv[i + 1] ?? '').split(',').filter(Boolean)) : undefined;
})();
const REPO = path.resolve(__dirname, '..', '..');
const lines: string[] = [];
const out = (s = ''): void => {
  lines.push(s);
  console.log(s);
};
const f1 = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const s1 = (ms: number): string => (ms / 1000).toFixed(1);
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/** A bench section: prints its markdown through `out`. */
export type BenchSection = (ctx: { quick: boolean; python?: string; out: (s?: string) => void }) => Promise<void>;

interface OursWholeJob {
  ms: number;
  timings: Record<string, number>;
  rows: number;
  k: number;
  threads: number;
  maxRssBytes: number;
}
interface PythonWholeJob {
  read_s: number;
  prepare_s: number;
  fit_s: number;
  total_s: number;
  max_rss_bytes: number;
  inertia: number;
  iterations: number;
  version: string;
  pandas: string;
}

function runJson<T>(cmd: string, args: string[]): T {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as T;
}

async function wholeJobSection(python: string | undefined): Promise<void> {
  const rows = quick ? 50_000 : 1_000_000;
  const k = MILLION_ROWS_K;
  out(`## 1. Whole job on a generated ${rows.toLocaleString('en')}-row CSV (16 numeric + id + 4-value category, overlapping clusters, k = ${k}, 10 starts)`);
  out();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-whole-'));
  const csv = path.join(dir, 'million.csv');
  try {
    writeMillionRowCsv(csv, { rows });
    const size = fs.statSync(csv).size;
    // Each job in its own process, so its peak RSS is its own.
    const ours = runJson<OursWholeJob>(process.execPath, [path.join(__dirname, 'wholeJobChild.js'), csv, String(k)]);
    const t = ours.timings;
    const explainEtc = ['neuralizing', 'explaining', 'summarising', 'quality', 'projection'].reduce((s, key) => s + (t[key] ?? 0), 0);
    out(`File: ${mb(size)} MB. Ours: the pipeline \`neon-cluster fit FILE --k ${k}\` runs (read → fit → explain every row → summaries → quality → map), ${ours.threads} compute threads. Peer: \`pandas.read_csv\` → drop \`id\` → \`get_dummies\` → \`StandardScaler\` → \`KMeans(${k}, n_init=10)\`.`);
    out();
    out('| step | neon (ours) | pandas + scikit-learn | peer / ours |');
    out('|---|---|---|---|');
    if (!python) {
      out(`| read | ${s1(t.loading ?? 0)} s | skipped: no /usr/bin/python3 with pandas + scikit-learn | |`);
      out(`| k-means, 10 starts | ${s1(t.fitting ?? 0)} s | | |`);
      out(`| explain every row, summaries, quality, map | ${s1(explainEtc)} s | (none) | |`);
      out(`| whole job | ${s1(ours.ms)} s | | |`);
      out(`| peak RSS | ${mb(ours.maxRssBytes)} MB | | |`);
    } else {
      const py = runJson<PythonWholeJob>(python, [path.join(REPO, 'bench', 'sklearn_pipeline.py'), csv, String(k)]);
      out(`| read (+ features) | ${s1(t.loading ?? 0)} s | ${(py.read_s + py.prepare_s).toFixed(1)} s (read ${py.read_s.toFixed(1)}, dummies + scaler ${py.prepare_s.toFixed(1)}) | ${ratio((py.read_s + py.prepare_s) * 1000, t.loading ?? 1)} |`);
      out(`| k-means, 10 starts | ${s1(t.fitting ?? 0)} s | ${py.fit_s.toFixed(1)} s (${py.iterations} iterations in the kept start) | ${ratio(py.fit_s * 1000, t.fitting ?? 1)} |`);
      out(`| explain every row, summaries, quality, map | ${s1(explainEtc)} s | (none) | |`);
      out(`| **whole job** | **${s1(ours.ms)} s** | **${py.total_s.toFixed(1)} s** | **${ratio(py.total_s * 1000, ours.ms)}** |`);
      out(`| **peak RSS** | **${mb(ours.maxRssBytes)} MB** | **${mb(py.max_rss_bytes)} MB** | **${ratio(py.max_rss_bytes, ours.maxRssBytes)}** |`);
      out();
      out(`Peer versions: scikit-learn ${py.version}, pandas ${py.pandas}. Targets (issue 9 #1, #5): peer / ours ≥ 1.00× for the whole job and for peak RSS.`);
    }
    out();
    out(`Our stage times (ms): ${Object.entries(t).map(([key, v]) => `${key} ${v.toFixed(0)}`).join(', ')}.`);
    out();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function explainSection(): Promise<void> {
  const n = quick ? 20_000 : 1_000_000;
  out(`## 3. Explaining every row vs one assignment pass (${n.toLocaleString('en')} × 20, K = 12, overlapping clusters, β auto)`);
  out();
  out('Explaining = what the pipeline\'s explain stage does: NEON for every row, relevance summed per column and stored (Float64), conservation tracked. Assignment = nearest centroid of every row. Same threads for both, X in shared memory as in the pipeline; best of 3.');
  out();
  out('| first-layer rule | threads | assignment pass ms | explain every row ms | explain / assignment | assignment into fresh memory ms | explain / that | conservation gap |');
  out('|---|---|---|---|---|---|---|---|');
  // X on shared memory, as the pipeline's features are: otherwise every threaded pass starts
  // with a copy of X into a fresh SharedArrayBuffer (the copy alone costs 1.5 assignment passes).
  for (const r of await benchExplain(toSharedMatrix(makeBlobs(n, 20, 12, 7, 1).X), 12)) {
    const name = r.rule !== 'reference' ? r.rule : r.pooling === 'min-takes-most' ? 'reference (data mean), min-takes-most pooling' : 'reference (data mean), path pooling; default';
    out(`| ${name} | ${r.threads} | ${f1(r.assignMs)} | ${f1(r.explainMs)} | ${ratio(r.explainMs, r.assignMs)} | ${f1(r.assignFreshMs)} | ${ratio(r.explainMs, r.assignFreshMs)} | ${r.conservationGap.toExponential(1)} |`);
  }
  out();
  out('Target (issue 9 #4): explain / assignment ≤ 2.50×. The assignment pass reuses its output arrays; explaining writes N × U Float64 relevances (plus cluster, evidence, probability) into fresh memory, whose first touch (page faults) is part of its time. "Assignment into fresh memory" allocates its outputs each time too, for a like-for-like comparison (the target is stated against the first).');
  out();
}

async function lagSection(): Promise<void> {
  const rows = quick ? 20_000 : 1_000_000;
  out(`## 4. Extension-host event-loop delay during a ${rows.toLocaleString('en')}-row job (8 numeric columns, K = 8, load + fit + explain)`);
  out();
  const workerFile = path.join(REPO, 'dist', 'worker.js');
  if (!fs.existsSync(workerFile)) throw new Error('dist/worker.js missing: run `npm run build` first');
  const csv = tempCsvPath();
  writeBigCsv(rows, csv);
  try {
    const w: LagRow = await lagInWorker(csv, rows, workerFile);
    const m: LagRow = await lagOnMainThread(csv, rows);
    out('| mode | job s | loop delay p50 ms | p99 ms | max ms |');
    out('|---|---|---|---|---|');
    for (const r of [w, m]) out(`| ${r.mode} | ${(r.jobMs / 1000).toFixed(1)} | ${f1(r.p50Ms)} | ${f1(r.p99Ms)} | ${f1(r.maxMs)} |`);
    out();
    out(`Max delay, main thread / worker: ${ratio(m.maxMs, w.maxMs)} (the worker keeps the host responsive; the peer shows what it would cost without it).`);
    out();
    out('Cancel latency in the engine worker (Cancel posted at the first progress report of a stage → the \'cancelled\' error back):');
    out();
    out('| stage | cancel ms |');
    out('|---|---|');
    for (const r of await cancelLatencyInWorker(csv, workerFile)) out(`| ${r.stage} | ${f1(r.cancelMs)} |`);
    out();
  } finally {
    fs.rmSync(path.dirname(csv), { recursive: true, force: true });
  }
}

/** Sections other areas register (one line each), run after the built-in ones. */
export const SECTIONS: { readonly name: string; readonly run: BenchSection }[] = [
  { name: 'text-quality', run: textQualityBench },
  { name: 'stream-explain', run: async ({ quick, python, out }) => streamExplainSection(out, REPO, python, quick) },
  { name: 'every-row', run: async ({ quick, out }) => everyRowSection(out, REPO, quick) },
  { name: 'faithfulness', run: async ({ quick, out }) => void (await faithfulnessSection(out, { quick })) },
];

/** Every section name `--only` accepts, in the order `npm run bench` runs them. */
export const SECTION_NAMES = ['reading', 'whole-job', 'kmeans', 'explain', 'lag', ...SECTIONS.map((s) => s.name)];

async function main(): Promise<void> {
  const python = findSklearnPython();
  const load = os.loadavg()[0];
  out(`# NEON Cluster Explorer benchmarks (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} cores, load average ${load.toFixed(1)} at start${quick ? ', --quick' : ''})`);
  out();
  if (load > os.cpus().length) out(`Caveat: the machine was busy (load average ${load.toFixed(1)} on ${os.cpus().length} cores): times are noisy; ratios from the same run are more robust than absolute times.\n`);
  const unknown = [...(only ?? [])].filter((name) => !SECTION_NAMES.includes(name));
  if (unknown.length) throw new Error(`--only: unknown section(s) ${unknown.join(', ')}; known: ${SECTION_NAMES.join(', ')}`);
  const wanted = (name: string): boolean => !only || only.has(name);
  if (wanted('reading')) readingSection(out, quick);
  if (wanted('whole-job')) await wholeJobSection(python);
  if (wanted('kmeans')) await kmeansSection(out, REPO, python, quick);
  if (wanted('explain')) await explainSection();
  if (wanted('lag')) await lagSection();
  for (const section of SECTIONS) if (wanted(section.name)) await section.run({ quick, python, out });
  const dir = path.join(REPO, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = `bench${only ? `-${[...only].join('-')}` : ''}${quick ? '-quick' : ''}.md`;
  fs.writeFileSync(path.join(dir, file), lines.join('\n') + '\n');
  console.log(`\nSaved to bench-results/${file}`);
  await computePool().close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
