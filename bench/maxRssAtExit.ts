/**
 * Preloaded into a child process (`NODE_OPTIONS=--require .../maxRssAtExit.js`): at exit it
 * writes the process's own peak resident set size (KiB; peakRss.ts says why not ru_maxrss) to
 * the file named by NEON_MAXRSS_FILE, so a benchmark can measure the real CLI without changing it.
 */
import fs from 'node:fs';
import { peakRssBytes } from './peakRss';

const target = process.env.NEON_MAXRSS_FILE;
if (target) process.on('exit', () => fs.writeFileSync(target, String(Math.round(peakRssBytes() / 1024))));
