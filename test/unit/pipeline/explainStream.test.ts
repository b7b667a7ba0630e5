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
import { BLOB_CENTRES, tempDir, writeBlobTable } from './syntheticData';

const at = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'foreign', name);
const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const NEON = { beta: 0.5, evidence: 'hard' as const, rule: 'midpoint' as const };

/** `run`'s result and the bytes of every SharedArrayBuffer created while it ran. */
async function sharedBytesOf<T>(run: () => Promise<T>): Promise<{ bytes: number; value: T }> {
  const Original = globalThis.SharedArrayBuffer;
  let bytes = 0;
  class Counting extends Original {
    constructor(length: number) {
      super(length);
      bytes += length;
    }
  }
  globalThis.SharedArrayBuffer = Counting as SharedArrayBufferConstructor;
  try {
    const value = await run();
    return { bytes, value };
  } finally {
    globalThis.SharedArrayBuffer = Original;
  }
}

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

  it('allocates one chunk\'s shared memory for the whole stream, and each chunk keeps its own outputs', async () => {
    // Compute threads free a SharedArrayBuffer only at their next garbage collection, which
    // (pooling in WebAssembly) comes ~10 s apart: fresh shared outputs per chunk made the
    // peak memory of `neon-cluster explain` grow with the input (489 MB at 5M rows vs 151 MB
    // at 50k). 60 chunks must allocate no more shared memory than 6, give or take bytes.
    const dir = tempDir('stream-shared');
    try {
      const modelFile = path.join(dir, 'model.json');
      const doc = { format: 'neon-cluster-model', version: 1, kind: 'kmeans', featureNames: ['x', 'y', 'z'], preprocessing: { kind: 'none' }, centroids: BLOB_CENTRES, neon: { beta: 0.5 } };
      fs.writeFileSync(modelFile, JSON.stringify(doc));
      const given = await importModel(modelFile);
      const table = (perCluster: number): string => writeBlobTable(fs.mkdtempSync(path.join(dir, 't')), perCluster);
      const short = table(200); // 600 rows: 6 chunks of 100
      const long = table(2000); // 6,000 rows: 60 chunks
      const stream = async (file: string, chunkRows: number): Promise<ExplainedChunk[]> => {
        const chunks: ExplainedChunk[] = [];
        for await (const c of explainTableStream(await openTable(file), given, { ...NEON, chunkRows })) chunks.push(c);
        return chunks;
      };
      const a = await sharedBytesOf(() => stream(short, 100));
      const b = await sharedBytesOf(() => stream(long, 100));
      assert.equal(a.value.filter((c) => c.rows > 0).length, 6);
      assert.equal(b.value.filter((c) => c.rows > 0).length, 60);
      // One chunk's rows and outputs: 100 x (3 features + cluster, evidence, probability, status + 3 columns).
      const chunkBytes = 100 * (3 * 8 + 4 + 8 + 8 + 1 + 3 * 8);
      assert.ok(a.bytes >= chunkBytes, `the space holds a chunk: ${a.bytes} bytes`);
      assert.ok(b.bytes - a.bytes < chunkBytes, `54 more chunks allocated ${b.bytes - a.bytes} bytes of shared memory (one chunk: ${chunkBytes})`);
      // Outputs kept past the next chunk are the chunk's own: the same as one whole chunk.
      const [whole] = await stream(long, 16_384);
      let row = 0;
      for (const c of b.value) {
        assert.ok(!(c.relevance.buffer instanceof SharedArrayBuffer), 'outputs are copies out of the shared space');
        for (let i = 0; i < c.rows; i++, row++) {
          assert.equal(c.cluster[i], whole.cluster[row], `row ${row}`);
          assert.equal(c.evidence[i], whole.evidence[row], `row ${row}`);
          for (let j = 0; j < 3; j++) assert.equal(c.relevance[i * 3 + j], whole.relevance[row * 3 + j], `row ${row} column ${j}`);
        }
      }
      assert.equal(row, 6000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
