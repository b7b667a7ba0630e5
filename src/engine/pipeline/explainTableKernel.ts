/**
 * The compute pool's kernel for explaining a k-means table (explainAll.ts drives it): NEON
 * for the rows of one block (neuralize/kmeansBatch.ts), each row's relevance summed into its
 * table columns (one-hot features back into their column) and stored as Float64, and the
 * block's share of the conservation gap. Writes only its own rows and its own block slots.
 */
import { explainKMeansRows } from '../neuralize/kmeansBatch';
import type { NeonOptions } from '../types';

export interface ExplainTableArgs {
  /** N x D features (row-major) and the K x D centroids. */
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly centroids: Float64Array;
  readonly neon: NeonOptions;
  readonly blockRows: number;
  /** D: the table column of each feature; U columns. */
  readonly featureColumn: Int32Array;
  readonly units: number;
  /** N outputs and N x U relevance per column. */
  readonly cluster: Int32Array;
  readonly evidence: Float64Array;
  readonly probability: Float64Array;
  readonly rowRelevance: Float64Array;
  /** N: kmeansBatch's row status (ROW_BEYOND_RANGE: values beyond float64, NaN). */
  readonly status: Uint8Array;
  /** B: Σ_rows |Σ_i R_i − f| and Σ_rows |f| of each block. */
  readonly blockGap: Float64Array;
  readonly blockTotal: Float64Array;
}

/** Per-thread scratch for the per-column sums. */
let columnBuf = new Float64Array(64);

function explainTableBlock(s: ExplainTableArgs, b: number): void {
  const start = b * s.blockRows;
  const end = Math.min(s.n, start + s.blockRows);
  const { featureColumn, units, rowRelevance, evidence } = s;
  if (columnBuf.length < units) columnBuf = new Float64Array(units);
  const buf = columnBuf;
  let gap = 0;
  let total = 0;
  explainKMeansRows(
    { kind: 'kmeans', k: s.k, dim: s.d, centroids: s.centroids },
    s.neon,
    { rows: s.n, cols: s.d, data: s.data },
    s,
    start,
    end,
    (i, r) => {
      let sum = 0;
      buf.fill(0, 0, units);
      for (let j = 0; j < r.length; j++) {
        sum += r[j];
        buf[featureColumn[j]] += r[j];
      }
      // Rows beyond float64 (NaN, status set) are reported on their own, not as a gap.
      if (Number.isFinite(sum) && Number.isFinite(evidence[i])) {
        gap += Math.abs(sum - evidence[i]);
        total += Math.abs(evidence[i]);
      }
      const o = i * units;
      for (let u = 0; u < units; u++) rowRelevance[o + u] = buf[u];
    },
  );
  s.blockGap[b] = gap;
  s.blockTotal[b] = total;
}

export const EXPLAIN_KERNELS = { explainKMeansTable: explainTableBlock };
