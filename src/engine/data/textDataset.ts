/**
 * Corpus -> TextDataset. Tokens -> vocabulary -> word vectors (PPMI-SVD from the corpus joined
 * with the shipped general-English vectors of data/generalVectors.ts, or a GloVe / word2vec
 * file) -> document vector = mean of its tokens' vectors -> PCA to `textDim`
 * -> scaled to unit length (spherical k-means; data/documentVector.ts).
 *
 * Vocabulary: the corpus words (the 5,000 most frequent words seen at least twice, which get a
 * corpus PPMI-SVD vector) and, for an English corpus, every other word the general-English
 * vectors know, with a corpus half predicted from its general vector and half the token weight
 * (data/rareWordRows.ts). Before (trial s19 D1), 40 one-sentence notes kept 34 words: 76% of
 * the tokens carried nothing and 7 notes had no usable word.
 *
 * Centering and PCA are folded into the word vectors: with m the mean document vector and P
 * the PCA components, row v of `wordVectors` is (w_v - m) P^T. Since a document's mean of
 * (w_t - m) equals mean(w_t) - m, the mean of its tokens' rows is exactly the centred, reduced
 * mean vector, and the unit-length feature is a per-document multiple σ of the sum of the
 * rows: the words -> features path is linear for each document and token relevance is exact.
 *
 * Each token is weighted by the square root of its word's smoothed IDF (folded into the rows,
 * like centering and PCA; the unit length makes the weighted mean's denominator irrelevant).
 *
 * Measured on three labelled corpora (fortunes, Debian package descriptions, man pages;
 * bench/text-quality.ts, README "Text features"): unit length raised purity on all three and
 * shrank the largest low-purity cluster; IDF weights on top raised NMI and purity on the two
 * Debian corpora (fortunes: within the spread over seeds); SIF weights with common-component
 * removal (Arora et al. 2017) and a TF-IDF/LSA space measured worse. Joining the general-English
 * vectors raised the mean NMI over the three corpora from 0.524 to 0.554 (fortunes 0.32 -> 0.38,
 * packages 0.51 -> 0.56 with no catch-all left; man pages 0.75 -> 0.72, targets still met).
 * The square root of the IDF instead of the IDF raised it again, 0.550 -> 0.558 over seeds 1-6
 * (fortunes 0.371 -> 0.388, packages 0.550 -> 0.564, man pages 0.731 -> 0.724).
 */
import path from 'node:path';
import { DataError } from '../errors';
import { throwIfAborted, throttledProgress, yieldToEventLoop } from '../jobs';
import { pca } from '../linalg/pca';
import type { JobHooks, Matrix, Progress, TextDataset, TextPreprocessing, TokenTable } from '../types';
import { readEmbeddings } from './embeddingsFile';
import { GENERAL_VECTORS_NAME, generalVectorsNotFound, loadGeneralVectors, MIN_GENERAL_COVERAGE, tokenCoverage, withGeneralVectors, type GeneralVectors } from './generalVectors';
import { documentVectors, normalizationOf } from './documentVector';
import { nameWithRow } from './documentText';
import { stopWordSet } from './stopWords';
import type { Corpus } from './textSources';
import { forEachToken } from './tokenize';
import { RARE_WORD_WEIGHT } from './rareWordRows';
import { ppmiSvdWordVectors } from './wordVectors';

export interface TextFeatureOptions {
  readonly minWordLength: number;
  readonly stopWords: string;
  /** Reduced dimension (PCA), 50 in the paper; fewer when the corpus is small. */
  readonly textDim: number;
  readonly seed: number;
  /** GloVe / word2vec text file; default: PPMI-SVD vectors built from the corpus. */
  readonly embeddingsFile?: string;
  /**
   * Corpus vectors: cap on the corpus words (most frequent first) and their minimum count. With
   * the general vectors joined, every other word they know joins the vocabulary too.
   */
  readonly maxVocabulary?: number;
  readonly minCount?: number;
  /** Corpus vectors: dimension before the PCA, and the co-occurrence window. */
  readonly wordDim?: number;
  readonly window?: number;
  /** Corpus vectors: power iterations of the SVD (data/wordVectors.ts DEFAULT_POWER_ITERATIONS). */
  readonly powerIterations?: number;
  /**
   * Join each word's corpus vector with its shipped general-English vector
   * (data/generalVectors.ts); default true. Used only for corpora whose tokens are mostly known
   * to the general vectors (English).
   */
  readonly generalVectors?: boolean;
}

export const DEFAULT_MIN_WORD_LENGTH = 3;
const DEFAULT_MAX_VOCABULARY = 5000;
const DEFAULT_MIN_COUNT = 2;
const DEFAULT_WORD_DIM = 100;
/** Measured on fortunes.jsonl (k-means, k = 8, 4 seeds): purity 0.51 (window 2), 0.55-0.60 (5), 0.59-0.61 (10). */
const DEFAULT_WINDOW = 10;

/** Growable Int32 array. */
class Ints {
  data: Int32Array;
  length = 0;
  constructor(capacity = 4096) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

export async function buildTextDataset(corpus: Corpus, source: string, options: TextFeatureOptions, hooks?: JobHooks): Promise<TextDataset> {
  const progress = throttledProgress(hooks);
  const notes = [...corpus.notes];
  const n = corpus.docs.length;
  const stop = stopWordSet(options.stopWords);

  // 1. Tokens of every document, with corpus-wide word ids and file offsets.
  const all = await tokenizeCorpus(corpus, options.minWordLength, stop, hooks, progress);
  const { dictionary, dictWords, dictCounts, tokWord } = all;
  if (tokWord.length === 0) {
    // Naming the field: a JSONL file whose only top-level string was an id failed so with no hint (trial s22 D2).
    const field = corpus.textField !== undefined ? ` in the text field "${corpus.textField}"` : '';
    throw new DataError(`no words found${field} (tokens are words of at least ${options.minWordLength} letters, stop words "${options.stopWords}" removed)`, source);
  }

  // 2. Vocabulary and base vectors.
  let vocabIds: number[];
  let baseVectors: Float64Array;
  let baseDim: number;
  let vectorSource: string;
  const newId = new Int32Array(dictWords.length).fill(-1);
  /** The general-English vectors when they are joined (an English corpus). */
  let joined: GeneralVectors | undefined;
  let coverage = 0;
  let corpusWords = 0;
  const byFrequency = (a: number, b: number): number => dictCounts.data[b] - dictCounts.data[a] || (dictWords[a] < dictWords[b] ? -1 : 1);
  if (options.embeddingsFile !== undefined && options.embeddingsFile !== '') {
    const emb = await readEmbeddings(options.embeddingsFile, dictionary, hooks);
    notes.push(...emb.notes);
    if (emb.ids.length === 0) throw new DataError('none of the corpus words has a vector in the embeddings file', options.embeddingsFile);
    const row = new Map<number, number>();
    emb.ids.forEach((id, k) => row.set(id, k));
    vocabIds = Array.from(emb.ids).sort(byFrequency);
    baseDim = emb.dim;
    baseVectors = new Float64Array(vocabIds.length * baseDim);
    vocabIds.forEach((id, v) => {
      const k = row.get(id) as number;
      baseVectors.set(emb.vectors.subarray(k * baseDim, k * baseDim + baseDim), v * baseDim);
    });
    vectorSource = `glove:${path.basename(options.embeddingsFile)}`;
    vocabIds.forEach((id, v) => (newId[id] = v));
  } else {
    const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
    // Pair keys a * V + b must stay int32 (wordVectors.ts): V <= 46,340.
    const cap = Math.min(options.maxVocabulary ?? DEFAULT_MAX_VOCABULARY, 46_340);
    const candidates: number[] = [];
    for (let id = 0; id < dictWords.length; id++) if (dictCounts.data[id] >= minCount) candidates.push(id);
    vocabIds = candidates.sort(byFrequency).slice(0, cap);
    corpusWords = vocabIds.length;
    const general = options.generalVectors === false ? undefined : loadGeneralVectors();
    coverage = general ? tokenCoverage(general, dictWords, dictCounts.data) : 0;
    if (general && coverage >= MIN_GENERAL_COVERAGE) {
      // Every other word the general vectors know joins too (trial s19 D1: with the corpus
      // words alone, 40 one-sentence notes kept 34 words and 7 notes had none).
      joined = general;
      const isCorpusWord = new Uint8Array(dictWords.length);
      for (const id of vocabIds) isCorpusWord[id] = 1;
      const rare: number[] = [];
      for (let id = 0; id < dictWords.length; id++) if (isCorpusWord[id] === 0 && general.index.has(dictWords[id])) rare.push(id);
      vocabIds = vocabIds.concat(rare.sort(byFrequency));
    }
    if (vocabIds.length < 2 || (corpusWords < 2 && joined === undefined)) {
      throw new DataError(`too little text to learn word vectors: fewer than 2 words occur at least ${minCount} times`, source);
    }
    vocabIds.forEach((id, v) => (newId[id] = v));
    vectorSource = 'ppmi-svd';
    baseVectors = new Float64Array(0);
    baseDim = 0;
  }
  const vocabulary = vocabIds.map((id) => dictWords[id]);
  const V = vocabulary.length;

  // 3. Token table restricted to the vocabulary.
  const tokens = restrictTokens(all, newId);
  const { docStart, word } = tokens;
  const kept = word.length;
  throwIfAborted(hooks);
  progress({ stage: 'features', fraction: 0.4, message: 'word vectors' });
  await yieldToEventLoop();

  if (vectorSource === 'ppmi-svd') {
    const name = path.basename(source);
    const window = options.window ?? DEFAULT_WINDOW;
    let own = `no word occurs at least ${options.minCount ?? DEFAULT_MIN_COUNT} times, so the corpus gives no word vectors`;
    if (corpusWords >= 2) {
      // The corpus vectors come from the corpus words' tokens alone, as if the rarer words were
      // not there: joining them leaves every corpus word's vector as it was.
      const ownTokens = corpusWords === V ? tokens : restrictTokens(all, newId.map((v) => (v < corpusWords ? v : -1)));
      const built = ppmiSvdWordVectors(ownTokens.word, ownTokens.docStart, corpusWords, {
        window,
        dim: options.wordDim ?? DEFAULT_WORD_DIM,
        seed: options.seed,
        ...(options.powerIterations !== undefined ? { powerIterations: options.powerIterations } : {}),
      });
      baseVectors = built.vectors;
      baseDim = built.dim;
      own = `word vectors from the corpus (PPMI co-occurrence, window ${window}, SVD to ${baseDim} dimensions) for the ${corpusWords} most frequent words occurring at least ${options.minCount ?? DEFAULT_MIN_COUNT} times`;
    }
    if (joined) {
      const combined = withGeneralVectors(baseVectors, baseDim, vocabulary, joined);
      baseVectors = combined.vectors;
      baseDim = combined.dim;
      vectorSource = `ppmi-svd+${GENERAL_VECTORS_NAME}`;
      const rare = V - corpusWords;
      const rareNote =
        rare > 0 ? `; ${rare} rarer word(s) join through their general-English vector, their corpus part predicted from it (data/rareWordRows.ts)` : '';
      notes.push(`${name}: ${own}, each joined with the shipped general-English vector of the word (${joined.dim} dimensions; ${(100 * coverage).toFixed(0)}% of the tokens have one)${rareNote}.`);
    } else {
      const why =
        options.generalVectors === false ? '' : loadGeneralVectors() === undefined ? `: ${generalVectorsNotFound()}` : `: only ${(100 * coverage).toFixed(0)}% of the tokens have a general-English vector (not English?)`;
      notes.push(`${name}: ${own}${why}.`);
    }
  } else {
    notes.push(`${path.basename(source)}: ${V} of ${dictWords.length} corpus words have a vector in ${vectorSource.slice(6)} (${baseDim} dimensions).`);
  }
  throwIfAborted(hooks);
  progress({ stage: 'features', fraction: 0.8, message: 'document vectors' });
  await yieldToEventLoop();

  // 4. Document means in the base space, PCA over the documents that have known words.
  const weight = tokenWeights(word, docStart, V);
  if (joined) for (let v = corpusWords; v < V; v++) weight[v] *= RARE_WORD_WEIGHT;
  const means = meanRows(baseVectors, baseDim, word, docStart, weight);
  const nonEmpty: number[] = [];
  for (let d = 0; d < n; d++) if (docStart[d + 1] > docStart[d]) nonEmpty.push(d);
  if (nonEmpty.length < 2) throw new DataError(`fewer than 2 documents contain known words (${nonEmpty.length} of ${n})`, source);
  const fit: Matrix = { rows: nonEmpty.length, cols: baseDim, data: new Float64Array(nonEmpty.length * baseDim) };
  nonEmpty.forEach((d, i) => fit.data.set(means.subarray(d * baseDim, d * baseDim + baseDim), i * baseDim));
  const dim = Math.max(1, Math.min(options.textDim, baseDim, nonEmpty.length - 1));
  if (dim < options.textDim) notes.push(`${path.basename(source)}: reduced text space has ${dim} dimensions (fewer than ${options.textDim}: small corpus or vocabulary).`);
  const p = pca(fit, dim, { seed: options.seed });

  // 5. Fold centering + PCA into the word vectors; features = σ_d x the sum of their rows, exactly.
  const wordVectors = foldPca(baseVectors, V, baseDim, p.mean, p.components, dim, weight);
  const vectors = documentVectors(wordVectors, dim, DEFAULT_NORMALIZATION, word, docStart);
  const features: Matrix = { rows: n, cols: dim, data: vectors.data };
  notes.push(...wordlessNote(corpus, source, docStart, `no word of the vocabulary`));
  const unknown = tokWord.length - kept;
  if (unknown > 0) notes.push(`${path.basename(source)}: ${unknown} of ${tokWord.length} tokens (${((100 * unknown) / tokWord.length).toFixed(1)}%) are outside the vocabulary and carry no relevance.`);

  const preprocessing: TextPreprocessing = {
    kind: 'text',
    minWordLength: options.minWordLength,
    stopWords: options.stopWords,
    vocabulary,
    wordVectors,
    dim,
    vectorSource,
    normalization: DEFAULT_NORMALIZATION,
  };
  progress({ stage: 'features', fraction: 1 });
  return textDataset(corpus, source, tokens, features, vectors.scale, preprocessing, notes);
}

/** Corpora up to this size keep each document's first words for the example lists (~10 MB at most). */
const MAX_EXCERPT_DOCUMENTS = 50_000;
const EXCERPT_CHARS = 160;

/** The first EXCERPT_CHARS characters of a text, whitespace collapsed, cut at a word with an ellipsis. */
export function excerpt(text: string): string {
  const flat = text.slice(0, 4 * EXCERPT_CHARS).replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  const cut = flat.lastIndexOf(' ', EXCERPT_CHARS);
  return `${flat.slice(0, cut > EXCERPT_CHARS / 2 ? cut : EXCERPT_CHARS)}…`;
}

/** Unit-length document vectors (spherical k-means), measured best in bench/text-quality.ts. */
const DEFAULT_NORMALIZATION = 'l2';

/** How many notes name word-less documents one by one before summarising the rest. */
const NAMED_WORDLESS = 5;

/**
 * The note on documents that have no usable word (only stop words, numbers, short or unknown
 * words, or nothing): they cannot be placed by their content, so they are fitted without and
 * shown as "no usable words" rather than as members (issue 8, case 06).
 */
function wordlessNote(corpus: Corpus, source: string, docStart: Int32Array, what: string): string[] {
  const n = docStart.length - 1;
  const wordless: string[] = [];
  // Each by its name (`corpus.jsonl:5` is the file's 1-based line) and its 0-based row, the
  // number `neon-cluster explain` and Export give it, so neither is mistaken for the other (trial s19 D6).
  for (let d = 0; d < n; d++) if (docStart[d + 1] === docStart[d]) wordless.push(nameWithRow(corpus.docs[d].ref, d));
  if (wordless.length === 0) return [];
  const named = wordless.slice(0, NAMED_WORDLESS).join(', ');
  const more = wordless.length > NAMED_WORDLESS ? ` and ${wordless.length - NAMED_WORDLESS} more` : '';
  return [
    `${path.basename(source)}: ${wordless.length} of ${n} document(s) have ${what} (only stop words, numbers, words shorter than the minimum, or nothing): ${named}${more}. ` +
      'They are left out of the fit and shown as "no usable words", not as members of a cluster.',
  ];
}

/** All tokens of a corpus with corpus-wide word ids (before any vocabulary is chosen). */
interface CorpusTokens {
  readonly dictionary: Map<string, number>;
  readonly dictWords: string[];
  readonly dictCounts: Ints;
  readonly tokWord: Ints;
  readonly tokStart: Ints;
  readonly tokEnd: Ints;
  readonly docStartAll: Int32Array;
}

async function tokenizeCorpus(
  corpus: Corpus,
  minWordLength: number,
  stop: ReadonlySet<string>,
  hooks: JobHooks | undefined,
  progress: (p: Progress) => void,
): Promise<CorpusTokens> {
  const n = corpus.docs.length;
  const dictionary = new Map<string, number>();
  const dictWords: string[] = [];
  const dictCounts = new Ints();
  const tokWord = new Ints(1 << 16);
  const tokStart = new Ints(1 << 16);
  const tokEnd = new Ints(1 << 16);
  const docStartAll = new Int32Array(n + 1);
  for (let d = 0; d < n; d++) {
    const doc = corpus.docs[d];
    const map = doc.map;
    const base = doc.base;
    forEachToken(doc.text, minWordLength, stop, (w, s, e) => {
      let id = dictionary.get(w);
      if (id === undefined) {
        id = dictWords.length;
        dictionary.set(w, id);
        dictWords.push(w);
        dictCounts.push(0);
      }
      dictCounts.data[id]++;
      tokWord.push(id);
      tokStart.push(map ? map[s] : base + s);
      tokEnd.push(map ? map[e] : base + e);
    });
    docStartAll[d + 1] = tokWord.length;
    if ((d & 255) === 255) {
      throwIfAborted(hooks);
      progress({ stage: 'features', fraction: 0.3 * (d / n), message: 'tokenising' });
      await yieldToEventLoop();
    }
  }
  return { dictionary, dictWords, dictCounts, tokWord, tokStart, tokEnd, docStartAll };
}

/** The token table of the tokens whose word has a vocabulary id (`newId[word] >= 0`). */
function restrictTokens(all: CorpusTokens, newId: Int32Array): TokenTable {
  const { tokWord, tokStart, tokEnd, docStartAll } = all;
  const n = docStartAll.length - 1;
  const docStart = new Int32Array(n + 1);
  let kept = 0;
  for (let t = 0; t < tokWord.length; t++) if (newId[tokWord.data[t]] >= 0) kept++;
  const word = new Int32Array(kept);
  const start = new Int32Array(kept);
  const end = new Int32Array(kept);
  let k = 0;
  for (let d = 0; d < n; d++) {
    for (let t = docStartAll[d]; t < docStartAll[d + 1]; t++) {
      const v = newId[tokWord.data[t]];
      if (v < 0) continue;
      word[k] = v;
      start[k] = tokStart.data[t];
      end[k] = tokEnd.data[t];
      k++;
    }
    docStart[d + 1] = k;
  }
  return { docStart, word, start, end };
}

/**
 * A corpus under a saved TextPreprocessing (a model fitted elsewhere): same tokenisation,
 * the saved vocabulary and word vectors; tokens of unknown words are dropped (no relevance),
 * features = mean of the known tokens' rows (0 for a document without known words).
 */
export async function applyTextPreprocessing(corpus: Corpus, source: string, pre: TextPreprocessing, hooks?: JobHooks): Promise<TextDataset> {
  const progress = throttledProgress(hooks);
  const notes = [...corpus.notes];
  const all = await tokenizeCorpus(corpus, pre.minWordLength, stopWordSet(pre.stopWords), hooks, progress);
  const index = new Map<string, number>();
  pre.vocabulary.forEach((w, i) => index.set(w, i));
  const newId = Int32Array.from(all.dictWords, (w) => index.get(w) ?? -1);
  const tokens = restrictTokens(all, newId);
  const n = corpus.docs.length;
  const vectors = documentVectors(pre.wordVectors, pre.dim, normalizationOf(pre), tokens.word, tokens.docStart);
  const features: Matrix = { rows: n, cols: pre.dim, data: vectors.data };
  const name = path.basename(source);
  notes.push(...wordlessNote(corpus, source, tokens.docStart, "no word of the model's vocabulary"));
  const unknown = all.tokWord.length - tokens.word.length;
  if (unknown > 0) notes.push(`${name}: ${unknown} of ${all.tokWord.length} tokens are outside the model's vocabulary and carry no relevance.`);
  progress({ stage: 'features', fraction: 1 });
  return textDataset(corpus, source, tokens, features, vectors.scale, pre, notes);
}

/** The dataset both builders return: a fresh fit (buildTextDataset) or a saved model's space. */
function textDataset(
  corpus: Corpus,
  source: string,
  tokens: TokenTable,
  features: Matrix,
  documentScale: Float64Array,
  preprocessing: TextPreprocessing,
  notes: string[],
): TextDataset {
  return {
    kind: 'text',
    source: path.resolve(source),
    documents: corpus.docs.map((d) => d.ref),
    tokens,
    features,
    documentScale,
    ...(corpus.docs.length <= MAX_EXCERPT_DOCUMENTS ? { excerpts: corpus.docs.map((d) => excerpt(d.text)) } : {}),
    featureNames: Array.from({ length: preprocessing.dim }, (_, j) => `dim${j + 1}`),
    ...(corpus.labels ? { labels: corpus.labels } : {}),
    preprocessing,
    notes,
  };
}

/**
 * Smoothed inverse document frequency of each vocabulary word, ln((1 + N) / (1 + df)) + 1
 * (scikit-learn's TfidfVectorizer default): rare, topical words weigh more than words that
 * occur everywhere. Measured in bench/text-quality.ts against the plain mean.
 */
export function inverseDocumentFrequency(word: Int32Array, docStart: Int32Array, v: number): Float64Array {
  const n = docStart.length - 1;
  const df = new Float64Array(v);
  const last = new Int32Array(v).fill(-1);
  for (let d = 0; d < n; d++) {
    for (let t = docStart[d]; t < docStart[d + 1]; t++) {
      if (last[word[t]] === d) continue;
      last[word[t]] = d;
      df[word[t]]++;
    }
  }
  return df.map((f) => Math.log((1 + n) / (1 + f)) + 1);
}

/**
 * Each vocabulary word's weight in a document's sum: the square root of its smoothed IDF
 * (length V). The full IDF lets the rarest words dominate a short document, and a word seen
 * two or three times has the noisiest corpus vector (its PPMI row rests on a handful of
 * co-occurrences); the square root keeps rare words ahead of common ones without that.
 * Measured with the pipeline's defaults (mean NMI over the three corpora of
 * bench/text-quality.ts, seeds 1-6): IDF 0.550, square root 0.558; on seeds 1-3 IDF^0.25 gave
 * 0.553 against the square root's 0.557 (README "Text clustering quality").
 */
export function tokenWeights(word: Int32Array, docStart: Int32Array, v: number): Float64Array {
  return inverseDocumentFrequency(word, docStart, v).map(Math.sqrt);
}

/**
 * Row d = weighted mean of the rows `word[t]` of `vectors` over the tokens t of document d
 * (weights per vocabulary word; all 1 without `weight`), 0 if the document has no token.
 */
export function meanRows(vectors: Float64Array, dim: number, word: Int32Array, docStart: Int32Array, weight?: Float64Array): Float64Array {
  const n = docStart.length - 1;
  const out = new Float64Array(n * dim);
  for (let d = 0; d < n; d++) {
    const s = docStart[d];
    const e = docStart[d + 1];
    if (e === s) continue;
    const o = d * dim;
    let total = 0;
    for (let t = s; t < e; t++) {
      const a = weight ? weight[word[t]] : 1;
      total += a;
      const r = word[t] * dim;
      for (let j = 0; j < dim; j++) out[o + j] += a * vectors[r + j];
    }
    const inv = 1 / total;
    for (let j = 0; j < dim; j++) out[o + j] *= inv;
  }
  return out;
}

/**
 * Row v of the result = weight_v (w_v - mean) components^T. With the weights folded in, a
 * document's unit-length vector is σ Σ_t row_t exactly: Σ_t a_t (w_t - m) is the weighted
 * mean minus m times a per-document constant, which the unit length absorbs.
 */
function foldPca(w: Float64Array, v: number, d0: number, mean: Float64Array, components: Float64Array, dim: number, weight: Float64Array): Float64Array {
  const out = new Float64Array(v * dim);
  const centered = new Float64Array(d0);
  for (let a = 0; a < v; a++) {
    for (let j = 0; j < d0; j++) centered[j] = w[a * d0 + j] - mean[j];
    for (let c = 0; c < dim; c++) {
      let s = 0;
      const oc = c * d0;
      for (let j = 0; j < d0; j++) s += centered[j] * components[oc + j];
      out[a * dim + c] = weight[a] * s;
    }
  }
  return out;
}

