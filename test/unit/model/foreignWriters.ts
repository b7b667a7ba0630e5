/**
 * Writes a k-means model fitted here in each foreign format, to each producer's schema, for
 * the round-trip tests (importers.roundtrip.test.ts): a Spark ML PipelineModel folder
 * (VectorAssembler -> StandardScalerModel -> KMeansModel), a PMML ClusteringModel with Apply
 * DerivedFields, an ONNX graph as skl2onnx writes it for float64 input (Sub / Div scaling, Gemm,
 * Add of the squared norms, ArgMin), and a NumPy .npy array of the centres.
 */
import fs from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ONNX_PROTO } from '../../../src/engine/model/importers/onnxSchema';

/** A k-means model over standardised numeric columns: x' = (x − mean) / std. */
export interface ScaledKMeans {
  readonly columns: readonly string[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** K rows of D centre coordinates in the standardised space. */
  readonly centres: readonly (readonly number[])[];
}

const VECTOR = [
  { name: 'type', type: 'INT32', converted_type: 'INT_8', repetition_type: 'REQUIRED' },
  { name: 'size', type: 'INT32', repetition_type: 'OPTIONAL' },
  { name: 'indices', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'values', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'DOUBLE', repetition_type: 'REQUIRED' },
] as const;
const vectorGroup = (name: string) => [{ name, repetition_type: 'OPTIONAL', num_children: 4 }, ...VECTOR];
const dense = (values: readonly number[]) => ({ type: 1, size: null, indices: null, values: [...values] });

function writeMetadata(dir: string, doc: object): void {
  fs.mkdirSync(path.join(dir, 'metadata'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'metadata', 'part-00000'), JSON.stringify(doc) + '\n');
  fs.writeFileSync(path.join(dir, 'metadata', '_SUCCESS'), '');
}

function writeData(dir: string, columnData: { name: string; data: unknown[] }[], schema: object[]): void {
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  // hyparquet-writer's types want its own SchemaElement / DecodedArray; the shapes above are Spark's.
  const buf = parquetWriteBuffer({ columnData, schema, codec: 'SNAPPY' } as unknown as Parameters<typeof parquetWriteBuffer>[0]);
  fs.writeFileSync(path.join(dir, 'data', 'part-00000-0a1b2c3d-0000-4000-8000-000000000000-c000.snappy.parquet'), Buffer.from(buf));
  fs.writeFileSync(path.join(dir, 'data', '_SUCCESS'), '');
}

/** Spark ML PipelineModel folder (Spark 3.x layout). */
export function writeSparkPipeline(dir: string, m: ScaledKMeans): void {
  const uids = ['VectorAssembler_aaaaaaaaaaaa', 'StandardScaler_bbbbbbbbbbbb', 'KMeans_cccccccccccc'];
  const base = { timestamp: 1732960000000, sparkVersion: '3.5.1' };
  writeMetadata(dir, { class: 'org.apache.spark.ml.PipelineModel', ...base, uid: 'PipelineModel_dddddddddddd', paramMap: { stageUids: uids }, defaultParamMap: {} });
  const stage = (i: number) => path.join(dir, 'stages', `${i}_${uids[i]}`);
  writeMetadata(stage(0), { class: 'org.apache.spark.ml.feature.VectorAssembler', ...base, uid: uids[0], paramMap: { inputCols: m.columns, outputCol: 'assembled' }, defaultParamMap: { handleInvalid: 'error' } });
  writeMetadata(stage(1), { class: 'org.apache.spark.ml.feature.StandardScalerModel', ...base, uid: uids[1], paramMap: { inputCol: 'assembled', outputCol: 'scaled', withMean: true, withStd: true }, defaultParamMap: { withMean: false, withStd: true } });
  writeData(stage(1), [{ name: 'std', data: [dense(m.std)] }, { name: 'mean', data: [dense(m.mean)] }], [{ name: 'spark_schema', num_children: 2 }, ...vectorGroup('std'), ...vectorGroup('mean')]);
  writeMetadata(stage(2), { class: 'org.apache.spark.ml.clustering.KMeansModel', ...base, uid: uids[2], paramMap: { k: m.centres.length, featuresCol: 'scaled' }, defaultParamMap: { distanceMeasure: 'euclidean', featuresCol: 'features' } });
  writeData(
    stage(2),
    [
      { name: 'clusterIdx', data: m.centres.map((_, i) => i) },
      { name: 'clusterCenter', data: m.centres.map(dense) },
    ],
    [{ name: 'spark_schema', num_children: 2 }, { name: 'clusterIdx', type: 'INT32', repetition_type: 'REQUIRED' }, ...vectorGroup('clusterCenter')],
  );
}

/** PMML 4.4 ClusteringModel with (x − mean) / std as Apply DerivedFields. */
export function pmmlText(m: ScaledKMeans): string {
  const fields = m.columns.map((c) => `    <DataField name="${c}" optype="continuous" dataType="double"/>`).join('\n');
  const derived = m.columns
    .map(
      (c, j) =>
        `      <DerivedField name="z(${c})" optype="continuous" dataType="double"><Apply function="/"><Apply function="-"><FieldRef field="${c}"/><Constant>${m.mean[j]}</Constant></Apply><Constant>${m.std[j]}</Constant></Apply></DerivedField>`,
    )
    .join('\n');
  const clustering = m.columns.map((c) => `    <ClusteringField field="z(${c})"/>`).join('\n');
  const clusters = m.centres.map((c, i) => `    <Cluster id="${i}"><Array n="${c.length}" type="real">${c.join(' ')}</Array></Cluster>`).join('\n');
  return `<?xml version="1.0"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <DataDictionary numberOfFields="${m.columns.length}">
${fields}
  </DataDictionary>
  <ClusteringModel functionName="clustering" modelClass="centerBased" numberOfClusters="${m.centres.length}">
    <MiningSchema>${m.columns.map((c) => `<MiningField name="${c}"/>`).join('')}</MiningSchema>
    <LocalTransformations>
${derived}
    </LocalTransformations>
    <ComparisonMeasure kind="distance"><squaredEuclidean/></ComparisonMeasure>
${clustering}
${clusters}
  </ClusteringModel>
</PMML>
`;
}

/** ONNX as skl2onnx writes StandardScaler + KMeans for a float64 (DoubleTensorType) input. */
export function onnxBytes(m: ScaledKMeans): Uint8Array {
  const root = protobuf.parse(ONNX_PROTO).root;
  const Model = root.lookupType('onnx.ModelProto');
  const k = m.centres.length;
  const d = m.columns.length;
  const DOUBLE = 11;
  const tensor = (name: string, dims: number[], values: readonly number[]) => ({ name, dims, dataType: DOUBLE, doubleData: [...values] });
  const norms = m.centres.map((c) => c.reduce((s, v) => s + v * v, 0));
  const attr = (name: string, value: number, type: 'f' | 'i') => (type === 'f' ? { name, type: 1, f: value } : { name, type: 2, i: value });
  const node = (opType: string, input: string[], output: string[], attribute: object[] = []) => ({ opType, input, output, name: output[0], attribute });
  const doc = {
    irVersion: 8,
    producerName: 'skl2onnx',
    producerVersion: '1.16.0',
    opsetImport: [{ domain: '', version: 15 }],
    graph: {
      name: 'pipeline_kmeans',
      node: [
        node('Sub', ['X', 'Su_Subcst'], ['centered']),
        node('Div', ['centered', 'Di_Divcst'], ['variable']),
        node('ReduceSumSquare', ['variable'], ['rs'], [{ name: 'axes', type: 7, ints: [1] }, attr('keepdims', 1, 'i')]),
        node('Mul', ['rs', 'Mu_Mulcst'], ['zeros']),
        node('Gemm', ['variable', 'Ge_Gemmcst', 'zeros'], ['gemm_out'], [attr('alpha', -2, 'f'), attr('transB', 1, 'i')]),
        node('Add', ['rs', 'gemm_out'], ['z']),
        node('Add', ['Ad_Addcst', 'z'], ['y2']),
        node('ArgMin', ['y2'], ['label'], [attr('axis', 1, 'i'), attr('keepdims', 0, 'i')]),
        node('Sqrt', ['y2'], ['scores']),
      ],
      initializer: [
        tensor('Su_Subcst', [d], m.mean),
        tensor('Di_Divcst', [d], m.std),
        tensor('Mu_Mulcst', [1], [0]),
        tensor('Ge_Gemmcst', [k, d], m.centres.flat()),
        tensor('Ad_Addcst', [k], norms),
      ],
      input: [{ name: 'X', type: { tensorType: { elemType: DOUBLE, shape: { dim: [{ dimParam: 'N' }, { dimValue: d }] } } } }],
      output: [{ name: 'label', type: { tensorType: { elemType: 7, shape: { dim: [{ dimParam: 'N' }] } } } }],
    },
  };
  const err = Model.verify(doc);
  if (err) throw new Error(`ONNX writer: ${err}`);
  return Model.encode(Model.fromObject(doc)).finish();
}

/** numpy.save of a float64 C-order K × D array (NEP 1, format version 1.0). */
export function npyBytes(centres: readonly (readonly number[])[]): Uint8Array {
  const k = centres.length;
  const d = centres[0].length;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${k}, ${d}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const bytes = new Uint8Array(10 + header.length + 8 * k * d);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  bytes.set(new TextEncoder().encode(header), 10);
  centres.flat().forEach((v, i) => view.setFloat64(10 + header.length + 8 * i, v, true));
  return bytes;
}
