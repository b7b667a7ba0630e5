/**
 * The table-reader interface: chunks in file order with their source lines, the same cells as
 * a whole read, and a saved preprocessing applied chunk by chunk equal to the whole table.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { cellText } from '../../../src/engine/data/cellColumn';
import { buildTableDataset, TablePreprocessor } from '../../../src/engine/data/tableDataset';
import { openCsvStream } from '../../../src/engine/data/csvTableReader';
import { openTable, readTable } from '../../../src/engine/data/tableFormats';
import type { TableChunk } from '../../../src/engine/data/tableReader';
import { CancelledError } from '../../../src/engine/errors';
import { tempDir, writeFile } from './fixturePaths';

const dir = tempDir('chunks');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function sampleCsv(rows: number): string {
  const lines = ['id,x,"price, EUR",color,note'];
  for (let i = 0; i < rows; i++) {
    const color = ['red', 'green', 'blue'][i % 3];
    const note = i % 7 === 0 ? `"multi\nline ${i}"` : `n${i}`;
    lines.push(`${i},${(i * 0.37).toFixed(2)},"${(1000 + i).toLocaleString('en')}.5",${color},${note}`);
    if (i === 500) lines.push('');
  }
  return lines.join('\r\n') + '\r\n';
}

test('chunks: schema first, then rows in file order with their source lines, equal to a whole read', async () => {
  const file = writeFile(dir, 'chunks.csv', sampleCsv(2000));
  const whole = await readTable(file);
  const reader = await openTable(file);
  assert.deepEqual(reader.schema.columns.map((c) => c.name), ['id', 'x', 'price, EUR', 'color', 'note']);
  assert.equal(reader.schema.hasLines, true);
  assert.equal(reader.schema.delimiter, ',');
  const chunks: TableChunk[] = [];
  try {
    for await (const chunk of reader.chunks({ chunkRows: 300 })) chunks.push(chunk);
  } finally {
    await reader.close();
  }
  assert.equal(chunks.length, 7);
  assert.deepEqual(chunks.map((c) => c.rows), [300, 300, 300, 300, 300, 300, 200]);
  let row = 0;
  for (const c of chunks) {
    assert.equal(c.firstRow, row);
    for (let i = 0; i < c.rows; i++, row++) {
      assert.equal(c.rowLine?.[i], whole.rowLine[row]);
      for (let j = 0; j < 5; j++) assert.equal(cellText(c.columns[j], i), cellText(whole.columns[j], row), `row ${row} column ${j}`);
    }
  }
  // Line numbers count the quoted line breaks (every 7th note spans 2 lines) and the blank line.
  assert.equal(whole.rowLine[0], 2);
  assert.equal(whole.rowLine[1], 4);
  assert.equal(cellText(whole.columns[2], 3), '1003.5');
  assert.equal(cellText(whole.columns[4], 7), 'multi\nline 7');
});

test('a whole read sized from the head grows when later rows are shorter, and equals a chunked read', async () => {
  // The head's long rows make the one-chunk estimate ~20x too small: the read must grow its
  // arrays several times and keep every cell, line, skipped-row number and text code.
  const lines = ['id,x,tag'];
  for (let i = 0; i < 250; i++) lines.push(`${i},${i}.25,${'long text '.repeat(20)}${i % 5}`);
  for (let i = 250; i < 30_000; i++) {
    lines.push(`${i},${i % 11}.5,t${i % 4}`);
    if (i === 20_000) lines.push('1,2,3,4'); // too many values: skipped, later rows keep pandas' numbering
  }
  const file = writeFile(dir, 'grow.csv', lines.join('\n') + '\n');
  const whole = await readTable(file);
  assert.equal(whole.rows, 30_000);
  assert.equal(whole.columns[0].values.length, 30_000);
  const reader = await openTable(file);
  let row = 0;
  try {
    for await (const c of reader.chunks({ chunkRows: 4096 })) {
      for (let i = 0; i < c.rows; i++, row++) {
        assert.equal(c.rowLine?.[i], whole.rowLine[row]);
        assert.equal(c.rowIndex?.[i] ?? c.firstRow + i, whole.rowIndex?.[row] ?? row, `row ${row}`);
        for (let j = 0; j < 3; j++) assert.equal(cellText(c.columns[j], i), cellText(whole.columns[j], row), `row ${row} column ${j}`);
      }
    }
  } finally {
    await reader.close();
  }
  assert.equal(row, 30_000);
  assert.equal(whole.rowLine[29_999], 30_002);
  assert.equal(whole.rowIndex?.[29_999], 30_000);
  assert.equal(whole.columns[0].values[29_999], 29_999);
  assert.equal(cellText(whole.columns[2], 29_999), 't3');
  // Distinct texts once each, in order of first appearance: 5 long tags, then t2, t3, t0, t1.
  assert.deepEqual(whole.columns[2].texts.slice(5), ['t2', 't3', 't0', 't1']);
});

test('chunks: a saved preprocessing applied chunk by chunk gives the whole-table features', async () => {
  const file = writeFile(dir, 'pre.csv', sampleCsv(1000));
  const whole = await readTable(file);
  const d = await buildTableDataset(whole, file);
  assert.deepEqual(d.featureNames, ['x', 'price, EUR', 'color=red', 'color=blue', 'color=green']);
  const reader = await openTable(file);
  const pre = new TablePreprocessor(reader.schema.columns.map((c) => c.name), d.preprocessing, file, reader.schema.delimiter);
  const parts: Float64Array[] = [];
  for await (const chunk of reader.chunks({ chunkRows: 128 })) parts.push(pre.apply(chunk.columns, chunk.rows, chunk.rowLine, chunk.firstRow).data);
  await reader.close();
  const joined = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  assert.deepEqual(Array.from(joined), Array.from(d.features.data));
});

test('chunks: maxRows stops early with a note; an aborted signal cancels', async () => {
  const file = writeFile(dir, 'max.csv', sampleCsv(1000));
  const t = await readTable(file, { maxRows: 250 });
  assert.equal(t.rows, 250);
  assert.ok(t.notes.some((n) => n.includes('only the first 250 data rows')));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(readTable(file, { signal: controller.signal }), (e: unknown) => e instanceof CancelledError);
});

test('a header whose first name is "#" is a header, not a comment', async () => {
  const t = await readTable(writeFile(dir, 'hash.csv', '#,name,value\n1,a,2.5\n2,b,3.5\n3,c,1.5\n'));
  assert.deepEqual(t.header, ['#', 'name', 'value']);
  assert.equal(t.rows, 3);
});

test('a stream read once (standard input) reads as the same file does: sep= line, comments, formats, lines', async () => {
  const text = 'sep=;\n# exported\nname;price;n\nA;89,90;1\nB;1.299;2\n' + Array.from({ length: 30_000 }, (_, i) => `r${i};${i},5;${i}`).join('\n') + '\n';
  const file = writeFile(dir, 'stream.csv', text);
  const whole = await readTable(file);
  const reader = await openCsvStream(fs.createReadStream(file, { highWaterMark: 4096 }), 'stdin');
  assert.deepEqual(reader.schema.columns.map((c) => c.name), ['name', 'price', 'n']);
  let row = 0;
  for await (const chunk of reader.chunks({ chunkRows: 5000 })) {
    for (let i = 0; i < chunk.rows; i++, row++) {
      assert.equal(chunk.rowLine?.[i], whole.rowLine[row]);
      assert.equal(cellText(chunk.columns[0], i), cellText(whole.columns[0], row));
      assert.equal(chunk.columns[1].values[i], whole.columns[1].values[i + chunk.firstRow]);
    }
  }
  await reader.close();
  assert.equal(row, 30_002);
  assert.equal(whole.rowLine[0], 4);
});
