/**
 * What a finished job keeps so single items and new texts can be explained later without
 * refitting: the data, the neuralized model and the preprocessing that maps raw input to it.
 */
import type { ClusterModel, Dataset, NeonOptions, NeuralizedModel, Preprocessing } from '../types';

export interface SessionState {
  readonly dataset: Dataset;
  readonly model: ClusterModel;
  readonly neuralized: NeuralizedModel;
  readonly neon: NeonOptions;
  /** As stored in a model file: `none` for a model that takes its inputs as-is. */
  readonly preprocessing: Preprocessing;
  readonly featureNames: readonly string[];
  /** Column names (tables) or vocabulary words (text): what relevance is reported over. */
  readonly units: readonly string[];
  readonly clusterLabels: readonly string[];
  /**
   * Tables: the raw cells of each row as read (source column order), for display. Absent when
   * the table was too large to keep twice; values are then rebuilt from the features.
   */
  readonly rawRows?: readonly (readonly string[])[];
}
