// The index of stored datasets and the remembered answers are a file in the extension's storage
// folder (storageIndex.ts), not workspaceState (the browser's IndexedDB in a web workbench, trial 6
// D1): the extension's own index file names its stored datasets, an older workspaceState index is
// moved into the file once, and two windows writing the file keep each other's entries.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DatasetChoices } from '../../../src/extension/choices';
import type { StoredResult } from '../../../src/extension/persistence';
import { LEGACY_KEYS, StorageIndex, type LegacyState } from '../../../src/extension/storageIndex';
import { api, workspaceUri } from './support';

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
    await new Promise((r) => setTimeout(r, 50)); // the legacy keys are removed after the write
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
});
