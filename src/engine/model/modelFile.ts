/**
 * The model file: a fitted clustering model, the preprocessing that maps raw data to its
 * inputs, and (optionally) the NEON settings to explain it with, as one JSON document.
 * Simple enough to write by hand or to export from another tool (e.g. scikit-learn's
 * `cluster_centers_`); the format is documented in docs/model-file.md.
 *
 *   { "format": "neon-cluster-model", "version": 1, "kind": "kmeans",
 *     "featureNames": ["x", "y"], "preprocessing": { "kind": "none" },
 *     "centroids": [[0, 0], [4, 4]] }
 */
import type {
  Activation,
  ClusterModel,
  ColumnTransform,
  DeepKMeansModel,
  DenseLayer,
  EvidenceForm,
  FirstLayerRule,
  IdcModel,
  KernelKMeansModel,
  KMeansModel,
  ModelKind,
  Preprocessing,
  TablePreprocessing,
  TextPreprocessing,
} from '../types';
import type { ClusterSettings } from '../pipelineTypes';
import { formatJson, matrixRows } from './jsonWriter';
import {
  type Json,
  JsonPath,
  type JsonObject,
  parseJsonText,
  readArray,
  readEnum,
  readInteger,
  readMatrix,
  readNumber,
  readObject,
  readPositiveNumber,
  readString,
  readStringArray,
  readVector,
} from './jsonReader';

export { parseCentroidsCsv } from './centroidsCsv';

export const MODEL_FORMAT = 'neon-cluster-model';
/**
 * The highest model-file version this code reads. Version 2 marks a file whose categorical
 * inputs are not 0/1 (`indicator` ≠ 1, NEON's 1/√2): a version-1 reader ignores the unknown
 * column key and would apply 0/1 against centroids fitted at 1/√2, giving wrong clusters and
 * relevances without a word (review6 F3); it refuses version 2 with its version message.
 */
export const MODEL_VERSION = 2;

/** The version a file is written with: 2 when some categorical column's `indicator` ≠ 1, else 1 (earlier releases read it). */
export function modelFileVersion(pre: Preprocessing): number {
  return pre.kind === 'table' && pre.columns.some((c) => c.kind === 'categorical' && c.indicator !== undefined && c.indicator !== 1) ? 2 : 1;
}
const MODEL_KINDS: readonly ModelKind[] = ['kmeans', 'kernel-kmeans', 'deep-kmeans', 'idc'];
const ACTIVATIONS: readonly Activation[] = ['relu', 'linear', 'sigmoid', 'tanh'];

/** NEON settings stored with a model; each one missing means "use the caller's setting". */
export interface StoredNeonSettings {
  readonly beta?: number | 'auto';
  readonly evidence?: EvidenceForm;
  readonly rule?: FirstLayerRule;
  /** The reference rule's reference point (D numbers; `fit` stores the training data mean). */
  readonly reference?: readonly number[];
  /** What `reference` is, e.g. "data mean". */
  readonly referenceName?: string;
}

/**
 * NEON settings for explaining with a stored model: what the user set explicitly wins, then the
 * model file's `neon` block, then `settings` as they are (defaults). Shared by the CLI (flags
 * given on the command line) and the extension (keys set in VS Code's settings).
 */
export function applyStoredNeon(settings: ClusterSettings, stored: StoredNeonSettings | undefined, userSet: (key: keyof StoredNeonSettings) => boolean): ClusterSettings {
  if (!stored) return settings;
  return {
    ...settings,
    beta: userSet('beta') ? settings.beta : (stored.beta ?? settings.beta),
    evidence: userSet('evidence') ? settings.evidence : (stored.evidence ?? settings.evidence),
    rule: userSet('rule') ? settings.rule : (stored.rule ?? settings.rule),
    // The stored point stands for "mean" (the training mean); a reference the user gives wins.
    ...(stored.reference && !userSet('reference') ? { storedReference: { point: stored.reference, ...(stored.referenceName !== undefined ? { name: stored.referenceName } : {}) } } : {}),
  };
}

/** Everything a model file holds. */
export interface ModelFileContents {
  readonly model: ClusterModel;
  readonly preprocessing: Preprocessing;
  /** Names of the model inputs (length = model.dim). */
  readonly featureNames: readonly string[];
  readonly neon?: StoredNeonSettings;
  /** Readable names of the clusters, index = cluster. */
  readonly clusterLabels?: readonly string[];
  /** Free-form provenance (tool, date, dataset); kept as JSON text values. */
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
}

export interface ParsedModelFile extends ModelFileContents {
  /** Things the user may want to know (ignored keys, defaults applied). */
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

function layersJson(layers: readonly DenseLayer[]): Json[] {
  return layers.map((l) => ({
    weights: matrixRows(l.weights, l.outputs, l.inputs),
    bias: Array.from(l.bias),
    activation: l.activation,
  }));
}

function preprocessingJson(pre: Preprocessing): Json {
  switch (pre.kind) {
    case 'none':
      return { kind: 'none' };
    case 'table':
      return {
        kind: 'table',
        missing: pre.missing,
        columns: pre.columns.map((c): JsonObject =>
          c.kind === 'numeric'
            ? { column: c.column, kind: 'numeric', mean: c.mean, std: c.std }
            : { column: c.column, kind: 'categorical', categories: [...c.categories], ...(c.indicator !== undefined ? { indicator: c.indicator } : {}) },
        ),
      };
    case 'text':
      return {
        kind: 'text',
        minWordLength: pre.minWordLength,
        stopWords: pre.stopWords,
        vectorSource: pre.vectorSource,
        ...(pre.normalization !== undefined ? { normalization: pre.normalization } : {}),
        ...(pre.textColumn !== undefined ? { textColumn: pre.textColumn } : {}),
        vocabulary: [...pre.vocabulary],
        wordVectors: matrixRows(pre.wordVectors, pre.vocabulary.length, pre.dim),
      };
  }
}

function modelJson(model: ClusterModel): JsonObject {
  switch (model.kind) {
    case 'kmeans':
      return { centroids: matrixRows(model.centroids, model.k, model.dim) };
    case 'kernel-kmeans':
      return {
        kernel: {
          gamma: model.gamma,
          supportVectors: matrixRows(model.supportVectors, model.supportCluster.length, model.dim),
          supportClusters: Array.from(model.supportCluster),
          bias: Array.from(model.bias),
        },
      };
    case 'deep-kmeans': {
      const last = model.layers.length ? model.layers[model.layers.length - 1].outputs : model.dim;
      return {
        deep: {
          layers: layersJson(model.layers),
          centroids: matrixRows(model.centroids, model.k, last),
          inputLow: Array.from(model.inputLow),
          inputHigh: Array.from(model.inputHigh),
        },
      };
    }
    case 'idc':
      return {
        idc: {
          gateNet: layersJson(model.gateNet),
          encoder: layersJson(model.encoder),
          clusterHead: layersJson(model.clusterHead),
          clusterGates: matrixRows(model.clusterGates, model.k, model.dim),
        },
      };
  }
}

/** The model file text for `contents` (stable key order, numbers round-trip exactly). */
export function serializeModel(contents: ModelFileContents): string {
  const doc: JsonObject = {
    format: MODEL_FORMAT,
    version: modelFileVersion(contents.preprocessing),
    kind: contents.model.kind,
    k: contents.model.k,
    featureNames: [...contents.featureNames],
    preprocessing: preprocessingJson(contents.preprocessing),
    ...modelJson(contents.model),
  };
  if (contents.neon) {
    const neon: JsonObject = {};
    if (contents.neon.beta !== undefined) neon.beta = contents.neon.beta;
    if (contents.neon.evidence !== undefined) neon.evidence = contents.neon.evidence;
    if (contents.neon.rule !== undefined) neon.rule = contents.neon.rule;
    if (contents.neon.reference !== undefined) neon.reference = Array.from(contents.neon.reference);
    if (contents.neon.referenceName !== undefined) neon.referenceName = contents.neon.referenceName;
    doc.neon = neon;
  }
  if (contents.clusterLabels) doc.clusterLabels = [...contents.clusterLabels];
  if (contents.metadata) doc.metadata = { ...contents.metadata };
  return formatJson(doc);
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

function readLayers(v: Json | undefined, at: JsonPath, inputs: { length: number; from: string }): { layers: DenseLayer[]; outputs: number } {
  const list = readArray(v, at);
  const layers: DenseLayer[] = [];
  let width = inputs;
  list.forEach((raw, i) => {
    const lp = at.index(i);
    const o = readObject(raw, lp);
    const w = readMatrix(o.weights, lp.key('weights'), width);
    const bias = readVector(o.bias, lp.key('bias'), { length: w.rows, from: `rows of ${lp.key('weights').path}` });
    const activation = o.activation === undefined ? 'relu' : readEnum(o.activation, lp.key('activation'), ACTIVATIONS);
    layers.push({ inputs: width.length, outputs: w.rows, weights: w.data, bias, activation });
    width = { length: w.rows, from: `rows of ${lp.key('weights').path}` };
  });
  return { layers, outputs: width.length };
}

function readTablePreprocessing(o: JsonObject, at: JsonPath, featureCount: number): TablePreprocessing {
  const columns: ColumnTransform[] = readArray(o.columns, at.key('columns')).map((raw, i) => {
    const cp = at.key('columns').index(i);
    const c = readObject(raw, cp);
    const column = readString(c.column, cp.key('column'));
    const kind = readEnum(c.kind, cp.key('kind'), ['numeric', 'categorical'] as const);
    if (kind === 'numeric') {
      return { column, kind, mean: readNumber(c.mean, cp.key('mean')), std: readPositiveNumber(c.std, cp.key('std')) };
    }
    const categories = readStringArray(c.categories, cp.key('categories'));
    if (categories.length === 0) throw cp.key('categories').error('must name at least one category');
    // Absent in version-1 files written before indicators were 1/√2: those were fitted on 0/1.
    // Present in a version-1 file (written by NEON between the change to 1/√2 and version 2): honoured.
    return c.indicator === undefined ? { column, kind, categories } : { column, kind, categories, indicator: readPositiveNumber(c.indicator, cp.key('indicator')) };
  });
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (seen.has(c.column)) throw at.key('columns').index(i).error(`repeats column "${c.column}"`);
    seen.add(c.column);
  });
  const implied = columns.reduce((s, c) => s + (c.kind === 'numeric' ? 1 : c.categories.length), 0);
  if (implied !== featureCount) {
    throw at.key('columns').error(`yield ${implied} features (one per numeric column, one per category), expected ${featureCount} (featureNames)`);
  }
  const missing = o.missing === undefined ? 'mean' : readEnum(o.missing, at.key('missing'), ['mean'] as const);
  return { kind: 'table', columns, missing };
}

function readTextPreprocessing(o: JsonObject, at: JsonPath, dim: number): TextPreprocessing {
  const vocabulary = readStringArray(o.vocabulary, at.key('vocabulary'));
  if (vocabulary.length === 0) throw at.key('vocabulary').error('must hold at least one word');
  const vectors = readMatrix(o.wordVectors, at.key('wordVectors'), { length: dim, from: 'featureNames' }, { length: vocabulary.length, from: 'vocabulary' });
  return {
    kind: 'text',
    minWordLength: o.minWordLength === undefined ? 2 : readInteger(o.minWordLength, at.key('minWordLength'), 1, 100),
    stopWords: o.stopWords === undefined ? 'en' : readString(o.stopWords, at.key('stopWords')),
    vocabulary,
    wordVectors: vectors.data,
    dim,
    vectorSource: o.vectorSource === undefined ? 'model file' : readString(o.vectorSource, at.key('vectorSource')),
    // Files written before documents were scaled to unit length hold plain means.
    normalization: o.normalization === undefined ? 'mean' : readEnum(o.normalization, at.key('normalization'), ['mean', 'l2'] as const),
    ...(o.textColumn !== undefined ? { textColumn: readString(o.textColumn, at.key('textColumn')) } : {}),
  };
}

function readPreprocessing(v: Json | undefined, at: JsonPath, featureCount: number): Preprocessing {
  if (v === undefined) return { kind: 'none' };
  const o = readObject(v, at);
  const kind = readEnum(o.kind, at.key('kind'), ['none', 'table', 'text'] as const);
  if (kind === 'none') return { kind };
  return kind === 'table' ? readTablePreprocessing(o, at, featureCount) : readTextPreprocessing(o, at, featureCount);
}

function readKMeans(doc: JsonObject, root: JsonPath, dim: number): KMeansModel {
  const c = readMatrix(doc.centroids, root.key('centroids'), { length: dim, from: 'featureNames' });
  return { kind: 'kmeans', k: c.rows, dim, centroids: c.data };
}

function readKernel(doc: JsonObject, root: JsonPath, dim: number): KernelKMeansModel {
  const at = root.key('kernel');
  const o = readObject(doc.kernel, at);
  const gamma = readPositiveNumber(o.gamma, at.key('gamma'));
  const sv = readMatrix(o.supportVectors, at.key('supportVectors'), { length: dim, from: 'featureNames' });
  const bias = readVector(o.bias, at.key('bias'));
  const k = bias.length;
  if (k < 2) throw at.key('bias').error(`must have one value per cluster (at least 2), found ${k}`);
  const clusters = readArray(o.supportClusters, at.key('supportClusters'));
  if (clusters.length !== sv.rows) {
    throw at.key('supportClusters').error(`has ${clusters.length} values, expected ${sv.rows} (supportVectors)`);
  }
  const supportCluster = new Int32Array(sv.rows);
  const counts = new Int32Array(k);
  clusters.forEach((c, i) => {
    supportCluster[i] = readInteger(c, at.key('supportClusters').index(i), 0, k - 1);
    counts[supportCluster[i]]++;
  });
  const empty = counts.findIndex((n) => n === 0);
  if (empty >= 0) throw at.key('supportClusters').error(`gives cluster ${empty} no support vector`);
  return { kind: 'kernel-kmeans', k, dim, gamma, supportVectors: sv.data, supportCluster, bias };
}

function readDeep(doc: JsonObject, root: JsonPath, dim: number): DeepKMeansModel {
  const at = root.key('deep');
  const o = readObject(doc.deep, at);
  const { layers, outputs } = readLayers(o.layers, at.key('layers'), { length: dim, from: 'featureNames' });
  const c = readMatrix(o.centroids, at.key('centroids'), { length: outputs, from: layers.length ? 'outputs of the last layer' : 'featureNames' });
  const inputLow = readVector(o.inputLow, at.key('inputLow'), { length: dim, from: 'featureNames' });
  const inputHigh = readVector(o.inputHigh, at.key('inputHigh'), { length: dim, from: 'featureNames' });
  for (let i = 0; i < dim; i++) {
    if (inputLow[i] > inputHigh[i]) throw at.key('inputLow').index(i).error(`(${inputLow[i]}) exceeds inputHigh[${i}] (${inputHigh[i]})`);
  }
  return { kind: 'deep-kmeans', k: c.rows, dim, layers, centroids: c.data, inputLow, inputHigh };
}

function readIdc(doc: JsonObject, root: JsonPath, dim: number): IdcModel {
  const at = root.key('idc');
  const o = readObject(doc.idc, at);
  const gate = readLayers(o.gateNet, at.key('gateNet'), { length: dim, from: 'featureNames' });
  if (gate.outputs !== dim) throw at.key('gateNet').error(`outputs ${gate.outputs} gate logits, expected ${dim} (featureNames)`);
  const enc = readLayers(o.encoder, at.key('encoder'), { length: dim, from: 'featureNames' });
  const head = readLayers(o.clusterHead, at.key('clusterHead'), { length: enc.outputs, from: 'outputs of the encoder' });
  const k = head.outputs;
  if (head.layers.length === 0 || k < 2) throw at.key('clusterHead').error(`must output one logit per cluster (at least 2), found ${k}`);
  const gates = readMatrix(o.clusterGates, at.key('clusterGates'), { length: dim, from: 'featureNames' }, { length: k, from: 'outputs of clusterHead' });
  for (let i = 0; i < gates.data.length; i++) {
    if (gates.data[i] < 0 || gates.data[i] > 1) {
      throw at.key('clusterGates').index(Math.floor(i / dim)).index(i % dim).error(`must be in [0, 1], found ${gates.data[i]}`);
    }
  }
  return { kind: 'idc', k, dim, gateNet: gate.layers, encoder: enc.layers, clusterHead: head.layers, clusterGates: gates.data };
}

const KNOWN_KEYS = new Set(['format', 'version', 'kind', 'k', 'featureNames', 'preprocessing', 'centroids', 'kernel', 'deep', 'idc', 'neon', 'clusterLabels', 'metadata']);

/**
 * Parses and validates a model file. Throws ModelError naming the file and the JSON path of
 * the first problem, e.g. `m.json: centroids[2] has 63 values, expected 64 (featureNames)`.
 */
export function parseModelFile(text: string, fileName: string): ParsedModelFile {
  const root = new JsonPath(fileName, '');
  const doc = readObject(parseJsonText(text, fileName), root);
  const notes: string[] = [];
  if (doc.format !== MODEL_FORMAT) {
    throw root.key('format').error(`must be "${MODEL_FORMAT}", found ${JSON.stringify(doc.format ?? null)}`);
  }
  const version = readInteger(doc.version, root.key('version'), 1);
  if (version > MODEL_VERSION) throw root.key('version').error(`is ${version}; this version of NEON reads model files up to version ${MODEL_VERSION}`);
  const kind = readEnum(doc.kind, root.key('kind'), MODEL_KINDS);
  const featureNames = readStringArray(doc.featureNames, root.key('featureNames'));
  if (featureNames.length === 0) throw root.key('featureNames').error('must name at least one feature');
  const dim = featureNames.length;
  const preprocessing = readPreprocessing(doc.preprocessing, root.key('preprocessing'), dim);

  let model: ClusterModel;
  switch (kind) {
    case 'kmeans':
      model = readKMeans(doc, root, dim);
      break;
    case 'kernel-kmeans':
      model = readKernel(doc, root, dim);
      break;
    case 'deep-kmeans':
      model = readDeep(doc, root, dim);
      break;
    case 'idc':
      model = readIdc(doc, root, dim);
      break;
  }
  if (model.k < 2 && kind !== 'idc') throw root.error(`describes ${model.k} cluster; NEON explains a choice between at least 2 clusters`);
  if (doc.k !== undefined) {
    const k = readInteger(doc.k, root.key('k'), 1);
    if (k !== model.k) throw root.key('k').error(`is ${k} but the ${kind} parameters describe ${model.k} clusters`);
  }

  let neon: StoredNeonSettings | undefined;
  if (doc.neon !== undefined) {
    const at = root.key('neon');
    const o = readObject(doc.neon, at);
    neon = {
      beta: o.beta === undefined ? undefined : o.beta === 'auto' ? 'auto' : readPositiveNumber(o.beta, at.key('beta')),
      evidence: o.evidence === undefined ? undefined : readEnum(o.evidence, at.key('evidence'), ['hard', 'soft'] as const),
      rule: o.rule === undefined ? undefined : readEnum(o.rule, at.key('rule'), ['midpoint', 'reference', 'z'] as const),
      ...(o.reference === undefined ? {} : { reference: Array.from(readVector(o.reference, at.key('reference'), { length: dim, from: 'featureNames' })) }),
      ...(o.referenceName === undefined ? {} : { referenceName: readString(o.referenceName, at.key('referenceName')) }),
    };
  }
  let clusterLabels: string[] | undefined;
  if (doc.clusterLabels !== undefined) {
    clusterLabels = readStringArray(doc.clusterLabels, root.key('clusterLabels'));
    if (clusterLabels.length !== model.k) {
      throw root.key('clusterLabels').error(`has ${clusterLabels.length} values, expected ${model.k} (clusters)`);
    }
  }
  let metadata: Record<string, string | number | boolean> | undefined;
  if (doc.metadata !== undefined) {
    const o = readObject(doc.metadata, root.key('metadata'));
    metadata = {};
    for (const [key, value] of Object.entries(o)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') metadata[key] = value;
      else notes.push(`${fileName}: metadata.${key} is not a string, number or boolean and was ignored`);
    }
  }
  const ignored = Object.keys(doc).filter((key) => !KNOWN_KEYS.has(key));
  if (ignored.length) notes.push(`${fileName}: unknown keys ignored: ${ignored.join(', ')}`);
  const unused = (['centroids', 'kernel', 'deep', 'idc'] as const).filter((key) => doc[key] !== undefined && key !== modelKey(kind));
  if (unused.length) notes.push(`${fileName}: "${kind}" model, so ${unused.join(', ')} ignored`);
  return { model, preprocessing, featureNames, neon, clusterLabels, metadata, notes };
}

function modelKey(kind: ModelKind): string {
  switch (kind) {
    case 'kmeans':
      return 'centroids';
    case 'kernel-kmeans':
      return 'kernel';
    case 'deep-kmeans':
      return 'deep';
    case 'idc':
      return 'idc';
  }
}
