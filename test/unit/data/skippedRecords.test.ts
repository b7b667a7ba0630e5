import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extraValuesRowsNote, invalidJsonLinesNote, isSkippedRecordsNote } from '../../../src/engine/data/skippedRecords';

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
