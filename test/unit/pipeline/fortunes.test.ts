/**
 * The real text showcase: the fortunes corpus (2,531 fortunes in 8 categories) in 8 clusters.
 * Prints each cluster's top words with its purity against the category and three fortunes'
 * most relevant words. With NEON_WRITE_DOCS=1 the same text is saved as
 * docs/fortunes-example.md (the README's example).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { explainItem, runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { REPO_ROOT, sharedData, skipUnlessShared } from '../helpers/sharedData';

const SKIP = skipUnlessShared('fortunes.jsonl');

describe('fortunes.jsonl, 8 clusters', { skip: SKIP }, () => {
  it('clusters the fortunes, explains them word by word, conserving the evidence', async () => {
    const file = sharedData('fortunes.jsonl') as string;
    const started = performance.now();
    const { result, state } = await runPipeline({ kind: 'auto', path: file }, { ...DEFAULT_SETTINGS, k: 8, labelColumn: 'category', flippingSample: 100 });
    const seconds = (performance.now() - started) / 1000;
    if (result.dataset.kind !== 'text' || state.dataset.kind !== 'text') throw new Error('expected a text dataset');
    const { documents, tokens } = result.dataset;
    const n = documents.length;
    assert.ok(n > 2000, `${n} fortunes`);

    // Conservation on every document (Float32 storage).
    let worst = 0;
    for (let d = 0; d < n; d++) {
      let s = 0;
      let scale = Math.abs(result.evidence[d]);
      for (let t = tokens.docStart[d]; t < tokens.docStart[d + 1]; t++) {
        s += result.tokenRelevance[t];
        scale += Math.abs(result.tokenRelevance[t]);
      }
      if (tokens.docStart[d + 1] > tokens.docStart[d]) worst = Math.max(worst, Math.abs(s - result.evidence[d]) / (scale + 1e-12));
    }
    assert.ok(worst < 1e-5, `worst relative conservation error ${worst}`);

    const q = result.quality;
    const lines: string[] = [];
    lines.push('# Example: the fortunes corpus in 8 clusters', '');
    lines.push(
      `\`neon-cluster fit --k 8 --label-column category fortunes.jsonl\` — ${n} fortunes, ${result.model.kind}, ` +
        `k = ${result.model.k}, beta = ${result.neon.beta.toPrecision(3)} (auto), ${result.dataset.vocabulary.length} words, ` +
        `word vectors: ${state.dataset.preprocessing.vectorSource}, ${state.dataset.preprocessing.dim} dimensions.`,
      '',
    );
    lines.push(
      `Quality against the \`category\` field: purity ${q.purity?.toFixed(3)}, NMI ${q.nmi?.toFixed(3)}, ARI ${q.ari?.toFixed(3)}, ` +
        `accuracy ${q.accuracy?.toFixed(3)}; silhouette ${q.silhouette?.toFixed(3)}. Run time ${seconds.toFixed(1)} s on one core.`,
      '',
    );
    lines.push('## Clusters: the words that set each apart (mean NEON relevance over its members × log lift; the number is the mean relevance)', '');
    lines.push(
      '| cluster | size | weak | majority category | purity | stability | label | distinctive words | most typical fortune |',
      '|---:|---:|---:|---|---:|---:|---|---|---|',
    );
    for (const c of result.clusters) {
      const words = c.top.slice(0, 8).map((t) => `${t.name} (${t.relevance.toPrecision(2)})`).join(', ');
      const typical = (c.examples?.[0]?.excerpt ?? '').replace(/\|/g, '\\|');
      lines.push(`| ${c.index} | ${c.size} | ${c.weakMembers ?? 0} | ${c.majorityLabel ?? ''} | ${c.purity?.toFixed(2) ?? ''} | ${c.stability?.toFixed(2) ?? ''} | ${c.label} | ${words} | ${typical} |`);
    }
    lines.push(
      '',
      'Stability: the mean Jaccard of the cluster with its best match when k-means is re-fitted on 10 random 75% samples of the fortunes (Hennig 2007; 1 = comes back intact).',
    );
    for (const c of result.clusters) if (c.mixed) lines.push('', `Cluster ${c.index}: ${c.mixed}`);
    lines.push('', '## Three fortunes and their most relevant words', '');
    const fileText = fs.readFileSync(file, 'utf8');
    // One well-explained fortune from each of the three largest clusters.
    const largest = [...result.clusters].sort((a, b) => b.size - a.size).slice(0, 3);
    for (const c of largest) {
      let best = -1;
      for (let d = 0; d < n; d++) {
        const len = tokens.docStart[d + 1] - tokens.docStart[d];
        if (result.assignments[d] === c.index && len >= 6 && len <= 30 && (best < 0 || result.evidence[d] > result.evidence[best])) best = d;
      }
      if (best < 0) continue;
      const item = explainItem(state, best);
      const words = item.tokens?.word ?? new Int32Array(0);
      // A word's occurrences summed: "war +0.108 (2x)".
      const perWord = new Map<string, { r: number; count: number }>();
      words.forEach((w, j) => {
        const e = perWord.get(result.units[w]) ?? { r: 0, count: 0 };
        perWord.set(result.units[w], { r: e.r + item.unitRelevance[j], count: e.count + 1 });
      });
      const ranked = [...perWord].map(([word, e]) => ({ word, ...e })).sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
      const doc = documents[best];
      const raw = fileText.slice(doc.start, doc.end);
      const text = JSON.parse(`"${raw}"`) as string;
      lines.push(`**${doc.name}** (category ${doc.label ?? '?'}) → cluster ${c.index} "${c.label}", evidence ${item.evidence.toFixed(3)}:`, '');
      lines.push('> ' + text.replace(/\s+/g, ' ').trim().slice(0, 300), '');
      lines.push(
        'Most relevant words: ' + ranked.slice(0, 8).map((x) => `${x.word} ${x.r >= 0 ? '+' : ''}${x.r.toFixed(3)}${x.count > 1 ? ` (${x.count}x)` : ''}`).join(', '),
        '',
      );
    }
    const report = lines.join('\n');
    console.log(report);
    if (process.env.NEON_WRITE_DOCS === '1') fs.writeFileSync(path.join(REPO_ROOT, 'docs', 'fortunes-example.md'), report);

    assert.equal(result.clusters.length, 8);
    // Every cluster carries its stability; a mixed cluster's label says so.
    for (const c of result.clusters) {
      assert.ok(c.stability !== undefined && c.stability > 0 && c.stability <= 1, `cluster ${c.index} stability ${c.stability}`);
      assert.equal(c.label.startsWith('mixed: '), c.mixed !== undefined);
      assert.ok(c.examples && c.examples.length === 3, `cluster ${c.index}: ${c.examples?.length} examples`);
    }
    assert.ok((q.purity ?? 0) > 0.45, `purity ${q.purity}`);
  });
});
