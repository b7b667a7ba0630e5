import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, decodeJsonString, editorOffsetMapper, findJsonStringValue, lineStarts } from '../../../src/engine/data/sourceOffsets';

test('decodeJsonString: every decoded unit maps to the start of its escape in the raw text', () => {
  const line = '{"id": 1, "text": "a\\nb\\"c\\u00e9\\ud83d\\ude00d"}';
  const span = findJsonStringValue(line, 'text');
  assert.ok(span);
  const m = decodeJsonString(line, span.start, span.end, 100);
  assert.equal(m.text, JSON.parse(line).text);
  assert.equal(m.text, 'a\nb"cé\u{1F600}d');
  const rawIndex = (k: number): number => m.map[k] - 100;
  assert.equal(line[rawIndex(0)], 'a');
  assert.equal(line.slice(rawIndex(1), rawIndex(2)), '\\n');
  assert.equal(line.slice(rawIndex(3), rawIndex(4)), '\\"');
  assert.equal(line.slice(rawIndex(5), rawIndex(6)), '\\u00e9');
  assert.equal(line.slice(rawIndex(6), rawIndex(8)), '\\ud83d\\ude00');
  assert.equal(rawIndex(m.text.length), span.end);
});

test('findJsonStringValue: skips nested values and strings containing braces; last duplicate wins', () => {
  const line = '{"meta": {"text": "inner"}, "list": ["}", {"a": "]"}], "text": "first", "n": -1.5e3, "text": "last"}';
  const span = findJsonStringValue(line, 'text');
  assert.ok(span);
  assert.equal(line.slice(span.start, span.end), 'last');
  assert.equal(findJsonStringValue(line, 'n'), undefined);
  assert.equal(findJsonStringValue('{"a": "x"}', 'text'), undefined);
});

test('csvField: quoted cells drop their quotes and un-double "" with a raw map', () => {
  const src = 'x\r\n1,"say ""hi""\nthere",z\n';
  const recordStart = lineStarts(src)[1];
  const f = csvField(src, recordStart, ',', 1);
  assert.ok(f);
  assert.equal(f.text, 'say "hi"\nthere');
  assert.equal(src.slice(f.map[0], f.map[f.text.length]), 'say ""hi""\nthere');
  assert.equal(src.slice(f.map[4], f.map[5]), '""');
  const z = csvField(src, recordStart, ',', 2);
  assert.equal(z?.text, 'z');
  assert.equal(csvField(src, recordStart, ',', 3), undefined);
});

test('lineStarts: LF, CRLF and lone CR all end a line', () => {
  assert.deepEqual(Array.from(lineStarts('a\nb\r\nc\rd')), [0, 2, 5, 7]);
});

test('editorOffsetMapper: mixed line endings follow VS Code normalisation (majority CR-containing -> CRLF, else LF)', () => {
  assert.equal(editorOffsetMapper('a\nb\nc'), undefined);
  assert.equal(editorOffsetMapper('a\r\nb\r\nc'), undefined);
  assert.equal(editorOffsetMapper('a\rb\nc'), undefined); // -> LF; a lone CR keeps its length
  const toLf = 'ab\r\ncd\nef\ngh';
  const m = editorOffsetMapper(toLf);
  assert.ok(m);
  const normal = toLf.replace(/\r\n|\r|\n/g, '\n');
  for (const w of ['ab', 'cd', 'ef', 'gh']) assert.equal(normal.slice(m(toLf.indexOf(w)), m(toLf.indexOf(w) + 2)), w);
  const toCrlf = 'ab\r\ncd\r\nef\ngh\rij';
  const m2 = editorOffsetMapper(toCrlf);
  assert.ok(m2);
  const normal2 = toCrlf.replace(/\r\n|\r|\n/g, '\r\n');
  for (const w of ['ab', 'cd', 'ef', 'gh', 'ij']) assert.equal(normal2.slice(m2(toCrlf.indexOf(w)), m2(toCrlf.indexOf(w) + 2)), w);
});
