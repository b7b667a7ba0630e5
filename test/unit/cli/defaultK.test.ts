/**
 * The CLI's k when -k is not given (trial s19 D3 and D9), on the trial's own files
 * (test/fixtures/trial5, made by its mk.py: 90 customers in 3 segments told apart by age,
 * income and visits, a random `city`, a date): one cluster per label value as the extension
 * proposes, -k auto still the silhouette's; a table without a label names the columns that
 * may hold known classes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/sharedData';
import { tempDir } from '../pipeline/syntheticData';

const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const TRIAL = path.join(REPO_ROOT, 'test', 'fixtures', 'trial5');
const COFFEE = path.join(REPO_ROOT, 'samples', 'coffee-shops.csv');
const dir = tempDir('cli-default-k');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const notes = (stderr: string): string[] => [...stderr.matchAll(/^note: (.*)$/gm)].map((m) => m[1]);
const kOf = (stderr: string): number => Number(/kmeans with k = (\d+)/.exec(stderr)?.[1]);
const metric = (stderr: string, name: string): number => Number(new RegExp(`${name} (-?[\\d.]+)`).exec(stderr)?.[1]);

describe('CLI default k = one cluster per label value, as the extension proposes (trial s19 D3)', () => {
  it('customers_target.csv (label "target", 3 values): k = 3 with the reason, a perfect split (ARI 1)', () => {
    const r = cli('fit', '-o', path.join(dir, 'm.json'), path.join(TRIAL, 'customers_target.csv'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kOf(r.stderr), 3);
    assert.ok(notes(r.stderr).includes('k = 3: one cluster per value of target, the label column (as the extension proposes; -k auto to choose k from the data, -k N for another k).'), r.stderr);
    assert.ok(!/chosen as the best silhouette/.test(r.stderr), 'no k = auto run without -k auto');
    assert.equal(metric(r.stderr, 'ari'), 1);
    assert.equal(metric(r.stderr, 'purity'), 1);
  });

  it('-k auto is still the silhouette over k = 2..10, and -k 4 is 4, both without the label note', () => {
    const auto = cli('fit', '-k', 'auto', '-o', path.join(dir, 'm.json'), path.join(TRIAL, 'customers_target.csv'));
    assert.equal(auto.code, 0, auto.stderr);
    assert.match(auto.stderr, /^note: k = \d+ chosen as the best silhouette over k = 2\.\.10/m);
    assert.ok(!/one cluster per value/.test(auto.stderr), auto.stderr);
    const four = cli('fit', '-k', '4', '-o', path.join(dir, 'm.json'), path.join(TRIAL, 'customers_target.csv'));
    assert.equal(four.code, 0, four.stderr);
    assert.equal(kOf(four.stderr), 4);
    assert.ok(!/one cluster per value|chosen as the best silhouette/.test(four.stderr), four.stderr);
  });

  it('a label named on the command line gives its k too (coffee-shops.csv, --label-column segment: 4 values, as the sample workspace setting does in the extension)', () => {
    const r = cli('fit', '--label-column', 'segment', '-o', path.join(dir, 'm.json'), COFFEE);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kOf(r.stderr), 4);
    assert.ok(notes(r.stderr).includes('k = 4: one cluster per value of segment, the label column (as the extension proposes; -k auto to choose k from the data, -k N for another k).'), r.stderr);
    assert.ok(!/could hold known classes|if these are known classes/.test(r.stderr), 'no "possible label" note once a label is named');
    // The clusters the sample workspace shows in the extension (media/screenshots/panel.png, seed 42).
    assert.deepEqual([...r.stderr.matchAll(/^ {2}cluster \d+ \(30\): (.*?) {2}\[purity 1\.00/gm)].map((m) => m[1]), [
      'high seats · high daily_customers · low rating',
      'high km_to_station · low rating · low opens_at',
      'high wifi_mbps · high latte_eur · high espresso_eur',
      'high rating · low wifi_mbps · average daily_customers',
    ]);
  });

  // review6 F4: --max-rows 5 on a label of 8 values failed with "k = 8 exceeds the number of rows
  // (5)", a k the user never gave, and the note saying where k came from was printed only on success.
  describe('a label of 8 values (40 rows, c0..c7)', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `c${i % 8},${(i % 8) + (i % 3) * 0.1},${(i % 8) * 2 - (i % 5) * 0.1}`);
    const lab = path.join(dir, 'lab.csv');
    fs.writeFileSync(lab, ['label,a,b', ...rows].join('\n') + '\n');

    it('--max-rows 5: k comes from the data, and a note says why not one cluster per value', () => {
      const r = cli('fit', '--max-rows', '5', '-o', path.join(dir, 'lab.json'), lab);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(notes(r.stderr).includes('not one cluster per value of label: it has 8 values but --max-rows keeps 5 rows, so k is chosen from the data (-k N for another k).'), r.stderr);
      assert.ok(kOf(r.stderr) >= 2 && kOf(r.stderr) <= 4, r.stderr);
      const ten = cli('fit', '--max-rows', '10', '-o', path.join(dir, 'lab.json'), lab);
      assert.equal(kOf(ten.stderr), 8, 'enough rows: one cluster per value');
    });

    it('a run that fails (--strict, a bad last row) still says where its k came from', () => {
      const bad = path.join(dir, 'lab-bad.csv');
      fs.writeFileSync(bad, ['label,a,b', ...rows, 'c1,1,2,3'].join('\n') + '\n');
      const r = cli('fit', '--strict', '-o', path.join(dir, 'lab.json'), bad);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^note: k = 8: one cluster per value of label, the label column/m);
      assert.match(r.stderr, /^Error \[DataError\]/m);
    });
  });

  it('evaluate fits with the same k (and says why on stderr)', () => {
    const r = cli('evaluate', '--flipping-sample', '0', path.join(TRIAL, 'customers_target.csv'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /customers_target\.csv: 90 rows, kmeans, k = 3,/);
    assert.match(r.stderr, /^note: k = 3: one cluster per value of target, the label column/m);
  });
});

describe('CLI: a table without a label names the few-valued columns that may be known classes (trial s19 D9)', () => {
  it('coffee-shops.csv: "segment" (4 values) and "city" (5 values), fewest values first, in one note', () => {
    const r = cli('fit', '-o', path.join(dir, 'm.json'), COFFEE);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(notes(r.stderr).includes('"segment" (4 values), "city" (5 values) could hold known classes: use --label-column NAME if one does.'), r.stderr);
  });

  it('one such column: "<name>" has N values: use --label-column <name> if these are known classes', () => {
    const r = cli('fit', '--exclude', 'city', '-o', path.join(dir, 'm.json'), path.join(TRIAL, 'customers_pandas.csv'));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(notes(r.stderr).includes('"segment" has 3 values: use --label-column segment if these are known classes.'), r.stderr);
  });

  it('no such note with --label-column none (the user said there are no classes) or when a label is found', () => {
    const none = cli('fit', '--label-column', 'none', '-o', path.join(dir, 'm.json'), COFFEE);
    assert.equal(none.code, 0, none.stderr);
    assert.ok(!/known classes/.test(none.stderr), none.stderr);
    const labelled = cli('fit', '-o', path.join(dir, 'm.json'), path.join(TRIAL, 'customers_target.csv'));
    assert.ok(!/could hold known classes|if these are known classes/.test(labelled.stderr), labelled.stderr);
  });
});
