/**
 * Rows' explanations as CSV, the one layout `explain` and `fit --rows-out` both write:
 * `row,cluster,evidence,R:<column>...` (row: 0-based data row, or the id column's cell). The
 * `R:` prefix is the extension's Export… prefix too (explanations.ts RELEVANCE_PREFIX).
 */
import { RELEVANCE_PREFIX } from '../engine/export/explanations';
import { csvLine, num } from './format';

/** The header line; `first` names the first column ("row", or the id column). */
export function rowsCsvHeader(first: string, columns: readonly string[]): string {
  return csvLine([first, 'cluster', 'evidence', ...columns.map((c) => `${RELEVANCE_PREFIX}${c}`)]);
}

/** Explained rows: cluster and evidence per row, relevance rows × stride (row-major). */
export interface ExplainedRows {
  readonly rows: number;
  readonly cluster: Int32Array;
  readonly evidence: Float64Array;
  readonly relevance: Float64Array;
}

/**
 * Lines for rows [from, to) of `r`; the relevance of output column m is r.relevance[i * stride + pick[m]],
 * the first field is `id(i)`.
 */
export function rowsCsvLines(r: ExplainedRows, stride: number, pick: readonly number[], id: (i: number) => string, from = 0, to = r.rows): string {
  const out: string[] = new Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    const fields = [id(i), String(r.cluster[i]), num(r.evidence[i])];
    for (const u of pick) fields.push(u < 0 ? '' : num(r.relevance[i * stride + u]));
    out[i - from] = csvLine(fields);
  }
  return out.join('');
}
