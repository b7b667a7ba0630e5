// Extension-host tests of issue 12's logic: per-dataset answers (defaults from the inspection,
// remembered, given), stored results, removal, items opened beside the panel, data files never
// explained as prose, the large-file notice, and the messages' pure helpers. The workspace is
// the temp copy of test/fixtures/e2e-workspace (labelColumn "label", k "auto"); wine.csv and
// digits.csv are copied into it from test/fixtures/e2e-labels.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { defaultChoices, settingsWithChoices, type DatasetChoices } from '../../../src/extension/choices';
import { imageLayoutOf } from '../../../src/extension/imageLayout';
import { jobSummary, rowsPhrase } from '../../../src/extension/jobMessages';
import { explanationQuestion } from '../../../src/engine/relevance/question';
import { itemColumn } from '../../../src/extension/reveal';
import { DEFAULT_SETTINGS, type PipelineResult } from '../../../src/engine/pipelineTypes';
import type { DatasetInspection } from '../../../src/engine/data/inspectDataset';
import type { Session } from '../../../src/extension/session';
import type { NeonTestApi } from '../../../src/extension/testApi';
import { api, panelAfterReady, waitFor, workspaceUri } from './support';
import type { HostToWebview } from '../../../src/protocol/webview';

const LABELS = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'e2e-labels');

function cluster(uri: vscode.Uri, options: object = { ask: false }): Thenable<Session | undefined> {
  return vscode.commands.executeCommand<Session | undefined>('neon.clusterDataset', uri, options);
}

suite('Issue 12: choices per dataset, stored results, layout, messages', function () {
  this.timeout(240_000);
  let neon: NeonTestApi;
  let wine: vscode.Uri;
  let digits: vscode.Uri;

  suiteSetup(async () => {
    neon = await api();
    wine = workspaceUri('wine.csv');
    digits = workspaceUri('digits.csv');
    fs.copyFileSync(path.join(LABELS, 'wine.csv'), wine.fsPath);
    fs.copyFileSync(path.join(LABELS, 'digits.csv'), digits.fsPath);
  });

  test('the inspection proposes class for wine.csv, although the workspace names "label"', async () => {
    const i = await neon.inspect(wine);
    assert.strictEqual(i.suggestedLabel, 'class');
    const d = defaultChoices(i, { ...DEFAULT_SETTINGS, labelColumn: 'label' }, true);
    assert.deepStrictEqual(d, { labelColumn: 'class', excludeColumns: [], k: 'auto', model: 'kmeans', textColumn: null });
  });

  test('a Parquet file\'s text column: offered and proposed as for a CSV; its documents hold their text, clustered as the CSV\'s; no editor opens them, the panel shows their words', async () => {
    const shops = workspaceUri('coffee-shops.parquet');
    const shopsCsv = workspaceUri('coffee-shops.csv');
    fs.copyFileSync(path.join(LABELS, '..', 'foreign', 'coffee-shops.parquet'), shops.fsPath);
    fs.copyFileSync(path.join(LABELS, '..', '..', '..', 'samples', 'coffee-shops.csv'), shopsCsv.fsPath);
    const i = await neon.inspect(shops);
    assert.deepStrictEqual(i.textColumns, ['review']);
    // The workspace's textColumn setting applies to it as to a CSV.
    assert.strictEqual(defaultChoices(i, { ...DEFAULT_SETTINGS, textColumn: 'review' }, true).textColumn, 'review');
    const answers = { choices: { textColumn: 'review', labelColumn: null, k: 3 } };
    const session = await cluster(shops, answers);
    assert.ok(session, `clustering failed: ${neon.getState().lastError}`);
    const ds = session.result.dataset;
    assert.ok(ds.kind === 'text', 'read as documents');
    assert.strictEqual(ds.documents.length, 120);
    assert.deepStrictEqual([ds.documents[0]!.name, ds.documents[0]!.text], ['coffee-shops.parquet row 0', 'Quiet corner, light roast; slow on weekends.']);
    assert.strictEqual(session.lookup.documentsByPath.size, 0, 'no editor position finds a document of a binary file');
    // The same documents as the CSV's text column: the same clusters with the same answers.
    const fromCsv = await cluster(shopsCsv, answers);
    assert.ok(fromCsv && fromCsv.result.dataset.kind === 'text');
    assert.deepStrictEqual(Array.from(session.result.assignments), Array.from(fromCsv.result.assignments));
    assert.strictEqual((await neon.storedResults()).find((e) => e.uri === shops.toString())?.choices.textColumn, 'review', 'stored with its text column (a reload reads the documents again)');

    // Opening a document (the tree's command) shows the panel, never the binary file in an editor.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('neon.openItem', session.id, 0);
    await waitFor('the panel', () => neon.panel());
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === shops.fsPath), 'coffee-shops.parquet opened in an editor');
    const { panel, posted, session: sent, stop } = await panelAfterReady();
    try {
      assert.strictEqual(sent.session.title, 'coffee-shops.parquet');
      await panel.receive({ type: 'selectItem', index: sent.session.itemNames.indexOf('coffee-shops.parquet row 0') });
      const item = (await waitFor('item message', () => posted.find((m): m is Extract<HostToWebview, { type: 'item' }> => m.type === 'item'))).item;
      assert.strictEqual(item.name, 'coffee-shops.parquet row 0');
      assert.strictEqual(item.panelOnly, true, 'no Open button');
      const segments = item.segments ?? [];
      assert.strictEqual(segments.map((x) => x.text).join(''), 'Quiet corner, light roast; slow on weekends.');
      const words = segments.filter((x) => x.relevance !== undefined);
      assert.deepStrictEqual(words.map((x) => x.word), ['quiet', 'corner', 'light', 'roast', 'slow', 'weekends']);
      const total = words.reduce((a, x) => a + x.relevance!, 0);
      assert.ok(Math.abs(total - item.evidence) < 1e-4 * Math.max(1, Math.abs(item.evidence)), `words sum ${total} vs evidence ${item.evidence}`);
    } finally {
      stop();
    }
  });

  test('defaults: the workspace label when the file has it; other label-like columns left out; k = label values unless k is set', () => {
    const inspection: DatasetInspection = {
      source: 'table',
      rowsInspected: 100,
      complete: true,
      columns: [
        { name: 'x', kind: 'numeric', distinct: 90, labelLike: false },
        { name: 'species', kind: 'categorical', distinct: 3, labelLike: true },
        { name: 'Target', kind: 'categorical', distinct: 4, labelLike: true },
      ],
      labelCandidates: ['species', 'Target'],
      suggestedLabel: 'species',
      textColumns: [],
    };
    const withSetting = defaultChoices(inspection, { ...DEFAULT_SETTINGS, labelColumn: 'target' }, false);
    assert.deepStrictEqual(withSetting, { labelColumn: 'Target', excludeColumns: ['species'], k: 4, model: 'kmeans', textColumn: null });
    const auto = defaultChoices(inspection, { ...DEFAULT_SETTINGS, labelColumn: 'segment' }, true);
    assert.deepStrictEqual(auto, { labelColumn: 'species', excludeColumns: ['Target'], k: 'auto', model: 'kmeans', textColumn: null });
    // The run's settings: the answers win, no automatic or optional label any more.
    const run = settingsWithChoices({ ...DEFAULT_SETTINGS, labelColumn: 'segment', labelColumnOptional: true, autoLabelColumn: true }, auto);
    assert.deepStrictEqual([run.labelColumn, run.labelColumnOptional, run.autoLabelColumn, run.excludeColumns, run.k], ['species', false, false, ['Target'], 'auto']);
  });

  test('wine.csv clustered with the proposed answers: class is the label, never a feature; the answers are remembered', async () => {
    const s = await cluster(wine);
    assert.ok(s, `clustering failed: ${neon.getState().lastError}`);
    const ds = s.result.dataset;
    assert.strictEqual(ds.kind === 'table' && ds.labelColumn, 'class');
    assert.ok(!s.result.featureNames.some((f) => f.startsWith('class')), s.result.featureNames.join(','));
    assert.ok((s.result.quality.purity ?? 0) > 0.85, `purity ${s.result.quality.purity}`);
    assert.strictEqual(neon.rememberedChoices(wine)?.labelColumn, 'class');
    assert.match(jobSummary(s), /^wine\.csv: \d+ clusters of 178 rows.*Label column class \(not a feature\)/);
  });

  test('given answers: no label, class left out; Re-cluster… without questions reuses them', async () => {
    const s = await cluster(wine, { choices: { labelColumn: null, excludeColumns: ['class'], k: 3 } });
    assert.ok(s, `clustering failed: ${neon.getState().lastError}`);
    assert.strictEqual(s.result.model.k, 3);
    assert.strictEqual(s.result.dataset.kind === 'table' && s.result.dataset.labelColumn, undefined);
    assert.strictEqual(s.result.featureNames.length, 13);
    const again = await vscode.commands.executeCommand<Session | undefined>('neon.reclusterDataset', wine, { ask: false });
    assert.ok(again);
    assert.deepStrictEqual(again.choices, { labelColumn: null, excludeColumns: ['class'], k: 3, model: 'kmeans', textColumn: null } satisfies DatasetChoices);
    assert.deepStrictEqual(Array.from(again.result.assignments), Array.from(s.result.assignments));
  });

  test('every clustered dataset is stored with its model and answers; Remove Dataset forgets it', async () => {
    const stored = await neon.storedResults();
    const entry = stored.find((e) => e.uri === wine.toString());
    assert.ok(entry, `wine.csv stored: ${JSON.stringify(stored.map((e) => e.uri))}`);
    assert.deepStrictEqual(entry.choices.excludeColumns, ['class']);
    const model = JSON.parse(fs.readFileSync(path.join(neon.resultsFolder, entry.modelFile), 'utf8')) as { format: string; kind: string; featureNames: string[] };
    assert.strictEqual(model.format, 'neon-cluster-model');
    assert.strictEqual(model.featureNames.length, 13);
    const removed = await vscode.commands.executeCommand<boolean>('neon.removeDataset', wine);
    assert.strictEqual(removed, true);
    assert.ok(!neon.getState().sessions.some((s) => s.uri === wine.toString()), 'wine.csv left the tree');
    assert.ok(!(await neon.storedResults()).some((e) => e.uri === wine.toString()), 'and the stored results');
    assert.ok(!fs.existsSync(path.join(neon.resultsFolder, entry.modelFile)), 'its model file is deleted');
    assert.strictEqual(neon.rememberedChoices(wine)?.k, 3, 'its answers stay remembered for next time');
  });

  test('digits.csv: pixels scaled as an image, each cluster\'s mean image in the file\'s units, an 8 x 8 layout', async () => {
    const s = await cluster(digits, { choices: { k: 10 } });
    assert.ok(s, `clustering failed: ${neon.getState().lastError}`);
    assert.ok((s.result.quality.accuracy ?? 0) >= 0.78, `accuracy ${s.result.quality.accuracy}`);
    assert.ok(s.result.notes.some((n) => n.includes('look like image pixels')));
    const layout = imageLayoutOf(s.result.units);
    assert.strictEqual(layout?.side, 8);
    assert.ok(s.clusterMeans, 'the cluster means were fetched');
    const p20 = s.result.units.indexOf('p20');
    const mean = s.clusterMeans.means[p20]!;
    assert.ok(mean >= 0 && mean <= 16, `p20 mean of cluster 0 in pixel units: ${mean}`);
  });

  test('an item opens in the group beside the panel, not in the panel\'s group', async () => {
    const samples = await cluster(workspaceUri('samples.csv'));
    assert.ok(samples);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('samples.csv')), vscode.ViewColumn.One);
    await vscode.commands.executeCommand('neon.showPanel');
    const panelColumn = await waitFor('the panel column', () => neon.panel()?.viewColumn);
    const column = itemColumn(workspaceUri('samples.csv'));
    assert.ok(column !== undefined && column !== panelColumn, `item column ${column}, panel column ${panelColumn}`);
    await vscode.commands.executeCommand('neon.openItem', samples.id, 5);
    const editor = await waitFor('the editor of samples.csv', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === samples.localPath));
    assert.notStrictEqual(editor.viewColumn, neon.panel()?.viewColumn);
  });

  test('a CSV nobody clustered is not explained as prose by a text model', async () => {
    const notes = await cluster(workspaceUri('notes'));
    assert.ok(notes);
    const file = workspaceUri('plain.csv');
    fs.writeFileSync(file.fsPath, 'a,b\nthe striker scored a goal,1\nwe baked bread,2\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await new Promise((r) => setTimeout(r, 2_000));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 6));
    assert.strictEqual(hovers.length, 0, 'no hover from a text model on a CSV');
  });

  test('a .txt that is a tab-separated table (Excel "Unicode Text") nobody clustered is not explained as prose either', async () => {
    const notes = await cluster(workspaceUri('notes'));
    assert.ok(notes);
    const file = workspaceUri('unclustered-export.txt');
    const rows = ['team\tgoals\tcomment', 'Ajax\t3\tthe striker scored a goal', 'Benfica\t1\twe baked bread after the match', 'Celtic\t2\ta quiet game in the rain'];
    fs.writeFileSync(file.fsPath, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows.join('\r\n') + '\r\n', 'utf16le')]));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.lineAt(1).text, rows[1], 'VS Code decodes the UTF-16 file');
    await new Promise((r) => setTimeout(r, 2_000));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, rows[1]!.indexOf('striker') + 2));
    assert.strictEqual(hovers.length, 0, 'no hover from a text model on a tab-separated table');
    // The same words as prose are explained (the model is there and applies to text).
    const prose = workspaceUri('unclustered-prose.txt');
    fs.writeFileSync(prose.fsPath, 'The striker scored a goal and we baked bread after the match.\n');
    const proseDoc = await vscode.workspace.openTextDocument(prose);
    await vscode.window.showTextDocument(proseDoc);
    const proseHover = await waitFor('a hover on prose', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', proseDoc.uri, new vscode.Position(0, 6));
      return h.length > 0 ? h : undefined;
    });
    assert.ok(proseHover.length > 0);
  });

  test('a data file over 50 MB gets the notice that VS Code does not hand it to extensions', async () => {
    const file = workspaceUri('large.csv');
    const fd = fs.openSync(file.fsPath, 'w');
    const line = 'x1,x2,x3,x4\n' + '1.25,2.5,3.75,5\n'.repeat(65_536);
    for (let written = 0; written < 51 * 2 ** 20; ) written += fs.writeSync(fd, line);
    fs.closeSync(fd);
    await vscode.commands.executeCommand('vscode.open', file);
    const message = await waitFor('the large-file notice', () => neon.largeFileMessages().find((m) => m.includes('large.csv')), 30_000);
    assert.match(message, /large\.csv is 5\d MB\. VS Code does not hand files over 50 MB to extensions/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(file.fsPath, { force: true });
  });

  test('messages: how many of how many rows and how chosen; the question NEON answers', () => {
    const base = { dataset: { kind: 'table', rows: 5000, notes: [] }, notes: [] } as unknown as PipelineResult;
    assert.strictEqual(rowsPhrase({ ...base, rowSelection: { rows: 5000, method: 'first' } }), 'the first 5,000 rows (maxRows = 5,000; the file has more)');
    assert.strictEqual(rowsPhrase({ ...base, rowSelection: { rows: 250_000, totalRows: 1_000_000, method: 'sample', seed: 42, budgetBytes: 512 * 2 ** 20 } }), 'a random sample of 250,000 of 1,000,000 rows (seed 42, to fit the 512 MB memory budget)');
    assert.strictEqual(rowsPhrase({ ...base, rowSelection: { rows: 1_000_000, totalRows: 1_000_000, method: 'all' } }), 'all 1,000,000 rows');
    assert.strictEqual(
      rowsPhrase({ ...base, rowSelection: { rows: 250_000, totalRows: 1_000_000, method: 'sample', seed: 42, budgetBytes: 512 * 2 ** 20, explainedRows: 1_000_000 } }),
      'all 1,000,000 rows (fitted on a uniform random sample of 250,000, seed 42, to fit the 512 MB memory budget; every row assigned and explained)',
    );
    // Trial 16: IDC left 2 of 7 clusters empty; the notification said only "7 clusters of 600 rows".
    const idc = {
      ...base,
      dataset: { kind: 'table', rows: 600, notes: [], columns: [] },
      model: { kind: 'idc', k: 4 },
      clusters: [0, 150, 450, 0].map((size, index) => ({ index, size, label: size ? 'high x' : '(empty)', top: [], meanEvidence: 1 })),
    } as unknown as PipelineResult;
    const summary = jobSummary({ title: 'sensors.parquet', result: idc, origin: { kind: 'fitted', at: '' } } as unknown as Session);
    assert.match(summary, /^sensors\.parquet: 4 clusters of 600 rows\. 2 of the 4 clusters are empty \(Cluster 0, Cluster 3\): the data may have fewer clusters\./);
    // Trial s18: kunden_export.csv's notification showed two number-format notes and hid the
    // identifier and date columns left out in "(3 more notes in the panel)".
    const kunden = {
      ...base,
      model: { kind: 'kmeans', k: 2 },
      clusters: [0, 1].map((index) => ({ index, size: 10, label: 'x', top: [], meanEvidence: 1 })),
      dataset: {
        kind: 'table', rows: 20, columns: [],
        notes: [
          'k.csv: column "Umsatz" read as numbers: decimal comma read (e.g. "983,54 €").',
          'k.csv: column "Warenkorb" read as numbers: decimal comma read (e.g. "122,94").',
          'k.csv: 1 identifier-like column(s) excluded from the features: "Kunden-Nr." (a different value in every row (looks like an identifier)).',
          'k.csv: 2 date column(s) excluded from the features: "Anmeldedatum", "Letzte Bestellung".',
        ],
      },
    } as unknown as PipelineResult;
    assert.match(
      jobSummary({ title: 'k.csv', result: kunden, origin: { kind: 'fitted', at: '' } } as unknown as Session),
      /^k\.csv: 2 clusters of 20 rows\. 1 identifier-like column\(s\) excluded from the features: "Kunden-Nr\." .* 2 date column\(s\) excluded from the features: "Anmeldedatum", "Letzte Bestellung"\. \(2 more notes in the panel\)$/,
    );
    // The question (the neon helper's rule, engine relevance/question.ts) as the hover and panel say it.
    assert.strictEqual(explanationQuestion({ rule: 'midpoint' }), 'Which columns separate this row from the boundary with each competing cluster?');
  });
});
