/** What every CLI command gets: its parsed options, output channels and the job hooks. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { bindInputNamesToTable, importModel, type ImportedModel } from '../engine/model/importers';
import { isSkippedRecordsNote } from '../engine/data/skippedRecords';
import { DataError } from '../engine/errors';
import { applyStoredNeon, parseCentroidsCsv, type ParsedModelFile } from '../engine/model/modelFile';
import type { ClusterSettings } from '../engine/pipelineTypes';
import type { JobHooks } from '../engine/types';
import { stringOption, UsageError, type OptionValues } from './options';
import { writeWhole, writeWholeSync } from './outputFile';

export interface CliIo {
  readonly stdout: (s: string) => void;
  /** Writes to stdout and resolves when the stream can take more (backpressure for streamed output). */
  readonly stdoutAsync?: (s: string) => Promise<void>;
  /** Standard input, for DATA "-" (streamed explain). */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stderr: (s: string) => void;
  readonly stderrIsTTY: boolean;
}

export interface CommandContext {
  readonly values: OptionValues;
  readonly data: string;
  readonly io: CliIo;
  readonly hooks: JobHooks;
}

/** Writes the command's output to --out, or stdout. */
export function writeOutput(ctx: CommandContext, text: string): void {
  writeChunks(ctx, [text]);
}

/**
 * Writes output produced piece by piece as it is produced, waiting for a slow reader of
 * stdout (a pipe into Spark / Dask) instead of buffering: memory stays bounded by one piece.
 * --out is written whole or not at all (outputFile.ts). With --strict, stdout gets the output
 * only once every piece is made: the pieces are held in a temporary file until then, so a bad
 * record late in the input leaves no output at all (as pandas' read_csv raises before
 * returning rows; review6 F1).
 */
export async function writeStream(ctx: CommandContext, chunks: AsyncIterable<string>): Promise<void> {
  const out = stringOption(ctx.values, 'out');
  if (out !== undefined && out !== '-') return writeWhole(out, chunks, { spool: ctx.values.strict === true });
  const write = (s: string): Promise<void> | void => (ctx.io.stdoutAsync ? ctx.io.stdoutAsync(s) : ctx.io.stdout(s));
  if (ctx.values.strict !== true) {
    for await (const chunk of chunks) await write(chunk);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-cluster-out-'));
  try {
    const spool = path.join(dir, 'rows.csv');
    await writeWhole(spool, chunks);
    const fd = fs.openSync(spool, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      // Whole UTF-8 characters per piece: a string decoder carries a split character over.
      const decoder = new StringDecoder('utf8');
      for (let got; (got = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) await write(decoder.write(buf.subarray(0, got)));
      const rest = decoder.end();
      if (rest) await write(rest);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes output produced piece by piece (large CSVs are never held as one string); --out whole or not at all. */
export function writeChunks(ctx: CommandContext, chunks: Iterable<string>): void {
  const out = stringOption(ctx.values, 'out');
  if (out === undefined || out === '-') {
    for (const chunk of chunks) ctx.io.stdout(chunk);
    return;
  }
  writeWholeSync(out, chunks, { spool: ctx.values.strict === true });
}

function readFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the ${what} ${file}${code === 'ENOENT' ? ': no such file' : ` (${code ?? String(e)})`}`);
  }
}

/** --features a,b,c: the names of a model's inputs for formats that store none. */
function featuresOption(values: OptionValues): string[] | undefined {
  const v = stringOption(values, 'features');
  if (v === undefined) return undefined;
  const names = v.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new UsageError(`--features must be a comma-separated list of column names, found "${v}"`);
  return names;
}

/**
 * The model named by --model-file (a model file, a Spark ML model folder, PMML, ONNX or .npy)
 * or --centroids (not both), or undefined. A model that names no inputs is bound to the numeric
 * columns of `data` (see bindInputNames).
 */
export async function givenModel(values: OptionValues, data: string): Promise<ImportedModel | undefined> {
  const modelFile = stringOption(values, 'model-file');
  const centroids = stringOption(values, 'centroids');
  if (modelFile !== undefined && centroids !== undefined) throw new UsageError('give either --model-file or --centroids, not both');
  const features = featuresOption(values);
  if (modelFile !== undefined) {
    if (!fs.existsSync(modelFile)) throw new UsageError(`cannot read the model file ${modelFile}: no such file or folder`);
    const imported = await importModel(modelFile, features ? { featureNames: features } : {});
    return imported.unnamedInputs && data !== '-' ? bindInputNamesToTable(imported, data, stringOption(values, 'label-column')) : imported;
  }
  if (features) throw new UsageError('--features names the inputs of a --model-file that stores none (.npy, ONNX, a Spark KMeansModel)');
  if (centroids !== undefined) return { ...parseCentroidsCsv(readFile(centroids, 'centroids file'), path.basename(centroids)), format: 'centroids CSV' };
  return undefined;
}

/** NEON settings: the command line wins, then the model file's `neon` block, then the defaults. */
export function withModelNeon(settings: ClusterSettings, values: OptionValues, given: ParsedModelFile | undefined): ClusterSettings {
  return applyStoredNeon(settings, given?.neon, (key) => values[key] !== undefined);
}

/**
 * Prints the run's notes on stderr. A note saying records of DATA were skipped (a JSONL line
 * that is not a JSON object, a CSV row with too many values) is a `warning:`, not a `note:`,
 * and is followed by how to make it an error, since a script's user reads past notes (trial s19 D7).
 */
export function printNotes(ctx: CommandContext, notes: readonly string[]): void {
  let skipped = false;
  for (const note of notes) {
    const warn = isSkippedRecordsNote(note);
    skipped ||= warn;
    ctx.io.stderr(`${warn ? 'warning' : 'note'}: ${note}\n`);
  }
  if (skipped) ctx.io.stderr('warning: records of the input were skipped (see above); --strict stops with an error instead, as pandas does.\n');
}

/** --strict: a DataError naming the skipped records when a note says some were skipped; nothing otherwise. */
export function failIfStrict(ctx: CommandContext, notes: readonly string[]): void {
  if (ctx.values.strict !== true) return;
  const skipped = notes.filter(isSkippedRecordsNote);
  if (skipped.length === 0) return;
  const what = skipped.map((n) => n.replace(/ and were skipped| skipped \(the other \d+ are kept\)/, '')).join(' ');
  throw new DataError(`records of the input that cannot be read (--strict stops instead of skipping them): ${what} Fix those records, or run without --strict to skip them and keep the others.`);
}
