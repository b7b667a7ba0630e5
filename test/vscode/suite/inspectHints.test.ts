// Extension-host test: the Cluster Dataset… / Re-cluster… column hints come from the worker's
// inspection with the fit's missing-value tokens (setting naValues), and a date column is
// shown as a date (trial 2: the hints said "categorical · 94 values" after naValues ["-"]).
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { NeonTestApi } from '../../../src/extension/testApi';
import { api, workspaceUri } from './support';

suite('Column hints: naValues and dates (trial 2)', function () {
  this.timeout(120_000);
  let neon: NeonTestApi;
  const config = () => vscode.workspace.getConfiguration('neonClusterExplorer');

  suiteSetup(async () => {
    neon = await api();
  });

  suiteTeardown(async () => {
    await config().update('naValues', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('a numeric column with a user token is categorical until naValues names the token; dates are dates', async () => {
    const uri = workspaceUri('hints-geheim.csv');
    // "geheim" (secret) in a third of the cells: not a placeholder-like token, so only the user's naValues makes it missing.
    const lines = ['v,day,w', ...Array.from({ length: 90 }, (_, i) => `${i % 3 ? (1 + i / 10).toFixed(2) : 'geheim'},${String(1 + (i % 28)).padStart(2, '0')}.01.2024,${i % 4}`)];
    fs.writeFileSync(uri.fsPath, lines.join('\n') + '\n');
    await config().update('naValues', undefined, vscode.ConfigurationTarget.Workspace);
    const before = await neon.inspect(uri);
    assert.notStrictEqual(before.columns[0].kind, 'numeric');
    assert.strictEqual(before.columns[1].date, true);
    assert.match(before.columns[1].excludedReason ?? '', /^a date column \(dd\.mm\.yyyy/);
    await config().update('naValues', ['geheim'], vscode.ConfigurationTarget.Workspace);
    const after = await neon.inspect(uri);
    assert.strictEqual(after.columns[0].kind, 'numeric');
  });
});
