/**
 * For synthetic sets whose row r belongs to group r mod k: the fraction of rows that sit in
 * their group's majority cluster, or 0 unless the k groups have k different majorities.
 */
export function recovered(labels: Int32Array, k: number): number {
  let hit = 0;
  const used = new Set<number>();
  for (let b = 0; b < k; b++) {
    const counts = new Array<number>(k).fill(0);
    for (let r = b; r < labels.length; r += k) counts[labels[r]]++;
    const best = counts.indexOf(Math.max(...counts));
    used.add(best);
    hit += counts[best];
  }
  return used.size === k ? hit / labels.length : 0;
}
