/**
 * Member status codes, one per row or document (PipelineResult.memberStatus, Uint8Array of
 * length N): what the summaries, the table statistics and the wordless-document placement
 * agree a row's membership is. Their own file so that summaries.ts and tableClusterStats.ts
 * (which summaries.ts imports) read the same codes without an import cycle.
 */
/** Assigned with evidence at least WEAK_EVIDENCE × the median evidence (summaries.ts). */
export const MEMBER_CONFIDENT = 0;
/** Assigned, but its evidence is near zero: shown as weakly assigned, not as a confident member. */
export const MEMBER_WEAK = 1;
/** A document without a usable word: not a member of any cluster. */
export const MEMBER_WORDLESS = 2;
