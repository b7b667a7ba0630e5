/**
 * Streaming `neon-cluster explain`: peak memory (max RSS of the real CLI process, dist/cli.js)
 * on a 50,000-row and a 5,000,000-row CSV under the same k-means model file (8 numeric columns,
 * K = 8, overlapping clusters, fixed β). Target: the 5M-row peak within 2× of the 50k-row peak,
 * i.e. memory bounded by the model and one chunk, not by the input. The peer is what a user
 * would run instead to label a file that size without loading it: pandas `read_csv(chunksize=
 * 65536)` + scikit-learn `KMeans.predict` per chunk (assignments only, no explanation).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBigCsv } from './hostLag';
import { pythonEnv } from './peakRss';

export interface StreamMemoryRow {
  readonly rows: number;
  readonly oursMs: number;
  readonly oursPeakMb: number;
  readonly peerMs?: number;
  readonly peerPeakMb?: number;
}

const CENTRES = 8;
const D = 8;

/** A k-means model file over f0..f7 (centres spread as writeBigCsv spreads its blobs). */
function writeModel(file: string): void {
  const centroids = Array.from({ length: CENTRES }, (_, c) => Array.from({ length: D }, (_, j) => Math.round(5 * Math.sin(1 + c * 7 + j * 3) * 1000) / 1000));
  const doc = {
    format: 'neon-cluster-model',
    version: 1,
    kind: 'kmeans',
    featureNames: Array.from({ length: D }, (_, j) => `f${j}`),
    preprocessing: { kind: 'none' },
    centroids,
    neon: { beta: 0.5 },
  };
  fs.writeFileSync(file, JSON.stringify(doc));
}

const PEER = `
import sys, time
import numpy as np, pandas as pd
from peak_rss import peak_rss_bytes
from sklearn.cluster import KMeans
centres = np.array(__CENTRES__)
km = KMeans(n_clusters=len(centres), n_init=1, init=centres, max_iter=1).fit(centres)
km.cluster_centers_ = centres
t = time.perf_counter(); n = 0
with open(sys.argv[2], "w") as out:
    for chunk in pd.read_csv(sys.argv[1], chunksize=65536):
        labels = km.predict(chunk.to_numpy(dtype=np.float64))
        out.write("\\n".join(map(str, labels)) + "\\n"); n += len(labels)
print(n, (time.perf_counter() - t) * 1000, peak_rss_bytes() // 1024)
`;

function runOurs(cli: string, model: string, csv: string, preload: string, dir: string): { ms: number; peakMb: number } {
  const rssFile = path.join(dir, 'maxrss.txt');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'explain', '--model-file', model, csv, '--out', path.join(dir, 'explained.csv')], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--require ${preload}`, NEON_MAXRSS_FILE: rssFile },
    maxBuffer: 64 * 2 ** 20,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`explain failed: ${r.stderr}`);
  return { ms, peakMb: Number(fs.readFileSync(rssFile, 'utf8')) / 1024 };
}

function runPeer(python: string, model: string, csv: string, dir: string): { ms: number; peakMb: number } | undefined {
  const centres = (JSON.parse(fs.readFileSync(model, 'utf8')) as { centroids: number[][] }).centroids;
  const r = spawnSync(python, ['-c', PEER.replace('__CENTRES__', JSON.stringify(centres)), csv, path.join(dir, 'labels.txt')], { encoding: 'utf8', env: pythonEnv() });
  if (r.status !== 0) return undefined;
  const [, ms, kb] = r.stdout.trim().split(/\s+/).map(Number);
  return { ms, peakMb: kb / 1024 };
}

/** Runs both sizes (quick: 5,000 and 500,000 rows). */
export function benchStreamExplain(repo: string, python: string | undefined, quick: boolean): StreamMemoryRow[] {
  const cli = path.join(repo, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` first');
  const preload = path.join(__dirname, 'maxRssAtExit.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-stream-'));
  try {
    const model = path.join(dir, 'model.json');
    writeModel(model);
    return (quick ? [5_000, 500_000] : [50_000, 5_000_000]).map((rows) => {
      const csv = path.join(dir, `rows-${rows}.csv`);
      writeBigCsv(rows, csv);
      const ours = runOurs(cli, model, csv, preload, dir);
      const peer = python ? runPeer(python, model, csv, dir) : undefined;
      fs.rmSync(csv, { force: true });
      return { rows, oursMs: ours.ms, oursPeakMb: ours.peakMb, ...(peer ? { peerMs: peer.ms, peerPeakMb: peer.peakMb } : {}) };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The README section. */
export function streamExplainSection(out: (s?: string) => void, repo: string, python: string | undefined, quick: boolean): void {
  out('## Streaming `neon-cluster explain`: peak memory by input size (8 numeric columns, K = 8, CLI process)');
  out();
  const rows = benchStreamExplain(repo, python, quick);
  out('| rows | ours s | ours peak RSS MB | pandas chunks + sklearn predict s | peer peak RSS MB |');
  out('|---|---|---|---|---|');
  for (const r of rows) {
    out(`| ${r.rows.toLocaleString('en')} | ${(r.oursMs / 1000).toFixed(1)} | ${r.oursPeakMb.toFixed(0)} | ${r.peerMs !== undefined ? (r.peerMs / 1000).toFixed(1) : 'n/a'} | ${r.peerPeakMb !== undefined ? r.peerPeakMb.toFixed(0) : 'n/a'} |`);
  }
  out();
  out(`Peak memory, ${rows[1].rows.toLocaleString('en')} rows / ${rows[0].rows.toLocaleString('en')} rows: ${(rows[1].oursPeakMb / rows[0].oursPeakMb).toFixed(2)}× (target ≤ 2×). The peer only assigns clusters (no explanation).`);
  out();
}
