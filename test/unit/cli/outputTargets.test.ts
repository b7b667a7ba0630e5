/**
 * What --out / --rows-out do to what they name (review7 F1) and what a killed CLI leaves behind
 * (review7 F6). Runs the real CLI (node on the compiled src/cli/main.js).
 *
 * The temp-file + rename that makes a regular --out file whole or not at all replaced a FIFO or a
 * device with a regular file, broke /dev/stdout, replaced a read-only file, and found a folder
 * only after the whole run. A SIGTERM'd run left its hidden temporary file in the output folder.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/sharedData';
import { tempDir } from '../pipeline/syntheticData';

const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const CENTROIDS = path.join(REPO_ROOT, 'test', 'fixtures', 'models', 'centroids-pandas.csv');
const FRUITS = path.join(REPO_ROOT, 'test', 'fixtures', 'models', 'fruits.csv');
const EXPLAIN = ['explain', '--centroids', CENTROIDS];
const posix = process.platform !== 'win32';

function cli(args: string[], options: { uid?: number; gid?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, ...options });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What explain writes on stdout for fruits.csv: what every kind of target must receive. */
const expected = cli([...EXPLAIN, FRUITS]).stdout;

/** Files left in `dir` other than `keep`: a temporary file of the CLI would show here. */
const leftovers = (dir: string, ...keep: string[]): string[] => fs.readdirSync(dir).filter((f) => !keep.includes(f));

describe('--out and --rows-out: what the path names is decided before the run (review7 F1)', () => {
  assert.ok(expected.startsWith('row,cluster,evidence'), 'the reference output');

  it('a folder is a usage error at once (exit 2), not an EISDIR after the run; nothing is written next to it', () => {
    const dir = tempDir('out-folder');
    fs.mkdirSync(path.join(dir, 'adir'));
    for (const option of ['--out', '--rows-out']) {
      const args = option === '--out' ? [...EXPLAIN, '--out', path.join(dir, 'adir'), FRUITS] : ['fit', '-k', '3', '--rows-out', path.join(dir, 'adir'), FRUITS];
      const r = cli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`Error \\[UsageError\\]: ${option} .*adir is a folder; give the name of a file`));
      assert.doesNotMatch(r.stderr, /note:|warning:/, 'the run did not start (no notes printed)');
      assert.deepEqual(leftovers(dir, 'adir'), []);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'adir')), []);
    }
  });

  it('a FIFO stays a FIFO and its reader gets the whole output; with --strict too (spooled, then written)', { skip: !posix }, async (t) => {
    const dir = tempDir('out-fifo');
    const fifo = path.join(dir, 'rows.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) return t.skip(`mkfifo is not available here (${made.error?.message ?? made.stderr.toString()})`);
    for (const strict of [[], ['--strict']]) {
      // The reader is a child of its own, so that a FIFO replaced by a regular file (its reader
      // waits forever) fails the test instead of hanging it.
      const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
      let got = '';
      reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
      const read = new Promise<void>((resolve) => reader.on('close', () => resolve()));
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...EXPLAIN, ...strict, '--out', fifo, FRUITS], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      const stillFifo = fs.lstatSync(fifo).isFIFO();
      if (!stillFifo) reader.kill();
      await read;
      assert.equal(r.code, 0, r.stderr);
      assert.ok(stillFifo, 'still a FIFO, not replaced by a regular file');
      assert.equal(got, expected, `the reader got the whole output${strict.length ? ' (--strict)' : ''}`);
      assert.deepEqual(leftovers(dir, 'rows.fifo'), []);
    }
  });

  it('a character device stays a character device (written, not replaced)', { skip: !posix }, () => {
    const dir = tempDir('out-device');
    // A private copy of /dev/null (major 1, minor 3) where mknod is allowed (root), so a faulty
    // run cannot replace the system's own; /dev/null itself otherwise.
    const own = path.join(dir, 'null');
    const device = spawnSync('mknod', [own, 'c', '1', '3']).status === 0 ? own : '/dev/null';
    const before = fs.lstatSync(device);
    assert.ok(before.isCharacterDevice(), `${device} is a character device before the run`);
    const r = cli([...EXPLAIN, '--out', device, FRUITS]);
    assert.equal(r.code, 0, r.stderr);
    const after = fs.lstatSync(device);
    assert.ok(after.isCharacterDevice(), `${device} is still a character device`);
    assert.deepEqual([after.ino, after.rdev], [before.ino, before.rdev]);
    if (device === own) assert.deepEqual(leftovers(dir, 'null'), []);
  });

  it('/dev/stdout gets the output, a pipe or a socket (it was "cannot write /dev/stdout: no such folder", exit 2)', { skip: process.platform !== 'linux' }, () => {
    // spawnSync gives the child a socket for stdout (opening it through /proc is ENXIO).
    const socket = cli([...EXPLAIN, '--out', '/dev/stdout', FRUITS]);
    assert.equal(socket.code, 0, socket.stderr);
    assert.equal(socket.stdout, expected);
    // A shell pipe: stdout is a FIFO.
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const pipe = spawnSync('sh', ['-c', `${q(process.execPath)} ${[CLI, ...EXPLAIN, '--out', '/dev/stdout', FRUITS].map(q).join(' ')} | cat`], { encoding: 'utf8' });
    assert.equal(pipe.status, 0, pipe.stderr);
    assert.equal(pipe.stdout, expected);
  });

  it('a read-only file is the old "cannot write" usage error before the run, and stays as it was (owner, mode, text)', { skip: !posix }, () => {
    const dir = tempDir('out-readonly');
    // Root may write any file: run the CLI as "nobody" then, in a folder anyone may write.
    const asRoot = process.getuid?.() === 0;
    fs.chmodSync(dir, 0o777);
    const file = path.join(dir, 'ro.csv');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o444);
    const before = fs.statSync(file);
    const r = cli([...EXPLAIN, '--out', file, FRUITS], asRoot ? { uid: 65534, gid: 65534 } : {});
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Error \[UsageError\]: cannot write .*ro\.csv \(EACCES\)/);
    const after = fs.statSync(file);
    assert.equal(fs.readFileSync(file, 'utf8'), 'old\n');
    assert.deepEqual([after.ino, after.uid, after.mode], [before.ino, before.uid, before.mode]);
    assert.deepEqual(leftovers(dir, 'ro.csv'), []);
  });

  it('a regular file is replaced whole and keeps its mode', { skip: !posix }, () => {
    const dir = tempDir('out-mode');
    const file = path.join(dir, 'rows.csv');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o640);
    const r = cli([...EXPLAIN, '--out', file, FRUITS]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(leftovers(dir, 'rows.csv'), []);
  });
});

describe('SIGTERM and SIGHUP cancel like Ctrl-C: no temporary file left, exit 128 + signal (review7 F6)', () => {
  // 400,000 rows: long enough to be killed while the temporary --out file is being written.
  const dir = tempDir('out-signal');
  const big = path.join(dir, 'big.csv');
  const rows = ['sweetness,acidity,crunch'];
  for (let i = 0; i < 400_000; i++) rows.push(`${(i % 97) / 10},${(i % 89) / 10},${(i % 83) / 10}`);
  fs.writeFileSync(big, rows.join('\n') + '\n');

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal}: exit ${code}, the output folder holds no temporary file, the old --out file is untouched`, { skip: !posix }, async () => {
      const outDir = fs.mkdtempSync(path.join(dir, 'outd-'));
      const out = path.join(outDir, 'r.csv');
      fs.writeFileSync(out, 'old\n');
      const child = spawn(process.execPath, [CLI, ...EXPLAIN, '--out', out, big], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      // Wait until the run writes its temporary file, then send the signal.
      const deadline = Date.now() + 60_000;
      while (leftovers(outDir, 'r.csv').length === 0 && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(child.exitCode, null, `the run ended before the signal: ${stderr}`);
      assert.equal(leftovers(outDir, 'r.csv').length, 1, 'the temporary file is being written');
      child.kill(signal);
      const [exitCode, bySignal] = await exited;
      assert.deepEqual([exitCode, bySignal], [code, null], stderr);
      assert.match(stderr, /CancelledError/);
      assert.deepEqual(leftovers(outDir, 'r.csv'), []);
      assert.equal(fs.readFileSync(out, 'utf8'), 'old\n');
    });
  }
});
