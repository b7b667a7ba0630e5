// Integration (a step of `npm test`, after the build): a Dask LocalCluster with two workers
// explains a 5,000,000-row CSV partition by partition through the real CLI (dist/cli.js), and
// the result equals the single-process run row for row (test/integration/dask_explain.py).
// Needs Debian's python3-dask, python3-distributed, python3-sklearn (installed by .ci/run).
// NEON_DASK_ROWS overrides the row count for a quick local run; CI uses the full 5,000,000.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const rows = process.env.CI === 'true' ? 5_000_000 : Number(process.env.NEON_DASK_ROWS ?? 5_000_000);
const python = '/usr/bin/python3';

test(`Dask LocalCluster (2 workers) explains ${rows.toLocaleString('en')} rows through the CLI = the single-process run, row for row`, { timeout: 1_800_000 }, () => {
  assert.ok(fs.existsSync(path.join(repo, 'dist', 'cli.js')), 'dist/cli.js missing: run `npm run build` first');
  const probe = spawnSync(python, ['-c', 'import dask, distributed, sklearn, numpy'], { encoding: 'utf8' });
  assert.equal(probe.status, 0, `Debian's python3-dask / python3-distributed / python3-sklearn are needed (apt-get install python3-dask python3-distributed python3-sklearn): ${probe.stderr}`);
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-dask-'));
  try {
    const r = spawnSync(python, [path.join(here, 'dask_explain.py'), '--rows', String(rows), '--workdir', workdir], { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    console.log(last);
    assert.equal(r.status, 0, `dask_explain.py failed (exit ${r.status}): ${last}\n${r.stderr.slice(-3000)}`);
    const result = JSON.parse(last);
    assert.equal(result.ok, true);
    assert.equal(result.rowsDask, rows);
    assert.equal(result.rowsSingle, rows);
    assert.equal(result.workers, 2);
    assert.ok(result.partitions >= 2, `only ${result.partitions} partition(s)`);
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
});
