import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectedColumn, kFromLabels, MAX_K_FROM_LABELS } from '../../../src/engine/cluster/kFromLabels';
import type { DatasetInspection, InspectedColumn } from '../../../src/engine/data/inspectDataset';

function inspection(columns: InspectedColumn[]): DatasetInspection {
  return { source: 'table', rowsInspected: 100, complete: true, columns, labelCandidates: [], textColumns: [] };
}

describe('k from the label column (trial s19 D3: the CLI and the extension proposed different k for one file)', () => {
  const table = inspection([
    { name: 'age', kind: 'numeric', distinct: 80, labelLike: false },
    { name: 'Target', kind: 'categorical', distinct: 3, labelLike: true },
    { name: 'digit', kind: 'numeric', distinct: 10, labelLike: true },
    { name: 'constant', kind: 'constant', distinct: 1, labelLike: false },
    { name: 'zip', kind: 'categorical', distinct: MAX_K_FROM_LABELS + 1, labelLike: false },
    { name: 'grade', kind: 'categorical', distinct: MAX_K_FROM_LABELS, labelLike: false },
  ]);

  it('one cluster per label value, with the reason the extension shows; the name matched case-insensitively', () => {
    assert.deepEqual(kFromLabels(table, 'Target'), { k: 3, reason: 'one cluster per value of Target' });
    assert.deepEqual(kFromLabels(table, 'target'), { k: 3, reason: 'one cluster per value of Target' });
    assert.deepEqual(kFromLabels(table, 'digit'), { k: 10, reason: 'one cluster per value of digit' });
    assert.deepEqual(kFromLabels(table, 'grade'), { k: 30, reason: 'one cluster per value of grade' });
  });

  it('nothing without a label, for an unknown column, a constant one or more than 30 values', () => {
    assert.equal(kFromLabels(table, null), undefined);
    assert.equal(kFromLabels(table, undefined), undefined);
    assert.equal(kFromLabels(table, ' '), undefined);
    assert.equal(kFromLabels(table, 'segment'), undefined);
    assert.equal(kFromLabels(table, 'constant'), undefined);
    assert.equal(kFromLabels(table, 'zip'), undefined);
  });

  it('finds a column by its exact name first, then ignoring case and surrounding space', () => {
    const both = inspection([
      { name: 'class', kind: 'categorical', distinct: 2, labelLike: true },
      { name: 'Class', kind: 'categorical', distinct: 5, labelLike: true },
    ]);
    assert.equal(inspectedColumn(both, 'Class'), 'Class');
    assert.equal(inspectedColumn(both, ' CLASS '), 'class');
    assert.equal(kFromLabels(both, 'Class')?.k, 5);
  });
});
