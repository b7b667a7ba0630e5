/**
 * One reading peer in its own process (so each has its own peak RSS):
 * `node out/bench/readPeer.js PEER FILE` prints {"ms", "cpuMs", "rows", "maxRssMb"} as JSON.
 * Every JavaScript peer ends with what the product needs: a number column per numeric
 * column (Float64Array), the category as strings. Peers: neon (ours, the table reader),
 * csv-parse (the reader it replaced), papaparse, udsv.
 */
import fs from 'node:fs';
import { readTable } from '../src/engine/data/tableFormats';
import { peakRssBytes } from './peakRss';

type Columns = { numeric: Float64Array[]; text: string[][] };

/** Where the header says which columns are numbers: all but the last (the category). */
function columnsFor(header: readonly string[], rows: number): Columns {
  return { numeric: header.slice(0, -1).map(() => new Float64Array(rows)), text: [[]] };
}

function grow(c: Columns, rows: number): void {
  c.numeric = c.numeric.map((a) => {
    const b = new Float64Array(rows);
    b.set(a);
    return b;
  });
}

async function neon(file: string): Promise<number> {
  const t = await readTable(file, { maxRows: 10_000_000 });
  return t.rows;
}

async function csvParse(file: string): Promise<number> {
  const { parse } = await import('csv-parse');
  const parser = fs.createReadStream(file).pipe(parse({ relax_column_count: true, relax_quotes: true }));
  let c: Columns | undefined;
  let n = 0;
  let cap = 1 << 16;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!c) {
      c = columnsFor(record, cap);
      continue;
    }
    if (n === cap) grow(c, (cap *= 2));
    const last = record.length - 1;
    for (let j = 0; j < last; j++) c.numeric[j][n] = Number(record[j]);
    c.text[0].push(record[last]);
    n++;
  }
  return n;
}

interface PapaChunk {
  data: string[][];
}
interface PapaApi {
  parse(input: fs.ReadStream, config: { chunk: (r: PapaChunk) => void; complete: () => void; error: (e: Error) => void; skipEmptyLines: boolean }): void;
}

async function papaparse(file: string): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Papa = require('papaparse') as PapaApi;
  let c: Columns | undefined;
  let n = 0;
  let cap = 1 << 16;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(fs.createReadStream(file), {
      skipEmptyLines: true,
      chunk: ({ data }) => {
        let start = 0;
        if (!c) {
          c = columnsFor(data[0], cap);
          start = 1;
        }
        for (let r = start; r < data.length; r++) {
          const record = data[r];
          if (n === cap) grow(c, (cap *= 2));
          const last = record.length - 1;
          for (let j = 0; j < last; j++) c.numeric[j][n] = Number(record[j]);
          c.text[0].push(record[last]);
          n++;
        }
      },
      complete: resolve,
      error: reject,
    });
  });
  return n;
}

interface UdsvParser {
  chunk(text: string, parse: unknown): void;
  end(): unknown[][];
  typedCols: unknown;
}
interface UdsvApi {
  inferSchema(sample: string): unknown;
  initParser(schema: unknown): UdsvParser;
}

async function udsv(file: string): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { inferSchema, initParser } = require('udsv') as UdsvApi;
  let parser: UdsvParser | undefined;
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 4 << 20 }) as AsyncIterable<string>) {
    parser ??= initParser(inferSchema(chunk));
    parser.chunk(chunk, parser.typedCols);
  }
  const cols = (parser as UdsvParser).end();
  // udsv's typed columns are number[]; the product needs Float64Array.
  const numeric = cols.slice(0, -1).map((col) => Float64Array.from(col as number[]));
  return numeric[0]?.length ?? 0;
}

const PEERS: Record<string, (file: string) => Promise<number>> = { neon, 'csv-parse': csvParse, papaparse, udsv };

async function main(): Promise<void> {
  const [peer, file] = process.argv.slice(2);
  const run = PEERS[peer];
  if (!run || !file) throw new Error(`usage: readPeer.js (${Object.keys(PEERS).join('|')}) FILE`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const rows = await run(file);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, rows, maxRssMb: peakRssBytes() / 2 ** 20 }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
