/**
 * Reading faults a new user hit on their own files (session 15 trial): placeholder cells in a
 * numeric column, label-like column names, row numbers after a skipped bad line, one invalid
 * JSONL line, a date column. Expected values are pandas 1.5.3's on the same files
 * (`pd.read_csv(f, na_values=['-'])`, population std = `std(ddof=0)`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { isLabelLikeName, isPlaceholderToken } from '../../../src/engine/data/columnTyping';
import { inspectDataset } from '../../../src/engine/data/inspectDataset';
import { buildTableDataset } from '../../../src/engine/data/tableDataset';
import { readTable } from '../../../src/engine/data/tableFormats';
import { tableFromRows } from '../../../src/engine/data/tableFromRows';
import { loadJsonlCorpus } from '../../../src/engine/data/textSources';
import { parseCommandLine, settingsFrom } from '../../../src/cli/options';
import { FIXTURES, tempDir as newTempDir, writeFile } from './fixturePaths';

const TRIAL = path.join(FIXTURES, 'trial2');
const made: string[] = [];
/** A temporary folder removed after the tests. */
const tempDir = (prefix: string): string => {
  const dir = newTempDir(prefix);
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

/** pandas: mean, std (ddof=0) and NaN count of column x with na_values=['-']. */
const PANDAS_X: Record<string, [number, number, number]> = {
  'd3.csv': [10.058080808080806, 2.003525349258123, 3],
  'd20.csv': [10.040857142857144, 1.9221611667652658, 20],
  'd60.csv': [10.175726141078838, 1.9580889764063616, 59],
};

for (const [file, [mean, std, missing]] of Object.entries(PANDAS_X)) {
  test(`placeholders: ${file}'s "x" with ${missing} "-" cells is numeric with pandas' mean and std, and a note says how to make it explicit`, async () => {
    const f = path.join(TRIAL, file);
    const d = await buildTableDataset(await readTable(f), f);
    const x = d.columns.find((c) => c.name === 'x');
    assert.equal(x?.kind, 'numeric', x?.excludedReason);
    assert.equal(x?.missing, missing);
    const pre = d.preprocessing.columns.find((c) => c.column === 'x');
    assert.ok(pre && pre.kind === 'numeric');
    assert.ok(close(pre.mean, mean), `mean ${pre.mean} vs pandas ${mean}`);
    assert.ok(close(pre.std, std), `std ${pre.std} vs pandas ${std}`);
    const note = d.notes.find((n) => n.includes('non-numeric values in numeric columns read as missing'));
    assert.ok(note, d.notes.join('\n'));
    assert.match(note, new RegExp(`"x" \\(${missing} × "-", first at line 7, column \\d+\\)`));
    assert.match(note, /--na-values "-"/);
    assert.match(note, /neonClusterExplorer\.naValues/);
  });
}

test('placeholders: a "12 %" column with "-" cells is numeric (pandas mean), a categorical column keeps its "-" level', async () => {
  const f = path.join(TRIAL, 'pct_dash.csv');
  const d = await buildTableDataset(await readTable(f), f);
  const share = d.preprocessing.columns.find((c) => c.column === 'share');
  assert.ok(share && share.kind === 'numeric', JSON.stringify(share));
  // pandas: df.share (na_values=['-']) with " %" removed.
  assert.ok(close(share.mean, 54.14079422382672), String(share.mean));
  assert.ok(close(share.std, 28.000870862248174), String(share.std));
  assert.ok(!d.featureNames.some((n) => n.startsWith('share=')));
  const colour = d.preprocessing.columns.find((c) => c.column === 'colour');
  assert.ok(colour && colour.kind === 'categorical');
  assert.deepEqual([...colour.categories].sort(), ['-', 'blue', 'green', 'red']);
});

test('placeholders: the rule does not depend on a count; words that vary, or digits, are not placeholders', async () => {
  const rows = (n: number, other: (i: number) => string) => Array.from({ length: 300 }, (_, i) => [i < n ? other(i) : String(10 + (i % 97) / 7)]);
  // 40% "n/a" and "?" (two tokens): still numeric.
  const many = await buildTableDataset(tableFromRows(['v'], rows(120, (i) => (i % 2 ? 'n/a' : '--'))), 't.csv');
  assert.equal(many.columns[0].kind, 'numeric');
  assert.equal(many.columns[0].missing, 120);
  // 20 different words among numbers: not silently made missing.
  const words = await buildTableDataset(tableFromRows(['v', 'w'], rows(20, (i) => `word${String.fromCharCode(97 + i)}`).map((r, i) => [...r, String(i % 3)])), 't.csv');
  assert.notEqual(words.columns[0].kind, 'numeric');
  // More stray texts than numbers: not numeric.
  const mostly = await buildTableDataset(tableFromRows(['v', 'w'], rows(200, () => '-').map((r, i) => [...r, String(i % 3)])), 't.csv');
  assert.notEqual(mostly.columns[0].kind, 'numeric');
  for (const t of ['-', '--', '?', '.', 'n/a', 'x', 'null', 'none', '#N/A', 'k.A.', '—']) assert.ok(isPlaceholderToken(t), t);
  for (const t of ['12a', 'apple', 'unknown price', '1.2.3.4', 'yes', 'no', 'high', 'M']) assert.ok(!isPlaceholderToken(t), t);
});

test('label names: word-boundary, case-insensitive; y is a label only without an x column', () => {
  for (const n of ['target', 'Label', 'class', 'Survived', 'Churn', 'churned', 'is_fraud', 'isFraud', 'Churn Label', 'target_variable', 'diagnosis', 'species', 'outcome', 'default', 'default payment next month', 'digit', 'y']) {
    assert.ok(isLabelLikeName(n, [n]), n);
  }
  for (const n of ['pclass', 'classroom', 'subclass_count', 'targeted', 'labelled_by', 'yield', 'default_rate', 'fraudster']) assert.ok(!isLabelLikeName(n, [n]), n);
  assert.equal(isLabelLikeName('y', ['x', 'y']), false);
});

test('CLI options: no --label-column = a label-named column is the label; "none" = no label; --exclude lists columns', () => {
  const parsed = (args: string[]) => {
    const p = parseCommandLine(['fit', ...args, 'data.csv']);
    assert.ok('values' in p);
    return settingsFrom(p.values);
  };
  assert.equal(parsed([]).autoLabelColumn, true);
  assert.equal(parsed([]).labelColumn, undefined);
  const none = parsed(['--label-column', 'none']);
  assert.equal(none.autoLabelColumn, false);
  assert.equal(none.labelColumn, undefined);
  assert.equal(none.noLabelColumn, true);
  assert.deepEqual([parsed(['--label-column', 'kind']).labelColumn, parsed(['--label-column', 'kind']).autoLabelColumn], ['kind', false]);
  assert.deepEqual(parsed(['--exclude', 'a, b']).excludeColumns, ['a', 'b']);
});

test('label default: the label-named column is the label, other label-named columns are left out, "none" keeps them as features', async () => {
  const rows = Array.from({ length: 30 }, (_, i) => [String(i % 7), String((i * 3) % 11), i % 2 ? 'M' : 'B', String(i % 3)]);
  const header = ['radius', 'texture', 'diagnosis', 'target'];
  const d = await buildTableDataset(tableFromRows(header, rows), 't.csv', { autoLabel: true });
  assert.equal(d.labelColumn, 'diagnosis');
  assert.deepEqual(d.featureNames, ['radius', 'texture']);
  assert.ok(d.notes.some((n) => n.includes('"diagnosis" is named like a label') && n.includes('--label-column NAME|none')), d.notes.join('\n'));
  assert.ok(d.notes.some((n) => n.includes('"target" also named like a label')));
  const none = await buildTableDataset(tableFromRows(header, rows), 't.csv', { autoLabel: false });
  assert.equal(none.labelColumn, undefined);
  assert.ok(none.featureNames.includes('target'));
  assert.ok(none.featureNames.some((n) => n.startsWith('diagnosis=')));
});

test('skipped bad line: rows after it keep their pandas row number and their line', async () => {
  const f = path.join(TRIAL, 'sales_bad.csv');
  const t = await readTable(f);
  assert.equal(t.rows, 599);
  assert.ok(t.rowIndex);
  // Line 13 (data row 11) has 10 fields and is skipped: row 10 is line 12, the next row is 12 on line 14.
  assert.deepEqual(Array.from(t.rowIndex.subarray(9, 13)), [9, 10, 12, 13]);
  assert.deepEqual(Array.from(t.rowLine.subarray(9, 13)), [11, 12, 14, 15]);
  assert.equal(t.rowIndex[598], 599);
  const d = await buildTableDataset(t, f);
  assert.equal(d.rowIndex?.[11], 12);
  // A file without skipped records has no gaps to record.
  assert.equal((await readTable(path.join(TRIAL, 'd3.csv'))).rowIndex, undefined);
});

test('date column: dd.mm.yyyy is left out as a date, not as an identifier', async () => {
  const f = path.join(TRIAL, 'sales_bad.csv');
  const d = await buildTableDataset(await readTable(f), f);
  const date = d.columns.find((c) => c.name === 'date');
  assert.match(date?.excludedReason ?? '', /^a date column \(dd\.mm\.yyyy, e\.g\. "0?\d\.\d\d\.2024"\): dates are not clustered$/);
  assert.ok(d.notes.some((n) => /1 date column\(s\) excluded from the features: "date"/.test(n)), d.notes.join('\n'));
  assert.ok(!d.notes.some((n) => n.includes('identifier-like') && n.includes('"date"')));
  const inspection = await inspectDataset({ kind: 'table', path: f });
  assert.equal(inspection.columns.find((c) => c.name === 'date')?.date, true);
  const iso = await buildTableDataset(tableFromRows(['when', 'v'], Array.from({ length: 30 }, (_, i) => [`2024-01-${String(1 + i).padStart(2, '0')}T10:00:00`, String(i % 4)])), 't.csv');
  assert.match(iso.columns[0].excludedReason ?? '', /^a date column \(yyyy-mm-dd/);
});

test('column hints use the missing-value tokens of the fit', async () => {
  const dir = tempDir('hints');
  const lines = ['v,w', ...Array.from({ length: 100 }, (_, i) => `${i % 3 ? String(1 + i / 10) : 'geheim'},${i % 4}`)];
  const f = writeFile(dir, 'h.csv', lines.join('\n') + '\n');
  const plain = await inspectDataset({ kind: 'table', path: f });
  assert.notEqual(plain.columns[0].kind, 'numeric');
  const withNa = await inspectDataset({ kind: 'table', path: f }, undefined, { naValues: ['geheim'] });
  assert.equal(withNa.columns[0].kind, 'numeric');
});

test('JSONL: an invalid line is skipped with a note naming line and column; the other documents are kept', async () => {
  const f = path.join(TRIAL, 'broken.jsonl');
  const corpus = await loadJsonlCorpus(f, { maxDocs: 1000 });
  assert.equal(corpus.docs.length, 49);
  assert.ok(!corpus.docs.some((d) => d.ref.name.endsWith(':17')));
  const note = corpus.notes.find((n) => n.includes('not a valid JSON object'));
  assert.ok(note, corpus.notes.join('\n'));
  assert.match(note, /1 line\(s\).*line 17, column 51: Unterminated string/);
  // A file with no valid line still fails, naming the first bad line.
  const dir = tempDir('jsonl');
  const bad = writeFile(dir, 'bad.jsonl', '{"text": "a"\n[1, 2]\n');
  await assert.rejects(loadJsonlCorpus(bad, { maxDocs: 10 }), /bad\.jsonl, line 1: column 13: /);
});

test('CLI: explain and fit --rows-out number the rows after sales_bad.csv\'s skipped line 13 as pandas would (a gap at 11)', () => {
  const cliPath = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
  const cli = (...args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 120_000 });
  const dir = tempDir('rows');
  const data = path.join(TRIAL, 'sales_bad.csv');
  const model = path.join(dir, 'm.json');
  const rowsOut = path.join(dir, 'rows.csv');
  const fit = cli('fit', '-k', '3', '--rows-out', rowsOut, '-o', model, data);
  assert.equal(fit.status, 0, fit.stderr);
  const firstField = (csv: string) => csv.trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
  const expected = [...Array.from({ length: 11 }, (_, i) => i), ...Array.from({ length: 588 }, (_, i) => 12 + i)];
  assert.deepEqual(firstField(fs.readFileSync(rowsOut, 'utf8')), expected);
  const explain = cli('explain', '--model-file', model, data);
  assert.equal(explain.status, 0, explain.stderr);
  assert.deepEqual(firstField(explain.stdout), expected);
  const json = cli('explain', '--model-file', model, '--format', 'json', data);
  const rows = (JSON.parse(json.stdout) as { rows: { row: number; line: number }[] }).rows;
  assert.deepEqual(rows.slice(10, 12).map((r) => [r.row, r.line]), [[10, 12], [12, 14]]);
});

test('a word in a numeric column is called a non-numeric value read as missing, not a placeholder, with its file, line and column (trial s19 D8)', async () => {
  // trial5's bad3.csv: pandas reads x and y as text (object); NEON keeps them numeric and says so.
  const f = writeFile(tempDir('bad3-'), 'bad3.csv', 'x,y\n1,2\nfoo,bar\n3,4\n');
  const d = await buildTableDataset(await readTable(f), f);
  const note = d.notes.find((n) => n.includes('read as missing:')) ?? '';
  assert.equal(
    note,
    'bad3.csv: non-numeric values in numeric columns read as missing: "x" (1 × "foo", first at line 3, column 1), "y" (1 × "bar", first at line 3, column 2). ' +
      'If they stand for "no value", add "foo", "bar" to the missing-value tokens to say so (--na-values "foo","bar" / setting neonClusterExplorer.naValues); if they are typing errors, correct those cells.',
  );
  assert.ok(!d.notes.some((n) => /placeholder/i.test(n)), d.notes.join('\n'));
});
