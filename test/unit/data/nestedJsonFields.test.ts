// Trial s22 D2: JSONL with nested fields (`{"review": {"body": …}, "product": {"category": …}}`,
// as API dumps and pandas' to_json(orient='records', lines=True) of nested data give) could not
// be clustered: only top-level keys were read, the id `review_id` became the text and the run
// ended "no words found". Nested fields are now dotted paths, as pandas' json_normalize names them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { inspectDataset } from '../../../src/engine/data/inspectDataset';
import { jsonFieldEntries, jsonFieldValue } from '../../../src/engine/data/jsonFieldPaths';
import { findJsonStringValue, findJsonValue } from '../../../src/engine/data/sourceOffsets';
import { loadJsonlCorpus } from '../../../src/engine/data/textSources';
import { FIXTURES, runCli, tempDir, writeFile } from './fixturePaths';

const NESTED = path.join(FIXTURES, 'trial7', 'reviews-nested.jsonl');
const ESCAPES = path.join(FIXTURES, 'trial7', 'nested-escapes.jsonl');
const dir = tempDir('nested-json');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('field paths: nested objects give dotted names in document order; arrays and empty objects are values', () => {
  const rec = { id: 1, review: { title: 't', body: 'b', meta: { lang: 'en' } }, tags: ['a', 'b'], extra: {}, 'a.b': 2 };
  assert.deepEqual(jsonFieldEntries(rec).map(([k]) => k), ['id', 'review.title', 'review.body', 'review.meta.lang', 'tags', 'extra', 'a.b']);
  assert.equal(jsonFieldValue(rec, 'review.meta.lang'), 'en');
  assert.deepEqual(jsonFieldValue(rec, 'tags'), ['a', 'b']);
  assert.equal(jsonFieldValue(rec, 'review.nothing'), undefined);
  assert.equal(jsonFieldValue(rec, '__proto__.x'), undefined);
});

test('field paths: a literal top-level key with a dot wins over the nested path of the same name', () => {
  const line = '{"review": {"body": "nested text"}, "review.body": "literal text"}';
  const rec = JSON.parse(line) as Record<string, unknown>;
  assert.equal(jsonFieldValue(rec, 'review.body'), 'literal text');
  const span = findJsonStringValue(line, 'review.body')!;
  assert.equal(line.slice(span.start, span.end), 'literal text');
  // Without the literal key, the nested one; a key holding a dot inside a nested object is found too.
  const nested = '{"a": {"b.c": "x", "b": {"c": "y"}}}';
  assert.equal(jsonFieldValue(JSON.parse(nested) as Record<string, unknown>, 'a.b.c'), 'x');
  const s = findJsonValue(nested, 'a.b.c')!;
  assert.equal(nested.slice(s.start, s.end), '"x"');
});

test('findJsonStringValue: a nested string after braces and quotes inside earlier values; the last duplicate wins', () => {
  const line = '{"product": {"name": "a } \\" {", "category": "x"}, "review": {"body": "first"}, "review": {"title": "t", "body": "second \\"q\\""}}';
  const span = findJsonStringValue(line, 'review.body')!;
  assert.equal(line.slice(span.start, span.end), 'second \\"q\\"');
  assert.equal(findJsonStringValue(line, 'product.category') !== undefined, true);
  assert.equal(findJsonStringValue(line, 'product'), undefined, 'an object is not a string');
  assert.equal(findJsonStringValue(line, 'product.price'), undefined);
});

test('nested-escapes.jsonl: text review.body and label product.category chosen; texts decoded; offsets on the characters in the line; the record without a body named by its line', async () => {
  const corpus = await loadJsonlCorpus(ESCAPES, { maxDocs: 100 });
  const src = fs.readFileSync(ESCAPES, 'utf8');
  const lines = src.split('\n');
  const expected = lines.filter((l) => l !== '').map((l) => (JSON.parse(l) as { review: { body?: string } }).review.body);
  assert.deepEqual(corpus.docs.map((d) => d.text), expected.filter((t) => t !== undefined));
  assert.deepEqual(corpus.docs.map((d) => d.ref.name), ['nested-escapes.jsonl:1', 'nested-escapes.jsonl:2', 'nested-escapes.jsonl:4']);
  assert.deepEqual(corpus.labels, ['garden', 'kitchen', 'garden']);
  assert.equal(corpus.textField, 'review.body');
  assert.ok(corpus.notes.some((n) => n.includes('text field "review.body", label field "product.category"')), corpus.notes.join('\n'));
  assert.ok(corpus.notes.some((n) => /1 line\(s\) without a string "review\.body" field skipped \(first at line 3\)/.test(n)), corpus.notes.join('\n'));
  for (const d of corpus.docs) {
    const map = d.map!;
    // The document spans the body's characters between its quotes in the file.
    assert.equal(src[map[0]! - 1], '"', d.ref.name);
    assert.equal(src[map[d.text.length]!], '"', d.ref.name);
    assert.equal(d.ref.start, map[0]);
    for (let k = 0; k < d.text.length; k++) {
      const raw = src.slice(map[k]!, map[k + 1]!);
      // An unescaped unit is itself; an escape decodes to the unit (\uXXXX of a surrogate pair: one half each).
      assert.equal(JSON.parse(`"${raw}"`).charCodeAt(0) === d.text.charCodeAt(k) || (raw.startsWith('\\u') && parseInt(raw.slice(2, 6), 16) === d.text.charCodeAt(k)), true, `${d.ref.name} unit ${k}: ${raw}`);
    }
  }
  // "watering" in line 1 sits after a \" and a \n escape: its file offsets select it.
  const first = corpus.docs[0]!;
  const k = first.text.indexOf('watering');
  assert.equal(src.slice(first.map![k]!, first.map![k + 8]!), 'watering');
  const e = first.text.indexOf('été');
  assert.equal(src.slice(first.map![e]!, first.map![e + 3]!), '\\u00e9t\\u00e9');
});

test('nested-escapes.jsonl: --text-column product.category and a path that is not there', async () => {
  const byCategory = await loadJsonlCorpus(ESCAPES, { maxDocs: 100, textField: 'product.category', labelField: null });
  assert.deepEqual(byCategory.docs.map((d) => d.text), ['garden', 'kitchen', 'kitchen', 'garden']);
  await assert.rejects(loadJsonlCorpus(ESCAPES, { maxDocs: 100, textField: 'review.text' }),
    /text field "review\.text" not found as a string in any line; fields are "review_id", "product\.category", "product\.name", "review\.title", "review\.body", "rating"/);
  await assert.rejects(loadJsonlCorpus(ESCAPES, { maxDocs: 100, labelField: 'product.kind' }), /label field "product\.kind" not found in any line/);
});

test('a file whose only top-level string is an id: "no words found" names the field it used', async () => {
  const f = writeFile(dir, 'ids.jsonl', '{"id": "R0001", "n": 1}\n{"id": "R0002", "n": 2}\n');
  const { runPipeline } = await import('../../../src/engine/pipeline');
  const { DEFAULT_SETTINGS } = await import('../../../src/engine/pipelineTypes');
  await assert.rejects(runPipeline({ kind: 'auto', path: f }, { ...DEFAULT_SETTINGS, k: 2, flippingSample: 0 }), /no words found in the text field "id"/);
});

test('inspect reviews-nested.jsonl (the trial file): nested text field review.body proposed first, product.category proposed as the label', async () => {
  const i = await inspectDataset({ kind: 'auto', path: NESTED });
  assert.equal(i.source, 'jsonl');
  assert.deepEqual(i.columns.map((c) => c.name), ['review_id', 'product.category', 'product.name', 'product.price', 'rating', 'review.title', 'review.body', 'verified']);
  assert.deepEqual(i.textColumns, ['review.body']);
  assert.equal(i.suggestedLabel, 'product.category');
  assert.equal(i.labelCandidates[0], 'product.category');
  assert.ok(i.labelCandidates.includes('rating'));
});

test('CLI fit: the nested file (fields found by themselves) gives the same clusters as the same records flattened to top-level fields', () => {
  const flat = fs.readFileSync(NESTED, 'utf8').split('\n').filter((l) => l !== '').map((l) => {
    const r = JSON.parse(l) as { review_id: string; review: { body: string }; product: { category: string } };
    return JSON.stringify({ review_id: r.review_id, body: r.review.body, category: r.product.category });
  });
  const flatFile = writeFile(dir, 'reviews-nested.jsonl', flat.join('\n') + '\n');
  const nestedRun = runCli('fit', '--k', '4', '--seed', '3', '-o', path.join(dir, 'nested.neon-model.json'), NESTED);
  assert.equal(nestedRun.code, 0, nestedRun.stderr);
  assert.match(nestedRun.stderr + nestedRun.stdout, /text field "review\.body", label field "product\.category"/);
  const flatRun = runCli('fit', '--k', '4', '--seed', '3', '--text-column', 'body', '--label-column', 'category', '-o', path.join(dir, 'flat.neon-model.json'), flatFile);
  assert.equal(flatRun.code, 0, flatRun.stderr);
  const clusters = (out: string): string[] => out.split('\n').filter((l) => /^\s+cluster \d+ \(|quality:/.test(l));
  assert.equal(clusters(nestedRun.stderr).length, 5, nestedRun.stderr);
  assert.deepEqual(clusters(nestedRun.stderr), clusters(flatRun.stderr));
  assert.match(nestedRun.stderr, /purity 1\.000/);
  // --text-column / --label-column take the dotted names too.
  const named = runCli('fit', '--k', '4', '--seed', '3', '--text-column', 'review.body', '--label-column', 'product.category', '-o', path.join(dir, 'named.neon-model.json'), NESTED);
  assert.equal(named.code, 0, named.stderr);
  assert.deepEqual(clusters(named.stderr), clusters(nestedRun.stderr));
});
