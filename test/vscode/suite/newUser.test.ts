// Extension-host tests of what a new user met in trial 2 (issue 12): a CSV hover on a column
// that is not a feature says why (here: the label column) and shows no "Relevance +0.000".
// sales_de.csv is the trial's file (test/fixtures/e2e-ux), copied into the workspace.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Session } from '../../../src/extension/session';
import { itemName } from '../../../src/extension/views/clusterTree';
import { hoverAt, panelAfterReady, workspaceUri } from './support';

const DATA = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'e2e-ux');

suite('Trial 2: hovers of columns that are not features', function () {
  this.timeout(240_000);

  test('the label column and an identifier: "Not a feature: <why>", no relevance line', async () => {
    const sales = workspaceUri('sales_de.csv');
    fs.copyFileSync(path.join(DATA, 'sales_de.csv'), sales.fsPath);
    const session = await vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', sales, { choices: { labelColumn: 'churned', excludeColumns: [], k: 2, model: 'kmeans', textColumn: null } });
    assert.ok(session, 'clustered');
    const doc = await vscode.workspace.openTextDocument(sales);
    // Line 2 (the first data row): 100001;01.01.2024;1.234,93 €;1;10,2;Süd;ok;yes
    const line = doc.lineAt(1).text;
    const label = await hoverAt(doc, new vscode.Position(1, line.lastIndexOf('yes') + 1));
    assert.match(label, /churned = yes/);
    assert.match(label, /Not a feature: label column/);
    assert.doesNotMatch(label, /Relevance/);
    assert.match(label, /Row 0 is in Cluster \d/);
    const id = await hoverAt(doc, new vscode.Position(1, 2));
    assert.match(id, /order_id = 100001/);
    assert.match(id, /Not a feature: \S/);
    assert.doesNotMatch(id, /Relevance/);
    const price = await hoverAt(doc, new vscode.Position(1, line.indexOf('1.234') + 1));
    assert.match(price, /Relevance [+-]\d/, 'a feature still shows its relevance');
  });
});

suite('A CSV text column\'s documents are named by the line their record starts on', function () {
  this.timeout(240_000);

  test('tree, panel list and word hover name a review "reviews.csv:L", and line L holds its record', async () => {
    // The sample's reviews, every third one with a quoted line break, so lines and rows part ways.
    const shops = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'samples', 'coffee-shops.csv'), 'utf8').trimEnd().split('\n').slice(1);
    const records = shops.map((l, r) => {
      const id = l.split(',')[0]!;
      const review = /"([^"]*)"/.exec(l)![1]!;
      return `${id},"${r % 3 === 1 ? review.replace('; ', ';\n') : review}"`;
    });
    const file = workspaceUri('reviews.csv');
    fs.writeFileSync(file.fsPath, ['id,review', ...records].join('\n') + '\n');
    const session = await vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', file, { choices: { textColumn: 'review', labelColumn: null, excludeColumns: [], k: 3, model: 'kmeans' } });
    assert.ok(session, 'clustered');
    const ds = session.result.dataset;
    assert.ok(ds.kind === 'text');
    assert.strictEqual(ds.documents.length, records.length);
    const doc = await vscode.workspace.openTextDocument(file);
    const lines = ds.documents.map((d, r) => {
      const m = /^reviews\.csv:(\d+)$/.exec(d.name);
      assert.ok(m, `row ${r} is named ${d.name}`);
      const line = Number(m[1]);
      assert.ok(doc.lineAt(line - 1).text.startsWith(`${shops[r]!.split(',')[0]},`), `${d.name}: line ${line} starts row ${r}'s record`);
      assert.strictEqual(itemName(session, r), d.name, 'the tree and the panel list show the name');
      return line;
    });
    assert.deepStrictEqual(lines.slice(0, 5), [2, 3, 5, 6, 7], 'row 1 spans lines 3-4');
    // A word of row 4 (line 7): the hover names its document.
    const text = doc.lineAt(6).text;
    const hover = await hoverAt(doc, new vscode.Position(6, text.indexOf('"') + 3));
    assert.match(hover, /" in reviews\.csv:7\n/);
    // The panel's list: the names the webview receives. Show Clusters Panel shows the active
    // editor's dataset, so reviews.csv is brought to the front first (an editor of the suite
    // before, sales_de.csv, may still be the active one).
    await vscode.window.showTextDocument(doc);
    const { session: sent, stop } = await panelAfterReady();
    stop();
    assert.deepStrictEqual(sent.session.itemNames.slice(0, 3), ['reviews.csv:2', 'reviews.csv:3', 'reviews.csv:5']);
  });
});
