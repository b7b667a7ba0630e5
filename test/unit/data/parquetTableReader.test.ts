/**
 * Parquet tables (test/fixtures/foreign, written by make-fixtures.mjs): the same table as CSV
 * and as Parquet (snappy, gzip, zstd, a Spark-style folder of part files) gives identical
 * clusters and relevances; column types come from the schema; timestamps are left out with a
 * note; chunks stream row group by row group; a free-text column's documents hold their cells'
 * text (coffee-shops.parquet: samples/coffee-shops.csv as Parquet; CLI: cli/main.test.ts).
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
import { inFileText, nameWithRow } from '../../../src/engine/data/documentText';
import { loadTableTextCorpus } from '../../../src/engine/data/textSources';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { FIXTURES, tempDir, writeFile } from './fixturePaths';

const at = (name: string) => path.join(FIXTURES, 'foreign', name);
const SHOPS_CSV = path.join(FIXTURES, '..', '..', 'samples', 'coffee-shops.csv');
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

  it('a free-text column is offered as documents, as in the CSV; clustered as a table, the note says how to cluster it', async () => {
    const csv = await inspectDataset({ kind: 'table', path: SHOPS_CSV });
    const pq = await inspectDataset({ kind: 'table', path: at('coffee-shops.parquet') });
    assert.deepEqual(csv.textColumns, ['review']);
    assert.deepEqual(pq.textColumns, ['review']);
    const { result } = await runPipeline({ kind: 'auto', path: at('coffee-shops.parquet') }, SETTINGS);
    assert.equal(result.dataset.kind, 'table');
    assert.ok(!result.featureNames.some((f) => f.startsWith('review')), result.featureNames.join(', '));
    const note = result.notes.find((n) => n.includes('free text column(s) excluded'));
    assert.match(note ?? '', /^coffee-shops\.parquet: 1 free text column\(s\) excluded from the features: "review" \(free text \(105 distinct values in 120 rows\)\)\. To cluster the documents of a text column instead: --text-column review /);
  });

  it('a text column\'s documents hold their cells\' text (no offsets in a binary file), named by row, with the CSV\'s texts and labels', async () => {
    const fromCsv = await loadTableTextCorpus(SHOPS_CSV, { textField: 'review', labelField: 'segment', maxDocs: 1000 });
    const fromPq = await loadTableTextCorpus(at('coffee-shops.parquet'), { textField: 'review', labelField: 'segment', maxDocs: 1000 });
    assert.equal(fromPq.docs.length, 120);
    assert.deepEqual(fromPq.docs.map((d) => d.text), fromCsv.docs.map((d) => d.text));
    assert.equal(fromPq.docs[0]!.text, 'Quiet corner, light roast; slow on weekends.');
    assert.deepEqual(fromPq.labels, fromCsv.labels);
    assert.deepEqual(fromPq.labels?.slice(0, 3), ['specialty', 'chain', 'bakery']);
    assert.deepEqual(fromPq.docs.slice(0, 3).map((d) => d.ref.label), ['specialty', 'chain', 'bakery']);
    assert.deepEqual(fromPq.docs.slice(0, 3).map((d) => d.ref.name), ['coffee-shops.parquet row 0', 'coffee-shops.parquet row 1', 'coffee-shops.parquet row 2']);
    for (const d of fromPq.docs) {
      assert.equal(d.ref.text, d.text, `${d.ref.name} holds its text`);
      assert.deepEqual([d.ref.start, d.ref.end, d.base, d.map], [0, d.text.length, 0, undefined]);
      assert.equal(d.ref.path, path.resolve(at('coffee-shops.parquet')));
      assert.equal(inFileText(d.ref), false);
    }
    // The CSV's documents stay in their file: offsets into its text, no held text.
    const src = fs.readFileSync(SHOPS_CSV, 'utf8');
    assert.ok(fromCsv.docs.every((d) => inFileText(d.ref) && src.slice(d.ref.start, d.ref.end) === d.text));
    assert.ok(fromPq.notes.includes('coffee-shops.parquet: text column "review", label column "segment".'), fromPq.notes.join(' | '));
    // Notes name a document with its row, unless its name is its row already.
    assert.deepEqual([nameWithRow(fromCsv.docs[5]!.ref, 5), nameWithRow(fromPq.docs[5]!.ref, 5)], ['coffee-shops.csv:7 (row 5)', 'coffee-shops.parquet row 5']);

    // Clustered: each token's offsets index its document's held text.
    const { result } = await runPipeline({ kind: 'csv-text', path: at('coffee-shops.parquet') }, { ...SETTINGS, textColumn: 'review' });
    const ds = result.dataset;
    assert.equal(ds.kind, 'text');
    if (ds.kind !== 'text') return;
    let tokens = 0;
    for (let d = 0; d < ds.documents.length; d++) {
      const text: string = ds.documents[d]!.text ?? '';
      for (let t: number = ds.tokens.docStart[d]!; t < ds.tokens.docStart[d + 1]!; t++, tokens++) {
        assert.equal(text.slice(ds.tokens.start[t]!, ds.tokens.end[t]!).toLowerCase(), ds.vocabulary[ds.tokens.word[t]!], `token ${t} of ${ds.documents[d]!.name}`);
      }
    }
    assert.ok(tokens > 500, `${tokens} tokens`);
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
