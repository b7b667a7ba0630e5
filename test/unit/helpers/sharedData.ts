/**
 * The real datasets live in ../shared/data next to the clone (CI always has it; a fresh
 * clone elsewhere does not). Tests that need them skip with a clear message when absent.
 */
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
export const SHARED_DATA = process.env.NEON_SHARED_DATA ?? path.resolve(REPO, '..', 'shared', 'data');

/** Absolute path of a shared dataset, or undefined when ../shared is absent. */
export function sharedData(name: 'fortunes.jsonl' | 'digits.csv' | 'breast_cancer.csv'): string | undefined {
  const p = path.join(SHARED_DATA, name);
  return fs.existsSync(p) ? p : undefined;
}

/** For node:test's `skip` option: false when present, else the reason shown in the report. */
export function skipUnlessShared(name: 'fortunes.jsonl' | 'digits.csv' | 'breast_cancer.csv'): string | false {
  return sharedData(name) ? false : `../shared/data/${name} is absent (fresh clone without ../shared): skipped`;
}

/** Repository root (tests are compiled to out/test/unit/...). */
export const REPO_ROOT = REPO;
