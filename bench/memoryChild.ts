/**
 * Run in its own process (`node out/bench/memoryChild.js N D K`) so its peak RSS is clean:
 * builds blobs, then fits k-means (10 restarts, k-means++) while sampling RSS every 20 ms.
 * Prints JSON: raw data bytes, RSS before the data, after the data, and the peak during fit.
 */
import { fitKMeans } from '../src/engine/cluster/kmeans';
import { makeBlobs } from './blobs';

async function main(): Promise<void> {
  const [n, d, k] = process.argv.slice(2).map(Number);
  global.gc?.();
  const rssStart = process.memoryUsage().rss;
  const { X } = makeBlobs(n, d, k, 7);
  global.gc?.();
  const rssData = process.memoryUsage().rss;
  let peak = rssData;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const fit = await fitKMeans(X, { k, seed: 3, restarts: 3, maxIterations: 50 });
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(JSON.stringify({ rawBytes: X.data.byteLength, rssStart, rssData, peak, ms, iterations: fit.iterations }) + '\n');
}

void main();
