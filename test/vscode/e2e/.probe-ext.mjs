import { CMD, FIXTURE, clusterFromExplorer, openSession, waitForClusters, waitForDecorations } from './support.mjs';
const theme = process.env.THEME;
const s = await openSession({ name: 'probe-ext', workspace: FIXTURE, expectRow: 'samples.csv', userSettings: theme ? { 'workbench.colorTheme': theme, 'editor.wordWrap': 'on' } : { 'editor.wordWrap': 'on' } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
try {
  await clusterFromExplorer(s, 'samples.csv');
  await waitForClusters(s, 'samples.csv');
  await s.wb.openFile('samples.csv');
  await sleep(1500);
  // cursor onto line 6
  await s.page.keyboard.press('Control+g'); await sleep(400); await s.page.keyboard.type('6'); await s.page.keyboard.press('Enter');
  await sleep(1200);
  await s.page.screenshot({ path: `/tmp/ext-probe/csv-${theme ? 'hc' : 'light'}.png` });
  await clusterFromExplorer(s, 'notes');
  await waitForClusters(s, 'notes');
  await s.wb.openFile('notes/football-02.txt');
  await sleep(1500);
  await s.page.screenshot({ path: `/tmp/ext-probe/notes-${theme ? 'hc' : 'light'}.png` });
} finally { await s.close(); }
