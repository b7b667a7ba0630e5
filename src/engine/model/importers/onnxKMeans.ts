/**
 * k-means exported to ONNX by skl2onnx (`convert_sklearn` of KMeans / MiniBatchKMeans, alone or
 * after a StandardScaler). skl2onnx's k-means converter computes the squared distances as
 *
 *   c2 + (ReduceSumSquare(X, axes=[1], keepdims=1) + Gemm(X, C, 0, alpha=-2, transB=1))
 *
 * with the centroids C (K × D) as Gemm's B initializer, plus Add(c2, ·) of their squared norms
 * c2 (K), then ArgMin over axis 1 for the label (with the gemm=False option: MatMul(X, −2 Cᵀ)). A preceding StandardScaler becomes an
 * ai.onnx.ml `Scaler` node (y = (x − offset) · scale) in float32, or Sub / Div (Mul) nodes
 * with initializers in float64. Both are read as the per-input scaling, so the user explains
 * the raw columns.
 *
 * Decoding: protobufjs with ONNX's own onnx-ml.proto (onnxSchema.ts). Sources: skl2onnx
 * operator_converters/k_means.py, ONNX IR spec and operator docs (Gemm, ai.onnx.ml.Scaler),
 * cited in docs/model-file.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { ImportError, namesFor, type ModelImporter } from './importer';
import { kmeansImport } from './kmeansImport';
import { ONNX_PROTO } from './onnxSchema';

interface Tensor {
  readonly dims: number[];
  readonly values: Float64Array;
  readonly float32: boolean;
}

interface OnnxAttribute {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  floats?: number[];
  ints?: number[];
  t?: OnnxTensor;
}

interface OnnxTensor {
  name?: string;
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  doubleData?: number[];
  int64Data?: number[];
  int32Data?: number[];
  rawData?: Uint8Array;
}

interface OnnxNode {
  input?: string[];
  output?: string[];
  opType?: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}

interface OnnxGraph {
  node?: OnnxNode[];
  initializer?: OnnxTensor[];
  input?: { name?: string; type?: { tensorType?: { shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } } }[];
}

let modelType: protobuf.Type | undefined;

function onnxModelType(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_PROTO, { keepCase: false }).root.lookupType('onnx.ModelProto');
  return modelType;
}

const FLOAT = 1;
const DOUBLE = 11;
const INT32 = 6;
const INT64 = 7;

function tensorValues(t: OnnxTensor, label: string): Tensor {
  const dims = (t.dims ?? []).map(Number);
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  let values: Float64Array;
  switch (t.dataType) {
    case FLOAT:
      values = view ? Float64Array.from({ length: raw!.length / 4 }, (_, i) => view.getFloat32(i * 4, true)) : Float64Array.from(t.floatData ?? []);
      break;
    case DOUBLE:
      values = view ? Float64Array.from({ length: raw!.length / 8 }, (_, i) => view.getFloat64(i * 8, true)) : Float64Array.from(t.doubleData ?? []);
      break;
    case INT64:
      values = view ? Float64Array.from({ length: raw!.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true))) : Float64Array.from((t.int64Data ?? []).map(Number));
      break;
    case INT32:
      values = view ? Float64Array.from({ length: raw!.length / 4 }, (_, i) => view.getInt32(i * 4, true)) : Float64Array.from(t.int32Data ?? []);
      break;
    default:
      throw new ImportError(label, `tensor "${t.name ?? ''}" has ONNX data type ${t.dataType ?? '?'}; float, double and integer tensors are read`);
  }
  return { dims, values, float32: t.dataType === FLOAT };
}

function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attribute?.find((a) => a.name === name);
}

function numberAttr(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  if (!a) return fallback;
  if (a.type === 1) return a.f ?? 0; // AttributeProto.FLOAT (a default 0 is not serialised)
  if (a.type === 2) return Number(a.i ?? 0); // AttributeProto.INT
  return fallback;
}

/** Per-input affine map y = a x + b, composed along the nodes between the graph input and Gemm. */
interface Affine {
  a: Float64Array;
  b: Float64Array;
}

function broadcast(values: Float64Array, dim: number, label: string, what: string): Float64Array {
  if (values.length === dim) return values;
  if (values.length === 1) return new Float64Array(dim).fill(values[0]);
  throw new ImportError(label, `${what} has ${values.length} values, expected 1 or ${dim} (one per input)`);
}

/** Decodes `bytes` as an ONNX model and finds skl2onnx's k-means. Exported for tests. */
export function readOnnxKMeans(bytes: Uint8Array, label: string, featureNames?: readonly string[]): ReturnType<typeof kmeansImport> {
  let model: { graph?: OnnxGraph; producerName?: string };
  try {
    const type = onnxModelType();
    model = type.toObject(type.decode(bytes), { longs: Number, bytes: Uint8Array, defaults: false, arrays: true }) as typeof model;
  } catch (e) {
    throw new ImportError(label, `is not an ONNX model (${e instanceof Error ? e.message : String(e)})`);
  }
  const graph = model.graph;
  if (!graph?.node?.length) throw new ImportError(label, 'is not an ONNX model with a graph of nodes');
  const nodes = graph.node;
  const constants = new Map<string, OnnxTensor>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', t);
  for (const n of nodes) {
    const value = n.opType === 'Constant' ? attribute(n, 'value')?.t : undefined;
    if (value && n.output?.[0]) constants.set(n.output[0], value);
  }
  const constant = (name: string | undefined): Tensor | undefined => {
    const t = name === undefined ? undefined : constants.get(name);
    return t ? tensorValues(t, label) : undefined;
  };

  // The distance product: Gemm(X, C, ·, alpha = −2, transB = 1) (or MatMul(X, −2 Cᵀ) with
  // skl2onnx's gemm=False option), whose output reaches ArgMin through Add nodes, one of which
  // (or Gemm's own C input) adds the centroids' squared norms: that is what makes it a squared
  // distance ||x||² − 2 x·μ_k + ||μ_k||².
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of nodes) for (const i of n.input ?? []) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const reachesArgMinWithNorms = (start: OnnxNode, norms: Float64Array, gemmBias?: Float64Array): boolean => {
    const close = (v: Float64Array | undefined): boolean => !!v && v.length === norms.length && norms.every((s, c) => Math.abs(v[c] - s) <= 1e-5 * (1 + s));
    let normsAdded = close(gemmBias);
    let frontier = [start];
    for (let depth = 0; depth < 6 && frontier.length; depth++) {
      const next: OnnxNode[] = [];
      for (const n of frontier) {
        for (const out of n.output ?? []) {
          for (const c of consumers.get(out) ?? []) {
            if (c.opType === 'ArgMin') return normsAdded || (c.input ?? []).some((i) => close(constant(i)?.values));
            if (c.opType !== 'Add') continue;
            if ((c.input ?? []).some((i) => close(constant(i)?.values))) normsAdded = true;
            next.push(c);
          }
        }
      }
      frontier = next;
    }
    return false;
  };
  let found: { node: OnnxNode; centres: Tensor; k: number; dim: number } | undefined;
  for (const n of nodes) {
    const B = constant(n.input?.[1]);
    if (!B || B.dims.length !== 2) continue;
    let k: number;
    let dim: number;
    let centres: Float64Array;
    let gemmBias: Float64Array | undefined;
    if (n.opType === 'Gemm' && numberAttr(n, 'alpha', 1) === -2 && numberAttr(n, 'transA', 0) === 0) {
      const transB = numberAttr(n, 'transB', 0) === 1;
      [k, dim] = transB ? B.dims : [B.dims[1], B.dims[0]];
      centres = transB ? B.values : Float64Array.from({ length: k * dim }, (_, i) => B.values[(i % dim) * k + Math.floor(i / dim)]);
      const C = constant(n.input?.[2]);
      if (C) gemmBias = C.values.map((v) => v * numberAttr(n, 'beta', 1));
    } else if (n.opType === 'MatMul') {
      [dim, k] = B.dims;
      centres = Float64Array.from({ length: k * dim }, (_, i) => -B.values[(i % dim) * k + Math.floor(i / dim)] / 2);
    } else continue;
    const norms = new Float64Array(k);
    for (let c = 0; c < k; c++) for (let j = 0; j < dim; j++) norms[c] += centres[c * dim + j] ** 2;
    if (reachesArgMinWithNorms(n, norms, gemmBias)) {
      found = { node: n, centres: { dims: [k, dim], values: centres, float32: B.float32 }, k, dim };
      break;
    }
  }
  if (!found) {
    const ops = [...new Set(nodes.map((n) => n.opType))].join(', ');
    throw new ImportError(label, `holds no k-means graph as skl2onnx writes it (Gemm with alpha = −2 against the centroids, plus their squared norms, then ArgMin); its operators are ${ops}`);
  }
  const { k, dim } = found;

  // Walk back from Gemm's input A to the graph input through scaling nodes.
  const producers = new Map<string, OnnxNode>();
  for (const n of nodes) for (const o of n.output ?? []) producers.set(o, n);
  const chain: { op: string; a?: Float64Array; b?: Float64Array }[] = [];
  let current = found.node.input?.[0] ?? '';
  const graphInputs = new Set((graph.input ?? []).map((i) => i.name ?? ''));
  while (!graphInputs.has(current) || constants.has(current)) {
    const p = producers.get(current);
    if (!p) throw new ImportError(label, `the k-means input "${current}" is neither a graph input nor produced by a node`);
    const op = p.opType ?? '';
    const other = (): Float64Array => {
      const c = constant(p.input?.[1]);
      if (!c) throw new ImportError(label, `${op} node "${p.output?.[0] ?? ''}" before the k-means combines two computed tensors; only scaling by constants is explained`);
      return broadcast(c.values, dim, label, `${op} constant`);
    };
    if (op === 'Scaler') {
      const scale = broadcast(Float64Array.from(attribute(p, 'scale')?.floats ?? [1]), dim, label, 'Scaler scale');
      const offset = broadcast(Float64Array.from(attribute(p, 'offset')?.floats ?? [0]), dim, label, 'Scaler offset');
      chain.push({ op, a: scale, b: offset.map((o, j) => -o * scale[j]) });
    } else if (op === 'Sub') chain.push({ op, b: other().map((v) => -v) });
    else if (op === 'Add') chain.push({ op, b: other() });
    else if (op === 'Mul') chain.push({ op, a: other() });
    else if (op === 'Div') chain.push({ op, a: other().map((v) => 1 / v) });
    else if (op !== 'Cast' && op !== 'Identity') {
      throw new ImportError(label, `the k-means input passes through a ${p.domain ? `${p.domain}.` : ''}${op} node; only Scaler, Sub, Add, Mul, Div, Cast and Identity before the k-means are explained`);
    }
    current = p.input?.[0] ?? '';
  }
  // Compose forward: y = a x + b per input.
  const affine: Affine = { a: new Float64Array(dim).fill(1), b: new Float64Array(dim) };
  for (let s = chain.length - 1; s >= 0; s--) {
    const step = chain[s];
    for (let j = 0; j < dim; j++) {
      const a = step.a ? step.a[j] : 1;
      affine.a[j] *= a;
      affine.b[j] = affine.b[j] * a + (step.b ? step.b[j] : 0);
    }
  }
  const input = (graph.input ?? []).find((i) => i.name === current);
  const width = input?.type?.tensorType?.shape?.dim?.[1]?.dimValue;
  if (width !== undefined && Number(width) !== dim) throw new ImportError(label, `input "${current}" has ${width} columns but the centroids have ${dim} coordinates`);

  // y = a x + b  ->  sign(a) y = (x − mean) / std with mean = −b/a, std = 1/|a|; centre × sign(a).
  const notes: string[] = [];
  const centroids = Float64Array.from(found.centres.values);
  let scaling: { mean: Float64Array; std: Float64Array } | undefined;
  if (chain.length) {
    const mean = new Float64Array(dim);
    const std = new Float64Array(dim);
    for (let j = 0; j < dim; j++) {
      const a = affine.a[j];
      if (a === 0) {
        mean[j] = 0;
        std[j] = 0;
        continue;
      }
      mean[j] = -affine.b[j] / a;
      std[j] = 1 / Math.abs(a);
      if (a < 0) for (let c = 0; c < k; c++) centroids[c * dim + j] = -centroids[c * dim + j];
    }
    scaling = { mean, std };
  }
  if (found.centres.float32) notes.push(`${label}: float32 centroids (skl2onnx's default); the data is read in float64.`);
  const named = namesFor(dim, featureNames ? { featureNames } : {}, label);
  notes.push(...named.notes);
  return kmeansImport({
    file: label,
    format: 'ONNX k-means (skl2onnx)',
    centroids,
    k,
    dim,
    featureNames: named.featureNames,
    ...(named.unnamedInputs ? { unnamedInputs: true } : {}),
    ...(scaling ? { scaling } : {}),
    notes,
  });
}

export const onnxImporter: ModelImporter = {
  format: 'ONNX k-means (skl2onnx)',
  accepts(file, isFolder) {
    return !isFolder && /\.onnx$/i.test(file);
  },
  async read(file, options) {
    return readOnnxKMeans(new Uint8Array(fs.readFileSync(file)), path.basename(file), options.featureNames);
  },
};
