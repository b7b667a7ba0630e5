/**
 * Reads a model from any supported file or folder: the native model file (JSON), a centroids
 * CSV, or a model trained elsewhere through one of the importers (Spark ML folder, PMML, ONNX,
 * NumPy .npy). The importer is chosen by what the path is (folder, extension, first bytes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ModelError } from '../../errors';
import { parseCentroidsCsv, parseModelFile } from '../modelFile';
import { ImportError, type ImportedModel, type ImportOptions, type ModelImporter } from './importer';
import { npyImporter } from './npyCentres';
import { onnxImporter } from './onnxKMeans';
import { pmmlImporter } from './pmmlClustering';
import { sparkImporter } from './sparkModel';

export type { ImportedModel, ImportOptions, ModelImporter } from './importer';
export { bindGivenToData, bindInputNames, bindInputNamesToTable } from './bindInputNames';

/** The foreign formats, tried in this order. */
export const MODEL_IMPORTERS: readonly ModelImporter[] = [sparkImporter, pmmlImporter, onnxImporter, npyImporter];

/** File extensions a model picker should offer (besides folders for Spark). */
export const MODEL_FILE_EXTENSIONS = ['json', 'csv', 'pmml', 'xml', 'onnx', 'npy'] as const;

function head(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = new Uint8Array(512);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads the model at `file` (a file or a Spark model folder). Throws ModelError naming the
 * file when it is missing, in no supported format, or describes a model NEON cannot explain.
 */
export async function importModel(file: string, options: ImportOptions = {}): Promise<ImportedModel> {
  const label = path.basename(file.replace(/[\\/]+$/, ''));
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new ModelError(`${label}: no such model file or folder`);
  }
  const isFolder = st.isDirectory();
  const bytes = isFolder ? new Uint8Array(0) : head(file);
  for (const importer of MODEL_IMPORTERS) {
    if (importer.accepts(file, isFolder, bytes)) return importer.read(file, options);
  }
  if (isFolder) throw new ImportError(file, 'is a folder but not a saved Spark model (no metadata/ folder inside)');
  const text = fs.readFileSync(file, 'utf8');
  const native = /\.csv$/i.test(file) ? parseCentroidsCsv(text, label) : parseModelFile(text, label);
  if (options.featureNames && /\.csv$/i.test(file)) throw new ImportError(file, 'names its features in its header; --features is for formats without names (.npy, ONNX, a bare Spark KMeansModel)');
  return { ...native, format: /\.csv$/i.test(file) ? 'centroids CSV' : 'NEON model file' };
}
