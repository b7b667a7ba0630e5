/**
 * Every row beyond the memory budget (issue 9 "Every row, by default"): the real CLI
 * (`dist/cli.js fit --memory-budget B --rows-out FILE`) on a CSV whose rows just fit the budget
 * (1×: every row in memory, no streaming pass) and on one 5× as long (a uniform sample of the
 * rows that fit is fitted, then every row is assigned, explained and written in the streaming
 * pass). Target: the 5× file's peak RSS close to the 1× file's (≤ 1.5×), i.e. memory bounded by
 * the budget and one chunk, not by the file. 8 numeric columns, K = 8, overlapping blobs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bytesPerRow } from '../src/engine/pipeline/rowBudget';
import { writeBigCsv } from './hostLag';

interface Run {
  readonly rows: number;
  readonly ms: number;
  readonly peakMb: number;
  readonly line: string;
}

function runFit(cli: string, csv: string, budgetMb: number, preload: string, dir: string): Run {
  const rssFile = path.join(dir, 'maxrss.txt');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'fit', '-k', '8', '--restarts', '3', '--memory-budget', String(budgetMb), '--rows-out', path.join(dir, 'rows.csv'), '--out', path.join(dir, 'model.json'), csv], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--require ${preload}`, NEON_MAXRSS_FILE: rssFile },
    maxBuffer: 64 * 2 ** 20,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`fit failed: ${r.stderr}`);
  const line = r.stderr.split('\n').find((l) => /^rows-\d+\.csv: /.test(l)) ?? '';
  return { rows: 0, ms, peakMb: Number(fs.readFileSync(rssFile, 'utf8')) / 1024, line };
}

/** The README section (quick: a 16 MB budget; else 128 MB). */
export function everyRowSection(out: (s?: string) => void, repo: string, quick: boolean): void {
  const cli = path.join(repo, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` first');
  const preload = path.join(__dirname, 'maxRssAtExit.js');
  const budgetMb = quick ? 16 : 128;
  const fits = Math.floor((budgetMb * 2 ** 20) / bytesPerRow(8));
  out(`## Every row beyond the memory budget: \`fit --memory-budget ${budgetMb} --rows-out\` on a file 1× and 5× the budget (8 numeric columns, K = 8, CLI process)`);
  out();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-every-row-'));
  try {
    const runs: Run[] = [];
    for (const rows of [Math.floor(0.95 * fits), 5 * fits]) {
      const csv = path.join(dir, `rows-${rows}.csv`);
      writeBigCsv(rows, csv);
      runs.push({ ...runFit(cli, csv, budgetMb, preload, dir), rows });
      fs.rmSync(csv, { force: true });
    }
    out('| rows | file vs budget | s | peak RSS MB | what fit said |');
    out('|---|---|---|---|---|');
    runs.forEach((r, i) => out(`| ${r.rows.toLocaleString('en')} | ${i === 0 ? '0.95×' : '5×'} | ${(r.ms / 1000).toFixed(1)} | ${r.peakMb.toFixed(0)} | ${r.line.replace(/\|/g, '\\|')} |`));
    out();
    out(`Peak RSS, 5× file / 1× file: ${(runs[1].peakMb / runs[0].peakMb).toFixed(2)}× (target ≤ 1.5×: memory bounded by the budget, not the file). Both runs write every row's explanation to --rows-out.`);
    out();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
