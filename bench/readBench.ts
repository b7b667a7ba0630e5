/**
 * Reading a table (issue 9 target 2): MB/s of our table reader vs pandas.read_csv (Debian's
 * /usr/bin/python3, the user's alternative) and the JavaScript parsers it was chosen against,
 * on the same generated 1,000,000-row file (millionRowCsv.ts) in the same run. Each peer runs
 * in its own process, three times, alternating; the table shows the median and the peak RSS.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeMillionRowCsv } from './millionRowCsv';
import { pythonEnv } from './peakRss';

interface Run {
  readonly ms: number;
  /** CPU time (user + system) of the process: steadier than wall time on a busy machine. */
  readonly cpuMs: number;
  readonly rows: number;
  readonly maxRssMb: number;
}

const PANDAS = `
import json, sys, time
import pandas
from peak_rss import peak_rss_bytes
t = time.perf_counter()
c = time.process_time()
df = pandas.read_csv(sys.argv[1])
ms = (time.perf_counter() - t) * 1000
cpu = (time.process_time() - c) * 1000
print(json.dumps({"ms": ms, "cpuMs": cpu, "rows": len(df), "maxRssMb": peak_rss_bytes() / 2 ** 20}))
`;

function pandasPython(): string | undefined {
  for (const py of [process.env.NEON_BENCH_PYTHON, '/usr/bin/python3'].filter(Boolean) as string[]) {
    if (spawnSync(py, ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0) return py;
  }
  return undefined;
}

function runPeer(peer: string, file: string, python: string | undefined): Run | string {
  const r =
    peer === 'pandas'
      ? spawnSync(python as string, ['-c', PANDAS, file], { encoding: 'utf8', env: pythonEnv() })
      : spawnSync(process.execPath, [path.join(__dirname, 'readPeer.js'), peer, file], { encoding: 'utf8' });
  if (r.status !== 0) return `failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0]}`;
  return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]) as Run;
}

/** The reading section of `npm run bench` (appends its lines through `out`). */
export function readingSection(out: (s?: string) => void, quick: boolean): { oursMBps: number; pandasMBps?: number } {
  const rows = quick ? 50_000 : 1_000_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-read-'));
  const file = path.join(dir, 'million.csv');
  try {
    const bytes = writeMillionRowCsv(file, { rows });
    const mb = bytes / 1e6;
    const python = pandasPython();
    out(`## Reading a CSV (${rows.toLocaleString('en')} rows × id + 16 numbers + a 4-value category, ${mb.toFixed(1)} MB, median of 3 runs)`);
    out();
    if (!python) out('pandas: no /usr/bin/python3 with pandas found (Debian: `apt-get install python3-pandas`): its row is skipped.\n');
    const peers = ['neon', ...(python ? ['pandas'] : []), 'papaparse', 'udsv', 'csv-parse'];
    const runs = new Map<string, Run[]>(peers.map((p) => [p, []]));
    const failed = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      for (const peer of peers) {
        if (failed.has(peer)) continue;
        const r = runPeer(peer, file, python);
        if (typeof r === 'string') failed.set(peer, r);
        else runs.get(peer)?.push(r);
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const label: Record<string, string> = {
      neon: 'neon table reader (ours)',
      pandas: 'pandas.read_csv (C engine)',
      papaparse: 'papaparse + Number()',
      udsv: 'udsv typedCols',
      'csv-parse': 'csv-parse + Number() (the reader before)',
    };
    out('| reader | wall s | MB/s (wall) | CPU s | MB/s (CPU) | peak RSS MB | rows |');
    out('|---|---|---|---|---|---|---|');
    let oursMBps = 0;
    let pandasMBps: number | undefined;
    for (const peer of peers) {
      const rs = runs.get(peer) ?? [];
      if (rs.length === 0) {
        out(`| ${label[peer]} | ${failed.get(peer) ?? 'not run'} | | | |`);
        continue;
      }
      const ms = median(rs.map((r) => r.ms));
      const cpuMs = median(rs.map((r) => r.cpuMs));
      const mbps = mb / (ms / 1000);
      if (peer === 'neon') oursMBps = mbps;
      if (peer === 'pandas') pandasMBps = mbps;
      out(`| ${label[peer]} | ${(ms / 1000).toFixed(2)} | ${mbps.toFixed(0)} | ${(cpuMs / 1000).toFixed(2)} | ${(mb / (cpuMs / 1000)).toFixed(0)} | ${median(rs.map((r) => r.maxRssMb)).toFixed(0)} | ${rs[0].rows.toLocaleString('en')} |`);
    }
    out();
    if (pandasMBps !== undefined) out(`Target 2 (reading ≥ pandas.read_csv MB/s, wall clock): ours / pandas = ${(oursMBps / pandasMBps).toFixed(2)}× — ${oursMBps >= pandasMBps ? 'met' : 'MISSED'}.`);
    out('Ours keeps every rule of the product while reading (line of each row, per-column number formats, missing-value tokens, notes); the JavaScript peers only split and convert.');
    out();
    return { oursMBps, ...(pandasMBps !== undefined ? { pandasMBps } : {}) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
