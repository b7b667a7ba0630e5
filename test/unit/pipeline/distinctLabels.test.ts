// Cluster names tell the clusters apart (trial 6 D9: tickets.csv in table mode at k = 4 named
// clusters 0 and 2 both "high resolution_hours"; case 01's points.csv at k = 10 named four
// clusters "high py"). Files: test/fixtures/trial6 (the tester's tickets.csv, case 01's points.csv).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { distinctLabels, MAX_LABEL_UNITS } from '../../../src/engine/pipeline/summaries';

const TRIAL = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'trial6');
const rules = { named: () => true, format: (_c: number, p: readonly string[]) => p.join(' · '), fallback: () => undefined };

describe('distinctLabels (synthetic)', () => {
  it('extends only the colliding names, each with its next term, until they differ', () => {
    const out = distinctLabels([['high a'], ['high a'], ['low b']], [['x=1', 'low c'], ['x=2'], ['high a']], rules);
    assert.deepEqual(out, ['high a · x=1', 'high a · x=2', undefined]);
  });

  it('keeps extending while the next terms are shared too, and stops at MAX_LABEL_UNITS', () => {
    const out = distinctLabels([['a'], ['a']], [['b', 'c'], ['b', 'd']], rules);
    assert.deepEqual(out, ['a · b · c', 'a · b · d']);
    const long = distinctLabels([['a'], ['a']], [['b', 'c', 'd', 'e', 'f', 'g'], ['b', 'c', 'd', 'e', 'f', 'h']], { ...rules, fallback: (c) => `pos ${c}` });
    assert.equal(MAX_LABEL_UNITS, 5);
    assert.deepEqual(long, ['a · b · c · d · e (pos 0)', 'a · b · c · d · e (pos 1)']);
  });

  it('a name still shared without more terms ends in its position, else "(cluster c)"; unnamed clusters are left alone', () => {
    assert.deepEqual(distinctLabels([['a'], ['a'], ['a']], [[], [], []], { ...rules, fallback: (c) => (c === 2 ? 'p' : undefined) }), ['a (cluster 0)', 'a (cluster 1)', 'a (p)']);
    assert.deepEqual(distinctLabels([['a'], ['a']], [['b'], ['c']], { ...rules, named: (c) => c === 0 }), [undefined, undefined]);
  });
});

describe('cluster names on the trial files', () => {
  it('tickets.csv (table mode, k = 4): every cluster name differs; the two "high resolution_hours" are told apart by priority', async () => {
    const { result } = await runPipeline({ kind: 'auto', path: path.join(TRIAL, 'tickets.csv') }, { ...DEFAULT_SETTINGS, k: 4, flippingSample: 0 });
    const names = result.clusters.map((c) => c.label);
    assert.equal(new Set(names).size, 4, `names: ${JSON.stringify(names)}`);
    const high = names.filter((n) => n.startsWith('high resolution_hours'));
    assert.equal(high.length, 2, `names: ${JSON.stringify(names)}`);
    assert.ok(high.every((n) => /^high resolution_hours · priority=\w+$/.test(n)), `names: ${JSON.stringify(names)}`);
  });

  it('points.csv (case 01, k = 10): the "high py · high px" clusters are told apart by their mean py', async () => {
    const { result } = await runPipeline({ kind: 'auto', path: path.join(TRIAL, 'points.csv') }, { ...DEFAULT_SETTINGS, k: 10, flippingSample: 0 });
    const names = result.clusters.filter((c) => c.size > 0).map((c) => c.label);
    assert.equal(new Set(names).size, names.length, `names: ${JSON.stringify(names)}`);
    assert.ok(names.includes('high py · high px (py ≈ 511)') && names.includes('high py · high px (py ≈ 400)'), `names: ${JSON.stringify(names)}`);
  });
});
