/**
 * k = auto for text (issue 11, trial s18 defect D2), fast: for each labelled corpus and seed,
 * what the pipeline does before explaining — the text features with the defaults, chooseK
 * with the text criterion (cluster/suggestK.ts), the final k-means at the chosen k
 * (fitClusterModel, 10 restarts) — and the NMI of that fit against the labels. Prints one
 * Markdown row per corpus and seed (chosen k, NMI, every k's score) and a summary per corpus.
 *
 *   node out/bench/text-k-auto.js [--seeds 42,1,2,3] [--corpora notes,tickets,...] [--tickets FILE]
 *
 * Corpora: samples/notes (4 topics x 9 notes; the label is the file name's topic), the e2e
 * workspace's notes (3 topics x 5), a support-tickets JSONL (`--tickets`, field `topic`; skipped
 * without it), fortunes.jsonl (NEON_SHARED_DATA or ../shared/data; skipped when absent) and the
 * two Debian corpora of test/fixtures/text-corpora. Run on main's engine for the "before" column.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../src/engine/data/loadDataset';
import { nmi } from '../src/engine/evaluate/metrics';
import { computePool } from '../src/engine/parallel/pool';
import { chooseK, fitClusterModel } from '../src/engine/pipeline/fitModel';
import { fittingRows } from '../src/engine/pipeline/wordless';
import { DEFAULT_SETTINGS, type DataSource } from '../src/engine/pipelineTypes';

const REPO = path.resolve(__dirname, '..', '..');
const SHARED = process.env.NEON_SHARED_DATA ?? path.resolve(REPO, '..', 'shared', 'data');

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Corpus {
  readonly name: string;
  readonly source: DataSource;
  /** JSONL label field; absent: the file name's topic (`cooking-03.txt` -> cooking). */
  readonly label?: string;
  readonly classes: number;
}

function corpora(tickets: string | undefined): Corpus[] {
  const fixtures = path.join(REPO, 'test', 'fixtures');
  const list: Corpus[] = [
    { name: 'samples/notes', source: { kind: 'text-folder', path: path.join(REPO, 'samples', 'notes') }, classes: 4 },
    { name: 'e2e notes', source: { kind: 'text-folder', path: path.join(fixtures, 'e2e-workspace', 'notes') }, classes: 3 },
    { name: 'short topics jsonl', source: { kind: 'jsonl', path: path.join(fixtures, 'trial5', 'short-topics.jsonl') }, label: 'topic', classes: 4 },
    { name: 'short topics folder', source: { kind: 'text-folder', path: path.join(fixtures, 'trial5', 'short-topics') }, classes: 4 },
  ];
  if (tickets) list.push({ name: 'tickets', source: { kind: 'jsonl', path: tickets }, label: 'topic', classes: 4 });
  const fortunes = path.join(SHARED, 'fortunes.jsonl');
  if (fs.existsSync(fortunes)) list.push({ name: 'fortunes', source: { kind: 'jsonl', path: fortunes }, label: 'category', classes: 8 });
  list.push({ name: 'Debian packages', source: { kind: 'jsonl', path: path.join(fixtures, 'text-corpora', 'debian-packages.jsonl') }, label: 'category', classes: 8 });
  list.push({ name: 'man pages', source: { kind: 'jsonl', path: path.join(fixtures, 'text-corpora', 'man-pages.jsonl') }, label: 'category', classes: 11 });
  return list;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log('node out/bench/text-k-auto.js [--seeds 42,1,2,3] [--corpora NAME,...] [--tickets FILE]');
    return;
  }
  const seeds = (argument('--seeds') ?? '42,1,2,3').split(',').map(Number);
  const only = argument('--corpora')?.split(',');
  const tickets = argument('--tickets');
  if (tickets && !fs.existsSync(tickets)) throw new Error(`--tickets ${tickets}: no such file`);
  console.log('| corpus | classes | seed | chosen k | NMI | purity | no usable words | score by k |');
  console.log('|---|---|---|---|---|---|---|---|');
  const summary: string[] = [];
  for (const c of corpora(tickets)) {
    if (only && !only.some((o) => c.name.toLowerCase().includes(o.toLowerCase()))) continue;
    const ks: number[] = [];
    const nmis: number[] = [];
    for (const seed of seeds) {
      const settings = { ...DEFAULT_SETTINGS, seed, ...(c.label ? { labelColumn: c.label } : {}) };
      const ds = await loadDataset(c.source, settings);
      if (ds.kind !== 'text') throw new Error(`${c.name}: not read as text`);
      const truth = c.label ? (ds.labels ?? []) : ds.documents.map((d) => d.name.replace(/[-_]\d+\.txt$/, ''));
      const fitting = fittingRows(ds);
      const chosen = await chooseK(fitting.X, settings, undefined, { criterion: 'stability' });
      const fit = await fitClusterModel(fitting.X, chosen.k, settings);
      const assigned = fitting.spread(fit.labels);
      const kept = [...assigned.keys()].filter((i) => assigned[i] >= 0);
      const value = nmi(
        kept.map((i) => truth[i]),
        Int32Array.from(kept, (i) => assigned[i]),
      );
      // Purity over every document: one without usable words counts as misplaced.
      const byCluster = new Map<number, Map<string, number>>();
      kept.forEach((i) => {
        const m = byCluster.get(assigned[i]) ?? new Map<string, number>();
        m.set(truth[i], (m.get(truth[i]) ?? 0) + 1);
        byCluster.set(assigned[i], m);
      });
      const pure = [...byCluster.values()].reduce((s, m) => s + Math.max(...m.values()), 0) / truth.length;
      ks.push(chosen.k);
      nmis.push(value);
      // Main's engine has no `score` (its criterion was the stability sum): print what chose.
      const scores = chosen.suggestion?.scores.map((s) => `${s.k}: ${((s as { score?: number }).score ?? s.stabilityScore ?? Number.NaN).toFixed(3)}`).join(', ') ?? '';
      console.log(`| ${c.name} | ${c.classes} | ${seed} | ${chosen.k} | ${value.toFixed(3)} | ${pure.toFixed(3)} | ${truth.length - kept.length} | ${scores} |`);
    }
    const mean = nmis.reduce((a, b) => a + b, 0) / nmis.length;
    summary.push(`${c.name}: k ${ks.join(', ')}; NMI ${nmis.map((v) => v.toFixed(3)).join(', ')} (mean ${mean.toFixed(3)})`);
  }
  console.log('');
  for (const line of summary) console.log(line);
  await computePool().close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
