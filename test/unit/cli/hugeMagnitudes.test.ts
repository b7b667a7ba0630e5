/**
 * Reported case 09 (test/fixtures/cases/09-huge-magnitudes, copied from ../shared/cases; issue 8
 * "Numerical range"): values from 1e19 to 9.99e307. Right outcome: finite relevances that add
 * up to the evidence wherever the evidence is finite; where a value is beyond float64, a note
 * naming file, line and column; never Infinity / NaN in the output, never an internal
 * TypeError; one bad row does not stop the others.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/sharedData';
import { tempDir } from '../pipeline/syntheticData';

const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const CASE = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', '09-huge-magnitudes');
const file = (name: string): string => path.join(CASE, name);
const dir = tempDir('huge');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** CSV rows as strings (empty fields stay ''), after the header. */
function rows(stdout: string): string[][] {
  return stdout.trimEnd().split('\n').slice(1).map((l) => l.split(','));
}

function assertClean(out: string): void {
  assert.doesNotMatch(out, /Infinity|NaN/);
  assert.doesNotMatch(out, /TypeError/);
}

/** Σ R = evidence for a CSV row `row,cluster,evidence,R...` (relative tolerance). */
function assertConserved(r: string[], tol = 1e-6): void {
  const evidence = Number(r[2]);
  const sum = r.slice(3).reduce((s, v) => s + Number(v), 0);
  assert.ok(Number.isFinite(evidence) && r[2] !== '', `row ${r[0]}: evidence "${r[2]}"`);
  assert.ok(Math.abs(sum - evidence) <= tol * Math.abs(evidence), `row ${r[0]}: Σ R ${sum} vs ${evidence}`);
}

describe('case 09: huge magnitudes', () => {
  it('centroids of 1e20 (squares 1e40, beyond float32): exact relevances, as the midpoint rule gives them by hand', () => {
    const r = cli('explain', '--rule', 'midpoint', '--centroids', file('centroids_1e20.csv'), file('raw_1e20.csv'));
    assert.equal(r.code, 0, r.stderr);
    assertClean(r.stdout + r.stderr);
    const out = rows(r.stdout);
    assert.deepEqual(out.map((x) => x[1]), ['0', '0', '1', '1']);
    // Row 0: x = (1e20, 2e20), μ0 = (1.05e20, 2.05e20), μ1 = (5.1e20, 8.9e20); one competitor, so
    // R_i = (μ0i − μ1i)(2x_i − μ0i − μ1i): (−4.05e20)(−4.15e20) = 1.68075e41, (−6.85e20)(−6.95e20) = 4.76075e41.
    const near = (got: string, want: number): void => assert.ok(Math.abs(Number(got) / want - 1) < 1e-7, `${got} vs ${want}`);
    near(out[0][3], 1.68075e41);
    near(out[0][4], 4.76075e41);
    near(out[0][2], 6.4415e41);
    for (const x of out) assertConserved(x);
    // The reference rule (reference: the mean of the centroids, said in a note) also conserves.
    const ref = cli('explain', '--rule', 'reference', '--centroids', file('centroids_1e20.csv'), file('raw_1e20.csv'));
    assert.equal(ref.code, 0, ref.stderr);
    assertClean(ref.stdout);
    assert.match(ref.stderr, /mean of its centroids/);
    for (const x of rows(ref.stdout)) assertConserved(x);
  });

  it('centroids of 1e160: every evidence is beyond float64 — rows assigned, values left empty, a note per row names line and columns', () => {
    const r = cli('explain', '--centroids', file('centroids.csv'), file('raw.csv'));
    assert.equal(r.code, 0, r.stderr);
    assertClean(r.stdout + r.stderr);
    const out = rows(r.stdout);
    assert.deepEqual(out.map((x) => x.slice(0, 2)), [['0', '0'], ['1', '0'], ['2', '1'], ['3', '1']]);
    for (const x of out) assert.deepEqual(x.slice(2), ['', '', '']);
    for (const line of [2, 3, 4, 5]) assert.match(r.stderr, new RegExp(`raw\\.csv, line ${line}, columns "a", "b": row ${line - 2}'s evidence is beyond what float64 can hold`));
    // JSON: null where the CSV is empty, never a non-number.
    const j = cli('explain', '--format', 'json', '--centroids', file('centroids.csv'), file('raw.csv'));
    assert.equal(j.code, 0, j.stderr);
    const doc = JSON.parse(j.stdout) as { rows: { cluster: number; evidence: number | null }[] };
    assert.deepEqual(doc.rows.map((x) => [x.cluster, x.evidence]), [[0, null], [0, null], [1, null], [1, null]]);
  });

  it('fit train.csv, then explain a new batch with values of 1e200 and 1e170: finite, conserved, and the small column keeps its share', () => {
    const model = path.join(dir, 'train.model.json');
    const fit = cli('fit', '--k', '2', '--rule', 'midpoint', '--out', model, file('train.csv'));
    assert.equal(fit.code, 0, fit.stderr);
    const m = JSON.parse(fs.readFileSync(model, 'utf8')) as { preprocessing: { columns: { mean: number; std: number }[] }; centroids: number[][]; neon: { reference: number[] } };
    assert.equal(m.neon.reference.length, 2, 'fit stores the training mean with the model');
    const r = cli('explain', '--model-file', model, file('new_batch.csv'));
    assert.equal(r.code, 0, r.stderr);
    assertClean(r.stdout + r.stderr);
    const out = rows(r.stdout);
    assert.equal(out.length, 4);
    for (const x of out) assertConserved(x, 1e-9);
    // Row 2 (a = 1e200): standardised a = (1e200 − mean) / std; with one competitor k,
    // R_a = (μ_ca − μ_ka)(2a − μ_ca − μ_ka) in standardised units.
    const [ta, tb] = m.preprocessing.columns;
    const c = Number(out[2][1]);
    const [mc, mk] = [m.centroids[c], m.centroids[1 - c]];
    const a = (1e200 - ta.mean) / ta.std;
    const b = (2 - tb.mean) / tb.std;
    assert.ok(Math.abs(Number(out[2][3]) / ((mc[0] - mk[0]) * (2 * a - mc[0] - mk[0])) - 1) < 1e-7);
    assert.ok(Math.abs(Number(out[2][4]) - (mc[1] - mk[1]) * (2 * b - mc[1] - mk[1])) < 1e-6, `R_b of row 2: ${out[2][4]}`);
    assert.ok(Math.abs(Number(out[3][4])) > 1e169, 'row 3: b = 1e170 carries the evidence');
  });

  it('a sentinel of 9.99e307: that row is named (line 4, column a) and left empty; the other rows are explained as without it', () => {
    const model = path.join(dir, 'train2.model.json');
    assert.equal(cli('fit', '--k', '2', '--out', model, file('train.csv')).code, 0);
    const sentinel = cli('explain', '--model-file', model, file('new_batch_sentinel.csv'));
    assert.equal(sentinel.code, 0, sentinel.stderr);
    assertClean(sentinel.stdout + sentinel.stderr);
    assert.match(sentinel.stderr, /new_batch_sentinel\.csv, line 4, column "a": row 2's evidence is beyond what float64 can hold/);
    const out = rows(sentinel.stdout);
    assert.equal(out.length, 3);
    assert.deepEqual(out[2].slice(2), ['', '', '']);
    const plain = rows(cli('explain', '--model-file', model, file('new_batch.csv')).stdout);
    assert.deepEqual(out.slice(0, 2), plain.slice(0, 2));
  });

  it('stars.csv: fitted (standardised) by every model, every row finite and conserved', () => {
    for (const kind of ['kmeans', 'kernel-kmeans', 'deep-kmeans']) {
      const model = path.join(dir, `stars-${kind}.json`);
      const fit = cli('fit', '--k', '2', '--model', kind, '--epochs', '8', '--out', model, file('stars.csv'));
      assert.equal(fit.code, 0, `${kind}: ${fit.stderr}`);
      const r = cli('explain', '--model-file', model, file('stars.csv'));
      assert.equal(r.code, 0, `${kind}: ${r.stderr}`);
      assertClean(r.stdout + r.stderr);
      const out = rows(r.stdout);
      assert.equal(out.length, 7);
      for (const x of out) assertConserved(x, 1e-6);
      // The giants (rows 3-5) and the sun-like stars are told apart.
      assert.equal(new Set([out[3][1], out[4][1], out[5][1]]).size, 1, kind);
      assert.notEqual(out[0][1], out[3][1], kind);
    }
  });

  it('stars.csv under raw (unscaled) centroids: assigned, and each row named because its evidence (~1e603) is beyond float64', () => {
    const centroids = path.join(dir, 'stars-centroids.csv');
    fs.writeFileSync(centroids, ',mass_kg,radius_m,temp_k\n0,2.41675e30,8.765e8,6044.5\n1,5.533333e301,1.1e154,31000\n');
    const r = cli('explain', '--centroids', centroids, file('stars.csv'));
    assert.equal(r.code, 0, r.stderr);
    assertClean(r.stdout + r.stderr);
    const out = rows(r.stdout);
    assert.deepEqual(out.map((x) => x[1]), ['0', '0', '0', '1', '1', '1', '0']);
    for (let line = 2; line <= 8; line++) assert.match(r.stderr, new RegExp(`stars\\.csv, line ${line}, column`));
  });
});
