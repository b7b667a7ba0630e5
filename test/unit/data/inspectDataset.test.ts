import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readTable } from '../../../src/engine/data/tableFormats';
import { INSPECT_ROWS, inspectDataset } from '../../../src/engine/data/inspectDataset';
import { LEFT_OUT_REASON } from '../../../src/engine/data/leftOutColumns';
import { buildTableDataset } from '../../../src/engine/data/tableDataset';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { FIXTURES, tempDir, writeFile } from './fixturePaths';

const WINE = path.join(FIXTURES, 'e2e-labels', 'wine.csv');
const DIGITS = path.join(FIXTURES, 'e2e-labels', 'digits.csv');

test('inspect wine.csv: 14 columns, "class" (3 values) proposed as the label, no text, not an image', async () => {
  const i = await inspectDataset({ kind: 'auto', path: WINE });
  assert.equal(i.source, 'table');
  assert.equal(i.rowsInspected, 178);
  assert.equal(i.complete, true);
  assert.equal(i.columns.length, 14);
  assert.equal(i.suggestedLabel, 'class');
  assert.equal(i.labelCandidates[0], 'class');
  const cls = i.columns.find((c) => c.name === 'class')!;
  assert.deepEqual([cls.kind, cls.distinct, cls.labelLike], ['categorical', 3, true]);
  assert.deepEqual(i.textColumns, []);
  assert.equal(i.imageColumns, undefined);
});

test('inspect digits.csv: "digit" (10 values) proposed, the 61 pixels found, no pixel offered as a label', async () => {
  const i = await inspectDataset({ kind: 'table', path: DIGITS });
  assert.equal(i.suggestedLabel, 'digit');
  assert.deepEqual(i.labelCandidates, ['digit']);
  assert.equal(i.columns.find((c) => c.name === 'digit')!.distinct, 10);
  assert.equal(i.imageColumns, 61);
  assert.equal(i.columns.find((c) => c.name === 'p0')!.kind, 'constant');
});

test('inspect: low-cardinality columns are candidates after the label-named ones; free text is a text column', async () => {
  const dir = tempDir('inspect');
  try {
    const lines = ['id,region,score,review,stars'];
    for (let r = 0; r < 40; r++) lines.push(`${r + 1},${['north', 'south', 'east'][r % 3]},${(r * 1.37).toFixed(2)},"this place was ${r % 2 ? 'great' : 'noisy'} and the coffee ${r}",${1 + (r % 5)}`);
    const file = writeFile(dir, 't.csv', lines.join('\n'));
    const i = await inspectDataset({ kind: 'auto', path: file });
    assert.equal(i.suggestedLabel, undefined);
    assert.deepEqual(i.labelCandidates, ['region', 'stars']);
    assert.deepEqual(i.textColumns, ['review']);
    assert.equal(i.columns.find((c) => c.name === 'id')!.kind, 'identifier');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('inspect a JSONL corpus: text field longest first, the label field proposed; only the first lines are read', async () => {
  const dir = tempDir('inspect');
  try {
    const docs = Array.from({ length: INSPECT_ROWS + 5 }, (_, n) => JSON.stringify({ id: n, title: `t${n % 7}`, text: `a long enough document number ${n} about ${n % 2 ? 'stars' : 'soup'}`, category: n % 2 ? 'astro' : 'food' }));
    const file = writeFile(dir, 'c.jsonl', docs.join('\n') + '\n');
    const i = await inspectDataset({ kind: 'auto', path: file });
    assert.equal(i.source, 'jsonl');
    assert.equal(i.rowsInspected, INSPECT_ROWS);
    assert.equal(i.complete, false);
    assert.deepEqual(i.textColumns, ['text']);
    assert.equal(i.suggestedLabel, 'category');
    assert.deepEqual(i.labelCandidates, ['category', 'title']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder is a corpus with nothing to choose', async () => {
  const dir = tempDir('inspect');
  try {
    writeFile(dir, 'a.txt', 'one document');
    const i = await inspectDataset({ kind: 'auto', path: dir });
    assert.equal(i.source, 'text-folder');
    assert.deepEqual([i.columns.length, i.labelCandidates.length], [0, 0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('left-out columns are never features, keep their cells, and get a note; unknown names too', async () => {
  const raw = await readTable(WINE);
  const d = await buildTableDataset(raw, WINE, { excludeColumns: ['class', 'Proline', 'nope'] });
  assert.equal(d.labelColumn, undefined);
  assert.ok(!d.featureNames.some((f) => f.startsWith('class') || f === 'proline'), d.featureNames.join(','));
  assert.equal(d.featureNames.length, 12);
  assert.equal(d.columns.find((c) => c.name === 'class')!.excludedReason, LEFT_OUT_REASON);
  assert.ok(d.notes.some((n) => n.includes('no column "nope" to leave out')));
  assert.ok(d.notes.some((n) => n.includes('2 left-out column(s) excluded')), d.notes.join('\n'));
  // A left-out label-like column is no longer reported as "looks like a label".
  assert.ok(!d.notes.some((n) => n.includes('looks like a label')));
});

test('the worker pipeline honours the automatic and optional label column (it passed only an explicit name before)', async () => {
  const settings = { ...DEFAULT_SETTINGS, k: 3, flippingSample: 0, restarts: 2, labelColumn: 'segment', labelColumnOptional: true, autoLabelColumn: true };
  // The workspace-wide name is absent: a note, no error (was: DataError "label column "segment" not found").
  const withMissing = await runPipeline({ kind: 'table', path: WINE }, settings);
  assert.ok(withMissing.result.notes.some((n) => n.includes('no label column "segment"')));
  // Empty name + automatic label: "class" is the label, not a feature (was: a feature "class=class_0", ...).
  const auto = await runPipeline({ kind: 'table', path: WINE }, { ...settings, labelColumn: undefined });
  assert.equal(auto.result.dataset.kind === 'table' && auto.result.dataset.labelColumn, 'class');
  assert.ok(!auto.result.featureNames.some((f) => f.startsWith('class')), auto.result.featureNames.join(','));
  assert.ok(auto.result.quality.purity !== undefined && auto.result.quality.purity > 0.9, `purity ${auto.result.quality.purity}`);
  // Left-out columns reach the worker's pipeline as well.
  const left = await runPipeline({ kind: 'table', path: WINE }, { ...settings, labelColumn: undefined, autoLabelColumn: false, excludeColumns: ['class'] });
  assert.equal(left.result.featureNames.length, 13);
});
