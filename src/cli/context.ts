/** What every CLI command gets: its parsed options, output channels and the job hooks. */
import fs from 'node:fs';
import path from 'node:path';
import { applyStoredNeon, parseCentroidsCsv, parseModelFile, type ParsedModelFile } from '../engine/model/modelFile';
import type { ClusterSettings } from '../engine/pipelineTypes';
import type { JobHooks } from '../engine/types';
import { stringOption, UsageError, type OptionValues } from './options';

export interface CliIo {
  readonly stdout: (s: string) => void;
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

/** Writes output produced piece by piece (large CSVs are never held as one string). */
export function writeChunks(ctx: CommandContext, chunks: Iterable<string>): void {
  const out = stringOption(ctx.values, 'out');
  if (out === undefined || out === '-') {
    for (const chunk of chunks) ctx.io.stdout(chunk);
    return;
  }
  const fd = fs.openSync(out, 'w');
  try {
    for (const chunk of chunks) fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

function readFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the ${what} ${file}${code === 'ENOENT' ? ': no such file' : ` (${code ?? String(e)})`}`);
  }
}

/** The model named by --model-file or --centroids (not both), or undefined. */
export function givenModel(values: OptionValues): ParsedModelFile | undefined {
  const modelFile = stringOption(values, 'model-file');
  const centroids = stringOption(values, 'centroids');
  if (modelFile !== undefined && centroids !== undefined) throw new UsageError('give either --model-file or --centroids, not both');
  if (modelFile !== undefined) return parseModelFile(readFile(modelFile, 'model file'), path.basename(modelFile));
  if (centroids !== undefined) return parseCentroidsCsv(readFile(centroids, 'centroids file'), path.basename(centroids));
  return undefined;
}

/** NEON settings: the command line wins, then the model file's `neon` block, then the defaults. */
export function withModelNeon(settings: ClusterSettings, values: OptionValues, given: ParsedModelFile | undefined): ClusterSettings {
  return applyStoredNeon(settings, given?.neon, (key) => values[key] !== undefined);
}
