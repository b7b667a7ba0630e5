/**
 * Detailed explanations on demand: one row / document of a session with its per-competitor
 * breakdown (paper Fig. 4c), and any text under a text session's model (an open document
 * that is not part of the corpus), word by word.
 */
import { embedText } from '../data';
import { OptionError } from '../errors';
import { idcExplain } from '../neuralize/idc';
import { sumByColumn, tokenRelevance } from '../relevance/units';
import type { ItemExplanation, TextExplanation } from '../pipelineTypes';
import type { PointExplanation, TableDataset } from '../types';
import { competitorProportions, splitTokens, topCompetitor } from './competitorSplit';
import type { SessionState } from './session';

/** R_ik (K x D); when the model gives no detailed split, each R_i is shared like the R_k. */
function perCompetitorOf(e: PointExplanation, k: number): Float64Array {
  if (e.perCompetitor) return e.perCompetitor;
  const d = e.relevance.length;
  const out = new Float64Array(k * d);
  let total = 0;
  for (let c = 0; c < k; c++) total += e.competitorShares[c];
  if (total === 0) return out;
  for (let c = 0; c < k; c++) for (let i = 0; i < d; i++) out[c * d + i] = (e.relevance[i] * e.competitorShares[c]) / total;
  return out;
}

/** The row's cells as the user wrote them, or rebuilt from the features when not kept. */
function rowValues(state: SessionState, dataset: TableDataset, index: number): string[] {
  const raw = state.rawRows?.[index];
  if (raw) return dataset.columns.map((c) => raw[c.sourceIndex] ?? '');
  const { data, cols } = dataset.features;
  const transforms = new Map(dataset.preprocessing.columns.map((t) => [t.column, t] as const));
  return dataset.columns.map((col, u) => {
    const t = transforms.get(col.name);
    const first = dataset.featureColumn.indexOf(u);
    if (!t || first < 0) return '';
    if (t.kind === 'numeric') return String(Number((data[index * cols + first] * t.std + t.mean).toPrecision(6)));
    const hot = t.categories.findIndex((_, c) => data[index * cols + first + c] > 0);
    return hot >= 0 ? t.categories[hot] : '';
  });
}

export function explainItem(state: SessionState, index: number): ItemExplanation {
  const { dataset, neuralized: nm } = state;
  const n = dataset.features.rows;
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new OptionError(`item ${index} does not exist; the data has ${n} rows (0..${n - 1})`);
  const d = dataset.features.cols;
  const k = nm.k;
  const x = dataset.features.data.slice(index * d, (index + 1) * d);
  const e = nm.explain(x, undefined, { perCompetitor: true });
  const per = perCompetitorOf(e, k);
  const base = { index, cluster: e.cluster, evidence: e.evidence, probability: e.probability, competitorShares: Float64Array.from(e.competitorShares) };

  if (dataset.kind === 'table') {
    const u = dataset.columns.length;
    const buf = new Float64Array(u);
    sumByColumn(e.relevance, dataset.featureColumn, u, buf);
    const unitRelevance = Float64Array.from(buf);
    const perCompetitor = new Float64Array(k * u);
    for (let c = 0; c < k; c++) {
      sumByColumn(per.subarray(c * d, (c + 1) * d), dataset.featureColumn, u, buf);
      perCompetitor.set(buf, c * u);
    }
    let gates: Float32Array | undefined;
    if (state.model.kind === 'idc') {
      sumByColumn(idcExplain(state.model, x).gates, dataset.featureColumn, u, buf);
      gates = Float32Array.from(buf);
    }
    return { ...base, unitRelevance, perCompetitor, values: rowValues(state, dataset, index), ...(gates ? { gates } : {}) };
  }

  const { docStart, word, start, end } = dataset.tokens;
  const s = docStart[index];
  const t = docStart[index + 1];
  const words = word.slice(s, t);
  const pre = dataset.preprocessing;
  const rel = new Float64Array(t - s);
  const scale = dataset.documentScale?.[index];
  if (t > s) tokenRelevance(e.attribution, pre.wordVectors, pre.dim, words, rel, scale);
  const perCompetitor = new Float64Array(k * (t - s));
  splitTokens(e.attribution.coef, e.attribution.offset, pre.wordVectors, pre.dim, words, competitorProportions(e.relevance, per, e.competitorShares, k), k, perCompetitor, scale);
  return {
    ...base,
    unitRelevance: Float64Array.from(rel),
    perCompetitor,
    tokens: { word: words, start: start.slice(s, t), end: end.slice(s, t) },
  };
}

export function explainText(state: SessionState, text: string): TextExplanation {
  const { dataset, neuralized: nm } = state;
  if (dataset.kind !== 'text') throw new OptionError('this session clusters a table; only a text session can explain a free text');
  const pre = dataset.preprocessing;
  const emb = embedText(text, pre);
  const total = emb.word.length;
  const known: number[] = [];
  for (let t = 0; t < total; t++) if (emb.word[t] >= 0) known.push(t);
  const knownWords = Int32Array.from(known, (t) => emb.word[t]);
  const e = nm.explain(emb.x, undefined, { perCompetitor: true });
  const k = nm.k;
  const rel = new Float64Array(known.length);
  if (known.length) tokenRelevance(e.attribution, pre.wordVectors, pre.dim, knownWords, rel, emb.scale);
  const split = new Float64Array(k * known.length);
  splitTokens(e.attribution.coef, e.attribution.offset, pre.wordVectors, pre.dim, knownWords, competitorProportions(e.relevance, perCompetitorOf(e, k), e.competitorShares, k), k, split, emb.scale);
  const relevance = new Float64Array(total);
  const top = new Int32Array(total).fill(-1);
  known.forEach((t, j) => {
    relevance[t] = rel[j];
    top[t] = topCompetitor(split, k, known.length, j, rel[j], e.cluster);
  });
  // No usable word (issue 8, case 06): no word accounts for any evidence, so none is reported.
  const noUsableWords = known.length === 0;
  return {
    cluster: e.cluster,
    evidence: noUsableWords ? 0 : e.evidence,
    probability: noUsableWords ? 1 / k : e.probability,
    ...(noUsableWords ? { noUsableWords } : {}),
    words: emb.words,
    start: emb.start,
    end: emb.end,
    relevance,
    topCompetitor: top,
    unknownWords: emb.unknownWords,
  };
}
