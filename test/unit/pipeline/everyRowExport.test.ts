// Trial s18: Export… of a table beyond the memory budget wrote only the fitted sample's rows
// (500 of 4,000 here) — the rest of the file, assigned and explained by the streaming pass, was
// silently missing from the file a user joins back to their table. writeEveryRowExport writes
// every row from the pass's results file, with the table's own id and label cells.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeEveryRowExport } from '../../../src/engine/export/everyRowExport';
import { EXCEL_CSV, featureUnits, jsonHead, keyColumnNames, toCsv } from '../../../src/engine/export/explanations';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../../../src/engine/pipelineTypes';
import type { EveryRowSink } from '../../../src/engine/pipeline/everyRow';
import { bytesPerRow } from '../../../src/engine/pipeline/rowBudget';
import { Rng } from '../../../src/engine/rng';
import { tempDir } from './syntheticData';

const dir = tempDir('every-row-export');
const file = path.join(dir, 'customers.csv');
const N = 4000;
/** The data line (1-based) holding a record with one field too many: skipped, as pandas would stop there. */
const BAD_LINE = 101;
{
  const rng = new Rng(5);
  const lines = ['cust_id,a,b,segment'];
  for (let i = 0; i < N; i++) {
    const g = i % 3;
    if (lines.length + 1 === BAD_LINE) lines.push('X9999,1,2,g0,extra');
    lines.push(`C${String(i).padStart(5, '0')},${(rng.normal() + g * 3).toFixed(4)},${(rng.normal() - g).toFixed(4)},g${g}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
const settings: ClusterSettings = { ...DEFAULT_SETTINGS, k: 3, restarts: 2, flippingSample: 0, labelColumn: 'segment', memoryBudgetMb: (500 * bytesPerRow(4)) / 2 ** 20 };

test('Export… of a sampled fit writes every row of the file (CSV and JSON), keyed by the file\'s own ids and row numbers', async () => {
  const streamed: { cluster: number[]; evidence: number[] } = { cluster: [], evidence: [] };
  const sink: EveryRowSink = {
    write(chunk) {
      streamed.cluster.push(...chunk.cluster);
      streamed.evidence.push(...chunk.evidence);
    },
  };
  const rowResultsFile = path.join(dir, 'store', 'rows.bin');
  const { result } = await runPipeline({ kind: 'table', path: file }, { ...settings, rowResultsFile }, {}, undefined, { everyRowSinks: [sink] });
  assert.equal(result.rowSelection?.method, 'sample');
  assert.equal(result.dataset.rows, 500);
  assert.equal(streamed.cluster.length, N);
  // The in-memory export has the sample only: that is what a user got before.
  assert.equal(toCsv(result).trimEnd().split('\n').length - 1, 500);

  const keys = keyColumnNames(result);
  assert.deepEqual(keys, ['cust_id', 'segment']);
  const common = { rowResultsFile, units: result.units, features: featureUnits(result), clusterLabels: result.clusters.map((c) => c.label), keys };
  const csvOut = path.join(dir, 'export.csv');
  const written = await writeEveryRowExport({ ...common, source: file, format: 'csv', out: csvOut });
  assert.equal(written, N);
  const lines = fs.readFileSync(csvOut, 'utf8').trimEnd().split('\n');
  // Integer row (pandas' index) and line, and the CLI's R: prefix (trial s21 D14).
  assert.equal(lines[0], 'row,line,cust_id,segment,cluster,cluster_label,evidence,probability,R:a,R:b');
  assert.equal(lines.length - 1, N);
  assert.ok(!fs.existsSync(`${csvOut}.neon-partial`), 'no partial file left');
  // Row i of the file: its id, pandas' row number (a gap after the skipped record), its line.
  const rows = lines.slice(1).map((l) => l.split(','));
  for (const i of [0, 98, 99, 100, 2500, N - 1]) {
    const line = i + 2 + (i + 2 >= BAD_LINE ? 1 : 0);
    const r = rows[i]!;
    assert.deepEqual(r.slice(0, 4), [`${i + (line > BAD_LINE ? 1 : 0)}`, `${line}`, `C${String(i).padStart(5, '0')}`, `g${i % 3}`], `row ${i}: ${r.join(',')}`);
    assert.equal(Number(r[4]), streamed.cluster[i]);
    assert.equal(r[5], result.clusters[streamed.cluster[i]!]!.label);
    assert.ok(Math.abs(Number(r[6]) - streamed.evidence[i]!) <= 1e-9 * Math.max(1, Math.abs(streamed.evidence[i]!)));
    // NEON is conservative: the columns' relevance adds up to the evidence (Float32 storage).
    assert.ok(Math.abs(Number(r[8]) + Number(r[9]) - streamed.evidence[i]!) < 1e-4 * Math.max(1, Math.abs(streamed.evidence[i]!)), `row ${i}`);
  }
  assert.deepEqual(rows.map((r) => Number(r[4])), streamed.cluster);

  // Excel's form (exportCsvFormat "excel"): the same lines with ";" and decimal commas, after a BOM.
  const excelOut = path.join(dir, 'export-excel.csv');
  assert.equal(await writeEveryRowExport({ ...common, source: file, format: 'csv', dialect: EXCEL_CSV, out: excelOut }), N);
  const excel = fs.readFileSync(excelOut, 'utf8');
  assert.ok(excel.startsWith('\uFEFF'));
  const excelLines = excel.slice(1).trimEnd().split('\n');
  assert.equal(excelLines[0], lines[0]!.replaceAll(',', ';'));
  assert.deepEqual(excelLines.map((l) => l.split(';').map((c) => c.replace(',', '.'))), [lines[0]!.split(','), ...rows]);

  const jsonOut = path.join(dir, 'export.json');
  assert.equal(await writeEveryRowExport({ ...common, source: file, format: 'json', jsonHead: jsonHead(result, file), out: jsonOut }), N);
  const json = JSON.parse(fs.readFileSync(jsonOut, 'utf8')) as { k: number; clusters: unknown[]; items: { row: number; line: number; keys: Record<string, string>; cluster: number; relevance: Record<string, number> }[] };
  assert.equal(json.k, 3);
  assert.equal(json.clusters.length, 3);
  assert.equal(json.items.length, N);
  assert.deepEqual(json.items[2500]!.keys, { cust_id: 'C02500', segment: 'g1' });
  assert.equal(json.items[2500]!.row, 2501);
  assert.equal(json.items[2500]!.line, 2503);
  assert.deepEqual(Object.keys(json.items[0]!.relevance), ['a', 'b']);
  assert.deepEqual(json.items.map((it) => it.cluster), streamed.cluster);
});

test('a key column gone from the file fails naming it, and leaves neither the target nor a partial file', async () => {
  const other = path.join(dir, 'other.csv');
  fs.writeFileSync(other, 'a,b\n1,2\n');
  const rowResultsFile = path.join(dir, 'store', 'rows.bin');
  const out = path.join(dir, 'never.csv');
  await assert.rejects(
    writeEveryRowExport({ source: other, rowResultsFile, units: ['cust_id', 'a', 'b', 'segment'], features: [1, 2], clusterLabels: [], keys: ['cust_id'], format: 'csv', out }),
    /column "cust_id" is no longer in the file/,
  );
  assert.ok(!fs.existsSync(out) && !fs.existsSync(`${out}.neon-partial`));
});
