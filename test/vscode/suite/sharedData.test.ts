// The extension on the shared real datasets (skipped with a message when they are absent):
// digits.csv as an 8 x 8 image table for the panel, fortunes.jsonl as a corpus file larger than
// the "decorate only what is visible" threshold.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Session } from '../../../src/extension/session';
import type { NeonTestApi } from '../../../src/extension/testApi';
import { api } from './support';
import { toWebviewSession } from '../../../src/extension/panel/toWebview';
import { LARGE_DOCUMENT_CHARS } from '../../../src/extension/editor/visible';

const SHARED = process.env.NEON_SHARED_DATA ?? '/work/shared/data';

function dataFile(name: string, ctx: Mocha.Context): string {
  const file = path.join(SHARED, name);
  if (!fs.existsSync(file)) {
    console.log(`skipping: ${file} not found (set NEON_SHARED_DATA to the shared data folder)`);
    ctx.skip();
  }
  return file;
}

async function decorationCount(neon: NeonTestApi, atLeast: number, timeoutMs = 20_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const c = neon.getState().lastDecorationCounts;
    if (c.for + c.against >= atLeast) return c.for + c.against;
    if (Date.now() > end) throw new Error(`decorations stayed at ${c.for + c.against}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

suite('NEON extension on the shared datasets', function () {
  this.timeout(300_000);
  // The e2e workspace names a `label` column these files do not have; clear it meanwhile
  // (the workspace is a temporary copy, and the value is put back afterwards).
  const config = () => vscode.workspace.getConfiguration('neonClusterExplorer');
  let labelColumn: string | undefined;
  suiteSetup(async () => {
    labelColumn = config().inspect<string>('labelColumn')?.workspaceValue;
    await config().update('labelColumn', undefined, vscode.ConfigurationTarget.Workspace);
  });
  suiteTeardown(async () => {
    await config().update('labelColumn', labelColumn, vscode.ConfigurationTarget.Workspace);
  });

  test('digits.csv: 64 pixel columns reach the panel as an 8 x 8 image', async function () {
    const file = dataFile('digits.csv', this);
    const neon = await api();
    // The engine types the numeric `digit` column as a feature unless it is named as the label.
    await config().update('labelColumn', 'digit', vscode.ConfigurationTarget.Workspace);
    const t0 = Date.now();
    const session = await vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', vscode.Uri.file(file), { ask: false });
    await config().update('labelColumn', undefined, vscode.ConfigurationTarget.Workspace);
    assert.ok(session, `clustering failed: ${neon.getState().lastError}`);
    console.log(`digits.csv: ${session.result.dataset.rows} rows, k = ${session.result.model.k}, ${Date.now() - t0} ms`);
    const { session: ws, shown } = toWebviewSession(session);
    assert.strictEqual(ws.imageSide, 8);
    assert.deepStrictEqual(ws.imageColumns, Array.from({ length: 64 }, (_, i) => `p${i}`), 'all 64 pixels, constant ones included');
    assert.strictEqual(shown.length, session.result.dataset.rows);
    assert.strictEqual(ws.projection.length, 2 * shown.length);
  });

  test('fortunes.jsonl: a large corpus file is decorated only around the visible lines', async function () {
    const file = dataFile('fortunes.jsonl', this);
    const neon = await api();
    const t0 = Date.now();
    const session = await vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', vscode.Uri.file(file), { ask: false });
    assert.ok(session, `clustering failed: ${neon.getState().lastError}`);
    const ds = session.result.dataset;
    assert.strictEqual(ds.kind, 'text');
    console.log(`fortunes.jsonl: ${ds.rows} documents, k = ${session.result.model.k}, ${Date.now() - t0} ms`);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    assert.ok(doc.getText().length > LARGE_DOCUMENT_CHARS, 'the file is above the visible-only threshold');
    const editor = await vscode.window.showTextDocument(doc);
    const atTop = await decorationCount(neon, 1);
    let inFile = 0;
    const relevance = session.result.tokenRelevance;
    for (let t = 0; t < relevance.length; t++) if (relevance[t] !== 0) inFile++;
    assert.ok(atTop < inFile, `only the visible part is decorated (${atTop} of ${inFile} tokens)`);
    // Scroll to the end: the decorated window follows.
    const last = doc.lineCount - 1;
    editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.InCenter);
    await new Promise((r) => setTimeout(r, 800));
    assert.ok((await decorationCount(neon, 1)) > 0);
    // A hover near the end explains a word of the last document.
    const d = ds.documents.length - 1;
    const t = ds.tokens.docStart[d + 1]! - 1;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(ds.tokens.start[t]!));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n').replace(/\\(.)/g, '$1');
    assert.match(text, /Relevance [+-]\d.*for Cluster \d+/);
  });
});
