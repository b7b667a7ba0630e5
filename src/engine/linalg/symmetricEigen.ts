/**
 * Eigen-decomposition of a small symmetric matrix (ml-matrix's tridiagonal QL), returned
 * sorted by decreasing eigenvalue with a deterministic sign per eigenvector.
 */
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';

export interface SymmetricEigen {
  /** Eigenvalues, largest first (length `count`). */
  readonly values: Float64Array;
  /** Eigenvectors as rows: vector k is `vectors[k * n .. k * n + n - 1]`. */
  readonly vectors: Float64Array;
}

/**
 * Top `count` eigenpairs of the symmetric n x n matrix `a` (row-major). Each eigenvector is
 * signed so that its largest-magnitude entry is positive, making results reproducible.
 */
export function symmetricEigen(a: Float64Array, n: number, count: number): SymmetricEigen {
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(a.subarray(i * n, i * n + n));
  const evd = new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const vec = evd.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => lambda[y] - lambda[x]);
  const k = Math.min(count, n);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * n);
  for (let c = 0; c < k; c++) {
    const col = order[c];
    values[c] = lambda[col];
    let big = 0;
    for (let i = 0; i < n; i++) {
      const v = vec.get(i, col);
      vectors[c * n + i] = v;
      if (Math.abs(v) > Math.abs(big)) big = v;
    }
    if (big < 0) for (let i = 0; i < n; i++) vectors[c * n + i] = -vectors[c * n + i];
  }
  return { values, vectors };
}
