/**
 * Runs the real CLI (node on the compiled src/cli/main.js) on small fixtures and checks what a
 * user sees: the CSV shape, relevance summing to the evidence, exit codes and error messages.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/sharedData';
import { tempDir, writeBlobTable, writeTopicCorpus } from '../pipeline/syntheticData';

const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'models');
const fixture = (name: string) => path.join(FIXTURES, name);
const dir = tempDir('cli');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function parseCsv(text: string): { header: string[]; rows: number[][] } {
  const [head, ...lines] = text.trimEnd().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('neon-cluster explain', () => {
  it('explains a table under a pandas centroids CSV: shape, clusters, relevance sums to evidence', () => {
    const r = cli('explain', '--centroids', fixture('centroids-pandas.csv'), fixture('fruits.csv'));
    assert.equal(r.code, 0, r.stderr);
    const { header, rows } = parseCsv(r.stdout);
    assert.deepEqual(header, ['row', 'cluster', 'evidence', 'R:sweetness', 'R:acidity', 'R:crunch']);
    assert.equal(rows.length, 12);
    // The fixture lists 4 crisp, 4 sour and 4 soft fruits, in the centroids' order.
    assert.deepEqual(rows.map((x) => x[1]), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    rows.forEach((x, i) => {
      assert.equal(x[0], i);
      const sum = x[3] + x[4] + x[5];
      assert.ok(Math.abs(sum - x[2]) <= 1e-5 * (Math.abs(x[2]) + 1), `row ${i}: ${sum} vs ${x[2]}`);
    });
  });

  it('gives the same answer for the hand-written model file and the centroids CSV at the same beta', () => {
    const a = cli('explain', '--model-file', fixture('handwritten-kmeans.json'), fixture('fruits.csv'));
    const b = cli('explain', '--centroids', fixture('centroids-pandas.csv'), '--beta', '1', '--rule', 'midpoint', fixture('fruits.csv'));
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    // Hard evidence of the first row: min over competitors of ||x - mu_k||^2 - ||x - mu_c||^2 = 56.
    assert.equal(parseCsv(a.stdout).rows[0][2], 56);
  });

  it('--format json adds probabilities and per-competitor relevance; --out writes a file', () => {
    const out = path.join(dir, 'explained.json');
    const r = cli('explain', '--model-file', fixture('handwritten-kmeans.json'), '--format', 'json', '--out', out, fixture('fruits.csv'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      rows: { cluster: number; label: string; evidence: number; probability: number; relevance: Record<string, number>; competitors: { cluster: number; share: number; relevance: Record<string, number> }[] }[];
    };
    assert.equal(doc.rows.length, 12);
    const row = doc.rows[4];
    assert.equal(row.label, 'sour');
    assert.ok(row.probability > 0.5 && row.probability <= 1);
    assert.equal(row.competitors.length, 2);
    const shares = row.competitors.reduce((s, c) => s + c.share, 0);
    assert.ok(Math.abs(shares - row.evidence) < 1e-6 * row.evidence, 'competitor shares sum to the evidence');
    for (const col of ['sweetness', 'acidity', 'crunch']) {
      const parts = row.competitors.reduce((s, c) => s + c.relevance[col], 0);
      assert.ok(Math.abs(parts - row.relevance[col]) < 1e-4 * (Math.abs(row.relevance[col]) + 1), col);
    }
  });

  it('names a column the data lacks (exit 1)', () => {
    const model = JSON.parse(fs.readFileSync(fixture('handwritten-kmeans.json'), 'utf8')) as { featureNames: string[] };
    model.featureNames[2] = 'bitterness';
    const r = cli('explain', '--model-file', write('bitter.json', JSON.stringify(model)), fixture('fruits.csv'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error \[DataError\]: .*fruits\.csv: missing column\(s\) required by the model: "bitterness"/);
  });

  it('names the JSON path of a malformed model (exit 1)', () => {
    const bad = write('short.json', JSON.stringify({ format: 'neon-cluster-model', version: 1, kind: 'kmeans', featureNames: ['sweetness', 'acidity', 'crunch'], centroids: [[1, 2, 3], [4, 5]] }));
    const r = cli('explain', '--model-file', bad, fixture('fruits.csv'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error [ModelError]: short.json: centroids[1] has 2 values, expected 3 (featureNames)\n');
  });

  it('a non-numeric cell is missing with a note naming its line, column and value; every row is explained (as fit reads it)', () => {
    const data = write('badcell.csv', 'sweetness,acidity,crunch\n1,2,3\n4,sour,6\n');
    const r = cli('explain', '--centroids', fixture('centroids-pandas.csv'), data);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /note: badcell\.csv: non-numeric cells in numeric columns of the model treated as missing: "acidity" \(1, first at line 3: "sour"\)/);
    assert.equal(r.stdout.trim().split('\n').length, 3);
  });

  it('a table model refuses data read as a text corpus (exit 1)', () => {
    const r = cli('explain', '--centroids', fixture('centroids-pandas.csv'), '--source-kind', 'jsonl', fixture('fruits.csv'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error \[ModelError\]: the model explains table rows/);
  });

  it('usage errors exit 2; --error-format json prints a JSON error', () => {
    const unknown = cli('explain', '--centroids', fixture('centroids-pandas.csv'), '--colour', 'red', fixture('fruits.csv'));
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^Error \[UsageError\]: explain: Unknown option '--colour'/);
    // Trial s18: fit's --model typed to explain, a misspelt option: the message names what was meant.
    const model = cli('explain', '--model', 'm.json', fixture('fruits.csv'));
    assert.equal(model.code, 2);
    assert.match(model.stderr, /^Error \[UsageError\]: explain: Unknown option '--model'\. Did you mean --model-file\? \(--model is an option of fit and evaluate\.\)\n/);
    assert.match(cli('fit', '--lable-column', 'y', fixture('fruits.csv')).stderr, /^Error \[UsageError\]: fit: Unknown option '--lable-column'\. Did you mean --label-column\?\n/);
    assert.match(unknown.stderr, /^Error \[UsageError\]: explain: Unknown option '--colour'\n/);
    const noModel = cli('explain', fixture('fruits.csv'));
    assert.equal(noModel.code, 2);
    const badChoice = cli('explain', '--centroids', fixture('centroids-pandas.csv'), '--rule', 'alpha', fixture('fruits.csv'));
    assert.equal(badChoice.code, 2);
    assert.match(badChoice.stderr, /--rule must be one of reference, midpoint, z, found "alpha"/);
    const json = cli('explain', '--error-format', 'json', '--model-file', path.join(dir, 'absent.json'), fixture('fruits.csv'));
    assert.equal(json.code, 2);
    const err = JSON.parse(json.stderr) as { error: { type: string; message: string; exitCode: number } };
    assert.equal(err.error.type, 'UsageError');
    assert.match(err.error.message, /absent\.json: no such file/);
    assert.equal(cli('frobnicate').code, 2);
  });

  it('--help lists the options and exits 0', () => {
    const r = cli('explain', '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--centroids FILE/);
    assert.match(r.stdout, /--format FORMAT/);
  });
});

describe('neon-cluster fit and evaluate', () => {
  const table = writeBlobTable(dir);

  it('fit writes a model file that explain then uses on the same data', () => {
    const model = path.join(dir, 'blobs.model.json');
    const fit = cli('fit', '--k', '3', '--label-column', 'kind', '--restarts', '3', '--out', model, table);
    assert.equal(fit.code, 0, fit.stderr);
    assert.match(fit.stderr, /blobs\.csv: 60 of 60 rows \(all\), kmeans with k = 3/);
    assert.match(fit.stderr, /purity 1\.00/);
    const doc = JSON.parse(fs.readFileSync(model, 'utf8')) as { format: string; kind: string; featureNames: string[]; preprocessing: { kind: string } };
    assert.equal(doc.format, 'neon-cluster-model');
    assert.equal(doc.preprocessing.kind, 'table');
    assert.deepEqual(doc.featureNames.slice(0, 3), ['x', 'y', 'z']);
    const explained = cli('explain', '--model-file', model, table);
    assert.equal(explained.code, 0, explained.stderr);
    const { header, rows } = parseCsv(explained.stdout);
    assert.deepEqual(header, ['row', 'cluster', 'evidence', 'R:x', 'R:y', 'R:z', 'R:shade']);
    assert.equal(rows.length, 60);
    for (const x of rows) assert.ok(Math.abs(x[3] + x[4] + x[5] + x[6] - x[2]) <= 1e-5 * (Math.abs(x[2]) + 1));
    assert.equal(new Set(rows.map((x) => x[1])).size, 3);
  });

  it('fit and explain a text corpus: one line per document with the words for and against', () => {
    const corpus = writeTopicCorpus(dir);
    const model = path.join(dir, 'topics.model.json');
    const fit = cli('fit', '--k', '3', '--label-column', 'category', '--out', model, corpus);
    assert.equal(fit.code, 0, fit.stderr);
    const r = cli('explain', '--model-file', model, corpus);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'row,document,cluster,evidence,words_for,words_against');
    assert.equal(lines.length, 61);
    assert.match(lines[1], /^0,topics\.jsonl:1,[012],[\d.e-]+,\w+:/);
  });

  it('a data error honours --error-format json (exit 1)', () => {
    const r = cli('fit', '--error-format', 'json', path.join(dir, 'nothing-here.csv'));
    assert.equal(r.code, 1);
    const err = JSON.parse(r.stderr) as { error: { type: string; message: string; exitCode: number } };
    assert.equal(err.error.type, 'DataError');
    assert.match(err.error.message, /nothing-here\.csv: file or folder not found/);
    assert.equal(err.error.exitCode, 1);
  });

  it('evaluate --format json gives every curve: method x reference x deletion/insertion, and the question NEON answers', () => {
    const r = cli('evaluate', '--k', '3', '--label-column', 'kind', '--flipping-sample', '30', '--format', 'json', table);
    assert.equal(r.code, 0, r.stderr);
    type Curve = { method: string; reference: string; referenceName: string; direction: string; area: number; curve: number[] };
    const doc = JSON.parse(r.stdout) as { quality: { purity: number }; question: string; model: { rule: string }; flipping: Curve[] };
    assert.equal(doc.quality.purity, 1);
    assert.equal(doc.flipping.length, 4 * 3 * 2);
    const keys = new Set(doc.flipping.map((f) => `${f.method}/${f.reference}/${f.direction}`));
    for (const m of ['neon', 'sensitivity', 'gradient-x-input', 'integrated-gradients']) {
      for (const ref of ['mean', 'competitor-centroid', 'other-cluster-row']) for (const dir of ['deletion', 'insertion']) assert.ok(keys.has(`${m}/${ref}/${dir}`), `${m}/${ref}/${dir}`);
    }
    for (const f of doc.flipping) {
      assert.ok(Number.isFinite(f.area) && f.curve.length > 1, `${f.method}/${f.reference}/${f.direction}`);
      assert.ok(f.referenceName.length > 0);
    }
    // Deletion starts at the evidence and insertion ends there, toward every reference.
    const del = doc.flipping.find((f) => f.method === 'neon' && f.reference === 'mean' && f.direction === 'deletion') as Curve;
    const ins = doc.flipping.find((f) => f.method === 'neon' && f.reference === 'mean' && f.direction === 'insertion') as Curve;
    assert.ok(Math.abs(del.curve[0] - ins.curve[ins.curve.length - 1]) < 1e-9);
    assert.match(doc.question, doc.model.rule === 'reference' ? /^Compared with the data mean, which columns/ : /^Which columns separate this row/);
    const table2 = cli('evaluate', '--k', '3', '--flipping-sample', '10', table);
    assert.equal(table2.code, 0, table2.stderr);
    assert.match(table2.stdout, /Feature flipping toward each reference/);
    assert.match(table2.stdout, /nearest competitor's centroid/);
    assert.match(table2.stdout, /NEON answers: /);
    assert.match(table2.stdout, /silhouette/);
  });
});

describe('case 06: documents without a usable word (fit, then explain)', () => {
  const mixed = path.join(REPO_ROOT, 'test', 'fixtures', 'cases', '06-only-stopwords-or-numbers', 'mixed.jsonl');
  it('fit reports the 3 word-less documents; explain lists them in no cluster with evidence 0', () => {
    const model = path.join(dir, 'case06-model.json');
    const fit = cli('fit', '--k', '2', '--out', model, mixed);
    assert.equal(fit.code, 0, fit.stderr);
    assert.match(fit.stderr, /3 of 9 document\(s\) have no word of the vocabulary .*mixed\.jsonl:7 \(row 6\), mixed\.jsonl:8 \(row 7\), mixed\.jsonl:9 \(row 8\)/);
    assert.match(fit.stderr, /cluster 0 \(3\): .*\n {2}cluster 1 \(3\): /);
    const r = cli('explain', '--model-file', model, mixed);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(','));
    assert.equal(lines.length, 9);
    // The rows the note named are the rows explain writes them under (trial s19 D6).
    assert.deepEqual(lines.slice(6).map((l) => [l[0], l[1]]), [['6', 'mixed.jsonl:7'], ['7', 'mixed.jsonl:8'], ['8', 'mixed.jsonl:9']]);
    for (const l of lines.slice(6)) {
      assert.equal(l[2], '', `${l[1]}: no cluster`);
      assert.equal(Number(l[3]), 0, `${l[1]}: evidence 0`);
      assert.equal(l[4] + l[5], '', `${l[1]}: no word`);
    }
    for (const l of lines.slice(0, 6)) assert.ok(l[2] !== '' && Number(l[3]) > 0, l.join(','));
    const json = JSON.parse(cli('explain', '--model-file', model, '--format', 'json', mixed).stdout) as { rows: { cluster: number | null; label: string }[] };
    assert.deepEqual(json.rows.slice(6).map((x) => [x.cluster, x.label]), Array(3).fill([null, 'no usable words']));
  });
});

describe('fit: the summary counts the rows of the file, skipped records included (trial7 D1)', () => {
  const trial7 = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'trial7', name);
  it('support_tickets.csv (500 data rows, line 202 has extra values): "499 of 500 data rows (1 skipped: line 202 …)"', () => {
    const r = cli('fit', '-k', '2', '--out', path.join(dir, 'tickets-model.json'), trial7('support_tickets.csv'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^support_tickets\.csv: 499 of 500 data rows \(1 skipped: line 202: more values than the header\), kmeans with k = 2/m);
  });
  it('customers_strayquote.csv (line 41 never closes its quote): the summary names line 41 and counts it, never "N of N rows (all)"', () => {
    const r = cli('fit', '-k', '2', '--out', path.join(dir, 'stray-model.json'), trial7('customers_strayquote.csv'));
    assert.equal(r.code, 0, r.stderr);
    const m = /^customers_strayquote\.csv: (\d+) of (\d+) data rows \(1 skipped: line 41: unterminated quote\)/m.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.equal(Number(m[2]), Number(m[1]) + 1);
    assert.doesNotMatch(r.stderr, /rows \(all\)/);
  });
});

describe('a text model records its text column; explain reads it without --text-column (trial7 D11f)', () => {
  const tickets = path.join(REPO_ROOT, 'test', 'fixtures', 'trial7', 'support_tickets.csv');
  const model = path.join(dir, 'tickets-text-model.json');
  it('fit --text-column message writes "textColumn": "message"; explain --model-file alone explains the documents of that column', () => {
    const fit = cli('fit', '-k', '4', '--text-column', 'message', '--out', model, tickets);
    assert.equal(fit.code, 0, fit.stderr);
    assert.equal(JSON.parse(fs.readFileSync(model, 'utf8')).preprocessing.textColumn, 'message');
    const r = cli('explain', '--model-file', model, tickets);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^note: the text column "message" is read, as the model was fitted \(--text-column NAME to read another\)\.$/m);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'row,document,cluster,evidence,words_for,words_against');
    assert.equal(lines.length, 1 + 499);
    // The same as with --text-column given again.
    const again = cli('explain', '--model-file', model, '--text-column', 'message', tickets);
    assert.equal(again.stdout, r.stdout);
  });
  it('an explicit --text-column other than the model\'s wins, with a note naming the model\'s column', () => {
    const r = cli('explain', '--model-file', model, '--text-column', 'product_area', tickets);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^note: --text-column "product_area" is read; the model was fitted on the text column "message"\.$/m);
  });
});

describe('skipped records: a warning by default, an error with --strict (trial s19 D7)', () => {
  // A topic corpus with one broken line in the middle (line 31), as trial5's bad4.jsonl.
  const good = fs.readFileSync(writeTopicCorpus(tempDir('cli-strict')), 'utf8').trimEnd().split('\n');
  const corpus = write('broken-line.jsonl', [...good.slice(0, 30), '{"text": "unterminated', ...good.slice(30)].join('\n') + '\n');

  it('fit skips the broken line, keeps the other 60, exits 0, and says so as a warning with the way to make it an error', () => {
    const model = path.join(dir, 'broken-line-model.json');
    const r = cli('fit', '-k', '3', '--out', model, corpus);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: broken-line\.jsonl: 1 line\(s\) that are not a valid JSON object skipped \(the other 60 are kept\): line 31, column 23: Unterminated string\.$/m);
    assert.match(r.stderr, /^warning: records of the input were skipped \(see above\); --strict stops with an error instead, as pandas does\.$/m);
    assert.doesNotMatch(r.stderr, /^note: .*not a valid JSON object/m);
    // The summary counts the skipped line as a record of the file (trial7 D1).
    assert.match(r.stderr, /^broken-line\.jsonl: 60 of 61 documents \(1 skipped: line 31: not a JSON object\), kmeans/m);
  });

  it('fit --strict stops with a DataError naming the line and column, exit 1, and writes no model', () => {
    const model = path.join(dir, 'strict-model.json');
    const r = cli('fit', '-k', '3', '--strict', '--out', model, corpus);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      'Error [DataError]: records of the input that cannot be read (--strict stops instead of skipping them): broken-line.jsonl: 1 line(s) that are not a valid JSON object: line 31, column 23: Unterminated string. Fix those records, or run without --strict to skip them and keep the others.',
    );
    assert.equal(fs.existsSync(model), false);
  });

  it('a table row with too many values: explain warns and writes the others; --strict writes no row and exits 1', () => {
    const table = write('ragged.csv', 'a,b\n1,2\n3,4\n5,6,7\n8,9\n10,11\n');
    const model = path.join(dir, 'ragged-model.json');
    assert.equal(cli('fit', '-k', '2', '--out', model, table).code, 0);
    const lax = cli('explain', '--model-file', model, table);
    assert.equal(lax.code, 0, lax.stderr);
    assert.deepEqual(lax.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]), ['0', '1', '3', '4']);
    assert.match(lax.stderr, /^warning: ragged\.csv: 1 row\(s\) have more values than the header has columns and were skipped: line 4 /m);
    const strict = cli('explain', '--model-file', model, '--strict', table);
    assert.equal(strict.code, 1);
    assert.equal(strict.stdout, '', 'no output, not even the header line');
    assert.match(strict.stderr, /^Error \[DataError\]: \S*ragged\.csv, line 4: the row has more values than the header has columns \(3 fields; "7" in field 3 has no column\)/);
  });

  // review6 F1: the note on skipped rows came with the last chunk only, so --strict wrote every
  // chunk before it (196,609 of 200,001 lines) and --out was left half written.
  it('a quote that never closes on line 502 of 1,000 rows: fit keeps the other 999 with a warning naming line and column; --strict exits 1 naming them (review7 F3: 500 rows were lost)', () => {
    const rows = ['id,x,y,comment'];
    for (let i = 0; i < 1000; i++) rows.push(`${i},${((i * 37) % 1000) / 1000},${((i * 91) % 1000) / 1000},${i === 500 ? '"unclosed comment' : 'ok'}`);
    const csv = write('stray2.csv', rows.join('\n') + '\n');
    const lax = cli('fit', '-k', '3', '--out', path.join(dir, 'stray2-model.json'), csv);
    assert.equal(lax.code, 0, lax.stderr);
    assert.match(lax.stderr, /^warning: stray2\.csv: 1 record\(s\) with an unterminated quoted field skipped \(the other 999 are kept\): line 502, column "comment" \(field 4\): .*\(1 line in all\)/m);
    // The summary counts the skipped record as a row of the file (trial7 D1; was "999 of 999 rows (all)").
    assert.match(lax.stderr, /^stray2\.csv: 999 of 1,000 data rows \(1 skipped: line 502: unterminated quote\)/m);
    for (const args of [['fit', '-k', '3', '--strict', '--out', path.join(dir, 'stray2-strict.json')], ['explain', '--strict', '--model-file', path.join(dir, 'stray2-model.json')]]) {
      const strict = cli(...args, csv);
      assert.equal(strict.code, 1, strict.stderr);
      assert.match(strict.stderr, /line 502, column "comment"/);
      assert.equal(strict.stdout, '');
    }
  });

  describe('--strict and --out are all or nothing when the bad row is past the first chunk (16,384 rows)', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i % 7},${(i * 3) % 11}`);
    const late = write('late-bad.csv', ['a,b', ...rows.slice(0, 19_000), '1,2,3', ...rows.slice(19_000)].join('\n') + '\n');
    const model = path.join(dir, 'late-bad-model.json');
    const before = fs.readFileSync(late, 'utf8');

    it('stdout: exit 1, nothing written, the message names line 19,002', () => {
      assert.equal(cli('fit', '-k', '2', '--out', model, late).code, 0);
      const r = cli('explain', '--model-file', model, '--strict', late);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /late-bad\.csv, line 19002: the row has more values than the header has columns \(3 fields; "3" in field 3 has no column\)/);
    });

    it('--out: a failed run leaves the old file as it was and no temporary file; a good run replaces it', () => {
      const outDir = tempDir('cli-out');
      const out = path.join(outDir, 'rows.csv');
      fs.writeFileSync(out, 'old\n');
      assert.equal(cli('explain', '--model-file', model, '--strict', '--out', out, late).code, 1);
      assert.equal(fs.readFileSync(out, 'utf8'), 'old\n');
      assert.deepEqual(fs.readdirSync(outDir), ['rows.csv']);
      const ok = cli('explain', '--model-file', model, '--out', out, late);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(fs.readFileSync(out, 'utf8').trimEnd().split('\n').length, 1 + 20_000, 'the header and every good row');
      assert.deepEqual(fs.readdirSync(outDir), ['rows.csv']);
    });

    it('--out naming DATA is refused before the run; DATA is unchanged', () => {
      const r = cli('explain', '--model-file', model, '--out', late, late);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--out would overwrite DATA/);
      assert.equal(fs.readFileSync(late, 'utf8'), before);
    });
  });
});

describe('explain --id-column on text (trial s19 D5: ignored without a word for JSONL)', () => {
  // Each record has its own id; a blank line after the fifth record makes lines and rows differ.
  const records = fs.readFileSync(writeTopicCorpus(tempDir('cli-ids')), 'utf8').trimEnd().split('\n').map((l, i) => JSON.stringify({ id: `t${i}`, ...JSON.parse(l) }));
  const corpus = write('with-ids.jsonl', [...records.slice(0, 5), '', ...records.slice(5)].join('\n') + '\n');
  const model = path.join(dir, 'with-ids-model.json');

  it('JSONL: the field\'s value is the first column (CSV, under the field\'s name) and an "id" of each JSON row', () => {
    assert.equal(cli('fit', '-k', '3', '--out', model, corpus).code, 0);
    const r = cli('explain', '--model-file', model, '--id-column', 'id', corpus);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.split(','));
    assert.deepEqual(lines[0]!.slice(0, 2), ['id', 'document']);
    assert.equal(lines.length, 61);
    assert.deepEqual([lines[1]![0], lines[1]![1]], ['t0', 'with-ids.jsonl:1']);
    assert.deepEqual([lines[11]![0], lines[11]![1]], ['t10', 'with-ids.jsonl:12'], 'the record\'s own id, past the blank line');
    const json = JSON.parse(cli('explain', '--model-file', model, '--id-column', 'id', '--format', 'json', corpus).stdout) as { rows: { row: number; id: string; document: string }[] };
    assert.deepEqual(json.rows.slice(9, 11).map((x) => [x.row, x.id, x.document]), [[9, 't9', 'with-ids.jsonl:11'], [10, 't10', 'with-ids.jsonl:12']]);
  });

  it('a CSV text column (--text-column): the id column\'s cell of each document\'s row', () => {
    const shops = path.join(REPO_ROOT, 'samples', 'coffee-shops.csv');
    const csModel = path.join(dir, 'shops-text-model.json');
    assert.equal(cli('fit', '-k', '3', '--text-column', 'review', '--out', csModel, shops).code, 0);
    const r = cli('explain', '--model-file', csModel, '--text-column', 'review', '--id-column', 'id', shops);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.trimEnd().split('\n').map((l) => l.split(','));
    const file = fs.readFileSync(shops, 'utf8').trimEnd().split('\n').map((l) => l.split(',')[0]);
    assert.deepEqual(out[0]!.slice(0, 2), ['id', 'document']);
    assert.equal(out.length, file.length);
    // Output line `at` is data row at - 1, on file line at + 1 (no quoted line breaks in this file).
    for (const at of [1, 5, out.length - 1]) assert.deepEqual([out[at]![0], out[at]![1]], [file[at], `coffee-shops.csv:${at + 1}`]);
  });

  it('a CSV text column: each document is named by the line its record starts on, its row is pandas\' row', () => {
    // Every text holds a line break (quoted), so record j spans lines 2j+2 and 2j+3; a ragged
    // record after the fifth is skipped (it keeps row 5, as a table's would), and a last record
    // without a usable word is named in the fit's note by the same line and row explain gives it.
    const texts = records.map((l) => JSON.parse(l) as { id: string; text: string; category: string });
    const csvLines = ['id,text,category', ...texts.slice(0, 5).map((t) => `${t.id},"${t.text}",${t.category}`), 'bad,one,two,three', ...texts.slice(5).map((t) => `${t.id},"${t.text}",${t.category}`), 'w1,"the and of 123",space'];
    const csv = write('topics-text.csv', csvLines.join('\n') + '\n');
    const csModel = path.join(dir, 'topics-text-model.json');
    const fit = cli('fit', '-k', '3', '--text-column', 'text', '--out', csModel, csv);
    assert.equal(fit.code, 0, fit.stderr);
    assert.match(fit.stderr, /1 of 61 document\(s\) have .*topics-text\.csv:123 \(row 61\)/);
    const r = cli('explain', '--model-file', csModel, '--text-column', 'text', csv);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.trimEnd().split('\n').map((l) => l.split(','));
    assert.deepEqual(out.slice(1, 8).map((l) => [l[0], l[1]]), [
      ['0', 'topics-text.csv:2'], ['1', 'topics-text.csv:4'], ['2', 'topics-text.csv:6'], ['3', 'topics-text.csv:8'], ['4', 'topics-text.csv:10'],
      ['6', 'topics-text.csv:13'], ['7', 'topics-text.csv:15'],
    ]);
    assert.deepEqual([out[61]![0], out[61]![1]], ['61', 'topics-text.csv:123']);
    const src = fs.readFileSync(csv, 'utf8').split('\n');
    for (const l of out.slice(1)) {
      const line = Number(l[1]!.split(':')[1]);
      assert.equal(src[line - 1]!.split(',')[0], l[0] === '61' ? 'w1' : `t${Number(l[0]) - (Number(l[0]) > 5 ? 1 : 0)}`, `${l[1]} is the line of row ${l[0]}'s record`);
    }
    const ids = cli('explain', '--model-file', csModel, '--text-column', 'text', '--id-column', 'id', '--format', 'json', csv);
    assert.equal(ids.code, 0, ids.stderr);
    const json = JSON.parse(ids.stdout) as { rows: { row: number; id: string; document: string }[] };
    assert.deepEqual(json.rows.slice(4, 6).map((x) => [x.row, x.id, x.document]), [[4, 't4', 'topics-text.csv:10'], [6, 't5', 'topics-text.csv:13']]);
  });

  it('19-digit integer ids (beyond 2^53) come out as written, CSV and JSON (review6 F2: both of two neighbours printed 1234567890123456800)', () => {
    // uid 1234567890123456789 + i, written by string arithmetic: a JS number cannot hold them.
    const uids = records.map((_, i) => `12345678901234567${String(89 + i).padStart(2, '0')}`);
    const big = write('big-ids.jsonl', records.map((l, i) => `{"uid": ${uids[i]}, ${l.slice(1)}`).join('\n') + '\n');
    assert.equal(cli('fit', '-k', '3', '--out', model, corpus).code, 0);
    const r = cli('explain', '--model-file', model, '--id-column', 'uid', big);
    assert.equal(r.code, 0, r.stderr);
    const ids = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]);
    assert.deepEqual(ids.slice(0, 3), ['1234567890123456789', '1234567890123456790', '1234567890123456791']);
    assert.deepEqual(ids, uids);
    const json = JSON.parse(cli('explain', '--model-file', model, '--id-column', 'uid', '--format', 'json', big).stdout) as { rows: { id: string }[] };
    assert.deepEqual(json.rows.map((x) => x.id), uids);
  });

  it('a field no record has, a source without fields, and a table\'s JSON output are errors, not ignored', () => {
    const missing = cli('explain', '--model-file', model, '--id-column', 'nope', corpus);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^Error \[UsageError\]: --id-column: no record of with-ids\.jsonl has a field "nope"$/m);
    // Checked before the run (review6 F10): with --strict and a broken line, the run would stop
    // with a DataError (exit 1); the misspelt field is the error, exit 2.
    const broken = write('with-ids-broken.jsonl', [...records.slice(0, 30), '{"id": "x", "text": ', ...records.slice(30)].join('\n') + '\n');
    const first = cli('explain', '--model-file', model, '--strict', '--id-column', 'nope', broken);
    assert.equal(first.code, 2, first.stderr);
    assert.match(first.stderr, /^Error \[UsageError\]: --id-column: no record of with-ids-broken\.jsonl has a field "nope"$/m);
    const shops = path.join(REPO_ROOT, 'samples', 'coffee-shops.csv');
    const noColumn = cli('explain', '--model-file', model, '--text-column', 'review', '--id-column', 'nope', shops);
    assert.equal(noColumn.code, 2);
    assert.match(noColumn.stderr, /^Error \[UsageError\]: --id-column: coffee-shops\.csv has no column "nope"; the columns are "id",/m);
    const folder = path.join(tempDir('cli-ids-folder'), 'notes');
    fs.mkdirSync(folder);
    records.slice(0, 20).forEach((l, i) => fs.writeFileSync(path.join(folder, `n${i}.txt`), (JSON.parse(l) as { text: string }).text));
    const noFields = cli('explain', '--model-file', model, '--id-column', 'id', folder);
    assert.equal(noFields.code, 2);
    assert.match(noFields.stderr, /^Error \[UsageError\]: --id-column names a column of a table or a field of a JSONL corpus; the documents of notes have no fields to copy/);
    const table = cli('explain', '--centroids', fixture('centroids-pandas.csv'), '--id-column', 'id', '--format', 'json', fixture('fruits.csv'));
    assert.equal(table.code, 2);
    assert.match(table.stderr, /--id-column copies a table column into the CSV output \(--format csv\)/);
  });
});

describe('what a new user stumbled on (session 21 polish)', () => {
  it('--text-column on a tab-separated .txt reads that column as documents, as the extension does (it was ignored: "no usable feature columns")', () => {
    const reviews = fs.readFileSync(path.join(REPO_ROOT, 'samples', 'coffee-shops.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => `${l.split(',')[0]}\t${/"([^"]*)"/.exec(l)![1]}`);
    const txt = write('reviews-tab.txt', ['id\treview', ...reviews].join('\n') + '\n');
    const model = path.join(dir, 'reviews-tab-model.json');
    const fit = cli('fit', '-k', '4', '--text-column', 'review', '--out', model, txt);
    assert.equal(fit.code, 0, fit.stderr);
    assert.match(fit.stderr, /reviews-tab\.txt: 120 documents, kmeans with k = 4/);
    const r = cli('explain', '--model-file', model, '--text-column', 'review', txt);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, 2).map((l) => l.split(',').slice(0, 2)), [['row', 'document'], ['0', 'reviews-tab.txt:2']]);
  });

  it('a Parquet text column (--text-column review): fit and explain give the CSV text column\'s clusters, evidence and words; documents are named by row, --id-column finds their id', () => {
    // coffee-shops.parquet is samples/coffee-shops.csv written as Parquet (make-fixtures.mjs section 7).
    const parquet = path.join(REPO_ROOT, 'test', 'fixtures', 'foreign', 'coffee-shops.parquet');
    const shops = path.join(REPO_ROOT, 'samples', 'coffee-shops.csv');
    const dir = tempDir('cli-parquet-text');
    const fitCsv = cli('fit', '-k', '3', '--seed', '4', '--text-column', 'review', '-o', path.join(dir, 'csv.json'), shops);
    const fitPq = cli('fit', '-k', '3', '--seed', '4', '--text-column', 'review', '-o', path.join(dir, 'pq.json'), parquet);
    assert.equal(fitCsv.code, 0, fitCsv.stderr);
    assert.equal(fitPq.code, 0, fitPq.stderr);
    assert.match(fitPq.stderr, /note: coffee-shops\.parquet: text column "review"/);
    assert.match(fitPq.stderr, /coffee-shops\.parquet: 120 documents, kmeans with k = 3/);
    // The same documents in the same order: the same model, apart from the file's name.
    const model = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/coffee-shops\.(csv|parquet)/g, 'coffee-shops');
    assert.equal(model('pq.json'), model('csv.json'));
    const csv = cli('explain', '--model-file', path.join(dir, 'csv.json'), '--text-column', 'review', shops);
    const pq = cli('explain', '--model-file', path.join(dir, 'pq.json'), '--text-column', 'review', '--id-column', 'id', parquet);
    assert.equal(pq.code, 0, pq.stderr);
    const csvRows = csv.stdout.trimEnd().split('\n').map((l) => l.split(','));
    const pqRows = pq.stdout.trimEnd().split('\n').map((l) => l.split(','));
    assert.deepEqual(pqRows[0], ['id', 'document', 'cluster', 'evidence', 'words_for', 'words_against']);
    assert.equal(pqRows.length, 121);
    const ids = fs.readFileSync(shops, 'utf8').trimEnd().split('\n').map((l) => l.split(',')[0]);
    for (let at = 1; at < pqRows.length; at++) {
      assert.deepEqual([pqRows[at]![0], pqRows[at]![1]], [ids[at], `coffee-shops.parquet row ${at - 1}`]);
      // cluster, evidence, words for and against: the CSV's, to the printed digit.
      assert.deepEqual(pqRows[at]!.slice(2), csvRows[at]!.slice(2), `row ${at - 1}`);
    }
    assert.ok(new Set(pqRows.slice(1).map((r) => r[2])).size === 3, 'three clusters');
    assert.match(pqRows[1]!.join(','), /roast:0\.\d+/, 'row 0 ("Quiet corner, light roast; ...") is explained by its words');
  });

  it('--text-column naming no column of a Parquet file is a data error naming its columns, not a silently clustered table', () => {
    const parquet = path.join(REPO_ROOT, 'test', 'fixtures', 'foreign', 'customers.snappy.parquet');
    const r = cli('fit', '-k', '2', '--text-column', 'nope', parquet);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '', 'no model written');
    assert.match(r.stderr, /^Error \[DataError\]: .*customers\.snappy\.parquet: text column "nope" not found; the columns are "id", "age", "income", "visits", "spend", "segment"/);
  });

  it('a Parquet file with a free-text column clustered as a table: the note names the column and how to cluster its documents', () => {
    const parquet = path.join(REPO_ROOT, 'test', 'fixtures', 'foreign', 'coffee-shops.parquet');
    const dir = tempDir('cli-parquet-table');
    const fit = cli('fit', '-k', '3', '-o', path.join(dir, 'model.json'), parquet);
    assert.equal(fit.code, 0, fit.stderr);
    assert.match(fit.stderr, /note: coffee-shops\.parquet: 1 free text column\(s\) excluded from the features: "review" \(.*\)\. To cluster the documents of a text column instead: --text-column review /);
    assert.match(fit.stderr, /coffee-shops\.parquet: 120 of 120 rows \(all\), kmeans with k = 3/);
  });

  it('a usage error points to the command\'s own help; a bad --k names "auto" too', () => {
    const shops = path.join(REPO_ROOT, 'samples', 'coffee-shops.csv');
    const k = cli('fit', '--k', 'abc', shops);
    assert.equal(k.code, 2);
    assert.equal(k.stderr, 'Error [UsageError]: --k must be "auto" or an integer of at least 2, found "abc"\nRun \'neon-cluster fit --help\' for its options.\n');
    assert.match(cli('explain', shops).stderr, /\nRun 'neon-cluster explain --help' for its options\.\n$/);
    assert.match(cli('bogus', shops).stderr, /\nRun 'neon-cluster --help' for usage\.\n$/);
  });

  it('integer options take decimal digits only, as the k step does: -k 0x3, -k 1e1, --seed 1e3, --max-rows " 5" are usage errors (review7 F9a: Number() took them)', () => {
    const shops = path.join(REPO_ROOT, 'samples', 'coffee-shops.csv');
    for (const k of ['0x3', '1e1', '3.0', '+3', ' 3']) {
      const r = cli('fit', '-k', k, shops);
      assert.equal(r.code, 2, `-k ${JSON.stringify(k)}: ${r.stderr}`);
      assert.equal(r.stderr.split('\n')[0], `Error [UsageError]: --k must be "auto" or an integer of at least 2, found "${k}"`);
    }
    for (const [option, value, min] of [['--seed', '1e3', 0], ['--max-rows', ' 5', 0], ['--restarts', '0x2', 1]] as const) {
      const r = cli('fit', option, value, shops);
      assert.equal(r.code, 2, `${option} ${value}: ${r.stderr}`);
      assert.equal(r.stderr.split('\n')[0], `Error [UsageError]: ${option} must be an integer of at least ${min}, found "${value}"`);
    }
    const ok = cli('fit', '-k', '3', '--seed', '007', shops);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /k = 3/);
  });

  it('a streamed explain that fails at once (a misspelt --id-column, a row:N beyond the data) writes nothing: no header-only CSV, an --out file left as it was', () => {
    const shops = path.join(REPO_ROOT, 'samples', 'coffee-shops.csv');
    const model = path.join(dir, 'shops-table-model.json');
    assert.equal(cli('fit', '--label-column', 'segment', '--out', model, shops).code, 0);
    const out = write('kept.csv', 'an earlier result\n');
    const id = cli('explain', '--model-file', model, '--id-column', 'idd', '--out', out, shops);
    assert.equal(id.code, 1);
    assert.match(id.stderr, /id column "idd" not found; the columns are id, city/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'an earlier result\n', 'the --out file is not truncated');
    assert.ok(!fs.existsSync(path.join(dir, 'never.csv')) && cli('explain', '--model-file', model, '--id-column', 'idd', '--out', path.join(dir, 'never.csv'), shops).code === 1);
    assert.ok(!fs.existsSync(path.join(dir, 'never.csv')), 'no file is created');
    const ref = cli('explain', '--model-file', model, '--reference', 'row:500', shops);
    assert.equal(ref.code, 1);
    assert.equal(ref.stdout, '', 'no header line on stdout');
    assert.match(ref.stderr, /reference row 500 does not exist: coffee-shops\.csv has rows 0\.\.119/);
    const ok = cli('explain', '--model-file', model, '--id-column', 'id', '--out', out, shops);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(fs.readFileSync(out, 'utf8').trimEnd().split('\n').length, 121, 'a good run still writes the header and every row');
  });

  it('explain --help gives the text output\'s columns, --source-kind its default once', () => {
    const help = cli('explain', '--help').stdout;
    assert.match(help, /row,document,cluster,evidence,words_for,words_against for text/);
    const sourceKind = help.split('\n').find((l) => l.includes('--source-kind'))!;
    assert.equal(sourceKind.match(/default/g)?.length, 1, sourceKind);
  });
});
