/**
 * Peak resident set size of the current process, for the benchmarks' memory columns.
 *
 * Not getrusage's ru_maxrss (process.resourceUsage().maxRSS, Python's resource.getrusage):
 * on Linux a child's ru_maxrss starts from its parent's RSS at fork and survives execve, so
 * every child the bench spawns reported at least the bench process's own size (measured: a
 * child of an 800 MB parent said 766 MB; its own peak was 39 MB). VmHWM in /proc/self/status
 * is the high-water mark of the process's own address space after execve (all its threads).
 * Elsewhere (no /proc) ru_maxrss is the best there is.
 * Python peers use bench/peak_rss.py, the same rule (`pythonEnv` puts it on PYTHONPATH).
 */
import fs from 'node:fs';
import path from 'node:path';

/** Peak RSS of this process in bytes (Linux: VmHWM; else getrusage ru_maxrss). */
export function peakRssBytes(): number {
  try {
    const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // No procfs (macOS, Windows): fall through.
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** The repository's bench/ folder (Python peers and peak_rss.py), from out/bench/ or bench/. */
export const BENCH_SOURCE_DIR = path.resolve(__dirname, '..', '..', 'bench');

/** Environment for a Python peer: `from peak_rss import peak_rss_bytes` works in it. */
export function pythonEnv(): NodeJS.ProcessEnv {
  const prior = process.env.PYTHONPATH;
  return { ...process.env, PYTHONPATH: prior ? `${BENCH_SOURCE_DIR}${path.delimiter}${prior}` : BENCH_SOURCE_DIR };
}
