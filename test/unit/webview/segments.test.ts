import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenViews, topWords, totalRelevance } from '../../../webview/lib/segments';

const doc = [
  { text: 'The', relevance: 0.01, word: 'the' },
  { text: ' ' },
  { text: 'Moon', relevance: 0.8, word: 'moon' },
  { text: ' is ' },
  { text: 'cold', relevance: -0.4, word: 'cold' },
  { text: ', the ' },
  { text: 'moon', relevance: 0.2, word: 'moon' },
  { text: '.' },
];

test('tokenViews gives sign, step and rank relative to the largest |R|', () => {
  const { tokens, scale } = tokenViews(doc);
  assert.equal(scale, 0.8);
  assert.equal(tokens.length, doc.length);
  assert.deepEqual(
    tokens.map((t) => [t.text, t.sign, t.step, t.rank]),
    [
      ['The', 'zero', 0, 4],
      [' ', 'zero', 0, undefined],
      ['Moon', 'pos', 5, 1],
      [' is ', 'zero', 0, undefined],
      ['cold', 'neg', 3, 2],
      [', the ', 'zero', 0, undefined],
      ['moon', 'pos', 1, 3],
      ['.', 'zero', 0, undefined],
    ],
  );
});

test('tokenViews keeps the text of every segment, so the document reads unchanged', () => {
  assert.equal(tokenViews(doc).tokens.map((t) => t.text).join(''), 'The Moon is cold, the moon.');
});

test('topWords sums per word and splits for / against', () => {
  const { forWords, againstWords } = topWords(doc, 5);
  assert.deepEqual(forWords.map((w) => [w.word, Number(w.relevance.toFixed(6)), w.count]), [
    ['moon', 1, 2],
    ['the', 0.01, 1],
  ]);
  assert.deepEqual(againstWords.map((w) => [w.word, w.relevance]), [['cold', -0.4]]);
  assert.equal(topWords(doc, 1).forWords.length, 1);
});

test('totalRelevance sums token relevances only', () => {
  assert.ok(Math.abs(totalRelevance(doc) - 0.61) < 1e-12);
  assert.equal(totalRelevance([{ text: 'x' }]), 0);
});
