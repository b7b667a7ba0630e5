/**
 * `neon-cluster explain --model-file m.json DATA` (or `--centroids c.csv`): every row's
 * cluster (0-based, the centroid's row), its evidence and each model column's relevance.
 * With the midpoint rule the relevances of a row sum to its evidence.
 *
 * Tables with CSV output are streamed: DATA (a file, or "-" for stdin) is read chunk by chunk
 * and each chunk's rows are written before the next is read, so memory is bounded by the
 * model and one chunk, and the command can run per partition inside Spark or Dask.
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import { openCsvStream } from '../engine/data/csvTableReader';
import { resolveSourceKind } from '../engine/data/loadDataset';
import { openTable } from '../engine/data/tableFormats';
import { hasSourceLines, type TableReader } from '../engine/data/tableReader';
import type { ImportedModel } from '../engine/model/importers';
import { explainItem, runPipeline, type SessionState } from '../engine/pipeline';
import { emptyClustersNote } from '../engine/pipeline/emptyClusters';
import { explainTableStream, modelColumns as streamColumns } from '../engine/pipeline/explainStream';
import type { PipelineResult } from '../engine/pipelineTypes';
import { checkIdField, csvColumnValues, jsonlFieldValues, noFields } from './documentIds';
import { csvLine, neonJson, num } from './format';
import { rowsCsvHeader, rowsCsvLines } from './rowsCsv';
import { integerOption, settingsFrom, sourceFrom, stringOption, UsageError } from './options';
import { type CommandContext, failIfStrict, givenModel, printNotes, withModelNeon, writeChunks, writeOutput, writeStream } from './context';

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
function* tableCsv(result: PipelineResult, modelColumns: readonly string[], unit: readonly number[], rowIndex: Int32Array | undefined): Generator<string> {
  const rows = { rows: result.dataset.rows, cluster: result.assignments, evidence: result.evidence, relevance: result.rowRelevance };
  yield rowsCsvHeader('row', modelColumns);
  const id = (i: number): string => String(rowIndex ? rowIndex[i] : i);
  for (let from = 0; from < rows.rows; from += 4096) yield rowsCsvLines(rows, result.units.length, unit, id, from, Math.min(rows.rows, from + 4096));
}

export async function explainCommand(command: CommandContext): Promise<void> {
  const given = await givenModel(command.values, command.data);
  if (!given) throw new UsageError('explain needs a model: --model-file FILE or --centroids FILE (make a model file with "neon-cluster fit")');
  const ctx = withModelTextColumn(command, given);
  const settings = { ...withModelNeon(settingsFrom(ctx.values), ctx.values, given), flippingSample: 0 };
  if (ctx.values.format !== 'json' && isTableInput(ctx)) return streamTable(ctx, given, settings);
  if (ctx.data === '-') throw new UsageError('reading stdin ("-") is for tables with CSV output; give a file for --format json or a text corpus');
  // --id-column FIELD: a JSONL field's (or a CSV text column's row's) value first, under FIELD's name (the
  // table rule). Checked before the run: a table's JSON gives "row" and "line" instead, a folder has no fields,
  // and the field or column must exist (review6 F10: a misspelt field failed only after a whole run).
  const idField = stringOption(ctx.values, 'id-column');
  const source = sourceFrom(ctx.values, ctx.data);
  const kind = resolveSourceKind(source);
  if (idField !== undefined && kind === 'table') throw new UsageError('--id-column copies a table column into the CSV output (--format csv); the JSON output gives each row\'s "row" and "line" to join on');
  if (idField !== undefined && kind !== 'jsonl' && kind !== 'csv-text') throw noFields(ctx.data);
  if (idField !== undefined && (kind === 'jsonl' || kind === 'csv-text')) await checkIdField(kind, ctx.data, idField);
  // JSON (and text corpora) list every row from memory: no sample beyond the memory budget (the CSV path streams).
  const { result, state } = await runPipeline(source, { ...settings, memoryBudgetMb: Number.POSITIVE_INFINITY }, ctx.hooks, given);
  failIfStrict(ctx, result.notes);
  printNotes(ctx, [...given.notes, ...result.notes]);
  const json = ctx.values.format === 'json';
  const n = result.dataset.rows;
  const k = result.model.k;

  if (state.dataset.kind === 'text') {
    const names = state.dataset.documents.map((d) => d.name);
    // The 0-based row: the document's index, or a CSV text column's row number where the reader skipped a record (as for a table).
    const documents = state.dataset.documents;
    const rowOf = (i: number): number => documents[i]!.row ?? i;
    const ids = idField === undefined ? undefined : await (kind === 'csv-text' ? csvColumnValues : jsonlFieldValues)(ctx.data, state.dataset.documents, idField);
    // A document without a usable word is in no cluster (memberStatus 2): empty cluster / null.
    const wordless = (i: number): boolean => result.memberStatus?.[i] === 2;
    if (!json) {
      const out = [csvLine([idField ?? 'row', 'document', 'cluster', 'evidence', 'words_for', 'words_against'])];
      for (let i = 0; i < n; i++) {
        const scores = wordScores(result, state, i);
        out.push(csvLine([ids ? ids[i] : String(rowOf(i)), names[i], wordless(i) ? '' : String(result.assignments[i]), num(result.evidence[i]), ranked(scores, 1, 8), ranked(scores, -1, 8)]));
      }
      writeOutput(ctx, out.join(''));
      return;
    }
    const rows = Array.from({ length: n }, (_, i) => ({
      row: rowOf(i),
      ...(ids && idField !== undefined ? { id: ids[i] } : {}),
      document: names[i],
      cluster: wordless(i) ? null : result.assignments[i],
      label: wordless(i) ? 'no usable words' : result.clusters[result.assignments[i]].label,
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
    writeChunks(ctx, tableCsv(result, modelColumns, unit, state.dataset.kind === 'table' ? state.dataset.rowIndex : undefined));
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
      row: state.dataset.kind === 'table' && state.dataset.rowIndex ? state.dataset.rowIndex[i] : i,
      // The line the row starts on; absent for Parquet (no lines) and text.
      line: result.dataset.kind === 'table' && hasSourceLines(result.dataset) ? result.dataset.rowLine[i] : undefined,
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

/**
 * A text model fitted on a CSV column / JSONL field (`fit --text-column message`) records it
 * (TextPreprocessing.textColumn); without --text-column, `explain` reads the same one and says
 * so (trial7 D11f). An explicit --text-column wins: the model's vocabulary applies to any text.
 */
function withModelTextColumn(ctx: CommandContext, given: ImportedModel): CommandContext {
  const column = given.preprocessing.kind === 'text' ? given.preprocessing.textColumn : undefined;
  if (column === undefined || ctx.data === '-') return ctx;
  const asked = stringOption(ctx.values, 'text-column');
  if (asked !== undefined) {
    if (asked !== column) ctx.io.stderr(`note: --text-column ${JSON.stringify(asked)} is read; the model was fitted on the text column ${JSON.stringify(column)}.\n`);
    return ctx;
  }
  ctx.io.stderr(`note: the text column ${JSON.stringify(column)} is read, as the model was fitted (--text-column NAME to read another).\n`);
  return { ...ctx, values: { ...ctx.values, 'text-column': column } };
}

/** DATA is "-" (stdin, delimited text) or a file / Parquet folder read as a table. */
function isTableInput(ctx: CommandContext): boolean {
  if (ctx.data === '-') return true;
  if (stringOption(ctx.values, 'text-column') !== undefined) return false;
  const kind = stringOption(ctx.values, 'source-kind') ?? 'auto';
  if (kind !== 'auto') return kind === 'table';
  return resolveSourceKind({ kind: 'auto', path: ctx.data }) === 'table';
}

/** Rows explained chunk by chunk, written as CSV as they come (see the module comment). */
async function streamTable(ctx: CommandContext, given: ImportedModel, settings: ReturnType<typeof settingsFrom>): Promise<void> {
  if (given.preprocessing.kind === 'text') throw new UsageError('the model explains text documents; give a text source (JSONL, folder, --text-column)');
  if (given.unnamedInputs) throw new UsageError(`${given.format} names no inputs: give --features a,b,c when reading stdin`);
  const idColumn = stringOption(ctx.values, 'id-column');
  const maxRows = integerOption(ctx.values, 'max-rows', 1);
  let reader: TableReader;
  if (ctx.data === '-') {
    if (!ctx.io.stdin) throw new UsageError('no standard input to read');
    // The file reader's rules (sep= line, comments, encodings, number formats) for a one-pass stream.
    reader = await openCsvStream(ctx.io.stdin as Readable, 'stdin');
  } else {
    reader = await openTable(ctx.data);
  }
  const columns = streamColumns(given);
  const name = ctx.data === '-' ? 'stdin' : path.basename(ctx.data);
  const notes: string[] = [...given.notes, ...reader.schema.notes];
  let rows = 0;
  let chunks = 0;
  let betaNote = '';
  const sizes = new Float64Array(given.model.k);
  async function* lines(): AsyncGenerator<string> {
    failIfStrict(ctx, reader.schema.notes);
    const identity = columns.map((_, c) => c);
    const stream = explainTableStream(reader, given, {
      beta: settings.beta,
      evidence: settings.evidence,
      rule: settings.rule,
      ...(settings.reference !== undefined ? { reference: settings.reference } : {}),
      ...(settings.storedReference ? { storedReference: settings.storedReference } : {}),
      ...(idColumn !== undefined ? { idColumn } : {}),
      ...(maxRows !== undefined ? { maxRows } : {}),
      // --strict: the reader stops at the first bad row (pandas on_bad_lines='error') instead of
      // reading on to the end, where the note on skipped rows would come (review6 F1).
      ...(ctx.values.strict === true ? { onBadLines: 'error' as const } : {}),
      ...(ctx.hooks.signal ? { signal: ctx.hooks.signal } : {}),
    })[Symbol.asyncIterator]();
    // The first chunk before the header: a bad --id-column or --reference is an error with no output.
    try {
      let next = await stream.next();
      yield rowsCsvHeader(idColumn ?? 'row', columns);
      for (; next.done !== true; next = await stream.next()) {
        const chunk = next.value;
        if (chunks++ === 0 && settings.beta === 'auto') betaNote = `beta = ${chunk.neon.beta.toPrecision(3)} (auto, from the first ${chunk.rows} rows)`;
        // --strict: a skipped record the reader reports only in a note (none for delimited text,
        // which fails above) stops the run; writeStream then writes nothing (all or nothing).
        failIfStrict(ctx, chunk.notes);
        notes.push(...chunk.notes);
        // The row's number in the file (gaps where bad records were skipped), so it joins pandas' index.
        const text = rowsCsvLines(chunk, columns.length, identity, (i) => (chunk.ids ? chunk.ids[i] : String(chunk.rowIndex ? chunk.rowIndex[i] : chunk.firstRow + i)));
        rows += chunk.rows;
        for (let i = 0; i < chunk.rows; i++) sizes[chunk.cluster[i]!]!++;
        ctx.hooks.onProgress?.({ stage: 'explaining', message: `${rows} rows of ${name}` });
        yield text;
      }
    } finally {
      // Stopped early (an error, a closed pipe): let the stream release what it holds, as for-await did.
      await stream.return?.(undefined);
    }
  }
  try {
    await writeStream(ctx, lines());
  } finally {
    await reader.close();
  }
  const emptyNote = rows > 0 ? emptyClustersNote(name, sizes, given.preprocessing.kind === 'none') : undefined;
  if (emptyNote) notes.push(emptyNote);
  if (betaNote) notes.push(chunks > 1 ? `${betaNote}; give --beta ${betaNote.split(' ')[2]} (or store it in the model file) so every part of a split input uses the same beta.` : `${betaNote}.`);
  printNotes(ctx, notes);
}
