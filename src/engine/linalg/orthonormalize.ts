/**
 * Orthonormal basis of the columns of a tall matrix stored column-major (column c is
 * `a[c * rows .. c * rows + rows - 1]`), by modified Gram-Schmidt applied twice ("twice is
 * enough", Giraud et al. 2005) so the result is orthonormal to machine precision.
 * Columns that are (numerically) dependent on earlier ones are set to zero.
 * `passes` = 1 is enough between power iterations, where only the spanned subspace matters.
 */
export function orthonormalizeColumns(a: Float64Array, rows: number, cols: number, passes = 2): void {
  const norms0 = new Float64Array(cols);
  for (let c = 0; c < cols; c++) norms0[c] = Math.sqrt(dot(a, c * rows, a, c * rows, rows));
  for (let pass = 0; pass < passes; pass++) {
    for (let c = 0; c < cols; c++) {
      const oc = c * rows;
      for (let p = 0; p < c; p++) {
        const op = p * rows;
        const r = dot(a, op, a, oc, rows);
        if (r === 0) continue;
        for (let i = 0; i < rows; i++) a[oc + i] -= r * a[op + i];
      }
      const norm = Math.sqrt(dot(a, oc, a, oc, rows));
      if (!(norm > 1e-10 * Math.max(norms0[c], 1e-300))) {
        a.fill(0, oc, oc + rows);
        continue;
      }
      const inv = 1 / norm;
      for (let i = 0; i < rows; i++) a[oc + i] *= inv;
    }
  }
}

function dot(x: Float64Array, ox: number, y: Float64Array, oy: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[ox + i] * y[oy + i];
  return s;
}
