/**
 * Spark ML / MLlib k-means saved with `model.write().save(path)` (or `model.save(sc, path)`):
 *
 *   path/metadata/part-00000   one JSON line (DefaultParamsWriter.saveMetadata):
 *                              {"class", "timestamp", "sparkVersion", "uid", "paramMap", "defaultParamMap"}
 *   path/data/part-*.parquet   KMeansModel (Spark >= 2.0): one row per centre,
 *                              clusterIdx: int, clusterCenter: vector;
 *                              Spark 1.6: one row, clusterCenters: array<vector>;
 *                              mllib KMeansModel: one row per centre, id: int, point: vector
 *
 * A vector is VectorUDT's struct {type: byte (0 sparse, 1 dense), size: int, indices:
 * array<int>, values: array<double>}. A saved PipelineModel (metadata paramMap.stageUids,
 * stages/<i>_<uid>/ each saved as above) is followed back from the k-means stage's featuresCol:
 * a StandardScalerModel (data: one row std: vector, mean: vector; params withMean, withStd)
 * gives the scaling and a VectorAssembler (paramMap.inputCols) the raw column names.
 *
 * Sources: Spark's KMeansModel.KMeansModelWriter / KMeansModelReader, DefaultParamsWriter,
 * PipelineModel.SharedReadWrite, StandardScalerModel's writer and VectorUDT.sqlType
 * (spark/mllib/src/main/scala/org/apache/spark/ml/...), cited in docs/model-file.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../../errors';
import { openParquet, parquetParts, readParquetObjects } from '../../data/parquetFiles';
import { ImportError, namesFor, type ImportedModel, type ImportOptions, type ModelImporter } from './importer';
import { kmeansImport, type InputScaling } from './kmeansImport';

/** DefaultParamsWriter's metadata line. */
interface SparkMetadata {
  readonly class: string;
  readonly sparkVersion?: string;
  readonly uid?: string;
  readonly paramMap: Record<string, unknown>;
  readonly defaultParamMap: Record<string, unknown>;
  /** mllib (RDD API) models keep their fields at the top level. */
  readonly raw: Record<string, unknown>;
}

const KMEANS_CLASSES = new Set(['org.apache.spark.ml.clustering.KMeansModel', 'org.apache.spark.mllib.clustering.KMeansModel']);
const PIPELINE_CLASS = 'org.apache.spark.ml.PipelineModel';

/** Why a known Spark clustering model cannot be explained as k-means. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  'org.apache.spark.ml.clustering.BisectingKMeansModel': 'a bisecting k-means model assigns points by descending its tree of splits, not by the nearest of its centres',
  'org.apache.spark.mllib.clustering.BisectingKMeansModel': 'a bisecting k-means model assigns points by descending its tree of splits, not by the nearest of its centres',
  'org.apache.spark.ml.clustering.GaussianMixtureModel': 'a Gaussian mixture assigns by likelihood under per-cluster covariances, not by squared Euclidean distance',
  'org.apache.spark.mllib.clustering.GaussianMixtureModel': 'a Gaussian mixture assigns by likelihood under per-cluster covariances, not by squared Euclidean distance',
  'org.apache.spark.ml.clustering.LocalLDAModel': 'LDA is a topic model, not a centroid model',
  'org.apache.spark.ml.clustering.DistributedLDAModel': 'LDA is a topic model, not a centroid model',
  'org.apache.spark.ml.Pipeline': 'this is an unfitted Pipeline (no centres); save the PipelineModel that Pipeline.fit returns',
  'org.apache.spark.ml.clustering.KMeans': 'this is an unfitted KMeans estimator (no centres); save the KMeansModel that fit returns',
};

function metadataDir(folder: string): string {
  return path.join(folder, 'metadata');
}

/** The first JSON line of metadata/part-* (Spark writes it with saveAsTextFile, one partition). */
function readMetadata(folder: string, label: string): SparkMetadata {
  const dir = metadataDir(folder);
  let parts: string[];
  try {
    parts = fs.readdirSync(dir).filter((n) => n.startsWith('part-') && !n.endsWith('.crc')).sort();
  } catch {
    throw new ImportError(label, 'is not a saved Spark model: it has no metadata/ folder');
  }
  for (const part of parts) {
    const line = fs.readFileSync(path.join(dir, part), 'utf8').split('\n').find((l) => l.trim() !== '');
    if (line === undefined) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      throw new ImportError(label, `metadata/${part} is not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (typeof doc !== 'object' || doc === null || typeof (doc as { class?: unknown }).class !== 'string') {
      throw new ImportError(label, `metadata/${part} has no "class" (DefaultParamsWriter metadata names the model class)`);
    }
    const o = doc as Record<string, unknown>;
    const asMap = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
    return {
      class: o.class as string,
      ...(typeof o.sparkVersion === 'string' ? { sparkVersion: o.sparkVersion } : {}),
      ...(typeof o.uid === 'string' ? { uid: o.uid } : {}),
      paramMap: asMap(o.paramMap),
      defaultParamMap: asMap(o.defaultParamMap),
      raw: o,
    };
  }
  throw new ImportError(label, 'metadata/ holds no metadata line (part-00000)');
}

/** A param as set by the user, else its recorded default, else `fallback`. */
function param<T>(m: SparkMetadata, name: string, fallback: T): T | unknown {
  if (name in m.paramMap) return m.paramMap[name];
  if (name in m.defaultParamMap) return m.defaultParamMap[name];
  return fallback;
}

function stringParam(m: SparkMetadata, name: string, fallback: string, label: string): string {
  const v = param(m, name, fallback);
  if (typeof v !== 'string') throw new ImportError(label, `param ${name} of ${shortClass(m.class)} is not a string`);
  return v;
}

function booleanParam(m: SparkMetadata, name: string, fallback: boolean, label: string): boolean {
  const v = param(m, name, fallback);
  if (typeof v !== 'boolean') throw new ImportError(label, `param ${name} of ${shortClass(m.class)} is not a boolean`);
  return v;
}

function shortClass(c: string): string {
  return c.slice(c.lastIndexOf('.') + 1);
}

/** VectorUDT's struct as a dense Float64Array (sparse: zeros except `indices`). */
function denseVector(v: unknown, label: string, where: string): Float64Array {
  if (typeof v !== 'object' || v === null) throw new ImportError(label, `${where} is not a Spark vector (found ${v === null ? 'null' : typeof v})`);
  const o = v as { type?: unknown; size?: unknown; indices?: unknown; values?: unknown };
  const values = Array.isArray(o.values) ? o.values.map(Number) : undefined;
  if (!values) throw new ImportError(label, `${where} has no values (a Spark vector is {type, size, indices, values})`);
  if (Number(o.type) === 1) return Float64Array.from(values);
  if (Number(o.type) !== 0) throw new ImportError(label, `${where} has vector type ${String(o.type)}; Spark writes 0 (sparse) or 1 (dense)`);
  const size = Number(o.size);
  const indices = Array.isArray(o.indices) ? o.indices.map(Number) : undefined;
  if (!Number.isInteger(size) || size < 0 || !indices || indices.length !== values.length) {
    throw new ImportError(label, `${where} is a sparse vector without a valid size and one index per value`);
  }
  const out = new Float64Array(size);
  indices.forEach((j, i) => {
    if (!Number.isInteger(j) || j < 0 || j >= size) throw new ImportError(label, `${where} has index ${j} outside its size ${size}`);
    out[j] = values[i];
  });
  return out;
}

/** Every row of the Parquet part files in `folder`/data. */
async function readDataRows(folder: string, label: string): Promise<Record<string, unknown>[]> {
  const data = path.join(folder, 'data');
  if (!fs.existsSync(data)) throw new ImportError(label, 'has no data/ folder (a saved Spark model keeps its parameters in data/*.parquet)');
  let parts: string[];
  try {
    parts = parquetParts(data);
  } catch (e) {
    if (e instanceof DataError) throw new ImportError(label, `data/ ${e.message.replace(/^[^:]*: /, '')}`);
    throw e;
  }
  const rows: Record<string, unknown>[] = [];
  for (const part of parts) rows.push(...(await readParquetObjects(await openParquet(part))));
  return rows;
}

/** The centres of a KMeansModel folder, in cluster order. */
async function readCentres(folder: string, meta: SparkMetadata, label: string): Promise<Float64Array[]> {
  const rows = await readDataRows(folder, label);
  if (rows.length === 0) throw new ImportError(label, 'data/ holds no rows');
  if ('clusterCenter' in rows[0]) {
    // Spark >= 2.0: Data(clusterIdx: Int, clusterCenter: Vector); sorted by clusterIdx on load.
    const byIndex = rows.map((r, i) => ({ idx: Number(r.clusterIdx), v: denseVector(r.clusterCenter, label, `data row ${i} clusterCenter`) }));
    byIndex.sort((a, b) => a.idx - b.idx);
    byIndex.forEach((c, i) => {
      if (c.idx !== i) throw new ImportError(label, `data/ clusterIdx values are not 0..${rows.length - 1} (found ${c.idx} at position ${i})`);
    });
    return byIndex.map((c) => c.v);
  }
  if ('clusterCenters' in rows[0]) {
    // Spark 1.6 and earlier: OldData(clusterCenters: Array[Vector]), one row.
    const list = rows[0].clusterCenters;
    if (!Array.isArray(list)) throw new ImportError(label, 'data/ clusterCenters is not an array of vectors');
    return list.map((v, i) => denseVector(v, label, `data clusterCenters[${i}]`));
  }
  if ('point' in rows[0] && 'id' in rows[0]) {
    // mllib (RDD API) KMeansModel.SaveLoadV1_0 / V2_0: Cluster(id: Int, point: Vector).
    const byId = rows.map((r, i) => ({ idx: Number(r.id), v: denseVector(r.point, label, `data row ${i} point`) }));
    byId.sort((a, b) => a.idx - b.idx);
    return byId.map((c) => c.v);
  }
  throw new ImportError(label, `data/ has columns ${Object.keys(rows[0]).join(', ')}; a ${shortClass(meta.class)} stores clusterIdx + clusterCenter (or clusterCenters)`);
}

function checkDistance(meta: SparkMetadata, label: string): void {
  const measure = meta.class.startsWith('org.apache.spark.mllib') ? (meta.raw.distanceMeasure ?? 'euclidean') : param(meta, 'distanceMeasure', 'euclidean');
  if (measure !== 'euclidean') {
    throw new ImportError(label, `is a k-means model with distanceMeasure "${String(measure)}"; NEON explains k-means under squared Euclidean distance only (cosine k-means assigns by angle)`);
  }
}

function centroidMatrix(centres: readonly Float64Array[], label: string): { centroids: Float64Array; k: number; dim: number } {
  const k = centres.length;
  const dim = centres[0].length;
  const centroids = new Float64Array(k * dim);
  centres.forEach((c, i) => {
    if (c.length !== dim) throw new ImportError(label, `centre ${i} has ${c.length} coordinates, centre 0 has ${dim}`);
    centroids.set(c, i * dim);
  });
  return { centroids, k, dim };
}

/** The k-means stage of a model folder: class check, distance check, centres. */
async function kmeansStage(folder: string, meta: SparkMetadata, label: string): Promise<{ centroids: Float64Array; k: number; dim: number }> {
  checkDistance(meta, label);
  const m = centroidMatrix(await readCentres(folder, meta, label), label);
  const k = meta.class.startsWith('org.apache.spark.mllib') ? meta.raw.k : param(meta, 'k', undefined);
  if (typeof k === 'number' && k !== m.k) throw new ImportError(label, `metadata says k = ${k} but data/ holds ${m.k} centres`);
  return m;
}

function rejectUnsupported(meta: SparkMetadata, label: string): void {
  const why = UNSUPPORTED[meta.class];
  if (why) throw new ImportError(label, `is a Spark ${shortClass(meta.class)}, which is not supported: ${why}`);
}

interface Stage {
  readonly dir: string;
  readonly meta: SparkMetadata;
}

/** The stages of a PipelineModel in order: stages/<idx>_<uid>. */
function pipelineStages(folder: string, meta: SparkMetadata, label: string): Stage[] {
  const uids = meta.paramMap.stageUids;
  if (!Array.isArray(uids) || uids.some((u) => typeof u !== 'string')) throw new ImportError(label, 'PipelineModel metadata has no stageUids list');
  const stagesDir = path.join(folder, 'stages');
  let names: string[];
  try {
    names = fs.readdirSync(stagesDir);
  } catch {
    throw new ImportError(label, 'PipelineModel has no stages/ folder');
  }
  return (uids as string[]).map((uid, i) => {
    const name = names.find((n) => n.endsWith(`_${uid}`) && Number(n.slice(0, n.indexOf('_'))) === i);
    if (!name) throw new ImportError(label, `stages/ has no folder for stage ${i} (${uid})`);
    const dir = path.join(stagesDir, name);
    return { dir, meta: readMetadata(dir, `${label}/stages/${name}`) };
  });
}

/** Composes x -> (x − m1)/s1 followed by y -> (y − m2)/s2 into one (x − m)/s. */
function compose(first: InputScaling, then: InputScaling): InputScaling {
  const d = first.mean.length;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    mean[j] = first.mean[j] + then.mean[j] * first.std[j];
    std[j] = first.std[j] * then.std[j];
  }
  return { mean, std };
}

/** StandardScalerModel's data row as the scaling it applies (withMean / withStd as saved). */
async function scalerStage(stage: Stage, dim: number, label: string): Promise<InputScaling> {
  const rows = await readDataRows(stage.dir, label);
  if (rows.length !== 1) throw new ImportError(label, `StandardScalerModel data/ should hold one row, found ${rows.length}`);
  const std = denseVector(rows[0].std, label, 'StandardScalerModel std');
  const mean = denseVector(rows[0].mean, label, 'StandardScalerModel mean');
  if (std.length !== dim || mean.length !== dim) {
    throw new ImportError(label, `StandardScalerModel scales ${std.length} inputs but the k-means centres have ${dim} coordinates`);
  }
  const withMean = booleanParam(stage.meta, 'withMean', false, label);
  const withStd = booleanParam(stage.meta, 'withStd', true, label);
  // Spark: y = (withMean ? x − mean : x) · (withStd ? (std == 0 ? 0 : 1/std) : 1).
  return { mean: withMean ? mean : new Float64Array(dim), std: withStd ? std : new Float64Array(dim).fill(1) };
}

async function readPipeline(folder: string, meta: SparkMetadata, label: string, options: ImportOptions): Promise<ImportedModel> {
  const stages = pipelineStages(folder, meta, label);
  const kIndex = stages.findIndex((s) => KMEANS_CLASSES.has(s.meta.class) || s.meta.class in UNSUPPORTED);
  if (kIndex < 0) throw new ImportError(label, `PipelineModel has no k-means stage (stages: ${stages.map((s) => shortClass(s.meta.class)).join(', ')})`);
  const kStage = stages[kIndex];
  const kLabel = `${label}/stages/${path.basename(kStage.dir)}`;
  rejectUnsupported(kStage.meta, kLabel);
  const { centroids, k, dim } = await kmeansStage(kStage.dir, kStage.meta, kLabel);
  const notes: string[] = [];

  // Follow the features column back through the stages that produced it.
  let column = stringParam(kStage.meta, 'featuresCol', 'features', kLabel);
  let scaling: InputScaling | undefined;
  let names: string[] | undefined;
  const used = new Set<number>([kIndex]);
  for (let i = kIndex - 1; i >= 0 && !names; i--) {
    const s = stages[i];
    const outputCol = param(s.meta, 'outputCol', undefined);
    if (outputCol !== column) continue;
    used.add(i);
    const stageLabel = `${label}/stages/${path.basename(s.dir)}`;
    const cls = shortClass(s.meta.class);
    if (cls === 'StandardScalerModel') {
      const own = await scalerStage(s, dim, stageLabel);
      scaling = scaling ? compose(own, scaling) : own;
      column = stringParam(s.meta, 'inputCol', '', stageLabel);
    } else if (cls === 'VectorAssembler') {
      const inputCols = s.meta.paramMap.inputCols;
      if (!Array.isArray(inputCols) || inputCols.some((c) => typeof c !== 'string')) throw new ImportError(stageLabel, 'VectorAssembler has no inputCols list');
      if (inputCols.length !== dim) {
        throw new ImportError(stageLabel, `VectorAssembler assembles ${inputCols.length} columns (${inputCols.slice(0, 6).join(', ')}) but the k-means centres have ${dim} coordinates (a vector-valued input column is not supported)`);
      }
      const produced = stages.slice(0, i).filter((p) => inputCols.includes(param(p.meta, 'outputCol', undefined)));
      if (produced.length) {
        throw new ImportError(stageLabel, `VectorAssembler input(s) are made by ${produced.map((p) => shortClass(p.meta.class)).join(', ')}; only raw numeric columns, a VectorAssembler and a StandardScaler can be explained`);
      }
      names = inputCols as string[];
    } else {
      throw new ImportError(stageLabel, `the k-means features pass through a ${cls}; NEON reproduces only VectorAssembler and StandardScaler stages`);
    }
  }
  const skipped = stages.filter((_, i) => !used.has(i)).map((s) => shortClass(s.meta.class));
  if (skipped.length) notes.push(`${label}: pipeline stage(s) not on the k-means features path ignored: ${skipped.join(', ')}.`);
  let unnamedInputs: boolean | undefined;
  if (!names) {
    const named = namesFor(dim, options, label);
    names = named.featureNames;
    unnamedInputs = named.unnamedInputs;
    notes.push(...named.notes);
  } else if (options.featureNames && options.featureNames.join('\u0000') !== names.join('\u0000')) {
    notes.push(`${label}: the pipeline names its inputs (${names.slice(0, 6).join(', ')}); the given feature names were not used.`);
  }
  return kmeansImport({
    file: label,
    format: 'Spark ML PipelineModel',
    centroids,
    k,
    dim,
    featureNames: names,
    ...(scaling ? { scaling } : {}),
    ...(unnamedInputs ? { unnamedInputs } : {}),
    notes,
  });
}

export const sparkImporter: ModelImporter = {
  format: 'Spark ML model folder',
  accepts(file, isFolder) {
    return isFolder && fs.existsSync(metadataDir(file));
  },
  async read(folder, options) {
    const label = path.basename(folder.replace(/[\\/]+$/, ''));
    const meta = readMetadata(folder, label);
    if (meta.class === PIPELINE_CLASS) return readPipeline(folder, meta, label, options);
    rejectUnsupported(meta, label);
    if (!KMEANS_CLASSES.has(meta.class)) {
      throw new ImportError(label, `is a Spark ${shortClass(meta.class)}; NEON imports KMeansModel and PipelineModel (VectorAssembler, StandardScaler, KMeans)`);
    }
    const { centroids, k, dim } = await kmeansStage(folder, meta, label);
    const named = namesFor(dim, options, label);
    return kmeansImport({
      file: label,
      format: `Spark ${meta.class.includes('.mllib.') ? 'MLlib' : 'ML'} KMeansModel`,
      centroids,
      k,
      dim,
      featureNames: named.featureNames,
      ...(named.unnamedInputs ? { unnamedInputs: true } : {}),
      notes: named.notes,
    });
  },
};
