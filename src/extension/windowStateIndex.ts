/**
 * The index of stored datasets of a window without a folder: kept in that window's own
 * workspaceState (under the keys versions before datasets.json used, LEGACY_KEYS), not in a
 * file. Such a window has no workspace storage folder; its models go to the global storage
 * folder, which every folder-less window shares, so an index file there would be one list for
 * all of them: each window would restore the others' datasets, and Remove Dataset in one would
 * remove it in all (review 7, F7). Here each folder-less window keeps its own list, as before.
 *
 * No `vscode` import: the state is passed in (vscode.Memento's get/update).
 */
import type { DatasetChoices } from './choices';
import type { StoredResult } from './persistence';
import { LEGACY_KEYS, type DatasetIndex, type IndexData, type LegacyState } from './storageIndex';

export class WindowStateIndex implements DatasetIndex {
  /** The global storage folder holds other folder-less windows' models, which this index does not name. */
  readonly namesEveryModel = false;
  /** Serialises this window's updates. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly state: LegacyState,
    /** Where a failed write is reported (the log). */
    readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  /** The window's index as its state holds it. */
  get(): IndexData {
    const datasets = this.state.get<StoredResult[]>(LEGACY_KEYS.datasets);
    const active = this.state.get<string>(LEGACY_KEYS.active);
    const answers = this.state.get<Record<string, DatasetChoices>>(LEGACY_KEYS.answers);
    return {
      datasets: Array.isArray(datasets) ? datasets : [],
      ...(typeof active === 'string' ? { active } : {}),
      answers: answers && typeof answers === 'object' ? answers : {},
    };
  }

  /** The same as get(): no other window writes this state. */
  reload(): IndexData {
    return this.get();
  }

  current(): IndexData {
    return this.get();
  }

  /** Applies `change` and stores the result in the window's state; queued after earlier updates. */
  update(change: (now: IndexData) => IndexData): Promise<void> {
    const job = async () => {
      const next = change(this.get());
      await this.state.update(LEGACY_KEYS.datasets, next.datasets);
      await this.state.update(LEGACY_KEYS.active, next.active);
      await this.state.update(LEGACY_KEYS.answers, next.answers);
    };
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when the updates queued so far are stored (or failed). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }
}
