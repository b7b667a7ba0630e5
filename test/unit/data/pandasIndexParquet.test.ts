/**
 * Trial7 D11c: pandas' to_parquet stores a non-default index as `__index_level_0__`. It is the
 * index — an identifier named "index (__index_level_0__)", never a feature — whatever its values
 * (here a filtered index: not consecutive, so only its name tells).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { inspectDataset } from '../../../src/engine/data/inspectDataset';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { tempDir } from './fixturePaths';

test('a Parquet file with pandas\' __index_level_0__: shown as "index (__index_level_0__)", an identifier, not a feature', async () => {
  const n = 40;
  const index = Array.from({ length: n }, (_, i) => 1000 - 7 * i - (i % 3));
  const x = Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 9) + ((i * 37) % 10) / 10);
  const y = Array.from({ length: n }, (_, i) => (i < n / 2 ? 2 : 7) + ((i * 53) % 10) / 10);
  const file = path.join(tempDir('pandas-index'), 'sensors.parquet');
  fs.writeFileSync(file, Buffer.from(parquetWriteBuffer({
    columnData: [
      { name: 'x', data: x, type: 'DOUBLE' },
      { name: 'y', data: y, type: 'DOUBLE' },
      { name: '__index_level_0__', data: index.map(BigInt), type: 'INT64' },
    ],
  })));
  const i = await inspectDataset({ kind: 'auto', path: file });
  assert.deepEqual(i.columns.map((c) => c.name), ['x', 'y', 'index (__index_level_0__)']);
  assert.equal(i.columns[2]!.kind, 'identifier');
  const { result } = await runPipeline({ kind: 'auto', path: file }, { ...DEFAULT_SETTINGS, k: 2, flippingSample: 0 });
  assert.deepEqual([...result.featureNames], ['x', 'y']);
  const ds = result.dataset;
  assert.ok(ds.kind === 'table');
  const col = ds.columns.find((c) => c.name === 'index (__index_level_0__)');
  assert.deepEqual([col?.kind, col?.excludedReason], ['identifier', "pandas' index (to_parquet stores it as a column)"]);
  assert.ok(ds.notes.some((t) => t.includes('"index (__index_level_0__)"') && t.includes("pandas' index")), ds.notes.join('\n'));
});
