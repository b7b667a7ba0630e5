import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyTablePreprocessing, readTable } from '../../../src/engine/data';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../../../src/engine/pipelineTypes';
import type { EveryRowSink } from '../../../src/engine/pipeline/everyRow';
import { bytesPerRow } from '../../../src/engine/pipeline/rowBudget';
import { RowResultsReader } from '../../../src/engine/pipeline/rowResultsFile';
import { CancelledError } from '../../../src/engine/errors';
import { Rng } from '../../../src/engine/rng';
import { tempDir } from './syntheticData';

// 4,000 rows of three overlapping groups, sorted by `t` (the first rows alone would be biased),
// with a label column and one text column; a budget that fits 500 rows.
const dir = tempDir('every-row');
const file = path.join(dir, 'sorted.csv');
const N = 4000;
{
  const rng = new Rng(11);
  const lines = ['t,a,b,kind,group'];
  for (let i = 0; i < N; i++) {
    const g = i % 3;
    lines.push(`${i},${(rng.normal() + g * 2.5).toFixed(4)},${(rng.normal() - g).toFixed(4)},${['x', 'y', 'z'][(i * 7) % 3]},g${g}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
const budgetMb = (500 * bytesPerRow(5)) / 2 ** 20;
const settings: ClusterSettings = { ...DEFAULT_SETTINGS, k: 3, restarts: 2, flippingSample: 0, labelColumn: 'group', memoryBudgetMb: budgetMb };

/** Squared-distance nearest centroid of each row of X (N × D, row-major). */
function nearest(X: { rows: number; cols: number; data: Float64Array }, centroids: Float64Array, k: number): Int32Array {
  const out = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let d = 0;
      for (let j = 0; j < X.cols; j++) d += (X.data[i * X.cols + j] - centroids[c * X.cols + j]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

test('beyond the budget: a sample is fitted, every row is assigned (nearest centroid) and explained in a streaming pass', async () => {
  const resultsFile = path.join(dir, 'store', 'rows.bin');
  const streamed: { rows: number; line: number[]; cluster: number[]; evidence: number[] } = { rows: 0, line: [], cluster: [], evidence: [] };
  const sink: EveryRowSink = {
    write(chunk) {
      assert.equal(chunk.firstRow, streamed.rows);
      streamed.rows += chunk.rows;
      streamed.line.push(...chunk.rowLine);
      streamed.cluster.push(...chunk.cluster);
      streamed.evidence.push(...chunk.evidence);
    },
  };
  const stages: string[] = [];
  const { result } = await runPipeline({ kind: 'table', path: file }, { ...settings, rowResultsFile: resultsFile }, { onProgress: (p) => stages.push(p.stage) }, undefined, { everyRowSinks: [sink] });

  const sel = result.rowSelection;
  assert.ok(sel && sel.method === 'sample', JSON.stringify(sel));
  assert.equal(sel.rows, 500);
  assert.equal(result.dataset.rows, 500);
  assert.equal(sel.totalRows, N);
  assert.equal(sel.explainedRows, N);
  assert.ok(stages.includes('explaining every row'));
  assert.ok(
    result.notes.includes(
      `sorted.csv: 500 of 4,000 rows fitted: a uniform random sample (seed 42) of the rows that fit the memory budget of ${Number(budgetMb.toPrecision(2))} MB; all 4,000 rows assigned and explained in a streaming pass (cluster sizes, mean relevance and evidence count every row; the map, quality and per-row lists show the sample).`,
    ),
    result.notes.join('\n'),
  );

  // Every row of the file, in order, each assigned to the fitted model's nearest centroid.
  assert.equal(streamed.rows, N);
  assert.deepEqual(streamed.line, Array.from({ length: N }, (_, i) => i + 2));
  assert.equal(result.model.kind, 'kmeans');
  if (result.model.kind !== 'kmeans' || result.preprocessing.kind !== 'table') return;
  const whole = await readTable(file);
  const X = applyTablePreprocessing(whole, result.preprocessing, file);
  const expected = nearest(X, result.model.centroids, 3);
  assert.deepEqual(streamed.cluster, Array.from(expected));

  // Cluster sizes count every row and equal the nearest-centroid counts.
  const counts = [0, 0, 0];
  for (const c of expected) counts[c]++;
  assert.deepEqual(
    result.clusters.map((c) => c.size),
    counts,
  );
  assert.equal(
    result.clusters.reduce((s, c) => s + c.size, 0),
    N,
  );
  // Mean evidence per cluster is over every row.
  for (let c = 0; c < 3; c++) {
    const mine = streamed.evidence.filter((_, i) => expected[i] === c);
    assert.ok(Math.abs(result.clusters[c].meanEvidence - mine.reduce((s, e) => s + e, 0) / mine.length) < 1e-9);
  }

  // Weak assignments are counted over every row, against 0.2 x the sample's median evidence.
  const sorted = Array.from(result.evidence).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const cut = 0.2 * (sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
  const weak = streamed.evidence.filter((e) => e < cut).length;
  assert.equal(
    result.clusters.reduce((n, c) => n + (c.weakMembers ?? 0), 0),
    weak,
  );
  if (weak > 0) assert.ok(result.notes.includes(`${weak} row(s) are weakly assigned: their evidence is below 20% of the median, so they sit near a boundary between clusters.`), result.notes.join('\n'));

  // The sample's own rows get the same cluster and evidence in the pass as in the fitted run.
  const ds = result.dataset;
  assert.equal(ds.kind, 'table');
  if (ds.kind !== 'table') return;
  for (let i = 0; i < ds.rows; i++) {
    const at: number = ds.rowLine[i] - 2;
    assert.equal(streamed.cluster[at], result.assignments[i]);
    assert.ok(Math.abs(streamed.evidence[at] - result.evidence[i]) <= 1e-9 * Math.max(1, Math.abs(result.evidence[i])));
  }

  // The results file holds every row, found by line; a row outside the sample too.
  assert.deepEqual(result.rowResults, { file: resultsFile, rows: N });
  const reader = RowResultsReader.open(resultsFile, result.units.length);
  try {
    assert.equal(reader.rows, N);
    const sampled = new Set(Array.from(ds.rowLine));
    let outside = 2;
    while (sampled.has(outside)) outside++;
    const [row] = reader.rowsInLines(outside, outside);
    assert.equal(row.line, outside);
    assert.equal(row.row, outside - 2);
    assert.equal(row.cluster, expected[outside - 2]);
    assert.equal(row.evidence, streamed.evidence[outside - 2]);
    // Relevance over the units: the label column carries none.
    const group = result.units.indexOf('group');
    assert.equal(row.relevance[group], 0);
    const some = reader.rowsInLines(100, 109);
    assert.deepEqual(
      some.map((r) => r.line),
      [100, 101, 102, 103, 104, 105, 106, 107, 108, 109],
    );
    assert.deepEqual(reader.rowsInLines(N + 2, N + 50), []);
    assert.deepEqual(reader.rowsInLines(1, 1), []);
    // The row covering a line is the last one starting on or before it (a record over several lines).
    assert.equal(reader.rowStartingAtOrBefore(1), undefined, 'the header line: no row starts on or before it');
    assert.equal(reader.rowStartingAtOrBefore(2)?.row, 0);
    assert.equal(reader.rowStartingAtOrBefore(outside)?.row, outside - 2);
    assert.equal(reader.rowStartingAtOrBefore(N + 50)?.row, N - 1);
  } finally {
    reader.close();
  }
});

test('every-row pass: cancelled mid-pass leaves no half-written results file', async () => {
  const resultsFile = path.join(dir, 'cancelled', 'rows.bin');
  const controller = new AbortController();
  const run = runPipeline({ kind: 'table', path: file }, { ...settings, rowResultsFile: resultsFile }, {
    signal: controller.signal,
    onProgress: (p) => {
      // The stage's start: the pass sees the abort at its first chunk.
      if (p.stage === 'explaining every row') controller.abort();
    },
  }, undefined, { everyRowSinks: [] });
  await assert.rejects(run, (e) => e instanceof CancelledError);
  assert.equal(fs.existsSync(resultsFile), false);
});

test('a given model (a restored session, a model file) beyond the budget: a sample is kept in memory and every row explained', async () => {
  const fitted = await runPipeline({ kind: 'table', path: file }, settings);
  const r = fitted.result;
  const again = await runPipeline({ kind: 'table', path: file }, settings, undefined, { model: r.model, preprocessing: r.preprocessing, featureNames: r.featureNames });
  const sel = again.result.rowSelection;
  assert.ok(sel && sel.method === 'sample' && sel.modelGiven === true, JSON.stringify(sel));
  assert.equal(sel.explainedRows, N);
  assert.equal(again.result.dataset.rows, sel.rows);
  // The same model on the same rows: the same clusters, sizes over every row.
  assert.deepEqual(
    again.result.clusters.map((c) => c.size),
    r.clusters.map((c) => c.size),
  );
  assert.ok(again.result.notes.some((n) => /^sorted\.csv: 500 of 4,000 rows kept in memory: a uniform random sample \(seed 42\).*; all 4,000 rows assigned and explained in a streaming pass/.test(n)), again.result.notes.join('\n'));
});
