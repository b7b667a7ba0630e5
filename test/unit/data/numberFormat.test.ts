/**
 * Numbers as people write them, per column: each kind read to the right value through the
 * whole reader (file -> columnar table -> features), with the note that says what was done.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { loadDataset } from '../../../src/engine/data';
import { readTable } from '../../../src/engine/data/tableFormats';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../../../src/engine/pipelineTypes';
import type { TableDataset } from '../../../src/engine/types';
import { Rng } from '../../../src/engine/rng';
import { tempDir, writeFile } from './fixturePaths';

const dir = tempDir('numfmt');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function load(name: string, text: string | Buffer, settings: Partial<ClusterSettings> = {}): Promise<TableDataset> {
  const d = await loadDataset({ kind: 'table', path: writeFile(dir, name, text) }, { ...DEFAULT_SETTINGS, ...settings });
  assert.equal(d.kind, 'table');
  return d as TableDataset;
}

/** The values of a numeric column as read (undoing the standardisation; NaN = missing). */
async function columnValues(name: string, text: string | Buffer, column: string, settings: Partial<ClusterSettings> = {}): Promise<{ values: number[]; notes: readonly string[] }> {
  const t = await readTable(writeFile(dir, name, text), { ...(settings.naValues ? { naValues: settings.naValues } : {}) });
  const d = await load(name, text, settings);
  const j = t.header.indexOf(column);
  assert.ok(j >= 0, `no column ${column} in ${t.header.join(',')}`);
  const f = d.featureNames.indexOf(column);
  assert.ok(f >= 0, `${column} is not a numeric feature: ${d.featureNames.join(',')} / ${d.notes.join(' | ')}`);
  const pre = d.preprocessing.columns.find((c) => c.column === column);
  assert.ok(pre && pre.kind === 'numeric');
  const missing = new Set<number>();
  const col = t.columns[j];
  const kinds = col.kinds;
  const values: number[] = [];
  for (let i = 0; i < d.features.rows; i++) {
    const x = d.features.data[i * d.features.cols + f] * pre.std + pre.mean;
    values.push(Math.round(x * 1e6) / 1e6);
    if (kinds && (kinds[i] === 1 || kinds[i] === 2 || kinds[i] === 3)) missing.add(i);
  }
  return { values: values.map((v, i) => (missing.has(i) ? NaN : v)), notes: d.notes };
}

const has = (notes: readonly string[], re: RegExp): void => assert.ok(notes.some((n) => re.test(n)), `no note matching ${re}:\n${notes.join('\n')}`);

test('quoted thousands separators in a comma file (case 02 kind): "1,250" is 1250, with a note', async () => {
  const { values, notes } = await columnValues('thousands.csv', 'store,revenue,n\na,"1,250",1\nb,"12,400",2\nc,"1,180",3\nd,"980",4\n', 'revenue');
  assert.deepEqual(values, [1250, 12400, 1180, 980]);
  has(notes, /thousands\.csv: column "revenue" read as numbers: thousands separator comma removed in 3 cell\(s\) \(e\.g\. "1,250"\)/);
});

test('German ";" prices mixing "89,90" and "1.299": the decimal comma decides, so 1.299 is 1299', async () => {
  const text = 'artikel;preis;menge\nA;89,90;1\nB;1.299;2\nC;12,50;3\nD;2.499,00;4\nE;5;5\n';
  const { values, notes } = await columnValues('preise.csv', text, 'preis');
  assert.deepEqual(values, [89.9, 1299, 12.5, 2499, 5]);
  has(notes, /column "preis" read as numbers: thousands separator point removed/);
});

test('the same "1.299" with a decimal point elsewhere in its column is 1.299 (per column, not per file)', async () => {
  const text = 'a;b\n1.299;89,90\n2.5;1.299\n3.75;7\n';
  const a = await columnValues('percol.csv', text, 'a');
  const b = await columnValues('percol.csv', text, 'b');
  assert.deepEqual(a.values, [1.299, 2.5, 3.75]);
  assert.deepEqual(b.values, [89.9, 1299, 7]);
});

test('comma thousands with a decimal point, and point thousands with a decimal comma', async () => {
  const us = await columnValues('us.csv', 'x,y\n"1,234.56",1\n"12,345.6",2\n"999.5",3\n"1,000,000",4\n', 'x');
  assert.deepEqual(us.values, [1234.56, 12345.6, 999.5, 1000000]);
  const eu = await columnValues('eu.csv', 'x;y\n1.234,56;1\n12.345,6;2\n999,5;3\n1.000.000;4\n', 'x');
  assert.deepEqual(eu.values, [1234.56, 12345.6, 999.5, 1000000]);
});

test('space, no-break space, narrow no-break space and apostrophe as thousands separators', async () => {
  const text = 'fr;ch;nb;y\n1 250,5;1\'250.50;1\u00a0250;1\n2 500,25;12\'000.75;2\u202f000;2\n750;999;3;3\n';
  assert.deepEqual((await columnValues('spaces.csv', text, 'fr')).values, [1250.5, 2500.25, 750]);
  assert.deepEqual((await columnValues('spaces.csv', text, 'ch')).values, [1250.5, 12000.75, 999]);
  const nb = await columnValues('spaces.csv', text, 'nb');
  assert.deepEqual(nb.values, [1250, 2000, 3]);
  has(nb.notes, /column "nb" read as numbers: thousands separator no-break space removed in 1 cell\(s\).*thousands separator narrow no-break space removed in 1 cell/);
});

test('currency signs and codes, percent and accounting negatives', async () => {
  const text = 'price,share,balance,k\n"€1,250.00",12 %,"(1,250)",1\n$980.50,7.5%,300,2\n"USD 2,000",100 %,(12.5),3\n£15,0%,"-€40",4\n';
  const price = await columnValues('money.csv', text, 'price');
  assert.deepEqual(price.values, [1250, 980.5, 2000, 15]);
  has(price.notes, /column "price" read as numbers: .*currency €, \$, USD, £ removed \(e\.g\. "€1,250\.00"\)/);
  const share = await columnValues('money.csv', text, 'share');
  assert.deepEqual(share.values, [12, 7.5, 100, 0]);
  has(share.notes, /column "share" read as numbers: percent sign removed, values are in percent \(e\.g\. "12 %"\)/);
  const balance = await columnValues('money.csv', text, 'balance');
  assert.deepEqual(balance.values, [-1250, 300, -12.5, -40]);
  has(balance.notes, /column "balance" read as numbers: .*2 accounting negative\(s\) in parentheses read as negative \(e\.g\. "\(1,250\)"\)/);
});

test('a ";" column of only "1.299"-like values is read with the decimal-comma convention, and the note says it was a choice', async () => {
  const { values, notes } = await columnValues('ambig.csv', 'p;q\n1.299;1\n2.345;2\n999;3\n', 'p');
  assert.deepEqual(values, [1299, 2345, 999]);
  has(notes, /column "p": 2 value\(s\) like "1\.299" could be read two ways and no value in the column shows its decimal separator; read with a decimal comma/);
  const point = await columnValues('ambig2.csv', 'p,q\n1.299,1\n2.345,2\n999,3\n', 'p');
  assert.deepEqual(point.values, [1.299, 2.345, 999]);
  has(point.notes, /column "p": 2 value\(s\) like "1\.299" could be read two ways .* read with a decimal point/);
});

test('a column mixing both conventions is named; its ambiguous cells are missing, never silently mis-read', async () => {
  const d = await load('mixed.csv', 'v;w\n1.5;1\n2,5;2\n1.299;3\n4;4\n');
  assert.equal(d.columns[0].kind, 'numeric');
  assert.equal(d.columns[0].missing, 1);
  const pre = d.preprocessing.columns[0];
  assert.ok(pre.kind === 'numeric');
  // The three readable cells 1.5, 2.5, 4: their mean; the unreadable one is filled with it.
  assert.ok(Math.abs(pre.mean - 8 / 3) < 1e-12);
  has(d.notes, /mixed\.csv: column "v" mixes a decimal point and a decimal comma; 1 value\(s\) like "1\.299" cannot be read unambiguously and are treated as missing/);
});

test('a numeric column whose values are all distinct is a feature, not an identifier', async () => {
  const rows = Array.from({ length: 30 }, (_, i) => `${1000 + i * 37},${i % 3}`);
  const d = await load('distinct.csv', 'revenue,grp\n' + rows.join('\n') + '\n');
  assert.equal(d.columns[0].kind, 'numeric');
  assert.ok(d.featureNames.includes('revenue'));
});

test('plain numbers are read exactly (the byte-level fast path equals Number() on the text)', async () => {
  const rng = new Rng(3);
  const texts: string[] = ['9.99e307', '-1.7976931348623157e308', '5e-324', '0.1', '0.30000000000000004', '123456789012345678901234567890', '1e22', '1e23', '-0.000001234', '00012.5000', '.5', '7.', '+3.25', '4.9406564584124654e-324'];
  for (let i = 0; i < 3000; i++) {
    const v = (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 40 - 20);
    texts.push(i % 3 === 0 ? String(v) : i % 3 === 1 ? v.toFixed(Math.floor(rng.next() * 12)) : v.toExponential(Math.floor(rng.next() * 16)));
  }
  const t = await readTable(writeFile(dir, 'exact.csv', 'x\n' + texts.join('\n') + '\n'));
  const col = t.columns[0];
  for (let i = 0; i < texts.length; i++) {
    const want = Number(texts[i]);
    const kind = col.kinds ? col.kinds[i] : 0;
    // 1.299-like cells hold their decimal-point reading; everything here is a number.
    assert.ok(kind === 0 || kind === 5, `${texts[i]}: kind ${kind}`);
    assert.ok(Object.is(col.values[i], want), `${texts[i]}: read ${col.values[i]}, Number() gives ${want}`);
  }
});

test('numbers beyond float64 are infinite (missing with a note), also without an exponent', async () => {
  const t = await readTable(writeFile(dir, 'overflow.csv', `x\n1\n${'9'.repeat(400)}\n1e400\n-${'9'.repeat(320)}.5\n2\n`));
  assert.deepEqual(Array.from(t.columns[0].kinds ?? []), [0, 4, 4, 4, 0]);
  assert.deepEqual(Array.from(t.columns[0].values), [1, Infinity, Infinity, -Infinity, 2]);
});

test('missing values: the default tokens, counted per column in a note', async () => {
  const d = await load('na.csv', 'a,b,c\n1,NA,x\n2,,y\nn/a,5,x\n4,null,y\n5,6,#N/A\n6,?,x\n');
  assert.deepEqual(d.columns.map((c) => c.missing), [1, 4, 1]);
  has(d.notes, /na\.csv: missing cells per column: "a" 1 \("n\/a" ×1\), "b" 4 \(empty ×1, "NA" ×1, "null" ×1, "\?" ×1\), "c" 1 \("#N\/A" ×1\)/);
});

test('NA among two-letter country codes and None among categories are values, with a note', async () => {
  const codes = ['US', 'DE', 'FR', 'NA', 'US', 'DE', 'NA', 'FR', 'IT', 'ES'];
  const d = await load('countries.csv', 'country,level,x\n' + codes.map((c, i) => `${c},${['Low', 'None', 'High'][i % 3]},${i}`).join('\n') + '\n');
  assert.ok(d.featureNames.includes('country=NA'), d.featureNames.join(','));
  assert.ok(d.featureNames.includes('level=None'), d.featureNames.join(','));
  assert.equal(d.columns[0].missing, 0);
  has(d.notes, /countries\.csv: "NA" in column "country" \(2 cell\(s\)\) is read as a value, not as missing: the column's other values look like it/);
  has(d.notes, /"None" in column "level" \(3 cell\(s\)\) is read as a value/);
  // Named by the user, the token is missing even where it looks like a value.
  const user = await load('countries.csv', 'country,level,x\n' + codes.map((c, i) => `${c},${['Low', 'None', 'High'][i % 3]},${i}`).join('\n') + '\n', { naValues: ['NA'] });
  assert.equal(user.columns[0].missing, 2);
  assert.ok(!user.featureNames.includes('country=NA'));
});

test('--na-values / keep_default_na: user tokens (also numeric ones) are missing; without the defaults "NA" is text', async () => {
  const more = Array.from({ length: 20 }, (_, i) => `${6 + i},${(i * 1.7).toFixed(1)},${i % 2 ? 'x' : 'y'}`).join('\n');
  const text = `a,b,g\n1,unknown,x\n2,-999,y\n3,7,x\n4,8.5,y\n5,NA,x\n${more}\n`;
  const d = await load('user-na.csv', text, { naValues: ['unknown', '-999'] });
  assert.equal(d.columns[1].kind, 'numeric');
  assert.equal(d.columns[1].missing, 3);
  has(d.notes, /"b" 3 \("unknown" ×1, "-999" ×1, "NA" ×1\)/);
  const noDefaults = await load('user-na.csv', text, { naValues: ['unknown', '-999'], keepDefaultNa: false });
  // "NA" is now a placeholder in a numeric column: missing, with its line and how to make it explicit.
  has(noDefaults.notes, /non-numeric values in numeric columns read as missing: "b" \(1 × "NA", first at line 6, column 2\)\. If they stand for "no value", add "NA" to the missing-value tokens/);
});
