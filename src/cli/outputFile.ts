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
import os from 'node:os';
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

/**
 * How an output path is written, decided before the run (review7 F1):
 * - 'replace': a regular file or a new one; a temporary file next to it is renamed over it.
 * - 'direct': an existing file that is not a regular file (a FIFO, a character device such as
 *   /dev/null, a socket, /dev/stdout, /proc/self/fd/N): opened with 'w' and written in place.
 *   Renaming over it would replace the device or pipe with a regular file. So is a path under
 *   /dev/ or /proc/ (/dev/stdout redirected to a file is a regular file seen through a link).
 * - 'copy': a regular file we may write in a folder we may not: spooled in os.tmpdir() and
 *   copied into it on commit (no temporary file can be made next to it).
 */
export type OutputKind = 'replace' | 'direct' | 'copy';

function cannotWrite(file: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  return new UsageError(`cannot write ${file}${code === 'ENOENT' ? ': no such folder' : ` (${code ?? String(e)})`}`);
}

/**
 * How `file` is to be written; UsageError at once when it cannot be: a folder, a file or folder
 * we may not write (access W_OK), a missing folder. Called before the run, so a bad --out costs
 * nothing (a folder used to fail only after the whole run, at the rename).
 */
export function outputKind(file: string, option = '--out'): OutputKind {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotWrite(file, e);
    // A new file: its folder must exist and be writable.
    const dir = path.dirname(path.resolve(file));
    try {
      if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (e2) {
      throw cannotWrite(file, e2);
    }
    return 'replace';
  }
  if (st.isDirectory()) throw new UsageError(`${option} ${file} is a folder; give the name of a file (in it or elsewhere)`);
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch (e) {
    throw cannotWrite(file, e);
  }
  const abs = path.resolve(file);
  if (!st.isFile() || (process.platform !== 'win32' && /^\/(dev|proc)\//.test(abs))) return 'direct';
  try {
    fs.accessSync(path.dirname(fs.realpathSync(file)), fs.constants.W_OK);
  } catch {
    return 'copy';
  }
  return 'replace';
}

/** UsageError before the run when --out or --rows-out cannot be written (see outputKind). */
export function checkOutputTargets(values: OptionValues): void {
  for (const o of OUTPUT_OPTIONS) {
    const out = stringOption(values, o);
    if (out !== undefined && out !== '-') outputKind(out, `--${o}`);
  }
}

/**
 * A file written in pieces, then committed or discarded. A regular (or new) file is written to a
 * temporary file next to it, renamed over it on commit (whole or not at all; the file keeps its
 * mode). A FIFO, device or /dev/stdout is written directly, as the pieces come; with `spool`
 * (--strict) the pieces are first held in a temporary file in os.tmpdir() and copied on commit,
 * so a failed run writes nothing there either (as stdout under --strict).
 */
export class OutputFile {
  private fd: number | undefined;
  /** Where the pieces go until commit: next to the target, in os.tmpdir(), or undefined (written directly). */
  private readonly temp: string | undefined;
  private readonly tempDir: string | undefined;
  private readonly target: string;
  private readonly kind: OutputKind;
  /** False for a descriptor the process already had (/dev/stdout over a socket): not ours to close. */
  private closeFd = true;

  /** Opens the temporary file (or the target, written directly); UsageError when it cannot be written. */
  constructor(file: string, options: { spool?: boolean } = {}) {
    this.kind = outputKind(file);
    if (this.kind !== 'replace') {
      this.target = file;
      if (options.spool === true || this.kind === 'copy') {
        this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-cluster-out-'));
        this.temp = path.join(this.tempDir, 'spool');
        this.fd = fs.openSync(this.temp, 'wx');
      } else {
        this.fd = openDirect(file);
        this.closeFd = !isOwnFd(this.fd, file);
      }
      return;
    }
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
      throw cannotWrite(file, e);
    }
    try {
      // An existing target keeps its mode (never loosened: the temporary file is created 0666 & ~umask).
      const st = fs.statSync(target);
      fs.fchmodSync(this.fd, st.mode & 0o7777);
    } catch {
      // a new file: the default mode
    }
  }

  write(text: string): void {
    if (this.fd === undefined) throw new Error('OutputFile.write after commit or discard');
    writeAll(this.fd, Buffer.from(text, 'utf8'));
  }

  /** The text written replaces the target (or, spooled, is copied into it). */
  commit(): void {
    if (this.fd === undefined) throw new Error('OutputFile.commit after commit or discard');
    if (this.closeFd) fs.closeSync(this.fd);
    this.fd = undefined;
    if (this.kind === 'replace') {
      fs.renameSync(this.temp!, this.target);
      return;
    }
    if (this.temp === undefined) return;
    try {
      copyInto(this.temp, this.target);
    } finally {
      fs.rmSync(this.tempDir!, { recursive: true, force: true });
    }
  }

  /** Deletes the temporary file; the target is untouched (unless written directly: a pipe cannot take text back). Never throws. */
  discard(): void {
    try {
      if (this.fd !== undefined && this.closeFd) fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = undefined;
    if (this.tempDir !== undefined) fs.rmSync(this.tempDir, { recursive: true, force: true });
    else if (this.temp !== undefined) fs.rmSync(this.temp, { force: true });
  }
}

/** The descriptor number a path such as /dev/stdout, /dev/fd/3 or /proc/self/fd/3 names, else undefined. */
function fdOfPath(file: string): number | undefined {
  const abs = path.resolve(file);
  if (abs === '/dev/stdout') return 1;
  if (abs === '/dev/stderr') return 2;
  const m = /^\/(?:dev\/fd|proc\/(?:self|thread-self|(\d+))\/fd)\/(\d+)$/.exec(abs);
  return m && (m[1] === undefined || Number(m[1]) === process.pid) ? Number(m[2]) : undefined;
}

/** Whether `fd` is the process's own descriptor that `file` names (not to be closed). */
function isOwnFd(fd: number, file: string): boolean {
  return fdOfPath(file) === fd;
}

/**
 * Opens a FIFO, device or /dev/stdout for writing ('w', never replaced). A socket cannot be
 * opened through /proc (ENXIO; stdout is one when a Node parent spawns the CLI with pipes): then
 * the descriptor the path names is written to as it is.
 */
function openDirect(file: string): number {
  try {
    return fs.openSync(file, 'w');
  } catch (e) {
    const fd = fdOfPath(file);
    if ((e as NodeJS.ErrnoException).code === 'ENXIO' && fd !== undefined) return fd;
    throw cannotWrite(file, e);
  }
}

/** writeSync of all of `buf`, waiting out EAGAIN (a descriptor shared with a non-blocking stream). */
function writeAll(fd: number, buf: Uint8Array): void {
  for (let off = 0; off < buf.length; ) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
    }
  }
}

/** Copies the file `from` into `to` (opened 'w': a FIFO or device stays what it is). */
function copyInto(from: string, to: string): void {
  const src = fs.openSync(from, 'r');
  try {
    const dst = openDirect(to);
    try {
      const buf = Buffer.alloc(1 << 20);
      for (let got; (got = fs.readSync(src, buf, 0, buf.length, null)) > 0; ) writeAll(dst, buf.subarray(0, got));
    } finally {
      if (!isOwnFd(dst, to)) fs.closeSync(dst);
    }
  } finally {
    fs.closeSync(src);
  }
}

/** Writes `pieces` to `file` through an OutputFile: all of them, or (on any error) none. */
export async function writeWhole(file: string, pieces: AsyncIterable<string> | Iterable<string>, options: { spool?: boolean } = {}): Promise<void> {
  const f = new OutputFile(file, options);
  try {
    for await (const piece of pieces) f.write(piece);
    f.commit();
  } catch (e) {
    f.discard();
    throw e;
  }
}

/** writeWhole for pieces already in memory (no await). */
export function writeWholeSync(file: string, pieces: Iterable<string>, options: { spool?: boolean } = {}): void {
  const f = new OutputFile(file, options);
  try {
    for (const piece of pieces) f.write(piece);
    f.commit();
  } catch (e) {
    f.discard();
    throw e;
  }
}
