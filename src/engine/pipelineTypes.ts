/**
 * The contract of a whole clustering job (data -> features -> model -> explanations ->
 * summaries), shared by the CLI and the worker. Implemented in `pipeline.ts`.
 */
import type {
  ClusterModel,
  ClusterSummary,
  ColumnInfo,
  DocumentRef,
  EvidenceForm,
  FirstLayerRule,
  FlippingCurve,
  KSuggestion,
  ModelKind,
  NeonOptions,
  Preprocessing,
  QualityMetrics,
  TokenTable,
} from './types';

/** Where the data comes from. `auto` decides by file extension / folder. */
export type DataSource =
  | { readonly kind: 'auto'; readonly path: string }
  | { readonly kind: 'table'; readonly path: string }
  | { readonly kind: 'text-folder'; readonly path: string }
  | { readonly kind: 'jsonl'; readonly path: string }
  /** A text column of a table (CSV, TSV, or Parquet, whose documents hold their text: data/documentText.ts). */
  | { readonly kind: 'csv-text'; readonly path: string }
  | { readonly kind: 'paragraphs'; readonly path: string };

export interface ClusterSettings {
  readonly model: ModelKind;
  /** Number of clusters, or 'auto' = best silhouette over `kRange`. */
  readonly k: number | 'auto';
  readonly kRange: readonly [number, number];
  readonly seed: number;
  readonly restarts: number;
  readonly maxIterations: number;
  /** Soft min-pool stiffness; 'auto' = mean top soft-assignment probability ~0.8 (0.9 kernel/deep). */
  readonly beta: number | 'auto';
  readonly evidence: EvidenceForm;
  readonly rule: FirstLayerRule;
  /**
   * The reference rule's reference point (pipeline/reference.ts): 'mean' (default, the training
   * data mean), 'row:N' (0-based data row) or the path of a baseline CSV whose first row is used.
   */
  readonly reference?: string;
  /** A reference point stored with a given model (model file `neon.reference`), used for 'mean'. */
  readonly storedReference?: { readonly point: readonly number[]; readonly name?: string };
  /**
   * 0 (default): every row that fits the memory budget (beyond it, a seeded uniform random
   * sample of the rows that fit; see pipeline/rowBudget.ts). N > 0: the first N rows /
   * documents only (with a note), like pandas' `nrows`.
   */
  readonly maxRows: number;
  /** Memory budget of a job's in-memory data, MB; default 40 % of the machine's memory, at most 4096. */
  readonly memoryBudgetMb?: number;
  /**
   * Where a sampled fit writes every row's explanation (pipeline/rowResultsFile.ts), so the
   * editor can show rows outside the sample; none when absent. Never the user's data file.
   */
  readonly rowResultsFile?: string;
  /** Table label column (kept out of the features, used for purity/NMI/ARI). JSONL: the label field. */
  readonly labelColumn?: string;
  /**
   * A workspace-wide label column (extension setting) applies to every file: when set, a file
   * without that column is clustered without labels and a note says so, instead of failing.
   * The CLI leaves it unset, so a mistyped --label-column is an error.
   */
  readonly labelColumnOptional?: boolean;
  /** With no label column set, take the first column named like a label (label, class, target, diagnosis, ...; see isLabelLikeName). Default true (CLI, extension and engine alike); false = no label. */
  readonly autoLabelColumn?: boolean;
  /** The user chose "no label" (extension's Cluster Dataset… input): no column / JSONL field is taken as the label automatically. */
  readonly noLabelColumn?: boolean;
  /**
   * Extra cell texts read as missing in tables (pandas `na_values`), compared exactly after
   * trimming; see data/missingValues.ts for the default set.
   */
  readonly naValues?: readonly string[];
  /** Keep the default missing-value tokens (pandas `keep_default_na`; default true). */
  readonly keepDefaultNa?: boolean;
  /**
   * Table columns never used as features (matched by name like labelColumn; unknown names get a
   * note). The extension puts the label-like columns the user did not make the label here.
   */
  readonly excludeColumns?: readonly string[];
  /** A table's text column (csv-text source: CSV, TSV or Parquet) or JSONL text field; default: 'text' or the longest string column. */
  readonly textColumn?: string;
  /** GloVe / word2vec text-format embeddings; default: vectors built from the corpus. */
  readonly embeddingsFile?: string;
  /** Text: join the corpus's word vectors with the shipped general-English ones (data/generalVectors.ts); default true. */
  readonly generalVectors?: boolean;
  /** Stop-word list language ('en', 'de', 'fr', 'es', 'none'). */
  readonly stopWords: string;
  /** Dimension of the reduced text space (PCA), 50 as in the paper. */
  readonly textDim: number;
  /** Kernel k-means: bandwidth ('stiff' heuristic by default) and support vectors kept per cluster. */
  readonly kernelGamma: number | 'stiff' | 'median';
  readonly supportVectorsPerCluster: number;
  /** Deep models: training epochs. */
  readonly epochs: number;
  /** Compute feature-flipping curves (NEON vs baselines) on up to this many points; 0 = skip. */
  readonly flippingSample: number;
}

export const DEFAULT_SETTINGS: ClusterSettings = {
  model: 'kmeans',
  k: 'auto',
  kRange: [2, 10],
  seed: 42,
  restarts: 10,
  maxIterations: 300,
  beta: 'auto',
  evidence: 'hard',
  rule: 'reference',
  maxRows: 0,
  stopWords: 'en',
  textDim: 50,
  kernelGamma: 'stiff',
  supportVectorsPerCluster: 10,
  epochs: 60,
  flippingSample: 200,
};

/** What the extension needs to know about the data, without the feature matrix. */
export type DatasetSummary =
  | {
      readonly kind: 'table';
      readonly source: string;
      readonly rows: number;
      readonly delimiter: string;
      readonly columns: readonly ColumnInfo[];
      readonly rowLine: Int32Array;
      readonly labelColumn?: string;
      readonly notes: readonly string[];
    }
  | {
      readonly kind: 'text';
      readonly source: string;
      readonly rows: number;
      readonly documents: readonly DocumentRef[];
      readonly tokens: TokenTable;
      readonly vocabulary: readonly string[];
      readonly notes: readonly string[];
    };

/** Interpretable Deep Clustering's own explanation (shown next to NEON). */
export interface GateReport {
  /** N x U gate values in [0, 1] summed per unit (column / word) — the row's open gates. */
  readonly rowGates: Float32Array;
  /** K x U cluster-level gate matrix per unit. */
  readonly clusterGates: Float32Array;
  readonly meanOpenGates: number;
}

/** Which rows of the file a job clustered and explained (tables), and how they were chosen. */
export interface RowSelection {
  /** Rows clustered and explained (= dataset.rows). */
  readonly rows: number;
  /** Data rows in the file; undefined when the read stopped at the user's maxRows before the end. */
  readonly totalRows?: number;
  /** 'all' rows; the 'first' rows (the user's maxRows); a seeded uniform random 'sample' (memory budget). */
  readonly method: 'all' | 'first' | 'sample';
  /** Seed of the sample. */
  readonly seed?: number;
  /** Memory budget the sample was sized for, bytes. */
  readonly budgetBytes?: number;
  /**
   * 'sample': rows assigned and explained by the streaming pass over the whole file after the
   * fit (pipeline/everyRow.ts) — every row the reader could read; cluster sizes count them.
   */
  readonly explainedRows?: number;
  /** The model was given (a model file, a restored session), not fitted: the sample is only what is kept in memory. */
  readonly modelGiven?: boolean;
}

export interface PipelineResult {
  readonly dataset: DatasetSummary;
  /** Tables: how many of how many rows were used and how they were chosen (also in `notes`). */
  readonly rowSelection?: RowSelection;
  /** A sampled fit's results file of every row (settings.rowResultsFile), once complete. */
  readonly rowResults?: { readonly file: string; readonly rows: number };
  readonly model: ClusterModel;
  readonly preprocessing: Preprocessing;
  readonly featureNames: readonly string[];
  readonly neon: NeonOptions;
  /**
   * The units relevance is reported over: column names (tables, excluded columns included
   * with relevance 0 so indices match `dataset.columns`) or vocabulary words (text).
   */
  readonly units: readonly string[];
  readonly assignments: Int32Array;          // N
  readonly evidence: Float64Array;           // N
  readonly probability: Float64Array;        // N
  /**
   * Tables: N x U relevance per row and column. Text: empty (see tokenRelevance). Float64, so
   * every finite relevance is kept (float32 overflowed above 3.4e38); NaN only for the values
   * `beyondRange` lists.
   */
  readonly rowRelevance: Float64Array;
  /** Text: relevance of each token occurrence, aligned with dataset.tokens. Tables: empty. */
  readonly tokenRelevance: Float64Array;
  /**
   * Rows part of whose explanation is beyond float64 (|v| > 1.8e308): their evidence and/or
   * some relevances are NaN and a note names each (file, line, column). Normally absent.
   */
  readonly beyondRange?: readonly RowBeyondRange[];
  readonly clusters: readonly ClusterSummary[];
  /**
   * Per item (N): 0 = member, 1 = weakly assigned (evidence near zero), 2 = a document without
   * a usable word (not a member: evidence 0, probability 1/K, nothing highlighted). Constants
   * MEMBER_* in pipeline/summaries.ts.
   */
  readonly memberStatus?: Uint8Array;
  readonly quality: QualityMetrics;
  readonly kSuggestion?: KSuggestion;
  /** N x 2 map of the points (PCA of the model input), for the webview scatter plot. */
  readonly projection: Float32Array;
  readonly flipping?: readonly FlippingCurve[];
  readonly gates?: GateReport;
  /** Training loss per epoch for deep models. */
  readonly lossHistory?: Float64Array;
  readonly notes: readonly string[];
  readonly timings: Readonly<Record<string, number>>;
}

/** One row whose explanation is partly beyond float64 (see PipelineResult.beyondRange). */
export interface RowBeyondRange {
  readonly row: number;
  readonly cluster: number;
  /** The evidence itself is beyond float64: the row is assigned but not explained. */
  readonly evidence: boolean;
  /** Units (table columns) whose relevance is beyond float64, by index into `units`. */
  readonly units: readonly number[];
  /** The row has values that are not finite numbers. */
  readonly nonFiniteInput?: boolean;
}

/** A single item's detailed explanation (webview: per-competitor breakdown). */
export interface ItemExplanation {
  readonly index: number;
  readonly cluster: number;
  readonly evidence: number;
  readonly probability: number;
  /** Relevance per unit (column, or per token occurrence for text). */
  readonly unitRelevance: Float64Array;
  /** Per competitor k: share R_k and the per-unit breakdown (K x U, or K x tokens for text). */
  readonly competitorShares: Float64Array;
  readonly perCompetitor: Float64Array;
  /** Text only: the document's tokens (offsets into its source file). */
  readonly tokens?: { readonly word: Int32Array; readonly start: Int32Array; readonly end: Int32Array };
  /** Raw values of the row (tables), for display. */
  readonly values?: readonly string[];
  readonly gates?: Float32Array;
}

/** Explanation of an arbitrary text (an open document not in the corpus) under the fitted model. */
export interface TextExplanation {
  readonly cluster: number;
  readonly evidence: number;
  readonly probability: number;
  readonly words: readonly string[];         // the token's word
  readonly start: Int32Array;                // UTF-16 offsets in the given text
  readonly end: Int32Array;
  readonly relevance: Float64Array;          // per token occurrence
  /** For each token, the competitor it most separates the document from. */
  readonly topCompetitor: Int32Array;
  /** Tokens whose word is not in the model's vocabulary (no relevance). */
  readonly unknownWords: number;
  /**
   * True when no token is in the vocabulary: the text has no usable word, so it is in no
   * cluster — evidence 0, probability 1/K (`cluster` is then only the network's pick for 0).
   */
  readonly noUsableWords?: boolean;
}
