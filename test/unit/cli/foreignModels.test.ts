/**
 * `neon-cluster explain --model-file` with models trained elsewhere, through the real CLI:
 * a Spark PipelineModel folder explains the raw columns by name; a .npy takes its names from
 * --features or the data; unsupported models exit 1 naming the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/sharedData';

const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const at = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'foreign', name);
const ref = JSON.parse(fs.readFileSync(at('reference.json'), 'utf8')) as { columns: string[]; scaledCentres: number[][]; scaledLabels: number[]; rawCentres: number[][]; rawLabels: number[] };

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const clusters = (csv: string) => csv.trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[1]));

describe('neon-cluster explain with foreign models', () => {
  it('centroids fitted on StandardScaler output, given with raw data: every row in one cluster, and a note says why (trial s18)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-zcentres-'));
    try {
      const write = (name: string, rows: number[][]) => {
        fs.writeFileSync(path.join(dir, name), [ref.columns.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
        return path.join(dir, name);
      };
      // scikit-learn's make_pipeline(StandardScaler(), KMeans(3)).cluster_centers_ are z-scores.
      for (const format of ['csv', 'json']) {
        const r = cli('explain', '--centroids', write('z.csv', ref.scaledCentres), '--format', format, at('customers.csv'));
        assert.equal(r.code, 0, r.stderr);
        const empty = ref.scaledCentres.length - new Set(format === 'csv' ? clusters(r.stdout) : (JSON.parse(r.stdout) as { rows: { cluster: number }[] }).rows.map((x) => x.cluster)).size;
        assert.ok(empty >= 1, `${format}: z-score centroids on raw data leave clusters empty`);
        assert.match(r.stderr, new RegExp(`note: ${empty} of 3 cluster\\(s\\) have no member in customers\\.csv \\(cluster [0-9, ]+\\): the model's centroids may not be on this data's scale\\. Centroids fitted on scaled data \\(e\\.g\\. scikit-learn's StandardScaler before KMeans\\)`), `${format}: ${r.stderr}`);
      }
      // The raw model's centroids (KMeans on the raw columns) fill every cluster: no such note.
      const raw = cli('explain', '--centroids', write('raw.csv', ref.rawCentres), at('customers.csv'));
      assert.equal(raw.code, 0, raw.stderr);
      assert.deepEqual(clusters(raw.stdout), ref.rawLabels);
      assert.doesNotMatch(raw.stderr, /have no member/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a Spark PipelineModel folder: relevance per raw column, Spark\'s (scikit-learn\'s) assignments', () => {
    const r = cli('explain', '--model-file', at('spark-pipeline-model'), at('customers.csv'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], 'row,cluster,evidence,R:age,R:income,R:visits,R:spend');
    assert.deepEqual(clusters(r.stdout), ref.scaledLabels);
  });

  it('--format json names the line of a CSV row; a Parquet row has no line (its rows are not lines)', () => {
    const rows = (data: string) => {
      const r = cli('explain', '--model-file', at('spark-pipeline-model'), '--format', 'json', at(data));
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { rows: { row: number; line?: number; cluster: number }[] }).rows;
    };
    const csv = rows('customers.csv');
    const parquet = rows('customers.snappy.parquet');
    assert.deepEqual(csv.slice(0, 3).map((r) => [r.row, r.line]), [[0, 2], [1, 3], [2, 4]]);
    assert.equal(parquet.length, csv.length);
    assert.ok(parquet.every((r) => !('line' in r)), `a Parquet row has a line: ${JSON.stringify(parquet[0]).slice(0, 80)}`);
    assert.deepEqual(parquet.map((r) => r.cluster), csv.map((r) => r.cluster));
  });

  it('a .npy with --features, and without (names from the data, with a note)', () => {
    const named = cli('explain', '--model-file', at('sklearn-centres.npy'), '--features', 'age,income,visits,spend', at('customers.csv'));
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual(clusters(named.stdout), ref.rawLabels);
    const fromData = cli('explain', '--model-file', at('sklearn-centres.npy'), at('customers.csv'));
    assert.equal(fromData.stdout, named.stdout);
    assert.match(fromData.stderr, /inputs named from customers\.csv's numeric columns: age, income, visits, spend/);
  });

  it('unsupported models exit 1 with a message naming the file and what is unsupported', () => {
    const r = cli('explain', '--model-file', at('spark-cosine-model'), at('customers.csv'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error \[ModelError\]: spark-cosine-model: is a k-means model with distanceMeasure "cosine"/);
    const w = cli('explain', '--model-file', at('sklearn-centres.npy'), '--features', 'age,income', at('customers.csv'));
    assert.equal(w.code, 1);
    assert.match(w.stderr, /sklearn-centres\.npy: has 4 inputs but 2 feature names were given/);
  });
});
