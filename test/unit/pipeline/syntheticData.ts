/**
 * Small seeded datasets written to a temporary folder: a table of three well separated blobs
 * (numeric, categorical, identifier and label columns) and a three-topic JSONL corpus.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../../../src/engine/rng';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `neon-${prefix}-`));
}

export const BLOB_CENTRES = [
  [0, 0, 0],
  [6, 0, 3],
  [0, 6, -3],
];

/** 3 blobs x `perCluster` rows: columns id, x, y, z, shade (categorical), kind (label). */
export function writeBlobTable(dir: string, perCluster = 20, seed = 7): string {
  const rng = new Rng(seed);
  const shades = ['red', 'green', 'blue'];
  const lines = ['id,x,y,z,shade,kind'];
  let id = 0;
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perCluster; i++) {
      const v = BLOB_CENTRES[c].map((m) => (m + 0.7 * rng.normal()).toFixed(4));
      // The shade mostly follows the cluster, so the categorical column carries evidence too.
      const shade = rng.next() < 0.85 ? shades[c] : shades[rng.int(3)];
      lines.push(`r${id++},${v.join(',')},${shade},kind${c}`);
    }
  }
  const file = path.join(dir, 'blobs.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const TOPICS = [
  ['planet', 'orbit', 'rocket', 'galaxy', 'telescope', 'astronaut', 'comet', 'lunar', 'star', 'launch'],
  ['recipe', 'butter', 'oven', 'flour', 'sugar', 'bake', 'dough', 'cream', 'vanilla', 'bread'],
  ['goal', 'match', 'team', 'league', 'coach', 'score', 'stadium', 'player', 'season', 'referee'],
];
const SHARED = ['today', 'people', 'really', 'great', 'thing', 'week'];

/** 3 topics x `perTopic` documents of ~14 words, as JSONL {"text", "category"}. */
export function writeTopicCorpus(dir: string, perTopic = 20, seed = 11): string {
  const rng = new Rng(seed);
  const lines: string[] = [];
  for (let t = 0; t < 3; t++) {
    for (let d = 0; d < perTopic; d++) {
      const words: string[] = [];
      for (let w = 0; w < 14; w++) words.push(rng.next() < 0.8 ? TOPICS[t][rng.int(10)] : SHARED[rng.int(SHARED.length)]);
      lines.push(JSON.stringify({ text: `${words.slice(0, 7).join(' ')}.\n${words.slice(7).join(' ')}!`, category: ['space', 'baking', 'football'][t] }));
    }
  }
  const file = path.join(dir, 'topics.jsonl');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
