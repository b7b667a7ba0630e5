/** `neon-cluster fit DATA`: cluster the data and write a model file (and, with --rows-out, every row's explanation). */
import path from 'node:path';
import { serializeModel } from '../engine/model/modelFile';
import { runPipeline, type PipelineOptions, type SessionState } from '../engine/pipeline';
import type { PipelineResult } from '../engine/pipelineTypes';
import { budgetText } from '../engine/pipeline/rowBudget';
import { num } from './format';
import { rowsCsvHeader, rowsCsvLines } from './rowsCsv';
import { settingsFrom, sourceFrom, stringOption, UsageError } from './options';
import { type CommandContext, failIfStrict, printNotes, writeOutput } from './context';
import { withDefaultK } from './defaultK';
import { OutputFile } from './outputFile';
import { labelSharesText } from '../engine/pipeline/labelCounts';
import { skippedRecords } from '../engine/data/skippedRecords';

export async function fitCommand(ctx: CommandContext): Promise<void> {
  const source = sourceFrom(ctx.values, ctx.data);
  const initial = { ...settingsFrom(ctx.values), flippingSample: 0 };
  const rowsOut = stringOption(ctx.values, 'rows-out');
  const out = stringOption(ctx.values, 'out');
  if (rowsOut !== undefined && (rowsOut === '-' || (out !== undefined && path.resolve(rowsOut) === path.resolve(out)))) throw new UsageError('--rows-out needs a file of its own (not stdout, not the --out file)');
  // Without -k: one cluster per label value, as the extension proposes (defaultK.ts).
  const { settings, notes: kNotes } = await withDefaultK(ctx.values, source, initial);
  // Before the run: an error in it is then explained by the k it was given (review6 F4).
  printNotes(ctx, kNotes);
  const rows = rowsOut !== undefined ? new RowsCsvFile(rowsOut, ctx.values.strict === true) : undefined;
  let result: PipelineResult;
  let state: SessionState;
  try {
    ({ result, state } = await runPipeline(source, settings, ctx.hooks, undefined, rows ? rows.options() : {}));
    failIfStrict(ctx, result.notes);
    rows?.finish(result, state);
  } catch (e) {
    rows?.discard();
    throw e;
  }
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
  printNotes(ctx, result.notes);
  const lines = [
    `${path.basename(ctx.data)}: ${rowsUsed(result)}, ${result.model.kind} with k = ${result.model.k}, beta = ${num(result.neon.beta)}`,
    ...result.clusters.map(
      (c) => `  cluster ${c.index} (${c.size}): ${c.label}${c.purity !== undefined ? `  [purity ${c.purity.toFixed(2)}, mostly "${c.majorityLabel}"${c.labelCounts ? `: ${labelSharesText(c.labelCounts, c.size)}` : ''}]` : ''}`,
    ),
  ];
  const q = result.quality;
  const metrics = (['silhouette', 'purity', 'nmi', 'ari', 'accuracy'] as const).filter((m) => q[m] !== undefined).map((m) => `${m} ${(q[m] as number).toFixed(3)}`);
  if (metrics.length) lines.push(`  quality${result.rowSelection?.method === 'sample' ? ' (on the fitted sample)' : ''}: ${metrics.join(', ')}`);
  if (out !== undefined && out !== '-') lines.push(`model written to ${out}`);
  if (rowsOut !== undefined) lines.push(`${rows?.written.toLocaleString('en')} rows' explanations written to ${rowsOut}`);
  ctx.io.stderr(lines.join('\n') + '\n');
}

/**
 * How many of how many rows were fitted and explained, and how they were chosen:
 * "5,000 of 5,000 rows (all)", "300 of more rows (the first rows, --max-rows)",
 * "500 of 4,000 rows fitted (uniform sample, seed 42, budget 1 MB); all 4,000 assigned and explained".
 */
export function rowsUsed(result: PipelineResult): string {
  const s = result.rowSelection;
  const n = (x: number) => x.toLocaleString('en');
  // Records skipped on reading are rows of the file too: "79 of 80 data rows (1 skipped: line 41: unterminated quote)" (trial7 D1).
  const lost = skippedRecords([...result.dataset.notes, ...result.notes]);
  const skippedTail = lost ? ` (${lost.phrase.replace(/ records? skipped \((.*)\)$/, ' skipped: $1')})` : '';
  if (!s) return lost ? `${n(result.dataset.rows)} of ${n(result.dataset.rows + lost.count)} ${result.dataset.kind === 'text' ? 'documents' : 'data rows'}${skippedTail}` : `${n(result.dataset.rows)} ${result.dataset.kind === 'text' ? 'documents' : 'rows'}`;
  if (lost && s.method !== 'first') {
    if (s.method === 'all') return `${n(s.rows)} of ${n(s.rows + lost.count)} data rows${skippedTail}`;
    const total = s.totalRows ?? s.rows;
    const fitted = `${n(s.rows)} of ${n(total)} rows read fitted (uniform sample, seed ${s.seed}, budget ${budgetText(s.budgetBytes ?? 0)}); the file has ${n(total + lost.count)} data rows${skippedTail}`;
    return s.explainedRows === undefined ? fitted : `${fitted}; all ${n(s.explainedRows)} read assigned and explained`;
  }
  const total = s.totalRows === undefined ? 'more' : n(s.totalRows);
  if (s.method === 'all') return `${n(s.rows)} of ${total} rows (all)`;
  if (s.method === 'first') return `${n(s.rows)} of ${total} rows (the first rows, --max-rows)${skippedTail}`;
  const fitted = `${n(s.rows)} of ${n(s.totalRows ?? s.rows)} rows fitted (uniform sample, seed ${s.seed}, budget ${budgetText(s.budgetBytes ?? 0)})`;
  return s.explainedRows === undefined ? fitted : `${fitted}; all ${n(s.explainedRows)} assigned and explained`;
}

/** The model's columns (the features, in the model's order) as indices into result.units. */
function modelUnits(result: PipelineResult): { pick: number[]; columns: string[] } {
  const columns = result.preprocessing.kind === 'table' ? result.preprocessing.columns.map((c) => c.column) : [...result.featureNames];
  return { pick: columns.map((c) => result.units.indexOf(c)), columns };
}

/**
 * --rows-out: every row as `explain` writes it. A sampled fit streams the file's rows into it
 * as the pass explains them (memory stays bounded); otherwise every row is in the result.
 */
class RowsCsvFile {
  /** Written whole or not at all (outputFile.ts). */
  private readonly file: OutputFile;
  private pick: readonly number[] | undefined;
  private stride = 0;
  written = 0;

  /** `spool`: --strict (a FIFO or device gets the rows only when the run has succeeded). */
  constructor(file: string, spool: boolean) {
    this.file = new OutputFile(file, { spool });
  }

  options(): PipelineOptions {
    return {
      everyRowSinks: [
        {
          begin: (units, features) => {
            this.pick = features;
            this.stride = units.length;
            this.file.write(rowsCsvHeader('row', features.map((u) => units[u])));
          },
          write: (chunk) => {
            // Row numbers as `explain` writes them (pandas' numbering where bad records were skipped).
            this.file.write(rowsCsvLines(chunk, this.stride, this.pick ?? [], (i) => String(chunk.rowIndex ? chunk.rowIndex[i] : chunk.firstRow + i)));
            this.written += chunk.rows;
          },
        },
      ],
    };
  }

  finish(result: PipelineResult, state: SessionState): void {
    if (this.pick === undefined) {
      const rowIndex = state.dataset.kind === 'table' ? state.dataset.rowIndex : undefined;
      if (result.dataset.kind === 'text') throw new UsageError('--rows-out writes table rows; for a text corpus use `explain --model-file` on the model written');
      const { pick, columns } = modelUnits(result);
      this.file.write(rowsCsvHeader('row', columns));
      const rows = { rows: result.dataset.rows, cluster: result.assignments, evidence: result.evidence, relevance: result.rowRelevance };
      for (let from = 0; from < rows.rows; from += 4096) this.file.write(rowsCsvLines(rows, result.units.length, pick, (i) => String(rowIndex ? rowIndex[i] : i), from, Math.min(rows.rows, from + 4096)));
      this.written = rows.rows;
    }
    this.file.commit();
  }

  discard(): void {
    this.file.discard();
  }
}
