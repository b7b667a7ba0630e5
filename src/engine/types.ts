/**
 * Shared vocabulary of the engine. Everything here is plain data (numbers, strings,
 * typed arrays) so that it crosses `postMessage` to/from the worker and reaches the model
 * file unchanged. No `vscode` import anywhere under src/engine.
 */

/** Dense row-major matrix: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Relevance of each model input feature for one point's assignment (length D).
 * Positive = evidence for the assigned cluster, negative = evidence for a competitor.
 * Under conservative rules it sums to the reported evidence.
 */
export type Relevance = Float64Array;

// ---------------------------------------------------------------------------------------
// Datasets
// ---------------------------------------------------------------------------------------

/** How a table column is used. Identifier/constant/empty columns are excluded with a note. */
export type ColumnKind = 'numeric' | 'categorical' | 'text' | 'identifier' | 'constant' | 'label';

export interface ColumnInfo {
  /** Header name, made unique as pandas `read_csv` does (`a.1`; an empty one is `Unnamed: j`), with a note. */
  readonly name: string;
  /** 0-based position in the source file. */
  readonly sourceIndex: number;
  readonly kind: ColumnKind;
  /** Why the column is not a feature, shown to the user (undefined = used). */
  readonly excludedReason?: string;
  /** Number of missing cells (empty, NA, NaN, null, ?). */
  readonly missing: number;
}

/** Maps raw table columns to standardised / one-hot features. Stored in the model file. */
export type ColumnTransform =
  | { readonly column: string; readonly kind: 'numeric'; readonly mean: number; readonly std: number }
  | {
      readonly column: string;
      readonly kind: 'categorical';
      readonly categories: readonly string[];
      /** The input's value for the row's own category (the others are 0); absent = 1 (models written before data/categoryIndicator.ts). */
      readonly indicator?: number;
    };

export interface TablePreprocessing {
  readonly kind: 'table';
  /** One entry per used column, in feature order; a categorical column yields one feature per category. */
  readonly columns: readonly ColumnTransform[];
  /** How missing numeric cells are filled before standardising. */
  readonly missing: 'mean';
}

export interface TextPreprocessing {
  readonly kind: 'text';
  /** Tokens: lowercase words of at least `minWordLength` letters, stop words removed. */
  readonly minWordLength: number;
  readonly stopWords: string;           // language code, e.g. 'en', or 'none'
  readonly vocabulary: readonly string[];
  /**
   * Word vectors already in the model's input space (V x D, row-major): document vector =
   * mean of its tokens' rows. The whole words -> document -> reduced space path is linear
   * (centering and PCA folded in), so token relevance is exact.
   */
  readonly wordVectors: Float64Array;
  readonly dim: number;
  /** Where the vectors came from, for the README / model file ('ppmi-svd', 'glove:<file>'). */
  readonly vectorSource: string;
  /**
   * How a document's rows are combined (data/documentVector.ts): `mean` (absent in model files
   * written before it existed) or `l2` = the mean scaled to unit length (spherical k-means).
   * Either way x is a per-document multiple of the sum of its tokens' rows.
   */
  readonly normalization?: 'mean' | 'l2';
  /**
   * The CSV column / JSONL field the documents were read from, when the fit was told one
   * (--text-column, the text-column step): `explain` reads the same one by default (trial7 D11f).
   */
  readonly textColumn?: string;
}

/** `none`: the data is taken as-is (e.g. a model given as a centroids CSV). */
export type Preprocessing = TablePreprocessing | TextPreprocessing | { readonly kind: 'none' };

/**
 * One document of a text corpus and where its text is: at offsets of its source file's text, or,
 * for a file without text to point into (a Parquet table), held in `text` (data/documentText.ts).
 */
export interface DocumentRef {
  /**
   * Display name: file name, `file.md ¶3`, or for a record of a JSONL file or a CSV text column
   * `file.jsonl:12` / `file.csv:12`, the 1-based line the record starts on (as the editor counts
   * lines, so Go to Line finds it; a CSV record with a quoted line break spans several lines);
   * for a cell of a Parquet text column `file.parquet row 12`, its 0-based row (pandas' index).
   */
  readonly name: string;
  /**
   * The record's 0-based row number when it differs from the document's index: a CSV text
   * column whose reader skipped a record keeps the rows after it at their number, as a table's
   * rows (tableReader.ts dataRowNumber), so `explain` and notes give pandas' row. Absent: the index.
   */
  readonly row?: number;
  /** Absolute path of the file holding the text. */
  readonly path: string;
  /**
   * UTF-16 offsets of the document's text in that file (as VS Code positions count); for a
   * document holding its text, 0 and text.length.
   */
  readonly start: number;
  readonly end: number;
  readonly label?: string;
  /**
   * The document's text when its file has no text to point into (a string cell of a binary
   * Parquet table): `start`..`end` and its tokens' offsets then count in this text, and no editor
   * opens or decorates it; the panel shows it. Absent: the text is the file's at start..end.
   */
  readonly text?: string;
}

/**
 * Token occurrences of a corpus, flat. Tokens of document d are
 * `docStart[d] .. docStart[d+1]-1`. Offsets are UTF-16 offsets in the document's source
 * file (not in the decoded JSON string), so the editor can highlight them directly; in the
 * document's own text when it holds it (DocumentRef.text).
 */
export interface TokenTable {
  readonly docStart: Int32Array;   // length N + 1
  readonly word: Int32Array;       // vocabulary index
  readonly start: Int32Array;
  readonly end: Int32Array;
}

export interface TableDataset {
  readonly kind: 'table';
  readonly source: string;
  readonly delimiter: string;
  readonly columns: readonly ColumnInfo[];
  /** 1-based line in the source file where each data row starts (for reveal / decorations). */
  readonly rowLine: Int32Array;
  /** 0-based row number of each row counting records skipped as unreadable (pandas' numbering); undefined when none was skipped. */
  readonly rowIndex?: Int32Array;
  readonly features: Matrix;                 // N x D
  readonly featureNames: readonly string[];  // D, e.g. `age`, `color=red`
  /** Feature j belongs to the user-visible column `columns[featureColumn[j]]`. */
  readonly featureColumn: Int32Array;
  readonly labels?: readonly string[];
  readonly labelColumn?: string;
  readonly preprocessing: TablePreprocessing;
  readonly notes: readonly string[];
}

export interface TextDataset {
  readonly kind: 'text';
  readonly source: string;
  readonly documents: readonly DocumentRef[];
  readonly tokens: TokenTable;
  readonly features: Matrix;                 // N x D (document vectors in model input space)
  /**
   * σ of each document (length N): features row d = σ_d · Σ of its tokens' wordVectors rows
   * (data/documentVector.ts); 0 for a document without known words. Absent: 1 / token count.
   */
  readonly documentScale?: Float64Array;
  readonly featureNames: readonly string[];  // `dim1`..`dimD`
  /** The first words of each document (whitespace collapsed), for example lists; absent for very large corpora. */
  readonly excerpts?: readonly string[];
  readonly labels?: readonly string[];
  readonly preprocessing: TextPreprocessing;
  readonly notes: readonly string[];
}

export type Dataset = TableDataset | TextDataset;

// ---------------------------------------------------------------------------------------
// Models (fitted, plain data; `dim` = model input dimension D)
// ---------------------------------------------------------------------------------------

export interface KMeansModel {
  readonly kind: 'kmeans';
  readonly k: number;
  readonly dim: number;
  readonly centroids: Float64Array;          // K x D
}

export interface KernelKMeansModel {
  readonly kind: 'kernel-kmeans';
  readonly k: number;
  readonly dim: number;
  /** Gaussian kernel k(x, x') = exp(-gamma ||x - x'||^2). */
  readonly gamma: number;
  readonly supportVectors: Float64Array;     // M x D
  readonly supportCluster: Int32Array;       // M, cluster of each support vector
  /** b_k = (1/gamma) log z_k (neon-method.md, "Kernel k-means"). */
  readonly bias: Float64Array;               // K
}

export type Activation = 'relu' | 'linear' | 'sigmoid' | 'tanh';

export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float64Array;            // outputs x inputs, row-major
  readonly bias: Float64Array;               // outputs
  readonly activation: Activation;
}

export interface DeepKMeansModel {
  readonly kind: 'deep-kmeans';
  readonly k: number;
  readonly dim: number;
  readonly layers: readonly DenseLayer[];    // feature map phi
  readonly centroids: Float64Array;          // K x (phi output dim)
  /** Bounds of the inputs for the box rule (from the training data). */
  readonly inputLow: Float64Array;
  readonly inputHigh: Float64Array;
}

export interface IdcModel {
  readonly kind: 'idc';
  readonly k: number;
  readonly dim: number;
  readonly gateNet: readonly DenseLayer[];   // x -> gate logits (D)
  readonly encoder: readonly DenseLayer[];   // gated x -> embedding
  readonly clusterHead: readonly DenseLayer[]; // embedding -> K logits
  readonly clusterGates: Float64Array;       // K x D in [0, 1]
}

export type ClusterModel = KMeansModel | KernelKMeansModel | DeepKMeansModel | IdcModel;
export type ModelKind = ClusterModel['kind'];

// ---------------------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------------------

/** How the evidence f_c is reported: hard margin (default) or the soft 1/beta-logit. */
export type EvidenceForm = 'hard' | 'soft';
/**
 * Root point of the first (detection) layer's LRP rule (neuralize/rootPoint.ts). Both
 * 'midpoint' and 'reference' are exactly conservative; they answer different questions:
 *  - 'midpoint': root on the boundary between the cluster and each competitor k — "what
 *    separates this row from the boundary with cluster k";
 *  - 'reference': root on the line from the row to a reference point (the data mean by
 *    default) — "compared with the reference, which features make this row belong here
 *    rather than to cluster k";
 *  - 'z': the paper's older z-rule (root 0, bias absorbed); leaks the bias share, kept for comparison.
 */
export type FirstLayerRule = 'midpoint' | 'reference' | 'z';

export interface NeonOptions {
  /** Stiffness of the soft min-pool (resolved: a number, never 'auto'). */
  readonly beta: number;
  readonly evidence: EvidenceForm;
  readonly rule: FirstLayerRule;
  /** The reference rule's point in the model's input space (length D); required for 'reference'. */
  readonly reference?: Float64Array;
  /** What `reference` is, for people (after "compared with"): "the data mean", "row 12 of data.csv". */
  readonly referenceName?: string;
  /**
   * How the reference rule shares the min-pool's evidence among the competitors
   * (neuralize/referencePath.ts): 'path' (default) — by what each competitor takes away on the
   * segment from the row to the network's root on the line through the reference (exact for
   * the hard pool, one forward pass); 'min-takes-most' — by the softmin_β shares at the row,
   * each neuron with its own root on that line (the rule before issue 13, kept for comparison).
   * The midpoint and z rules always use min-takes-most.
   */
  readonly pooling?: PoolingRule;
}

/** See `NeonOptions.pooling`. */
export type PoolingRule = 'path' | 'min-takes-most';

/**
 * The input layer's relevance in linear form: R_i = coef_i * x_i - offset_i.
 * Because text features are a mean of word vectors, this lets a document's relevance be
 * split exactly over its token occurrences: r_t = (1/n) sum_i (coef_i v_ti - offset_i).
 */
export interface LinearAttribution {
  readonly coef: Float64Array;               // D
  readonly offset: Float64Array;             // D
}

export interface PointExplanation {
  readonly cluster: number;
  readonly evidence: number;
  /** Soft assignment p(c | x) with the model's beta. */
  readonly probability: number;
  readonly relevance: Relevance;             // D
  /** R_k: share of the evidence attributed to each competitor (0 for the assigned cluster). */
  readonly competitorShares: Float64Array;   // K
  /** Optional detailed explanation: row k = features separating x from competitor k (K x D). */
  readonly perCompetitor?: Float64Array;
  readonly attribution: LinearAttribution;
  /**
   * Set when part of the explanation is beyond float64 (|v| > 1.8e308): the evidence and/or
   * the listed features' relevances are NaN (see neuralize/kmeansScaled.ts).
   */
  readonly beyondRange?: {
    readonly evidence: boolean;
    /** Input features whose relevance (or value) cannot be represented. */
    readonly features: readonly number[];
    /** The input holds values that are not finite numbers. */
    readonly nonFiniteInput?: boolean;
  };
}

/** A fitted model rewritten as a network (neon-method.md, step 1), with its backward pass. */
export interface NeuralizedModel {
  readonly k: number;
  readonly dim: number;
  readonly options: NeonOptions;
  /** Index of the assigned cluster. */
  assign(x: Float64Array): number;
  /** Evidence f_c(x) for cluster c under `options.evidence`. */
  evidence(x: Float64Array, c: number): number;
  /** Writes the gradient of `evidence(x, c)` with respect to x into `out`. */
  gradient(x: Float64Array, c: number, out: Float64Array): void;
  /** Propagates f_c back to the inputs (neon-method.md, step 2). c defaults to assign(x). */
  explain(x: Float64Array, c?: number, detail?: { perCompetitor?: boolean }): PointExplanation;
  /** Optional: `explain(x, c).relevance` alone, without the explanation's other parts (faster). */
  relevance?(x: Float64Array, c: number): Float64Array;
  /** Optional: `relevance(x, c)` written into `out` (length D), for batches without a result array per row. */
  relevanceInto?(x: Float64Array, c: number, out: Float64Array): void;
}

// ---------------------------------------------------------------------------------------
// Results for users (CLI, worker -> extension)
// ---------------------------------------------------------------------------------------

export interface RankedFeature {
  /** Column name (tables) or word (text). */
  readonly name: string;
  readonly relevance: number;
}

/** Members of a cluster with one label value. */
export interface LabelCount {
  readonly label: string;
  readonly count: number;
}

export interface ClusterSummary {
  readonly index: number;
  readonly size: number;
  /** Readable label from the top words / columns. */
  readonly label: string;
  /** Mean relevance per column / word over the cluster's members, most relevant first. */
  readonly top: readonly RankedFeature[];
  readonly meanEvidence: number;
  readonly majorityLabel?: string;
  readonly purity?: number;
  /**
   * With a label: the members per label value, most first; every value when the label has at
   * most 5, else the 3 most frequent (pipeline/labelCounts.ts).
   */
  readonly labelCounts?: readonly LabelCount[];
  /**
   * Text: why the cluster is a catch-all (low cohesion / unstable over re-fits with weak
   * evidence / low mean evidence / mostly weak members, relative to the other clusters);
   * absent when it is not. Its label then starts
   * with "mixed: ". pipeline/summaries.ts has the rule.
   */
  readonly mixed?: string;
  /** Members whose evidence is near zero (weakly assigned; pipeline/summaries.ts). */
  readonly weakMembers?: number;
  /** Text: length of the members' mean unit direction (1 = all alike, near 0 = scattered). */
  readonly cohesion?: number;
  /**
   * Text, k-means: clusterwise stability (Hennig 2007; evaluate/clusterStability.ts), the mean
   * Jaccard of the cluster with its best match when k-means is re-fitted on random subsamples
   * (1 = always comes back intact; < 0.5 dissolves).
   */
  readonly stability?: number;
  /** Text: the most typical member documents (index, and its first words when kept), most typical first. */
  readonly examples?: readonly { readonly index: number; readonly excerpt?: string }[];
}

export interface QualityMetrics {
  readonly silhouette?: number;
  readonly purity?: number;
  readonly nmi?: number;
  readonly ari?: number;
  /** Hungarian-matched clustering accuracy. */
  readonly accuracy?: number;
}

export interface KSuggestion {
  readonly k: number;
  /**
   * Per k tried: the mean silhouette; text also the clusters that come back intact over re-fits
   * on subsamples (stability >= 0.75), the mean stability, the sum over the clusters of
   * (stability corrected for chance - 0.5) and the criterion, that sum x max(0, silhouette)
   * (cluster/suggestK.ts).
   */
  readonly scores: readonly {
    readonly k: number;
    readonly silhouette: number;
    readonly stableClusters?: number;
    readonly stability?: number;
    readonly stabilityScore?: number;
    readonly score?: number;
  }[];
  /** How k was chosen from the scores, in words (e.g. "the best silhouette"). */
  readonly rule?: string;
}

export type ExplanationMethod = 'neon' | 'sensitivity' | 'gradient-x-input' | 'integrated-gradients';

/** Value a flipped feature takes (evaluate/flipping.ts). */
export type FlippingReferenceKind = 'mean' | 'competitor-centroid' | 'other-cluster-row';
/** deletion: most relevant features removed first (lower area = better); insertion: most relevant put back first into the reference (higher = better). */
export type FlippingDirection = 'deletion' | 'insertion';

export interface FlippingCurve {
  readonly method: ExplanationMethod;
  /** Mean evidence after moving 0, 1/steps, ..., 1 of the features (fraction of features moved). */
  readonly curve: Float64Array;
  /**
   * Area under the curve normalised by |mean f_c(x)|: deletion, lower = more faithful;
   * insertion, higher = more faithful.
   */
  readonly area: number;
  /** Median time of one explanation by this method over the rows, ms. */
  readonly msPerExplanation: number;
  /** What removed features are replaced by (absent in results from before references: 'mean'). */
  readonly reference?: FlippingReferenceKind;
  /** The reference for people: "data mean", "nearest competitor's centroid", ... */
  readonly referenceName?: string;
  /** Absent: 'deletion'. */
  readonly direction?: FlippingDirection;
}

// ---------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------

export interface Progress {
  /** Stage shown to the user: 'loading', 'features', 'k-means', 'explaining', ... */
  readonly stage: string;
  /** 0..1 within the whole job when known. */
  readonly fraction?: number;
  readonly message?: string;
  /** Deep models: the training loss of the epoch just finished (live curve in the panel). */
  readonly loss?: number;
}

/** Passed to every long-running engine function. */
export interface JobHooks {
  /** Honoured within ~100 ms: long loops check it between chunks. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
}
