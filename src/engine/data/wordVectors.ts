/**
 * Word vectors learned from the corpus itself: PPMI word-context co-occurrence (symmetric
 * window, 10 tokens each side by default) factorised by truncated SVD.
 *
 * Why this choice. The paper clusters documents as means of word2vec vectors; skip-gram with
 * negative sampling implicitly factorises a shifted word-context PMI matrix (Levy & Goldberg,
 * NIPS 2014), and PPMI + SVD with context-distribution smoothing (alpha = 0.75) and
 * eigenvalue weighting p = 0.5 matches it on similarity tasks for small corpora (Levy,
 * Goldberg, Dagan, TACL 2015). It is deterministic (seeded randomized SVD), needs no
 * training loop, no download and no external model, and takes well under a second for a
 * few thousand documents. A word-document matrix (LSA) would be the other option; the
 * window variant is preferred because it groups words by the company they keep rather than
 * by the few documents they appear in, which generalises better to `embedText` on new text.
 * The window is 10 rather than word2vec's usual 5 because short documents (a fortune is ~15
 * content words) give few pairs; on fortunes.jsonl the wider window raised k-means purity
 * from 0.55-0.60 to 0.59-0.61 (window 2: 0.51). Vocabulary: the 5,000 most frequent words
 * occurring at least twice (data/textDataset.ts; rarer words the general-English vectors know
 * join there without a corpus vector of their own, data/rareWordRows.ts).
 */
import { randomizedSvd, type LinearOperator } from '../linalg/randomizedSvd';

export interface PpmiSvdOptions {
  /** Context positions on each side. */
  readonly window: number;
  /** Dimension of the word vectors (before the document-level PCA). */
  readonly dim: number;
  readonly seed: number;
  /** Context distribution smoothing exponent. */
  readonly smoothing?: number;
  /** Power iterations of the randomized SVD (default DEFAULT_POWER_ITERATIONS). */
  readonly powerIterations?: number;
}

/**
 * Power iterations of the randomized SVD of the PPMI matrix. A PPMI spectrum decays slowly, so
 * with one iteration the lower components are blends of neighbouring singular directions (in
 * the unit test's corpus the worst singular value of 40 is 12% off a converged SVD's); four
 * iterations with re-orthonormalisation between them bring it to 1%. Measured with the pipeline
 * defaults, k-means, k = classes (bench/text-seeds.ts, README "Text clustering quality"): mean
 * NMI over the three corpora 0.555 -> 0.560 on seeds 1-6 and 0.551 -> 0.564 on seeds 7-12
 * (fortunes 0.385 -> 0.400 and 0.388 -> 0.401); building fortunes' text features costs
 * 2.1 s of CPU instead of 1.2-1.4 s.
 */
export const DEFAULT_POWER_ITERATIONS = 4;

/** Sparse matrix, compressed rows. */
interface Csr {
  readonly n: number;
  readonly rowStart: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/**
 * Counts of unordered word pairs in an open-addressing hash table on typed arrays (key =
 * a * V + b with a <= b; V <= 46,340 keeps it an int32). A JS Map costs ~10x more per update
 * and this loop runs window x tokens times.
 */
class PairCounts {
  keys: Int32Array;
  counts: Float64Array;
  size = 0;
  private mask: number;

  constructor(capacityPow2: number) {
    this.keys = new Int32Array(capacityPow2).fill(-1);
    this.counts = new Float64Array(capacityPow2);
    this.mask = capacityPow2 - 1;
  }

  add(key: number): void {
    // Multiplicative hashing spreads the structured keys (a * V + b) over the table.
    let h = Math.imul(key, 0x9e3779b1) & this.mask;
    for (;;) {
      const k = this.keys[h];
      if (k === key) {
        this.counts[h]++;
        return;
      }
      if (k === -1) {
        this.keys[h] = key;
        this.counts[h] = 1;
        if (++this.size * 2 > this.keys.length) this.grow();
        return;
      }
      h = (h + 1) & this.mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    this.keys = new Int32Array(oldKeys.length * 2).fill(-1);
    this.counts = new Float64Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const key = oldKeys[i];
      if (key === -1) continue;
      let h = Math.imul(key, 0x9e3779b1) & this.mask;
      while (this.keys[h] !== -1) h = (h + 1) & this.mask;
      this.keys[h] = key;
      this.counts[h] = oldCounts[i];
    }
  }
}

/**
 * Symmetric co-occurrence counts within `window` positions (documents are not crossed),
 * as a CSR matrix of all ordered pairs (a pair of equal words counts twice on the diagonal).
 */
function cooccurrence(word: Int32Array, docStart: Int32Array, v: number, window: number): Csr {
  const pairs = new PairCounts(1 << 16);
  for (let d = 0; d + 1 < docStart.length; d++) {
    const end = docStart[d + 1];
    for (let t = docStart[d]; t < end; t++) {
      const a = word[t];
      const last = Math.min(end, t + window + 1);
      for (let u = t + 1; u < last; u++) {
        const b = word[u];
        pairs.add(a < b ? a * v + b : b * v + a);
      }
    }
  }
  const { keys, counts } = pairs;
  const rowCount = new Int32Array(v + 1);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === -1) continue;
    const a = Math.floor(key / v);
    const b = key - a * v;
    rowCount[a + 1]++;
    if (a !== b) rowCount[b + 1]++;
  }
  for (let i = 0; i < v; i++) rowCount[i + 1] += rowCount[i];
  const rowStart = rowCount.slice();
  const fill = rowCount.slice(0, v);
  const nnz = rowStart[v];
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === -1) continue;
    const count = counts[i];
    const a = Math.floor(key / v);
    const b = key - a * v;
    if (a === b) {
      col[fill[a]] = a;
      val[fill[a]++] = 2 * count;
    } else {
      col[fill[a]] = b;
      val[fill[a]++] = count;
      col[fill[b]] = a;
      val[fill[b]++] = count;
    }
  }
  return { n: v, rowStart, col, val };
}

/** Positive PMI of the counts, keeping only the positive entries (most pairs are not). */
function toPpmi(m: Csr, smoothing: number): Csr {
  const { n, rowStart, col, val } = m;
  const rowSum = new Float64Array(n);
  for (let a = 0; a < n; a++) for (let p = rowStart[a]; p < rowStart[a + 1]; p++) rowSum[a] += val[p];
  const ctx = new Float64Array(n);
  let z = 0;
  for (let b = 0; b < n; b++) {
    ctx[b] = Math.pow(rowSum[b], smoothing);
    z += ctx[b];
  }
  for (let a = 0; a < n; a++) {
    for (let p = rowStart[a]; p < rowStart[a + 1]; p++) {
      const pmi = Math.log((val[p] * z) / (rowSum[a] * ctx[col[p]]));
      val[p] = pmi > 0 ? pmi : 0;
    }
  }
  const keptStart = new Int32Array(n + 1);
  let k = 0;
  for (let a = 0; a < n; a++) {
    for (let p = rowStart[a]; p < rowStart[a + 1]; p++) {
      if (val[p] === 0) continue;
      col[k] = col[p];
      val[k++] = val[p];
    }
    keptStart[a + 1] = k;
  }
  return { n, rowStart: keptStart, col: col.subarray(0, k), val: val.subarray(0, k) };
}

/** Transpose of a CSR matrix (so products with M^T are row gathers too, not scatters). */
function transposeCsr(m: Csr): Csr {
  const { n, rowStart, col, val } = m;
  const count = new Int32Array(n + 1);
  for (let p = 0; p < col.length; p++) count[col[p] + 1]++;
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const fill = count.slice(0, n);
  const tCol = new Int32Array(col.length);
  const tVal = new Float64Array(col.length);
  for (let a = 0; a < n; a++) {
    for (let p = rowStart[a]; p < rowStart[a + 1]; p++) {
      const q = fill[col[p]]++;
      tCol[q] = a;
      tVal[q] = val[p];
    }
  }
  return { n, rowStart: count, col: tCol, val: tVal };
}

/**
 * out (n x l) = m * x (n x l), both column-major. The product runs on row-major copies so
 * the innermost loop is a contiguous run over the l block columns (fast in V8).
 */
function csrTimesBlock(m: Csr, x: Float64Array, l: number, out: Float64Array): void {
  const { n, rowStart, col, val } = m;
  const xr = new Float64Array(n * l);
  for (let c = 0; c < l; c++) for (let i = 0; i < n; i++) xr[i * l + c] = x[c * n + i];
  const acc = new Float64Array(l);
  for (let a = 0; a < n; a++) {
    acc.fill(0);
    for (let p = rowStart[a]; p < rowStart[a + 1]; p++) {
      const v = val[p];
      if (v === 0) continue;
      const o = col[p] * l;
      for (let c = 0; c < l; c++) acc[c] += v * xr[o + c];
    }
    for (let c = 0; c < l; c++) out[c * n + a] = acc[c];
  }
}

function csrOperator(m: Csr): LinearOperator {
  const t = transposeCsr(m);
  return {
    rows: m.n,
    cols: m.n,
    apply: (x, l, out) => csrTimesBlock(m, x, l, out),
    applyTranspose: (y, l, out) => csrTimesBlock(t, y, l, out),
  };
}

/**
 * Word vectors (V x dim, row-major) for vocabulary ids 0..v-1 from the token stream `word`
 * (ids, every token in the vocabulary) split into documents by `docStart`.
 */
export function ppmiSvdWordVectors(word: Int32Array, docStart: Int32Array, v: number, options: PpmiSvdOptions): { vectors: Float64Array; dim: number } {
  const m = toPpmi(cooccurrence(word, docStart, v, options.window), options.smoothing ?? 0.75);
  const rank = Math.max(1, Math.min(options.dim, v));
  const svd = randomizedSvd(csrOperator(m), rank, { seed: options.seed, powerIterations: options.powerIterations ?? DEFAULT_POWER_ITERATIONS, rightVectors: false });
  const dim = svd.rank;
  const vectors = new Float64Array(v * dim);
  for (let c = 0; c < dim; c++) {
    const w = Math.sqrt(svd.s[c]); // eigenvalue weighting p = 0.5: W = U S^0.5
    const o = c * v;
    for (let a = 0; a < v; a++) vectors[a * dim + c] = w * svd.u[o + a];
  }
  return { vectors, dim };
}
