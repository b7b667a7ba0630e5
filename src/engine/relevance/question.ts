/**
 * Which question NEON's relevances answer, in words, for the panel, the hover and the CLI
 * (issue 13): the first layer's root point decides it (neuralize/rootPoint.ts). The numbers
 * are always the evidence f_c split over the inputs; the root says *from where* each input's
 * share is measured.
 */
import type { NeonOptions } from '../types';

export interface QuestionWords {
  /** 'columns' (tables) or 'words' (text). */
  readonly units: string;
  /** 'row' or 'document'. */
  readonly item: string;
}

const TABLE: QuestionWords = { units: 'columns', item: 'row' };

/** One sentence, e.g. "Compared with the data mean, which columns make this row belong to its cluster rather than another?" */
export function explanationQuestion(neon: Pick<NeonOptions, 'rule' | 'referenceName'>, words: QuestionWords = TABLE): string {
  const { units, item } = words;
  switch (neon.rule) {
    case 'reference':
      return `Compared with ${neon.referenceName ?? 'the reference'}, which ${units} make this ${item} belong to its cluster rather than to a competing one?`;
    case 'midpoint':
      return `Which ${units} separate this ${item} from the boundary with each competing cluster?`;
    case 'z':
      return `Which ${units}, measured from zero, push this ${item} toward its cluster? (z-rule: part of the evidence stays in the bias, so the ${units} do not add up to it.)`;
  }
}

/** Short name of the rule for chips and tables: "reference (data mean)", "midpoint", "z". */
export function ruleLabel(neon: Pick<NeonOptions, 'rule' | 'referenceName'>): string {
  return neon.rule === 'reference' ? `reference (${neon.referenceName ?? 'reference point'})` : neon.rule;
}
