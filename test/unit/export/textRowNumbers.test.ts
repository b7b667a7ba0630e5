/**
 * A CSV text column's documents after a skipped record (review7 F4): Export…, the status note
 * and the CLI's `explain` number a document the same way, by its row in the file as pandas
 * numbers it (`ref.row`, with a gap at the skipped record), not by its index among the documents.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { exportRows } from '../../../src/engine/export/explanations';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { tempDir } from '../pipeline/syntheticData';

const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const TOPICS = ['engine stalls cold starter clicks battery', 'bread dough rises slowly kitchen overnight yeast', 'referee penalty final minute goal match'];

// 40 documents; line 7 (pandas row 5) has extra values and is skipped; line 32 (row 30) has only stop words.
const dir = tempDir('text-rows');
const csv = path.join(dir, 'wl.csv');
const lines = ['id,text'];
for (let i = 0; i < 40; i++) lines.push(i === 5 ? `${i},"extra",value,here,too` : i === 30 ? `${i},"the of and"` : `${i},"${TOPICS[i % 3]} case ${i}"`);
fs.writeFileSync(csv, lines.join('\n') + '\n');

test('CSV text column with a skipped record: Export… rows, the status note and CLI explain give wl.csv:8 row 6 and wl.csv:32 row 30', async () => {
  const settings = { ...DEFAULT_SETTINGS, k: 3, textColumn: 'text', flippingSample: 0 };
  const { result } = await runPipeline({ kind: 'csv-text', path: csv }, settings);
  assert.equal(result.dataset.kind, 'text');
  const rows = exportRows(result);
  const byDocument = new Map(rows.map((r) => [r.document, r.row]));
  assert.equal(byDocument.get('wl.csv:8'), 6, 'the document of line 8 is pandas row 6 (row 5, line 7, was skipped)');
  assert.equal(byDocument.get('wl.csv:32'), 30);
  assert.equal(byDocument.get('wl.csv:2'), 0);

  // The status note and the reading note name the word-less document alike.
  const wordless = result.notes.filter((n) => n.includes('wl.csv:32'));
  assert.ok(wordless.length >= 2, result.notes.join('\n'));
  for (const n of wordless) assert.match(n, /wl\.csv:32 \(row 30\)/, n);

  // CLI explain on the same file (the model fitted by the CLI) numbers every document as Export… does.
  const model = path.join(dir, 'wl.json');
  const fit = spawnSync(process.execPath, [CLI, 'fit', '-k', '3', '--text-column', 'text', '--out', model, csv], { encoding: 'utf8' });
  assert.equal(fit.status, 0, fit.stderr);
  const explain = spawnSync(process.execPath, [CLI, 'explain', '--model-file', model, '--text-column', 'text', csv], { encoding: 'utf8' });
  assert.equal(explain.status, 0, explain.stderr);
  const cliRows = new Map(explain.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',')).map((c) => [c[1]!, Number(c[0])]));
  for (const r of rows) assert.equal(cliRows.get(r.document!), r.row, `${r.document}: CLI row ${cliRows.get(r.document!)} vs Export… row ${r.row}`);
});
