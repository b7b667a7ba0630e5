/**
 * Where the data fixtures live. Tests are compiled to out/test/unit/... inside the repo
 * (REPO_ROOT); a build elsewhere (e.g. a scratch outDir) points NEON_REPO_ROOT at the clone.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/sharedData';

export const FIXTURES = path.join(process.env.NEON_REPO_ROOT ?? REPO_ROOT, 'test', 'fixtures');
export const MALFORMED = path.join(FIXTURES, 'malformed');

/** A fresh temporary folder for files written by a test (removed by the caller). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `neon-${prefix}-`));
}

/** Writes `content` to `name` inside `dir` and returns the absolute path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

/** Runs the compiled CLI (src/cli/main.js next to the compiled tests) with `args`. */
export function runCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
