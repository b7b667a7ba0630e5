/**
 * The files the CLI writes (--out, --rows-out) appear whole or not at all. The text goes to a
 * temporary file in the target's own directory (so the final rename is one step on one file
 * system) and replaces the target only when the command has succeeded; a run that fails or is
 * cancelled halfway leaves the target as it was (review6 F1: a failed streamed `explain` left a
 * 20 MB partial file). An output naming one of the command's input files is refused before the
 * run (the extension and the CLI never modify a user's file).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringOption, UsageError, type OptionValues } from './options';

/** Options naming files the CLI writes. */
const OUTPUT_OPTIONS = ['out', 'rows-out'] as const;
/** Options naming files the CLI reads. */
const INPUT_OPTIONS = ['model-file', 'centroids', 'embeddings', 'reference'] as const;

/** Whether `a` and `b` name the same file (same inode when both exist, else the same absolute path). */
function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** UsageError when --out or --rows-out names DATA or another input file (checked before any work). */
export function refuseInputAsOutput(values: OptionValues, data: string): void {
  for (const o of OUTPUT_OPTIONS) {
    const out = stringOption(values, o);
    if (out === undefined || out === '-') continue;
    const inputs = [...(data === '-' ? [] : [['DATA', data]]), ...INPUT_OPTIONS.map((i) => [`--${i}`, stringOption(values, i)])];
    for (const [what, file] of inputs) {
      // --reference may be "mean" or "row:N" instead of a file.
      if (file === undefined || file === '-' || (what === '--reference' && (file === 'mean' || file.startsWith('row:')))) continue;
      if (sameFile(out, file)) throw new UsageError(`--${o} would overwrite ${what} (${file}; an input is never modified); give another file`);
    }
  }
}

/** A file written in pieces, then committed (renamed over the target) or discarded. */
export class OutputFile {
  private fd: number | undefined;
  private readonly target: string;
  private readonly temp: string;

  /** Creates the temporary file; UsageError when the target's folder cannot be written. */
  constructor(file: string) {
    // A symbolic link is written through (the link stays a link).
    let target = file;
    try {
      target = fs.realpathSync(file);
    } catch {
      // a new file
    }
    this.target = target;
    this.temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = fs.openSync(this.temp, 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot write ${file}${code === 'ENOENT' ? ': no such folder' : ` (${code ?? String(e)})`}`);
    }
    try {
      // An existing target keeps its permissions.
      fs.fchmodSync(this.fd, fs.statSync(target).mode & 0o7777);
    } catch {
      // a new file: the default mode
    }
  }

  write(text: string): void {
    if (this.fd === undefined) throw new Error('OutputFile.write after commit or discard');
    fs.writeSync(this.fd, text);
  }

  /** The text written replaces the target. */
  commit(): void {
    if (this.fd === undefined) throw new Error('OutputFile.commit after commit or discard');
    fs.closeSync(this.fd);
    this.fd = undefined;
    fs.renameSync(this.temp, this.target);
  }

  /** Deletes the temporary file; the target is untouched. Never throws. */
  discard(): void {
    try {
      if (this.fd !== undefined) fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = undefined;
    fs.rmSync(this.temp, { force: true });
  }
}

/** Writes `pieces` to `file` through an OutputFile: all of them, or (on any error) none. */
export async function writeWhole(file: string, pieces: AsyncIterable<string> | Iterable<string>): Promise<void> {
  const f = new OutputFile(file);
  try {
    for await (const piece of pieces) f.write(piece);
    f.commit();
  } catch (e) {
    f.discard();
    throw e;
  }
}

/** writeWhole for pieces already in memory (no await). */
export function writeWholeSync(file: string, pieces: Iterable<string>): void {
  const f = new OutputFile(file);
  try {
    for (const piece of pieces) f.write(piece);
    f.commit();
  } catch (e) {
    f.discard();
    throw e;
  }
}
