/**
 * Export of every row's / document's explanation as CSV or JSON. Tables: the row's number
 * (`row`, 0-based as pandas numbers it, an integer) and the line it starts on (`line`, an
 * integer; no such column for Parquet), the row's own identifier and label cells (so the
 * assignments join back to the user's table by index or id, as `df.join` / `merge` would, with
 * no string parsing), then one relevance column per feature column, `R:<column>` as
 * `neon-cluster explain` writes it (columns that are not features have no relevance, not a
 * relevance of 0). Text: `row`, the document's name and place, its most relevant words
 * (summed over their occurrences). Pure functions of a PipelineResult and those cells.
 */
import { documentLocation } from '../data/documentText';
import { dataRowNumber, hasSourceLines } from '../data/tableReader';
import type { PipelineResult } from '../pipelineTypes';

const TOP_WORDS = 10;

/**
 * How a CSV export is written. Standard: RFC 4180 with `,` between fields and `.` in numbers
 * (pandas, R, the CLI). Excel: as Excel opens a double-clicked CSV where the system's list
 * separator is `;` and numbers have a decimal comma (German, French, Spanish, … locales): `;`
 * between fields, `1,5` in numbers, and a UTF-8 byte-order mark so Excel does not read the
 * text as Windows-1252 (`Müller` → `MÃ¼ller`).
 */
export interface CsvDialect {
  readonly separator: ',' | ';';
  readonly decimalComma: boolean;
  readonly bom: boolean;
}
export const STANDARD_CSV: CsvDialect = { separator: ',', decimalComma: false, bom: false };
export const EXCEL_CSV: CsvDialect = { separator: ';', decimalComma: true, bom: true };

/**
 * Display languages (primary subtag of VS Code's `env.language`) whose spreadsheets write
 * numbers with a decimal comma and so split CSV files at `;` (Windows' list separator there).
 */
const DECIMAL_COMMA_LANGUAGES = new Set(['bg', 'cs', 'da', 'de', 'el', 'es', 'et', 'fi', 'fr', 'hr', 'hu', 'id', 'it', 'lt', 'lv', 'nb', 'nl', 'no', 'pl', 'pt', 'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'tr', 'uk', 'vi']);

/**
 * The dialect for the setting `exportCsvFormat` (`standard`, `excel`, or `auto`/unset: Excel's
 * for a decimal-comma display language, else standard) and VS Code's display language.
 */
export function csvDialectFor(setting: string | undefined, language: string): CsvDialect {
  if (setting === 'excel') return EXCEL_CSV;
  if (setting === 'standard') return STANDARD_CSV;
  return DECIMAL_COMMA_LANGUAGES.has(language.toLowerCase().split('-')[0] ?? '') ? EXCEL_CSV : STANDARD_CSV;
}

/** The header line (with the BOM when the dialect has one) and its line break. */
export function csvHeadLine(header: readonly string[], dialect: CsvDialect = STANDARD_CSV): string {
  return (dialect.bom ? '\uFEFF' : '') + header.map((h) => csvField(h, dialect.separator)).join(dialect.separator) + '\n';
}

/** Columns of the user's table copied into the export as they are written (identifiers, the label). */
export interface KeyColumn {
  readonly name: string;
  /** One cell per row of the result. */
  readonly cells: readonly string[];
}

/** Columns of a table worth copying into an export: identifiers and the label column. */
export function keyColumnNames(result: PipelineResult): string[] {
  const ds = result.dataset;
  if (ds.kind !== 'table') return [];
  return ds.columns.filter((c) => c.kind === 'identifier' || c.kind === 'label' || c.name === ds.labelColumn).map((c) => c.name);
}

/** Indices into `result.units` of the table columns that are features (a column without ColumnInfo counts as one). */
export function featureUnits(result: PipelineResult): number[] {
  const ds = result.dataset;
  const columns = ds.kind === 'table' ? ds.columns : [];
  return result.units.map((_, u) => u).filter((u) => columns[u] === undefined || (columns[u]!.excludedReason === undefined && columns[u]!.kind !== 'label'));
}

/** The prefix of a relevance column, shared with `neon-cluster explain`'s CSV (cli/rowsCsv.ts). */
export const RELEVANCE_PREFIX = 'R:';

export interface ExportRow {
  /** 0-based: a table's row as pandas numbers it (skipped records keep their numbers), a document's index. */
  readonly row: number;
  /** Tables with lines (not Parquet): the 1-based line the row starts on. */
  readonly line?: number;
  /** Text: the document's name (`file.jsonl:7`) and its place (`path:start-end`). */
  readonly document?: string;
  readonly location?: string;
  /** Tables: the row's key cells, in the order of the key columns given. */
  readonly keys?: readonly { readonly name: string; readonly value: string }[];
  readonly cluster: number;
  readonly clusterLabel: string;
  readonly evidence: number;
  readonly probability: number;
  /** Tables: relevance per column name. Text: top words and their summed relevance. */
  readonly relevance: readonly { readonly name: string; readonly relevance: number }[];
}

export function exportRows(result: PipelineResult, keys: readonly KeyColumn[] = []): ExportRow[] {
  const ds = result.dataset;
  const n = result.assignments.length;
  const rows: ExportRow[] = [];
  const features = featureUnits(result);
  for (let i = 0; i < n; i++) {
    const c = result.assignments[i]!;
    const common = { cluster: c, clusterLabel: result.clusters[c]?.label ?? '', evidence: result.evidence[i]!, probability: result.probability[i]! };
    if (ds.kind === 'table') {
      const U = result.units.length;
      rows.push({
        ...common,
        row: dataRowNumber(ds, i),
        // Parquet has no lines: the row number is all there is to say.
        ...(hasSourceLines(ds) ? { line: ds.rowLine[i] } : {}),
        ...(keys.length ? { keys: keys.map((k) => ({ name: k.name, value: k.cells[i] ?? '' })) } : {}),
        relevance: features.map((u) => ({ name: result.units[u]!, relevance: result.rowRelevance[i * U + u]! })),
      });
    } else {
      const ref = ds.documents[i]!;
      const totals = new Map<string, number>();
      for (let t = ds.tokens.docStart[i]!; t < ds.tokens.docStart[i + 1]!; t++) {
        const w = ds.vocabulary[ds.tokens.word[t]!] ?? '';
        totals.set(w, (totals.get(w) ?? 0) + result.tokenRelevance[t]!);
      }
      const top = [...totals].map(([name, relevance]) => ({ name, relevance })).sort((a, b) => b.relevance - a.relevance);
      // The row as the CLI and the reading notes number it (a gap after a skipped CSV record; review7 F4).
      rows.push({ ...common, row: ref.row ?? i, document: ref.name, location: documentLocation(ref), relevance: top.slice(0, TOP_WORDS) });
    }
  }
  return rows;
}

/**
 * Header of the CSV export. Tables: row, line (not for Parquet), the key columns under their own
 * names, cluster, cluster_label, evidence, probability, then one `R:<column>` per feature column.
 * Text: row, document, location, cluster, cluster_label, evidence, probability, top_words.
 */
export function csvHeader(result: PipelineResult, keys: readonly KeyColumn[] = []): string[] {
  const keyNames = keys.map((k) => k.name);
  const ds = result.dataset;
  if (ds.kind === 'table') return tableCsvHeader(keyNames, featureUnits(result).map((u) => result.units[u]!), hasSourceLines(ds));
  return ['row', 'document', 'location', ...trailingColumns(keyNames), 'top_words'];
}

/** A table export's header: row, line (`hasLines`), key columns, cluster, cluster_label, evidence, probability, `R:<feature>` each. */
export function tableCsvHeader(keyNames: readonly string[], featureNames: readonly string[], hasLines = true): string[] {
  return ['row', ...(hasLines ? ['line'] : []), ...trailingColumns(keyNames), ...featureNames.map((f) => `${RELEVANCE_PREFIX}${f}`)];
}

function trailingColumns(keyNames: readonly string[]): string[] {
  return [...keyNames.map(keyHeader), 'cluster', 'cluster_label', 'evidence', 'probability'];
}

/** The CSV export in `dialect` (default: standard RFC 4180), header first, one line per row. */
export function toCsv(result: PipelineResult, keys: readonly KeyColumn[] = [], dialect: CsvDialect = STANDARD_CSV): string {
  const lines: string[] = [];
  for (const r of exportRows(result, keys)) lines.push(csvLine(r, result.dataset.kind === 'table', dialect));
  return csvHeadLine(csvHeader(result, keys), dialect) + lines.map((l) => l + '\n').join('');
}

/** One export row as a CSV line (no line break), in csvHeader's column order. */
export function csvLine(r: ExportRow, table: boolean, dialect: CsvDialect = STANDARD_CSV): string {
  const num = dialect.decimalComma ? (v: number) => plainNum(v).replace('.', ',') : plainNum;
  // Tables: row and line as integers (line absent for Parquet, as in the header); text: row, document, location.
  const place = table ? [String(r.row), ...(r.line !== undefined ? [String(r.line)] : [])] : [String(r.row), text(r.document ?? ''), text(r.location ?? '')];
  const head = [...place, ...(r.keys ?? []).map((k) => keyCell(k.value)), String(r.cluster), text(r.clusterLabel), num(r.evidence), num(r.probability)];
  const tail = table ? r.relevance.map((x) => num(x.relevance)) : [text(r.relevance.map((x) => `${x.name} (${x.relevance >= 0 ? '+' : ''}${num(x.relevance)})`).join('; '))];
  return [...head, ...tail].map((f) => csvField(f, dialect.separator)).join(dialect.separator);
}

export function toJson(result: PipelineResult, source: string, keys: readonly KeyColumn[] = []): string {
  return JSON.stringify({ ...jsonHead(result, source), items: exportRows(result, keys).map(jsonItem) }, null, 1);
}

/** Everything the JSON export says before its items: the source, the model, NEON's options, quality, clusters. */
export function jsonHead(result: PipelineResult, source: string): Record<string, unknown> {
  return { source, model: result.model.kind, k: result.model.k, neon: result.neon, quality: result.quality, clusters: result.clusters };
}

/** One export row as the JSON export's item: keys and relevance as objects by name. */
export function jsonItem(r: ExportRow): Record<string, unknown> {
  return {
    ...r,
    ...(r.keys ? { keys: Object.fromEntries(r.keys.map((k) => [k.name, k.value])) } : {}),
    relevance: Object.fromEntries(r.relevance.map((x) => [x.name, x.relevance])),
  };
}

/** The export's own column names: a key column named like one of them gets a suffix. */
const OWN_COLUMNS = new Set(['row', 'line', 'document', 'location', 'cluster', 'cluster_label', 'evidence', 'probability', 'top_words']);

function keyHeader(name: string): string {
  return OWN_COLUMNS.has(name) || name.startsWith(RELEVANCE_PREFIX) ? `${name} (data)` : name;
}

/** A key cell as written; a number (e.g. a negative id) is not formula-guarded, so joins on it still match. */
function keyCell(s: string): string {
  return s.trim() !== '' && Number.isFinite(Number(s)) ? s : text(s);
}

/** Full precision that survives a round trip, without float noise like 0.30000000000000004. */
function plainNum(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(10))) : '';
}

/**
 * Dataset strings that a spreadsheet would run as a formula (leading = + - @) get a
 * leading apostrophe; numbers are written by `num` and stay numeric.
 */
function text(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** RFC 4180 quoting: a field holding the separator, a quote or a line break is quoted. */
export function csvField(s: string, separator: ',' | ';' = ','): string {
  return /["\n\r]/.test(s) || s.includes(separator) ? `"${s.replace(/"/g, '""')}"` : s;
}
