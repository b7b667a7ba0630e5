// The word hover ranks words as the CLI and the panel do (trial 6 D6: the hover said
// "Relevance +0.132 (rank 14 of 27)" for one occurrence of "portfolio" in articles.jsonl line 1,
// while `explain` listed portfolio first at +0.397 = 3 × 0.132).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exportRows } from '../../../src/engine/export/explanations';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { wordStanding } from '../../../src/engine/relevance/wordStanding';
import { wordLine } from '../../../src/extension/editor/format';

const TRIAL = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'trial6');

describe('wordStanding', () => {
  it('sums a word over its occurrences and ranks it among the distinct words (hand case)', () => {
    // words: a b a c a; relevance 0.1 0.25 0.1 -0.05 0.1: a = 0.3 (rank 1 of 3), b 0.25, c -0.05
    const words = ['a', 'b', 'a', 'c', 'a'];
    const r = [0.1, 0.25, 0.1, -0.05, 0.1];
    const a = wordStanding((i) => words[i], r, 0, 5, 2);
    assert.equal(a.occurrences, 3);
    assert.ok(Math.abs(a.total - 0.3) < 1e-12);
    assert.deepEqual({ rank: a.rank, words: a.words }, { rank: 1, words: 3 });
    assert.deepEqual(wordStanding((i) => words[i], r, 0, 5, 1), { total: 0.25, occurrences: 1, rank: 2, words: 3 }, 'b is 2nd, although its one occurrence beats each of a\'s');
    assert.equal(wordLine(a, 0.1), 'Relevance +0.300 in 3 occurrences (rank 1 of 3 words; this occurrence +0.100)');
    assert.equal(wordLine(wordStanding((i) => words[i], r, 0, 5, 3), -0.05), 'Relevance -0.050 (rank 3 of 3 words)');
  });

  it('articles.jsonl line 1 (the tester\'s corpus): "portfolio" ranks as in the export, 3 occurrences', async () => {
    const { result } = await runPipeline({ kind: 'auto', path: path.join(TRIAL, 'articles.jsonl') }, { ...DEFAULT_SETTINGS, k: 4, flippingSample: 0 });
    const ds = result.dataset;
    assert.equal(ds.kind, 'text');
    if (ds.kind !== 'text') return;
    const from = ds.tokens.docStart[0];
    const to = ds.tokens.docStart[1];
    const exported = exportRows(result)[0].relevance;
    let portfolio = 0;
    for (let t = from; t < to; t++) {
      const s = wordStanding((i) => ds.tokens.word[i], result.tokenRelevance, from, to, t);
      const word: string = ds.vocabulary[ds.tokens.word[t]];
      const at = exported.findIndex((e) => e.name === word);
      if (at >= 0) {
        assert.ok(Math.abs(exported[at].relevance - s.total) < 1e-12, word);
        assert.equal(s.rank, exported.filter((e) => e.relevance > s.total).length + 1, word);
      }
      if (word === 'portfolio') {
        portfolio++;
        assert.equal(s.occurrences, 3);
        assert.ok(s.total > 2.9 * result.tokenRelevance[t] && s.total < 3.1 * result.tokenRelevance[t], 'about 3 x one occurrence');
      }
    }
    assert.equal(portfolio, 3);
  });
});
