// Extension-host tests of what a new user met in trial 16 (notes/s16/trial-report.md):
// Save Model… / Export… from the palette act on the active editor's dataset (not the one
// clustered last), and a dataset whose file is deleted leaves the tree and the storage at once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Session } from '../../../src/extension/session';
import type { NeonTestApi } from '../../../src/extension/testApi';
import { api, waitFor, workspaceUri } from './support';

async function cluster(uri: vscode.Uri): Promise<Session> {
  const s = await vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', uri, { ask: false, choices: { k: 3 } });
  assert.ok(s, `clustered ${uri.path}`);
  return s;
}

suite('Trial 16: palette commands follow the active file; deleted datasets are forgotten', function () {
  this.timeout(240_000);
  let neon: NeonTestApi;

  suiteSetup(async () => {
    neon = await api();
  });

  test('Save Model…, Export… and Re-cluster… from the palette use the active editor\'s dataset, not the last clustered one', async () => {
    const first = workspaceUri('trial16-first.csv');
    const last = workspaceUri('trial16-last.csv');
    fs.copyFileSync(workspaceUri('samples.csv').fsPath, first.fsPath);
    fs.copyFileSync(workspaceUri('samples.csv').fsPath, last.fsPath);
    await cluster(first);
    await cluster(last);
    assert.strictEqual(neon.getState().activeSessionId, last.fsPath, 'the last clustered dataset is the active one');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(first));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-trial16-'));
    const model = await vscode.commands.executeCommand<vscode.Uri | undefined>('neon.saveModel', vscode.Uri.file(path.join(dir, 'm.neon-model.json')));
    assert.ok(model, `save failed: ${neon.getState().lastError}`);
    assert.strictEqual(JSON.parse(fs.readFileSync(model.fsPath, 'utf8')).metadata?.source, 'trial16-first.csv');
    const exported = await vscode.commands.executeCommand<vscode.Uri | undefined>('neon.exportExplanations', vscode.Uri.file(path.join(dir, 'e.json')));
    assert.ok(exported, `export failed: ${neon.getState().lastError}`);
    assert.strictEqual(JSON.parse(fs.readFileSync(exported.fsPath, 'utf8')).source, first.toString());
    // Re-cluster… from the palette too (trial 6 D2: it re-fitted the dataset clustered last).
    assert.strictEqual(neon.getState().activeSessionId, last.fsPath, 'still: the last clustered dataset is the active one');
    const refit = await vscode.commands.executeCommand<{ uri: vscode.Uri } | undefined>('neon.reclusterDataset', undefined, { ask: false });
    assert.ok(refit, `re-cluster failed: ${neon.getState().lastError}`);
    assert.strictEqual(refit.uri.toString(), first.toString(), "Re-cluster… re-fits the active editor's dataset");
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const u of [first, last]) await vscode.commands.executeCommand('neon.removeDataset', u);
  });

  test('deleting a clustered file removes its dataset and its stored model without a reload', async () => {
    const doomed = workspaceUri('trial16-deleted.csv');
    fs.copyFileSync(workspaceUri('samples.csv').fsPath, doomed.fsPath);
    await cluster(doomed);
    const stored = await waitFor('the stored model', async () => (await neon.storedResults()).find((e) => e.uri === doomed.toString()));
    const modelFile = path.join(neon.resultsFolder, stored.modelFile);
    assert.ok(fs.existsSync(modelFile));
    fs.unlinkSync(doomed.fsPath);
    await waitFor('the dataset to leave the tree', () => !neon.getState().sessions.some((s) => s.uri === doomed.toString()), 30_000);
    await waitFor('its stored model to be deleted', async () => !(await neon.storedResults()).some((e) => e.uri === doomed.toString()) && !fs.existsSync(modelFile));
  });

  test('a file deleted and written back at once (an atomic save) keeps its dataset', async () => {
    const saved = workspaceUri('trial16-resaved.csv');
    fs.copyFileSync(workspaceUri('samples.csv').fsPath, saved.fsPath);
    await cluster(saved);
    const text = fs.readFileSync(saved.fsPath);
    fs.unlinkSync(saved.fsPath);
    fs.writeFileSync(saved.fsPath, text);
    await new Promise((r) => setTimeout(r, 3_000));
    assert.ok(neon.getState().sessions.some((s) => s.uri === saved.toString()), 'still clustered');
    await vscode.commands.executeCommand('neon.removeDataset', saved);
  });
});

suite('Trial 16: a Windows-1252 file shown as UTF-8 gets a hint', function () {
  this.timeout(240_000);

  test('clustering a Windows-1252 CSV and opening it says how to reopen it as NEON read it, once', async () => {
    const neon = await api();
    const file = workspaceUri('trial16-umsatz.csv');
    const lines = ['Kundennr;Region;Kategorie;Umsatz (€)'];
    for (let i = 0; i < 30; i++) lines.push(`${10000 + i};${['Nord', 'Süd'][i % 2]};${['Möbel', 'Bürobedarf', 'Technik'][i % 3]};${(i % 3) * 1000 + 50 + i},${i % 10}0`);
    // As Excel writes it in a German locale: Windows-1252 (ü, ö as in Latin-1; € is byte 0x80).
    fs.writeFileSync(file.fsPath, Buffer.from((lines.join('\r\n') + '\r\n').replace('€', '\x80'), 'latin1'));
    await cluster(file);
    const doc = await vscode.workspace.openTextDocument(file);
    assert.ok(doc.getText().includes('\uFFFD'), 'VS Code decodes it as UTF-8 (the default here)');
    await vscode.window.showTextDocument(doc);
    const said = await waitFor('the encoding hint', () => neon.encodingMessages().find((m) => m.includes('trial16-umsatz.csv')));
    assert.match(said, /read it as Windows-1252/);
    assert.match(said, /Reopen with Encoding → "Western \(Windows 1252\)"/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(doc);
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual(neon.encodingMessages().filter((m) => m.includes('trial16-umsatz.csv')).length, 1, 'said once');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('neon.removeDataset', file);
  });
});
