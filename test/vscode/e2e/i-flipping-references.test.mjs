// UI e2e (i): the panel says which question NEON's numbers answer (issue 13), and its
// feature-flipping section names the reference of every curve: the data mean, the nearest
// competitor's centroid and a random row of another cluster, deletion and insertion.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CMD, FIXTURE, clusterFromExplorer, hoverDecoration, openSession, waitForClusters, waitForDecorations } from './support.mjs';

let s;
before(async () => { s = await openSession({ name: 'i-flipping', workspace: FIXTURE, expectRow: 'samples.csv' }); }, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('the flipping section names its three references and switches between them', { timeout: 240_000 }, async () => {
  const view = s.wb.webview();
  const seen = await s.step('01-flipping-mean', async () => {
    await clusterFromExplorer(s, 'samples.csv');
    await waitForClusters(s, 'samples.csv');
    await s.wb.runCommand(CMD.showPanel);
    const section = view.locator('#flipping');
    await section.locator('.flip-table').waitFor({ timeout: 60_000 });
    await section.scrollIntoViewIfNeeded();
    const refs = await section.locator('.segmented[aria-label="Reference the features are moved toward"] [role="radio"]').allInnerTexts();
    const question = await section.locator('.flip-question').innerText();
    const caption = await section.locator('.flip-table caption').innerText();
    return { refs, question, caption };
  });
  console.log(`references: ${JSON.stringify(seen.refs)}; ${seen.question}; ${seen.caption}`);
  assert.deepEqual(seen.refs, ['data mean', "nearest competitor's centroid", 'random row of another cluster']);
  assert.match(seen.question, /NEON answers: Compared with the data mean, which columns make this row belong to its cluster/);
  assert.equal(seen.caption, 'Toward the data mean');

  const switched = await s.step('02-flipping-competitor-insertion', async () => {
    const section = view.locator('#flipping');
    await section.locator('[role="radio"]', { hasText: "nearest competitor's centroid" }).click();
    await section.locator('.flip-table caption', { hasText: "Toward the nearest competitor's centroid" }).waitFor({ timeout: 10_000 });
    await section.locator('[role="radio"]', { hasText: 'Insertion' }).click();
    const chart = section.locator('svg.flip-svg');
    await chart.waitFor({ timeout: 10_000 });
    const label = await chart.getAttribute('aria-label');
    const checked = await section.locator('[role="radio"][aria-checked="true"]').allInnerTexts();
    const summaryRows = await section.locator('.flip-summary tbody tr').count();
    return { label, checked, summaryRows };
  });
  console.log(`after switching: ${JSON.stringify(switched)}`);
  assert.match(switched.label ?? '', /^Insertion curves toward the nearest competitor's centroid/);
  assert.deepEqual(switched.checked, ["nearest competitor's centroid", 'Insertion ↑']);
  assert.equal(switched.summaryRows, 3, 'one summary row per reference');
});

test('the selected row and the CSV hover say which question the numbers answer', { timeout: 180_000 }, async () => {
  const view = s.wb.webview();
  const question = await s.step('03-item-question', async () => {
    await view.locator('#map-list .map-option[data-index="0"]').click();
    const q = view.locator('#item .item-question');
    await q.waitFor({ timeout: 30_000 });
    return q.innerText();
  });
  assert.match(question, /^Compared with the data mean, which columns make this row belong to its cluster/);
  const hover = await s.step('04-hover-question', async () => {
    await s.wb.openFile('samples.csv');
    const deco = await waitForDecorations(s.wb, (d) => d.for > 0);
    return hoverDecoration(s.wb, deco, 'for', /Compared with/);
  });
  console.log(`hover: ${JSON.stringify(hover)}`);
  assert.match(hover, /Compared with the data mean, which columns make this row belong to its cluster/);
});
