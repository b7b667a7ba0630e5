import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterItems } from '../../../webview/lib/listNav';
import { countNoCluster, NO_CLUSTER, shownClusters } from '../../../webview/lib/membership';
import { markerPathData, noClusterPathData } from '../../../webview/lib/palette';

// Trial s19 D4: astr_06.txt (no usable word) was listed with Cluster 4's purple cross because
// the engine's assignment array holds an index for it; the panel must show it in no cluster.
test('shownClusters: a wordless document (memberStatus 2) is in no cluster; the others keep their cluster', () => {
  const assignments = [1, 3, 4, 4, 0];
  const status = [0, 1, 2, 0, 2];
  assert.deepEqual(shownClusters(assignments, status), [1, 3, NO_CLUSTER, 4, NO_CLUSTER]);
  assert.deepEqual(shownClusters(assignments, undefined), assignments, 'no memberStatus: every item is a member');
  assert.equal(countNoCluster(shownClusters(assignments, status)), 2);
  assert.equal(NO_CLUSTER, -1);
});

test('the cluster filter of the list does not list a wordless document under the cluster index it happens to hold', () => {
  const names = ['astr_05.txt', 'astr_06.txt', 'foot_01.txt'];
  const shown = shownClusters([3, 4, 4], [0, 2, 0]);
  assert.deepEqual(filterItems(names, shown, '', 4), [2]);
  assert.deepEqual(filterItems(names, shown, 'astr'), [0, 1], 'without a cluster filter it is still listed');
});

test('noClusterPathData: a ring with a slash, not any cluster shape', () => {
  const d = noClusterPathData(4);
  assert.ok(d.startsWith(markerPathData('circle', 4)), d);
  assert.match(d.slice(markerPathData('circle', 4).length), /^M-2\.828 2\.828L2\.828 -2\.828$/);
});
