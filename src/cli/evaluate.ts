/**
 * `neon-cluster evaluate DATA`: how faithful NEON's explanations are (feature flipping, paper
 * Fig. 5: lower area = better) next to the baselines, and how good the clustering is.
 */
import { runPipeline } from '../engine/pipeline';
import { num, textTable } from './format';
import { settingsFrom, sourceFrom } from './options';
import { type CommandContext, givenModel, withModelNeon, writeOutput } from './context';

export async function evaluateCommand(ctx: CommandContext): Promise<void> {
  const given = await givenModel(ctx.values, ctx.data);
  const merged = withModelNeon(settingsFrom(ctx.values), ctx.values, given);
  const { result } = await runPipeline(sourceFrom(ctx.values, ctx.data), merged, ctx.hooks, given);
  const flipping = result.flipping ?? [];
  const q = result.quality;
  if (ctx.values.format === 'json') {
    const doc = {
      data: ctx.data,
      model: { kind: result.model.kind, k: result.model.k, ...result.neon },
      rows: result.dataset.rows,
      quality: q,
      flipping: flipping.map((f) => ({ method: f.method, area: f.area, msPerExplanation: f.msPerExplanation, curve: Array.from(f.curve) })),
      notes: result.notes,
    };
    writeOutput(ctx, JSON.stringify(doc, null, 2) + '\n');
    return;
  }
  const lines: string[] = [];
  lines.push(`${ctx.data}: ${result.dataset.rows} rows, ${result.model.kind}, k = ${result.model.k}, beta = ${num(result.neon.beta)}, evidence ${result.neon.evidence}, rule ${result.neon.rule}`, '');
  if (flipping.length) {
    lines.push('Feature flipping (area under the evidence curve; lower = more faithful):');
    const rows = [...flipping].sort((a, b) => a.area - b.area).map((f) => [f.method, f.area.toFixed(4), f.msPerExplanation.toFixed(3)]);
    lines.push(textTable(['method', 'area', 'ms/explanation'], rows));
  } else {
    lines.push('Feature flipping skipped (--flipping-sample 0).', '');
  }
  const metrics = (['silhouette', 'purity', 'nmi', 'ari', 'accuracy'] as const).filter((m) => q[m] !== undefined);
  lines.push('Clustering quality:');
  lines.push(textTable(['metric', 'value'], metrics.map((m) => [m, (q[m] as number).toFixed(4)])));
  writeOutput(ctx, lines.join('\n'));
}
