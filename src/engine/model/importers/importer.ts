/**
 * One small interface for models trained elsewhere. Each importer reads one foreign format
 * (a Spark ML folder, PMML, ONNX, a NumPy array) and maps it onto the model file's kinds
 * (docs/model-file.md): a k-means model over D inputs, the table preprocessing that turns the
 * raw columns into those inputs (the producer's own scaling, never re-fitted), and the input
 * names. Anything the format can express that NEON cannot explain exactly (another distance,
 * a bisecting tree, a width mismatch) is a ModelError naming the file and what is unsupported.
 */
import path from 'node:path';
import { ModelError } from '../../errors';
import type { ParsedModelFile } from '../modelFile';

/** What the caller knows besides the model file. */
export interface ImportOptions {
  /**
   * Names of the model's inputs, in order (`--features a,b,c`). Used by formats that store
   * none (a .npy array, a bare Spark KMeansModel, a single-tensor ONNX graph); given to a
   * format that names its inputs, they must agree in number.
   */
  readonly featureNames?: readonly string[];
}

/** An imported model: a parsed model file plus whether its input names still have to come from the data. */
export interface ImportedModel extends ParsedModelFile {
  /**
   * The format stores no input names and none were given: `featureNames` are placeholders
   * ("feature 1", ...) that the data's header replaces (see bindInputNames).
   */
  readonly unnamedInputs?: boolean;
  /** Which importer read it, for messages ("Spark ML KMeansModel", "PMML ClusteringModel", ...). */
  readonly format: string;
}

export interface ModelImporter {
  /** Readable name of the format. */
  readonly format: string;
  /** True when `file` (a file or folder path that exists) is in this format, judged by name and first bytes. */
  accepts(file: string, isFolder: boolean, head: Uint8Array): boolean;
  /** Reads the model. Throws ModelError (unsupported or malformed model) or DataError (unreadable file). */
  read(file: string, options: ImportOptions): Promise<ImportedModel>;
}

/** Placeholder input names for a format that stores none. */
export function placeholderNames(d: number): string[] {
  return Array.from({ length: d }, (_, j) => `feature ${j + 1}`);
}

/**
 * The names for D unnamed inputs: the given ones (their count must be D), else placeholders
 * marked for binding to the data. `what` names the file in the error.
 */
export function namesFor(d: number, options: ImportOptions, what: string): { featureNames: string[]; unnamedInputs?: boolean; notes: string[] } {
  if (options.featureNames) {
    if (options.featureNames.length !== d) {
      throw new ImportError(what, `has ${d} inputs but ${options.featureNames.length} feature names were given (${options.featureNames.slice(0, 6).join(', ')}${options.featureNames.length > 6 ? ', ...' : ''})`);
    }
    return { featureNames: [...options.featureNames], notes: [] };
  }
  return { featureNames: placeholderNames(d), unnamedInputs: true, notes: [`${what}: the model does not name its ${d} inputs; they are the data's numeric columns in order (give --features to name them).`] };
}

/** A ModelError whose message starts with the file (base name) it is about. */
export class ImportError extends ModelError {
  constructor(file: string, message: string) {
    super(`${path.basename(file)}: ${message}`);
  }
}
