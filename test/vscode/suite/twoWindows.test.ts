// Two windows on one workspace share its storage folder and its index of stored results, but a
// window's every-row results files belong to its open datasets, and a model file is written
// before its index entry: a window's cleanup after a reload must not delete the model and
// every-row results files the other open window uses (its lease names them), and still deletes
// what no window uses.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StorageIndex } from '../../../src/extension/storageIndex';
import { STALE_MS, StorageLease } from '../../../src/extension/storageLeases';
import type { NeonTestApi } from '../../../src/extension/testApi';
import { oldFile, windowRestoresAndCloses } from './storageWindows';
import { api } from './support';

/** An index that names none of the files (the other window's entries not written yet): a file of its own, empty. */
function emptyIndex(): StorageIndex {
  return new StorageIndex(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'neon-index-')), 'datasets.json'));
}

/** A window that opens on the same storage folder, restores (nothing: its index is empty) and so cleans up. */
function reloadedWindow(results: string, rows: string, id: string): Promise<void> {
  return windowRestoresAndCloses(emptyIndex(), results, rows, id);
}

suite('Stored results: two windows on one workspace', function () {
  this.timeout(60_000);
  let neon: NeonTestApi;

  suiteSetup(async () => {
    neon = await api();
    await neon.whenRestored();
  });

  test("a window's cleanup keeps the files another open window's lease names, and deletes the ones no window uses", async () => {
    const results = neon.resultsFolder;
    const storage = path.dirname(results);
    const rows = path.join(storage, 'rows');
    const leases = path.join(storage, 'windows');
    const otherModel = path.join(results, 'other-window.neon-model.json');
    const otherRows = path.join(rows, 'other-window.rows');
    const orphanModel = path.join(results, 'crashed.neon-model.json');
    const orphanRows = path.join(rows, 'crashed.rows');
    for (const f of [otherModel, otherRows, orphanModel, orphanRows]) oldFile(f);
    const other = new StorageLease(leases, 'window-B');
    await other.write({ models: ['other-window.neon-model.json'], rows: ['other-window.rows'] });
    // This test's own window (the extension) keeps its stored models too: its lease names them.
    const own = (await neon.storedResults()).map((e) => path.join(results, e.modelFile));

    await reloadedWindow(results, rows, 'window-A-reloaded');
    assert.ok(fs.existsSync(otherModel), "window B's stored model survives window A's cleanup");
    assert.ok(fs.existsSync(otherRows), "window B's every-row results file survives");
    assert.ok(!fs.existsSync(orphanModel), 'a model file no window uses is deleted');
    assert.ok(!fs.existsSync(orphanRows), 'a results file no window uses is deleted');
    for (const f of own) assert.ok(fs.existsSync(f), `the extension's own stored model ${path.basename(f)} survives`);
    assert.ok(!fs.existsSync(path.join(leases, 'window-A-reloaded.json')), 'a closed window releases its lease');

    // Window B closes without releasing (killed): once its lease is stale, its files are no one's.
    const stale = new StorageLease(leases, 'window-B', () => Date.now() - STALE_MS - 1_000);
    await stale.write({ models: ['other-window.neon-model.json'], rows: ['other-window.rows'] });
    await reloadedWindow(results, rows, 'window-A-again');
    assert.ok(!fs.existsSync(otherModel), "a killed window's model file goes after its lease is stale");
    assert.ok(!fs.existsSync(otherRows), "and its results file");
    assert.ok(!fs.existsSync(path.join(leases, 'window-B.json')), 'the stale lease is deleted');
    for (const f of own) assert.ok(fs.existsSync(f), `the extension's own stored model ${path.basename(f)} still survives`);
  });

  test('StorageLease: live leases of other windows are read, its own is not, a release deletes it', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'neon-leases-'));
    let now = 1_000_000;
    const a = new StorageLease(folder, 'a', () => now);
    const b = new StorageLease(folder, 'b', () => now);
    await a.write({ models: ['m1'], rows: ['r1'] });
    await b.write({ models: ['m2'], rows: [] });
    const seenByA = await a.othersUse();
    assert.deepStrictEqual([[...seenByA.models], [...seenByA.rows]], [['m2'], []]);
    now += STALE_MS; // exactly STALE_MS old: still live
    assert.deepStrictEqual([...(await b.othersUse()).models], ['m1']);
    await b.renew();
    now += 1; // a's lease is now STALE_MS + 1 old, b renewed
    assert.deepStrictEqual([...(await b.othersUse()).models], [], "a's lease is stale");
    assert.ok(!fs.existsSync(path.join(folder, 'a.json')), 'and deleted');
    assert.deepStrictEqual([...(await a.othersUse()).models], ['m2']);
    await b.release();
    assert.deepStrictEqual(fs.readdirSync(folder), []);
  });
});
