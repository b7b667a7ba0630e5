/**
 * What every importer produces: k-means centroids (K × D, row-major, in the space the producer
 * clustered in) and, when the producer scaled its inputs, the per-input affine map
 * x' = (x − mean) / std from the raw columns into that space. It becomes a model file's
 * `kmeans` kind with `table` preprocessing (docs/model-file.md), so the user explains the raw
 * columns by name while NEON works on exactly the producer's distances.
 */
import type { ColumnTransform, Preprocessing } from '../../types';
import { ImportError, type ImportedModel } from './importer';

/**
 * Per-input affine scaling x' = (x − mean[j]) / std[j]. std[j] = 0 is the producers' convention
 * for a constant training column: the input is mapped to 0 whatever its value.
 */
export interface InputScaling {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

export interface KMeansImport {
  readonly file: string;
  readonly format: string;
  readonly centroids: Float64Array;
  readonly k: number;
  readonly dim: number;
  readonly featureNames: readonly string[];
  readonly scaling?: InputScaling;
  readonly unnamedInputs?: boolean;
  readonly notes?: readonly string[];
}

/**
 * The imported model. Throws ImportError for fewer than 2 centres, non-finite values, or a
 * scaling NEON cannot reproduce (a negative or non-finite std; std 0 on an input where the
 * centres differ).
 */
export function kmeansImport(m: KMeansImport): ImportedModel {
  const { file, k, dim, centroids } = m;
  if (k < 2) throw new ImportError(file, `holds ${k} cluster centre${k === 1 ? '' : 's'}; NEON explains a choice between at least 2 clusters`);
  if (dim < 1) throw new ImportError(file, 'its cluster centres have no coordinates');
  if (centroids.length !== k * dim) throw new ImportError(file, `holds ${centroids.length} centre values, expected ${k} × ${dim}`);
  const bad = centroids.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ImportError(file, `centre ${Math.floor(bad / dim)} has a non-finite value (${centroids[bad]}) at input ${(bad % dim) + 1}`);
  if (m.featureNames.length !== dim) throw new ImportError(file, `names ${m.featureNames.length} inputs but its centres have ${dim} coordinates`);
  const notes = [...(m.notes ?? [])];
  let preprocessing: Preprocessing = { kind: 'none' };
  if (m.scaling) {
    const columns: ColumnTransform[] = [];
    const ignored: string[] = [];
    for (let j = 0; j < dim; j++) {
      const mean = m.scaling.mean[j];
      const std = m.scaling.std[j];
      const name = m.featureNames[j];
      if (!Number.isFinite(mean) || !(std >= 0) || std === Infinity) {
        throw new ImportError(file, `scales input "${name}" as (x − ${mean}) / ${std}; only a finite mean and a positive (or zero) std can be explained`);
      }
      if (std === 0) {
        // The producer maps this input to 0 whatever its value (a constant column in training,
        // e.g. Spark's StandardScaler with std 0). If every centre agrees on it, the input
        // cannot move any distance difference, so any finite scale gives the same assignments,
        // evidence and relevances (its relevance is 0).
        for (let c = 1; c < k; c++) {
          if (centroids[c * dim + j] !== centroids[j]) throw new ImportError(file, `scales input "${name}" by 0 but its centres differ on it; the model cannot be reproduced`);
        }
        ignored.push(name);
        columns.push({ column: name, kind: 'numeric', mean, std: 1 });
      } else {
        columns.push({ column: name, kind: 'numeric', mean, std });
      }
    }
    if (ignored.length) notes.push(`${file}: input(s) ${ignored.slice(0, 6).join(', ')}${ignored.length > 6 ? ', ...' : ''} are scaled to 0 by the model (constant in training); their relevance is 0.`);
    preprocessing = { kind: 'table', missing: 'mean', columns };
  }
  return {
    model: { kind: 'kmeans', k, dim, centroids },
    preprocessing,
    featureNames: [...m.featureNames],
    notes,
    format: m.format,
    ...(m.unnamedInputs ? { unnamedInputs: true } : {}),
    metadata: { importedFrom: m.format },
  };
}
