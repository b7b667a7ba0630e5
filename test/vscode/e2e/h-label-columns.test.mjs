// UI e2e (h), issue 12 problems 1 and 2: label columns never leak into the features, and one
// workspace-wide labelColumn does not break other files. The shipped sample workspace (its
// settings name `segment`, coffee-shops.csv's label) with wine.csv (`class`: class_0/1/2, made by
// scripts/make-wine-csv.py) and digits.csv (`digit`) added. Cluster Dataset… asks per dataset:
// wine's label is chosen in the input, digits' is found; neither becomes a feature.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../../scripts/real-vscode/tools.mjs';
import { clusterFromExplorer, openSession, setWorkspaceSettings, waitForClusters } from './support.mjs';

const SAMPLES = path.join(repoRoot, 'samples');
const LABELS = path.join(repoRoot, 'test/fixtures/e2e-labels');

let s;
before(async () => {
  s = await openSession({
    name: 'h-labels', workspace: SAMPLES, expectRow: 'wine.csv',
    prepare: (dir) => {
      for (const f of ['wine.csv', 'digits.csv']) fs.copyFileSync(path.join(LABELS, f), path.join(dir, f));
    },
  });
}, { timeout: 180_000 });
after(async () => { await s?.close(); });

/** The tree rows of one dataset's clusters. */
function clusterRows(rows, dataset) {
  const at = rows.findIndex((r) => r.includes(dataset));
  const out = [];
  for (const r of rows.slice(at + 1)) {
    if (!/^Cluster \d+/.test(r)) break;
    out.push(r);
  }
  return out;
}

test('wine.csv: Cluster Dataset… asks for the label column; class is chosen and is not a feature', { timeout: 240_000 }, async () => {
  const input = await s.step('01-wine-input', async () => {
    await s.wb.clearNotifications();
    return clusterFromExplorer(s, 'wine.csv', { label: 'class' });
  });
  console.log(`wine input: ${JSON.stringify(input.steps.map((st) => [st.key, st.step, st.active, st.checked.length]))}`);
  // The outcome first (a workspace labelColumn that this file lacks must not make it fail) ...
  const rows = await s.step('02-wine-tree', () => waitForClusters(s, 'wine.csv'));
  const clusters = clusterRows(rows, 'wine.csv');
  console.log(`wine clusters: ${JSON.stringify(clusters)}`);
  assert.ok(clusters.length >= 2);
  assert.ok(clusters.every((r) => !/class=/.test(r)), `no cluster is named after the label: ${JSON.stringify(clusters)}`);
  const done = await s.wb.waitNotification(/wine\.csv: \d+ clusters/, 30_000);
  console.log(`notification: ${done}`);
  assert.match(done, /Label column class \(not a feature\)/);
  // ... then the input that asked for the label column and proposed class.
  assert.ok(input.shown, 'Cluster Dataset… opens an input for the dataset (it asked nothing before)');
  const label = input.steps.find((st) => st.key === 'label');
  assert.ok(label, 'the input has a label-column step');
  assert.equal(label.active, 'class', `class is proposed as the label: ${label.active}`);
  assert.match(label.activeDescription, /named like a label · categorical · 3 values/);
});

test('digits.csv in a workspace whose labelColumn is "segment": digit is found and is not a feature', { timeout: 300_000 }, async () => {
  const input = await s.step('03-digits-input', async () => {
    await s.wb.clearNotifications();
    return clusterFromExplorer(s, 'digits.csv');
  });
  console.log(`digits input: ${JSON.stringify(input.steps.map((st) => [st.key, st.step, st.active, st.checked.length]))}`);
  const rows = await s.step('04-digits-tree', () => waitForClusters(s, 'digits.csv', 240_000));
  const done = await s.wb.waitNotification(/digits\.csv: \d+ clusters/, 30_000);
  console.log(`notification: ${done}`);
  assert.match(done, /Label column digit \(not a feature\)/);
  assert.ok(input.shown, 'Cluster Dataset… opens an input for the dataset');
  assert.equal(input.steps.find((st) => st.key === 'label')?.active, 'digit', 'digit is found as the label');
  assert.equal(input.steps.find((st) => st.key === 'k')?.active, '10', 'k proposed: one cluster per digit');
  assert.ok(clusterRows(rows, 'digits.csv').every((r) => !/\bdigit\b/.test(r)), 'no cluster is named after digit');
  // The panel: the label chip, and no "digit" among any cluster's top features.
  await s.step('05-digits-panel', async () => {
    await s.wb.runCommand('NEON: Show Clusters Panel');
    const view = s.wb.webview();
    await view.locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
    const features = await view.locator('#cluster-cards .card-features').allInnerTexts();
    assert.ok(features.length >= 2);
    assert.ok(features.every((t) => !/\bdigit\b/.test(t)), `digit is not a feature: ${features.join(' | ').slice(0, 300)}`);
    assert.match(await view.locator('#header').innerText(), /label\s+digit/);
  });
});

test('coffee-shops.csv still gets the workspace label column (segment)', { timeout: 180_000 }, async () => {
  const input = await s.step('06-coffee-input', async () => {
    await s.wb.clearNotifications();
    return clusterFromExplorer(s, 'coffee-shops.csv');
  });
  if (input.shown) assert.equal(input.steps.find((st) => st.key === 'label')?.active, 'segment');
  await s.step('07-coffee-tree', () => waitForClusters(s, 'coffee-shops.csv'));
  const done = await s.wb.waitNotification(/coffee-shops\.csv: \d+ clusters/, 30_000);
  assert.match(done, /Label column segment/);
});

test('with no labelColumn setting at all, wine.csv\'s class is still the label, not a feature (the README\'s promise)', { timeout: 180_000 }, async () => {
  setWorkspaceSettings(s.ws, { 'neonClusterExplorer.labelColumn': '' });
  await s.page.waitForTimeout(1_500);
  await s.step('08-wine-no-setting', async () => {
    await s.wb.clearNotifications();
    await clusterFromExplorer(s, 'wine.csv');
  });
  const done = await s.wb.waitNotification(/wine\.csv: \d+ clusters/, 120_000);
  console.log(`notification: ${done.replace(/\s+/g, ' ')}`);
  const rows = await s.step('09-wine-tree-no-setting', () => waitForClusters(s, 'wine.csv'));
  const clusters = clusterRows(rows, 'wine.csv');
  console.log(`wine clusters: ${JSON.stringify(clusters)}`);
  assert.ok(clusters.every((r) => !/class=/.test(r)), `no cluster is named after class: ${JSON.stringify(clusters)}`);
  assert.match(done, /Label column class \(not a feature\)/);
});
