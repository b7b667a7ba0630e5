import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { tableRowsText } from '../../../src/engine/data/cellColumn';
import { sniffDelimiter } from '../../../src/engine/data/delimiter';
import { looksLikeHeader } from '../../../src/engine/data/headerNames';
import { MissingValueRule } from '../../../src/engine/data/missingValues';
import { resolveSourceKind } from '../../../src/engine/data/loadDataset';
import { readTable } from '../../../src/engine/data/tableFormats';
import type { ColumnarTable } from '../../../src/engine/data/tableReader';
import { decodeWindows1252, sniffEncoding } from '../../../src/engine/data/fileText';
import { DataError } from '../../../src/engine/errors';
import { tempDir, writeFile } from './fixturePaths';

const dir = tempDir('csv');
const rowsOf = (t: ColumnarTable): string[][] => tableRowsText(t.columns, t.rows);
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('readTable: quoted fields with delimiters, doubled quotes and embedded CRLF newlines', async () => {
  const p = writeFile(dir, 'quotes.csv', 'name,age,comment\r\n"Smith, J",42,"said ""hi""\r\nthen left"\r\n\r\nBob,7,plain\r\n');
  const t = await readTable(p);
  assert.deepEqual(t.header, ['name', 'age', 'comment']);
  assert.deepEqual(rowsOf(t), [
    ['Smith, J', '42', 'said "hi"\r\nthen left'],
    ['Bob', '7', 'plain'],
  ]);
  // Row 1 starts on line 2 and spans lines 2-3; line 4 is blank; Bob is on line 5.
  assert.deepEqual(Array.from(t.rowLine), [2, 5]);
  assert.equal(t.delimiter, ',');
});

test('readTable: a UTF-8 BOM is stripped from the first header name', async () => {
  const p = writeFile(dir, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,x\n1,2\n2,3\n')]));
  const t = await readTable(p);
  assert.equal(t.header[0], 'id');
});

test('readTable: semicolon and tab delimiters are sniffed; a comma inside quotes does not count', async () => {
  const semi = await readTable(writeFile(dir, 'semi.csv', 'a;b;c\n"1,5";2;3\n4;5;6\n'));
  assert.equal(semi.delimiter, ';');
  assert.deepEqual(rowsOf(semi)[0], ['1.5', '2', '3']);
  const tab = await readTable(writeFile(dir, 'tab.txt', 'a\tb\n1\t2\n3\t4\n'));
  assert.equal(tab.delimiter, '\t');
  assert.deepEqual(rowsOf(tab)[1], ['3', '4']);
  assert.equal(sniffDelimiter('"x,y,z"|b\n"1,2,3"|4\n', true), '|');
});

test('readTable: header detection (text over numbers = header; all numbers = data)', async () => {
  const withHeader = await readTable(writeFile(dir, 'h.csv', 'height,weight\n1.8,80\n1.6,55\n'));
  assert.deepEqual(withHeader.header, ['height', 'weight']);
  assert.equal(withHeader.rows, 2);
  const noHeader = await readTable(writeFile(dir, 'nh.csv', '1.8,80\n1.6,55\n'));
  assert.deepEqual(noHeader.header, ['column 1', 'column 2']);
  assert.equal(noHeader.rows, 2);
  assert.ok(noHeader.notes.some((n) => n.includes('no header row')));
  // All-text table: header when its values do not reappear below.
  const rule = new MissingValueRule();
  assert.equal(looksLikeHeader([['color', 'size'], ['red', 'big'], ['blue', 'small']], rule), true);
  assert.equal(looksLikeHeader([['red', 'big'], ['blue', 'small'], ['red', 'small']], rule), false);
});

test('readTable: short rows are padded with a note; a row with an extra value is skipped naming its line, the others kept', async () => {
  const short = await readTable(writeFile(dir, 'short.csv', 'a,b,c\n1,2,3\n4,5\n'));
  assert.deepEqual(rowsOf(short)[1], ['4', '5', '']);
  assert.ok(short.notes.some((n) => n.includes('fewer fields') && n.includes('line 3')));
  const long = await readTable(writeFile(dir, 'long.csv', 'a,b\n1,2\n3,4,5\n6,7\n'));
  assert.deepEqual(rowsOf(long), [['1', '2'], ['6', '7']]);
  assert.deepEqual(Array.from(long.rowLine), [2, 4]);
  assert.ok(long.notes.some((n) => /long\.csv: 1 row\(s\) have more values than the header has columns and were skipped: line 3 \(3 fields; "5" in field 3 has no column\)/.test(n)), long.notes.join('\n'));
  await assert.rejects(readTable(writeFile(dir, 'allLong.csv', 'a,b\n1,2,3\n4,5,6\n')), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.line, 2);
    assert.match(e.message, /allLong\.csv, line 2: every row has more values than the header has columns/);
    return true;
  });
});

test('readTable: an unterminated quote on the last line skips that line with a warning naming line and column; the rows before it are kept (trial s21 D3)', async () => {
  const t = await readTable(writeFile(dir, 'unterminated.csv', 'a,b\n1,2\n3,"open\n'));
  assert.deepEqual(rowsOf(t), [['1', '2']]);
  assert.deepEqual(t.notes.filter((n) => n.includes('unterminated')), [
    'unterminated.csv: 1 record(s) with an unterminated quoted field skipped (the other 1 are kept): line 3, column "b" (field 2): the cell opens with " and never closes before the end of the file, so that record was skipped (1 line in all) and reading went on at the next line; check the quote (close it, or write a literal quote as "") to read that row.',
  ]);
});

test('readTable: an unterminated quote before the last line skips its line only; the lines after it are rows (review7 F3: they were swallowed)', async () => {
  const t = await readTable(writeFile(dir, 'unterminated-mid.csv', 'a,b\n1,2\n3,"open\n5,6\n7,8\n'));
  assert.deepEqual(rowsOf(t), [['1', '2'], ['5', '6'], ['7', '8']]);
  assert.deepEqual(Array.from(t.rowLine), [2, 4, 5]);
  // pandas-style row numbers: the skipped record keeps its number, as a row with extra values does.
  assert.deepEqual(Array.from(t.rowIndex ?? []), [0, 2, 3]);
  assert.ok(t.notes.some((n) => n.startsWith('unterminated-mid.csv: 1 record(s) with an unterminated quoted field skipped (the other 3 are kept): line 3, column "b" (field 2):')), t.notes.join('\n'));
});

/** 1,000 rows of id,x,y,comment with a quote that never closes opening the comment of line `line`. */
function strayQuoteCsv(name: string, line: number): string {
  const rows = ['id,x,y,comment'];
  for (let i = 0; i < 1000; i++) rows.push(`${i},${((i * 37) % 1000) / 1000},${((i * 91) % 1000) / 1000},${i + 2 === line ? '"unclosed comment' : 'ok'}`);
  return writeFile(dir, name, rows.join('\n') + '\n');
}

for (const line of [3, 502]) {
  test(`readTable: a quote that never closes on line ${line} of 1,000 rows: 999 rows kept, the note names line ${line} and column "comment" (review7 F3)`, async () => {
    const t = await readTable(strayQuoteCsv(`stray-${line}.csv`, line));
    assert.equal(t.rows, 999);
    const lines = Array.from(t.rowLine);
    assert.ok(!lines.includes(line) && lines[0] === 2 && lines[998] === 1001, 'every line but the bad one is a row');
    assert.equal(tableRowsText(t.columns, t.rows).filter((r) => r[3] !== 'ok').length, 0, 'no cell swallowed other lines');
    assert.deepEqual(t.notes.filter((n) => n.includes('unterminated')), [
      `stray-${line}.csv: 1 record(s) with an unterminated quoted field skipped (the other 999 are kept): line ${line}, column "comment" (field 4): the cell opens with " and never closes before the end of the file, so that record was skipped (1 line in all) and reading went on at the next line; check the quote (close it, or write a literal quote as "") to read that row.`,
    ]);
  });
}

test('readTable: onBadLines "error" (--strict) stops at a quote that never closes, naming file, line and column (pandas: "EOF inside string")', async () => {
  await assert.rejects(readTable(strayQuoteCsv('stray-strict.csv', 502), { onBadLines: 'error' }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.deepEqual([e.line, e.column], [502, 'comment']);
    assert.match(e.message, /stray-strict\.csv, line 502, column "comment": unterminated quoted field: the cell in field 4 opens with " and never closes before the end of the file; this read stops at such a record/);
    return true;
  });
});

test('readTable: a record whose closed quoted cell spans lines 3-4 opens a quote on line 4 that never closes: lines 3-4 are skipped, counted as 2 lines', async () => {
  const t = await readTable(writeFile(dir, 'unterminated-span.csv', 'a,b\n1,x\n"two\nlines","open\n4,z\n6,w\n'));
  assert.deepEqual(rowsOf(t), [['1', 'x'], ['4', 'z'], ['6', 'w']]);
  assert.deepEqual(Array.from(t.rowLine), [2, 5, 6]);
  const note = t.notes.find((n) => n.includes('unterminated')) ?? '';
  assert.match(note, /^unterminated-span\.csv: 1 record\(s\) with an unterminated quoted field skipped \(the other 3 are kept\): line 4 \(its record starts on line 3\), column "b" \(field 2\): .* so that record was skipped \(2 lines in all\)/);
});

test('readTable: an unterminated quote in the only data row fails at the line where the quoted cell starts (nothing to keep)', async () => {
  await assert.rejects(readTable(writeFile(dir, 'unterminated1.csv', 'a,b\n3,"open\n')), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.line, 2);
    assert.match(e.message, /unterminated1\.csv, line 2, column "b": unterminated quoted field: the cell in field 2 opens with " and never closes/);
    assert.equal(e.column, 'b');
    return true;
  });
});

test('readTable: maxRows keeps the first rows and says so', async () => {
  const t = await readTable(writeFile(dir, 'many.csv', 'x\n' + Array.from({ length: 50 }, (_, i) => String(i)).join('\n') + '\n'), { maxRows: 10 });
  assert.equal(t.rows, 10);
  assert.equal(rowsOf(t)[9][0], '9');
  assert.equal(t.rowLine[9], 11);
  assert.ok(t.notes.some((n) => n.includes('only the first 10')));
});

test('readTable: UTF-16 LE/BE with BOM and Windows-1252 decode to the same cells', async () => {
  const text = 'city,temp\nZürich,12\nKöln,9\n';
  const le = await readTable(writeFile(dir, 'le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
  const be16 = Buffer.from(text, 'utf16le').swap16();
  const be = await readTable(writeFile(dir, 'be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be16])));
  const latin = await readTable(writeFile(dir, 'latin.csv', Buffer.from(text, 'latin1')));
  for (const t of [le, be, latin]) assert.deepEqual(rowsOf(t), [['Zürich', '12'], ['Köln', '9']]);
  assert.ok(latin.notes.some((n) => n.includes('Windows-1252')));
});

test('encoding: Windows-1252 maps 0x80 to the euro sign and 0x93/0x94 to curly quotes', () => {
  assert.equal(decodeWindows1252(Uint8Array.from([0x80, 0x93, 0x41, 0x94, 0xe9])), '\u20ac\u201cA\u201d\u00e9');
});

test('encoding: NUL bytes mean binary (DataError naming the file); UTF-16 without BOM is recognised', () => {
  assert.throws(() => sniffEncoding(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), 'x.zip', true), /x\.zip: looks like a binary file/);
  const guess = sniffEncoding(Buffer.from('a,b\n1,2\n', 'utf16le'), 'y.csv', true);
  assert.equal(guess.encoding, 'utf-16le');
});

test('readTable: empty file and header-only file fail with clear messages', async () => {
  await assert.rejects(readTable(writeFile(dir, 'empty.csv', '')), /empty\.csv: the file is empty/);
  await assert.rejects(readTable(writeFile(dir, 'header.csv', 'a,b,c\n')), /header\.csv, line 1: the file has a header row but no data rows/);
  await assert.rejects(readTable(writeFile(dir, 'missing.csv', 'x').replace('missing.csv', 'nope.csv')), /nope\.csv: file not found/);
});

test('readTable: a streamed file larger than one chunk keeps every row and line', async () => {
  const lines = ['a,b'];
  for (let i = 0; i < 30_000; i++) lines.push(`${i},"v${i}\nx"`);
  const t = await readTable(writeFile(dir, 'big.csv', lines.join('\n') + '\n'));
  assert.equal(t.rows, 30_000);
  assert.equal(t.rowLine[29_999], 2 + 2 * 29_999);
  assert.equal(rowsOf(t)[29_999][1], 'v29999\nx');
});

test('readTable: invalid UTF-8 far past the sniffed head is read as Windows-1252 from there, with a note', async () => {
  const head = Buffer.from('name,value\n' + Array.from({ length: 400_000 }, (_, i) => `café${i},${i % 10}`).join('\n') + '\n', 'utf8');
  const tail = Buffer.from([0x4b, 0xf6, 0x6c, 0x6e, 0x2c, 0x31, 0x0a]); // "Köln,1" in Latin-1
  assert.ok(head.length > 4_500_000);
  const t = await readTable(writeFile(dir, 'late-latin1.csv', Buffer.concat([head, tail])));
  assert.equal(t.rows, 400_001);
  const rows = rowsOf(t);
  assert.equal(rows[400_000][0], 'Köln');
  // The valid UTF-8 before the block with the bad byte stays UTF-8.
  assert.equal(rows[0][0], 'café0');
  assert.ok(t.notes.some((n) => n.includes('not valid UTF-8 from about byte') && n.includes('Windows-1252')), t.notes.join('\n'));
});

test('readTable: a record longer than maxRecordBytes fails at its start line instead of buffering the file', async () => {
  // Larger than one 4 MB read block, so the record is still open when the bound is checked.
  const p = writeFile(dir, 'runaway.csv', 'a,b\n1,2\n3,"runaway\n' + 'x,y\n'.repeat(1_300_000));
  await assert.rejects(readTable(p, { maxRecordBytes: 1000 }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.line, 3);
    assert.match(e.message, /runaway\.csv, line 3: a record is longer than 1000 bytes/);
    return true;
  });
});

test('a .txt that is a UTF-16 tab-separated export (Excel "Unicode Text") is read as a table; prose stays paragraphs', async () => {
  const text = 'name\tprice\r\nStuhl\t89,90\r\nTisch\t1.299\r\nLampe\t24,95\r\n';
  const p = writeFile(dir, 'export.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  assert.equal(resolveSourceKind({ kind: 'auto', path: p }), 'table');
  const t = await readTable(p);
  assert.equal(t.delimiter, '\t');
  assert.deepEqual(rowsOf(t).map((r) => r[0]), ['Stuhl', 'Tisch', 'Lampe']);
  const prose = writeFile(dir, 'notes.txt', 'A first paragraph.\n\nA second one\twith a tab.\n\nA third.\n');
  assert.equal(resolveSourceKind({ kind: 'auto', path: prose }), 'paragraphs');
});
