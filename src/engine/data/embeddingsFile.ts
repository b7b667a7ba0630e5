/**
 * Pre-trained word vectors in GloVe / word2vec *text* format: one `word v1 v2 ... vD` per line,
 * with an optional `count dim` header line (word2vec). Streamed line by line, keeping only the
 * vectors of words the corpus uses, so a multi-GB file costs memory proportional to the corpus.
 * Words are lower-cased (tokens are); the first occurrence wins (files list frequent forms first).
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { DataError } from '../errors';
import { throwIfAborted, yieldToEventLoop } from '../jobs';
import type { JobHooks } from '../types';
import { MAX_STREAMED_BYTES, readHead, sniffEncoding, statDataFile } from './fileText';

export interface LoadedEmbeddings {
  readonly dim: number;
  /** Ids (from `wanted`) that have a vector, in file order. */
  readonly ids: Int32Array;
  /** Their vectors, row k for ids[k] (ids.length x dim). */
  readonly vectors: Float64Array;
  readonly notes: string[];
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export async function readEmbeddings(file: string, wanted: ReadonlyMap<string, number>, hooks?: JobHooks): Promise<LoadedEmbeddings> {
  const name = path.basename(file);
  statDataFile(file, MAX_STREAMED_BYTES);
  const head = await readHead(file, 64 * 1024);
  if (head.length === 0) throw new DataError('the embeddings file is empty', file);
  const guess = sniffEncoding(head, file, false);
  if (guess.encoding === 'utf-16le' || guess.encoding === 'utf-16be') {
    throw new DataError('embeddings files must be UTF-8 text (word2vec/GloVe text format); this one is UTF-16', file);
  }
  const stream = fs.createReadStream(file, { encoding: guess.encoding === 'utf-8' ? 'utf8' : 'latin1', start: guess.bomBytes });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let dim = -1;
  let lineNo = 0;
  let malformed = 0;
  let firstMalformed = 0;
  let declared = -1;
  const ids: number[] = [];
  const rows: Float64Array[] = [];
  const taken = new Set<number>();
  try {
    for await (const raw of lines) {
      lineNo++;
      if ((lineNo & 16383) === 0) {
        throwIfAborted(hooks);
        await yieldToEventLoop();
      }
      const line = raw.trim();
      if (line === '') continue;
      if (lineNo === 1) {
        const head = line.split(/\s+/);
        if (head.length === 2 && /^\d+$/.test(head[0]) && /^\d+$/.test(head[1])) {
          declared = Number(head[1]);
          dim = declared;
          continue;
        }
      }
      // Field count and word without splitting: most lines are words the corpus never uses.
      const count = fieldCount(line) - 1;
      if (dim < 0) {
        if (count < 1) {
          if (malformed++ === 0) firstMalformed = lineNo;
          continue;
        }
        dim = count;
      }
      if (count !== dim) {
        throw new DataError(`has ${count} values but the vectors have ${dim} dimensions${declared > 0 ? ' (from the header line)' : ' (from the first vector)'}`, file, lineNo);
      }
      const id = wanted.get(firstField(line).toLowerCase());
      if (id === undefined || taken.has(id)) {
        continue;
      }
      const parts = line.split(/\s+/);
      const vec = new Float64Array(dim);
      let ok = true;
      for (let j = 0; j < dim; j++) {
        const s = parts[j + 1];
        if (!NUMBER.test(s)) {
          ok = false;
          break;
        }
        vec[j] = Number(s);
      }
      if (!ok || !vec.every(Number.isFinite)) {
        if (malformed++ === 0) firstMalformed = lineNo;
        continue;
      }
      taken.add(id);
      ids.push(id);
      rows.push(vec);
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  if (dim < 1) throw new DataError('no word vectors found (expected lines "word v1 v2 ... vD")', file);
  const notes: string[] = [];
  if (malformed > 0) notes.push(`${name}: ${malformed} malformed line(s) skipped (first at line ${firstMalformed}).`);
  const vectors = new Float64Array(ids.length * dim);
  rows.forEach((r, k) => vectors.set(r, k * dim));
  return { dim, ids: Int32Array.from(ids), vectors, notes };
}

/** Number of whitespace-separated fields of a trimmed line. */
function fieldCount(line: string): number {
  let n = 1;
  let inSpace = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const space = c === 32 || c === 9;
    if (space && !inSpace) n++;
    inSpace = space;
  }
  return n;
}

function firstField(line: string): string {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) return line.slice(0, i);
  }
  return line;
}
