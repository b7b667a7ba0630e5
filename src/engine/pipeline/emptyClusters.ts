/**
 * The note for clusters that no row of a dataset falls in. Under a model given as raw
 * centroids (a centroids CSV, a .npy array, a model file with `preprocessing: none`), every row
 * landing in one cluster is what a user meets when the centroids were fitted on scaled data —
 * scikit-learn's `make_pipeline(StandardScaler(), KMeans())` keeps `cluster_centers_` in z-scores —
 * and the data is given raw: the note says so, and what to do (docs/model-file.md).
 */

/**
 * @param name the dataset's file name
 * @param sizes rows per cluster (length k)
 * @param rawCentroids the model takes the data's values as they are (given preprocessing `none`)
 * @returns the note, or undefined when every cluster has a row
 */
export function emptyClustersNote(name: string, sizes: ArrayLike<number>, rawCentroids: boolean): string | undefined {
  const empty: number[] = [];
  for (let c = 0; c < sizes.length; c++) if (sizes[c] === 0) empty.push(c);
  if (empty.length === 0) return undefined;
  const which = `${empty.length} of ${sizes.length} cluster(s) have no member in ${name} (cluster ${empty.join(', ')})`;
  if (!rawCentroids) return `${which}.`;
  return (
    `${which}: the model's centroids may not be on this data's scale. Centroids fitted on scaled data ` +
    "(e.g. scikit-learn's StandardScaler before KMeans) need the data scaled the same way, or a model file that holds the scaler " +
    '(ONNX or PMML with the scaler, a Spark pipeline, or a NEON model file with `table` transforms: docs/model-file.md).'
  );
}
