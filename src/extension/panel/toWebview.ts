/**
 * Converts engine results into the webview's plain-JSON messages: typed arrays become
 * number arrays, the map is capped to MAP_POINTS evenly spaced points, and an item's
 * explanation is paired with its text (segments) or its cells (columns).
 */
import type { ItemExplanation } from '../../engine/pipelineTypes';
import type { WebviewItem, WebviewSession } from '../../protocol/webview';
import { clusterImages } from '../clusterImages';
import { rowsPhrase } from '../jobMessages';
import { count } from '../locale';
import { imageLayoutOf } from '../imageLayout';
import { rowNotExplained } from '../notExplained';
import { panelOnly } from '../reveal';
import { itemName } from '../views/clusterTree';
import { clusterName, modelDescription } from '../session';
import type { Session } from '../session';
import { inFileText } from '../../engine/data/documentText';
import { decodeJsonString } from '../../engine/data/sourceOffsets';
import { explanationQuestion, ruleLabel } from '../../engine/relevance/question';

export const MAP_POINTS = 5000;
const TOP_PER_COMPETITOR = 5;

export interface SessionMessage {
  readonly session: WebviewSession;
  /** Dataset index of each point shown (the webview's indices are positions in this list). */
  readonly shown: Int32Array;
}

export function toWebviewSession(session: Session): SessionMessage {
  const r = session.result;
  const n = r.assignments.length;
  const shown = sampleIndices(n, MAP_POINTS);
  // The result's notes may repeat the dataset's: show each once.
  const notes = [...new Set([...session.hostNotes, ...r.dataset.notes, ...r.notes])];
  if (shown.length < n) notes.push(`The map shows ${count(shown.length)} of ${count(n)} points (evenly spaced sample); the tree and Export Explanations… have all of them.`);
  const projection: number[] = [];
  for (const i of shown) projection.push(r.projection[2 * i] ?? 0, r.projection[2 * i + 1] ?? 0);
  const ds = r.dataset;
  const gateNames = r.units;
  const U = r.units.length;
  const image = imageLayout(session);
  const position = new Map<number, number>();
  shown.forEach((i, p) => position.set(i, p));
  return {
    shown,
    session: {
      sessionId: session.id,
      title: session.title,
      kind: ds.kind,
      modelKind: r.model.kind,
      k: r.model.k,
      beta: r.neon.beta,
      rule: r.neon.rule,
      ruleLabel: ruleLabel(r.neon),
      question: explanationQuestion(r.neon, ds.kind === 'text' ? { units: 'words', item: 'document' } : { units: 'columns', item: 'row' }),
      evidenceForm: r.neon.evidence,
      itemNames: Array.from(shown, (i) => itemName(session, i)),
      itemCount: n,
      assignments: Array.from(shown, (i) => r.assignments[i]!),
      evidence: Array.from(shown, (i) => r.evidence[i]!),
      memberStatus: r.memberStatus ? Array.from(shown, (i) => r.memberStatus![i]!) : undefined,
      projection,
      clusters: r.clusters.map((c) => ({
        index: c.index,
        size: c.size,
        label: c.label,
        top: c.top.map((f) => ({ name: f.name, relevance: f.relevance })),
        meanEvidence: c.meanEvidence,
        purity: c.purity,
        majorityLabel: c.majorityLabel,
        labelCounts: c.labelCounts?.map((l) => ({ label: l.label, count: l.count })),
        selected: r.gates ? topGates(r.gates.clusterGates, c.index, U, gateNames, isFeatureUnit(session)) : undefined,
        mixed: c.mixed,
        weakMembers: c.weakMembers,
        examples: c.examples?.map((e) => ({ shown: shownPosition(shown, e.index), name: itemName(session, e.index), excerpt: e.excerpt })),
      })),
      quality: { ...r.quality },
      kScores: r.kSuggestion?.scores.map((s) => ({
        k: s.k,
        silhouette: s.silhouette,
        ...(s.stabilityScore !== undefined ? { stabilityScore: s.stabilityScore, stableClusters: s.stableClusters, score: s.score } : {}),
      })),
      flipping: r.flipping?.map((f) => ({
        method: f.method,
        curve: Array.from(f.curve),
        area: f.area,
        msPerExplanation: f.msPerExplanation,
        ...(f.reference ? { reference: f.reference, referenceName: f.referenceName ?? f.reference, direction: f.direction ?? 'deletion' } : {}),
      })),
      units: ds.kind === 'table' ? [...r.units] : [],
      imageSide: image?.side,
      imageColumns: image?.columns,
      lossHistory: r.lossHistory ? Array.from(r.lossHistory) : undefined,
      notes,
      rows: n,
      rowsPhrase: rowsPhrase(r),
      modelOrigin: modelDescription(session),
      restored: session.restored,
      labelColumn: ds.kind === 'table' ? ds.labelColumn : undefined,
      clusterImages: clusterImages(session)?.map((c) => ({ cluster: c.cluster, side: c.side, mean: Array.from(c.mean), relevance: Array.from(c.relevance) })),
    },
  };
}

/** Position of item `index` among the shown items (sorted ascending), or -1. */
function shownPosition(shown: Int32Array, index: number): number {
  let lo = 0;
  let hi = shown.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (shown[mid]! === index) return mid;
    if (shown[mid]! < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Identity up to `max` points, else `max` evenly spaced indices. */
export function sampleIndices(n: number, max: number): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  return Int32Array.from({ length: max }, (_, j) => Math.floor((j * n) / max));
}

/**
 * Image-like tables (e.g. digits: 64 pixel columns = 8 x 8) so the webview can draw a
 * heatmap: the numeric columns, constant ones included (blank border pixels are left out of
 * the features but are still pixels), when they are the only features and form a square.
 */
export function imageLayout(session: Session): { side: number; columns: string[] } | undefined {
  const ds = session.result.dataset;
  if (ds.kind !== 'table') return undefined;
  // A numbered pixel series (p0 … p63): also right for a dataset restored under a stored model,
  // whose left-out columns no longer say "numeric" or "constant".
  const named = imageLayoutOf(ds.columns.map((c) => c.name));
  if (named) return { side: named.side, columns: [...named.columns] };
  const pixels = ds.columns.filter((c) => c.kind === 'numeric' || c.kind === 'constant');
  const otherFeatures = ds.columns.some((c) => c.kind === 'categorical' && c.excludedReason === undefined);
  if (pixels.length < 16 || otherFeatures) return undefined;
  const side = Math.round(Math.sqrt(pixels.length));
  return side * side === pixels.length ? { side, columns: pixels.map((c) => c.name) } : undefined;
}

/**
 * IDC gates are reported per table column, excluded columns (identifier, label, free text,
 * constant) included with gate 0 so indices match: only the model's own inputs are shown.
 */
function isFeatureUnit(session: Session): (u: number) => boolean {
  const ds = session.result.dataset;
  if (ds.kind !== 'table') return () => true;
  return (u) => ds.columns[u] !== undefined && ds.columns[u]!.excludedReason === undefined && ds.columns[u]!.kind !== 'label';
}

function topGates(gates: Float32Array, row: number, U: number, names: readonly string[], isFeature: (u: number) => boolean): { name: string; gate: number }[] {
  const list: { name: string; gate: number }[] = [];
  for (let u = 0; u < U; u++) if (isFeature(u)) list.push({ name: names[u] ?? `unit ${u}`, gate: gates[row * U + u] ?? 0 });
  return list.sort((a, b) => b.gate - a.gate).slice(0, 10);
}

/**
 * A row's or document's explanation for the panel. `text` is the document's source text
 * (text datasets): token offsets in the item are offsets into it.
 */
export function toWebviewItem(session: Session, item: ItemExplanation, shownIndex: number, text?: string): WebviewItem {
  const r = session.result;
  const ds = r.dataset;
  const K = item.competitorShares.length;
  const width = K > 0 ? item.perCompetitor.length / K : 0;
  const competitorTop = (k: number): { name: string; relevance: number }[] => {
    const totals = new Map<string, number>();
    for (let u = 0; u < width; u++) {
      const name = ds.kind === 'table' ? r.units[u] ?? `column ${u}` : ds.vocabulary[item.tokens?.word[u] ?? -1] ?? '';
      totals.set(name, (totals.get(name) ?? 0) + item.perCompetitor[k * width + u]!);
    }
    return [...totals]
      .map(([name, relevance]) => ({ name, relevance }))
      .sort((a, b) => b.relevance - a.relevance)
      .slice(0, TOP_PER_COMPETITOR);
  };
  const competitors: WebviewItem['competitors'][number][] = [];
  for (let k = 0; k < K; k++) {
    if (k === item.cluster) continue;
    competitors.push({ cluster: k, label: r.clusters[k]?.label ?? clusterName(k), share: item.competitorShares[k]!, top: competitorTop(k) });
  }
  competitors.sort((a, b) => b.share - a.share);
  const notExplained = rowNotExplained(r, item.index);
  const base = {
    index: shownIndex,
    name: itemName(session, item.index),
    cluster: item.cluster,
    clusterLabel: r.clusters[item.cluster]?.label ?? '',
    evidence: item.evidence,
    probability: item.probability,
    ...(notExplained !== undefined ? { notExplained } : {}),
    ...(panelOnly(session, item.index) ? { panelOnly: true as const } : {}),
    competitors,
    gates: item.gates
      ? Array.from(item.gates, (gate, u) => ({ name: r.units[u] ?? `unit ${u}`, gate })).filter((_, u) => isFeatureUnit(session)(u))
      : undefined,
  };
  if (ds.kind === 'table') {
    // Features carry the relevance; the label, identifiers and other left-out columns are the
    // row's context, not rows of relevance 0 (trial7 D11b).
    const feature = isFeatureUnit(session);
    const units = r.units.map((name, u) => ({ name, u, value: item.values?.[u] ?? '' }));
    const context = units
      .filter(({ u }) => !feature(u) && ds.columns[u] !== undefined)
      .map(({ name, u, value }) => ({ name, value, why: ds.columns[u]!.kind === 'label' ? 'label' : (ds.columns[u]!.excludedReason ?? '') }))
      .sort((a, b) => Number(b.why === 'label') - Number(a.why === 'label'));
    return {
      ...base,
      columns: units.filter(({ u }) => feature(u)).map(({ name, u, value }) => ({ name, value, relevance: item.unitRelevance[u] ?? 0 })),
      ...(context.length > 0 ? { context } : {}),
    };
  }
  return { ...base, segments: text !== undefined ? segments(session, item, text) : undefined };
}

/** Splits the document's text at its tokens; tokens carry their relevance and word. */
function segments(session: Session, item: ItemExplanation, text: string): { text: string; relevance?: number; word?: string }[] {
  const ds = session.result.dataset;
  if (ds.kind !== 'text' || !item.tokens) return [{ text }];
  const ref = ds.documents[item.index]!;
  const out: { text: string; relevance?: number; word?: string }[] = [];
  // A held text (documentText.ts) is the cell as read: nothing to decode.
  const show = inFileText(ref) ? sourceTextDecoder(ref.path) : (raw: string) => raw;
  const order = Array.from(item.tokens.start.keys()).sort((a, b) => item.tokens!.start[a]! - item.tokens!.start[b]!);
  let at = ref.start;
  for (const t of order) {
    const s = item.tokens.start[t]!;
    const e = item.tokens.end[t]!;
    if (s < at || e > ref.end) continue;
    if (s > at) out.push({ text: show(text.slice(at, s)) });
    out.push({ text: show(text.slice(s, e)), relevance: item.unitRelevance[t] ?? 0, word: ds.vocabulary[item.tokens.word[t]!] });
    at = e;
  }
  if (at < ref.end) out.push({ text: show(text.slice(at, ref.end)) });
  return out;
}

/**
 * Offsets point into the source file, where a JSONL document is a JSON string (escapes such
 * as \" and \n) and a CSV text cell doubles its quotes. Slices cut at token boundaries never
 * split an escape, so each slice decodes on its own; the panel shows the text as read.
 */
function sourceTextDecoder(file: string): (raw: string) => string {
  const ext = file.toLowerCase().slice(file.lastIndexOf('.'));
  if (ext === '.jsonl' || ext === '.ndjson') {
    return (raw) => decodeJsonString(raw, 0, raw.length, 0).text;
  }
  if (ext === '.csv' || ext === '.tsv') return (raw) => raw.replace(/""/g, '"');
  return (raw) => raw;
}
