/**
 * The shipped general-English word vectors (media/word-vectors/, scripts/build-word-vectors.mjs)
 * and their use in the default text features (data/textDataset.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { loadDataset } from '../../../src/engine/data';
import { GENERAL_VECTORS_FILE, generalRow, generalVectorsPath, loadGeneralVectors, parseGeneralVectors, type GeneralVectors } from '../../../src/engine/data/generalVectors';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import type { TextDataset } from '../../../src/engine/types';
import { REPO_ROOT } from '../helpers/sharedData';
import { tempDir, writeFile } from './fixturePaths';

function vector(g: GeneralVectors, word: string): Float64Array {
  const i = g.index.get(word);
  assert.ok(i !== undefined, `"${word}" has a general vector`);
  const out = new Float64Array(g.dim);
  generalRow(g, i, out, 0);
  return out;
}

const cosine = (a: Float64Array, b: Float64Array): number => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j] * b[j];
    aa += a[j] * a[j];
    bb += b[j] * b[j];
  }
  return ab / Math.sqrt(aa * bb);
};

test('the shipped file is found from the compiled module, loads once, and has 40,000 unit-length words of 100 dimensions', () => {
  const file = generalVectorsPath();
  assert.equal(file, path.join(REPO_ROOT, 'media', 'word-vectors', 'debian-english.bin.gz'));
  assert.ok(fs.statSync(file).size < 10 * 1024 * 1024, 'under 10 MB');
  const g = loadGeneralVectors();
  assert.ok(g);
  assert.equal(loadGeneralVectors(), g, 'cached for the process');
  assert.equal(g.dim, 100);
  assert.equal(g.words.length, 40_000);
  assert.equal(g.index.size, 40_000);
  // Rows were written at unit length; int8 quantisation moves the norm by well under 1%.
  for (const w of ['food', 'love', 'law', 'computer', 'sport', 'medicine', 'planet']) {
    const norm = Math.hypot(...vector(g, w));
    assert.ok(Math.abs(norm - 1) < 0.01, `${w}: norm ${norm}`);
  }
});

test('related words are closer than unrelated ones', () => {
  const g = loadGeneralVectors() as GeneralVectors;
  const pairs: [string, string, string][] = [
    ['wife', 'husband', 'compiler'],
    ['food', 'meat', 'kernel'],
    ['court', 'judge', 'melody'],
    ['music', 'melody', 'court'],
    ['doctor', 'patient', 'keyboard'],
    ['font', 'glyph', 'husband'],
  ];
  for (const [a, related, unrelated] of pairs) {
    const near = cosine(vector(g, a), vector(g, related));
    const far = cosine(vector(g, a), vector(g, unrelated));
    assert.ok(near > far + 0.2, `${a}: ${related} ${near.toFixed(3)} vs ${unrelated} ${far.toFixed(3)}`);
  }
});

test('a damaged file fails with a DataError naming it', () => {
  const good = fs.readFileSync(generalVectorsPath() as string);
  const raw = zlib.gunzipSync(good);
  assert.throws(() => parseGeneralVectors(zlib.gzipSync(raw.subarray(0, raw.length - 7)), 'cut.bin.gz'), /cut\.bin\.gz: word-vector file has \d+ bytes, expected \d+/);
  assert.throws(() => parseGeneralVectors(zlib.gzipSync(Buffer.from('{"format":"other"}\nx\n')), 'other.bin.gz'), /other\.bin\.gz: not a word-vector file \(header\)/);
});

const SMALL = path.join(REPO_ROOT, 'test', 'fixtures', 'text-corpora', 'small-labelled.jsonl');

test('default text features join the corpus vectors with the general ones; a fixed NMI on a small labelled corpus', async () => {
  const settings = { ...DEFAULT_SETTINGS, k: 4, seed: 1, labelColumn: 'category', flippingSample: 0 };
  const joined = await runPipeline({ kind: 'jsonl', path: SMALL }, settings);
  const ds = joined.state.dataset as TextDataset;
  assert.equal(ds.preprocessing.vectorSource, 'ppmi-svd+debian-english');
  assert.ok(ds.notes.some((n) => /joined with the shipped general-English vector of the word \(100 dimensions; \d+% of the tokens have one\)/.test(n)));
  const own = await runPipeline({ kind: 'jsonl', path: SMALL }, { ...settings, generalVectors: false });
  assert.equal((own.state.dataset as TextDataset).preprocessing.vectorSource, 'ppmi-svd');
  // 200 one-line package descriptions of four sections (fonts, games, mail, math); seed 1.
  // Square-root IDF token weights (textDataset.ts tokenWeights); with the full IDF these were
  // 0.7103 and 0.5723. Four power iterations in the corpus SVD (wordVectors.ts
  // DEFAULT_POWER_ITERATIONS); with one they were 0.7340 and 0.6055, and 0.7108 joined with the
  // general vectors built with one (one seed of a small corpus: the comparison over seeds and
  // corpora is in README "Text clustering quality"). Words seen once join through their
  // general vector at half weight (data/rareWordRows.ts; trial s19 D1): 0.6987 before (seeds
  // 1-8: mean 0.704 before, 0.710 now).
  assert.equal(joined.result.quality.nmi?.toFixed(4), '0.7113');
  assert.equal(own.result.quality.nmi?.toFixed(4), '0.6127', 'the corpus vectors alone');
  // The explanation stays exact: token relevances add up to each document's evidence.
  const { docStart } = ds.tokens;
  for (let d = 0; d < ds.documents.length; d++) {
    if (docStart[d + 1] === docStart[d]) continue;
    let s = 0;
    for (let t = docStart[d]; t < docStart[d + 1]; t++) s += joined.result.tokenRelevance[t];
    assert.ok(Math.abs(s - joined.result.evidence[d]) < 1e-5 * (1 + Math.abs(joined.result.evidence[d])), `document ${d}`);
  }
});

test('a corpus that is not English keeps its own vectors and says why', async () => {
  const dir = tempDir('general-vectors');
  const lines = [
    'Der Hund läuft schnell über die Wiese und bellt laut',
    'Die Katze schläft gern auf dem warmen Sofa im Wohnzimmer',
    'Der Hund und die Katze spielen zusammen auf der Wiese',
    'Im Wohnzimmer steht ein warmes Sofa für die Katze',
    'Schnell bellt der Hund, die Katze schläft weiter',
  ];
  const p = writeFile(dir, 'deutsch.jsonl', lines.map((text) => JSON.stringify({ text })).join('\n'));
  const ds = (await loadDataset({ kind: 'jsonl', path: p }, { ...DEFAULT_SETTINGS, stopWords: 'de' })) as TextDataset;
  assert.equal(ds.preprocessing.vectorSource, 'ppmi-svd');
  assert.ok(ds.notes.some((n) => /only \d+% of the tokens have a general-English vector \(not English\?\)/.test(n)), ds.notes.join('\n'));
});

// review6 F5: a CLI copied without media/ next to it told an English corpus "only 0% of the
// tokens have a general-English vector (not English?)". The compiled CLI and engine run from a
// folder without media/ (node_modules linked) must say the vectors were not found, and where.
test('vectors not shipped next to the CLI: a note naming where they were looked for, not the language', () => {
  const built = path.resolve(__dirname, '..', '..', '..', 'src');
  const copy = tempDir('no-vectors');
  for (const part of ['cli', 'engine']) fs.cpSync(path.join(built, part), path.join(copy, 'src', part), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'junction');
  const corpus = path.join(REPO_ROOT, 'test', 'fixtures', 'text-corpora', 'small-labelled.jsonl');
  const run = (main: string) => spawnSync(process.execPath, [main, 'fit', '-k', '3', '--out', path.join(copy, 'm.json'), corpus], { encoding: 'utf8', timeout: 120_000 });
  const copied = run(path.join(copy, 'src', 'cli', 'main.js'));
  assert.equal(copied.status, 0, copied.stderr);
  const where = path.join(copy, 'src', 'engine', 'data');
  assert.ok(
    copied.stderr.includes(`: the general-English vectors were not found (media/word-vectors/${GENERAL_VECTORS_FILE} in ${where} or up to 5 folders above it), so the corpus words alone are used.`),
    copied.stderr,
  );
  assert.ok(!/not English/.test(copied.stderr), copied.stderr);
  // The same corpus with the vectors where they belong: joined, 9x% of the tokens covered.
  const shipped = run(path.join(built, 'cli', 'main.js'));
  assert.equal(shipped.status, 0, shipped.stderr);
  assert.match(shipped.stderr, /each joined with the shipped general-English vector of the word \(\d+ dimensions; \d+% of the tokens have one\)/);
});
