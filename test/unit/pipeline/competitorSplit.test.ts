import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { competitorProportions, splitTokens, topCompetitor } from '../../../src/engine/pipeline/competitorSplit';

describe('competitor split', () => {
  it('proportions are R_ik / R_i, with the competitor shares where R_i is 0 (hand case)', () => {
    // D = 2 features, K = 3 clusters, assigned cluster 0 (its row is 0).
    const relevance = Float64Array.from([4, 0]);
    const perCompetitor = Float64Array.from([0, 0, 1, 0, 3, 0]); // rows k = 0, 1, 2
    const shares = Float64Array.from([0, 2, 6]);
    const p = competitorProportions(relevance, perCompetitor, shares, 3);
    assert.deepEqual(Array.from(p), [0, 0, 0.25, 0.25, 0.75, 0.75]);
  });

  it('splits each token over the competitors and the parts add up to the token relevance', () => {
    // Two tokens of words 0 and 1 in a D = 2 space; u_ti = (coef_i v_ti - offset_i) / n, n = 2.
    const coef = Float64Array.from([1, 2]);
    const offset = Float64Array.from([0.5, 0]);
    const wordVectors = Float64Array.from([1, 0, 0, 1]);
    const proportions = Float64Array.from([0, 0, 0.25, 1, 0.75, 0]);
    const out = new Float64Array(3 * 2);
    splitTokens(coef, offset, wordVectors, 2, Int32Array.from([0, 1]), proportions, 3, out);
    // token 0: u = [(1 - 0.5)/2, 0] = [0.25, 0]; token 1: u = [-0.25, 1].
    assert.deepEqual(Array.from(out), [0, 0, 0.0625, -0.0625 + 1, 0.1875, -0.1875]);
    assert.ok(Math.abs(out[2] + out[4] - 0.25) < 1e-7 && Math.abs(out[3] + out[5] - 0.75) < 1e-7);
    // Token 1 speaks for the assigned cluster (+0.75), mostly against competitor 1.
    assert.equal(topCompetitor(out, 3, 2, 1, 0.75, 0), 1);
    // A token with negative relevance points to the competitor it speaks for.
    const neg = Float64Array.from([0, 0, -0.1, 0, -0.4, 0]);
    assert.equal(topCompetitor(neg, 3, 2, 0, -0.5, 0), 2);
  });
});
