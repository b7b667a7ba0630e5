/**
 * The compute pool's silhouette kernel (silhouette.ts drives it): the silhouettes of one block
 * of subsample points against the whole subsample, summed into the block's own slot.
 * In its own module so the kernel registry does not import the driver (no import cycle).
 */

/** The kernel's view: the m subsample rows (m x D, row-major), their labels and cluster sizes. */
export interface SilhouetteArgs {
  readonly data: Float64Array;
  readonly m: number;
  readonly d: number;
  readonly k: number;
  readonly labels: Int32Array;
  readonly sizes: Float64Array;
  readonly blockRows: number;
  /** B: each block's sum of silhouettes. */
  readonly blockTotal: Float64Array;
}

/** Per-thread scratch: distance sums per cluster. */
let sums = new Float64Array(16);

/** Silhouettes of the subsample points of block b, summed into blockTotal[b]. */
export function silhouetteBlock(s: SilhouetteArgs, b: number): void {
  const { data, m, d, k, labels, sizes } = s;
  if (sums.length < k) sums = new Float64Array(k);
  const start = b * s.blockRows;
  const end = Math.min(m, start + s.blockRows);
  let total = 0;
  for (let a = start; a < end; a++) {
    sums.fill(0, 0, k);
    const ia = a * d;
    for (let q = 0; q < m; q++) {
      if (q === a) continue;
      const iq = q * d;
      let t = 0;
      for (let j = 0; j < d; j++) {
        const u = data[ia + j] - data[iq + j];
        t += u * u;
      }
      sums[labels[q]] += Math.sqrt(t);
    }
    const own = labels[a];
    if (sizes[own] <= 1) continue; // a singleton's silhouette is 0
    const inner = sums[own] / (sizes[own] - 1);
    let outer = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0 && sums[c] / sizes[c] < outer) outer = sums[c] / sizes[c];
    const mx = Math.max(inner, outer);
    if (mx > 0) total += (outer - inner) / mx;
  }
  s.blockTotal[b] = total;
}

export const SILHOUETTE_KERNELS = { silhouette: silhouetteBlock };

