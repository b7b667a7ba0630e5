/**
 * The README's first flow (trial s18 defect D2): samples/notes, 36 notes on 4 topics (9 each,
 * named astronomy-, cooking-, finance-, football-NN.txt), clustered with the defaults (k = auto,
 * seed 42) gave k = 10 clusters of 2-5 notes. k = auto for text now finds the 4 topics.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';

const NOTES = path.resolve(__dirname, '..', '..', '..', '..', 'samples', 'notes');

test('samples/notes with the defaults: k = auto finds the 4 topics, one cluster each', async () => {
  const { result } = await runPipeline({ kind: 'text-folder', path: NOTES }, { ...DEFAULT_SETTINGS, flippingSample: 0 });
  assert.equal(DEFAULT_SETTINGS.seed, 42);
  assert.equal(result.model.k, 4);
  const scores = result.kSuggestion?.scores ?? [];
  const four = scores.find((s) => s.k === 4);
  assert.equal(four?.score, Math.max(...scores.map((s) => s.score ?? -Infinity)));
  assert.equal(four?.stableClusters, 4);
  // Every cluster holds one topic's 9 notes.
  const topicOf = (name: string): string => name.replace(/-\d+\.txt$/, '');
  const members = new Map<number, Set<string>>();
  result.assignments.forEach((c, i) => {
    const set = members.get(c) ?? new Set<string>();
    set.add(topicOf(result.dataset.kind === 'text' ? result.dataset.documents[i].name : ''));
    members.set(c, set);
  });
  assert.equal(members.size, 4);
  for (const [c, topics] of members) assert.equal(topics.size, 1, `cluster ${c}: ${[...topics].join(', ')}`);
});
