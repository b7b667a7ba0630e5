/**
 * The real-VS-Code scripts' short temp folder (neon-rv-<uid>) must exist as soon as its path is
 * known: on a new machine mkdtemp inside it threw ENOENT in three CI steps (issue 8).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/sharedData';

test('toolPaths().tmp exists on a machine where it never existed, and mkdtemp inside it works', () => {
  const freshTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nrv-'));
  try {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    const expected = path.join(freshTmp, `neon-rv-${uid}`);
    assert.equal(fs.existsSync(expected), false);
    const tools = path.join(REPO_ROOT, 'scripts', 'real-vscode', 'tools.mjs');
    // A child process, so os.tmpdir() reads the fresh TMPDIR exactly as a new machine's run would.
    const script = `import(${JSON.stringify(new URL(`file://${tools}`).href)}).then((m) => {
      const t = m.toolPaths().tmp; const d = require('node:fs').mkdtempSync(require('node:path').join(t, 'x-'));
      process.stdout.write(JSON.stringify({ t, d }));
    });`;
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: freshTmp }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { t: string; d: string };
    assert.equal(out.t, expected);
    assert.ok(fs.statSync(out.d).isDirectory());
    assert.equal(fs.statSync(expected).mode & 0o777, 0o700);
  } finally {
    fs.rmSync(freshTmp, { recursive: true, force: true });
  }
});
