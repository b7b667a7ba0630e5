/**
 * The text defaults over many seeds, fast (issue 11): for each of the three labelled corpora of
 * bench/text-quality.ts, the pipeline's text features (loadCorpus + buildTextDataset with the
 * defaults) and its k-means (k = classes, 10 restarts, 300 iterations), NMI / purity / the
 * largest cluster of purity < 0.4 against the labels; mean NMI over the corpora. No stability,
 * labels or explanations, so six seeds of all three corpora take ~10-20 s (text-quality.ts runs
 * the whole pipeline). Options compare one feature setting against the defaults in the same run:
 *
 *   node out/bench/text-seeds.js [--seeds 1,2,3,4,5,6] [--power-iterations N] [--word-dim N] [--min-count N] [--max-vocabulary N] [--corpora fortunes,...]
 *
 * `--power-iterations` sets the corpus PPMI-SVD's power iterations (data/wordVectors.ts),
 * `--word-dim` its dimension (textDataset.ts, 100 by default), `--min-count` and
 * `--max-vocabulary` the corpus words (textDataset.ts, 2 and 5,000; rarer words the
 * general-English vectors know join through them either way).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fitKMeans } from '../src/engine/cluster/kmeans';
import { loadCorpus } from '../src/engine/data/loadDataset';
import { buildTextDataset, DEFAULT_MIN_WORD_LENGTH } from '../src/engine/data/textDataset';
import { nmi, purity } from '../src/engine/evaluate/metrics';
import { computePool } from '../src/engine/parallel/pool';
import { DEFAULT_SETTINGS } from '../src/engine/pipelineTypes';
import { largestMixedShare } from './text-quality';

const REPO = path.resolve(__dirname, '..', '..');
const SHARED = process.env.NEON_SHARED_DATA ?? path.resolve(REPO, '..', 'shared', 'data');

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const seeds = (argument('--seeds') ?? '1,2,3,4,5,6').split(',').map(Number);
  const power = argument('--power-iterations');
  const wordDim = argument('--word-dim');
  const minCount = argument('--min-count');
  const maxVocabulary = argument('--max-vocabulary');
  const only = argument('--corpora')?.split(',');
  const fixtures = path.join(REPO, 'test', 'fixtures', 'text-corpora');
  const list = [
    { name: 'fortunes', file: path.join(SHARED, 'fortunes.jsonl'), k: 8 },
    { name: 'debian-packages', file: path.join(fixtures, 'debian-packages.jsonl'), k: 8 },
    { name: 'man-pages', file: path.join(fixtures, 'man-pages.jsonl'), k: 11 },
  ]
    .filter((c) => fs.existsSync(c.file))
    .filter((c) => only === undefined || only.some((o) => c.name.includes(o)));
  const parts: string[] = [];
  let total = 0;
  for (const c of list) {
    const corpus = await loadCorpus({ kind: 'jsonl', path: c.file }, { ...DEFAULT_SETTINGS, labelColumn: 'category' });
    const runs: [number, number, number][] = [];
    for (const seed of seeds) {
      const ds = await buildTextDataset(corpus, c.file, {
        minWordLength: DEFAULT_MIN_WORD_LENGTH,
        stopWords: DEFAULT_SETTINGS.stopWords,
        textDim: DEFAULT_SETTINGS.textDim,
        seed,
        ...(power !== undefined ? { powerIterations: Number(power) } : {}),
        ...(wordDim !== undefined ? { wordDim: Number(wordDim) } : {}),
        ...(minCount !== undefined ? { minCount: Number(minCount) } : {}),
        ...(maxVocabulary !== undefined ? { maxVocabulary: Number(maxVocabulary) } : {}),
      });
      const labels = ds.labels as readonly string[];
      const fit = await fitKMeans(ds.features, { k: c.k, seed, restarts: DEFAULT_SETTINGS.restarts, maxIterations: DEFAULT_SETTINGS.maxIterations, lowerKToDistinct: true });
      runs.push([nmi(labels, fit.labels), purity(labels, fit.labels), largestMixedShare(labels, fit.labels, c.k)]);
    }
    const mean = (i: number): number => runs.reduce((s, r) => s + r[i], 0) / runs.length;
    total += mean(0);
    const worstMixed = Math.max(...runs.map((r) => r[2]));
    parts.push(`${c.name} NMI ${mean(0).toFixed(3)} (${runs.map((r) => r[0].toFixed(3)).join(', ')}) / purity ${mean(1).toFixed(3)} / mixed ${(100 * worstMixed).toFixed(0)}%`);
  }
  const setting = [
    power === undefined ? '' : `power iterations ${power}`,
    wordDim === undefined ? '' : `word dimension ${wordDim}`,
    minCount === undefined ? '' : `minimum count ${minCount}`,
    maxVocabulary === undefined ? '' : `corpus words ${maxVocabulary}`,
  ]
    .filter(Boolean)
    .join(', ');
  console.log(`${setting || 'defaults'}, seeds ${seeds.join(',')} | ${parts.join(' | ')} | mean NMI ${(total / Math.max(1, list.length)).toFixed(3)}`);
  await computePool().close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
