/**
 * Messages between the extension host (panel controller) and the webview UI.
 * Handshake: the webview posts `ready`; the host answers with `session` (or `empty`).
 * No data goes into the HTML; everything arrives here and is rendered as text.
 * Arrays are plain numbers (webview postMessage is JSON-like in code-server).
 */

export interface WebviewCluster {
  readonly index: number;
  readonly size: number;
  readonly label: string;
  readonly top: readonly { readonly name: string; readonly relevance: number }[];
  readonly meanEvidence: number;
  readonly purity?: number;
  readonly majorityLabel?: string;
  /** With a label: members per label value, most first (every value up to 5, else the top 3). */
  readonly labelCounts?: readonly { readonly label: string; readonly count: number }[];
  /** IDC: the cluster's selected columns / words (gate value per unit, top first). */
  readonly selected?: readonly { readonly name: string; readonly gate: number }[];
  /** Text: why the cluster is a catch-all (low cohesion / low evidence); absent when it is not. */
  readonly mixed?: string;
  /** Members with near-zero evidence (weakly assigned). */
  readonly weakMembers?: number;
  /** Text: the most typical members; `shown` = index among the session's shown items (-1 if not shown). */
  readonly examples?: readonly { readonly shown: number; readonly name: string; readonly excerpt?: string }[];
}

export interface WebviewFlipping {
  readonly method: string;
  readonly curve: readonly number[];
  readonly area: number;
  readonly msPerExplanation: number;
  /** What flipped features take: 'mean' | 'competitor-centroid' | 'other-cluster-row' (absent: 'mean'). */
  readonly reference?: string;
  /** The reference for people: "data mean", "nearest competitor's centroid", ... */
  readonly referenceName?: string;
  /** 'deletion' (lower area = better, the default) or 'insertion' (higher = better). */
  readonly direction?: string;
}

export interface WebviewSession {
  readonly sessionId: string;
  readonly title: string;                     // dataset file name
  readonly kind: 'table' | 'text';
  readonly modelKind: string;
  readonly k: number;
  readonly beta: number;
  readonly rule: string;
  /** The rule with its reference, e.g. "reference (data mean)". */
  readonly ruleLabel?: string;
  /** The question NEON's relevances answer under this rule (engine relevance/question.ts). */
  readonly question?: string;
  readonly evidenceForm: string;
  readonly itemNames: readonly string[];       // 'row 12' / document names (max ~5000 shown on the map)
  /** Items of the result: more than itemNames when the map and its list show an evenly spaced sample. */
  readonly itemCount?: number;
  readonly assignments: readonly number[];
  readonly evidence: readonly number[];
  /** Per shown item: 0 member, 1 weakly assigned, 2 no usable word (not a member). Absent: all members. */
  readonly memberStatus?: readonly number[];
  readonly projection: readonly number[];      // N x 2 flattened
  readonly clusters: readonly WebviewCluster[];
  readonly quality: Readonly<Record<string, number | undefined>>;
  /** Per k tried (k = auto); text also the stability criterion and stable clusters (engine KSuggestion). */
  readonly kScores?: readonly { readonly k: number; readonly silhouette: number; readonly stabilityScore?: number; readonly stableClusters?: number; readonly score?: number }[];
  readonly flipping?: readonly WebviewFlipping[];
  readonly units: readonly string[];           // column names (tables)
  /** Tables whose used columns form a square image (e.g. 64 pixels = 8 x 8): side length. */
  readonly imageSide?: number;
  /**
   * Optional, with imageSide: the imageSide² pixel column names in row-major order, including
   * columns left out of the features (e.g. constant border pixels). Pixels whose column is
   * not among an item's columns are drawn blank with relevance 0. Without it the webview
   * picks the pixel columns itself (all columns, the units, or the first numeric ones).
   */
  readonly imageColumns?: readonly string[];
  readonly lossHistory?: readonly number[];
  readonly notes: readonly string[];
  /** Items in the dataset (rows / documents), all of them, not only the map's sample. */
  readonly rows: number;
  /** How many of how many rows, chosen how ("178 rows", "the first 200000 rows (…)"). */
  readonly rowsPhrase: string;
  /** Which model explains the dataset: "fitted on wine.csv", "loaded from m.json". */
  readonly modelOrigin: string;
  /** Brought back after a reload with the stored model (not fitted again). */
  readonly restored?: boolean;
  /** The label column (tables) when there is one: it is never a feature. */
  readonly labelColumn?: string;
  /** Image-like tables: each cluster's mean image and mean relevance map (cards). */
  readonly clusterImages?: readonly WebviewClusterImage[];
}

/** One cluster of an image-like table, as two side x side grids (row-major). */
export interface WebviewClusterImage {
  readonly cluster: number;
  readonly side: number;
  /** Mean value of each pixel over the cluster's members (NaN: no number there). */
  readonly mean: readonly number[];
  /** Mean relevance of each pixel for the cluster over its members. */
  readonly relevance: readonly number[];
}

export interface WebviewItem {
  readonly index: number;
  readonly name: string;
  readonly cluster: number;
  readonly clusterLabel: string;
  readonly evidence: number;
  readonly probability: number;
  /** Why the evidence is not shown (beyond float64, issue 8 case 09); absent when explained. */
  readonly notExplained?: string;
  /** No editor can open the item (a Parquet row or text cell: reveal.ts panelOnly), so no Open button. */
  readonly panelOnly?: true;
  /** Tables: one entry per feature column (the columns the relevance is spread over). */
  readonly columns?: readonly { readonly name: string; readonly value: string; readonly relevance: number }[];
  /** Tables: the row's cells of the columns that are no feature (label first, then identifiers, text, …): shown as context, carrying no relevance (trial7 D11b). */
  readonly context?: readonly { readonly name: string; readonly value: string; readonly why: string }[];
  /** Text: the document's text split into segments; `relevance` only on tokens. */
  readonly segments?: readonly { readonly text: string; readonly relevance?: number; readonly word?: string }[];
  /** Per competitor: its cluster, share R_k and the top units separating the item from it. */
  readonly competitors: readonly {
    readonly cluster: number;
    readonly label: string;
    readonly share: number;
    readonly top: readonly { readonly name: string; readonly relevance: number }[];
  }[];
  /** IDC: the row's open gates (unit name, gate value). */
  readonly gates?: readonly { readonly name: string; readonly gate: number }[];
}

export type HostToWebview =
  | { readonly type: 'session'; readonly session: WebviewSession; readonly selected?: number }
  | { readonly type: 'empty'; readonly message: string }
  | { readonly type: 'item'; readonly item: WebviewItem }
  | { readonly type: 'progress'; readonly stage: string; readonly fraction?: number; readonly loss?: number }
  /** The running job was cancelled: stop showing progress (the shown session, if any, stays). */
  | { readonly type: 'cancelled'; readonly message: string }
  | { readonly type: 'error'; readonly message: string }
  /** Show Clusters Panel: move keyboard focus to the panel's first control. */
  | { readonly type: 'focus' }
  /** Explain Cluster (palette or tree): show that cluster — its card in view, the map and list on its members. */
  | { readonly type: 'revealCluster'; readonly cluster: number };

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'selectItem'; readonly index: number }
  | { readonly type: 'openItem'; readonly index: number }
  | { readonly type: 'selectCluster'; readonly cluster: number }
  /** A toolbar button: acts on the dataset the panel shows (`sessionId`), or clusters a new one. */
  | { readonly type: 'command'; readonly command: 'cluster' | 'recluster' | 'export' | 'saveModel'; readonly sessionId?: string };
