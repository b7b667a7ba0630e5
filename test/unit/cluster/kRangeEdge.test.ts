import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { largestKTriedNote } from '../../../src/engine/cluster/kRangeEdge';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { Rng } from '../../../src/engine/rng';
import type { KSuggestion } from '../../../src/engine/types';

const suggestion = (k: number, ks: readonly number[]): KSuggestion => ({ k, scores: ks.map((x) => ({ k: x, silhouette: x / 100 })), rule: 'the best silhouette' });

describe('k = auto at the end of its range (trial s19: a noise category took a 3-segment table to k = 10 without a word)', () => {
  it('says when the chosen k is the largest tried and the range, not the data, stopped it', () => {
    const note = largestKTriedNote(suggestion(10, [2, 3, 4, 5, 6, 7, 8, 9, 10]), 10);
    assert.equal(
      note,
      'k = 10 is the largest k tried (kRange 2..10): the score was best at the end of the range, so the data may hold more clusters. ' +
        'Set k to a larger number to see; if clusters are named by one category column, leaving that column out may be the better fix.',
    );
  });

  it('says nothing for a k inside the range, or when the data lowered the top k tried', () => {
    assert.equal(largestKTriedNote(suggestion(4, [2, 3, 4, 5, 6, 7, 8, 9, 10]), 10), undefined);
    // 6 rows allow k = 2..5 only: a larger k is impossible, not merely untried.
    assert.equal(largestKTriedNote(suggestion(5, [2, 3, 4, 5]), 10), undefined);
    assert.equal(largestKTriedNote(suggestion(2, [2]), 2), undefined);
  });

  it('the pipeline adds the note for 12 separated blobs with kRange 2..6, and not with 2..14', async () => {
    const rng = new Rng(5);
    const lines = ['a,b'];
    for (let c = 0; c < 12; c++) for (let i = 0; i < 20; i++) lines.push(`${(c % 4) * 50 + rng.normal()},${Math.floor(c / 4) * 50 + rng.normal()}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-krange-'));
    const file = path.join(dir, 'blobs.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    try {
      const narrow = await runPipeline({ kind: 'auto', path: file }, { ...DEFAULT_SETTINGS, k: 'auto', kRange: [2, 6], flippingSample: 0 });
      assert.equal(narrow.result.model.k, 6);
      assert.ok(narrow.result.notes.some((n) => n.startsWith('k = 6 is the largest k tried (kRange 2..6)')), narrow.result.notes.join('\n'));
      const wide = await runPipeline({ kind: 'auto', path: file }, { ...DEFAULT_SETTINGS, k: 'auto', kRange: [2, 14], flippingSample: 0 });
      assert.equal(wide.result.model.k, 12);
      assert.ok(!wide.result.notes.some((n) => n.includes('largest k tried')), wide.result.notes.join('\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
