// Extension-host tests of what a new user met in trial 2 (issue 12): a CSV hover on a column
// that is not a feature says why (here: the label column) and shows no "Relevance +0.000".
// sales_de.csv is the trial's file (test/fixtures/e2e-ux), copied into the workspace.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Session } from '../../../src/extension/session';
import { hoverAt, workspaceUri } from './support';

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
