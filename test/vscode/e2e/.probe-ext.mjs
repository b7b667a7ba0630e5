import { FIXTURE, openSession } from './support.mjs';
const s = await openSession({ name: 'probe-ext', workspace: FIXTURE, expectRow: 'samples.csv' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
try {
  await s.wb.focusView('Clusters');
  await sleep(1500);
  await s.page.screenshot({ path: '/tmp/ext-probe/welcome.png' });
  await s.wb.runCommand('NEON: Explain Cluster').catch((e) => console.log('palette:', e.message.slice(0, 200)));
  await sleep(800);
  await s.page.screenshot({ path: '/tmp/ext-probe/palette.png' });
} finally { await s.close(); }
