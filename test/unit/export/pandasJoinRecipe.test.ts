/**
 * The README's pandas recipe for joining an Export Explanations… CSV back to the user's table,
 * run with Debian's python3 + pandas on a real export (trial s22 D6: the recipe
 * `df.join(pd.read_csv(export).set_index('row'))` failed with "columns overlap but no suffix
 * specified": the export repeats the id and label cells the table already has).
 * The export is built as the extension builds it (files.ts: keyColumnNames + the cells of those
 * columns + toCsv) from the trial's sensors.csv (its first 100 rows: pandas to_csv with its index `Unnamed: 0`, a date and a label column).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { tableRowsText } from '../../../src/engine/data/cellColumn';
import { readTable } from '../../../src/engine/data/tableFormats';
import { keyColumnNames, toCsv } from '../../../src/engine/export/explanations';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { FIXTURES, tempDir } from '../data/fixturePaths';

const PYTHON = '/usr/bin/python3';
const SENSORS = path.join(FIXTURES, 'trial7', 'sensors.csv');
const dir = tempDir('pandas-join');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The recipe as the README gives it (section "What you can do", Export Explanations…). */
const RECIPE = `out = df.join(pd.read_csv(export, index_col='row').drop(columns=df.columns, errors='ignore'))`;

function pandasMissing(): string | undefined {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import pandas'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `pandas is not installed for ${PYTHON} (apt-get install python3-pandas; .ci/run does)`;
}

test('README join recipe: the export of a table with an id, a date and a label column joins back to the pandas table', { skip: pandasMissing() }, async () => {
  const { result } = await runPipeline({ kind: 'table', path: SENSORS }, { ...DEFAULT_SETTINGS, k: 3, flippingSample: 0, restarts: 2 });
  const names = keyColumnNames(result);
  const table = await readTable(SENSORS);
  const rows = tableRowsText(table.columns, table.rows);
  const keys = names.map((name) => ({ name, cells: rows.map((r) => r[table.header.indexOf(name)] ?? '') }));
  const exportFile = path.join(dir, 'sensors.neon-explanations.csv');
  fs.writeFileSync(exportFile, toCsv(result, keys));
  const readme = fs.readFileSync(path.join(FIXTURES, '..', '..', 'README.md'), 'utf8');
  assert.ok(readme.includes(RECIPE), 'the README gives this recipe');
  const script = [
    'import json, sys',
    'import pandas as pd',
    'df = pd.read_csv(sys.argv[1]); export = sys.argv[2]',
    'old = None',
    'try:',
    "    df.join(pd.read_csv(export).set_index('row'))",
    'except ValueError as e:',
    '    old = str(e)',
    RECIPE,
    "print(json.dumps({'old': old, 'rows': len(out), 'columns': list(out.columns), 'clusters': out['cluster'].isna().sum().item(), 'first': out['cluster'].head(5).tolist()}))",
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script, SENSORS, exportFile], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { old: string | null; rows: number; columns: string[]; clusters: number; first: number[] };
  // The recipe this replaces fails on such a table, as the trial found.
  assert.match(got.old ?? '', /columns overlap but no suffix specified/);
  assert.ok(names.length > 0, 'the export repeats key columns of the table');
  assert.equal(got.rows, table.rows);
  assert.equal(got.clusters, 0, 'every row has its cluster');
  assert.deepEqual(got.first, Array.from(result.assignments.slice(0, 5)));
  assert.deepEqual(got.columns.slice(0, 8), table.header.map((h) => (h === '' ? 'Unnamed: 0' : h)));
  assert.ok(got.columns.includes('evidence') && got.columns.some((c) => c.startsWith('R:')), got.columns.join(', '));
  assert.equal(new Set(got.columns).size, got.columns.length, 'no column twice');
});
