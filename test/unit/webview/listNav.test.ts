import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterItems, listCount, nextActiveIndex, scrollToReveal, visibleRange } from '../../../webview/lib/listNav';

test('nextActiveIndex follows the listbox keyboard pattern', () => {
  assert.equal(nextActiveIndex('ArrowDown', -1, 10, 5), 0);
  assert.equal(nextActiveIndex('ArrowDown', 3, 10, 5), 4);
  assert.equal(nextActiveIndex('ArrowDown', 9, 10, 5), 9);
  assert.equal(nextActiveIndex('ArrowUp', 0, 10, 5), 0);
  assert.equal(nextActiveIndex('Home', 7, 10, 5), 0);
  assert.equal(nextActiveIndex('End', 2, 10, 5), 9);
  assert.equal(nextActiveIndex('PageDown', 7, 10, 5), 9);
  assert.equal(nextActiveIndex('PageUp', 7, 10, 5), 2);
  assert.equal(nextActiveIndex('a', 2, 10, 5), undefined);
  assert.equal(nextActiveIndex('ArrowDown', 0, 0, 5), undefined);
});

test('visibleRange covers the viewport plus overscan, clamped to the list', () => {
  assert.deepEqual(visibleRange(0, 100, 20, 1000, 2), { start: 0, end: 8 });
  assert.deepEqual(visibleRange(400, 100, 20, 1000, 2), { start: 18, end: 28 });
  assert.deepEqual(visibleRange(19990, 100, 20, 1000, 2), { start: 993, end: 1000 });
  assert.deepEqual(visibleRange(0, 100, 20, 0), { start: 0, end: 0 });
  // Stale scrollTop from a longer list: still shows the last rows, never nothing.
  assert.deepEqual(visibleRange(50000, 100, 20, 84, 2), { start: 77, end: 84 });
});

test('scrollToReveal scrolls only when the row is outside the viewport', () => {
  assert.equal(scrollToReveal(5, 0, 100, 20), 20);
  assert.equal(scrollToReveal(2, 0, 100, 20), 0);
  assert.equal(scrollToReveal(1, 60, 100, 20), 20);
});

test('filterItems matches names case-insensitively within a cluster', () => {
  const names = ['row 1', 'Row 2', 'doc A', 'row 10'];
  const assign = [0, 1, 0, 0];
  assert.deepEqual(filterItems(names, assign, 'ROW'), [0, 1, 3]);
  assert.deepEqual(filterItems(names, assign, 'row', 0), [0, 3]);
  assert.deepEqual(filterItems(names, assign, '  '), [0, 1, 2, 3]);
});

test('listCount: a list that holds every item says so; an evenly spaced sample says of how many (trial s18: "5,000 items" for 20,000 rows)', () => {
  assert.deepEqual(listCount(1797, 1797, 1797), { text: '1,797 items', title: '' });
  assert.deepEqual(listCount(12, 1797, 1797), { text: '12 of 1,797', title: '' });
  const all = listCount(5000, 5000, 20000);
  assert.equal(all.text, '5,000 of 20,000 items (evenly spaced)');
  assert.equal(all.title, 'The map and this list show an evenly spaced sample of 5,000 of the 20,000 items; the Clusters tree and Export Explanations… have all of them.');
  assert.equal(listCount(40, 5000, 20000).text, '40 of 5,000 shown (20,000 in all)');
});
