/**
 * Catch-all clusters (issue 11): a synthetic corpus of five topics, each with its own words,
 * clustered with k = 4 has to put two topics into one cluster; that cluster is marked mixed
 * with the reason, and the same corpus at k = 5 has no mixed cluster. k = auto finds 5.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runPipeline } from '../../../src/engine/pipeline';
import { mixedReason } from '../../../src/engine/pipeline/summaries';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { Rng } from '../../../src/engine/rng';
import { tempDir } from './syntheticData';

const TOPICS = [
  ['planet', 'orbit', 'rocket', 'galaxy', 'telescope', 'astronaut', 'comet', 'lunar', 'asteroid', 'launch'],
  ['recipe', 'butter', 'oven', 'flour', 'sugar', 'bake', 'dough', 'cream', 'vanilla', 'bread'],
  ['goal', 'match', 'team', 'league', 'coach', 'score', 'stadium', 'player', 'season', 'referee'],
  ['violin', 'piano', 'orchestra', 'melody', 'concert', 'symphony', 'guitar', 'chord', 'rhythm', 'choir'],
  ['court', 'judge', 'lawyer', 'trial', 'verdict', 'jury', 'statute', 'appeal', 'plaintiff', 'lawsuit'],
];
const NAMES = ['space', 'baking', 'football', 'music', 'law'];
const SHARED = ['today', 'people', 'really', 'great', 'thing', 'week'];

function writeFiveTopics(dir: string, perTopic = 40, seed = 3): string {
  const rng = new Rng(seed);
  const lines: string[] = [];
  for (let d = 0; d < perTopic; d++) {
    for (let t = 0; t < TOPICS.length; t++) {
      const words: string[] = [];
      for (let w = 0; w < 12; w++) words.push(rng.next() < 0.75 ? TOPICS[t][rng.int(10)] : SHARED[rng.int(SHARED.length)]);
      lines.push(JSON.stringify({ text: words.join(' '), category: NAMES[t] }));
    }
  }
  const file = path.join(dir, 'five-topics.jsonl');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('mixed clusters on a corpus of five topics', () => {
  const dir = tempDir('mixed');
  const file = writeFiveTopics(dir);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const settings = { ...DEFAULT_SETTINGS, labelColumn: 'category', flippingSample: 0, seed: 1 };

  it('k = 4: the cluster holding two topics is marked mixed, with the reason; the four pure ones are not', async () => {
    const { result } = await runPipeline({ kind: 'jsonl', path: file }, { ...settings, k: 4 });
    const byPurity = [...result.clusters].sort((a, b) => (a.purity ?? 0) - (b.purity ?? 0));
    const [catchAll, ...pure] = byPurity;
    assert.ok((catchAll.purity ?? 1) <= 0.55, `catch-all purity ${catchAll.purity}`);
    assert.ok(catchAll.size >= 75, `catch-all size ${catchAll.size}`);
    for (const c of pure) {
      assert.ok((c.purity ?? 0) > 0.9, `cluster ${c.index} purity ${c.purity}`);
      assert.equal(c.mixed, undefined, `cluster ${c.index} "${c.label}": ${c.mixed}`);
      assert.ok((c.stability ?? 0) > 2 / 3, `cluster ${c.index} stability ${c.stability}`);
    }
    assert.match(catchAll.mixed ?? '', /^Mixed cluster: /);
    assert.match(catchAll.label, /^mixed: /);
    assert.ok(catchAll.stability !== undefined && catchAll.stability >= 0 && catchAll.stability <= 1);
  });

  it('k = 5: no cluster is mixed and every cluster is stable', async () => {
    const { result } = await runPipeline({ kind: 'jsonl', path: file }, { ...settings, k: 5 });
    for (const c of result.clusters) {
      assert.ok((c.purity ?? 0) > 0.9, `cluster ${c.index} purity ${c.purity}`);
      assert.equal(c.mixed, undefined, `cluster ${c.index}: ${c.mixed}`);
      assert.ok((c.stability ?? 0) >= 0.75, `cluster ${c.index} stability ${c.stability}`);
    }
  });

  it('k = auto picks the 5 topics by the stability and separation of their clusters and notes every score', async () => {
    const { result } = await runPipeline({ kind: 'jsonl', path: file }, { ...settings, k: 'auto' });
    assert.equal(result.model.k, 5);
    const scores = result.kSuggestion?.scores ?? [];
    assert.deepEqual(scores.map((s) => s.k), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(scores.find((s) => s.k === 5)?.stableClusters, 5);
    for (const s of scores) assert.ok((s.stableClusters ?? 99) <= 5, `k = ${s.k}: ${s.stableClusters} stable`);
    // Five stable topics: sum of (stability corrected for chance - 0.5) near 5 x 0.5.
    assert.ok((scores.find((s) => s.k === 5)?.stabilityScore ?? 0) > 2.25);
    const note = result.notes.find((n) => n.startsWith('k = 5 chosen as the most stable, best separated clusters')) ?? '';
    assert.match(
      note,
      /silhouettes 2: -?\d\.\d{3}, 3: .*10: -?\d\.\d{3}; stability \(corrected for chance\) above 0\.5 summed over the clusters 2: -?\d\.\d\d, .*10: -?\d\.\d\d; stable clusters 2: \d+, 3: \d+, .*10: \d+; score \(stability × silhouette\) 2: -?\d\.\d{3}, .*10: -?\d\.\d{3}\)\.$/,
    );
  });
});

describe('mixedReason', () => {
  const base = { cohesion: 1, medianCohesion: 1, evidence: 1, medianEvidence: 1, weak: 0, size: 100 };
  const unstable = { jaccard: 0.38, refits: 10, fraction: 0.75 };

  it('unstable over re-fits and weakly held: mixed, saying how much of it stays together', () => {
    assert.equal(
      mixedReason({ ...base, evidence: 0.6, stability: unstable }),
      'Mixed cluster: it does not hold together: re-fitting k-means on 10 random 75% samples of the documents keeps on average only 38% of it together ' +
        "(Jaccard with its best match), and its members are less firmly assigned than the median cluster's (mean evidence 0.60 vs 1.0).",
    );
  });

  it('unstable but firmly held (a topic re-fits cut differently), or stable but weakly held: not mixed', () => {
    assert.equal(mixedReason({ ...base, evidence: 0.9, stability: unstable }), undefined);
    assert.equal(mixedReason({ ...base, evidence: 0.6, stability: { ...unstable, jaccard: 0.7 } }), undefined);
    assert.equal(mixedReason({ ...base, evidence: 0.6 }), undefined);
  });

  it('cohesion below 0.7 x the median, evidence below half the median, or mostly weak members: mixed', () => {
    assert.match(mixedReason({ ...base, cohesion: 0.69 }) ?? '', /its documents share little: cohesion 0\.69 vs 1\.00/);
    assert.equal(mixedReason({ ...base, cohesion: 0.71 }), undefined);
    assert.match(mixedReason({ ...base, evidence: 0.45 }) ?? '', /barely closer to it than to other clusters: mean evidence 0\.45 vs 1\.0/);
    assert.match(mixedReason({ ...base, weak: 51 }) ?? '', /51 of 100 members are weakly assigned/);
  });
});
