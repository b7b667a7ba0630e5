import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvDialectFor, EXCEL_CSV, STANDARD_CSV, toCsv } from '../../../src/engine/export/explanations';
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
    'item;location;Kunde;cluster;cluster_label;evidence;probability;relevance:x',
    'row 0;line 2;Müller;0;a;1,5;0,9;1,5',
    'row 1;line 3;7;1;"low x; high y";0,25;0,6;-0,125',
    '',
  ]);
  // Standard CSV is unchanged: no BOM, "," and ".", a ";" needs no quotes.
  assert.equal(toCsv(result), 'item,location,cluster,cluster_label,evidence,probability,relevance:x\nrow 0,line 2,0,a,1.5,0.9,1.5\nrow 1,line 3,1,low x; high y,0.25,0.6,-0.125\n');
});

test('exportCsvFormat: auto follows the display language (decimal-comma languages get Excel\'s form), standard / excel are kept', () => {
  for (const language of ['de', 'fr', 'es', 'it', 'pt-br', 'pl', 'ru', 'tr', 'nl']) assert.equal(csvDialectFor('auto', language), EXCEL_CSV, language);
  for (const language of ['en', 'en-gb', 'ja', 'ko', 'zh-cn', 'zh-tw']) assert.equal(csvDialectFor('auto', language), STANDARD_CSV, language);
  assert.equal(csvDialectFor(undefined, 'de'), EXCEL_CSV);
  assert.equal(csvDialectFor('standard', 'de'), STANDARD_CSV);
  assert.equal(csvDialectFor('excel', 'en'), EXCEL_CSV);
});
