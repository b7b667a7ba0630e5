/**
 * Export… of a table fitted on a sample (pipeline/everyRow.ts): every row of the file, not only
 * the sample's. The streaming pass already wrote every row's cluster, evidence, probability and
 * relevance to the results file (pipeline/rowResultsFile.ts); this reads the table again chunk by
 * chunk for the key cells (identifiers, label) and writes the export line by line, in the same
 * columns as an in-memory export (explanations.ts), so peak memory is one chunk whatever the
 * file's length.
 */
import fs from 'node:fs';
import { cellText } from '../data/cellColumn';
import { openTable } from '../data/tableFormats';
import { DataError } from '../errors';
import { RowResultsReader, type RowResult } from '../pipeline/rowResultsFile';
import { csvHeadLine, csvLine, jsonItem, tableCsvHeader, type CsvDialect, type ExportRow } from './explanations';

export interface EveryRowExportOptions {
  /** The clustered table (CSV/TSV/Parquet file or folder). */
  readonly source: string;
  /** The complete results file of the streaming pass. */
  readonly rowResultsFile: string;
  /** The result's units (PipelineResult.units): relevance in the results file is over them. */
  readonly units: readonly string[];
  /** Indices into `units` of the feature columns, in export order (explanations.ts featureUnits). */
  readonly features: readonly number[];
  /** Cluster labels by cluster index. */
  readonly clusterLabels: readonly string[];
  /** Columns of the table copied into every line as written (identifiers, the label). */
  readonly keys: readonly string[];
  readonly format: 'csv' | 'json';
  /** CSV only: separator, decimal mark and BOM (explanations.ts; default standard). */
  readonly dialect?: CsvDialect;
  /** JSON only: what the export says before its items (explanations.ts jsonHead). */
  readonly jsonHead?: Record<string, unknown>;
  /** File written (replaced). */
  readonly out: string;
  readonly signal?: AbortSignal;
}

/** A Float32 relevance at its own precision (7 digits), without the noise of widening it (0.1 → 0.10000000149). */
function float32(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(7)) : v;
}

/** Rows per results-file read (the table is read in its own chunks). */
const SLICE = 8192;

/**
 * Writes every explained row of `o.source` to `o.out` as CSV (explanations.ts toCsv's columns)
 * or JSON (toJson's layout, items in file order). A row of the table that the streaming pass did
 * not explain (none, unless the file changed since) is left out.
 * @returns the number of rows written
 * @throws DataError when a key column is no longer in the file; the results file's error when it
 *   is incomplete; an AbortError-like error from the reader when `o.signal` aborts.
 */
export async function writeEveryRowExport(o: EveryRowExportOptions): Promise<number> {
  const results = RowResultsReader.open(o.rowResultsFile, o.units.length);
  const reader = await openTable(o.source);
  const tmp = `${o.out}.neon-partial`;
  const fd = fs.openSync(tmp, 'w');
  let written = 0;
  try {
    const at = o.keys.map((name) => {
      const j = reader.schema.columns.findIndex((c) => c.name === name);
      if (j < 0) throw new DataError(`column "${name}" is no longer in the file`, o.source);
      return j;
    });
    const hasLines = reader.schema.hasLines;
    const featureNames = o.features.map((u) => o.units[u]!);
    if (o.format === 'csv') fs.writeSync(fd, csvHeadLine(tableCsvHeader(o.keys, featureNames, hasLines), o.dialect));
    else fs.writeSync(fd, JSON.stringify({ ...(o.jsonHead ?? {}), items: [] }, null, 1).replace(/\[\]\n\}$/, '['));
    let slice: RowResult[] = [];
    let s = 0;
    let next = 0;
    /** The record of the row starting on `line`, if the pass explained it (records are in line order). */
    const recordAt = (line: number): RowResult | undefined => {
      for (;;) {
        if (s >= slice.length) {
          slice = results.records(next, SLICE);
          next += slice.length;
          s = 0;
          if (slice.length === 0) return undefined;
        }
        const r = slice[s]!;
        if (r.line > line) return undefined;
        s++;
        if (r.line === line) return r;
      }
    };
    for await (const chunk of reader.chunks(o.signal ? { signal: o.signal } : {})) {
      const lines: string[] = [];
      for (let i = 0; i < chunk.rows; i++) {
        // The 1-based line (delimited text) or row (Parquet) the results file keys rows by.
        const line = chunk.rowLine ? chunk.rowLine[i]! : chunk.firstRow + i + 1;
        const rec = recordAt(line);
        if (!rec) continue;
        const row: ExportRow = {
          row: hasLines ? (chunk.rowIndex?.[i] ?? chunk.firstRow + i) : line - 1,
          ...(hasLines ? { line } : {}),
          ...(at.length ? { keys: at.map((j, c) => ({ name: o.keys[c]!, value: cellText(chunk.columns[j]!, i) })) } : {}),
          cluster: rec.cluster,
          clusterLabel: o.clusterLabels[rec.cluster] ?? '',
          evidence: rec.evidence,
          probability: rec.probability,
          relevance: o.features.map((u, f) => ({ name: featureNames[f]!, relevance: float32(rec.relevance[u]!) })),
        };
        lines.push(o.format === 'csv' ? csvLine(row, true, o.dialect) : `${written + lines.length === 0 ? '\n' : ',\n'}  ${JSON.stringify(jsonItem(row))}`);
      }
      if (lines.length) fs.writeSync(fd, lines.join(o.format === 'csv' ? '\n' : '') + (o.format === 'csv' ? '\n' : ''));
      written += lines.length;
    }
    if (o.format === 'json') fs.writeSync(fd, '\n ]\n}');
    fs.closeSync(fd);
    // Replace the target only when complete: a cancelled or failed export leaves no half file.
    fs.renameSync(tmp, o.out);
    return written;
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    results.close();
    await reader.close();
  }
}
