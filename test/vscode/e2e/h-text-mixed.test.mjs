// UI e2e (h): text clusters a reader can name (issue 11) and word-less documents (issue 8,
// case 06). Man pages (test/fixtures/text-corpora, 11 packages; k = auto gives 10) cluster into
// topics plus one catch-all (the general pages of the manpages package): the tree marks it
// "mixed", the panel's card says why and lists typical documents. (The Debian package
// descriptions used here before have no catch-all left since the general-English word vectors.) Then case 06's mixed.jsonl: its 3 documents without a usable word are
// listed under "No usable words", not under a cluster.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../../../scripts/real-vscode/tools.mjs';
import { CMD, FIXTURE, clusterFromExplorer, openSession, setWorkspaceSettings, waitForClusters } from './support.mjs';

const MAN_PAGES = path.join(repoRoot, 'test/fixtures/text-corpora/man-pages.jsonl');
const CASE06 = path.join(repoRoot, 'test/fixtures/cases/06-only-stopwords-or-numbers/mixed.jsonl');

let s;
before(async () => {
  s = await openSession({
    name: 'h-text-mixed', workspace: FIXTURE, expectRow: 'notes',
    prepare: (dir) => {
      fs.copyFileSync(MAN_PAGES, path.join(dir, 'man-pages.jsonl'));
      fs.copyFileSync(CASE06, path.join(dir, 'mixed.jsonl'));
      setWorkspaceSettings(dir, { 'neonClusterExplorer.flippingSample': 0 });
    },
  });
}, { timeout: 180_000 });
after(async () => { await s?.close(); });

test('a catch-all text cluster is marked mixed in the tree and on its card, with the reason and typical documents', { timeout: 300_000 }, async () => {
  const rows = await s.step('01-mixed-tree', async () => {
    await clusterFromExplorer(s, 'man-pages.jsonl');
    return waitForClusters(s, 'man-pages.jsonl', 240_000);
  });
  console.log(`tree rows: ${JSON.stringify(rows.slice(0, 12))}`);
  const clusterRows = rows.filter((r) => /Cluster \d+/.test(r));
  const mixed = clusterRows.filter((r) => /mixed: /.test(r));
  assert.ok(mixed.length >= 1, `a cluster row is marked mixed: ${JSON.stringify(clusterRows)}`);
  assert.ok(mixed.length < clusterRows.length / 2, 'most clusters are topics, not catch-alls');
  assert.ok(clusterRows.some((r) => /git/.test(r)) && clusterRows.some((r) => /systemd/.test(r)), `topic labels name their sections: ${JSON.stringify(clusterRows)}`);

  const card = await s.step('02-mixed-card', async () => {
    await s.wb.runCommand(CMD.showPanel);
    const view = s.wb.webview();
    const c = view.locator('#cluster-cards .cluster-card.mixed').first();
    await c.waitFor({ timeout: 60_000 });
    await c.scrollIntoViewIfNeeded();
    return {
      tag: await c.locator('.mixed-tag').innerText(),
      reason: await c.locator('.card-mixed').innerText(),
      label: await c.locator('.card-label').innerText(),
      examples: await c.locator('.example-list .example').count(),
      topicExamples: await view.locator('#cluster-cards .cluster-card:not(.mixed) .example-excerpt').first().innerText(),
      kTitle: await view.locator('#kscores .kscores-title').innerText(),
      kChosen: await view.locator('#kscores .k-col.chosen').getAttribute('title'),
    };
  });
  console.log(`mixed card: ${JSON.stringify(card)}`);
  assert.equal(card.tag.trim(), 'mixed');
  assert.match(card.reason, /Mixed cluster: .*(share little|does not hold together|barely closer|weakly assigned)/);
  assert.match(card.label, /^mixed: /);
  assert.equal(card.examples, 3);
  assert.ok(card.topicExamples.length > 10, 'typical documents show their first words');
  // k = auto on text is chosen by stability over re-fits x silhouette: the panel charts that score, its two factors in the tooltip.
  assert.match(card.kTitle, /^Score per k: stability over re-fits \(chance-corrected, summed over the clusters\) × silhouette$/i);
  // The chosen k is the one the tree shows (man pages: 11 packages; the rule lands at 9–10).
  const chosen = /^k = (\d+): score 0\.\d+ = stability \d+(?:\.\d+)? \(\d+ of (\d+) clusters stable\) × silhouette 0\.\d+ \(chosen\)$/.exec(card.kChosen ?? '');
  assert.ok(chosen, `the chosen k's tooltip: ${card.kChosen}`);
  assert.equal(Number(chosen[1]), clusterRows.length, 'the chart chooses the k the tree shows');
  assert.equal(chosen[2], chosen[1]);
  assert.ok(Number(chosen[1]) >= 8 && Number(chosen[1]) <= 11, `k near the 11 packages: ${chosen[1]}`);
});

test('documents without a usable word are listed as such, not as members of a cluster', { timeout: 240_000 }, async () => {
  const rows = await s.step('03-wordless-tree', async () => {
    await clusterFromExplorer(s, 'mixed.jsonl');
    await waitForClusters(s, 'mixed.jsonl', 120_000);
    const tree = s.wb.treeRows('Clusters');
    const end = Date.now() + 30_000;
    let texts = [];
    while (Date.now() < end) {
      texts = (await tree.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      if (texts.slice(texts.findIndex((t) => t.startsWith('mixed.jsonl'))).some((t) => /No usable words/.test(t))) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    // take mixed.jsonl's entry, the last (the first corpus may have its own)
    const row = tree.filter({ hasText: 'No usable words' }).last();
    await row.click();
    await new Promise((r) => setTimeout(r, 1000));
    return (await tree.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  });
  console.log(`tree rows: ${JSON.stringify(rows)}`);
  const dataset = rows.findIndex((r) => r.startsWith('mixed.jsonl'));
  const at = rows.findIndex((r, i) => i > dataset && /No usable words/.test(r));
  assert.ok(at >= 0, 'a "No usable words" entry');
  assert.match(rows[at], /3 · not in any cluster/);
  const below = rows.slice(at + 1, at + 4);
  assert.deepEqual(below.map((r) => (r.match(/mixed\.jsonl:\d+/) ?? [''])[0]), ['mixed.jsonl:7', 'mixed.jsonl:8', 'mixed.jsonl:9']);
  assert.ok(below.every((r) => /no usable words/.test(r)));

  // Trial s19 D4: in the panel's list a wordless document had the marker of the cluster whose
  // index the engine holds for it. It gets the tree's neutral marker; the map's legend counts it
  // apart, and the cluster filter does not list it.
  const panel = await s.step('04-wordless-panel', async () => {
    await s.wb.runCommand(CMD.showPanel);
    const view = s.wb.webview();
    await view.locator('#map-list .map-option').first().waitFor({ timeout: 60_000 });
    await view.locator('#map-filter').evaluate((el) => { el.value = 'mixed.jsonl:'; el.dispatchEvent(new Event('input')); });
    await new Promise((r) => setTimeout(r, 500));
    return view.locator('#map-list').evaluate((list) => ({
      rows: [...list.querySelectorAll('.map-option')].map((o) => ({
        name: o.querySelector('.option-name')?.textContent ?? '',
        neutral: o.classList.contains('no-cluster') && o.querySelector('svg.swatch-none') !== null,
        clusterSwatch: o.querySelector('svg.swatch:not(.swatch-none)') !== null,
        cluster: o.querySelector('.option-cluster')?.textContent ?? '',
        evidence: o.querySelector('.option-evidence')?.textContent ?? '',
        title: o.getAttribute('title'),
      })),
      legend: [...document.querySelectorAll('.map-legend li')].map((li) => ({ text: (li.textContent ?? '').replace(/\s+/g, ' ').trim(), neutral: li.querySelector('svg.swatch-none') !== null })),
    }));
  });
  console.log(`panel list: ${JSON.stringify(panel)}`);
  const wordless = panel.rows.filter((r) => ['mixed.jsonl:7', 'mixed.jsonl:8', 'mixed.jsonl:9'].some((n) => r.name.startsWith(n)));
  assert.equal(wordless.length, 3, 'the three wordless documents are listed');
  for (const r of wordless) {
    assert.ok(r.neutral && !r.clusterSwatch, `${r.name}: the neutral marker, no cluster's marker`);
    assert.equal(r.cluster, '—');
    assert.equal(r.evidence, 'no words');
    assert.match(r.title ?? '', /No usable words · not in any cluster$/);
  }
  assert.ok(panel.rows.filter((r) => !wordless.includes(r)).every((r) => !r.neutral && r.clusterSwatch), 'members keep their cluster marker');
  const legend = panel.legend.filter((l) => l.neutral);
  assert.deepEqual(legend.map((l) => l.text), ['No usable words · not in any cluster3'], 'the legend counts them apart, with the neutral marker');
  assert.ok(panel.legend.filter((l) => !l.neutral).every((l) => /^Cluster \d+/.test(l.text)));

  // The map: find mixed.jsonl:7's point by the selection ring that moves when it is selected
  // instead of a member (the pixels that change), then hover each place the ring was: the
  // wordless point's tooltip names no cluster.
  const view = s.wb.webview();
  const option = (name) => view.locator('#map-list .map-option', { has: view.locator('.option-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) });
  const pixels = () => view.locator('#map').evaluate((c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data));
  await option('mixed.jsonl:7').click();
  await new Promise((r) => setTimeout(r, 800));
  const withWordless = await pixels();
  await option('mixed.jsonl:1').click();
  await new Promise((r) => setTimeout(r, 800));
  const withMember = await pixels();
  const geometry = await view.locator('#map').evaluate((c) => ({ width: c.width, scale: c.width / c.getBoundingClientRect().width }));
  const changed = [];
  for (let p = 0; p < withWordless.length; p += 4) {
    if (Math.abs(withWordless[p] - withMember[p]) + Math.abs(withWordless[p + 1] - withMember[p + 1]) + Math.abs(withWordless[p + 2] - withMember[p + 2]) > 60) changed.push([(p / 4) % geometry.width, Math.floor(p / 4 / geometry.width)]);
  }
  assert.ok(changed.length > 0, 'selecting another item moves the ring on the map');
  // Two rings: group the changed pixels by distance to the first one.
  const [x0, y0] = changed[0];
  const near = changed.filter(([x, y]) => Math.hypot(x - x0, y - y0) < 20 * geometry.scale);
  const far = changed.filter(([x, y]) => Math.hypot(x - x0, y - y0) >= 20 * geometry.scale);
  const centre = (pts) => pts.reduce(([a, b], [x, y]) => [a + x / pts.length, b + y / pts.length], [0, 0]).map((v) => v / geometry.scale);
  // The ring's changed pixels give its centre only roughly (strokes overlap the markers): try a
  // few places around it, as a user's pointer would, until a tooltip shows.
  const tips = [];
  for (const group of [near, far].filter((g) => g.length > 0)) {
    const [x, y] = centre(group);
    let tip = '';
    for (const [dx, dy] of [[0, 0], [4, 0], [-4, 0], [0, 4], [0, -4], [8, 0], [-8, 0], [0, 8], [0, -8]]) {
      await view.locator('#header').hover();
      await view.locator('#map').hover({ position: { x: x + dx, y: y + dy } });
      await new Promise((r) => setTimeout(r, 400));
      tip = await view.locator('.map-tooltip').evaluate((t) => (t.hidden ? '' : (t.textContent ?? '').replace(/\s+/g, ' ').trim()));
      if (tip) break;
    }
    tips.push(tip);
  }
  await s.step('05-map-hover-wordless', () => Promise.resolve());
  console.log(`map tooltips where the ring moved: ${JSON.stringify(tips)}`);
  // mixed.jsonl:7, :8 and :9 share a place (no word moves them); the one drawn on top answers.
  const wordlessTip = tips.find((t) => /^mixed\.jsonl:[789] /.test(t));
  assert.ok(wordlessTip, `the wordless point is on the map: ${JSON.stringify(tips)}`);
  assert.match(wordlessTip, /^mixed\.jsonl:[789] No usable words · not in any cluster$/, 'its tooltip names no cluster and no evidence');
});
