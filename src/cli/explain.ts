/**
 * `neon-cluster explain --model-file m.json DATA` (or `--centroids c.csv`): every row's
 * cluster (0-based, the centroid's row), its evidence and each model column's relevance.
 * With the midpoint rule the relevances of a row sum to its evidence.
 */
import { explainItem, runPipeline, type SessionState } from '../engine/pipeline';
import type { PipelineResult } from '../engine/pipelineTypes';
import { csvLine, neonJson, num } from './format';
import { settingsFrom, sourceFrom, UsageError } from './options';
import { type CommandContext, givenModel, withModelNeon, writeChunks, writeOutput } from './context';

/** Words of a document ranked by their summed relevance. */
function wordScores(result: PipelineResult, state: SessionState, d: number): { word: string; relevance: number }[] {
  if (state.dataset.kind !== 'text') return [];
  const { docStart, word } = state.dataset.tokens;
  const sums = new Map<number, number>();
  for (let t = docStart[d]; t < docStart[d + 1]; t++) sums.set(word[t], (sums.get(word[t]) ?? 0) + result.tokenRelevance[t]);
  return [...sums].map(([w, r]) => ({ word: result.units[w], relevance: r })).sort((a, b) => b.relevance - a.relevance);
}

function ranked(scores: readonly { word: string; relevance: number }[], sign: 1 | -1, n: number): string {
  return scores
    .filter((s) => sign * s.relevance > 0)
    .sort((a, b) => sign * (b.relevance - a.relevance))
    .slice(0, n)
    .map((s) => `${s.word}:${num(s.relevance)}`)
    .join(' ');
}

/** The table CSV in chunks of a few thousand lines. */
function* tableCsv(result: PipelineResult, modelColumns: readonly string[], unit: readonly number[]): Generator<string> {
  const u = result.units.length;
  let lines = [csvLine(['row', 'cluster', 'evidence', ...modelColumns.map((c) => `R:${c}`)])];
  for (let i = 0; i < result.dataset.rows; i++) {
    const rel = unit.map((j) => num(result.rowRelevance[i * u + j]));
    lines.push(csvLine([String(i), String(result.assignments[i]), num(result.evidence[i]), ...rel]));
    if (lines.length === 4096) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length) yield lines.join('');
}

export async function explainCommand(ctx: CommandContext): Promise<void> {
  const given = await givenModel(ctx.values, ctx.data);
  if (!given) throw new UsageError('explain needs a model: --model-file FILE or --centroids FILE (make a model file with "neon-cluster fit")');
  const settings = { ...withModelNeon(settingsFrom(ctx.values), ctx.values, given), flippingSample: 0 };
  const { result, state } = await runPipeline(sourceFrom(ctx.values, ctx.data), settings, ctx.hooks, given);
  for (const note of [...given.notes, ...result.notes]) ctx.io.stderr(`note: ${note}\n`);
  const json = ctx.values.format === 'json';
  const n = result.dataset.rows;
  const k = result.model.k;

  if (state.dataset.kind === 'text') {
    const names = state.dataset.documents.map((d) => d.name);
    if (!json) {
      const out = [csvLine(['row', 'document', 'cluster', 'evidence', 'words_for', 'words_against'])];
      for (let i = 0; i < n; i++) {
        const scores = wordScores(result, state, i);
        out.push(csvLine([String(i), names[i], String(result.assignments[i]), num(result.evidence[i]), ranked(scores, 1, 8), ranked(scores, -1, 8)]));
      }
      writeOutput(ctx, out.join(''));
      return;
    }
    const rows = Array.from({ length: n }, (_, i) => ({
      row: i,
      document: names[i],
      cluster: result.assignments[i],
      label: result.clusters[result.assignments[i]].label,
      evidence: result.evidence[i],
      probability: result.probability[i],
      words: wordScores(result, state, i).map((s) => ({ word: s.word, relevance: s.relevance })),
    }));
    writeOutput(ctx, JSON.stringify({ model: { kind: result.model.kind, k, ...neonJson(result.neon) }, rows, notes: result.notes }, null, 1) + '\n');
    return;
  }

  // Tables: one relevance column per model column, in the model's order.
  const modelColumns = given.preprocessing.kind === 'table' ? given.preprocessing.columns.map((c) => c.column) : [...given.featureNames];
  const unit = modelColumns.map((c) => result.units.indexOf(c));
  const u = result.units.length;
  if (!json) {
    writeChunks(ctx, tableCsv(result, modelColumns, unit));
    return;
  }
  const byColumn = (values: ArrayLike<number>, offset: number) => Object.fromEntries(modelColumns.map((c, m) => [c, values[offset + unit[m]]]));
  const rows = [];
  for (let i = 0; i < n; i++) {
    const item = explainItem(state, i);
    const competitors = [];
    for (let c = 0; c < k; c++) {
      if (c === item.cluster) continue;
      competitors.push({ cluster: c, share: item.competitorShares[c], relevance: byColumn(item.perCompetitor, c * u) });
    }
    rows.push({
      row: i,
      line: result.dataset.kind === 'table' ? result.dataset.rowLine[i] : undefined,
      cluster: item.cluster,
      label: result.clusters[item.cluster].label,
      evidence: item.evidence,
      probability: item.probability,
      relevance: byColumn(item.unitRelevance, 0),
      competitors,
    });
  }
  writeOutput(ctx, JSON.stringify({ model: { kind: result.model.kind, k, ...neonJson(result.neon) }, columns: modelColumns, rows, notes: result.notes }, null, 1) + '\n');
}
