/**
 * The question NEON's numbers answer depends on the first layer's root point (neon-method.md,
 * "rules"): the panel and the hovers say it in words, so a reader knows what a relevance of +0.3
 * means. One sentence per rule; an unknown rule is named as it is.
 */
import type { PipelineResult } from '../engine/pipelineTypes';

export function neonQuestion(r: Pick<PipelineResult, 'neon' | 'dataset'>): string {
  const units = r.dataset.kind === 'table' ? 'columns' : 'words';
  const item = r.dataset.kind === 'table' ? 'row' : 'document';
  const rule = r.neon.rule as string;
  switch (rule) {
    case 'midpoint':
      return `Which ${units} put this ${item} in its cluster rather than in each competing one, measured from the boundary between the two (midpoint root point). The ${units}' relevances add up to the evidence.`;
    case 'z':
      return `Which ${units} put this ${item} in its cluster rather than in each competing one (the paper's z-rule; the relevances do not add up exactly to the evidence).`;
    default:
      return `Which ${units} put this ${item} in its cluster rather than in each competing one (first-layer rule "${rule}").`;
  }
}
