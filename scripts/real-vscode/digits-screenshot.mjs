// README picture of the paper's MNIST-style explanation: digits.csv (../shared/data) clustered in
// a real VS Code, one digit selected in the panel, its pixel relevance heatmap in view.
// Usage: node scripts/build.mjs && node scripts/real-vscode/digits-screenshot.mjs [--readme]
//   --readme  also copy it to media/screenshots/digits-heatmap.png
import fs from 'node:fs';
import path from 'node:path';
import { artifactsRoot, openSession } from './session.mjs';
import { repoRoot } from './tools.mjs';

const digits = path.resolve(repoRoot, '..', 'shared', 'data', 'digits.csv');
if (!fs.existsSync(digits)) {
  console.error(`${digits} is absent: this picture needs the workplace's shared datasets.`);
  process.exit(1);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const s = await openSession({
  name: 'digits', workspace: path.join(repoRoot, 'test/fixtures/e2e-workspace'), expectRow: 'notes',
  artifactsDir: path.join(artifactsRoot, 'screenshots'),
  prepare: (dir) => {
    fs.copyFileSync(digits, path.join(dir, 'digits.csv'));
    // digits is labelled by its `digit` column; ten clusters as in the paper's experiment.
    fs.writeFileSync(path.join(dir, '.vscode/settings.json'), JSON.stringify({ 'neonClusterExplorer.k': 10, 'neonClusterExplorer.labelColumn': 'digit', 'neonClusterExplorer.seed': 1 }));
  },
});
const { wb, page } = s;
try {
  await wb.explorerContextMenu('digits.csv', 'Cluster Dataset…');
  await wb.answerClusterInput('digits.csv');
  await wb.focusView('Clusters');
  await wb.treeRows('Clusters').filter({ hasText: /Cluster \d+/ }).first().waitFor({ timeout: 180_000 });
  await wb.clearNotifications();
  await wb.runCommand('View: Close All Editors');
  await wb.runCommand('NEON: Show Clusters Panel');
  const view = wb.webview();
  await view.locator('#map-list .map-option').first().waitFor({ timeout: 60_000 });
  await view.locator('#map-list .map-option[data-index="3"]').click();
  const heat = view.locator('#pixel-heatmap');
  await heat.waitFor({ timeout: 60_000 });
  await view.locator('#item').scrollIntoViewIfNeeded();
  await sleep(1000);
  await wb.screenshot('05-digits-heatmap');
  if (process.argv.includes('--readme')) {
    fs.copyFileSync(path.join(artifactsRoot, 'screenshots', 'digits-05-digits-heatmap.png'), path.join(repoRoot, 'media/screenshots/digits-heatmap.png'));
    console.log('copied to media/screenshots/digits-heatmap.png');
  }
} catch (e) {
  await wb.screenshot('FAILED').catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await page.mouse.move(1, 1).catch(() => {});
  await s.close();
}
