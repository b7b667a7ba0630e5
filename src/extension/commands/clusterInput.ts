/**
 * The Cluster Dataset… input: a short multi-step QuickPick (VS Code's multi-step input
 * conventions: title with the dataset, "step n of m", a Back button, Enter keeps the highlighted
 * answer so a user who agrees just presses Enter through it). Steps, as the dataset needs them:
 *   text column (CSV or Parquet with free text; JSONL with several text fields) → label column →
 *   columns to leave out (tables) → k → model.
 * Each step starts on the remembered answer for this dataset, else the default (choices.ts).
 */
import * as vscode from 'vscode';
import type { DatasetInspection, InspectedColumn } from '../../engine/data/inspectDataset';
import type { ModelKind } from '../../engine/types';
import type { DatasetChoices } from '../choices';
import { kFromLabels } from '../../engine/cluster/kFromLabels';
import { readTypedK, type TypedKLimits } from '../../engine/cluster/typedK';

const BACK = Symbol('back');
type Answer<T> = { readonly value: T } | typeof BACK | undefined;

export interface Item<T> extends vscode.QuickPickItem {
  readonly value?: T;
  /** Shown ticked and kept ticked (PickSpec.fixed). */
  readonly fixed?: boolean;
}

interface PickSpec<T> {
  readonly placeholder: string;
  readonly items: readonly Item<T>[];
  /** The item Enter takes (single choice) or the items ticked (several). */
  readonly active: (item: Item<T>) => boolean;
  readonly many?: boolean;
  /**
   * Single choice: what typed text means (k: a typed number), or undefined when it only filters
   * the items. `item` is shown first and highlighted, `only` hides the other items; Enter takes
   * `item`'s value whatever the filter highlighted (nothing when it has none: a message).
   */
  readonly typed?: (value: string) => Typed<T> | undefined;
  /**
   * Steps in all if the highlighted item were the answer (the text step: a text column has no
   * "columns to leave out" step). The count follows the highlight, so it does not jump from
   * "1/5" to "2/4" after the answer (trial 6 D15d).
   */
  readonly totalIf?: (item: Item<T>) => number;
  /**
   * Several answers: items shown ticked that cannot be unticked (a column that is never a
   * feature). QuickPick has no disabled item, so unticking one ticks it again; its detail line
   * says why. Not part of the answer.
   */
  readonly fixed?: (item: Item<T>) => boolean;
}

export interface Typed<T> {
  readonly item: Item<T>;
  readonly only: boolean;
}

/** Runs one QuickPick step; resolves to what `accept` reads from it, BACK, or undefined when dismissed. */
function open<T, R>(title: string, step: number, total: number, spec: PickSpec<T>, accept: (qp: vscode.QuickPick<Item<T>>) => R | undefined): Promise<Answer<R>> {
  const qp = vscode.window.createQuickPick<Item<T>>();
  qp.title = title;
  qp.step = step;
  qp.totalSteps = total;
  qp.placeholder = spec.placeholder;
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = true;
  qp.canSelectMany = spec.many === true;
  qp.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
  qp.items = spec.items;
  const chosen = spec.items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator && spec.active(i));
  if (spec.many) qp.selectedItems = chosen;
  else if (chosen[0]) qp.activeItems = [chosen[0]];
  if (spec.totalIf && chosen[0]) qp.totalSteps = spec.totalIf(chosen[0]);
  return new Promise<Answer<R>>((resolve) => {
    const subs: vscode.Disposable[] = [];
    const done = (a: Answer<R>) => {
      resolve(a);
      for (const s of subs) s.dispose();
      qp.dispose();
    };
    subs.push(
      qp.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) done(BACK);
      }),
      qp.onDidAccept(() => {
        const value = accept(qp);
        if (value !== undefined) done({ value });
      }),
      qp.onDidHide(() => done(undefined)),
    );
    if (spec.totalIf) {
      const totalIf = spec.totalIf;
      subs.push(
        qp.onDidChangeActive((active) => {
          if (active[0] && active[0].value !== undefined) qp.totalSteps = totalIf(active[0]);
        }),
      );
    }
    if (spec.many && spec.fixed) {
      const fixed = spec.items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator && spec.fixed!(i));
      subs.push(
        qp.onDidChangeSelection((selected) => {
          const unticked = fixed.filter((i) => !selected.includes(i));
          if (unticked.length > 0) qp.selectedItems = [...selected, ...unticked];
        }),
      );
    }
    if (spec.typed) {
      const typed = spec.typed;
      subs.push(
        qp.onDidChangeValue((v) => {
          const extra = typed(v);
          qp.items = !extra ? spec.items : extra.only ? [extra.item] : [extra.item, ...spec.items];
          if (extra) qp.activeItems = [extra.item];
        }),
      );
    }
    qp.show();
  });
}

/** One answer: the highlighted item (Enter). */
function pick<T>(title: string, step: number, total: number, spec: PickSpec<T>): Promise<Answer<T>> {
  return open(title, step, total, spec, (qp) => {
    // Typed text wins over what the filter highlighted (Enter can come before the items update).
    const typed = spec.typed?.(qp.value);
    const item = typed ? typed.item : (qp.activeItems[0] ?? qp.selectedItems[0]);
    return item && item.value !== undefined ? ({ v: item.value } as const) : undefined;
  }).then((a) => (a === undefined || a === BACK ? a : { value: a.value.v }));
}

/** Several answers: the ticked items (Space toggles, Enter accepts). */
function pickMany<T>(title: string, step: number, total: number, spec: PickSpec<T>): Promise<Answer<T[]>> {
  const fixed = spec.fixed ?? (() => false);
  return open(title, step, total, { ...spec, many: true }, (qp) => qp.selectedItems.filter((i) => i.value !== undefined && !fixed(i)).map((i) => i.value as T));
}

interface Step {
  /** `totalWith`: the number of steps the input would have with these answers. */
  readonly run: (title: string, step: number, total: number, state: Draft, totalWith: (draft: Draft) => number) => Promise<Answer<unknown>>;
}

type Draft = { -readonly [K in keyof DatasetChoices]: DatasetChoices[K] };

const MODELS: readonly { value: ModelKind; label: string; detail: string }[] = [
  { value: 'kmeans', label: 'k-means', detail: 'Standard k-means: NEON is exact for it.' },
  { value: 'kernel-kmeans', label: 'kernel k-means', detail: 'Gaussian kernel, neuralized with support vectors: non-convex clusters.' },
  { value: 'deep-kmeans', label: 'deep k-means', detail: 'A small network trained jointly with k-means on its output.' },
  { value: 'idc', label: 'Interpretable Deep Clustering', detail: 'Gated features, shown next to NEON.' },
];

function describeColumn(c: InspectedColumn, inspection: DatasetInspection): string {
  const values = `${c.distinct > 1000 ? 'over 1000' : c.distinct} value${c.distinct === 1 ? '' : 's'}${inspection.complete ? '' : ` in the first ${inspection.rowsInspected} rows`}`;
  const kind = c.date ? 'date (left out: dates are not clustered)' : c.kind === 'categorical' ? 'categorical' : c.kind === 'numeric' ? 'numeric' : c.kind;
  return [c.labelLike ? 'named like a label' : undefined, kind, values].filter(Boolean).join(' · ');
}

/** The steps this dataset needs, given the answers so far. */
function stepsFor(inspection: DatasetInspection, draft: Draft): Step[] {
  const steps: Step[] = [];
  const table = inspection.source === 'table';
  if ((table && inspection.textColumns.length > 0) || (inspection.source === 'jsonl' && inspection.textColumns.length > 1)) steps.push(textStep(inspection));
  if (inspection.labelCandidates.length > 0 || (table && draft.textColumn === null)) steps.push(labelStep(inspection));
  if (table && draft.textColumn === null) steps.push(leaveOutStep(inspection));
  steps.push(kStep(inspection), modelStep());
  return steps;
}

function textStep(inspection: DatasetInspection): Step {
  return {
    run: (title, step, total, draft, totalWith) => {
      const table = inspection.source === 'table';
      const items: Item<string | null>[] = [
        ...(table ? [{ label: '$(table) None: cluster the table', description: "its numeric and categorical columns", value: null }] : []),
        ...inspection.textColumns.map((name) => ({ label: `$(note) ${name}`, description: table ? 'cluster the text in this column, one document per row' : 'text field', value: name })),
      ];
      return pick<string | null>(title, step, total, {
        placeholder: table ? 'Free text found: cluster the table, or a text column?' : 'Which field holds the text?',
        items,
        active: (i) => i.value === draft.textColumn,
        totalIf: (i) => (i.value === undefined ? total : totalWith({ ...draft, textColumn: i.value })),
      }).then((a) => {
        if (a && a !== BACK) draft.textColumn = a.value;
        return a;
      });
    },
  };
}

/** The label step's prompt: short enough to show whole in the QuickPick's input box (~70 characters). */
export const LABEL_PLACEHOLDER = { table: 'Label column: known classes, never a feature (Enter keeps the highlighted)', text: 'Label field: known classes (Enter keeps the highlighted)' } as const;

/**
 * The label step's items, in this order: columns named like a label (the engine's list, see
 * columnTyping LABEL_LIKE), None, then columns with few values that are not named like a label
 * (offered, never proposed: a 2-value "region" is as likely a feature as a label), then the other
 * columns. The highlighted default is the draft's label: named like one, else None.
 */
export function labelItems(inspection: DatasetInspection, textColumn: string | null): Item<string | null>[] {
  const byName = new Map(inspection.columns.map((c) => [c.name, c] as const));
  const candidates = inspection.labelCandidates.filter((n) => n !== textColumn).map((n) => byName.get(n)).filter((c): c is InspectedColumn => c !== undefined);
  const named = candidates.filter((c) => c.labelLike);
  const few = candidates.filter((c) => !c.labelLike);
  const others = inspection.columns.filter((c) => !candidates.includes(c) && c.name !== textColumn && c.kind !== 'constant' && c.kind !== 'text');
  const item = (c: InspectedColumn): Item<string | null> => ({ label: c.name, description: describeColumn(c, inspection), value: c.name });
  const separator = (label: string): Item<string | null> => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const table = inspection.source === 'table' && textColumn === null;
  return [
    ...named.map(item),
    { label: '$(circle-slash) None', description: 'no known classes', detail: table ? 'Every column can be a feature; no purity, NMI or ARI.' : 'No purity, NMI or ARI.', value: null },
    ...(few.length > 0 ? [separator('few values, not named like a label'), ...few.map(item)] : []),
    ...(others.length > 0 ? [separator(table ? 'other columns' : 'other fields'), ...others.map(item)] : []),
  ];
}

function labelStep(inspection: DatasetInspection): Step {
  return {
    run: (title, step, total, draft) => {
      const table = inspection.source === 'table' && draft.textColumn === null;
      const byName = new Map(inspection.columns.map((c) => [c.name, c] as const));
      return pick<string | null>(title, step, total, {
        placeholder: table ? LABEL_PLACEHOLDER.table : LABEL_PLACEHOLDER.text,
        items: labelItems(inspection, draft.textColumn),
        active: (i) => i.value === draft.labelColumn,
      }).then((a) => {
        if (a && a !== BACK) {
          const label = a.value;
          if (label !== draft.labelColumn) {
            // A label-like column that is no longer the label stays out of the features (the
            // next step shows it ticked); the new label is not "left out", it is the label.
            const old = draft.labelColumn !== null ? byName.get(draft.labelColumn) : undefined;
            const excluded = new Set(draft.excludeColumns);
            if (old?.labelLike) excluded.add(old.name);
            if (label !== null) excluded.delete(label);
            draft.excludeColumns = [...excluded];
            draft.labelColumn = label;
          }
        }
        return a;
      });
    },
  };
}

/** What the rows of the columns that are never features say first. */
const ALWAYS_LEFT_OUT = 'always left out';

/**
 * The columns step's items: first the columns column typing leaves out whatever the answer
 * (identifiers, dates, constant and free-text columns), ticked and fixed, each with its kind and,
 * on its detail line, the reason; then the features, ticked when the draft leaves them out,
 * under a short separator. The fixed group
 * comes first so it is seen without scrolling, and says what it is in each row: code-server 4.139
 * draws a separator on the row of the item after it, so one at the end of the list (the old "left
 * out anyway: …") was never drawn, and a long one crowded that row's description (parq6, s21).
 */
function leaveOutItems(inspection: DatasetInspection, labelColumn: string | null): Item<string>[] {
  const features = inspection.columns.filter((c) => c.name !== labelColumn && (c.kind === 'numeric' || c.kind === 'categorical'));
  const automatic = inspection.columns.filter((c) => c.name !== labelColumn && c.kind !== 'numeric' && c.kind !== 'categorical');
  const separator = (label: string): Item<string> => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const fixed = automatic.map((c): Item<string> => ({ label: c.name, description: `${ALWAYS_LEFT_OUT}: ${leftOutKind(c)}`, ...(c.excludedReason ? { detail: c.excludedReason } : {}), value: c.name, fixed: true }));
  return [
    ...fixed,
    ...(fixed.length > 0 && features.length > 0 ? [separator('tick to leave out')] : []),
    ...features.map((c) => ({ label: c.name, description: describeColumn(c, inspection), value: c.name })),
  ];
}

function leftOutKind(c: InspectedColumn): string {
  if (c.date) return 'date';
  if (c.kind === 'text') return 'free text';
  return c.kind;
}

function leaveOutStep(inspection: DatasetInspection): Step {
  return {
    run: (title, step, total, draft) => {
      const items = leaveOutItems(inspection, draft.labelColumn);
      return pickMany<string>(title, step, total, {
        placeholder: 'Columns to leave out: ticked ones are not features (Space toggles)',
        items,
        active: (i) => i.value !== undefined && (i.fixed === true || draft.excludeColumns.includes(i.value)),
        fixed: (i) => i.fixed === true,
      }).then((a) => {
        if (a && a !== BACK) draft.excludeColumns = a.value;
        return a;
      });
    },
  };
}

function kStep(inspection: DatasetInspection): Step {
  return {
    run: (title, step, total, draft) => {
      const fromLabels = kFromLabels(inspection, draft.labelColumn);
      // k = auto is chosen differently for text (stability over re-fits) and tables (silhouette): say which.
      const text = inspection.source !== 'table' || draft.textColumn !== null;
      // Short enough for one QuickPick row (the trial s19 input cut the text one at "silhouette…"); how the score is made goes on the detail line.
      const auto = text
        ? { description: 'the most stable, best separated clusters, k = 2 … 10', detail: 'score = stability over re-fits × silhouette; every k in the panel' }
        : { description: 'the best silhouette over k = 2 … 10', detail: 'every k\'s silhouette in the panel' };
      const items: Item<number | 'auto'>[] = [{ label: 'auto', ...auto, value: 'auto' }];
      if (fromLabels) items.push({ label: String(fromLabels.k), description: fromLabels.reason, value: fromLabels.k });
      if (typeof draft.k === 'number' && draft.k !== fromLabels?.k) items.push({ label: String(draft.k), description: 'your last choice', value: draft.k });
      for (const n of [2, 3, 4, 5, 6, 8, 10, 12, 16, 20]) if (!items.some((i) => i.value === n)) items.push({ label: String(n), value: n });
      return pick<number | 'auto'>(title, step, total, {
        placeholder: 'Number of clusters k: pick one, or type a number from 2 to 200',
        items,
        active: (i) => i.value === draft.k,
        typed: (v) => kTyped(v, items, { max: MAX_TYPED_K, rows: inspection.source === 'table' && inspection.complete ? inspection.rowsInspected : undefined }),
      }).then((a) => {
        if (a && a !== BACK) draft.k = a.value;
        return a;
      });
    },
  };
}

/** Largest k the input takes (the `neon.k` setting's documented range). */
const MAX_TYPED_K = 200;

/**
 * The k step's answer to typed text (trial 6 D4): a number from 2 to the limit becomes its own
 * item "Use k = 7" (Enter takes it, not a prefix match like "10"); anything else holding a digit
 * shows the CLI's message as the only item, and Enter does nothing; text without a digit filters.
 */
export function kTyped(value: string, items: readonly Item<number | 'auto'>[], limits: TypedKLimits): Typed<number | 'auto'> | undefined {
  const t = readTypedK(value, limits);
  if (t.kind === 'filter') return undefined;
  // Each item sets its detail line: without one, the row showed the detail of the row it replaced ("auto"'s).
  if (t.kind === 'invalid') return { item: { label: `$(error) ${t.message}`, detail: `Type a whole number from 2 to ${limits.max}${limits.rows !== undefined ? ` (at most ${limits.rows}, the rows)` : ''}, or clear the text to pick from the list`, alwaysShow: true }, only: true };
  const known = items.find((i) => i.value === t.k)?.description;
  return { item: { label: `Use k = ${t.k}`, description: known ?? 'as typed', detail: `Enter clusters the data into ${t.k} clusters`, value: t.k, alwaysShow: true }, only: false };
}

function modelStep(): Step {
  return {
    run: (title, step, total, draft) =>
      pick<ModelKind>(title, step, total, {
        placeholder: 'Model to fit and explain',
        items: MODELS.map((m) => ({ label: m.label, description: m.value, detail: m.detail, value: m.value })),
        active: (i) => i.value === draft.model,
      }).then((a) => {
        if (a && a !== BACK) draft.model = a.value;
        return a;
      }),
  };
}

/**
 * Asks the dataset's questions, starting from `initial`; resolves to the answers, or undefined
 * when the user dismissed the input (Escape).
 */
export async function askChoices(datasetName: string, inspection: DatasetInspection, initial: DatasetChoices): Promise<DatasetChoices | undefined> {
  const draft: Draft = { ...initial, excludeColumns: [...initial.excludeColumns] };
  const title = `NEON: Cluster ${datasetName}`;
  let index = 0;
  for (;;) {
    const steps = stepsFor(inspection, draft);
    if (index >= steps.length) return { ...draft, excludeColumns: draft.textColumn === null ? draft.excludeColumns : [] };
    const answer = await steps[index]!.run(title, index + 1, steps.length, draft, (d) => stepsFor(inspection, d).length);
    if (answer === undefined) return undefined;
    index = answer === BACK ? Math.max(0, index - 1) : index + 1;
  }
}
