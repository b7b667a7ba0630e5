/**
 * The new-user trial of session 21 (trial6): a small `;` batch whose last row opens a quote that
 * never closes (D3), a stray quote mid-file (D5), category values a model has not seen (D15a),
 * word-less documents named in the fit's note (D15b), the free-text hint (D15c). Real files
 * from the trial, in test/fixtures/trial6 (README there).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { sniffDelimiter } from '../../../src/engine/data/delimiter';
import { readTable } from '../../../src/engine/data/tableFormats';
import { tableRowsText } from '../../../src/engine/data/cellColumn';
import { isSkippedRecordsNote } from '../../../src/engine/data/skippedRecords';
import { importModel } from '../../../src/engine/model/importers';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { DataError } from '../../../src/engine/errors';
import { FIXTURES, runCli, tempDir, writeFile } from './fixturePaths';

const TRIAL6 = path.join(FIXTURES, 'trial6');
const NEW = path.join(TRIAL6, 'kunden_new.csv');
const BADQUOTE = path.join(TRIAL6, 'kunden_badquote.csv');
const MODEL = path.join(TRIAL6, 'kunden_export.neon-model.json');
const dir = tempDir('trial6');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const cli = runCli;

test('D3: a header with 9 ";" fields and no comma decides the delimiter over the rows\' decimal commas', () => {
  const text = fs.readFileSync(NEW, 'utf8');
  assert.equal(sniffDelimiter(text, true), ';');
  // The same rows without the unterminated tail were already `;`; a comma file stays a comma file.
  assert.equal(sniffDelimiter('a,b,c\n1,2,3\n4,5,6\n', true), ',');
});

test('D3: kunden_new.csv is read with ";": the rows before the unterminated quote are kept, the record is a skipped-record warning naming line and column', async () => {
  const t = await readTable(NEW);
  assert.equal(t.delimiter, ';');
  assert.equal(t.header.length, 9);
  // Line 3 has an extra value (skipped, as before); line 5 runs to the end of the file.
  assert.deepEqual(Array.from(t.rowLine), [2, 4]);
  assert.deepEqual(tableRowsText(t.columns, t.rows).map((r) => r[0]), ['200001', '200003']);
  const note = t.notes.find((n) => n.includes('unterminated quoted field'));
  assert.equal(
    note,
    'kunden_new.csv: 1 record(s) with an unterminated quoted field skipped (the other 2 are kept): line 5, column "Jahreseinkommen (€)" (field 5): the cell opens with " and never closes before the end of the file, so that record was skipped (1 line in all) and reading went on at the next line; check the quote (close it, or write a literal quote as "") to read that row.',
  );
  assert.ok(isSkippedRecordsNote(note), 'a warning, and an error under --strict');
});

test('D3: an unterminated quote with no other readable row is still an error naming file, line and column', async () => {
  // (With a row below it, '4;5;6', that row is kept and the line skipped: review7 F3.)
  await assert.rejects(readTable(writeFile(dir, 'allopen.csv', 'a;b;c\n1;"2,5;3\n')), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.match(e.message, /allopen\.csv, line 2, column "b": unterminated quoted field: the cell in field 2 opens with " and never closes/);
    return true;
  });
});

test('D3 + D15a: CLI explain --model-file explains rows 0 and 2 of kunden_new.csv, warns of the skipped records and names the unseen categories', () => {
  const r = cli('explain', '--model-file', MODEL, NEW);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'row,cluster,evidence,R:Alter,R:Stadt,R:Jahreseinkommen (€),R:Besuche/Monat,R:Umsatz 2024,R:Kommentar');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), ['0', '2']);
  assert.match(r.stderr, /^warning: kunden_new\.csv: 1 record\(s\) with an unterminated quoted field skipped \(the other 2 are kept\): line 5, column "Jahreseinkommen \(€\)" \(field 5\)/m);
  assert.match(
    r.stderr,
    /^note: kunden_new\.csv: category values the model has not seen are encoded as all-zero inputs \(none of the column's categories is on\): "Stadt" "Hamburg" ×1 \(first at line 2\); "Kommentar" "neu" ×1 \(first at line 2\)\.$/m,
  );
  assert.equal(cli('explain', '--strict', '--model-file', MODEL, NEW).code, 1);
});

test('D3 + D15a: the extension\'s path (a model applied to a file in the engine) explains the same 2 rows with the same notes', async () => {
  const given = await importModel(MODEL);
  const { result } = await runPipeline({ kind: 'auto', path: NEW }, { ...DEFAULT_SETTINGS, flippingSample: 0 }, {}, given);
  assert.equal(result.dataset.rows, 2);
  assert.ok(result.notes.some((n) => n.startsWith('kunden_new.csv: 1 record(s) with an unterminated quoted field skipped (the other 2 are kept): line 5, column "Jahreseinkommen (€)" (field 5)')), result.notes.join('\n'));
  assert.ok(result.notes.some((n) => n.includes('"Stadt" "Hamburg" ×1 (first at line 2)')), result.notes.join('\n'));
});

test('D5: a stray quote on line 41 is named with the lines it spans; Kunden-ID stays an identifier despite the merged text cell', async () => {
  const { result } = await runPipeline({ kind: 'auto', path: BADQUOTE }, { ...DEFAULT_SETTINGS, k: 2, flippingSample: 0 });
  const note = result.notes.find((n) => n.includes('check the quote'));
  assert.equal(
    note,
    'kunden_badquote.csv: quoted field opened at line 41, column "Jahreseinkommen (€)", spans 2 lines (to line 42) and holds 11 ";" — check the quote: ' +
      'text follows its closing quote, so a stray " has joined the lines up to the next " into one cell and the records in between are not rows (pandas reads it the same way, without a warning).',
  );
  assert.ok(result.dataset.kind === 'table');
  const id = result.dataset.columns.find((c) => c.name === 'Kunden-ID');
  assert.equal(id?.kind, 'identifier');
  assert.equal(id?.excludedReason, 'unique integer per row named like an id (1 cell(s) not an integer, read as missing)');
  assert.ok(!result.notes.some((n) => n.includes('filled with the column mean') && n.includes('"Kunden-ID"')), result.notes.join('\n'));
});

test('an id column\'s empty cells are "missing", not "not an integer" (review7 F9b); text cells are "not an integer"', async () => {
  const idsCsv = (cells: (i: number) => string) => ['customer_id,x,y', ...Array.from({ length: 60 }, (_, i) => `${cells(i)},${(i * 37) % 100},${(i * 53) % 100}`)].join('\n') + '\n';
  const reason = async (name: string, text: string): Promise<string | undefined> => {
    const { result } = await runPipeline({ kind: 'auto', path: writeFile(dir, name, text) }, { ...DEFAULT_SETTINGS, k: 2, flippingSample: 0 });
    assert.ok(result.dataset.kind === 'table');
    return result.dataset.columns.find((c) => c.name === 'customer_id')?.excludedReason;
  };
  assert.equal(await reason('ids-empty.csv', idsCsv((i) => (i === 7 || i === 30 ? '' : String(1000 + 7 * i)))), 'unique integer per row named like an id (2 cell(s) missing)');
  assert.equal(
    await reason('ids-both.csv', idsCsv((i) => (i === 7 ? '' : i === 30 ? 'tbd' : String(1000 + 7 * i)))),
    'unique integer per row named like an id (1 cell(s) missing; 1 cell(s) not an integer, read as missing)',
  );
});

test('D5: proper multi-line quoted cells (the Excel export\'s comments) get no stray-quote note', async () => {
  const t = await readTable(writeFile(dir, 'comments.csv', 'id;x;Kommentar\n1;2;"Rückruf erbeten,\nbitte vormittags"\n2;3;"""Premium"" Kunde"\n3;4;"a;\nb"\n'));
  assert.equal(t.rows, 3);
  assert.ok(!t.notes.some((n) => n.includes('check the quote')), t.notes.join('\n'));
});

test('D15c: the free-text note says how to cluster that text instead', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 3},"${['the engine stalls when cold and the starter clicks', 'bread dough rises slowly in a cold kitchen overnight', 'the referee gave a penalty in the final minute'][i % 3]} case ${i} words ${i * 7}"`);
  const file = writeFile(dir, 'tickets.csv', 'ticket,priority,description\n' + rows.join('\n') + '\n');
  const { result } = await runPipeline({ kind: 'auto', path: file }, { ...DEFAULT_SETTINGS, k: 2, flippingSample: 0 });
  const note = result.notes.find((n) => n.includes('free text column(s) excluded'));
  assert.ok(note, result.notes.join('\n'));
  assert.match(note, /"description" \(.*\)\. To cluster the documents of a text column instead: --text-column description \(in VS Code: choose it at the text-column step of Cluster Dataset… \/ Re-cluster…\)\.$/);
});
