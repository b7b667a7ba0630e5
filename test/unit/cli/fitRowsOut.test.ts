/**
 * `neon-cluster fit` beyond the memory budget (issue 9 "Every row, by default"): a uniform
 * sample is fitted, and every row of the file is still assigned and explained — stderr says
 * how many of how many rows and how they were chosen, and --rows-out holds every row exactly
 * as `explain` with the written model gives it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../../src/engine/rng';
import { tempDir } from '../pipeline/syntheticData';

const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const dir = tempDir('fit-rows');
const data = path.join(dir, 'sorted.csv');
const N = 3000;
{
  const rng = new Rng(5);
  const lines = ['t,a,b,kind'];
  for (let i = 0; i < N; i++) lines.push(`${i},${(rng.normal() + (i % 3) * 3).toFixed(4)},${rng.normal().toFixed(4)},${['x', 'y'][(i * 5) % 2]}`);
  fs.writeFileSync(data, lines.join('\n') + '\n');
}

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('fit --memory-budget: "N of M rows fitted (uniform sample ...); all M assigned and explained", and --rows-out has every row as explain gives it', () => {
  const model = path.join(dir, 'model.json');
  const rowsOut = path.join(dir, 'rows.csv');
  const fit = cli('fit', '-k', '3', '--restarts', '2', '--memory-budget', '0.1', '--rows-out', rowsOut, '--out', model, data);
  assert.equal(fit.code, 0, fit.stderr);
  const m = /^sorted\.csv: ([\d,]+) of 3,000 rows fitted \(uniform sample, seed 42, budget 0\.1 MB\); all 3,000 assigned and explained, kmeans with k = 3/m.exec(fit.stderr);
  assert.ok(m, fit.stderr);
  const fitted = Number(m[1].replace(/,/g, ''));
  assert.ok(fitted > 100 && fitted < N, m[1]);
  // Cluster sizes count every row.
  const sizes = [...fit.stderr.matchAll(/^ {2}cluster \d+ \((\d+)\)/gm)].map((x) => Number(x[1]));
  assert.equal(sizes.length, 3);
  assert.equal(
    sizes.reduce((s, x) => s + x, 0),
    N,
  );
  assert.match(fit.stderr, new RegExp(`^3,000 rows' explanations written to ${rowsOut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));

  const written = fs.readFileSync(rowsOut, 'utf8');
  const lines = written.trimEnd().split('\n');
  assert.equal(lines[0], 'row,cluster,evidence,R:t,R:a,R:b,R:kind');
  assert.equal(lines.length, N + 1);
  const perCluster = [0, 0, 0];
  for (const l of lines.slice(1)) perCluster[Number(l.split(',')[1])]++;
  assert.deepEqual(perCluster, sizes);

  // The same rows, explained by `explain` with the model file fit wrote: identical.
  const explain = cli('explain', '--model-file', model, data);
  assert.equal(explain.code, 0, explain.stderr);
  assert.equal(written, explain.stdout);
});

test('fit --rows-out without a sample: every row from the in-memory result, in the same layout', () => {
  const model = path.join(dir, 'model-all.json');
  const rowsOut = path.join(dir, 'rows-all.csv');
  const fit = cli('fit', '-k', '3', '--restarts', '2', '--rows-out', rowsOut, '--out', model, data);
  assert.equal(fit.code, 0, fit.stderr);
  assert.match(fit.stderr, /^sorted\.csv: 3,000 of 3,000 rows \(all\), kmeans with k = 3/m);
  const explain = cli('explain', '--model-file', model, data);
  assert.equal(fs.readFileSync(rowsOut, 'utf8'), explain.stdout);
});

test('fit --rows-out refuses to overwrite the data or share the model output', () => {
  const r = cli('fit', '-k', '3', '--rows-out', data, data);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--rows-out would overwrite DATA/);
});
