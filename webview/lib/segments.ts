/**
 * Text explanations: the host sends the document as segments (tokens carry a relevance,
 * the text between them does not). These helpers turn them into what the view renders —
 * per-token sign and step, rank by |R| — and into the accessible "top words" lists.
 */
import { maxAbs, relevanceSign, relevanceStep, type RelevanceSign } from './relevanceScale';

export interface Segment {
  readonly text: string;
  readonly relevance?: number;
  readonly word?: string;
}

export interface TokenView {
  readonly text: string;
  /** Undefined for plain text between tokens. */
  readonly relevance?: number;
  readonly word?: string;
  readonly sign: RelevanceSign;
  readonly step: number;
  /** 1-based rank by |R| among tokens with relevance (undefined for plain text). */
  readonly rank?: number;
}

/** Sign, step and rank of each segment; the scale is the largest |R| in the document. */
export function tokenViews(segments: readonly Segment[]): { tokens: TokenView[]; scale: number } {
  const scale = maxAbs(relevancesOf(segments));
  const order = segments
    .map((s, i) => ({ i, a: s.relevance === undefined || !Number.isFinite(s.relevance) ? -1 : Math.abs(s.relevance) }))
    .filter((e) => e.a >= 0)
    .sort((p, q) => q.a - p.a || p.i - q.i);
  const rank = new Map<number, number>();
  order.forEach((e, r) => rank.set(e.i, r + 1));
  const tokens = segments.map((s, i): TokenView => {
    if (s.relevance === undefined || !Number.isFinite(s.relevance)) return { text: s.text, sign: 'zero', step: 0 };
    return {
      text: s.text,
      relevance: s.relevance,
      word: s.word,
      sign: relevanceSign(s.relevance, scale),
      step: relevanceStep(s.relevance, scale),
      rank: rank.get(i),
    };
  });
  return { tokens, scale };
}

export interface WordTotal {
  readonly word: string;
  readonly relevance: number;
  readonly count: number;
}

/**
 * Relevance summed per word (the `word` field, else the lower-cased token text), split into
 * evidence for (largest first) and against (most negative first), at most `limit` each.
 */
export function topWords(segments: readonly Segment[], limit = 10): { forWords: WordTotal[]; againstWords: WordTotal[] } {
  const totals = new Map<string, { relevance: number; count: number }>();
  for (const s of segments) {
    if (s.relevance === undefined || !Number.isFinite(s.relevance)) continue;
    const w = (s.word ?? s.text).trim().toLowerCase();
    if (w.length === 0) continue;
    const t = totals.get(w) ?? { relevance: 0, count: 0 };
    t.relevance += s.relevance;
    t.count += 1;
    totals.set(w, t);
  }
  const all = [...totals].map(([word, t]) => ({ word, relevance: t.relevance, count: t.count }));
  const forWords = all.filter((w) => w.relevance > 0).sort((a, b) => b.relevance - a.relevance || a.word.localeCompare(b.word)).slice(0, limit);
  const againstWords = all.filter((w) => w.relevance < 0).sort((a, b) => a.relevance - b.relevance || a.word.localeCompare(b.word)).slice(0, limit);
  return { forWords, againstWords };
}

/** Sum of token relevances (≈ the evidence when the explanation conserves). */
export function totalRelevance(segments: readonly Segment[]): number {
  let s = 0;
  for (const r of relevancesOf(segments)) s += r;
  return s;
}

function* relevancesOf(segments: readonly Segment[]): Iterable<number> {
  for (const s of segments) if (s.relevance !== undefined && Number.isFinite(s.relevance)) yield s.relevance;
}
