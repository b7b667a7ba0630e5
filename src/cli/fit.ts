/** `neon-cluster fit DATA`: cluster the data and write a model file. */
import path from 'node:path';
import { serializeModel } from '../engine/model/modelFile';
import { runPipeline } from '../engine/pipeline';
import type { PipelineResult } from '../engine/pipelineTypes';
import { num } from './format';
import { settingsFrom, sourceFrom, stringOption } from './options';
import { type CommandContext, writeOutput } from './context';

export async function fitCommand(ctx: CommandContext): Promise<void> {
  const settings = { ...settingsFrom(ctx.values), flippingSample: 0 };
  const { result, state } = await runPipeline(sourceFrom(ctx.values, ctx.data), settings, ctx.hooks);
  const text = serializeModel({
    model: result.model,
    preprocessing: result.preprocessing,
    featureNames: result.featureNames,
    // The reference (the training mean unless --reference says otherwise) travels with the
    // model, so `explain` on a new batch measures from the same point.
    neon: { beta: result.neon.beta, evidence: result.neon.evidence, rule: result.neon.rule, ...(result.neon.reference ? { reference: Array.from(result.neon.reference), referenceName: result.neon.referenceName ?? 'the data mean' } : {}) },
    clusterLabels: state.clusterLabels,
    metadata: { createdBy: 'neon-cluster fit', source: path.basename(ctx.data), rows: result.dataset.rows, seed: settings.seed },
  });
  writeOutput(ctx, text);
  // Every dataset note (converted, dropped or renamed columns, missing cells, skipped rows), as explain prints them.
  for (const note of result.notes) ctx.io.stderr(`note: ${note}\n`);
  const lines = [
    `${path.basename(ctx.data)}: ${rowsUsed(result)}, ${result.model.kind} with k = ${result.model.k}, beta = ${num(result.neon.beta)}`,
    ...result.clusters.map(
      (c) => `  cluster ${c.index} (${c.size}): ${c.label}${c.purity !== undefined ? `  [purity ${c.purity.toFixed(2)}, mostly "${c.majorityLabel}"]` : ''}`,
    ),
  ];
  const q = result.quality;
  const metrics = (['silhouette', 'purity', 'nmi', 'ari', 'accuracy'] as const).filter((m) => q[m] !== undefined).map((m) => `${m} ${(q[m] as number).toFixed(3)}`);
  if (metrics.length) lines.push(`  quality: ${metrics.join(', ')}`);
  const out = stringOption(ctx.values, 'out');
  if (out !== undefined && out !== '-') lines.push(`model written to ${out}`);
  ctx.io.stderr(lines.join('\n') + '\n');
}

/** "1,000,000 of 1,000,000 rows (all)": how many of how many rows were fitted and how they were chosen. */
function rowsUsed(result: PipelineResult): string {
  const s = result.rowSelection;
  if (!s) return `${result.dataset.rows.toLocaleString('en')} ${result.dataset.kind === 'text' ? 'documents' : 'rows'}`;
  const total = s.totalRows === undefined ? 'more' : s.totalRows.toLocaleString('en');
  const how = s.method === 'all' ? 'all' : s.method === 'first' ? 'the first rows, --max-rows' : `uniform random sample, seed ${s.seed}, memory budget`;
  return `${s.rows.toLocaleString('en')} of ${total} rows (${how})`;
}
