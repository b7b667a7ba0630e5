// The index of stored datasets and the remembered answers are a file in the extension's storage
// folder (storageIndex.ts), not workspaceState (the browser's IndexedDB in a web workbench, trial 6
// D1): the extension's own index file names its stored datasets, an older workspaceState index is
// moved into the file once, and two windows writing the file keep each other's entries. An index
// file that cannot be read or parsed is never written over and the cleanup deletes no model
// (review 7, F2); a window without a folder keeps its own index in its window state (F7).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DatasetChoices } from '../../../src/extension/choices';
import type { StoredResult } from '../../../src/extension/persistence';
import { IndexUnreadableError, LEGACY_KEYS, StorageIndex, type DatasetIndex, type LegacyState } from '../../../src/extension/storageIndex';
import { storagePlace } from '../../../src/extension/storagePlace';
import { WindowStateIndex } from '../../../src/extension/windowStateIndex';
import { oldFile, windowRestoresAndCloses } from './storageWindows';
import { api, waitFor, workspaceUri } from './support';

const CHOICES: DatasetChoices = { labelColumn: null, excludeColumns: [], k: 3, model: 'kmeans', textColumn: null };

function entry(uri: string, modelFile: string): StoredResult {
  return { uri, choices: CHOICES, modelFile, origin: { kind: 'fitted', at: '2026-12-01T10:00:00.000Z' }, notes: [`${uri}: a note`] };
}

/** workspaceState of an older version (a Map behind the Memento's two methods). */
function legacyState(values: Record<string, unknown>): LegacyState & { values: Map<string, unknown> } {
  const map = new Map(Object.entries(values));
  return { values: map, get: <T>(key: string) => map.get(key) as T | undefined, update: (key, value) => (value === undefined ? map.delete(key) : map.set(key, value), Promise.resolve()) };
}

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'neon-index-')), 'storage', 'datasets.json');
}

suite('Stored results: the index file in the storage folder', function () {
  this.timeout(120_000);

  test("the extension's index file on the server names every stored dataset, with the fit's notes", async () => {
    const neon = await api();
    await neon.whenRestored();
    const uri = workspaceUri('samples.csv');
    await vscode.commands.executeCommand('neon.clusterDataset', uri, { ask: false });
    const stored = await neon.storedResults();
    const mine = stored.find((e) => e.uri === uri.toString());
    assert.ok(mine, 'samples.csv is stored');
    assert.ok((mine.notes ?? []).length > 0, 'with the notes of its fit');
    assert.strictEqual(path.dirname(neon.indexFile), path.dirname(neon.resultsFolder), 'the index is next to the results folder');
    const onDisk = new StorageIndex(neon.indexFile).get();
    assert.deepStrictEqual(onDisk.datasets.map((e) => e.uri), stored.map((e) => e.uri), 'the file holds the index (another window or browser reads it)');
    assert.ok(onDisk.answers[uri.toString()], 'and the answers given for samples.csv');
    assert.ok(fs.existsSync(path.join(neon.resultsFolder, mine.modelFile)), 'its model file is next to it');
  });

  test('an index found in workspaceState is moved into the file once: entries whose model file exists, answers, the active dataset', async () => {
    const file = tempFile();
    const legacy = legacyState({
      [LEGACY_KEYS.datasets]: [entry('file:///a.csv', 'a.neon-model.json'), entry('file:///gone.csv', 'gone.neon-model.json')],
      [LEGACY_KEYS.active]: 'file:///a.csv',
      [LEGACY_KEYS.answers]: { 'file:///a.csv': CHOICES },
    });
    const index = new StorageIndex(file, legacy, (m) => m === 'a.neon-model.json');
    assert.deepStrictEqual(index.get().datasets.map((e) => e.uri), ['file:///a.csv'], 'at once, without the entry whose model file is gone');
    await index.idle();
    // The legacy keys are removed after the file is written.
    await waitFor('the legacy keys removed from workspaceState after the migration', () => legacy.values.size === 0, 10_000);
    const reread = new StorageIndex(file).get();
    assert.deepStrictEqual(reread.datasets.map((e) => e.uri), ['file:///a.csv'], 'written to the file');
    assert.strictEqual(reread.active, 'file:///a.csv');
    assert.deepStrictEqual(reread.answers['file:///a.csv'], CHOICES);
    assert.deepStrictEqual(reread.datasets[0]!.notes, ['file:///a.csv: a note']);
    assert.deepStrictEqual([...legacy.values.keys()], [], 'and removed from workspaceState');
    // A second activation finds nothing left to move; the file's own entries are kept.
    const again = new StorageIndex(file, legacy);
    assert.deepStrictEqual(again.get().datasets.map((e) => e.uri), ['file:///a.csv']);
  });

  test("two windows on one index file keep each other's entries and answers", async () => {
    const file = tempFile();
    const a = new StorageIndex(file);
    const b = new StorageIndex(file); // opened before a wrote anything: its copy is empty
    await a.update((now) => ({ ...now, datasets: [...now.datasets, entry('file:///a.csv', 'a.neon-model.json')] }));
    await b.update((now) => ({ ...now, datasets: [...now.datasets, entry('file:///b.csv', 'b.neon-model.json')], answers: { ...now.answers, 'file:///b.csv': CHOICES } }));
    await a.update((now) => ({ ...now, answers: { ...now.answers, 'file:///a.csv': CHOICES } }));
    const both = new StorageIndex(file).get();
    assert.deepStrictEqual(both.datasets.map((e) => e.uri), ['file:///a.csv', 'file:///b.csv']);
    assert.deepStrictEqual(Object.keys(both.answers).sort(), ['file:///a.csv', 'file:///b.csv']);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['datasets.json'], 'no temporary file is left');
  });

  test('a truncated index file is not written over: the update rejects, the file keeps its bytes, a copy is kept, one warning names it', async () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const full = JSON.stringify({ datasets: ['a', 'b', 'c'].map((n) => entry(`file:///${n}.csv`, `${n}.neon-model.json`)), active: 'file:///a.csv', answers: {} });
    const truncated = Buffer.from(full.slice(0, -5));
    fs.writeFileSync(file, truncated);
    const warnings: string[] = [];
    const logged: unknown[] = [];
    const index = new StorageIndex(file, undefined, undefined, (e) => logged.push(e), (m) => warnings.push(m));
    assert.deepStrictEqual(index.get().datasets, [], 'nothing is known of it');
    // What a tab switch does (persistence.ts): set the active dataset.
    await assert.rejects(index.update((now) => ({ ...now, active: 'file:///b.csv' })), IndexUnreadableError, 'the update rejects');
    await assert.rejects(index.update((now) => ({ ...now, answers: { 'file:///b.csv': CHOICES } })), IndexUnreadableError);
    assert.ok(fs.readFileSync(file).equals(truncated), 'the index file keeps its bytes');
    const copies = fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith('datasets.json.bad-'));
    assert.strictEqual(copies.length, 1, `one copy of the unparsable file is kept: ${fs.readdirSync(path.dirname(file)).join(', ')}`);
    assert.ok(fs.readFileSync(path.join(path.dirname(file), copies[0]!)).equals(truncated), 'the copy holds its bytes');
    assert.strictEqual(warnings.length, 1, `one warning: ${warnings.join(' | ')}`);
    assert.ok(warnings[0]!.includes(file) && warnings[0]!.includes('is not valid JSON') && warnings[0]!.includes(copies[0]!), warnings[0]);
    assert.ok(logged.some((e) => e instanceof IndexUnreadableError), 'and it is logged');
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp')), [], 'no temporary file is left');

    // Once the file reads again (fixed by the user), updates write it.
    fs.writeFileSync(file, full);
    await index.update((now) => ({ ...now, active: 'file:///b.csv' }));
    const fixed = new StorageIndex(file).get();
    assert.deepStrictEqual([fixed.datasets.length, fixed.active], [3, 'file:///b.csv']);
  });

  test('an index file that exists but cannot be read (a folder at its path) is not an empty index: reload keeps the copy in memory', async () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ datasets: [entry('file:///a.csv', 'a.neon-model.json')], answers: {} }));
    const warnings: string[] = [];
    const index = new StorageIndex(file, undefined, undefined, undefined, (m) => warnings.push(m));
    fs.rmSync(file);
    fs.mkdirSync(file); // reading it fails with EISDIR, as EACCES or EMFILE would
    assert.deepStrictEqual(index.reload().datasets.map((e) => e.uri), ['file:///a.csv'], 'reload keeps what was read before');
    assert.strictEqual(index.current(), undefined);
    await assert.rejects(index.update((now) => ({ ...now, datasets: [] })), IndexUnreadableError);
    assert.ok(fs.statSync(file).isDirectory(), 'nothing is written in its place');
    assert.strictEqual(warnings.length, 1, warnings.join(' | '));
    assert.ok(warnings[0]!.includes(file) && warnings[0]!.includes('cannot be read'), warnings[0]);
  });

  test('a missing index file is an empty index: the first update writes it, without a warning', async () => {
    const file = tempFile();
    const warnings: string[] = [];
    const index = new StorageIndex(file, undefined, undefined, undefined, (m) => warnings.push(m));
    assert.deepStrictEqual(index.get(), { datasets: [], answers: {} });
    await index.update((now) => ({ ...now, datasets: [entry('file:///a.csv', 'a.neon-model.json')] }));
    assert.deepStrictEqual(new StorageIndex(file).get().datasets.map((e) => e.uri), ['file:///a.csv']);
    assert.deepStrictEqual([warnings, fs.readdirSync(path.dirname(file))], [[], ['datasets.json']]);
  });

  test("a window's cleanup deletes no model file while the index file cannot be parsed", async () => {
    const file = tempFile();
    const results = path.join(path.dirname(file), 'results');
    const models = ['a', 'b', 'c'].map((n) => path.join(results, `${n}.neon-model.json`));
    for (const m of models) oldFile(m);
    const truncated = JSON.stringify({ datasets: ['a', 'b', 'c'].map((n) => entry(`file:///${n}.csv`, `${n}.neon-model.json`)), answers: {} }).slice(0, -5);
    fs.writeFileSync(file, truncated);
    await restoreAndClose(new StorageIndex(file), results);
    for (const m of models) assert.ok(fs.existsSync(m), `${path.basename(m)} survives the cleanup`);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), truncated, 'the index file keeps its bytes');
  });

  test('a window without a folder keeps its own index in its window state; the global storage folder is shared, so its cleanup deletes no model file', async () => {
    const globalUri = vscode.Uri.file('/global');
    const folder = vscode.Uri.file('/ws-storage');
    assert.deepStrictEqual(storagePlace(undefined, globalUri), { folder: globalUri, index: 'window' }, 'no folder (storageUri undefined): global storage, index in the window state');
    assert.deepStrictEqual(storagePlace(folder, globalUri), { folder, index: 'file' }, 'a folder: its storage, index in datasets.json');

    const stateA = legacyState({});
    const stateB = legacyState({});
    const a = new WindowStateIndex(stateA);
    const b = new WindowStateIndex(stateB);
    await a.update((now) => ({ ...now, datasets: [entry('file:///a.csv', 'a.neon-model.json')], active: 'file:///a.csv' }));
    await b.update((now) => ({ ...now, datasets: [entry('file:///b.csv', 'b.neon-model.json')] }));
    assert.deepStrictEqual(a.reload().datasets.map((e) => e.uri), ['file:///a.csv'], "window A's list only");
    assert.deepStrictEqual(b.reload().datasets.map((e) => e.uri), ['file:///b.csv'], "window B's list only");
    assert.deepStrictEqual((stateA.values.get(LEGACY_KEYS.datasets) as StoredResult[]).map((e) => e.uri), ['file:///a.csv'], 'kept under the keys of the window state');

    // Window B closed; window A restarts and cleans up: B's model (named by B's state only) stays.
    const global2 = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-global-'));
    const results = path.join(global2, 'results');
    const modelB = path.join(results, 'b.neon-model.json');
    oldFile(modelB);
    await restoreAndClose(a, results, true);
    assert.ok(fs.existsSync(modelB), "a closed folder-less window's model survives another folder-less window's cleanup");
    assert.ok(!fs.existsSync(path.join(global2, 'datasets.json')), 'no shared index file is written');
  });
});

/** A window on `index` restores and cleans its storage folder up, then closes. `emptyFirst`: its datasets are forgotten first. */
async function restoreAndClose(index: DatasetIndex, results: string, emptyFirst = false): Promise<void> {
  if (emptyFirst) await index.update((now) => ({ ...now, datasets: [] }));
  await windowRestoresAndCloses(index, results, path.join(path.dirname(results), 'rows'), `test-${Date.now()}`);
}
