/**
 * The editor's record splitter (src/extension/editor/csvRecord.ts) against the table reader,
 * for trial 6 D7: in the tester's Excel export (kunden_export.csv: BOM, `;`, CRLF records
 * with LF line breaks inside quoted comments) a third of the rows span two lines, and each
 * line of such a row must get its own cells' ranges. The splitter must end every record on
 * the line where the reader's tokenizer ends it and give the same field texts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CsvTokenizer, fieldText } from '../../../src/engine/data/csvTokenizer';
import { readTable } from '../../../src/engine/data/tableFormats';
import { cellAt, cellText, linesOf, splitCsvRecord } from '../../../src/extension/editor/csvRecord';
import { FIXTURES } from '../data/fixturePaths';

const TRIAL6 = path.join(FIXTURES, 'trial6');

/** The file's text as VS Code shows it: decoded, without the UTF-8 BOM. */
function editorText(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

/** Every record the reader's tokenizer finds: its 1-based start line, extra lines and field texts. */
function tokenizerRecords(file: string, delimiter: string, bytes: Uint8Array = fs.readFileSync(file)): { line: number; extraLines: number; fields: string[] }[] {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const out: { line: number; extraLines: number; fields: string[] }[] = [];
  const tokenizer = new CsvTokenizer(delimiter.charCodeAt(0), {
    record(buf, starts, ends, flags, fields, line, _numbers, _values, extraLines) {
      const texts: string[] = [];
      for (let f = 0; f < fields; f++) texts.push(fieldText(buf, starts[f]!, ends[f]!, flags[f]!));
      out.push({ line, extraLines, fields: texts });
      return true;
    },
  }, file, 1 << 20);
  tokenizer.parse(bytes, bytes.length, true);
  return out;
}

test('kunden_export.csv lines 6-7: the comment cell is split over both lines, the rest of the row is on line 7', () => {
  const text = linesOf(editorText(path.join(TRIAL6, 'kunden_export.csv')));
  // 0-based line 5 = the file's line 6: `100028;25.03.2022;63;München;33.649,67;8;963,82;"Rückruf erbeten,`
  const first = text.lineAt(5).text;
  assert.equal(first, '100028;25.03.2022;63;München;33.649,67;8;963,82;"Rückruf erbeten,');
  assert.equal(text.lineAt(6).text, 'bitte vormittags";yes');
  const r = splitCsvRecord(text, 5, ';');
  assert.equal(r.complete, true);
  assert.equal(r.firstLine, 5);
  assert.equal(r.lastLine, 6);
  assert.equal(r.cells.length, 9);
  assert.deepEqual(r.cells[0], [{ line: 5, start: 0, end: 6 }]);
  assert.deepEqual(r.cells[6], [{ line: 5, start: 41, end: 47 }]); // 963,82
  assert.deepEqual(r.cells[7], [{ line: 5, start: 48, end: 65 }, { line: 6, start: 0, end: 17 }]); // "Rückruf erbeten, / bitte vormittags"
  assert.deepEqual(r.cells[8], [{ line: 6, start: 18, end: 21 }]); // yes
  assert.equal(cellText(text, r.cells[7]!), 'Rückruf erbeten,\nbitte vormittags');
  assert.equal(cellText(text, r.cells[8]!), 'yes');
  assert.equal(cellAt(r, 6, 3), 7, 'line 7, column 4 is in the comment');
  assert.equal(cellAt(r, 6, 17), undefined, 'the delimiter after the closing quote');
  assert.equal(cellAt(r, 6, 19), 8, 'churned');
  assert.equal(cellAt(r, 6, 21), 8, 'the end of the line counts for the last field');
  assert.equal(cellAt(r, 5, 50), 7);
  assert.equal(cellAt(r, 4, 0), undefined, 'a line outside the record');
});

test('trial 6 files: every record of the reader ends where the tokenizer ends it, with the same field texts', async () => {
  for (const name of ['kunden_export.csv', 'kunden_badquote.csv', 'tickets.csv']) {
    const file = path.join(TRIAL6, name);
    const table = await readTable(file);
    const text = linesOf(editorText(file));
    const records = tokenizerRecords(file, table.delimiter);
    const byLine = new Map(records.map((r) => [r.line, r]));
    let multiLine = 0;
    for (let i = 0; i < table.rowLine.length; i++) {
      const start = table.rowLine[i]! - 1;
      const r = splitCsvRecord(text, start, table.delimiter);
      const want = byLine.get(start + 1);
      assert.ok(want, `${name}: the tokenizer has a record on line ${start + 1}`);
      assert.equal(r.complete, true, `${name} line ${start + 1}`);
      assert.equal(r.lastLine, start + want.extraLines, `${name}: the record of line ${start + 1} ends on the tokenizer's line`);
      assert.deepEqual(r.cells.map((c) => cellText(text, c)), want.fields, `${name} line ${start + 1}: field texts`);
      if (i + 1 < table.rowLine.length) assert.ok(r.lastLine < table.rowLine[i + 1]! - 1, `${name}: row ${i} ends before row ${i + 1} starts`);
      if (r.lastLine > start) multiLine++;
    }
    if (name === 'kunden_export.csv') {
      assert.equal(table.delimiter, ';');
      assert.equal(table.rowLine.length, 1500);
      // About a third of the tester's rows span two lines (trial 6 D7).
      assert.ok(multiLine > 400 && multiLine < 600, `kunden_export.csv: ${multiLine} rows over several lines`);
    }
  }
});

test('line breaks as the reader counts them (CRLF, LF, lone CR), doubled and stray quotes, a blank line inside a quote', () => {
  const src = 'id;note;n\r\n1;"a\r\n""b"";\rc";2\r\n3;x"y;"p"q;4\n5;"\n\nend";6\n7;"open';
  const text = linesOf(src);
  // Lines: 0 header, 1 `1;"a`, 2 `""b"";`, 3 `c";2`, 4 `3;x"y;"p"q;4`, 5 `5;"`, 6 ``, 7 `end";6`, 8 `7;"open`
  const a = splitCsvRecord(text, 1, ';');
  assert.equal(a.lastLine, 3);
  assert.deepEqual(a.cells[1], [{ line: 1, start: 2, end: 4 }, { line: 2, start: 0, end: 6 }, { line: 3, start: 0, end: 2 }]);
  assert.deepEqual(a.cells[2], [{ line: 3, start: 3, end: 4 }]);
  assert.equal(cellText(text, a.cells[1]!), 'a\n"b";\nc');
  // A quote inside an unquoted field is literal; text after a closing quote stays in the field.
  const b = splitCsvRecord(text, 4, ';');
  assert.equal(b.lastLine, 4);
  assert.deepEqual(b.cells.map((c) => cellText(text, c)), ['3', 'x"y', 'pq', '4']);
  const c = splitCsvRecord(text, 5, ';');
  assert.equal(c.lastLine, 7);
  assert.deepEqual(c.cells[1], [{ line: 5, start: 2, end: 3 }, { line: 6, start: 0, end: 0 }, { line: 7, start: 0, end: 4 }]);
  assert.equal(cellAt(c, 6, 0), 1, 'the blank line inside the quote belongs to the note');
  assert.equal(cellAt(c, 7, 5), 2);
  const open = splitCsvRecord(text, 8, ';');
  assert.equal(open.complete, false, 'a quote that never closes (the reader skips that record)');
  assert.equal(open.lastLine, 8);
  // The reader's tokenizer on the same text: the same records, lines and field texts.
  const want = tokenizerRecords('inline.csv', ';', Buffer.from(src, 'utf8'));
  assert.deepEqual(want.map((r) => r.line - 1), [0, 1, 4, 5]);
  for (const r of want) {
    const got = splitCsvRecord(text, r.line - 1, ';');
    assert.equal(got.lastLine, r.line - 1 + r.extraLines);
    // The editor's text keeps no line break kind (VS Code normalises them): cellText gives `\n`.
    assert.deepEqual(got.cells.map((cell) => cellText(text, cell)), r.fields.map((f) => f.replace(/\r\n|\r/g, '\n')));
  }
});
