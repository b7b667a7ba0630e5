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

/**
 * Blocks a repeated pass over more rows than one block should be cut into at least: with
 * dynamically claimed blocks a thread idles for up to one block at the end of a pass, so 13
 * blocks of 8,192 rows (100,000 rows, K × D = 240) left one of two threads waiting ~8 % of
 * each k-means iteration; 32 blocks bring that under 2 %.
 */
const MIN_BLOCKS = 32;
/** Smallest block when cut for balance: the kernels' chunk (kmeansKernels.ts CHUNK_ROWS). */
const BALANCED_MIN_ROWS = 1024;

/**
 * Rows per block for a pass over `n` rows repeated many times (k-means iterations):
 * `rowsPerBlock(opsPerRow)`, lowered so that N rows make at least MIN_BLOCKS blocks, in
 * multiples of 1,024 rows and never below that. A pass that fits one block stays one block
 * (its rows stay in the kernels' memory between passes). Depends on N and the shape only,
 * never on the thread count, so results stay identical for any number of threads.
 */
export function balancedRowsPerBlock(n: number, opsPerRow: number): number {
  const rows = rowsPerBlock(opsPerRow);
  if (n <= rows) return rows;
  const balanced = Math.ceil(n / MIN_BLOCKS / BALANCED_MIN_ROWS) * BALANCED_MIN_ROWS;
  return Math.max(Math.min(rows, BALANCED_MIN_ROWS), Math.min(rows, balanced));
}

/** Number of blocks of `blockRows` rows covering `n` rows. */
export function blockCount(n: number, blockRows: number): number {
  return Math.ceil(n / blockRows);
}
