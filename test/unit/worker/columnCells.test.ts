/**
 * Export… copies a table's identifier and label cells (readColumnCells): from the rows the
 * session keeps, and by reading the file again when it keeps none — the same cells either way,
 * matched to the session's rows by their line (a skipped record does not shift them).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../../../src/engine/pipelineTypes';
import type { SessionState } from '../../../src/engine/pipeline/session';
import { FromWorker, ToWorker, type FromWorkerMessage } from '../../../src/protocol/worker';
import { readColumnCells } from '../../../src/worker/columnCells';
import { EngineWorker } from '../../../src/worker/engineWorker';
import { tempDir } from '../pipeline/syntheticData';

const dir = tempDir('column-cells');
const file = path.join(dir, 'orders.csv');
const lines = ['customer,amount,qty,segment'];
for (let i = 0; i < 40; i++) {
  const g = i % 2;
  lines.push(`${i === 5 ? '-7' : `C-${1000 + i}`},${(g ? 900 : 100) + i},${g ? 1 : 9},${g ? 'big' : 'small'}`);
  if (i === 10) lines.push('C-x,1,2,small,EXTRA'); // too many fields: skipped with a note, its line keeps its number
}
fs.writeFileSync(file, lines.join('\n') + '\n');
const settings: ClusterSettings = { ...DEFAULT_SETTINGS, k: 2, labelColumn: 'segment', flippingSample: 0, restarts: 1 };

describe('readColumnCells (Export… joins rows back by id)', () => {
  it('gives each row its own identifier and label cells, from kept rows and from a re-read alike', async () => {
    const worker = new EngineWorker();
    const replies: FromWorkerMessage[] = [];
    await worker.handleMessage({ type: ToWorker.Fit, id: 1, sessionId: 's', source: { kind: 'table', path: file }, settings }, (m) => replies.push(m));
    const fit = replies.find((m) => m.inReplyTo === 1 && m.type !== FromWorker.Progress);
    assert.equal(fit?.type, FromWorker.Result, JSON.stringify(fit));
    await worker.handleMessage({ type: ToWorker.ColumnCells, id: 2, sessionId: 's', columns: ['customer', 'segment'] }, (m) => replies.push(m));
    const reply = replies.find((m) => m.inReplyTo === 2);
    assert.equal(reply?.type, FromWorker.Result, JSON.stringify(reply));
    const { cells } = (reply as { result: { cells: string[][] } }).result;
    const expected = {
      customer: Array.from({ length: 40 }, (_, i) => (i === 5 ? '-7' : `C-${1000 + i}`)),
      segment: Array.from({ length: 40 }, (_, i) => (i % 2 ? 'big' : 'small')),
    };
    assert.deepEqual(cells, [expected.customer, expected.segment]);
    // The same cells when the session keeps no rows (large tables): the file is read again.
    const state = (worker as unknown as { sessions: Map<string, SessionState> }).sessions.get('s')!;
    assert.ok(state.rawRows, 'a small table keeps its rows');
    assert.deepEqual(await readColumnCells({ ...state, rawRows: undefined }, ['customer', 'segment']), [expected.customer, expected.segment]);
    await assert.rejects(readColumnCells({ ...state, rawRows: undefined }, ['nope']), /column "nope"/);
  });
});
