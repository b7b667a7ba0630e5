// The k a user types into the Cluster Dataset… input (trial 6 D4: `1` silently became k = 10,
// `250` and `3,5` showed "0 Results" and Enter did nothing). Typed text with a digit is a k of
// its own, read with the CLI's rule, or a message; text without one filters the items.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTypedK } from '../../../src/engine/cluster/typedK';

const LIMITS = { max: 200, rows: 1500 }; // kunden_export.csv: 1,500 rows

test('typed 1 is refused with the CLI message, not taken as 10', () => {
  assert.deepEqual(readTypedK('1', LIMITS), { kind: 'invalid', message: 'k must be an integer of at least 2, found "1"' });
  assert.deepEqual(readTypedK('0', LIMITS), { kind: 'invalid', message: 'k must be an integer of at least 2, found "0"' });
});

test('typed 3,5 / 2.5 / -3 are refused with the message naming what was typed', () => {
  for (const v of ['3,5', '2.5', '-3', '1e2', '7 clusters']) {
    const t = readTypedK(v, LIMITS);
    assert.equal(t.kind, 'invalid', v);
    assert.equal(t.kind === 'invalid' && t.message, `k must be an integer of at least 2, found "${v}"`);
  }
});

test('typed 7 and 10 are taken as typed (whatever the filter highlights)', () => {
  assert.deepEqual(readTypedK('7', LIMITS), { kind: 'k', k: 7 });
  assert.deepEqual(readTypedK(' 10 ', LIMITS), { kind: 'k', k: 10 });
  assert.deepEqual(readTypedK('2', LIMITS), { kind: 'k', k: 2 });
});

test('typed 250 is refused above the input\'s limit of 200, and above the row count', () => {
  const t = readTypedK('250', LIMITS);
  assert.equal(t.kind, 'invalid');
  assert.match(t.kind === 'invalid' ? t.message : '', /^k must be at most 200 here, found "250"/);
  assert.deepEqual(readTypedK('150', { max: 200, rows: 120 }), { kind: 'invalid', message: 'k = 150 exceeds the number of rows (120)' });
  assert.deepEqual(readTypedK('120', { max: 200, rows: 120 }), { kind: 'k', k: 120 });
  assert.deepEqual(readTypedK('150', { max: 200 }), { kind: 'k', k: 150 }, 'rows unknown (file not read whole): only the input limit');
});

test('text without a digit only filters the items ("auto")', () => {
  assert.deepEqual(readTypedK('au', LIMITS), { kind: 'filter' });
  assert.deepEqual(readTypedK('', LIMITS), { kind: 'filter' });
});
