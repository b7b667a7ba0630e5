/**
 * `neon-cluster evaluate DATA`: how faithful NEON's explanations are next to the baselines
 * (feature flipping toward several references, deletion and insertion curves; evaluate/
 * flipping.ts), and how good the clustering is.
 */
import { isSkippedRecordsNote } from '../engine/data/skippedRecords';
import { runPipeline } from '../engine/pipeline';
import { explanationQuestion, ruleLabel } from '../engine/relevance/question';
import type { FlippingCurve } from '../engine/types';
import { neonJson, num, textTable } from './format';
import { settingsFrom, sourceFrom } from './options';
import { type CommandContext, failIfStrict, givenModel, printNotes, withModelNeon, writeOutput } from './context';
import { withDefaultK } from './defaultK';

/** Method order in the table: NEON first, then the baselines. */
const METHOD_ORDER = ['neon', 'integrated-gradients', 'gradient-x-input', 'sensitivity'];

export async function evaluateCommand(ctx: CommandContext): Promise<void> {
  const given = await givenModel(ctx.values, ctx.data);
  const source = sourceFrom(ctx.values, ctx.data);
  // Fitting here (no given model) without -k: one cluster per label value, as `fit` and the extension (defaultK.ts).
  const { settings, notes: kNotes } = given ? { settings: settingsFrom(ctx.values), notes: [] } : await withDefaultK(ctx.values, source, settingsFrom(ctx.values));
  // The table output says the k on stderr before the run, so a failed run still says where its k came from (JSON: in `notes`).
  if (ctx.values.format !== 'json') printNotes(ctx, kNotes);
  const merged = withModelNeon(settings, ctx.values, given);
  const { result } = await runPipeline(source, merged, ctx.hooks, given);
  failIfStrict(ctx, result.notes);
  const notes = [...result.notes, ...kNotes];
  const flipping = result.flipping ?? [];
  const q = result.quality;
  const words = result.dataset.kind === 'text' ? { units: 'words', item: 'document' } : { units: 'columns', item: 'row' };
  const question = explanationQuestion(result.neon, words);
  if (ctx.values.format === 'json') {
    const doc = {
      data: ctx.data,
      model: { kind: result.model.kind, k: result.model.k, ...neonJson(result.neon) },
      question,
      rows: result.dataset.rows,
      quality: q,
      flipping: flipping.map((f) => ({
        method: f.method,
        reference: f.reference ?? 'mean',
        referenceName: f.referenceName ?? 'data mean',
        direction: f.direction ?? 'deletion',
        area: f.area,
        msPerExplanation: f.msPerExplanation,
        curve: Array.from(f.curve),
      })),
      notes,
    };
    writeOutput(ctx, JSON.stringify(doc, null, 2) + '\n');
    return;
  }
  // The table output has no notes section: the k chosen from the label and skipped records are said on stderr, as `fit` says them.
  printNotes(ctx, result.notes.filter(isSkippedRecordsNote));
  const lines: string[] = [];
  lines.push(`${ctx.data}: ${result.dataset.rows} rows, ${result.model.kind}, k = ${result.model.k}, beta = ${num(result.neon.beta)}, evidence ${result.neon.evidence}, rule ${ruleLabel(result.neon)}`);
  lines.push(`NEON answers: ${question}`, '');
  if (flipping.length) {
    lines.push('Feature flipping toward each reference: deletion area (most relevant removed first; lower = more faithful)');
    lines.push('and insertion area (most relevant put back first; higher = more faithful), normalised by the mean evidence:');
    lines.push(textTable(['reference', 'method', 'deletion', 'insertion', 'ms/explanation'], flippingRows(flipping)));
  } else {
    lines.push('Feature flipping skipped (--flipping-sample 0).', '');
  }
  const metrics = (['silhouette', 'purity', 'nmi', 'ari', 'accuracy'] as const).filter((m) => q[m] !== undefined);
  lines.push('Clustering quality:');
  lines.push(textTable(['metric', 'value'], metrics.map((m) => [m, (q[m] as number).toFixed(4)])));
  writeOutput(ctx, lines.join('\n'));
}

/** One line per (reference, method) with both directions' areas. */
function flippingRows(curves: readonly FlippingCurve[]): string[][] {
  const byKey = new Map<string, { reference: string; method: string; deletion?: number; insertion?: number; ms: number }>();
  for (const f of curves) {
    const reference = f.referenceName ?? 'data mean';
    const key = `${reference}\u0000${f.method}`;
    const entry = byKey.get(key) ?? { reference, method: f.method, ms: f.msPerExplanation };
    if ((f.direction ?? 'deletion') === 'deletion') entry.deletion = f.area;
    else entry.insertion = f.area;
    byKey.set(key, entry);
  }
  const references = [...new Set([...byKey.values()].map((e) => e.reference))];
  const rank = (m: string): number => (METHOD_ORDER.indexOf(m) + 1 || 99);
  return [...byKey.values()]
    .sort((a, b) => references.indexOf(a.reference) - references.indexOf(b.reference) || rank(a.method) - rank(b.method))
    .map((e) => [e.reference, e.method, e.deletion === undefined ? '' : e.deletion.toFixed(4), e.insertion === undefined ? '' : e.insertion.toFixed(4), e.ms.toFixed(3)]);
}
