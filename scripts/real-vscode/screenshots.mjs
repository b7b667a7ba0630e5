// Screenshots of the sample workspace for the README: clusters a table and a text folder in a
// real VS Code (code-server + headless Chromium) and saves the views a user sees, into
// test-artifacts/screenshots/. Usage: node scripts/build.mjs && node scripts/real-vscode/screenshots.mjs [--readme]
//   --readme  also copy them to the names README.md shows: media/screenshots/{csv,panel,text-hover}.png
import fs from 'node:fs';
import path from 'node:path';
import { artifactsRoot, openSession } from './session.mjs';
import { repoRoot } from './tools.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const s = await openSession({ name: 'samples', workspace: path.join(repoRoot, 'samples'), expectRow: 'coffee-shops.csv',
  artifactsDir: path.join(artifactsRoot, 'screenshots'),
  // digits.csv (test fixture) for the Cluster Dataset… input and the clusters-as-pictures shots
  prepare: (dir) => fs.copyFileSync(path.join(repoRoot, 'test/fixtures/e2e-labels/digits.csv'), path.join(dir, 'digits.csv')) });
const { wb, page } = s;

async function waitTree(name) {
  await wb.focusView('Clusters');
  await wb.treeRows('Clusters').filter({ hasText: name }).first().waitFor({ timeout: 120_000 });
  await wb.treeRows('Clusters').filter({ hasText: /Cluster \d+/ }).first().waitFor({ timeout: 120_000 });
}
/** Hover a decorated span (the last ones first when `fromEnd`, so the hover hides less text). */
async function hoverFirst(sign, fromEnd = false) {
  const deco = await wb.editorDecorations();
  const items = deco.items.filter((x) => x.sign === sign && x.width > 12);
  if (fromEnd) items.reverse();
  for (const d of items.slice(0, 8)) {
    if (await wb.hoverAt(d.x, d.y)) return;
  }
}

try {
  await wb.explorerContextMenu('coffee-shops.csv', 'Cluster Dataset…');
  await wb.answerClusterInput('coffee-shops.csv');
  await waitTree('coffee-shops.csv');
  await wb.clearNotifications();
  await wb.openFile('coffee-shops.csv');
  await sleep(1500);
  await hoverFirst('for');
  await wb.screenshot('01-table-cells-hover');

  await page.mouse.move(5, 450);
  await wb.runCommand('View: Close All Editors');
  await wb.runCommand('NEON: Show Clusters Panel');
  const view = wb.webview();
  await view.locator('#cluster-cards .cluster-card').first().waitFor({ timeout: 60_000 });
  await sleep(1000);
  await wb.screenshot('02-panel-map-cards');
  await view.locator('#map-list').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  await view.locator('#item .item-name').first().waitFor({ timeout: 30_000 });
  await view.locator('#item').scrollIntoViewIfNeeded();
  await sleep(800);
  await wb.screenshot('03-panel-row-explanation');

  await wb.explorerContextMenu('notes', 'Cluster Dataset…');
  await wb.answerClusterInput('notes');
  await waitTree('notes');
  await wb.clearNotifications();
  await wb.runCommand('View: Close All Editors');
  await wb.openFile('notes/finance-03.txt');
  await sleep(1500);
  await hoverFirst('for', true);
  await wb.screenshot('04-text-words-hover');

  // digits.csv: the input proposes its label column; its clusters are shown as pictures.
  await page.mouse.move(5, 450);
  await wb.runCommand('View: Close All Editors');
  await wb.explorerContextMenu('digits.csv', 'Cluster Dataset…');
  await wb.answerClusterInput('digits.csv');
  await waitTree('digits.csv');
  await wb.clearNotifications();
  await wb.runCommand('NEON: Show Clusters Panel');
  await view.locator('#cluster-cards .cluster-picture').first().waitFor({ timeout: 60_000 });
  await view.locator('#cluster-cards').scrollIntoViewIfNeeded();
  await sleep(1000);
  await wb.screenshot('05-digits-cluster-pictures');
  const shots = path.join(artifactsRoot, 'screenshots');
  console.log(`screenshots in ${path.relative(repoRoot, shots)}/`);
  if (process.argv.includes('--readme')) {
    const readmeDir = path.join(repoRoot, 'media/screenshots');
    fs.mkdirSync(readmeDir, { recursive: true });
    const names = {
      'samples-01-table-cells-hover.png': 'csv.png',
      'samples-02-panel-map-cards.png': 'panel.png',
      'samples-04-text-words-hover.png': 'text-hover.png',
      'samples-input-digits.csv-1-label.png': 'cluster-input.png',
      'samples-05-digits-cluster-pictures.png': 'digits-clusters.png',
    };
    for (const [from, to] of Object.entries(names)) fs.copyFileSync(path.join(shots, from), path.join(readmeDir, to));
    console.log(`copied to ${path.relative(repoRoot, readmeDir)}/: ${Object.values(names).join(', ')}`);
  }
} catch (e) {
  await wb.screenshot('FAILED').catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await s.close();
}
