/**
 * Reading data files as text: encoding detection (BOMs, UTF-16 without BOM, invalid UTF-8
 * falling back to Windows-1252), binary-file refusal and size limits.
 *
 * Offsets reported elsewhere are UTF-16 offsets in the decoded text *without* its BOM, which
 * is what VS Code's `TextDocument.offsetAt` counts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Tables are streamed, so only a generous sanity bound applies. */
export const MAX_STREAMED_BYTES = 2 * 1024 ** 3;
/**
 * Text corpora are held whole (token offsets index into the decoded string); V8 strings stop
 * at about 2^29 UTF-16 units, so a larger file could not be represented anyway.
 */
export const MAX_WHOLE_TEXT_BYTES = 256 * 1024 ** 2;

/** How many leading bytes are inspected for BOMs, NUL bytes and UTF-8 validity. */
export const SNIFF_BYTES = 64 * 1024;
const BINARY_WINDOW = 8 * 1024;

export interface EncodingGuess {
  readonly encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip (0 when absent). */
  readonly bomBytes: number;
  readonly notes: readonly string[];
}

/** Windows-1252 code points for bytes 0x80..0x9F (the rest equal their byte value). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Windows-1252 decoding. Node's TextDecoder maps the 'windows-1252' label to ISO-8859-1
 * (0x80..0x9F become C1 controls instead of curly quotes and the euro sign), so it is done here.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const codes = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    codes[i] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : b;
  }
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < codes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, Array.from(codes.subarray(i, i + CHUNK)));
  }
  return out;
}

/** True when `bytes` is valid UTF-8, ignoring a multi-byte sequence cut off at the end. */
export function isValidUtf8Prefix(bytes: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides how to decode a file from its first bytes. Throws DataError for binary content
 * (a NUL byte in the first 8 KB that is not explained by UTF-16).
 * @param complete `head` is the whole file (a truncated trailing UTF-8 sequence is then invalid).
 */
export function sniffEncoding(head: Uint8Array, file: string, complete: boolean): EncodingGuess {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    if (isValidUtf8Prefix(head.subarray(3), complete)) return { encoding: 'utf-8', bomBytes: 3, notes: [] };
    return { encoding: 'windows-1252', bomBytes: 3, notes: [`${path.basename(file)}: UTF-8 byte-order mark but invalid UTF-8 bytes: read as Windows-1252 (Latin-1).`] };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2, notes: [] };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2, notes: [] };

  const window = Math.min(head.length, BINARY_WINDOW);
  let nulEven = 0;
  let nulOdd = 0;
  let firstNul = -1;
  for (let i = 0; i < window; i++) {
    if (head[i] === 0) {
      if (firstNul < 0) firstNul = i;
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    }
  }
  if (firstNul >= 0) {
    // UTF-16 text without a BOM: mostly-ASCII content puts a NUL in every other byte, and
    // never two in one code unit (U+0000 is not text). Too few bytes to tell: binary.
    const half = window / 2;
    let nulUnits = 0;
    for (let i = 0; i + 1 < window; i += 2) if (head[i] === 0 && head[i + 1] === 0) nulUnits++;
    const plausible = window >= 16 && nulUnits === 0;
    if (plausible && nulOdd > 0.3 * half && nulEven < 0.02 * half) {
      return { encoding: 'utf-16le', bomBytes: 0, notes: [`${path.basename(file)}: no byte-order mark, but the bytes look like UTF-16LE: read as UTF-16LE.`] };
    }
    if (plausible && nulEven > 0.3 * half && nulOdd < 0.02 * half) {
      return { encoding: 'utf-16be', bomBytes: 0, notes: [`${path.basename(file)}: no byte-order mark, but the bytes look like UTF-16BE: read as UTF-16BE.`] };
    }
    throw new DataError(`looks like a binary file (NUL byte at byte offset ${firstNul}), not text or CSV`, file);
  }
  if (isValidUtf8Prefix(head, complete)) return { encoding: 'utf-8', bomBytes: 0, notes: [] };
  return { encoding: 'windows-1252', bomBytes: 0, notes: [`${path.basename(file)}: not valid UTF-8: read as Windows-1252 (Latin-1).`] };
}

/** Decoded text of a whole file plus how it was decoded. */
export interface DecodedFile {
  readonly text: string;
  readonly encoding: TextEncodingName;
  readonly notes: readonly string[];
}

/** Stats a path, turning "missing" / "is a folder" / "too large" into DataErrors. */
export function statDataFile(file: string, maxBytes: number): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(e)})`, file);
  }
  if (st.isDirectory()) throw new DataError('is a folder, expected a file', file);
  if (st.size > maxBytes) {
    throw new DataError(`file is too large (${(st.size / 1024 ** 2).toFixed(0)} MB; the limit is ${(maxBytes / 1024 ** 2).toFixed(0)} MB)`, file);
  }
  return st;
}

/** Decodes a complete byte buffer under a chosen encoding (BOM already accounted for). */
export function decodeBytes(bytes: Uint8Array, guess: EncodingGuess): string {
  const body = bytes.subarray(guess.bomBytes);
  if (guess.encoding === 'windows-1252') return decodeWindows1252(body);
  return new TextDecoder(guess.encoding, { ignoreBOM: true }).decode(body);
}

/** Reads and decodes a whole text file (size-checked). Binary files throw DataError. */
export async function readTextFile(file: string, maxBytes = MAX_WHOLE_TEXT_BYTES): Promise<DecodedFile> {
  statDataFile(file, maxBytes);
  const bytes = await fs.promises.readFile(file);
  const guess = sniffEncoding(bytes.subarray(0, SNIFF_BYTES), file, bytes.length <= SNIFF_BYTES);
  let encoding = guess.encoding;
  const notes = [...guess.notes];
  // The sniffed head may be valid UTF-8 while a later byte is not: check the whole body.
  if (encoding === 'utf-8' && bytes.length > SNIFF_BYTES && !isValidUtf8Prefix(bytes.subarray(guess.bomBytes), true)) {
    encoding = 'windows-1252';
    notes.push(`${path.basename(file)}: not valid UTF-8 (past the first ${SNIFF_BYTES / 1024} KB): read as Windows-1252 (Latin-1).`);
  }
  return { text: decodeBytes(bytes, { ...guess, encoding }), encoding, notes };
}

/** Thrown internally when a streamed UTF-8 file turns out to be invalid part-way through. */
export class InvalidUtf8Error extends Error {
  override readonly name = 'InvalidUtf8Error';
}

/**
 * Streams a file as decoded string chunks. UTF-8 decoding is strict: an invalid byte raises
 * InvalidUtf8Error so the caller can restart as Windows-1252 (a streamed file cannot be
 * re-decoded in place).
 */
export async function* decodedChunks(file: string, guess: EncodingGuess, signal?: AbortSignal): AsyncGenerator<string> {
  const stream = fs.createReadStream(file, { start: guess.bomBytes, highWaterMark: 256 * 1024, signal });
  const decoder = guess.encoding === 'windows-1252' ? undefined : new TextDecoder(guess.encoding, { fatal: guess.encoding === 'utf-8', ignoreBOM: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!decoder) {
        yield decodeWindows1252(chunk);
        continue;
      }
      let s: string;
      try {
        s = decoder.decode(chunk, { stream: true });
      } catch {
        throw new InvalidUtf8Error('invalid UTF-8');
      }
      if (s) yield s;
    }
    if (decoder) {
      let tail: string;
      try {
        tail = decoder.decode();
      } catch {
        throw new InvalidUtf8Error('invalid UTF-8');
      }
      if (tail) yield tail;
    }
  } finally {
    stream.destroy();
  }
}

/** Reads at most `n` leading bytes of a file. */
export async function readHead(file: string, n: number): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
