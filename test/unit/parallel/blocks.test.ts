import assert from 'node:assert/strict';
import { test } from 'node:test';
import { balancedRowsPerBlock, blockCount, rowsPerBlock } from '../../../src/engine/parallel/blocks';

test('balancedRowsPerBlock: at least 32 blocks of >= 1,024 rows where N allows; one block stays one block; never above rowsPerBlock', () => {
  // K x D = 240 (k-means, K = 12, D = 20): rowsPerBlock gives 8,192 rows.
  assert.equal(rowsPerBlock(240), 8192);
  // 100,000 rows: 13 blocks of 8,192 before; now 4,096-row blocks, 25 of them.
  assert.equal(balancedRowsPerBlock(100_000, 240), 4096);
  assert.equal(blockCount(100_000, balancedRowsPerBlock(100_000, 240)), 25);
  // 1,000,000 rows already make 123 blocks: unchanged.
  assert.equal(balancedRowsPerBlock(1_000_000, 240), 8192);
  // Small data that fits one block keeps the single block (its rows stay in kernel memory).
  assert.equal(balancedRowsPerBlock(1797, 610), rowsPerBlock(610));
  // Just above one block: blocks shrink to the 1,024-row floor, not below.
  assert.equal(balancedRowsPerBlock(9000, 240), 1024);
  // Wide rows whose own block is under 1,024 rows keep it.
  assert.equal(balancedRowsPerBlock(1_000_000, 40 * 1000), rowsPerBlock(40 * 1000));
  assert.ok(rowsPerBlock(40 * 1000) < 1024);
});
