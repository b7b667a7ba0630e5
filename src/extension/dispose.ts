import * as vscode from 'vscode';

/**
 * Base for objects that own VS Code resources: everything registered through `register`
 * is disposed with the owner, so no listener or provider outlives its feature.
 */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.owned.length > 0) this.owned.pop()?.dispose();
  }
}

/** Calls `fn` once, `delayMs` after the last of a burst of calls (edits, scrolls). */
export class Debouncer implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly delayMs: number) {}

  run(fn: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      fn();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
