/**
 * Which cluster the panel shows an item in. A document without a usable word is in no
 * cluster (memberStatus MEMBER_WORDLESS, engine pipeline/memberStatus.ts) although the
 * engine's assignment array holds some index for it: the map, its list and the cluster
 * filter must not draw or count it as that cluster's member (trial s19 D4).
 */
import { MEMBER_WORDLESS } from '../../src/engine/pipeline/memberStatus';

/** The shown cluster of an item in no cluster. */
export const NO_CLUSTER = -1;

/** Per item: its cluster, or NO_CLUSTER when memberStatus marks it wordless. Length of `assignments`. */
export function shownClusters(assignments: readonly number[], memberStatus: readonly number[] | undefined): number[] {
  return assignments.map((c, i) => (memberStatus?.[i] === MEMBER_WORDLESS ? NO_CLUSTER : c));
}

/** How many items are in no cluster. */
export function countNoCluster(shown: readonly number[]): number {
  let n = 0;
  for (const c of shown) if (c === NO_CLUSTER) n++;
  return n;
}
