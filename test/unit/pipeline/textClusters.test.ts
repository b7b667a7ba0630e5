import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { explainText, runPipeline } from '../../../src/engine/pipeline';
import type { AllExplanations } from '../../../src/engine/pipeline/explainAll';
import { MEMBER_CONFIDENT, MEMBER_WEAK, MEMBER_WORDLESS, memberStatus, summarizeClusters } from '../../../src/engine/pipeline/summaries';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import type { TextDataset } from '../../../src/engine/types';
import { REPO_ROOT } from '../helpers/sharedData';

const CASE06 = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', '06-only-stopwords-or-numbers');

test('case 06: the 3 word-less documents are reported, left out of the fit and shown as such; the 6 others split by topic', async () => {
  const { result } = await runPipeline({ kind: 'auto', path: path.join(CASE06, 'mixed.jsonl') }, { ...DEFAULT_SETTINGS, k: 2, flippingSample: 0 });
  const note = result.notes.find((n) => n.includes('have no word of the vocabulary'));
  assert.ok(note, result.notes.join('\n'));
  assert.match(note, /3 of 9 document\(s\)/);
  // Each by its line in the file and its 0-based row (trial s19 D6: line 5 was read as row 5).
  assert.match(note, /mixed\.jsonl:7 \(row 6\), mixed\.jsonl:8 \(row 7\), mixed\.jsonl:9 \(row 8\)/);
  // Named as the reading note names them (trial s21 D15b).
  assert.ok(result.notes.some((n) => n === '3 document(s) have no usable word (mixed.jsonl:7 (row 6), mixed.jsonl:8 (row 7), mixed.jsonl:9 (row 8)): not assigned to a cluster (evidence 0).'), result.notes.join('\n'));
  const status = result.memberStatus as Uint8Array;
  assert.deepEqual(Array.from(status.subarray(6)), [MEMBER_WORDLESS, MEMBER_WORDLESS, MEMBER_WORDLESS]);
  for (let i = 6; i < 9; i++) {
    assert.equal(result.evidence[i], 0, `document ${i + 1}: no word accounts for any evidence`);
    assert.equal(result.probability[i], 0.5);
  }
  // Engine documents (lines 1-3) and bread documents (lines 4-6) in two clusters of 3.
  const a = result.assignments;
  assert.equal(a[0], a[1]);
  assert.equal(a[1], a[2]);
  assert.equal(a[3], a[4]);
  assert.equal(a[4], a[5]);
  assert.notEqual(a[0], a[3]);
  assert.deepEqual(result.clusters.map((c) => c.size), [3, 3]);
  for (let i = 0; i < 6; i++) assert.ok(result.evidence[i] > 0);
  // What is shown adds up: Σ token relevance = evidence for every document (0 = the empty sum).
  if (result.dataset.kind !== 'text') throw new Error('text dataset expected');
  const { docStart } = result.dataset.tokens;
  for (let d = 0; d < 9; d++) {
    let sum = 0;
    for (let t = docStart[d]; t < docStart[d + 1]; t++) sum += result.tokenRelevance[t];
    assert.ok(Math.abs(sum - result.evidence[d]) <= 1e-5 * Math.max(1, Math.abs(result.evidence[d])), `document ${d + 1}: ${sum} vs ${result.evidence[d]}`);
  }
  const engine = result.clusters[a[0]];
  const bread = result.clusters[a[3]];
  assert.ok(engine.top.some((t) => ['engine', 'spark', 'plugs', 'oil', 'filter'].includes(t.name)), engine.label);
  assert.ok(bread.top.some((t) => ['bread', 'flour', 'yeast', 'dough', 'water'].includes(t.name)), bread.label);
  assert.ok(engine.examples && engine.examples.every((e) => e.index < 3));
  assert.match(engine.examples[0].excerpt ?? '', /engine|spark|plugs/);
});

test('case 06: a corpus of only stop words and digits keeps its clear error', async () => {
  await assert.rejects(runPipeline({ kind: 'auto', path: path.join(CASE06, 'all_stop.jsonl') }, { ...DEFAULT_SETTINGS, k: 2, flippingSample: 0 }), /all_stop\.jsonl.*no words found/s);
});

/** Six documents over a vocabulary [shared, apple, pear, rocket, orbit]: "shared" is in every one. */
function handCorpus(): { dataset: TextDataset; all: AllExplanations } {
  // Tokens per document (vocabulary ids); features are 2-D unit vectors.
  const docs = [[0, 1, 2], [0, 1, 1], [0, 2, 1], [0, 3, 4], [0, 4, 3], [0, 3]];
  const docStart = new Int32Array(docs.length + 1);
  docs.forEach((d, i) => (docStart[i + 1] = docStart[i] + d.length));
  const word = Int32Array.from(docs.flat());
  const angle = [0.1, 0.0, -0.1, Math.PI / 2, Math.PI / 2 + 0.1, (3 * Math.PI) / 2];
  const features = Float64Array.from(angle.flatMap((a) => [Math.cos(a), Math.sin(a)]));
  const dataset: TextDataset = {
    kind: 'text',
    source: '/tmp/hand.jsonl',
    documents: docs.map((_, i) => ({ name: `hand.jsonl:${i + 1}`, path: '/tmp/hand.jsonl', start: 0, end: 0 })),
    tokens: { docStart, word, start: new Int32Array(word.length), end: new Int32Array(word.length) },
    features: { rows: 6, cols: 2, data: features },
    featureNames: ['dim1', 'dim2'],
    labels: ['fruit', 'fruit', 'fruit', 'space', 'space', 'fruit'],
    preprocessing: { kind: 'text', minWordLength: 3, stopWords: 'en', vocabulary: ['shared', 'apple', 'pear', 'rocket', 'orbit'], wordVectors: new Float64Array(10), dim: 2, vectorSource: 'test', normalization: 'l2' },
    notes: [],
  };
  // "shared" carries the most relevance in every document: it must still not name a cluster.
  const tokenRelevance = Float64Array.from(docs.flatMap((d) => d.map((w) => (w === 0 ? 0.5 : 0.2))));
  const all: AllExplanations = {
    assignments: Int32Array.from([0, 0, 0, 1, 1, 1]),
    evidence: Float64Array.from([1, 1.2, 1, 1, 1, 0.05]),
    probability: Float64Array.from([0.9, 0.9, 0.9, 0.9, 0.9, 0.55]),
    rowRelevance: new Float64Array(0),
    tokenRelevance,
    conservationGap: 0,
    beyondRange: [],
  };
  return { dataset, all };
}

test('text labels: distinctive words by relevance x lift; a word in every document never labels a cluster', () => {
  const { dataset, all } = handCorpus();
  const status = memberStatus(dataset, all.evidence);
  const [fruit, space] = summarizeClusters(dataset, 2, all, undefined, status);
  assert.ok(!fruit.top.some((t) => t.name === 'shared') && !space.top.some((t) => t.name === 'shared'));
  assert.deepEqual(fruit.top.map((t) => t.name), ['apple', 'pear']);
  // apple: 4 occurrences x 0.2 over 3 members.
  assert.ok(Math.abs(fruit.top[0].relevance - 0.8 / 3) < 1e-6);
  assert.equal(fruit.label, 'apple, pear');
  assert.deepEqual(space.top.map((t) => t.name).sort(), ['orbit', 'rocket']);
});

test('weak members, mixed clusters and typical examples', () => {
  const { dataset, all } = handCorpus();
  const status = memberStatus(dataset, all.evidence);
  // Median evidence 1: the member at 0.05 is below 20% of it.
  assert.deepEqual(Array.from(status), [MEMBER_CONFIDENT, MEMBER_CONFIDENT, MEMBER_CONFIDENT, MEMBER_CONFIDENT, MEMBER_CONFIDENT, MEMBER_WEAK]);
  const [fruit, space] = summarizeClusters(dataset, 2, all, undefined, status);
  assert.equal(fruit.weakMembers, 0);
  assert.equal(space.weakMembers, 1);
  // Fruit directions within ±0.1 rad: cohesion ~0.997, not mixed; the most typical member is the middle one.
  assert.equal(fruit.mixed, undefined);
  assert.deepEqual(fruit.examples?.map((e) => e.index), [1, 0, 2]);
  // Space spans 90° to 270°: cohesion (|sum of unit vectors| / 3) well below the fruit cluster's.
  assert.ok(space.cohesion !== undefined && fruit.cohesion !== undefined && space.cohesion < 0.6 * fruit.cohesion, `${space.cohesion} vs ${fruit.cohesion}`);
  assert.match(space.mixed ?? '', /Mixed cluster: its documents share little/);
  assert.match(space.label, /^mixed: /);
  // The weak member is not an example while confident members exist.
  assert.ok(!space.examples?.some((e) => e.index === 5));
});

test('an open text without a usable word is in no cluster: evidence 0, probability 1/K, nothing highlighted', async () => {
  const { state } = await runPipeline({ kind: 'auto', path: path.join(CASE06, 'mixed.jsonl') }, { ...DEFAULT_SETTINGS, k: 2, flippingSample: 0 });
  const none = explainText(state, 'it is what it is, 1 2 3 and zebras');
  assert.equal(none.noUsableWords, true);
  assert.equal(none.evidence, 0);
  assert.equal(none.probability, 0.5);
  assert.equal(none.unknownWords, 1);
  assert.ok(Array.from(none.relevance).every((r) => r === 0));
  const some = explainText(state, 'fresh bread with yeast');
  assert.equal(some.noUsableWords, undefined);
  assert.ok(some.evidence > 0);
  const sum = Array.from(some.relevance).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - some.evidence) < 1e-5 * Math.max(1, some.evidence), `${sum} vs ${some.evidence}`);
});
