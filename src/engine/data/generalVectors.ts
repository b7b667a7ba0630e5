/**
 * The shipped general-English word vectors (media/word-vectors/debian-english.bin.gz, built
 * by scripts/build-word-vectors.mjs): PPMI-SVD, as data/wordVectors.ts, over ~11.6 million
 * tokens of Debian's manual pages, documentation files and package descriptions; 30,000
 * words × 100 dimensions, each row at unit length, quantised to int8 with one float32 scale per
 * word (2.9 MB gzipped). A corpus of short documents (fortunes, one-line descriptions) gives
 * its own PPMI-SVD too few co-occurrences; these vectors add what the words mean elsewhere.
 *
 * File layout (after gunzip): a JSON header line ({format, version, count, dim, ...}), `count`
 * words one per line, spaces up to a multiple of 4 bytes, `count` float32 scales
 * (little-endian), then count × dim int8 values (row-major). Loaded lazily on the first text
 * fit that uses it and kept for the process; a missing file means no general vectors
 * (the corpus's own vectors alone), never an error.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DataError } from '../errors';
import { predictCorpusHalf } from './rareWordRows';

export const GENERAL_VECTORS_FILE = 'debian-english.bin.gz';
/** The vectors' name in `TextPreprocessing.vectorSource` and notes. */
export const GENERAL_VECTORS_NAME = 'debian-english';

export interface GeneralVectors {
  readonly dim: number;
  readonly words: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Per word: the int8 row times `scale[word]` is its unit-length vector. */
  readonly scale: Float32Array;
  readonly quantised: Int8Array;
  readonly file: string;
}

/** Writes the (dequantised, unit-length) vector of word `w` (an index) into out[offset..offset+dim). */
export function generalRow(g: GeneralVectors, w: number, out: Float64Array, offset: number, factor = 1): void {
  const s = g.scale[w] * factor;
  const o = w * g.dim;
  for (let j = 0; j < g.dim; j++) out[offset + j] = s * g.quantised[o + j];
}

/**
 * Parses the file's bytes (gzipped).
 * @throws DataError when the content is not a word-vector file of the expected layout.
 */
export function parseGeneralVectors(gz: Buffer, file: string): GeneralVectors {
  const raw = zlib.gunzipSync(gz);
  const firstNl = raw.indexOf(10);
  if (firstNl < 0) throw new DataError('not a word-vector file (no header line)', file);
  const header = JSON.parse(raw.subarray(0, firstNl).toString('utf8')) as { format?: string; count?: number; dim?: number };
  const count = header.count ?? -1;
  const dim = header.dim ?? -1;
  if (header.format !== 'neon-word-vectors' || !(count > 0) || !(dim > 0)) throw new DataError('not a word-vector file (header)', file);
  let at = firstNl + 1;
  const words: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const nl = raw.indexOf(10, at);
    if (nl < 0) throw new DataError(`word-vector file truncated in the word list (word ${i + 1} of ${count})`, file);
    words[i] = raw.subarray(at, nl).toString('utf8');
    at = nl + 1;
  }
  at += (4 - (at % 4)) % 4;
  if (raw.length !== at + 4 * count + count * dim) throw new DataError(`word-vector file has ${raw.length} bytes, expected ${at + 4 * count + count * dim}`, file);
  const body = new Uint8Array(raw.buffer, raw.byteOffset, raw.length).slice(at);
  const scale = new Float32Array(body.buffer, 0, count);
  const quantised = new Int8Array(body.buffer, 4 * count, count * dim);
  const index = new Map<string, number>();
  words.forEach((w, i) => {
    if (!index.has(w)) index.set(w, i);
  });
  return { dim, words, index, scale, quantised, file };
}

/**
 * The shipped file's path: media/word-vectors/ of the extension or repository root, found by
 * walking up from this module (dist/ in the bundles, out/src/engine/data/ in the tests).
 */
export function generalVectorsPath(): string | undefined {
  let dir = __dirname;
  for (let up = 0; up < 6; up++) {
    const candidate = path.join(dir, 'media', 'word-vectors', GENERAL_VECTORS_FILE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * Why the shipped vectors are missing, naming where they were looked for: a copied dist/cli.js
 * without media/ next to it gets this instead of being told its English corpus is not English
 * (review6 F5: 0 % coverage was blamed on the language).
 */
export function generalVectorsNotFound(): string {
  return `the general-English vectors were not found (media/word-vectors/${GENERAL_VECTORS_FILE} in ${__dirname} or up to 5 folders above it), so the corpus words alone are used`;
}

let cached: GeneralVectors | null | undefined;

/** The shipped vectors, read once per process; undefined when the file is not there. */
export function loadGeneralVectors(): GeneralVectors | undefined {
  if (cached === undefined) {
    const file = generalVectorsPath();
    cached = file === undefined ? null : parseGeneralVectors(fs.readFileSync(file), file);
  }
  return cached ?? undefined;
}

/**
 * The corpus is combined with the general vectors only when at least this share of its
 * tokens have a general vector: an English corpus has 90-100% (fortunes 94%, the Debian corpora,
 * one-sentence notes); a corpus in another language has few, and English vectors would only add
 * zeros and noise.
 */
export const MIN_GENERAL_COVERAGE = 0.5;

/** Share of a corpus's tokens (`counts[i]` tokens of word `words[i]`) whose word has a general vector. */
export function tokenCoverage(general: GeneralVectors, words: readonly string[], counts: ArrayLike<number>): number {
  let all = 0;
  let known = 0;
  for (let i = 0; i < words.length; i++) {
    all += counts[i];
    if (general.index.has(words[i])) known += counts[i];
  }
  return all > 0 ? known / all : 0;
}

/**
 * Per vocabulary word v, the row [own_v | λ · general_v] (V × (ownDim + general.dim),
 * row-major); general_v = 0 for a word the general vectors don't know. `own` holds the corpus
 * vectors of the first own.length / ownDim words (the corpus words); the later words (rare in
 * the corpus, data/textDataset.ts) get a corpus half predicted from their general half
 * (data/rareWordRows.ts). λ makes the two blocks' mean squared row norms equal over the corpus
 * words that have both, so neither space dominates the document-level PCA (measured: λ × 0.5
 * loses the gain, λ × 2 loses fortunes; README "Text clustering quality"); 1 without such words.
 * Concatenation keeps a document's vector a sum of its words' rows, so NEON's token relevance
 * stays exact.
 */
export function withGeneralVectors(own: Float64Array, ownDim: number, vocabulary: readonly string[], general: GeneralVectors): { vectors: Float64Array; dim: number; lambda: number } {
  const V = vocabulary.length;
  const ownRows = ownDim > 0 ? own.length / ownDim : 0;
  const known = vocabulary.map((w) => general.index.has(w));
  let ownSq = 0;
  let shared = 0;
  for (let v = 0; v < ownRows; v++) {
    if (!known[v]) continue;
    shared++;
    for (let j = 0; j < ownDim; j++) ownSq += own[v * ownDim + j] ** 2;
  }
  // General rows are unit length: λ² = mean ‖own row‖² over the shared words.
  const lambda = ownSq > 0 ? Math.sqrt(ownSq / shared) : 1;
  const dim = ownDim + general.dim;
  const vectors = new Float64Array(V * dim);
  for (let v = 0; v < V; v++) {
    if (v < ownRows) vectors.set(own.subarray(v * ownDim, v * ownDim + ownDim), v * dim);
    const g = general.index.get(vocabulary[v]);
    if (g !== undefined) generalRow(general, g, vectors, v * dim + ownDim, lambda);
  }
  predictCorpusHalf(vectors, dim, ownDim, ownRows, known);
  return { vectors, dim, lambda };
}
