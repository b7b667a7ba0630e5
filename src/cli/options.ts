/**
 * The CLI's options as a declarative table (flag, metavar, help, default) from which both the
 * parser (node:util parseArgs, strict: unknown flags are errors) and `--help` are generated.
 */
import { parseArgs } from 'node:util';
import { resolveSourceKind } from '../engine/data/loadDataset';
import { DEFAULT_SETTINGS, type ClusterSettings, type DataSource } from '../engine/pipelineTypes';
import type { EvidenceForm, FirstLayerRule, ModelKind } from '../engine/types';

/** A mistake in the command line itself (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type CommandName = 'fit' | 'explain' | 'evaluate';

export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  readonly type: 'string' | 'boolean';
  readonly metavar?: string;
  readonly help: string;
  /** Shown in --help; the value used when the flag is absent is decided by the command. */
  readonly default?: string;
  readonly choices?: readonly string[];
}

const MODEL_KINDS: readonly ModelKind[] = ['kmeans', 'kernel-kmeans', 'deep-kmeans', 'idc'];
const SOURCE_KINDS: readonly DataSource['kind'][] = ['auto', 'table', 'jsonl', 'text-folder', 'csv-text', 'paragraphs'];

const GENERAL: readonly OptionSpec[] = [
  { name: 'out', short: 'o', type: 'string', metavar: 'FILE', help: 'write the output to FILE instead of stdout' },
  { name: 'progress', type: 'boolean', help: 'report progress on stderr even when it is not a terminal' },
  { name: 'error-format', type: 'string', metavar: 'FORMAT', help: 'how errors are printed on stderr', default: 'text', choices: ['text', 'json'] },
  { name: 'help', short: 'h', type: 'boolean', help: 'show this help' },
];

const DATA: readonly OptionSpec[] = [
  { name: 'source-kind', type: 'string', metavar: 'KIND', help: 'how to read DATA; auto: by its extension (a folder: text files or Parquet parts; with --text-column a table\'s column of documents)', default: 'auto', choices: SOURCE_KINDS },
  {
    name: 'label-column',
    type: 'string',
    metavar: 'NAME',
    help: 'column / JSONL field (nested: product.category) with known classes: kept out of the features, used for purity, NMI, ARI (default: the first column named like a label: label, class, target, y, outcome, diagnosis, species, churn, survived, fraud, ...; "none": no label)',
  },
  { name: 'exclude', type: 'string', metavar: 'COL,...', help: 'table columns to leave out of the features (comma-separated)' },
  { name: 'text-column', type: 'string', metavar: 'NAME', help: 'CSV / Parquet column or JSONL field holding the text (reads a table as a text corpus; a nested JSONL field by its dotted path, review.body)' },
  { name: 'embeddings', type: 'string', metavar: 'FILE', help: 'GloVe / word2vec text-format word vectors (default: built from the corpus)' },
  { name: 'no-general-vectors', type: 'boolean', help: "text: the corpus's own word vectors only, without the shipped general-English ones" },
  { name: 'stop-words', type: 'string', metavar: 'LANG', help: 'stop-word list for text', default: DEFAULT_SETTINGS.stopWords, choices: ['en', 'de', 'fr', 'es', 'none'] },
  { name: 'max-rows', type: 'string', metavar: 'N', help: 'only the first N rows / documents (0: every row that fits the memory budget, beyond it a seeded uniform random sample)', default: String(DEFAULT_SETTINGS.maxRows) },
  {
    name: 'na-values',
    type: 'string',
    metavar: 'LIST',
    help: 'extra table cell texts read as missing, comma-separated (pandas na_values; e.g. "unknown,-999"); always missing, even where they look like a value',
  },
  {
    name: 'strict',
    type: 'boolean',
    help: "stop with an error (exit 1, no output) when a record of DATA would be skipped: a JSONL line that is not a JSON object, a CSV row with more values than the header (as pandas' read_json(lines=True) and read_csv do by default); without it such records are skipped, the others kept, and a warning names them",
  },
  {
    name: 'keep-default-na',
    type: 'string',
    metavar: 'BOOL',
    help: 'also read the default tokens as missing: empty, NA, N/A, NaN, null, None, #N/A, ?, ... (pandas keep_default_na)',
    default: 'true',
    choices: ['true', 'false'],
  },
];

const NEON: readonly OptionSpec[] = [
  { name: 'beta', type: 'string', metavar: 'B', help: 'soft min-pool stiffness, or "auto" (mean top probability 0.8; 0.9 kernel/deep)', default: 'auto' },
  { name: 'evidence', type: 'string', metavar: 'FORM', help: 'evidence reported: hard margin or soft 1/beta-logit', default: 'hard', choices: ['hard', 'soft'] },
  { name: 'rule', type: 'string', metavar: 'RULE', help: "first-layer root: reference (compared with --reference, which columns make a row belong here), midpoint (what separates it from the boundary with each competitor), or the paper's z-rule (not conservative)", default: DEFAULT_SETTINGS.rule, choices: ['reference', 'midpoint', 'z'] },
  { name: 'reference', type: 'string', metavar: 'REF', help: 'the reference rule\'s reference: "mean" (the training data mean), "row:N" (0-based data row) or a CSV file whose first row is the baseline', default: 'mean' },
];

const FITTING: readonly OptionSpec[] = [
  { name: 'k', short: 'k', type: 'string', metavar: 'K', help: 'number of clusters, or "auto" (over 2..10: tables the best silhouette, text the most stable, best separated clusters: stability over re-fits on subsamples, corrected for chance, x silhouette)', default: 'one cluster per value of a label column of 2..30 values, as the extension proposes; else auto' },
  { name: 'model', short: 'm', type: 'string', metavar: 'KIND', help: 'clustering model', default: 'kmeans', choices: MODEL_KINDS },
  { name: 'seed', type: 'string', metavar: 'N', help: 'random seed (every randomised step is reproducible)', default: String(DEFAULT_SETTINGS.seed) },
  { name: 'restarts', type: 'string', metavar: 'N', help: 'k-means++ restarts', default: String(DEFAULT_SETTINGS.restarts) },
  { name: 'epochs', type: 'string', metavar: 'N', help: 'training epochs of deep k-means / IDC', default: String(DEFAULT_SETTINGS.epochs) },
  { name: 'gamma', type: 'string', metavar: 'G', help: 'kernel k-means bandwidth: a number, "stiff" or "median"', default: 'stiff' },
];

const GIVEN: readonly OptionSpec[] = [
  { name: 'model-file', type: 'string', metavar: 'FILE', help: 'model to explain with: a model file (docs/model-file.md), a Spark ML KMeansModel / PipelineModel folder, PMML, ONNX (skl2onnx) or a .npy array of centres' },
  { name: 'features', type: 'string', metavar: 'A,B,...', help: "names of the model's inputs, in order, for formats that store none (.npy, ONNX, a bare Spark KMeansModel); default: the data's numeric columns" },
  { name: 'centroids', type: 'string', metavar: 'FILE', help: 'k-means centroids CSV (header = feature names, one row per cluster; pandas index column allowed)' },
];

export interface CommandSpec {
  readonly summary: string;
  readonly usage: string;
  readonly options: readonly OptionSpec[];
}

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  fit: {
    summary: 'cluster DATA and write a model file',
    usage: 'neon-cluster fit [options] DATA',
    options: [
      ...FITTING,
      ...NEON,
      ...DATA,
      { name: 'memory-budget', type: 'string', metavar: 'MB', help: 'memory for the rows kept in memory; beyond it a seeded uniform sample is fitted and every row is still assigned and explained in a streaming pass (default: 40 % of RAM, at most 4096)' },
      { name: 'rows-out', type: 'string', metavar: 'FILE', help: "write every row's cluster, evidence and relevance per column to FILE (CSV, as `explain` writes it), also the rows outside a fitted sample" },
      ...GENERAL,
    ],
  },
  explain: {
    summary: "explain each row of DATA under a given model: cluster, evidence and every column's relevance",
    usage: 'neon-cluster explain (--model-file FILE | --centroids FILE) [options] (DATA | -)',
    options: [
      ...GIVEN,
      ...NEON,
      { name: 'format', short: 'f', type: 'string', metavar: 'FORMAT', help: 'csv: row,cluster,evidence,R:<column>... for a table (streamed: any size, DATA "-" reads stdin), row,document,cluster,evidence,words_for,words_against for text; json: adds probabilities and per-competitor relevance', default: 'csv', choices: ['csv', 'json'] },
      { name: 'id-column', type: 'string', metavar: 'NAME', help: 'copy this table column (CSV output), JSONL field or CSV text file column (CSV or JSON output) into the first output column instead of the row number, to join the results back; a folder or paragraphs file has no fields (an error)' },
      ...DATA,
      ...GENERAL,
    ],
  },
  evaluate: {
    summary: 'feature flipping (NEON vs sensitivity, gradient x input, integrated gradients) and clustering quality',
    usage: 'neon-cluster evaluate [--model-file FILE | --centroids FILE | fit options] [options] DATA',
    options: [
      ...GIVEN,
      ...FITTING,
      ...NEON,
      { name: 'flipping-sample', type: 'string', metavar: 'N', help: 'points used for the flipping curves', default: String(DEFAULT_SETTINGS.flippingSample) },
      { name: 'format', short: 'f', type: 'string', metavar: 'FORMAT', help: 'table (readable) or json', default: 'table', choices: ['table', 'json'] },
      ...DATA,
      ...GENERAL,
    ],
  },
};

export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

export interface ParsedCommand {
  readonly command: CommandName;
  readonly values: OptionValues;
  readonly data?: string;
}

function optionLine(o: OptionSpec): string {
  const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.metavar ? ` ${o.metavar}` : ''}`;
  const extra = [o.choices ? `one of: ${o.choices.join(', ')}` : '', o.default !== undefined ? `default: ${o.default}` : ''].filter(Boolean).join('; ');
  return `  ${flag.padEnd(30)} ${o.help}${extra ? ` (${extra})` : ''}`;
}

export function commandHelp(command: CommandName): string {
  const spec = COMMANDS[command];
  return [`Usage: ${spec.usage}`, '', `${spec.summary}.`, '', 'Options:', ...spec.options.map(optionLine), ''].join('\n');
}

export function generalHelp(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  return [
    'Usage: neon-cluster <command> [options] DATA',
    '',
    'Cluster CSV tables and text corpora and explain every assignment with NEON',
    '(neuralized k-means + layer-wise relevance propagation).',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(10)} ${COMMANDS[n].summary}`),
    '',
    "Run 'neon-cluster <command> --help' for a command's options.",
    '',
  ].join('\n');
}

/**
 * For "Unknown option '--model'": the command's options it may stand for (`explain --model` →
 * --model-file: a name that starts the other or is one or two edits away), and the commands
 * that have it (fit's --model is the kind of model). '' when nothing is close.
 */
function unknownOptionHint(command: CommandName, message: string): string {
  const typed = /Unknown option '--([^'=]+)'/.exec(message)?.[1];
  if (typed === undefined) return '';
  const close = COMMANDS[command].options.map((o) => o.name).filter((n) => n.startsWith(typed) || typed.startsWith(n) || editDistance(n, typed) <= 2);
  const elsewhere = (Object.keys(COMMANDS) as CommandName[]).filter((c) => c !== command && COMMANDS[c].options.some((o) => o.name === typed));
  const hints = [
    ...(close.length ? [`Did you mean ${close.slice(0, 3).map((n) => `--${n}`).join(' or ')}?`] : []),
    ...(elsewhere.length ? [`(--${typed} is an option of ${elsewhere.join(' and ')}.)`] : []),
  ];
  return hints.length ? `. ${hints.join(' ')}` : '';
}

/** Levenshtein distance (option names are short). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Parses argv (without node and the script). Throws UsageError on any mistake. */
export function parseCommandLine(argv: readonly string[]): ParsedCommand | { readonly help: string } {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { help: generalHelp() };
  if (!(first in COMMANDS)) throw new UsageError(`unknown command "${first}"; the commands are ${Object.keys(COMMANDS).join(', ')}`);
  const command = first as CommandName;
  const spec = COMMANDS[command];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const o of spec.options) options[o.name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional.*$/s, '') : String(e);
    throw new UsageError(`${command}: ${message}${unknownOptionHint(command, message)}`);
  }
  if (parsed.values.help) return { help: commandHelp(command) };
  for (const o of spec.options) {
    const v = parsed.values[o.name];
    if (o.choices && typeof v === 'string' && !o.choices.includes(v)) {
      throw new UsageError(`--${o.name} must be one of ${o.choices.join(', ')}, found "${v}"`);
    }
  }
  if (parsed.positionals.length > 1) throw new UsageError(`${command} takes one DATA file, found ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`);
  return { command, values: parsed.values, data: parsed.positionals[0] };
}

// ---------------------------------------------------------------------------------------
// Typed option values
// ---------------------------------------------------------------------------------------

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** An integer option's text: decimal digits only (as the k step of Cluster Dataset… reads k, typedK.ts). */
const INTEGER = /^\d+$/;

export function integerOption(values: OptionValues, name: string, min: number): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  // Digits only: Number() would also take "0x3", "1e1", " 7" or "" (review7 F9a).
  const n = INTEGER.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer of at least ${min}, found "${v}"`);
  return n;
}

function positiveNumberOption(values: OptionValues, name: string): number | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`--${name} must be a positive number, found "${v}"`);
  return n;
}

function positiveOrAuto(values: OptionValues, name: string): number | 'auto' | undefined {
  const v = stringOption(values, name);
  if (v === undefined || v === 'auto') return v;
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`--${name} must be a positive number or "auto", found "${v}"`);
  return n;
}

/** NEON options given on the command line (undefined = not given). */
export function neonOptions(values: OptionValues): { beta?: number | 'auto'; evidence?: EvidenceForm; rule?: FirstLayerRule; reference?: string } {
  return {
    beta: positiveOrAuto(values, 'beta'),
    evidence: stringOption(values, 'evidence') as EvidenceForm | undefined,
    rule: stringOption(values, 'rule') as FirstLayerRule | undefined,
    reference: stringOption(values, 'reference'),
  };
}

/** --na-values as a list: comma-separated; a doubled comma ",," stands for a literal comma. */
function naValuesOption(values: OptionValues): string[] | undefined {
  return listOption(values, 'na-values');
}

/**
 * --label-column: a name, "none" (no label: label-like columns are features), or absent (the
 * first column named like a label is the label, as in the extension).
 */
function labelOptions(v: string | undefined): Pick<ClusterSettings, 'labelColumn' | 'autoLabelColumn' | 'noLabelColumn'> {
  if (v === undefined || v.trim() === '') return { autoLabelColumn: true };
  // "none" also stops JSONL / CSV-text corpora from taking a `category` / `label` field.
  if (v.trim().toLowerCase() === 'none') return { autoLabelColumn: false, noLabelColumn: true };
  return { labelColumn: v, autoLabelColumn: false };
}

/** A comma-separated list option (a doubled comma ",," stands for a literal comma). */
function listOption(values: OptionValues, name: string): string[] | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  return v
    .split(/(?<!,),(?!,)/)
    .map((t) => t.replace(/,,/g, ',').trim())
    .filter((t) => t !== '');
}

/** ClusterSettings from the defaults and the command line. */
export function settingsFrom(values: OptionValues): ClusterSettings {
  const k = stringOption(values, 'k');
  let kValue: number | 'auto' = DEFAULT_SETTINGS.k;
  if (k !== undefined && k !== 'auto' && !(INTEGER.test(k) && Number.isSafeInteger(Number(k)) && Number(k) >= 2)) throw new UsageError(`--k must be "auto" or an integer of at least 2, found "${k}"`);
  if (k !== undefined) kValue = k === 'auto' ? 'auto' : Number(k);
  const gamma = stringOption(values, 'gamma');
  let kernelGamma: ClusterSettings['kernelGamma'] = DEFAULT_SETTINGS.kernelGamma;
  if (gamma !== undefined) {
    if (gamma === 'stiff' || gamma === 'median') kernelGamma = gamma;
    else {
      const g = Number(gamma);
      if (!(Number.isFinite(g) && g > 0)) throw new UsageError(`--gamma must be a positive number, "stiff" or "median", found "${gamma}"`);
      kernelGamma = g;
    }
  }
  const neon = neonOptions(values);
  const optional = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : ({ [key]: v } as Record<K, V>));
  return {
    ...DEFAULT_SETTINGS,
    model: (stringOption(values, 'model') as ModelKind | undefined) ?? DEFAULT_SETTINGS.model,
    k: kValue,
    seed: integerOption(values, 'seed', 0) ?? DEFAULT_SETTINGS.seed,
    restarts: integerOption(values, 'restarts', 1) ?? DEFAULT_SETTINGS.restarts,
    epochs: integerOption(values, 'epochs', 1) ?? DEFAULT_SETTINGS.epochs,
    kernelGamma,
    beta: neon.beta ?? DEFAULT_SETTINGS.beta,
    evidence: neon.evidence ?? DEFAULT_SETTINGS.evidence,
    rule: neon.rule ?? DEFAULT_SETTINGS.rule,
    ...optional('reference', neon.reference),
    maxRows: integerOption(values, 'max-rows', 0) ?? DEFAULT_SETTINGS.maxRows,
    ...optional('memoryBudgetMb', positiveNumberOption(values, 'memory-budget')),
    stopWords: stringOption(values, 'stop-words') ?? DEFAULT_SETTINGS.stopWords,
    flippingSample: integerOption(values, 'flipping-sample', 0) ?? DEFAULT_SETTINGS.flippingSample,
    ...optional('naValues', naValuesOption(values)),
    ...optional('keepDefaultNa', stringOption(values, 'keep-default-na') === undefined ? undefined : stringOption(values, 'keep-default-na') === 'true'),
    ...labelOptions(stringOption(values, 'label-column')),
    ...optional('excludeColumns', listOption(values, 'exclude')),
    ...optional('textColumn', stringOption(values, 'text-column')),
    ...optional('embeddingsFile', stringOption(values, 'embeddings')),
    ...optional('generalVectors', values['no-general-vectors'] === true ? false : undefined),
  };
}

/** Where the data comes from: --source-kind, else a table (CSV, TSV, Parquet) with --text-column is a text corpus. */
export function sourceFrom(values: OptionValues, data: string): DataSource {
  const kind = (stringOption(values, 'source-kind') as DataSource['kind'] | undefined) ?? 'auto';
  if (kind === 'auto' && stringOption(values, 'text-column') !== undefined) {
    if (/\.(csv|tsv)$/i.test(data)) return { kind: 'csv-text', path: data };
    // Any other file read as a table (a tab-separated .txt, a .dat, Parquet): its column is the
    // text, as the extension reads it (dataSource.ts chooseSource).
    if (resolveSourceKind({ kind: 'auto', path: data }) === 'table') return { kind: 'csv-text', path: data };
  }
  return { kind, path: data };
}
