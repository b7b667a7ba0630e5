/**
 * The whole clustering job shared by the CLI and the worker (contract: pipelineTypes.ts):
 * load the data, choose k, fit the model (or take a given one), neuralize it, explain every
 * point with NEON, summarise the clusters, measure quality, map the points to 2-D, compare
 * NEON with the baselines by feature flipping, and report IDC's own gates.
 */
import path from 'node:path';
import { idcGates } from './cluster/idc';
import { largestKTriedNote } from './cluster/kRangeEdge';
import { buildTableDataset, loadDataset, resolveSourceKind, type ColumnarTable } from './data';
import { missingValueOptions, tableOptions } from './data/loadDataset';
import { tableRowsText } from './data/cellColumn';
import { ModelError } from './errors';
import { FLIPPING_DIRECTIONS, FLIPPING_REFERENCES, featureFlipping } from './evaluate/flipping';
import { yieldToEventLoop, throwIfAborted } from './jobs';
import { pca } from './linalg/pca';
import { computePool } from './parallel/pool';
import { toSharedMatrix } from './parallel/shared';
import { kmeansOutlierScores } from './neuralize/beta';
import { mlpPredictAsync } from './nn/mlp';
import { sumByColumn } from './relevance/units';
import { Rng } from './rng';
import type { ClusterSettings, DataSource, DatasetSummary, GateReport, PipelineResult, RowSelection } from './pipelineTypes';
import type { ClusterModel, ClusterSummary, Dataset, ExplanationMethod, FlippingCurve, IdcModel, JobHooks, Matrix, NeuralizedModel, TableDataset } from './types';
import { explainAll } from './pipeline/explainAll';
import { emptyClustersNote } from './pipeline/emptyClusters';
import { clustersOverEveryRow, explainEveryRow, type EveryRowSink, type EveryRowTotals } from './pipeline/everyRow';
import { RowResultsWriter } from './pipeline/rowResultsFile';
import { chooseK, fitClusterModel } from './pipeline/fitModel';
import { fitIdcFillingK } from './pipeline/idcFilledK';
import { type GivenModel, loadForGivenModel } from './pipeline/givenData';
import { beyondRangeNotes, beyondRangeRows } from './pipeline/beyondRange';
import { deepInputCentroids, resolveNeonOptions, neuralize } from './pipeline/neuralizeModel';
import { resolveReference } from './pipeline/reference';
import { computeQuality } from './pipeline/quality';
import { selectionNote } from './pipeline/rowBudget';
import { readTableRowsInBudget } from './pipeline/sampledTable';
import type { SessionState } from './pipeline/session';
import { StageClock } from './pipeline/stages';
import { median, MEMBER_WEAK, MEMBER_WORDLESS, memberStatus, summarizeClusters, WEAK_EVIDENCE, type StabilityInput } from './pipeline/summaries';
import { clusterStability, STABILITY_FRACTION } from './evaluate/clusterStability';
import { fittingRows, placeWordless } from './pipeline/wordless';
import { nameWithRow } from './data/documentText';

export { explainItem, explainText } from './pipeline/itemExplanation';
export type { SessionState } from './pipeline/session';
export type { GivenModel } from './pipeline/givenData';

/** A given model may bring its cluster names along (model file `clusterLabels`). */
export interface GivenModelInput extends GivenModel {
  readonly clusterLabels?: readonly string[];
}

export interface PipelineOptions {
  /** Receive every row's results when a sample was fitted (the streaming pass; e.g. the CLI's `fit --rows-out`). */
  readonly everyRowSinks?: readonly EveryRowSink[];
}

export interface PipelineOutput {
  readonly result: PipelineResult;
  readonly state: SessionState;
}

/** Tables up to this many rows keep their raw cells for display (read a second time). */
const KEEP_RAW_ROWS = 100_000;
export const FLIPPING_METHODS: readonly ExplanationMethod[] = ['neon', 'sensitivity', 'gradient-x-input', 'integrated-gradients'];

function summarizeDataset(dataset: Dataset): DatasetSummary {
  if (dataset.kind === 'table') {
    return {
      kind: 'table',
      source: dataset.source,
      rows: dataset.features.rows,
      delimiter: dataset.delimiter,
      columns: dataset.columns,
      rowLine: dataset.rowLine,
      ...(dataset.labelColumn !== undefined ? { labelColumn: dataset.labelColumn } : {}),
      notes: dataset.notes,
    };
  }
  return {
    kind: 'text',
    source: dataset.source,
    rows: dataset.features.rows,
    documents: dataset.documents,
    tokens: dataset.tokens,
    vocabulary: dataset.preprocessing.vocabulary,
    notes: dataset.notes,
  };
}

/**
 * The dataset; a table is read here rather than through loadDataset (which does the same two
 * steps) so its raw cells can be kept for display without reading the file twice.
 */
async function loadData(source: DataSource, settings: ClusterSettings, hooks: JobHooks): Promise<{ dataset: Dataset; raw?: ColumnarTable; selection?: RowSelection }> {
  if (resolveSourceKind(source) !== 'table') return { dataset: await loadDataset(source, settings, hooks) };
  const { raw, selection } = await readTableRowsInBudget(source.path, settings, hooks);
  throwIfAborted(hooks);
  // The same table options as loadDataset (label column, optional / automatic label, left-out columns, missing tokens).
  const dataset = await buildTableDataset(raw, source.path, tableOptions(settings), hooks);
  return { dataset, raw, selection };
}

function withSharedFeatures(dataset: Dataset): Dataset {
  const features = toSharedMatrix(dataset.features);
  if (features === dataset.features) return dataset;
  return dataset.kind === 'table' ? { ...dataset, features } : { ...dataset, features };
}

function columnMean(X: Matrix): Float64Array {
  const mean = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) mean[j] += X.data[i * X.cols + j];
  for (let j = 0; j < X.cols; j++) mean[j] /= Math.max(1, X.rows);
  return mean;
}

/** N x 2 PCA map of the model input (deep k-means: of its learned representation, where it clusters). */
function projection(input: Matrix, seed: number): Float32Array {
  const out = new Float32Array(input.rows * 2);
  if (input.rows === 0) return out;
  const dims = Math.min(2, input.cols, input.rows);
  const p = pca(input, dims, { seed }).projected;
  // The map is a picture: coordinates beyond float32 (data near 1e38 and above) are scaled
  // down by a power of two so no point is drawn at Infinity.
  let top = 0;
  for (let t = 0; t < p.data.length; t++) if (Number.isFinite(p.data[t])) top = Math.max(top, Math.abs(p.data[t]));
  const shrink = top > 1e30 ? Math.pow(2, Math.floor(Math.log2(top)) - 60) : 1;
  for (let i = 0; i < input.rows; i++) for (let j = 0; j < dims; j++) {
    const v = p.data[i * p.cols + j] / shrink;
    out[i * 2 + j] = Number.isFinite(v) ? v : 0;
  }
  return out;
}

function sampleRows(n: number, count: number, seed: number): Int32Array {
  const order = new Rng(seed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  return order.slice(0, Math.min(n, count)).sort();
}

/** IDC's own explanation: each row's open gates and the cluster-level gate matrix, per column. */
async function gateReport(model: IdcModel, dataset: TableDataset, hooks?: JobHooks): Promise<GateReport> {
  const { rows: n, cols: d, data } = dataset.features;
  const u = dataset.columns.length;
  const buf = new Float64Array(u);
  const rowGates = new Float32Array(n * u);
  let open = 0;
  // Batches of rows through the gate network, yielding between them.
  const BATCH = 512;
  for (let from = 0; from < n; from += BATCH) {
    await yieldToEventLoop();
    throwIfAborted(hooks);
    const rows = Math.min(BATCH, n - from);
    const gates = idcGates(model, { rows, cols: d, data: data.subarray(from * d, (from + rows) * d) }).data;
    for (let r = 0; r < rows; r++) {
      const g = gates.subarray(r * d, (r + 1) * d);
      for (let j = 0; j < d; j++) if (g[j] > 0.5) open++; // as IDC counts open gates
      sumByColumn(g, dataset.featureColumn, u, buf);
      for (let c = 0; c < u; c++) rowGates[(from + r) * u + c] = buf[c];
    }
  }
  const clusterGates = new Float32Array(model.k * u);
  for (let c = 0; c < model.k; c++) {
    sumByColumn(model.clusterGates.subarray(c * d, (c + 1) * d), dataset.featureColumn, u, buf);
    clusterGates.set(buf, c * u);
  }
  return { rowGates, clusterGates, meanOpenGates: n ? open / n : 0 };
}

/** Says how far the relevances are from summing to the evidence, and why. */
function conservationNote(model: ClusterModel, rule: string, gap: number): string {
  const why =
    model.kind === 'idc'
      ? "IDC's relevance is gradient x input at the gated input, not a conservative propagation"
      : rule === 'z'
        ? "the z-rule leaks the detection layer's bias share"
        : model.kind === 'deep-kmeans'
          ? "the hidden layers' biases keep a share of the evidence"
          : 'rounding near ambiguous points';
  return `Relevances sum to the evidence only approximately: the mean gap is ${(100 * gap).toPrecision(2)}% of |evidence| (${why}).`;
}

/** Counts rows where both labels exist (-1 = not fitted, e.g. a word-less document) and differ. */
function countDisagreements(a: Int32Array, b: Int32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] >= 0 && a[i] !== b[i]) n++;
  return n;
}

/** Notes on weakly assigned items and mixed clusters (text), so the CLI prints them too. */
function statusNotes(dataset: Dataset, status: Uint8Array, clusters: readonly ClusterSummary[], everyRow?: EveryRowTotals): string[] {
  const notes: string[] = [];
  let weak = 0;
  let wordless = 0;
  // The first word-less documents by name (`corpus.jsonl:7 (row 6)`), as the reading note names them (trial s21 D15b).
  const named: string[] = [];
  for (let i = 0; i < status.length; i++) {
    const s = status[i];
    if (s === MEMBER_WEAK) weak++;
    else if (s === MEMBER_WORDLESS) {
      if (wordless++ < 5 && dataset.kind === 'text') named.push(nameWithRow(dataset.documents[i], i));
    }
  }
  const items = dataset.kind === 'text' ? 'document(s)' : 'row(s)';
  // A sampled fit counts weak rows over every row of the file (the streaming pass).
  if (everyRow) weak = everyRow.weak.reduce((a, b) => a + b, 0);
  if (weak > 0) notes.push(`${weak} ${items} are weakly assigned: their evidence is below ${Math.round(100 * WEAK_EVIDENCE)}% of the median, so they sit near a boundary between clusters.`);
  if (wordless > 0) {
    const which = named.length > 0 ? ` (${named.join(', ')}${wordless > named.length ? ` and ${wordless - named.length} more` : ''})` : '';
    notes.push(`${wordless} ${items} have no usable word${which}: not assigned to a cluster (evidence 0).`);
  }
  for (const c of clusters) if (c.mixed) notes.push(`Cluster ${c.index} (${c.size} documents): ${c.mixed}`);
  return notes;
}

/** unit u of a table is a feature column (excluded and label columns carry no relevance). */
function featureColumns(dataset: TableDataset): (u: number) => boolean {
  const used = new Uint8Array(dataset.columns.length);
  dataset.featureColumn.forEach((c) => (used[c] = 1));
  return (u) => used[u] === 1;
}

/**
 * The streaming pass of a sampled fit (pipeline/everyRow.ts), writing settings.rowResultsFile
 * when asked (deleted again if the pass does not complete).
 */
async function streamEveryRow(
  file: string,
  settings: ClusterSettings,
  dataset: TableDataset,
  model: ClusterModel,
  nm: NeuralizedModel,
  neon: ReturnType<typeof resolveNeonOptions>,
  sampleEvidence: Float64Array,
  totalRows: number,
  hooks: JobHooks,
  sinks: readonly EveryRowSink[],
): Promise<{ totals: EveryRowTotals; file?: string }> {
  const units = dataset.columns.map((c) => c.name);
  const writer = settings.rowResultsFile ? new RowResultsWriter(settings.rowResultsFile, units.length) : undefined;
  const finite = Array.from(sampleEvidence).filter(Number.isFinite);
  try {
    const totals = await explainEveryRow(
      {
        file,
        open: missingValueOptions(settings),
        given: { model, preprocessing: dataset.preprocessing, featureNames: dataset.featureNames },
        neuralized: { model: nm, neon },
        units,
        weakCut: WEAK_EVIDENCE * median(finite),
        totalRows,
        sinks: writer ? [...sinks, writer] : sinks,
      },
      hooks,
    );
    writer?.close();
    return { totals, ...(writer ? { file: writer.file } : {}) };
  } catch (e) {
    writer?.discard();
    throw e;
  }
}

/**
 * Runs the whole job. With `given`, the model is not fitted: the data is mapped to its inputs
 * with its own preprocessing and explained. Progress goes to hooks.onProgress; hooks.signal
 * is honoured at every stage (CancelledError).
 */
export async function runPipeline(source: DataSource, settings: ClusterSettings, hooks?: JobHooks, given?: GivenModelInput, options: PipelineOptions = {}): Promise<PipelineOutput> {
  const clock = new StageClock(hooks);
  const notes: string[] = [];

  let h = await clock.start('loading');
  let dataset: Dataset;
  let rowSelection: RowSelection | undefined;
  let rawRows: string[][] | undefined;
  if (given) {
    const loaded = await loadForGivenModel(source, given, settings, h);
    dataset = loaded.dataset;
    // Beyond the memory budget a sample is kept and every row explained in the streaming pass below.
    if (loaded.selection?.method === 'sample') rowSelection = { ...loaded.selection, modelGiven: true };
    if (loaded.raw && loaded.raw.rows <= KEEP_RAW_ROWS) rawRows = tableRowsText(loaded.raw.columns, loaded.raw.rows);
  } else {
    const loaded = await loadData(source, settings, h);
    dataset = loaded.dataset;
    rowSelection = loaded.selection;
    if (loaded.raw && loaded.raw.rows <= KEEP_RAW_ROWS) rawRows = tableRowsText(loaded.raw.columns, loaded.raw.rows);
  }
  notes.push(...dataset.notes);
  // A sampled fit's note waits for the streaming pass (it says how many rows that explained).
  if (rowSelection && rowSelection.method !== 'sample') notes.push(selectionNote(path.basename(source.path), rowSelection));
  // The compute pool's threads read the features in place: move them to shared memory once
  // (the unshared copy is dropped here), so k-means, NEON, the silhouette and the map copy nothing.
  if (computePool().threads > 1) dataset = withSharedFeatures(dataset);
  const X = dataset.features;
  const name = path.basename(source.path);
  if (X.rows === 0) throw new ModelError(`${name}: no rows to cluster`);

  let model: ClusterModel;
  let fittedLabels: Int32Array | undefined;
  let lossHistory: Float64Array | undefined;
  let kSuggestion: PipelineResult['kSuggestion'];
  if (given) {
    model = given.model;
    if (model.dim !== X.cols) {
      throw new ModelError(`the model takes ${model.dim} inputs but ${name} gives ${X.cols} features (${dataset.featureNames.slice(0, 4).join(', ')}${X.cols > 4 ? ', ...' : ''})`);
    }
  } else {
    // Documents without a usable word say nothing about any topic: fit without them (text).
    const fitting = fittingRows(dataset);
    if (settings.k === 'auto') h = await clock.start('choosing k');
    // Text: the silhouette is flat over k; the clusters' stability over re-fits decides (cluster/suggestK.ts).
    const chosen = await chooseK(fitting.X, settings, h, dataset.kind === 'text' ? { criterion: 'stability' } : undefined);
    kSuggestion = chosen.suggestion;
    if (kSuggestion) {
      const scores = kSuggestion.scores.map((s) => `${s.k}: ${s.silhouette.toFixed(3)}`).join(', ');
      const stable = kSuggestion.scores.every((s) => s.stabilityScore !== undefined)
        ? `; stability (corrected for chance) above 0.5 summed over the clusters ${kSuggestion.scores.map((s) => `${s.k}: ${s.stabilityScore?.toFixed(2)}`).join(', ')}` +
          `; stable clusters ${kSuggestion.scores.map((s) => `${s.k}: ${s.stableClusters}`).join(', ')}` +
          `; score (stability × silhouette) ${kSuggestion.scores.map((s) => `${s.k}: ${s.score?.toFixed(3)}`).join(', ')}`
        : '';
      notes.push(`k = ${chosen.k} chosen as ${kSuggestion.rule ?? 'the best silhouette'} over k = ${kSuggestion.scores[0].k}..${kSuggestion.scores[kSuggestion.scores.length - 1].k} (silhouettes ${scores}${stable}).`);
      const edge = largestKTriedNote(kSuggestion, settings.kRange[1]);
      if (edge) notes.push(edge);
    }
    h = await clock.start('fitting');
    // IDC with k = auto: k is the k-means silhouette's; refit with the clusters IDC filled (pipeline/idcFilledK.ts).
    const fit =
      settings.model === 'idc' && settings.k === 'auto'
        ? await fitIdcFillingK(fitting.X, chosen.k, settings, fitClusterModel, h)
        : await fitClusterModel(fitting.X, chosen.k, settings, h);
    model = fit.model;
    fittedLabels = fitting.spread(fit.labels);
    lossHistory = fit.lossHistory;
    notes.push(...fit.warnings);
  }

  h = await clock.start('neuralizing');
  // Deep k-means: φ(X) once, in cancellable chunks; it gives the β scores and the 2-D map.
  const representation = model.kind === 'deep-kmeans' ? await mlpPredictAsync(model.layers, X, h) : undefined;
  const scores =
    representation && model.kind === 'deep-kmeans' && settings.beta === 'auto'
      ? kmeansOutlierScores({ kind: 'kmeans', k: model.k, dim: representation.cols, centroids: model.centroids }, representation)
      : undefined;
  // The reference point (reference rule; also stored by `fit` as the training mean).
  const reference = await resolveReference(settings.reference, dataset, model, !given, settings.storedReference, h.signal);
  if (reference.note && settings.rule === 'reference') notes.push(reference.note);
  const neon = resolveNeonOptions(model, X, { beta: settings.beta, evidence: settings.evidence, rule: settings.rule, reference }, scores);
  if (settings.beta === 'auto' && model.kind !== 'idc') notes.push(`beta = ${neon.beta.toPrecision(3)} (auto: mean top soft-assignment probability ${model.kind === 'kmeans' ? '0.8' : '0.9'}).`);
  // Deep k-means' midpoint roots sit between input-space cluster centroids (means of their rows).
  const clusterCentroids = representation && model.kind === 'deep-kmeans' ? deepInputCentroids(model, X, representation) : undefined;
  const nm: NeuralizedModel = neuralize(model, neon, clusterCentroids ? { clusterCentroids } : {});

  h = await clock.start('explaining');
  const all = await explainAll(nm, dataset, h, model, neon);
  const status = memberStatus(dataset, all.evidence);
  placeWordless(all, status, model.k);
  if (fittedLabels) {
    const off = countDisagreements(fittedLabels, all.assignments);
    if (off > 0) notes.push(`${off} point(s) are explained for a different cluster than the fitted labels give them (the network's assignment is reported).`);
  }

  if (all.conservationGap > 1e-6) notes.push(conservationNote(model, neon.rule, all.conservationGap));
  const beyondRange = beyondRangeRows(all.beyondRange, dataset);
  notes.push(...beyondRangeNotes(beyondRange, dataset, name));

  // A sample was fitted: assign and explain every row of the file in a streaming pass.
  let everyRow: { totals: EveryRowTotals; file?: string } | undefined;
  if (rowSelection?.method === 'sample' && dataset.kind === 'table') {
    h = await clock.start('explaining every row');
    everyRow = await streamEveryRow(source.path, settings, dataset, model, nm, neon, all.evidence, rowSelection.totalRows ?? X.rows, h, options.everyRowSinks ?? []);
    rowSelection = { ...rowSelection, explainedRows: everyRow.totals.rows };
    const known = new Set(notes);
    notes.push(...everyRow.totals.notes.filter((n) => !known.has(n)));
  }
  if (rowSelection?.method === 'sample') notes.push(selectionNote(name, rowSelection));

  // Text, k-means: how well each cluster comes back when k-means is re-fitted on subsamples
  // (a catch-all does not; pipeline/summaries.ts uses it for the mixed reason).
  let stability: StabilityInput | undefined;
  if (dataset.kind === 'text' && model.kind === 'kmeans' && model.k >= 2) {
    h = await clock.start('stability');
    const placed = Int32Array.from(all.assignments, (c, i) => (status[i] === MEMBER_WORDLESS ? -1 : c));
    const measured = await clusterStability(X, placed, model.k, { seed: settings.seed }, h);
    stability = { jaccard: measured.jaccard, refits: measured.refits, fraction: STABILITY_FRACTION };
  }

  await clock.start('summarising');
  const clusterLabelsIn = given?.clusterLabels;
  const sampleClusters = summarizeClusters(dataset, model.k, all, clusterLabelsIn, status, stability);
  const clusters =
    everyRow && dataset.kind === 'table'
      ? clustersOverEveryRow(sampleClusters, everyRow.totals, dataset.columns.map((c) => c.name), featureColumns(dataset))
      : sampleClusters;
  const emptyNote = emptyClustersNote(name, clusters.map((c) => c.size), given?.preprocessing.kind === 'none');
  if (emptyNote) notes.push(emptyNote);
  notes.push(...statusNotes(dataset, status, clusters, everyRow?.totals));

  h = await clock.start('quality');
  const quality = await computeQuality(X, all.assignments, model.k, dataset.labels, h);

  await clock.start('projection');
  const projected = projection(representation ?? X, settings.seed);

  let flipping: FlippingCurve[] | undefined;
  if (settings.flippingSample > 0) {
    h = await clock.start('flipping');
    const rows = sampleRows(X.rows, settings.flippingSample, settings.seed);
    // Every reference and both curves, so the comparison favours no root point (issue 13).
    flipping = await featureFlipping(nm, X, rows, FLIPPING_METHODS, { reference: columnMean(X), references: FLIPPING_REFERENCES, directions: FLIPPING_DIRECTIONS, seed: settings.seed }, h);
  }

  let gates: GateReport | undefined;
  if (model.kind === 'idc') {
    if (dataset.kind === 'table') {
      h = await clock.start('gates');
      gates = await gateReport(model, dataset, h);
    } else {
      notes.push("IDC's gates act on the reduced text dimensions, not on words; they are not shown per word.");
    }
  }
  clock.stop();

  const units = dataset.kind === 'table' ? dataset.columns.map((c) => c.name) : dataset.preprocessing.vocabulary;
  const preprocessing = given ? given.preprocessing : dataset.preprocessing;
  const featureNames = given ? given.featureNames : dataset.featureNames;
  hooks?.onProgress?.({ stage: 'done', fraction: 1 });
  const result: PipelineResult = {
    dataset: summarizeDataset(dataset),
    ...(rowSelection ? { rowSelection } : {}),
    ...(everyRow?.file ? { rowResults: { file: everyRow.file, rows: everyRow.totals.rows } } : {}),
    model,
    preprocessing,
    featureNames,
    neon,
    units,
    assignments: all.assignments,
    evidence: all.evidence,
    probability: all.probability,
    rowRelevance: all.rowRelevance,
    tokenRelevance: all.tokenRelevance,
    ...(beyondRange.length ? { beyondRange } : {}),
    clusters,
    memberStatus: status,
    quality,
    ...(kSuggestion ? { kSuggestion } : {}),
    projection: projected,
    ...(flipping ? { flipping } : {}),
    ...(gates ? { gates } : {}),
    ...(lossHistory ? { lossHistory } : {}),
    notes,
    timings: clock.timings,
  };
  const state: SessionState = {
    dataset,
    model,
    neuralized: nm,
    neon,
    preprocessing,
    featureNames,
    units,
    clusterLabels: clusters.map((c) => c.label),
    ...(rawRows ? { rawRows } : {}),
  };
  return { result, state };
}
