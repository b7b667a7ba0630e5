#!/usr/bin/env node
/**
 * Builds the shipped general-English word vectors (media/word-vectors/debian-english.bin.gz)
 * from the English text a Debian machine has: the manual pages under /usr/share/man/man[1-8]
 * (roff source, markup stripped), the README / NEWS / changelog / *.txt / *.md files under
 * /usr/share/doc, and the one-line package descriptions of `apt-cache dumpavail`. The same
 * tokens as the pipeline (data/tokenize.ts: letters only, at least 3, English stop words
 * removed) and the same PPMI-SVD as data/wordVectors.ts (window WINDOW, context smoothing 0.75,
 * eigenvalue weighting 0.5), for the VOCABULARY most frequent words occurring at least
 * MIN_COUNT times. Besides the technical text, general English from two dictionaries (apt:
 * dict-gcide, wordnet-base): the GCIDE (Webster's 1913 with additions), one document per
 * paragraph, and WordNet's synsets (lemmas + gloss). Each vector is scaled to unit length and
 * quantised to int8 (one float32 scale per word). data/generalVectors.ts reads the file;
 * data/textDataset.ts joins these vectors to the corpus's own PPMI-SVD vectors (README, "Text
 * clustering quality").
 *
 * No overlap with the evaluation corpora (bench/text-quality.ts): every file of the Debian
 * packages that label test/fixtures/text-corpora/man-pages.jsonl is left out (`dpkg -L`), and
 * so are all package descriptions of the eight archive sections of debian-packages.jsonl.
 * fortunes.jsonl is not on this machine in any form (no fortune database is installed).
 *
 * Which packages are installed changes the text, so the result is committed (built on
 * 2026-11-30: 17,762 man pages, 1,822 doc files, 55,465 descriptions, 252,774 GCIDE
 * paragraphs, 117,659 synsets; 15.0 M tokens; 3.8 MB; rebuilt the same day with the SVD's four
 * power iterations, data/wordVectors.ts DEFAULT_POWER_ITERATIONS: 138 s for the SVD, 2 min 47 s
 * in all on a busy machine). Rebuild with
 * `sudo apt-get install dict-gcide wordnet-base && npm run compile-tests && node scripts/build-word-vectors.mjs [--out FILE] [--dim N]`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '..');
const { forEachToken } = require(path.join(ROOT, 'out/src/engine/data/tokenize.js'));
const { stopWordSet } = require(path.join(ROOT, 'out/src/engine/data/stopWords.js'));
const { ppmiSvdWordVectors } = require(path.join(ROOT, 'out/src/engine/data/wordVectors.js'));

const VOCABULARY = 40_000;
const MIN_COUNT = 5;
const WINDOW = 10;
const SEED = 1;
const MAX_FILE_CHARS = 200_000;
const EVAL_SECTIONS = ['database', 'editors', 'fonts', 'games', 'graphics', 'mail', 'math', 'sound'];

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const dimIndex = args.indexOf('--dim');
/** 100; `--dim 200` measured no better (README "Text clustering quality") at twice the file size. */
const DIM = dimIndex >= 0 ? Number(args[dimIndex + 1]) : 100;
const outFile = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(ROOT, 'media', 'word-vectors', 'debian-english.bin.gz'));

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

/** Files of the packages that label the man-page evaluation corpus. */
function excludedFiles() {
  const corpus = path.join(ROOT, 'test', 'fixtures', 'text-corpora', 'man-pages.jsonl');
  const packages = [...new Set(fs.readFileSync(corpus, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).category))];
  const files = new Set();
  for (const p of packages) for (const f of run('dpkg', ['-L', p]).stdout.split('\n')) if (f) files.add(f);
  return { packages, files };
}

function readMaybeGz(file) {
  const buf = fs.readFileSync(file);
  const raw = file.endsWith('.gz') ? zlib.gunzipSync(buf) : buf;
  return raw.toString('utf8');
}

const SKIP_REQUESTS = new Set(['de', 'ds', 'nr', 'if', 'ie', 'el', 'so', 'ig', 'tr', 'char', 'am', 'rm', 'rn', 'als', 'TH', 'Dd', 'Dt', 'Os', 'ft', 'ps', 'vs', 'ne', 'in', 'ti', 'ta', 'na', 'ad', 'hy', 'nh', 'mso', 'do', 'cc', 'ec', 'eo']);

/** Plain words of a roff/mdoc page: comments and definitions dropped, escapes removed. */
function stripRoff(src) {
  const out = [];
  for (const line of src.split('\n')) {
    if (/^['.]\s*\\"/.test(line)) continue;
    let text = line;
    const m = /^[.']\s*(\S*)\s*(.*)$/.exec(line);
    if (m) {
      if (SKIP_REQUESTS.has(m[1])) continue;
      text = m[2];
    }
    text = text
      .replace(/\\f(\[[^\]]*\]|\(..|.)/g, '')
      .replace(/\\\*(\[[^\]]*\]|\(..|.)/g, ' ')
      .replace(/\\\((..)/g, ' ')
      .replace(/\\\[[^\]]*\]/g, ' ')
      .replace(/\\[sn][+-]?(\(..|\[[^\]]*\]|\d+)/g, '')
      .replace(/\\-/g, '-')
      .replace(/\\[&c%:]/g, '')
      .replace(/\\./g, ' ');
    out.push(text);
  }
  return out.join('\n');
}

function* manPages(excluded) {
  for (let s = 1; s <= 8; s++) {
    const dir = `/usr/share/man/man${s}`;
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (excluded.has(file)) continue;
      const st = fs.lstatSync(file);
      if (!st.isFile()) continue;
      const src = readMaybeGz(file);
      if (/^\.so\s/m.test(src.slice(0, 200))) continue;
      yield stripRoff(src).slice(0, MAX_FILE_CHARS);
    }
  }
}

const DOC_FILE = /^(readme|news|changelog|changes|faq|usage|intro)([._-].*)?(\.gz)?$|\.(txt|md|rst)(\.gz)?$/i;

function* docFiles(excludedPackages) {
  const root = '/usr/share/doc';
  const walk = function* (dir, depth) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 3) yield* walk(p, depth + 1);
      else if (e.isFile() && DOC_FILE.test(e.name) && !/changelog\.debian/i.test(e.name)) yield p;
    }
  };
  for (const pkg of fs.readdirSync(root).sort()) {
    if (excludedPackages.includes(pkg)) continue;
    const dir = path.join(root, pkg);
    if (!fs.lstatSync(dir).isDirectory()) continue;
    for (const file of walk(dir, 0)) {
      try {
        yield readMaybeGz(file).slice(0, MAX_FILE_CHARS);
      } catch {
        // unreadable or corrupt: skip
      }
    }
  }
}

function* descriptions() {
  const r = run('apt-cache', ['dumpavail']);
  if (r.status !== 0) return;
  const seen = new Set();
  for (const stanza of r.stdout.split(/\n\n+/)) {
    const section = stanza.match(/^Section: (.*)$/m)?.[1].trim().split('/').pop();
    const description = stanza.match(/^Description: (.*)$/m)?.[1].trim();
    if (!section || !description || EVAL_SECTIONS.includes(section) || seen.has(description)) continue;
    seen.add(description);
    yield description;
  }
}

/**
 * GCIDE (dict-gcide: Webster's 1913 with additions): one document per paragraph, with the
 * bracketed etymologies, source tags ("[1913 Webster]", "[Obs.]") and author names of
 * quotations removed; markup braces and pronunciation backslashes dropped.
 */
function* gcide() {
  const file = '/usr/share/dictd/gcide.dict.dz';
  if (!fs.existsSync(file)) return;
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  for (const para of text.split(/\n\s*\n/)) {
    const clean = para
      .replace(/\[[^\]]*\]/g, ' ')
      .replace(/--\s*[A-Z][\w.]*(\s+[A-Z][\w.]*)*/g, ' ')
      .replace(/\\[^\\]*\\/g, ' ')
      .replace(/[{}]/g, '');
    if (clean.trim()) yield clean;
  }
}

/** WordNet (wordnet-base): one document per synset, its lemmas and its gloss. */
function* wordnet() {
  for (const pos of ['noun', 'verb', 'adj', 'adv']) {
    const file = `/usr/share/wordnet/data.${pos}`;
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (line.startsWith('  ') || !line.includes(' | ')) continue;
      const [head, gloss] = line.split(' | ');
      const f = head.split(' ');
      const count = parseInt(f[3], 16);
      const lemmas = [];
      for (let i = 0; i < count; i++) lemmas.push(f[4 + 2 * i].replace(/_/g, ' ').replace(/\(.*\)$/, ''));
      yield `${lemmas.join(', ')}: ${gloss}`;
    }
  }
}

// 1. Tokens of every source (a document = a file or a description: windows don't cross them).
const stop = stopWordSet('en');
const dictionary = new Map();
const words = [];
const counts = [];
let tokens = new Int32Array(1 << 24);
let tokenCount = 0;
const docEnds = [];
const sourceCounts = {};
function addDocument(text, source) {
  forEachToken(text, 3, stop, (w) => {
    let id = dictionary.get(w);
    if (id === undefined) {
      id = words.length;
      dictionary.set(w, id);
      words.push(w);
      counts.push(0);
    }
    counts[id]++;
    if (tokenCount === tokens.length) {
      const grown = new Int32Array(tokens.length * 2);
      grown.set(tokens);
      tokens = grown;
    }
    tokens[tokenCount++] = id;
  });
  docEnds.push(tokenCount);
  sourceCounts[source] = (sourceCounts[source] ?? 0) + 1;
}
const { packages, files } = excludedFiles();
console.log(`left out (evaluation corpora): ${files.size} files of ${packages.join(', ')}; descriptions of sections ${EVAL_SECTIONS.join(', ')}`);
let before = 0;
for (const t of manPages(files)) addDocument(t, 'man pages');
console.log(`man pages: ${sourceCounts['man pages']} pages, ${tokenCount - before} tokens`);
before = tokenCount;
for (const t of docFiles(packages)) addDocument(t, 'doc files');
console.log(`doc files: ${sourceCounts['doc files']} files, ${tokenCount - before} tokens`);
before = tokenCount;
for (const t of descriptions()) addDocument(t, 'descriptions');
console.log(`package descriptions: ${sourceCounts['descriptions'] ?? 0}, ${tokenCount - before} tokens`);
before = tokenCount;
for (const t of gcide()) addDocument(t, 'gcide');
console.log(`GCIDE paragraphs: ${sourceCounts['gcide'] ?? 0}, ${tokenCount - before} tokens`);
before = tokenCount;
for (const t of wordnet()) addDocument(t, 'wordnet');
console.log(`WordNet synsets: ${sourceCounts['wordnet'] ?? 0}, ${tokenCount - before} tokens`);

// 2. Vocabulary: the most frequent words (ties by spelling), tokens restricted to it.
const order = words.map((_, i) => i).filter((i) => counts[i] >= MIN_COUNT);
order.sort((a, b) => counts[b] - counts[a] || (words[a] < words[b] ? -1 : 1));
const vocabIds = order.slice(0, VOCABULARY);
const newId = new Int32Array(words.length).fill(-1);
vocabIds.forEach((id, v) => (newId[id] = v));
const word = new Int32Array(tokenCount);
const docStart = new Int32Array(docEnds.length + 1);
let k = 0;
let t = 0;
docEnds.forEach((end, d) => {
  for (; t < end; t++) if (newId[tokens[t]] >= 0) word[k++] = newId[tokens[t]];
  docStart[d + 1] = k;
});
const V = vocabIds.length;
console.log(`${tokenCount} tokens, ${words.length} distinct words; vocabulary ${V} (count >= ${MIN_COUNT}), ${k} tokens kept`);

// 3. PPMI-SVD, rows at unit length, int8 with a float32 scale per row.
const t0 = Date.now();
const { vectors, dim } = ppmiSvdWordVectors(word.subarray(0, k), docStart, V, { window: WINDOW, dim: DIM, seed: SEED });
console.log(`PPMI-SVD: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const scales = new Float32Array(V);
const q = new Int8Array(V * dim);
for (let v = 0; v < V; v++) {
  let s = 0;
  for (let j = 0; j < dim; j++) s += vectors[v * dim + j] ** 2;
  const norm = Math.sqrt(s) || 1;
  let max = 0;
  for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(vectors[v * dim + j] / norm));
  const scale = max > 0 ? max / 127 : 1;
  scales[v] = scale;
  for (let j = 0; j < dim; j++) q[v * dim + j] = Math.round(vectors[v * dim + j] / norm / scale);
}
const header = JSON.stringify({ format: 'neon-word-vectors', version: 1, count: V, dim, window: WINDOW, minCount: MIN_COUNT, tokens: k, sources: sourceCounts });
const vocabText = vocabIds.map((id) => words[id]).join('\n');
const parts = [Buffer.from(`${header}\n${vocabText}\n`, 'utf8')];
const headLen = parts[0].length;
const pad = (4 - (headLen % 4)) % 4;
parts.push(Buffer.alloc(pad, 0x20));
parts.push(Buffer.from(scales.buffer), Buffer.from(q.buffer));
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, zlib.gzipSync(Buffer.concat(parts), { level: 9 }));
console.log(`${path.relative(process.cwd(), outFile)}: ${(fs.statSync(outFile).size / 1024 / 1024).toFixed(2)} MiB`);
