/**
 * Parquet tables (test/fixtures/foreign, written by make-fixtures.mjs): the same table as CSV
 * and as Parquet (snappy, gzip, zstd, a Spark-style folder of part files) gives identical
 * clusters and relevances; column types come from the schema; timestamps are left out with a
 * note; chunks stream row group by row group; a free-text column is not offered as documents
 * (coffee-shops.parquet: samples/coffee-shops.csv as Parquet), and the run says so.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cellText, kindAt } from '../../../src/engine/data/cellColumn';
import { CELL_EMPTY } from '../../../src/engine/data/cells';
import { openTable, readTable } from '../../../src/engine/data/tableFormats';
import { inspectDataset } from '../../../src/engine/data/inspectDataset';
import { resolveSourceKind } from '../../../src/engine/data/loadDataset';
import { PARQUET_TEXT_UNSUPPORTED } from '../../../src/engine/data/tableReader';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { FIXTURES, tempDir, writeFile } from './fixturePaths';

const at = (name: string) => path.join(FIXTURES, 'foreign', name);
const SETTINGS = { ...DEFAULT_SETTINGS, k: 3, flippingSample: 0 };

async function clustered(file: string): Promise<{ assignments: number[]; relevance: number[]; features: string[]; columns: string[] }> {
  const { result } = await runPipeline({ kind: 'auto', path: file }, SETTINGS);
  return {
    assignments: Array.from(result.assignments),
    relevance: Array.from(result.rowRelevance),
    features: [...result.featureNames],
    columns: result.dataset.kind === 'table' ? result.dataset.columns.map((c) => `${c.name}:${c.kind}`) : [],
  };
}

describe('Parquet tables', () => {
  it('the same table as CSV and as Parquet (snappy, gzip, zstd, a folder of part files) gives identical clusters and relevances', async () => {
    const csv = await clustered(at('customers.csv'));
    assert.deepEqual(csv.features.slice(0, 4), ['age', 'income', 'visits', 'spend']);
    assert.deepEqual(csv.features.slice(4).sort(), ['segment=families', 'segment=retired', 'segment=students']);
    for (const name of ['customers.snappy.parquet', 'customers.gzip.parquet', 'customers.zstd.parquet', 'customers-parts']) {
      const pq = await clustered(at(name));
      assert.deepEqual(pq.columns, csv.columns, `${name}: column kinds`);
      assert.deepEqual(pq.features, csv.features, `${name}: features`);
      assert.deepEqual(pq.assignments, csv.assignments, `${name}: assignments`);
      assert.deepEqual(pq.relevance, csv.relevance, `${name}: relevances`);
    }
  });

  it('a folder of part files is a table (not a text folder); _SUCCESS and .crc files are ignored', async () => {
    assert.equal(resolveSourceKind({ kind: 'auto', path: at('customers-parts') }), 'table');
    const t = await readTable(at('customers-parts'));
    assert.equal(t.rows, 300);
    assert.deepEqual(t.header, ['id', 'age', 'income', 'visits', 'spend', 'segment']);
    assert.ok(t.notes.some((n) => /3 Parquet part files read in order/.test(n)));
    // Rows in part order: the first row of part 2 is row 97 of the CSV.
    const csv = await readTable(at('customers.csv'));
    assert.equal(cellText(t.columns[0], 97), cellText(csv.columns[0], 97));
  });

  it('column types come from the schema: numbers, strings and booleans read; timestamps left out with a note; nulls are empty cells', async () => {
    const t = await readTable(at('types.parquet'));
    assert.deepEqual(t.header, ['member', 'x', 'n', 'city']);
    assert.deepEqual(t.schema.columns.map((c) => c.storage), ['text', 'number', 'number', 'text']);
    assert.ok(t.notes.some((n) => /1 timestamp \/ date column\(s\) not read .*"when"/.test(n)), t.notes.join(' | '));
    assert.equal(t.rowLine[3], 4, 'rows without lines are numbered from 1');
    assert.deepEqual([0, 1, 2, 3].map((i) => cellText(t.columns[0], i)), ['true', 'false', 'true', '']);
    assert.equal(kindAt(t.columns[1], 1), CELL_EMPTY);
    assert.deepEqual(Array.from(t.columns[2].values), [1, 2, 3, 4, 5, 6]);
    assert.equal(cellText(t.columns[3], 4), 'Rome');
  });

  it('a free-text column is not offered as documents, and the run says the table\'s other columns were clustered', async () => {
    // As CSV, review is offered as a text column (the extension's text step); as Parquet it is not.
    const csv = await inspectDataset({ kind: 'table', path: path.join(FIXTURES, '..', '..', 'samples', 'coffee-shops.csv') });
    assert.deepEqual(csv.textColumns, ['review']);
    assert.equal(csv.parquetTextColumns, undefined);
    const pq = await inspectDataset({ kind: 'table', path: at('coffee-shops.parquet') });
    assert.deepEqual(pq.textColumns, []);
    assert.deepEqual(pq.parquetTextColumns, ['review']);
    assert.equal(pq.columns.find((c) => c.name === 'review')?.kind, 'text');
    const { result } = await runPipeline({ kind: 'auto', path: at('coffee-shops.parquet') }, SETTINGS);
    assert.equal(result.dataset.kind, 'table');
    assert.equal(result.assignments.length, 120);
    assert.ok(!result.featureNames.some((f) => f.startsWith('review')), result.featureNames.join(', '));
    assert.ok(result.featureNames.includes('espresso_eur'));
    const note = result.notes.find((n) => n.includes('free text column(s) excluded'));
    assert.equal(note, `coffee-shops.parquet: 1 free text column(s) excluded from the features: "review" (free text (105 distinct values in 120 rows)) (${PARQUET_TEXT_UNSUPPORTED}).`);
    // The CSV's note does not say it: its text column can be clustered.
    const fromCsv = await runPipeline({ kind: 'auto', path: path.join(FIXTURES, '..', '..', 'samples', 'coffee-shops.csv') }, SETTINGS);
    assert.ok(fromCsv.result.notes.some((n) => /free text column\(s\) excluded .*"review"/.test(n) && !n.includes(PARQUET_TEXT_UNSUPPORTED)), fromCsv.result.notes.join(' | '));
  });

  it('streams in chunks of the requested size across row groups and part files', async () => {
    const reader = await openTable(at('customers-parts'));
    const sizes: number[] = [];
    let first = -1;
    try {
      for await (const chunk of reader.chunks({ chunkRows: 64 })) {
        if (first < 0) first = chunk.firstRow;
        sizes.push(chunk.rows);
      }
    } finally {
      await reader.close();
    }
    assert.equal(first, 0);
    assert.deepEqual(sizes, [64, 64, 64, 64, 44]);
  });

  it('maxRows stops early with a note', async () => {
    const t = await readTable(at('customers.zstd.parquet'), { maxRows: 100 });
    assert.equal(t.rows, 100);
    assert.ok(t.notes.some((n) => /only the first 100 data rows/.test(n)));
  });

  it('a file that is not Parquet, and a folder partitioned by column, fail naming the file', async () => {
    const dir = tempDir('parquet');
    const fake = writeFile(dir, 'fake.parquet', 'a,b\n1,2\n');
    await assert.rejects(readTable(fake), /fake\.parquet: is not a Parquet file/);
    fs.mkdirSync(path.join(dir, 'table', 'year=2024'), { recursive: true });
    await assert.rejects(readTable(path.join(dir, 'table')), /table: is partitioned into folders \(year=2024\)/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
