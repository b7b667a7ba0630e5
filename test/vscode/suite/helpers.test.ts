// The extension's pure helpers (CSV line splitting, colour steps, lookups, export format,
// map sampling, data-source choice) on hand-made inputs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseSource } from '../../../src/extension/dataSource';
import { cellAt, cellText, linesOf, splitCsvRecord } from '../../../src/extension/editor/csvRecord';
import { STEPS, stepOf } from '../../../src/extension/editor/decorations';
import { rankOf, signed } from '../../../src/extension/editor/format';
import { csvField, csvHeader, keyColumnNames, toCsv } from '../../../src/engine/export/explanations';
import { sampleIndices } from '../../../src/extension/panel/toWebview';
import { percentileAbs, rowAtLine } from '../../../src/extension/session';
import type { Session } from '../../../src/extension/session';
import { itemName } from '../../../src/extension/views/clusterTree';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import type { PipelineResult } from '../../../src/engine/pipelineTypes';

suite('extension helpers', () => {
  test('splitCsvRecord: quoted delimiters, doubled quotes, CR, open quote', () => {
    const line = 'a,"b,c","say ""hi""",,d\r';
    const text = { lineCount: 1, lineAt: () => ({ text: line }) };
    const record = splitCsvRecord(text, 0, ',');
    assert.strictEqual(record.complete, true);
    assert.deepStrictEqual(record.cells.map(([c]) => line.slice(c!.start, c!.end)), ['a', '"b,c"', '"say ""hi"""', '', 'd']);
    assert.strictEqual(cellText(text, record.cells[2]!), 'say "hi"');
    assert.strictEqual(cellAt(record, 0, 3), 1); // inside "b,c"
    assert.strictEqual(cellAt(record, 0, 1), undefined); // the delimiter itself
    assert.strictEqual(splitCsvRecord(linesOf('x,"open'), 0, ',').complete, false);
    assert.deepStrictEqual(splitCsvRecord(linesOf('1\t2'), 0, '\t').cells, [[{ line: 0, start: 0, end: 1 }], [{ line: 0, start: 2, end: 3 }]]);
  });

  test('stepOf: 5 steps by |r| / scale, zero has no colour, saturates above the scale', () => {
    assert.strictEqual(STEPS, 5);
    assert.strictEqual(stepOf(0, 1), undefined);
    assert.strictEqual(stepOf(0.1, 1), 0);
    assert.strictEqual(stepOf(-0.2, 1), 0);
    assert.strictEqual(stepOf(0.21, 1), 1);
    assert.strictEqual(stepOf(-0.99, 1), 4);
    assert.strictEqual(stepOf(7, 1), 4);
  });

  test('rowAtLine finds records by their 1-based start line; percentileAbs; rankOf; signed', () => {
    const rowLine = Int32Array.from([2, 3, 5, 6]); // record 1 spans lines 3-4
    assert.strictEqual(rowAtLine(rowLine, 1), 0);
    assert.strictEqual(rowAtLine(rowLine, 3), undefined);
    assert.strictEqual(rowAtLine(rowLine, 5), 3);
    assert.strictEqual(rowAtLine(rowLine, 0), undefined);
    assert.strictEqual(percentileAbs(Float32Array.from([0, -1, 2, -3, 4]), 0.5), 3);
    assert.strictEqual(rankOf([0.5, -1, 2, 0.7], 0, 4, 3), 2);
    assert.strictEqual(signed(0.12345), '+0.123');
    assert.strictEqual(signed(-2), '-2.000');
  });

  test('sampleIndices: identity when small, evenly spaced otherwise', () => {
    assert.deepStrictEqual(Array.from(sampleIndices(3, 5)), [0, 1, 2]);
    assert.deepStrictEqual(Array.from(sampleIndices(10, 4)), [0, 2, 5, 7]);
  });

  test('chooseSource: tables, csv-text with a text column, corpora, folders', () => {
    assert.deepStrictEqual(chooseSource('/d/a.CSV', false, DEFAULT_SETTINGS), { kind: 'table', path: '/d/a.CSV' });
    assert.deepStrictEqual(chooseSource('/d/a.csv', false, { ...DEFAULT_SETTINGS, textColumn: 'body' }), { kind: 'csv-text', path: '/d/a.csv' });
    assert.strictEqual(chooseSource('/d/a.jsonl', false, DEFAULT_SETTINGS).kind, 'jsonl');
    assert.strictEqual(chooseSource('/d/a.md', false, DEFAULT_SETTINGS).kind, 'paragraphs');
    assert.strictEqual(chooseSource('/d/notes', true, DEFAULT_SETTINGS).kind, 'text-folder');
    assert.strictEqual(chooseSource('/d/a.dat', false, DEFAULT_SETTINGS).kind, 'auto');
  });

  test('chooseSource: a .txt that is a UTF-16 tab-separated export (Excel "Unicode Text") is a table; prose .txt is paragraphs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-txt-'));
    const excel = path.join(dir, 'export.txt');
    fs.writeFileSync(excel, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\tage\tcity\r\nAnna\t31\tKöln\r\nBen\t45\tZürich\r\nCleo\t28\tWien\r\n', 'utf16le')]));
    const prose = path.join(dir, 'notes.txt');
    fs.writeFileSync(prose, 'A first paragraph.\n\nA second one\twith a tab.\n\nA third.\n');
    assert.deepStrictEqual(chooseSource(excel, false, DEFAULT_SETTINGS), { kind: 'table', path: excel });
    assert.deepStrictEqual(chooseSource(excel, false, { ...DEFAULT_SETTINGS, textColumn: 'city' }), { kind: 'csv-text', path: excel });
    assert.deepStrictEqual(chooseSource(prose, false, DEFAULT_SETTINGS), { kind: 'paragraphs', path: prose });
  });

  test('CSV export of a hand-made table result: header, quoting, formula guard', () => {
    const result = {
      dataset: { kind: 'table', source: '/d/t.csv', rows: 2, delimiter: ',', columns: [], rowLine: Int32Array.from([2, 3]), notes: [] },
      units: ['x', 'name'],
      assignments: Int32Array.from([0, 1]),
      evidence: Float64Array.from([1.5, 0.25]),
      probability: Float64Array.from([0.9, 0.6]),
      rowRelevance: Float32Array.from([1.5, 0, 0.5, -0.25]),
      tokenRelevance: new Float32Array(0),
      clusters: [
        { index: 0, size: 1, label: 'x high', top: [], meanEvidence: 1.5 },
        { index: 1, size: 1, label: '=HYPERLINK("a,b")', top: [], meanEvidence: 0.25 },
      ],
    } as unknown as PipelineResult;
    assert.deepStrictEqual(csvHeader(result), ['row', 'line', 'cluster', 'cluster_label', 'evidence', 'probability', 'R:x', 'R:name']);
    const lines = toCsv(result).trimEnd().split('\n');
    assert.strictEqual(lines.length, 3);
    assert.strictEqual(lines[1], '0,2,0,x high,1.5,0.9,1.5,0');
    assert.strictEqual(lines[2], `1,3,1,"'=HYPERLINK(""a,b"")",0.25,0.6,0.5,-0.25`);
    assert.strictEqual(csvField('plain'), 'plain');
  });

  test('CSV export: identifier and label cells under their own names, relevance only for feature columns, numeric ids not formula-guarded', () => {
    const result = {
      dataset: {
        kind: 'table', source: '/d/t.csv', rows: 2, delimiter: ';', rowLine: Int32Array.from([2, 3]), notes: [], labelColumn: 'class',
        columns: [
          { name: 'Kundennr', sourceIndex: 0, kind: 'identifier', missing: 0, excludedReason: 'consecutive unique integers' },
          { name: 'Umsatz', sourceIndex: 1, kind: 'numeric', missing: 0 },
          { name: 'Datum', sourceIndex: 2, kind: 'text', missing: 0, excludedReason: 'a date column' },
          { name: 'class', sourceIndex: 3, kind: 'label', missing: 0, excludedReason: 'label column' },
        ],
      },
      units: ['Kundennr', 'Umsatz', 'Datum', 'class'],
      assignments: Int32Array.from([0, 1]),
      evidence: Float64Array.from([1.5, 0.25]),
      probability: Float64Array.from([0.9, 0.6]),
      rowRelevance: Float64Array.from([0, 1.5, 0, 0, 0, 0.25, 0, 0]),
      tokenRelevance: new Float64Array(0),
      clusters: [
        { index: 0, size: 1, label: 'high Umsatz', top: [], meanEvidence: 1.5 },
        { index: 1, size: 1, label: 'low Umsatz', top: [], meanEvidence: 0.25 },
      ],
    } as unknown as PipelineResult;
    assert.deepStrictEqual(keyColumnNames(result), ['Kundennr', 'class']);
    const keys = [{ name: 'Kundennr', cells: ['-10001', '10002'] }, { name: 'class', cells: ['=a', 'b'] }];
    assert.deepStrictEqual(csvHeader(result, keys), ['row', 'line', 'Kundennr', 'class', 'cluster', 'cluster_label', 'evidence', 'probability', 'R:Umsatz']);
    const lines = toCsv(result, keys).trimEnd().split('\n');
    assert.deepStrictEqual(lines.slice(1), ["0,2,-10001,'=a,0,high Umsatz,1.5,0.9,1.5", '1,3,10002,b,1,low Umsatz,0.25,0.6,0.25']);
    // A key column named like one of the export's own columns keeps both.
    assert.deepStrictEqual(csvHeader(result, [{ name: 'cluster', cells: ['1', '2'] }]).slice(0, 4), ['row', 'line', 'cluster (data)', 'cluster']);
  });

  /** A two-row table result: row 0 in cluster 0, row 1 in cluster 1, one column x. */
  const twoRowTable = (delimiter: string, rowLine: number[], rowIndex?: number[]) =>
    ({
      dataset: { kind: 'table', source: '/d/t', rows: 2, delimiter, columns: [], rowLine: Int32Array.from(rowLine), ...(rowIndex ? { rowIndex: Int32Array.from(rowIndex) } : {}), notes: [] },
      units: ['x'],
      assignments: Int32Array.from([0, 1]),
      evidence: Float64Array.from([1.5, 0.25]),
      probability: Float64Array.from([0.9, 0.6]),
      rowRelevance: Float64Array.from([1.5, 0.25]),
      tokenRelevance: new Float64Array(0),
      clusters: [
        { index: 0, size: 1, label: 'a', top: [], meanEvidence: 1.5 },
        { index: 1, size: 1, label: 'b', top: [], meanEvidence: 0.25 },
      ],
    }) as unknown as PipelineResult;

  test('rows of a Parquet table (no lines) are "row N", without a line; CSV rows name their line', () => {
    // Parquet's rowLine is the 1-based row number: rows 2 and 3 of the file are 0-based rows 1 and 2.
    const parquet = twoRowTable('', [2, 3]);
    assert.strictEqual(itemName({ result: parquet } as Session, 1), 'row 2');
    assert.strictEqual(toCsv(parquet).split('\n')[2], '2,1,b,0.25,0.6,0.25');
    const csv = twoRowTable(',', [2, 3]);
    assert.strictEqual(itemName({ result: csv } as Session, 1), 'row 1 (line 3)');
    assert.strictEqual(toCsv(csv).split('\n')[2], '1,3,1,b,0.25,0.6,0.25');
  });

  test('rows keep their place in the file after a skipped record (0-based, with a gap), as neon-cluster explain numbers them', () => {
    // Line 3 held a record with too many fields and was skipped: the second row read is data row 2 on line 4.
    const csv = twoRowTable(',', [2, 4], [0, 2]);
    assert.strictEqual(itemName({ result: csv } as Session, 0), 'row 0 (line 2)');
    assert.strictEqual(itemName({ result: csv } as Session, 1), 'row 2 (line 4)');
    assert.strictEqual(toCsv(csv).split('\n')[2], '2,4,1,b,0.25,0.6,0.25');
  });
});
