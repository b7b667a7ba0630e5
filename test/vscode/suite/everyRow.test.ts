// Issue 9 "Every row, by default": a table beyond the memory budget is fitted on a uniform
// sample, and every row of the file is still assigned and explained (the worker's streaming
// pass writes the results file in the extension's storage). A row OUTSIDE the sample gets its
// hover (cluster = the fitted model's nearest centroid) and its cell colours, like any other.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { rowsPhrase } from '../../../src/extension/jobMessages';
import type { Session } from '../../../src/extension/session';
import type { NeonTestApi } from '../../../src/extension/testApi';
import { api, hoverAt, waitFor, workspaceUri } from './support';

const ROWS = 12_000;

/** A small deterministic generator (the test must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

suite('Issue 9: every row of a table beyond the memory budget', function () {
  this.timeout(240_000);
  let neon: NeonTestApi;
  let uri: vscode.Uri;
  let session: Session;
  const config = () => vscode.workspace.getConfiguration('neonClusterExplorer');

  suiteSetup(async () => {
    neon = await api();
    uri = workspaceUri('many-rows.csv');
    // 12,000 rows x 3 numeric columns, three groups in turn; a 1 MB budget fits about 5,000.
    const rand = lcg(9);
    const lines = ['a,b,c'];
    for (let i = 0; i < ROWS; i++) {
      const g = i % 3;
      lines.push(`${(g * 4 + rand() * 2).toFixed(3)},${(g * -3 + rand() * 2).toFixed(3)},${(rand() * 2).toFixed(3)}`);
    }
    fs.writeFileSync(uri.fsPath, lines.join('\n') + '\n');
    // memoryBudgetMb is machine-scoped: only user settings hold it.
    await config().update('memoryBudgetMb', 1, vscode.ConfigurationTarget.Global);
    const s = await vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', uri, { ask: false, choices: { k: 3 } });
    assert.ok(s, 'clustered');
    session = s;
  });

  suiteTeardown(async () => {
    await config().update('memoryBudgetMb', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a sample is fitted, every row assigned and explained, and the messages say so', () => {
    const sel = session.result.rowSelection;
    assert.ok(sel && sel.method === 'sample', JSON.stringify(sel));
    assert.ok(sel.rows < ROWS && sel.rows > 1000, String(sel.rows));
    assert.strictEqual(sel.totalRows, ROWS);
    assert.strictEqual(sel.explainedRows, ROWS);
    assert.strictEqual(session.result.clusters.reduce((n, c) => n + c.size, 0), ROWS);
    assert.ok(session.result.rowResults && fs.existsSync(session.result.rowResults.file), 'results file in the extension storage');
    assert.ok(!session.result.rowResults.file.startsWith(vscode.workspace.workspaceFolders![0]!.uri.fsPath), 'never next to the user data');
    assert.strictEqual(
      rowsPhrase(session.result),
      `all 12,000 rows (fitted on a uniform random sample of ${sel.rows.toLocaleString('en')}, seed ${session.spec.settings.seed}, to fit the 1 MB memory budget; every row assigned and explained)`,
    );
  });

  test('hover on a row outside the sample: its cluster (nearest centroid) and evidence', async () => {
    const ds = session.result.dataset;
    assert.ok(ds.kind === 'table');
    const model = session.result.model;
    const pre = session.result.preprocessing;
    assert.ok(model.kind === 'kmeans' && pre.kind === 'table');
    const sampled = new Set(Array.from(ds.rowLine));
    let line1 = 2;
    while (sampled.has(line1)) line1++; // first 1-based line whose row was not fitted
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const text = doc.lineAt(line1 - 1).text;
    // The fitted model's nearest centroid of that row, from its own preprocessing.
    const values = text.split(',').map(Number);
    const z = pre.columns.map((c) => {
      assert.ok(c.kind === 'numeric');
      return (values[['a', 'b', 'c'].indexOf(c.column)]! - c.mean) / c.std;
    });
    let expected = -1;
    let best = Infinity;
    for (let k = 0; k < model.k; k++) {
      let d = 0;
      for (let j = 0; j < z.length; j++) d += (z[j]! - model.centroids[k * model.dim + j]!) ** 2;
      if (d < best) [best, expected] = [d, k];
    }
    const at = text.indexOf(',') + 1; // column b
    const shown = await hoverAt(doc, new vscode.Position(line1 - 1, at + 1));
    assert.ok(shown.includes(`b = ${text.split(',')[1]}`), shown);
    assert.match(shown, /Relevance [+-]\d/);
    // Rows are numbered from 0 as pandas does (line 1 is the header): line L holds row L - 2.
    assert.ok(shown.includes(`Row ${line1 - 2} is in Cluster ${expected} with evidence`), shown);
    assert.ok(shown.includes('Not in the fitted sample'), shown);
  });

  test('cells of rows outside the sample are coloured too', async () => {
    const ds = session.result.dataset;
    assert.ok(ds.kind === 'table');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    editor.revealRange(new vscode.Range(5000, 0, 5000, 0), vscode.TextEditorRevealType.AtTop);
    // The decorated window: the visible lines plus a margin (editor/visible.ts).
    const count = await waitFor('CSV decorations around line 5000', () => {
      const visible = editor.visibleRanges[0];
      if (!visible || visible.start.line < 4000) return undefined;
      const c = neon.getState().lastDecorationCounts;
      return c.for + c.against > 0 ? { c, first: Math.max(0, visible.start.line - 100), last: editor.visibleRanges[editor.visibleRanges.length - 1]!.end.line + 100 } : undefined;
    });
    let sampledInWindow = 0;
    for (const l of ds.rowLine) if (l - 1 >= count.first && l - 1 <= count.last) sampledInWindow++;
    // The sample alone could colour at most 3 cells per sampled line; every row is coloured.
    const cells = count.c.for + count.c.against;
    assert.ok(cells > 3 * sampledInWindow, `${cells} coloured cells, ${sampledInWindow} sampled lines in lines ${count.first}..${count.last}`);
  });

  test('Export… writes every row of the file, not only the fitted sample (trial s18)', async () => {
    const sel = session.result.rowSelection;
    assert.ok(sel && sel.rows < ROWS);
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'many-rows.export.csv');
    try {
      const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('neon.exportExplanations', target);
      assert.ok(written, 'exported');
      const lines = fs.readFileSync(target.fsPath, 'utf8').trimEnd().split('\n');
      assert.strictEqual(lines[0], 'row,line,cluster,cluster_label,evidence,probability,R:a,R:b,R:c');
      assert.strictEqual(lines.length - 1, ROWS, `${lines.length - 1} rows exported, the sample has ${sel.rows}`);
      // In file order, numbered as pandas numbers them, each on its own line of the file.
      assert.ok(lines[1]!.startsWith('0,2,'), lines[1]);
      assert.ok(lines[ROWS]!.startsWith(`${ROWS - 1},${ROWS + 1},`), lines[ROWS]);
      // Cluster sizes over the export are the tree's (which count every row).
      const sizes = new Array<number>(session.result.clusters.length).fill(0);
      for (const l of lines.slice(1)) sizes[Number(l.split(',')[2])]!++;
      assert.deepStrictEqual(sizes, session.result.clusters.map((c) => c.size));
    } finally {
      fs.rmSync(target.fsPath, { force: true });
    }
  });

  test('Remove Dataset deletes its every-row results file and its stored model (nothing left in the storage)', async () => {
    const rows = session.result.rowResults?.file;
    assert.ok(rows && fs.existsSync(rows), 'the results file exists before');
    const stored = (await neon.storedResults()).find((e) => e.uri === uri.toString());
    assert.ok(stored, 'the model is stored before');
    const removed = await vscode.commands.executeCommand<boolean>('neon.removeDataset', uri);
    assert.strictEqual(removed, true);
    await neon.storedResults(); // pending deletions done
    await waitFor('the every-row results file to be deleted', () => !fs.existsSync(rows));
    assert.ok(!fs.existsSync(`${neon.resultsFolder}/${stored.modelFile}`), 'the stored model is deleted');
  });
});

