/**
 * The label-like names are one list (columnTyping.LABEL_NAMES): the `labelColumn` setting's
 * description and the README quote it word for word (trial7 D10e: they listed 7 and 16), and a
 * column saved from an earlier clustering (`cluster`, trial7 D3) is one of them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { inspectDataset } from '../../../src/engine/data/inspectDataset';
import { isClusterLikeName, isLabelLikeName, LABEL_NAMES, LABEL_WORDS } from '../../../src/engine/data/columnTyping';
import { runPipeline } from '../../../src/engine/pipeline';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { REPO_ROOT } from '../helpers/sharedData';
import { FIXTURES } from './fixturePaths';

const quoted = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');
const LIST = `named ${quoted(LABEL_NAMES)} (\`y\` unless there is an \`x\`), or with one of the words ${quoted(LABEL_WORDS)} in a longer name`;

test('the labelColumn setting and the README list the engine\'s label names and words, all of them', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const setting: string = pkg.contributes.configuration.properties['neonClusterExplorer.labelColumn'].markdownDescription;
  assert.ok(setting.includes(LIST), `package.json labelColumn description lacks:\n${LIST}\nhas:\n${setting}`);
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  assert.equal(readme.split(LIST).length - 1, 2, 'the README quotes the list in Datasets and in the settings table');
  for (const n of LABEL_NAMES) assert.ok(isLabelLikeName(n), n);
  for (const w of LABEL_WORDS) assert.ok(isLabelLikeName(`my ${w}`), w);
});

test('a saved clustering\'s column is label-like: cluster, cluster_id, Cluster ID, kmeans_label; cluster_size is not', () => {
  for (const n of ['cluster', 'Cluster', 'cluster_id', 'Cluster ID', 'clusters', 'kmeans', 'kmeans_label']) {
    assert.ok(isLabelLikeName(n) && isClusterLikeName(n), n);
  }
  for (const n of ['cluster_size', 'segment', 'clustering_time']) assert.equal(isLabelLikeName(n), false, n);
});

test('stores.tsv (trial7 D3): `cluster` (a saved KMeans.fit_predict) is proposed as the label and is no feature; the note says why', async () => {
  const file = path.join(FIXTURES, 'trial7', 'stores.tsv');
  const i = await inspectDataset({ kind: 'auto', path: file });
  assert.equal(i.suggestedLabel, 'cluster');
  assert.equal(i.columns.find((c) => c.name === 'cluster')?.labelLike, true);
  const { result } = await runPipeline({ kind: 'table', path: file }, { ...DEFAULT_SETTINGS, k: 4, flippingSample: 0 });
  assert.ok(!result.featureNames.some((f) => f.startsWith('cluster')), result.featureNames.join(', '));
  assert.equal(result.dataset.kind === 'table' ? result.dataset.labelColumn : undefined, 'cluster');
  assert.ok(
    result.dataset.notes.some((n) => n.startsWith('stores.tsv: column "cluster" is named like an earlier clustering\'s assignment (cluster, clusters, cluster_id, cluster_label, kmeans, kmeans_cluster, kmeans_label), so it is the label')),
    result.dataset.notes.join('\n'),
  );
});
