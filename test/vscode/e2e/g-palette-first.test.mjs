// UI e2e (g): the command palette as the very first entry point. With nothing clustered yet,
// "NEON: Explain Cluster" on an open CSV asks the dataset's questions (Enter takes the proposed
// answers), clusters it, then offers its clusters to pick from; the pick opens the panel on that
// cluster.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, answerClusterInput, openSession, waitForClusters } from './support.mjs';

let s;
before(async () => { s = await openSession({ name: 'g-palette', workspace: FIXTURE, expectRow: 'samples.csv' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('Explain Cluster from the palette with nothing clustered clusters the open CSV and offers its clusters', { timeout: 240_000 }, async () => {
  const picks = await s.step('01-pick-cluster', async () => {
    await s.wb.openFile('samples.csv');
    await s.wb.runCommand(CMD.explainCluster);
    await answerClusterInput(s, 'samples.csv');
    const title = s.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Explain Cluster' });
    await title.waitFor({ timeout: 120_000 });
    return s.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  });
  console.log(`picks: ${JSON.stringify(picks.slice(0, 4))}`);
  assert.ok(picks.some((p) => /Cluster \d+/.test(p)), 'the quick pick lists clusters');
  await s.step('02-panel-on-cluster', async () => {
    await s.page.keyboard.press('Enter');
    await s.wb.webview().locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
  });
  const rows = await waitForClusters(s, 'samples.csv');
  assert.ok(rows.some((r) => /Cluster \d+/.test(r)));
});

test('after a window reload the clustered dataset comes back in the Clusters view', { timeout: 240_000 }, async () => {
  const rows = await s.step('03-after-reload', async () => {
    await s.wb.runCommand('Developer: Reload Window');
    await s.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await s.page.waitForTimeout(2_000);
    return waitForClusters(s, 'samples.csv', 120_000);
  });
  console.log(`tree after reload: ${JSON.stringify(rows.slice(0, 4))}`);
  assert.ok(rows.some((r) => /Cluster \d+/.test(r)));
});
