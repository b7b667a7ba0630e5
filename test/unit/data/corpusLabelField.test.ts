// Trial s18, D1: a corpus's label, when none is given, is found by the same rule as a table's
// label and as Cluster Dataset… proposes it (columnTyping.ts isLabelLikeName) — the CLI took
// only `category` / `label`, so `neon-cluster fit tickets.jsonl` with a `topic` field reported
// no purity / NMI while the extension proposed `topic`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { loadTableTextCorpus, loadJsonlCorpus } from '../../../src/engine/data/textSources';
import { tempDir, writeFile } from './fixturePaths';

const dir = tempDir('corpus-label');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const line = (o: object): string => JSON.stringify(o) + '\n';

test('JSONL: a field named like a label (topic) is the label; priority (2 values, not named so) is not', async () => {
  const f = writeFile(dir, 'tickets.jsonl',
    line({ id: 0, subject: 'Refund please', body: 'invoice charged twice refund', topic: 'billing', priority: 'low' }) +
    line({ id: 1, subject: 'No internet', body: 'router outage slow connection', topic: 'network', priority: 'high' }) +
    line({ id: 2, subject: 'Locked', body: 'password reset locked account', topic: 'account', priority: 'low' }));
  const corpus = await loadJsonlCorpus(f, { maxDocs: 100 });
  assert.deepEqual(corpus.labels, ['billing', 'network', 'account']);
  assert.ok(corpus.notes.some((n) => n.includes('text field "body", label field "topic"')), corpus.notes.join('\n'));
});

test('JSONL: the first label-named field in the file\'s order wins; a label-named field holding text is skipped', async () => {
  const f = writeFile(dir, 'order.jsonl',
    line({ text: 'alpha beta gamma delta', class_description: 'a long sentence that describes the class in words', class: 'a', label: 'x' }) +
    line({ text: 'epsilon zeta eta theta', class_description: 'another long sentence describing another class here', class: 'b', label: 'y' }));
  const corpus = await loadJsonlCorpus(f, { maxDocs: 100 });
  assert.deepEqual(corpus.labels, ['a', 'b']);
});

test('JSONL: no field named like a label, or labelField null: no labels', async () => {
  const f = writeFile(dir, 'plain.jsonl', line({ text: 'alpha beta gamma', author: 'ann' }) + line({ text: 'delta epsilon zeta', author: 'bob' }));
  assert.equal((await loadJsonlCorpus(f, { maxDocs: 100 })).labels, undefined);
  const g = writeFile(dir, 'nolabel.jsonl', line({ text: 'alpha beta gamma', topic: 'a' }) + line({ text: 'delta epsilon zeta', topic: 'b' }));
  assert.equal((await loadJsonlCorpus(g, { maxDocs: 100, labelField: null })).labels, undefined);
});

test('CSV text column: a column named like a label (Topic) is the label, as for a table', async () => {
  const f = writeFile(dir, 'notes.csv', 'id,text,Topic\n1,"invoice charged twice refund",billing\n2,"router outage slow connection",network\n');
  const corpus = await loadTableTextCorpus(f, { maxDocs: 100 });
  assert.deepEqual(corpus.labels, ['billing', 'network']);
});
