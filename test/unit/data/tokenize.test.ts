import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopWordSet } from '../../../src/engine/data/stopWords';
import { tokenize } from '../../../src/engine/data/tokenize';

test('tokenize: lowercase words of >= 3 letters, stop words removed, UTF-16 offsets', () => {
  const text = 'The Cat sat on a MAT, and the café’s owner—Zoë—said: "naïve 42 x-ray"!';
  const r = tokenize(text, { minWordLength: 3, stopWords: 'en' });
  assert.deepEqual(r.words, ['cat', 'sat', 'mat', 'café', 'owner', 'zoë', 'naïve', 'ray']);
  for (let i = 0; i < r.words.length; i++) assert.equal(text.slice(r.start[i], r.end[i]).toLowerCase(), r.words[i]);
});

test('tokenize: letters outside the BMP count once; combining marks stay in the word', () => {
  const text = 'ab\u{1D400} e\u0301te\u0301 xy';
  const r = tokenize(text, { minWordLength: 3, stopWords: 'none' });
  // 'ab' + MATHEMATICAL BOLD CAPITAL A: three letters in four UTF-16 units (no lower-case form).
  assert.deepEqual(r.words, ['ab\u{1D400}', 'e\u0301te\u0301']);
  assert.deepEqual(Array.from(r.start), [0, 5]);
  assert.deepEqual(Array.from(r.end), [4, 10]);
});

test('tokenize: stop-word languages and minimum length', () => {
  assert.deepEqual(tokenize('der Hund und die Katze', { minWordLength: 3, stopWords: 'de' }).words, ['hund', 'katze']);
  assert.deepEqual(tokenize('le chat avec une souris', { minWordLength: 3, stopWords: 'fr' }).words, ['chat', 'souris']);
  assert.deepEqual(tokenize('el perro para los gatos', { minWordLength: 3, stopWords: 'es' }).words, ['perro', 'gatos']);
  assert.deepEqual(tokenize('the cat', { minWordLength: 3, stopWords: 'none' }).words, ['the', 'cat']);
  assert.deepEqual(tokenize('go cat', { minWordLength: 2, stopWords: 'none' }).words, ['go', 'cat']);
  assert.throws(() => stopWordSet('xx'), /unknown stop-word language "xx"/);
});
