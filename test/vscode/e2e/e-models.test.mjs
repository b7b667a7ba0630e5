// UI e2e (e): model choices beyond k-means, chosen through the workspace settings.
// kernel k-means on the notes folder highlights words; IDC on samples.csv shows gates in the panel.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, clusterFromExplorer, openSession, setWorkspaceSettings, waitForClusters, waitForDecorations } from './support.mjs';

let s;
before(async () => { s = await openSession({ name: 'e-models', workspace: FIXTURE, expectRow: 'notes' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('kernel k-means on notes/ highlights words', { timeout: 240_000 }, async () => {
  const deco = await s.step('01-kernel-kmeans-words', async () => {
    setWorkspaceSettings(s.ws, { 'neonClusterExplorer.model': 'kernel-kmeans' });
    await new Promise((r) => setTimeout(r, 1_500)); // let the workbench pick up the settings file
    await clusterFromExplorer(s, 'notes');
    await waitForClusters(s, 'notes', 200_000);
    await s.wb.openFile('notes/cooking-02.txt');
    await s.wb.runCommand(CMD.explainDocument);
    await s.wb.openFile('notes/cooking-02.txt');
    return waitForDecorations(s.wb, (d) => d.for > 0);
  });
  console.log(`kernel k-means word decorations: for=${deco.for} against=${deco.against}`);
  assert.ok(deco.for > 0);
});

test('IDC on samples.csv shows open gates and selected columns', { timeout: 240_000 }, async () => {
  const gates = await s.step('02-idc-gates', async () => {
    setWorkspaceSettings(s.ws, { 'neonClusterExplorer.model': 'idc' });
    await new Promise((r) => setTimeout(r, 1_500));
    await clusterFromExplorer(s, 'samples.csv');
    await waitForClusters(s, 'samples.csv', 200_000);
    // Show Clusters Panel shows the active editor's dataset (c282588); the first test left a note of
    // notes/ active, so open the table first, as a user looking at its gates would.
    await s.wb.openFile('samples.csv');
    await s.wb.runCommand(CMD.showPanel);
    const view = s.wb.webview();
    await view.locator('#map-list .map-option').first().waitFor({ timeout: 60_000 });
    await view.locator('#map-list .map-option[data-index="0"]').click();
    const g = view.locator('#gates');
    await g.filter({ hasText: /f[1-5]/ }).waitFor({ timeout: 60_000 });
    await g.scrollIntoViewIfNeeded();
    return g.innerText();
  });
  console.log(`#gates: ${JSON.stringify(gates.slice(0, 300))}`);
  assert.match(gates, /f[1-5]/, 'the gates name selected columns');
});
