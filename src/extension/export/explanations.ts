/**
 * Export of every row's / document's explanation as CSV or JSON. Tables: one relevance
 * column per source column. Text: the document's most relevant words (summed over their
 * occurrences). Pure functions of a PipelineResult.
 */
import { dataRowNumber, hasSourceLines } from '../../engine/data/tableReader';
import type { PipelineResult } from '../../engine/pipelineTypes';

const TOP_WORDS = 10;

export interface ExportRow {
  readonly item: string;
  readonly location: string;
  readonly cluster: number;
  readonly clusterLabel: string;
  readonly evidence: number;
  readonly probability: number;
  /** Tables: relevance per column name. Text: top words and their summed relevance. */
  readonly relevance: readonly { readonly name: string; readonly relevance: number }[];
}

export function exportRows(result: PipelineResult): ExportRow[] {
  const ds = result.dataset;
  const n = result.assignments.length;
  const rows: ExportRow[] = [];
  for (let i = 0; i < n; i++) {
    const c = result.assignments[i]!;
    const common = { cluster: c, clusterLabel: result.clusters[c]?.label ?? '', evidence: result.evidence[i]!, probability: result.probability[i]! };
    if (ds.kind === 'table') {
      const U = result.units.length;
      rows.push({
        ...common,
        item: `row ${dataRowNumber(ds, i)}`,
        // Parquet has no lines: the item ("row N") is all there is to say.
        location: hasSourceLines(ds) ? `line ${ds.rowLine[i]}` : '',
        relevance: result.units.map((name, u) => ({ name, relevance: result.rowRelevance[i * U + u]! })),
      });
    } else {
      const ref = ds.documents[i]!;
      const totals = new Map<string, number>();
      for (let t = ds.tokens.docStart[i]!; t < ds.tokens.docStart[i + 1]!; t++) {
        const w = ds.vocabulary[ds.tokens.word[t]!] ?? '';
        totals.set(w, (totals.get(w) ?? 0) + result.tokenRelevance[t]!);
      }
      const top = [...totals].map(([name, relevance]) => ({ name, relevance })).sort((a, b) => b.relevance - a.relevance);
      rows.push({ ...common, item: ref.name, location: `${ref.path}:${ref.start}-${ref.end}`, relevance: top.slice(0, TOP_WORDS) });
    }
  }
  return rows;
}

/** Header of the CSV export (tables: one `relevance:<column>` per column). */
export function csvHeader(result: PipelineResult): string[] {
  const head = ['item', 'location', 'cluster', 'cluster_label', 'evidence', 'probability'];
  return result.dataset.kind === 'table' ? [...head, ...result.units.map((u) => `relevance:${u}`)] : [...head, 'top_words'];
}

export function toCsv(result: PipelineResult): string {
  const lines = [csvHeader(result).map(csvField).join(',')];
  for (const r of exportRows(result)) {
    const head = [text(r.item), text(r.location), String(r.cluster), text(r.clusterLabel), num(r.evidence), num(r.probability)];
    const tail =
      result.dataset.kind === 'table'
        ? r.relevance.map((x) => num(x.relevance))
        : [text(r.relevance.map((x) => `${x.name} (${x.relevance >= 0 ? '+' : ''}${num(x.relevance)})`).join('; '))];
    lines.push([...head, ...tail].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

export function toJson(result: PipelineResult, source: string): string {
  return JSON.stringify(
    {
      source,
      model: result.model.kind,
      k: result.model.k,
      neon: result.neon,
      quality: result.quality,
      clusters: result.clusters,
      items: exportRows(result).map((r) => ({
        ...r,
        relevance: Object.fromEntries(r.relevance.map((x) => [x.name, x.relevance])),
      })),
    },
    null,
    1,
  );
}

/** Full precision that survives a round trip, without float noise like 0.30000000000000004. */
function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(10))) : '';
}

/**
 * Dataset strings that a spreadsheet would run as a formula (leading = + - @) get a
 * leading apostrophe; numbers are written by `num` and stay numeric.
 */
function text(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** RFC 4180 quoting. */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
