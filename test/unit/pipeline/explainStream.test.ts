/**
 * Streamed explanations: chunk by chunk under a given model, the same clusters, evidence and
 * per-column relevances as the whole-table pipeline, whatever the chunk size; stdin reads as
 * the file does; and the CLI writes the same CSV from a file, from stdin and from Parquet.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openCsvStream } from '../../../src/engine/data/csvTableReader';
import { openTable } from '../../../src/engine/data/tableFormats';
import { importModel } from '../../../src/engine/model/importers';
import { runPipeline } from '../../../src/engine/pipeline';
import { explainTableStream, type ExplainedChunk } from '../../../src/engine/pipeline/explainStream';
import { DEFAULT_SETTINGS } from '../../../src/engine/pipelineTypes';
import { REPO_ROOT } from '../helpers/sharedData';

const at = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'foreign', name);
const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const NEON = { beta: 0.5, evidence: 'hard' as const, rule: 'midpoint' as const };

async function collect(chunks: AsyncIterable<ExplainedChunk>): Promise<{ cluster: number[]; evidence: number[]; relevance: number[]; sizes: number[] }> {
  const out = { cluster: [] as number[], evidence: [] as number[], relevance: [] as number[], sizes: [] as number[] };
  for await (const c of chunks) {
    out.cluster.push(...c.cluster);
    out.evidence.push(...c.evidence);
    out.relevance.push(...c.relevance);
    out.sizes.push(c.rows);
  }
  return out;
}

describe('explainTableStream', () => {
  it('gives the whole-table pipeline\'s clusters, evidence and column relevances, for any chunk size', async () => {
    const given = await importModel(at('spark-pipeline-model'));
    const { result } = await runPipeline({ kind: 'auto', path: at('customers.csv') }, { ...DEFAULT_SETTINGS, ...NEON, flippingSample: 0 }, undefined, given);
    const whole = result.dataset.kind === 'table' ? result.dataset.columns.map((c) => c.name) : [];
    const unit = ['age', 'income', 'visits', 'spend'].map((c) => whole.indexOf(c));
    for (const chunkRows of [7, 64, 16_384]) {
      const s = await collect(explainTableStream(await openTable(at('customers.csv')), given, { ...NEON, chunkRows }));
      assert.equal(s.sizes[0], Math.min(chunkRows, 300));
      assert.deepEqual(s.cluster, Array.from(result.assignments), `chunkRows ${chunkRows}`);
      s.evidence.forEach((e, i) => assert.ok(Math.abs(e - result.evidence[i]) <= 1e-9 * (1 + Math.abs(e)), `row ${i} evidence`));
      // The pipeline keeps relevance in float32 for the panel: agree to float32 precision.
      for (let i = 0; i < 300; i++) {
        unit.forEach((u, c) => {
          const a = s.relevance[i * 4 + c];
          const b = result.rowRelevance[i * whole.length + u];
          assert.ok(Math.abs(a - b) <= 1e-6 * (1 + Math.abs(a)), `row ${i} ${c}: ${a} vs ${b}`);
        });
      }
    }
  });

  it('the reference rule (reference = the mean of the model\'s centroids) streams as the whole run explains', async () => {
    const given = await importModel(at('spark-pipeline-model'));
    const settings = { ...DEFAULT_SETTINGS, ...NEON, rule: 'reference' as const, flippingSample: 0 };
    const { result } = await runPipeline({ kind: 'auto', path: at('customers.csv') }, settings, undefined, given);
    const s = await collect(explainTableStream(await openTable(at('customers.csv')), given, { ...NEON, rule: 'reference', chunkRows: 64 }));
    assert.deepEqual(s.cluster, Array.from(result.assignments));
    s.evidence.forEach((e, i) => assert.ok(Math.abs(e - result.evidence[i]) <= 1e-9 * (1 + Math.abs(e)), `row ${i} evidence`));
    const whole = result.dataset.kind === 'table' ? result.dataset.columns.map((c) => c.name) : [];
    const age = whole.indexOf('age');
    for (let i = 0; i < 300; i++) assert.ok(Math.abs(s.relevance[i * 4] - result.rowRelevance[i * whole.length + age]) <= 1e-6 * (1 + Math.abs(s.relevance[i * 4])), `row ${i}`);
  });

  it('reads a stream (stdin) exactly as the file, and a Parquet folder as its CSV', async () => {
    const given = await importModel(at('spark-pipeline-model'));
    const file = await collect(explainTableStream(await openTable(at('customers.csv')), given, NEON));
    const stream = await collect(explainTableStream(await openCsvStream(fs.createReadStream(at('customers.csv')), 'stdin'), given, { ...NEON, chunkRows: 50 }));
    const parquet = await collect(explainTableStream(await openTable(at('customers-parts')), given, NEON));
    assert.deepEqual(stream.cluster, file.cluster);
    assert.deepEqual(stream.relevance, file.relevance);
    assert.deepEqual(parquet.relevance, file.relevance);
  });

  it('a model column missing from the input is an error naming the file', async () => {
    const given = await importModel(at('sklearn-centres.npy'), { featureNames: ['age', 'income', 'visits', 'height'] });
    await assert.rejects(collect(explainTableStream(await openTable(at('customers.csv')), given, NEON)), /customers\.csv: missing column\(s\) required by the model: "height"/);
  });
});

describe('neon-cluster explain streams tables', () => {
  const cli = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, ...(input !== undefined ? { input } : {}) });

  it('stdin ("-") with --id-column writes the same rows as the file, keyed by the id', () => {
    const file = cli(['explain', '--model-file', at('spark-pipeline-model'), '--beta', '0.5', at('customers.csv')]);
    const stdin = cli(['explain', '--model-file', at('spark-pipeline-model'), '--beta', '0.5', '--id-column', 'id', '-'], fs.readFileSync(at('customers.csv'), 'utf8'));
    assert.equal(file.status, 0, file.stderr);
    assert.equal(stdin.status, 0, stdin.stderr);
    const a = file.stdout.trimEnd().split('\n');
    const b = stdin.stdout.trimEnd().split('\n');
    assert.equal(b[0], 'id,cluster,evidence,R:age,R:income,R:visits,R:spend');
    const ids = fs.readFileSync(at('customers.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]);
    for (let i = 1; i < a.length; i++) assert.equal(b[i], `${ids[i - 1]}${a[i].slice(a[i].indexOf(','))}`);
  });

  it('an unnamed model read from stdin asks for --features', () => {
    const r = cli(['explain', '--model-file', at('sklearn-centres.npy'), '-'], 'a,b\n1,2\n');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /names no inputs: give --features a,b,c when reading stdin/);
  });
});
