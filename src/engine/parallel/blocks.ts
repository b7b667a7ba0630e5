/**
 * Fixed row blocks: the unit of parallel work and of every reduction.
 *
 * A pass over N rows is cut into blocks whose size depends only on the problem's shape
 * (multiply-adds per row), never on how many threads run it. Each block writes its partial
 * result (sums per cluster, inertia, potential) into its own slot, and the caller combines the
 * slots in block order. Floating-point addition is not associative, so this fixed partition
 * and fixed combination order are what make 1, 2 or 8 threads give bit-identical results.
 */

/** Multiply-adds per block: ~1–3 ms of work, so a cancel is seen quickly and blocks balance. */
const BLOCK_WORK = 1 << 21;
const MIN_ROWS = 64;
const MAX_ROWS = 8192;

/** Rows per block for a pass costing about `opsPerRow` multiply-adds per row. */
export function rowsPerBlock(opsPerRow: number): number {
  const rows = Math.floor(BLOCK_WORK / Math.max(1, opsPerRow));
  return Math.max(MIN_ROWS, Math.min(MAX_ROWS, rows));
}

/** Number of blocks of `blockRows` rows covering `n` rows. */
export function blockCount(n: number, blockRows: number): number {
  return Math.ceil(n / blockRows);
}
