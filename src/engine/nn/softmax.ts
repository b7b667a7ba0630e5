/** Softmax over rows of logits, numerically stable (max subtracted). */

/** p = softmax(logits[off .. off+k)) written to out[off .. off+k). */
export function softmaxRow(logits: Float64Array, off: number, k: number, out: Float64Array): void {
  let m = -Infinity;
  for (let c = 0; c < k; c++) if (logits[off + c] > m) m = logits[off + c];
  let s = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(logits[off + c] - m);
    out[off + c] = e;
    s += e;
  }
  for (let c = 0; c < k; c++) out[off + c] /= s;
}

/** log Σ_{c ≠ skip} exp(v_c) (stable); −∞ when nothing is left. */
export function logSumExp(v: Float64Array, k: number, skip = -1): number {
  let m = -Infinity;
  for (let c = 0; c < k; c++) if (c !== skip && v[c] > m) m = v[c];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let c = 0; c < k; c++) if (c !== skip) s += Math.exp(v[c] - m);
  return m + Math.log(s);
}
