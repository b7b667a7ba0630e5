// Extension-host tests of what a new user met in trial 7 (notes/s22/trial7-report.md), with the
// real extension and engine on the tester's files (test/fixtures/trial7, copied into the
// workspace): a record skipped on reading makes the job's notification a warning naming the
// line (D1); Remove Dataset clears the open CSV's colours (D4); the hover on an `inf` cell says it
// was read as missing and filled with the column mean (D8).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Session } from '../../../src/extension/session';
import type { NeonTestApi } from '../../../src/extension/testApi';
import { api, hoverAt, panelAfterReady, waitFor, workspaceUri } from './support';
import type { HostToWebview } from '../../../src/protocol/webview';

const TRIAL7 = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'trial7');

function copied(name: string, as = `trial7-${name}`): vscode.Uri {
  const uri = workspaceUri(as);
  fs.copyFileSync(path.join(TRIAL7, name), uri.fsPath);
  return uri;
}

async function cluster(uri: vscode.Uri, choices: Record<string, unknown> = { k: 2 }): Promise<Session> {
  const s = await vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', uri, { ask: false, choices });
  assert.ok(s, `clustered ${uri.path}: ${(await api()).getState().lastError}`);
  return s;
}

suite('Trial 7: skipped records are said in the notification; Remove Dataset clears the colours', function () {
  this.timeout(240_000);
  let neon: NeonTestApi;

  suiteSetup(async () => {
    neon = await api();
  });

  test('D1: support_tickets.csv (line 202 has extra values) ends with a warning naming line 202 and the rows of the file', async () => {
    const uri = copied('support_tickets.csv');
    await cluster(uri, { k: 2, textColumn: null, labelColumn: null });
    const m = neon.lastJobMessage();
    assert.ok(m);
    assert.strictEqual(m.severity, 'warning', m.text);
    assert.match(m.text, /^NEON: trial7-support_tickets\.csv: 1 record skipped \(line 202: more values than the header\) — 499 of 500 rows clustered; details in the panel's notes\. 2 clusters\./);
    assert.match(m.text, /\(\d+ more notes? in the panel\)$/);
    await vscode.commands.executeCommand('neon.removeDataset', uri);
  });

  test('D1: a file without skipped records still ends with an information message', async () => {
    const uri = copied('stores.tsv');
    await cluster(uri);
    const m = neon.lastJobMessage();
    assert.ok(m);
    assert.strictEqual(m.severity, 'information', m.text);
    assert.match(m.text, /^NEON: trial7-stores\.tsv: 2 clusters of 300 rows/);
    assert.doesNotMatch(m.text, /skipped/);
    await vscode.commands.executeCommand('neon.removeDataset', uri);
  });

  test('D8: the hover on sensors.csv line 7\'s humidity = inf says it was read as missing and filled with the column mean, no relevance', async () => {
    const uri = copied('sensors.csv');
    const s = await cluster(uri, { k: 3 });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const text = doc.lineAt(6).text;
    assert.strictEqual(text.split(',')[3], 'inf', text);
    const at = text.indexOf(',inf,') + 2;
    const shown = await hoverAt(doc, new vscode.Position(6, at));
    const pre = s.result.preprocessing;
    assert.ok(pre.kind === 'table');
    const mean = pre.columns.find((c) => c.column === 'humidity');
    assert.ok(mean?.kind === 'numeric');
    assert.ok(shown.includes('humidity = inf'), shown);
    assert.ok(shown.includes(`Read as missing ("inf") and filled with the column mean ${mean.mean.toFixed(3)}: no relevance (`), shown);
    assert.doesNotMatch(shown, /rank \d+ of \d+ columns/);
    // A cell that was read as a number keeps its relevance and rank.
    const other = await hoverAt(doc, new vscode.Position(6, text.indexOf(',inf,') - 2));
    assert.match(other, /temperature = 30\.87[\s\S]*Relevance [+-]\d[\s\S]*rank \d of \d columns/);
    // D11b: the panel's explanation of the row lists the features; label, index and date are its context.
    const { panel, posted, stop } = await panelAfterReady();
    try {
      await panel.receive({ type: 'selectItem', index: 5 });
      const item = await waitFor('item message', () => posted.find((m): m is Extract<HostToWebview, { type: 'item' }> => m.type === 'item'));
      assert.deepStrictEqual(item.item.columns?.map((c) => c.name).sort(), ['humidity', 'is_active', 'status', 'temperature', 'vibration']);
      assert.deepStrictEqual(item.item.context?.map((c) => [c.name, c.value]), [['target', '2'], ['Unnamed: 0', '5'], ['timestamp', '2025-01-01 03:05:00']]);
      assert.strictEqual(item.item.context?.[0]?.why, 'label');
    } finally {
      stop();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('neon.removeDataset', uri);
  });

  test('D4: after Remove Dataset the open CSV editor has no colours left', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = copied('customers_strayquote.csv', 'trial7-remove.csv');
    await cluster(uri);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('CSV colours', () => {
      const c = neon.getState().lastDecorationCounts;
      return c.for + c.against > 0;
    });
    await vscode.commands.executeCommand('neon.removeDataset', uri);
    assert.ok(!neon.getState().sessions.some((s) => s.uri === uri.toString()), 'the dataset left');
    await waitFor('the colours to be cleared', () => {
      const c = neon.getState().lastDecorationCounts;
      return c.for + c.against + c.notExplained === 0;
    }, 5_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
