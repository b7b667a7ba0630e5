/**
 * One whole job in its own process, as `neon-cluster fit FILE --k K` runs it (read → choose
 * nothing → fit with 10 k-means++ starts → explain every row → summaries → quality → map),
 * so its peak RSS is the job's own. Prints one JSON line: wall time, the pipeline's stage
 * timings, rows, iterations-free summary, threads, and the process's own peak RSS (every
 * thread; peakRss.ts).
 * Usage: node out/bench/wholeJobChild.js FILE K
 */
import { runPipeline } from '../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../src/engine/pipelineTypes';
import { computePool } from '../src/engine/parallel/pool';
import { peakRssBytes } from './peakRss';

async function main(): Promise<void> {
  const [file, k] = [process.argv[2], Number(process.argv[3])];
  const t0 = performance.now();
  const { result } = await runPipeline({ kind: 'table', path: file }, { ...DEFAULT_SETTINGS, k, restarts: 10, flippingSample: 0 });
  const ms = performance.now() - t0;
  const out = {
    ms,
    timings: result.timings,
    rows: result.dataset.rows,
    k: result.model.k,
    threads: computePool().threads,
    maxRssBytes: peakRssBytes(),
    notes: result.notes,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
