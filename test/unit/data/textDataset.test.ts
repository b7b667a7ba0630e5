import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { embedText, loadDataset, loadTextUnder } from '../../../src/engine/data';
import { tokenWeights } from '../../../src/engine/data/textDataset';
import { DEFAULT_SETTINGS, type ClusterSettings, type DataSource } from '../../../src/engine/pipelineTypes';
import type { TextDataset } from '../../../src/engine/types';
import { sharedData, skipUnlessShared } from '../helpers/sharedData';
import { tempDir, writeFile } from './fixturePaths';

const dir = tempDir('text');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function loadText(source: DataSource, settings: Partial<ClusterSettings> = {}): Promise<TextDataset> {
  const d = await loadDataset(source, { ...DEFAULT_SETTINGS, ...settings });
  assert.equal(d.kind, 'text');
  return d as TextDataset;
}

/**
 * Every feature row is the mean of its tokens' wordVectors rows scaled to unit length (the
 * default `l2` normalization), i.e. σ_i times their sum with σ_i = documentScale[i]: the
 * exactness the token relevance relies on. A document without known tokens is 0 with σ = 0.
 */
function assertFeaturesAreTokenMeans(d: TextDataset, tol = 1e-9): void {
  const { docStart, word } = d.tokens;
  const D = d.preprocessing.dim;
  const W = d.preprocessing.wordVectors;
  assert.equal(W.length, d.preprocessing.vocabulary.length * D);
  assert.equal(d.preprocessing.normalization, 'l2');
  const scale = d.documentScale;
  assert.ok(scale && scale.length === d.documents.length);
  for (let i = 0; i < d.documents.length; i++) {
    const sum = new Float64Array(D);
    for (let t = docStart[i]; t < docStart[i + 1]; t++) for (let j = 0; j < D; j++) sum[j] += W[word[t] * D + j];
    const norm = Math.hypot(...sum);
    for (let j = 0; j < D; j++) {
      const expected = norm > 0 ? sum[j] / norm : 0;
      assert.ok(Math.abs(d.features.data[i * D + j] - expected) <= tol, `doc ${i} dim ${j}`);
      assert.ok(Math.abs(d.features.data[i * D + j] - scale[i] * sum[j]) <= tol, `doc ${i} dim ${j}: σ x sum`);
    }
    if (docStart[i + 1] === docStart[i]) assert.equal(scale[i], 0, `doc ${i} has no token: σ = 0`);
  }
}

/** Each token's [start, end) in the source file decodes to its vocabulary word. */
function assertTokensPointIntoFile(d: TextDataset, decodeRaw: (raw: string) => string): void {
  const files = new Map<string, string>();
  for (let i = 0; i < d.documents.length; i++) {
    const doc = d.documents[i];
    if (!files.has(doc.path)) files.set(doc.path, fs.readFileSync(doc.path, 'utf8').replace(/^\uFEFF/, ''));
    const src = files.get(doc.path) as string;
    for (let t = d.tokens.docStart[i]; t < d.tokens.docStart[i + 1]; t++) {
      const raw = src.slice(d.tokens.start[t], d.tokens.end[t]);
      assert.equal(decodeRaw(raw).toLowerCase(), d.preprocessing.vocabulary[d.tokens.word[t]], `token ${t} of ${doc.name}: raw "${raw}"`);
      assert.ok(d.tokens.start[t] >= doc.start && d.tokens.end[t] <= doc.end);
    }
  }
}

const CORPUS_LINES = [
  { text: 'Caf\u00e9 owners brew coffee; the caf\u00e9 sells coffee and \u201cespresso\u201d', category: 'food' },
  { text: 'Tab\tseparated\nlines: coffee, espresso and more coffee "quoted" beans', category: 'food' },
  { text: 'Rockets launch satellites; rockets reach orbit \ud835\udc00stral', category: 'space' },
  { text: 'Orbit, satellites and rockets: the space agency\\launch plans', category: 'space' },
];

test('JSONL with escapes: token offsets point at the raw escaped text in the file', async () => {
  // Mix escaped (ensure_ascii-style \uXXXX) and literal non-ASCII lines, CRLF line ends.
  const lines = CORPUS_LINES.map((o, i) => {
    const json = JSON.stringify(o);
    return i % 2 === 0 ? json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
  });
  const p = writeFile(dir, 'esc.jsonl', lines.join('\r\n') + '\r\n');
  const d = await loadText({ kind: 'auto', path: p });
  assert.equal(d.documents.length, 4);
  assert.deepEqual(d.labels, ['food', 'food', 'space', 'space']);
  assert.equal(d.documents[2].name, 'esc.jsonl:3');
  assert.ok(d.tokens.word.length > 8);
  assertTokensPointIntoFile(d, (raw) => JSON.parse(`"${raw}"`) as string);
  // The escaped "café" really is escaped in the file and still maps to the word.
  const src = fs.readFileSync(p, 'utf8');
  const cafe = d.preprocessing.vocabulary.indexOf('café');
  assert.ok(cafe >= 0);
  const t = Array.from(d.tokens.word).indexOf(cafe);
  assert.equal(src.slice(d.tokens.start[t], d.tokens.end[t]), 'Caf\\u00e9');
  assertFeaturesAreTokenMeans(d);
});

test('CSV text column with quoted cells: offsets point into the file; label column found', async () => {
  const rows = [
    'id,body,category',
    '1,"Coffee ""beans"" and coffee, espresso",food',
    '2,"Espresso\nand coffee beans",food',
    '3,Rockets reach orbit with rockets,space',
    '4,"Orbit, rockets and satellites",space',
  ];
  const p = writeFile(dir, 'texts.csv', rows.join('\n') + '\n');
  const d = await loadText({ kind: 'csv-text', path: p });
  assert.equal(d.documents.length, 4);
  assert.deepEqual(d.labels, ['food', 'food', 'space', 'space']);
  // Named as JSONL records are, by the line each record starts on: row 1's quoted line break
  // puts row 2 on line 5, where Go to Line finds it (not 'row 3', counted from 1).
  assert.deepEqual(d.documents.map((x) => x.name), ['texts.csv:2', 'texts.csv:3', 'texts.csv:5', 'texts.csv:6']);
  assert.deepEqual(d.documents.map((x) => x.row), [undefined, undefined, undefined, undefined], 'no record skipped: the row is the index');
  assertTokensPointIntoFile(d, (raw) => raw);
  const src = fs.readFileSync(p, 'utf8');
  for (const doc of d.documents) {
    const line = src.slice(0, doc.start).split('\n').length;
    assert.equal(line, Number(doc.name.split(':')[1]), `${doc.name}: its text starts on the line it is named after`);
  }
  assert.equal(src.slice(d.documents[0].start, d.documents[0].end), 'Coffee ""beans"" and coffee, espresso');
  assertFeaturesAreTokenMeans(d);
});

test('CSV text column with a skipped record: names keep the file lines, rows keep their number as a table\'s do', async () => {
  const rows = [
    'id,body',
    '1,"Coffee beans\r\nand espresso"',
    '2,one,field,too many',
    '3,Rockets reach orbit',
    '4,"Orbit, rockets and satellites"',
  ];
  const p = writeFile(dir, 'skipped.csv', rows.join('\r\n') + '\r\n');
  const d = await loadText({ kind: 'csv-text', path: p }, { textColumn: 'body' });
  assert.deepEqual(d.documents.map((x) => x.name), ['skipped.csv:2', 'skipped.csv:5', 'skipped.csv:6']);
  // pandas' rows 0, 2, 3 (the ragged record is row 1; the rows after it are not renumbered).
  assert.deepEqual(d.documents.map((x) => x.row ?? d.documents.indexOf(x)), [0, 2, 3]);
  assert.ok(d.notes.some((n) => /line 4/.test(n)), d.notes.join('\n'));
});

test('paragraphs of one file: one document per blank-line-separated block', async () => {
  const text = '# Coffee notes\n\nCoffee beans and espresso.\nMore coffee here.\n   \n\nRockets and orbit.\n\t\nRockets, satellites and orbit again; espresso.\n';
  const p = writeFile(dir, 'notes.md', text);
  const d = await loadText({ kind: 'auto', path: p });
  assert.deepEqual(d.documents.map((x) => text.slice(x.start, x.end)), [
    '# Coffee notes',
    'Coffee beans and espresso.\nMore coffee here.',
    'Rockets and orbit.',
    'Rockets, satellites and orbit again; espresso.',
  ]);
  assert.equal(d.documents[1].name, 'notes.md ¶2');
  assertTokensPointIntoFile(d, (raw) => raw);
  // embedText on a document's own text reproduces its feature row.
  const e = embedText(text.slice(d.documents[1].start, d.documents[1].end), d.preprocessing);
  for (let j = 0; j < d.preprocessing.dim; j++) assert.ok(Math.abs(e.x[j] - d.features.data[d.preprocessing.dim + j]) < 1e-12);
});

test('folder corpus: recursive, sorted, subfolder names as labels, binaries skipped with a note', async () => {
  const root = tempDir('folder');
  try {
    writeFile(root, 'space/b.txt', 'Rockets reach orbit. Rockets and satellites.');
    writeFile(root, 'space/a.md', 'Satellites in orbit; rockets launch.');
    writeFile(root, 'food/c.txt', 'Coffee and espresso; coffee beans.');
    writeFile(root, 'food/d.txt', 'Espresso beans and coffee.');
    writeFile(root, 'food/e.txt', Buffer.from([0x00, 0x01, 0x02, 0x03]));
    writeFile(root, 'food/ignored.json', '{"text": "not a text file"}');
    const d = await loadText({ kind: 'auto', path: root });
    assert.deepEqual(d.documents.map((x) => x.name.replace(/\\/g, '/')), ['food/c.txt', 'food/d.txt', 'space/a.md', 'space/b.txt']);
    assert.deepEqual(d.labels, ['food', 'food', 'space', 'space']);
    assert.ok(d.notes.some((n) => n.includes('1 file(s) skipped') && n.includes('e.txt')));
    assertTokensPointIntoFile(d, (raw) => raw);
    assertFeaturesAreTokenMeans(d);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('embeddings file (word2vec text with header): vocabulary = corpus words with vectors, lower-cased', async () => {
  const corpus = writeFile(dir, 'small.jsonl', ['{"text": "Apples and pears"}', '{"text": "pears and plums"}', '{"text": "plums, apples, kiwis"}'].join('\n'));
  const emb = writeFile(dir, 'vec.txt', ['4 3', 'Apples 1 0 0', 'pears 0 1 0', 'plums 0 0 1', 'apples 9 9 9', 'unused 5 5 5'].join('\n') + '\n');
  const d = await loadText({ kind: 'jsonl', path: corpus }, { embeddingsFile: emb, textDim: 2 });
  assert.equal(d.preprocessing.vectorSource, 'glove:vec.txt');
  assert.deepEqual([...d.preprocessing.vocabulary].sort(), ['apples', 'pears', 'plums']);
  assert.equal(d.preprocessing.dim, 2);
  assert.ok(d.notes.some((n) => n.includes('tokens') && n.includes('outside the vocabulary')));
  assertFeaturesAreTokenMeans(d);
  // First occurrence wins: "apples" is (1, 0, 0), so docs 0 and 2 differ from doc 1 as in the raw space.
  const raw = [[0.5, 0.5, 0], [0, 0.5, 0.5], [0.5, 0, 0.5]];
  const dist = (a: number[], b: number[]): number => Math.hypot(...a.map((x, i) => x - b[i]));
  const feat = (i: number): number[] => Array.from(d.features.data.subarray(i * 2, i * 2 + 2));
  // PCA to 2 of 3 centred points of rank 2 is an isometry of the centred points, so after
  // scaling to unit length the distances are those of the centred raw points at unit length.
  const centre = [0, 1, 2].map((j) => raw.reduce((s, r) => s + r[j], 0) / 3);
  const unit = raw.map((r) => {
    const c = r.map((x, j) => x - centre[j]);
    const n = Math.hypot(...c);
    return c.map((x) => x / n);
  });
  assert.ok(Math.abs(dist(feat(0), feat(1)) - dist(unit[0], unit[1])) < 1e-9);
  assert.ok(Math.abs(dist(feat(0), feat(2)) - dist(unit[0], unit[2])) < 1e-9);
});

test('embeddings file: a wrong dimension fails naming the line; malformed numbers are skipped with a count', async () => {
  const corpus = writeFile(dir, 'small2.jsonl', ['{"text": "apples and pears"}', '{"text": "pears and plums"}', '{"text": "plums and apples"}'].join('\n'));
  const bad = writeFile(dir, 'bad.txt', 'apples 1 2 3\npears 1 2\n');
  await assert.rejects(loadText({ kind: 'jsonl', path: corpus }, { embeddingsFile: bad }), /bad\.txt, line 2: has 2 values but the vectors have 3 dimensions/);
  const odd = writeFile(dir, 'odd.txt', 'apples 1 2 3\npears 1 x 3\nplums 3 2 1\n');
  const d = await loadText({ kind: 'jsonl', path: corpus }, { embeddingsFile: odd });
  assert.ok(d.notes.some((n) => n.includes('odd.txt: 1 malformed line(s) skipped (first at line 2)')));
  assert.deepEqual([...d.preprocessing.vocabulary].sort(), ['apples', 'plums']);
});

test('JSONL: a line that is not JSON is skipped naming line and column; text field and label field options', async () => {
  const p = writeFile(dir, 'broken.jsonl', '{"text": "apples and pears"}\n\n{"text": "pears\n{"text": "pears and plums"}\n{"text": "plums and apples"}\n');
  const b = await loadText({ kind: 'jsonl', path: p });
  assert.equal(b.documents.length, 3);
  assert.ok(b.notes.some((n) => n.includes('broken.jsonl: 1 line(s) that are not a valid JSON object skipped (the other 3 are kept): line 3, column 16: Unterminated string.')), b.notes.join('\n'));
  const q = writeFile(dir, 'fields.jsonl', ['{"body": "apples and pears", "kind": "a", "note": "x"}', '{"body": "pears and plums", "kind": "b", "note": "y"}', '{"body": "plums and apples", "kind": "a", "note": "z"}'].join('\n'));
  const d = await loadText({ kind: 'jsonl', path: q }, { labelColumn: 'kind' });
  assert.deepEqual(d.labels, ['a', 'b', 'a']);
  assert.ok(d.notes.some((n) => n.includes('text field "body"')));
  await assert.rejects(loadText({ kind: 'jsonl', path: q }, { textColumn: 'title' }), /fields\.jsonl: text field "title" not found/);
});

test('token weights: the square root of the smoothed IDF, a document counted once per word', () => {
  // 4 documents: word 0 in every one, word 1 twice in document 2 only, word 2 in documents 0 and 3.
  const word = Int32Array.from([0, 2, 0, 0, 1, 1, 0, 2]);
  const docStart = Int32Array.from([0, 2, 3, 6, 8]);
  const w = tokenWeights(word, docStart, 3);
  // sqrt(ln((1 + N) / (1 + df)) + 1), N = 4: df = 4, 1, 2.
  assert.deepEqual(Array.from(w, (x) => x.toFixed(12)), ['1.000000000000', '1.384301532136', '1.229156468382']);
});

test('fortunes.jsonl: 2,531 documents, 8 categories, exact token means, offsets into the file', { skip: skipUnlessShared('fortunes.jsonl'), timeout: 60_000 }, async () => {
  const p = sharedData('fortunes.jsonl') as string;
  const d = await loadText({ kind: 'auto', path: p });
  assert.equal(d.documents.length, 2531);
  assert.equal(new Set(d.labels).size, 8);
  assert.equal(d.preprocessing.dim, 50);
  assert.equal(d.preprocessing.vectorSource, 'ppmi-svd+debian-english', 'corpus vectors joined with the general-English ones');
  // The 5,000 most frequent corpus words (the cap) plus the 4,344 rarer words the general-English
  // vectors know (trial s19 D1: rare words join the vocabulary through their general vector).
  assert.equal(d.preprocessing.vocabulary.length, 9344);
  assert.ok(d.notes.some((n) => n.includes('for the 5000 most frequent words') && n.includes('4344 rarer word(s) join')), 'the note names both parts of the vocabulary');
  assertFeaturesAreTokenMeans(d);
  assertTokensPointIntoFile(d, (raw) => JSON.parse(`"${raw}"`) as string);
  // Same settings, same vectors (seeded).
  const again = await loadText({ kind: 'auto', path: p });
  assert.deepEqual(Array.from(again.features.data.subarray(0, 100)), Array.from(d.features.data.subarray(0, 100)));
});

test('loadTextUnder: another corpus under a saved preprocessing uses its vocabulary and vectors', async () => {
  const trainPath = writeFile(dir, 'train.jsonl', ['{"text": "coffee beans espresso coffee"}', '{"text": "rockets orbit rockets satellites"}', '{"text": "espresso coffee beans"}', '{"text": "satellites orbit rockets"}'].join('\n'));
  const train = await loadText({ kind: 'jsonl', path: trainPath }, { textDim: 2 });
  const newPath = writeFile(dir, 'new.jsonl', ['{"text": "espresso and zebras"}', '{"text": "unknown words only"}'].join('\n'));
  const d = await loadTextUnder({ kind: 'jsonl', path: newPath }, DEFAULT_SETTINGS, train.preprocessing);
  assert.equal(d.preprocessing, train.preprocessing);
  assert.deepEqual(Array.from(d.tokens.word), [train.preprocessing.vocabulary.indexOf('espresso')]);
  const D = train.preprocessing.dim;
  const e = train.preprocessing.vocabulary.indexOf('espresso');
  // One known token: its row at unit length (normalization l2).
  const row = Array.from(train.preprocessing.wordVectors.subarray(e * D, e * D + D));
  const norm = Math.hypot(...row);
  Array.from(d.features.data.subarray(0, D)).forEach((x, j) => assert.ok(Math.abs(x - row[j] / norm) < 1e-12));
  assert.deepEqual(Array.from(d.features.data.subarray(D, 2 * D)), new Array(D).fill(0));
  assert.ok(d.notes.some((n) => n.includes("1 of 2 document(s) have no word of the model's vocabulary") && n.includes('new.jsonl:2')));
});

test('cancellation: an aborted signal stops a table load and a text load with CancelledError', async () => {
  const lines = ['a,b'];
  for (let i = 0; i < 200_000; i++) lines.push(`${i},${i % 7}`);
  const p = writeFile(dir, 'cancel.csv', lines.join('\n'));
  const ac = new AbortController();
  const pending = loadDataset({ kind: 'table', path: p }, DEFAULT_SETTINGS, { signal: ac.signal });
  setTimeout(() => ac.abort(), 5);
  await assert.rejects(pending, (e: unknown) => e instanceof Error && e.name === 'CancelledError');
  const aborted = AbortSignal.abort();
  const text = writeFile(dir, 'cancel.jsonl', '{"text": "apples and pears"}\n{"text": "pears and apples"}\n');
  await assert.rejects(loadDataset({ kind: 'jsonl', path: text }, DEFAULT_SETTINGS, { signal: aborted }), (e: unknown) => e instanceof Error && e.name === 'CancelledError');
});

test('mixed line endings: token offsets index the text as the editor normalises it', async () => {
  const raw = 'Coffee beans\r\nand espresso.\n\nRockets reach orbit.\n\nCoffee, rockets\nand espresso orbit.\n';
  const p = writeFile(dir, 'mixed.txt', raw);
  const d = await loadText({ kind: 'paragraphs', path: p });
  assert.ok(d.notes.some((n) => n.includes('mixed line endings')));
  const editorText = raw.replace(/\r\n|\r|\n/g, '\n'); // 1 CRLF of 6 breaks: VS Code picks LF
  for (let t = 0; t < d.tokens.word.length; t++) {
    assert.equal(editorText.slice(d.tokens.start[t], d.tokens.end[t]).toLowerCase(), d.preprocessing.vocabulary[d.tokens.word[t]]);
  }
  assert.equal(editorText.slice(d.documents[0].start, d.documents[0].end), 'Coffee beans\nand espresso.');
});
