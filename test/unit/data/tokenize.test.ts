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

test('tokenize: Chinese, Japanese and Thai are segmented into words (Intl.Segmenter) with offsets into the text', () => {
  // Node's ICU must have the dictionaries (full ICU, the official builds).
  assert.deepEqual([...new Intl.Segmenter('zh', { granularity: 'word' }).segment('北京大学')].map((s) => s.segment), ['北京', '大学']);
  const zh = '我们今天去北京大学学习中文。';
  const a = tokenize(zh, { minWordLength: 3, stopWords: 'en' });
  // One Han character is a word (去); 我们 is a function word (stop list).
  assert.deepEqual(a.words, ['今天', '去', '北京', '大学', '学习', '中文']);
  for (let i = 0; i < a.words.length; i++) assert.equal(zh.slice(a.start[i], a.end[i]), a.words[i]);
  const ja = '東京都に住んでいます。カタカナのテキスト';
  const b = tokenize(ja, { minWordLength: 3, stopWords: 'en' });
  // Single kana (に, い, の) are dropped; ます / んで are function words; Han 都 and 住 stay.
  assert.deepEqual(b.words, ['東京', '都', '住', 'カタカナ', 'テキスト']);
  for (let i = 0; i < b.words.length; i++) assert.equal(ja.slice(b.start[i], b.end[i]), b.words[i]);
  const th = 'ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรค';
  const c = tokenize(th, { minWordLength: 3, stopWords: 'en' });
  assert.deepEqual(c.words, ['ภาษา', 'ไทย', 'ภาษา', 'ไม่มี', 'เว้น', 'วรรค']);
  for (let i = 0; i < c.words.length; i++) assert.equal(th.slice(c.start[i], c.end[i]), c.words[i]);
  // Latin keeps its minimum length next to CJK; 'none' keeps the function words.
  const mixed = tokenize('An iPhone手机 is ok', { minWordLength: 3, stopWords: 'none' });
  assert.deepEqual(mixed.words, ['iphone', '手机']);
  assert.deepEqual(tokenize('我们的手机', { minWordLength: 3, stopWords: 'none' }).words, ['我们', '的', '手机']);
});
