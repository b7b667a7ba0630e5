import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvDialectFor, EXCEL_CSV, STANDARD_CSV, toCsv, toJson } from '../../../src/engine/export/explanations';
import type { PipelineResult } from '../../../src/engine/pipelineTypes';

/** Two rows of a one-column table: row 0 in cluster 0, row 1 in cluster 1 (whose label holds a ";"). */
const result = {
  dataset: { kind: 'table', source: '/d/t.csv', rows: 2, delimiter: ',', columns: [], rowLine: Int32Array.from([2, 3]), notes: [] },
  units: ['x'],
  assignments: Int32Array.from([0, 1]),
  evidence: Float64Array.from([1.5, 0.25]),
  probability: Float64Array.from([0.9, 0.6]),
  rowRelevance: Float64Array.from([1.5, -0.125]),
  tokenRelevance: new Float64Array(0),
  clusters: [
    { index: 0, size: 1, label: 'a', top: [], meanEvidence: 1.5 },
    { index: 1, size: 1, label: 'low x; high y', top: [], meanEvidence: 0.25 },
  ],
} as unknown as PipelineResult;

test('CSV export for Excel in a decimal-comma locale: ";" between fields, decimal comma, UTF-8 BOM', () => {
  const excel = toCsv(result, [{ name: 'Kunde', cells: ['Müller', '7'] }], EXCEL_CSV);
  assert.ok(excel.startsWith('\uFEFF'), 'a UTF-8 byte-order mark first');
  assert.deepEqual(excel.slice(1).split('\n'), [
    'row;line;Kunde;cluster;cluster_label;evidence;probability;R:x',
    '0;2;Müller;0;a;1,5;0,9;1,5',
    '1;3;7;1;"low x; high y";0,25;0,6;-0,125',
    '',
  ]);
  // Standard CSV is unchanged: no BOM, "," and ".", a ";" needs no quotes.
  assert.equal(toCsv(result), 'row,line,cluster,cluster_label,evidence,probability,R:x\n0,2,0,a,1.5,0.9,1.5\n1,3,1,low x; high y,0.25,0.6,-0.125\n');
});

test('exportCsvFormat: auto follows the display language (decimal-comma languages get Excel\'s form), standard / excel are kept', () => {
  for (const language of ['de', 'fr', 'es', 'it', 'pt-br', 'pl', 'ru', 'tr', 'nl']) assert.equal(csvDialectFor('auto', language), EXCEL_CSV, language);
  for (const language of ['en', 'en-gb', 'ja', 'ko', 'zh-cn', 'zh-tw']) assert.equal(csvDialectFor('auto', language), STANDARD_CSV, language);
  assert.equal(csvDialectFor(undefined, 'de'), EXCEL_CSV);
  assert.equal(csvDialectFor('standard', 'de'), STANDARD_CSV);
  assert.equal(csvDialectFor('excel', 'en'), EXCEL_CSV);
});

test('Export joins back without string parsing: integer row and line, the CLI\'s R: prefix; JSON items the same (trial s21 D14)', () => {
  const [head, ...lines] = toCsv(result).trimEnd().split('\n');
  const columns = head!.split(',');
  assert.deepEqual(columns.slice(0, 2), ['row', 'line']);
  assert.deepEqual(columns.filter((c) => c.includes(':')), ['R:x'], 'one prefix: the one `neon-cluster explain` writes (row,cluster,evidence,R:x)');
  assert.deepEqual(lines.map((l) => l.split(',').slice(0, 2).map(Number)), [[0, 2], [1, 3]]);
  const json = JSON.parse(toJson({ ...result, model: { kind: 'kmeans', k: 2 } } as unknown as PipelineResult, '/d/t.csv')) as { items: Record<string, unknown>[] };
  assert.deepEqual(json.items.map((it) => [it.row, it.line]), [[0, 2], [1, 3]]);
  assert.ok(!('item' in json.items[0]!) && !('location' in json.items[0]!));
});

test('Export of a text corpus: row (an integer), document and location, then the top words', () => {
  const text = {
    dataset: {
      kind: 'text', source: '/d/c.jsonl', rows: 1, notes: [],
      documents: [{ name: 'c.jsonl:3', path: '/d/c.jsonl', start: 40, end: 80 }],
      tokens: { docStart: Int32Array.from([0, 2]), word: Int32Array.from([0, 1]) },
      vocabulary: ['engine', 'bread'],
    },
    units: ['engine', 'bread'],
    assignments: Int32Array.from([0]),
    evidence: Float64Array.from([2]),
    probability: Float64Array.from([0.8]),
    rowRelevance: new Float64Array(0),
    tokenRelevance: Float64Array.from([1.5, -0.5]),
    clusters: [{ index: 0, size: 1, label: 'engine', top: [], meanEvidence: 2 }],
  } as unknown as PipelineResult;
  assert.equal(toCsv(text), 'row,document,location,cluster,cluster_label,evidence,probability,top_words\n0,c.jsonl:3,/d/c.jsonl:40-80,0,engine,2,0.8,engine (+1.5); bread (-0.5)\n');
});
