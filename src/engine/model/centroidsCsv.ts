/**
 * k-means centroids as a CSV table: a header of feature names, one row per cluster. This is
 * what `pandas.DataFrame(km.cluster_centers_, columns=names).to_csv("c.csv")` writes, so a
 * scikit-learn model can be explained without writing a model file. pandas puts the row index
 * first under an empty header (",x,y" / "0,1.5,2.0"); such a leading unnamed column holding
 * 0..K-1 is recognised and dropped.
 */
import { parse } from 'csv-parse/sync';
import { DataError, ModelError } from '../errors';
import type { ParsedModelFile } from './modelFile';

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function readRecords(text: string, fileName: string): ParsedRecord[] {
  try {
    const delimiter = firstLineDelimiter(text);
    return parse(text, { bom: true, delimiter, info: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as unknown as ParsedRecord[];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const line = /line (\d+)/.exec(message);
    throw new DataError(`not a readable CSV file (${message})`, fileName, line ? Number(line[1]) : undefined);
  }
}

/** Comma unless the header clearly uses semicolons or tabs (European Excel exports). */
function firstLineDelimiter(text: string): string {
  const first = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

function isPandasIndex(rows: readonly ParsedRecord[]): boolean {
  return rows.every((r, i) => r.record[0] !== undefined && r.record[0] !== '' && Number(r.record[0]) === i);
}

/**
 * Parses a centroids CSV into a k-means model taking its inputs as-is (`preprocessing: none`).
 * Errors name the file, line and column (DataError) or the model problem (ModelError).
 */
export function parseCentroidsCsv(text: string, fileName: string): ParsedModelFile {
  const records = readRecords(text, fileName);
  if (records.length === 0) throw new DataError('is empty: expected a header of feature names and one row per cluster', fileName);
  let header = records[0].record;
  let rows = records.slice(1);
  const notes: string[] = [];
  if (header[0] === '') {
    if (!isPandasIndex(rows)) {
      throw new DataError('the first column has no name and does not hold the row index 0, 1, 2, ...; name every feature column', fileName, records[0].info.lines);
    }
    header = header.slice(1);
    rows = rows.map((r) => ({ record: r.record.slice(1), info: r.info }));
    notes.push(`${fileName}: dropped the unnamed index column pandas writes first`);
  }
  if (header.length === 0) throw new DataError('the header names no feature column', fileName, records[0].info.lines);
  header.forEach((name, j) => {
    if (name === '') throw new DataError(`header cell ${j + 1} is empty: every feature column needs a name`, fileName, records[0].info.lines);
    const first = header.indexOf(name);
    if (first !== j) throw new DataError(`feature "${name}" appears twice in the header (cells ${first + 1} and ${j + 1})`, fileName, records[0].info.lines);
  });
  if (rows.length < 2) {
    throw new ModelError(`${fileName}: has ${rows.length} centroid row${rows.length === 1 ? '' : 's'}; NEON explains a choice between at least 2 clusters`);
  }
  const dim = header.length;
  const centroids = new Float64Array(rows.length * dim);
  rows.forEach((r, c) => {
    if (r.record.length !== dim) {
      throw new DataError(`has ${r.record.length} values, expected ${dim} (one per header column)`, fileName, r.info.lines);
    }
    for (let j = 0; j < dim; j++) {
      const cell = r.record[j];
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) throw new DataError(`"${cell}" is not a number`, fileName, r.info.lines, header[j]);
      centroids[c * dim + j] = v;
    }
  });
  return {
    model: { kind: 'kmeans', k: rows.length, dim, centroids },
    preprocessing: { kind: 'none' },
    featureNames: header,
    notes,
  };
}
