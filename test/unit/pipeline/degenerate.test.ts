import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { FIXTURES } from '../data/fixturePaths';

// Reported case 01: 17 rows, only 9 distinct points, k = 10 asked.
const points = path.join(FIXTURES, 'cases', '01-duplicates-fewer-distinct-than-k', 'points.csv');

test('case 01: fewer distinct points than k: k lowered to 9 with a warning, every row has a real margin', async () => {
  const { result } = await runPipeline({ kind: 'auto', path: points }, { ...DEFAULT_SETTINGS, k: 10, flippingSample: 0 });
  assert.equal(result.model.k, 9);
  const warning = result.notes.find((n) => /distinct points/.test(n));
  assert.ok(warning, `a note must say so: ${result.notes.join(' | ')}`);
  assert.match(warning, /Only 9 distinct points among the 17 rows, fewer than k = 10/);
  assert.match(warning, /Number of distinct clusters \(9\) found smaller than n_clusters \(10\)/);
  assert.equal(result.dataset.rows, 17);
  // Every cluster has members and no row is explained with evidence 0 (a duplicate centroid's margin).
  assert.ok(result.clusters.every((c) => c.size > 0), result.clusters.map((c) => c.size).join(','));
  const u = result.units.length;
  for (let i = 0; i < 17; i++) {
    assert.ok(result.evidence[i] > 0, `row ${i}: evidence ${result.evidence[i]}`);
    let s = 0;
    for (let j = 0; j < u; j++) s += result.rowRelevance[i * u + j];
    assert.ok(Math.abs(s - result.evidence[i]) <= 1e-5 * Math.abs(result.evidence[i]), `row ${i}: relevance sums to ${s}, evidence ${result.evidence[i]}`);
  }
  // Identical rows land together.
  assert.equal(result.assignments[2], result.assignments[3]);
  assert.equal(result.assignments[11], result.assignments[12]);
});

test('case 01 with k = auto: no k above the 9 distinct points is tried', async () => {
  const { result } = await runPipeline({ kind: 'auto', path: points }, { ...DEFAULT_SETTINGS, k: 'auto', kRange: [2, 12], flippingSample: 0 });
  assert.ok(result.kSuggestion);
  assert.equal(Math.max(...result.kSuggestion.scores.map((s) => s.k)), 9);
  assert.ok(result.model.k <= 9);
});
