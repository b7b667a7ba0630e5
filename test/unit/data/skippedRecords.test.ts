import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extraValuesRowsNote, invalidJsonLinesNote, isSkippedRecordsNote, skippedRecords, unterminatedQuoteNote } from '../../../src/engine/data/skippedRecords';

test('the two skipped-record notes keep their wording and are recognised; other notes that say "skipped" are not', () => {
  const json = invalidJsonLinesNote('bad.jsonl', 4, 40, ['line 2: a', 'line 5: b', 'line 9: c']);
  assert.equal(json, 'bad.jsonl: 4 line(s) that are not a valid JSON object skipped (the other 40 are kept): line 2: a; line 5: b; line 9: c; ....');
  const csv = extraValuesRowsNote('bad.csv', 1, ['line 4 (4 fields)']);
  assert.equal(csv, 'bad.csv: 1 row(s) have more values than the header has columns and were skipped: line 4 (4 fields).');
  assert.ok(isSkippedRecordsNote(json) && isSkippedRecordsNote(csv));
  for (const other of ['a.csv: 2 comment line(s) starting with "#" skipped (first at line 1).', 'a.csv: 3 whitespace-only line(s) skipped.', 'vectors.txt: 2 malformed line(s) skipped (first at line 4).']) {
    assert.equal(isSkippedRecordsNote(other), false, other);
  }
});

test('skippedRecords sums the skip notes for a one-line message naming the lines (trial7 D1)', () => {
  const notes = [
    'a.csv: 1 identifier-like column(s) excluded from the features: "id".',
    extraValuesRowsNote('a.csv', 4, ['line 4 (4 fields)', 'line 9 (5 fields)', 'line 12 (4 fields)', 'line 30 (4 fields)']),
    unterminatedQuoteNote('a.csv', 1, 79, [{ line: 41, recordLine: 40, column: 'note', field: 4 }], 2),
  ];
  assert.deepEqual(skippedRecords(notes), { count: 5, phrase: '5 records skipped (lines 4, 9, 12, …: more values than the header; line 41: unterminated quote)' });
  assert.deepEqual(skippedRecords([invalidJsonLinesNote('b.jsonl', 1, 40, ['line 21, column 51: Unterminated string'])]), { count: 1, phrase: '1 record skipped (line 21: not a JSON object)' });
  assert.equal(skippedRecords(notes.slice(0, 1)), undefined);
  // The same note twice (dataset and result notes) counts once.
  assert.equal(skippedRecords([notes[2]!, notes[2]!])?.count, 1);
});
