/**
 * The fixed bank of decoration types shared by text and CSV highlights: STEPS intensity
 * steps for evidence for the assigned cluster and STEPS against it, created once. Colours
 * are theme colours (contributes.colors) so themes, including high contrast, can override
 * them; in high-contrast themes the border colour becomes visible and the sign is also
 * told by the border style (solid = for, dashed = against), not by hue alone.
 */
import * as vscode from 'vscode';

export const STEPS = 5;
export type Sign = 'for' | 'against';

/** Ranges per sign and step (index 0 = faintest). */
export interface Buckets {
  readonly for: vscode.Range[][];
  readonly against: vscode.Range[][];
}

export function emptyBuckets(): Buckets {
  return { for: Array.from({ length: STEPS }, () => []), against: Array.from({ length: STEPS }, () => []) };
}

/**
 * Step (0..STEPS-1) of a relevance value on a scale where |r| >= scale is the strongest;
 * undefined for exactly zero (no evidence either way: no colour).
 */
export function stepOf(relevance: number, scale: number): number | undefined {
  if (!(Math.abs(relevance) > 0) || !(scale > 0)) return undefined;
  const s = Math.ceil((Math.abs(relevance) / scale) * STEPS) - 1;
  return Math.max(0, Math.min(STEPS - 1, s));
}

export function addToBuckets(b: Buckets, range: vscode.Range, relevance: number, scale: number): void {
  const step = stepOf(relevance, scale);
  if (step === undefined) return;
  (relevance > 0 ? b.for : b.against)[step]!.push(range);
}

export interface DecorationCounts {
  for: number;
  against: number;
}

export class DecorationBank implements vscode.Disposable {
  private readonly types: Record<Sign, vscode.TextEditorDecorationType[]>;
  /** Ranges currently shown per editor and owner (text / csv), for the test API. */
  private readonly shown = new Map<vscode.TextEditor, Map<string, DecorationCounts>>();

  constructor() {
    const make = (sign: Sign, step: number): vscode.TextEditorDecorationType => {
      const base = sign === 'for' ? 'neonClusterExplorer.evidenceFor' : 'neonClusterExplorer.evidenceAgainst';
      return vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor(`${base}${step + 1}`),
        borderColor: new vscode.ThemeColor(`${base}Border`),
        borderStyle: sign === 'for' ? 'solid' : 'dashed',
        borderWidth: step >= 2 ? '1px' : '0 0 1px 0',
        borderRadius: '2px',
        overviewRulerColor: step === STEPS - 1 ? new vscode.ThemeColor(base) : undefined,
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
    };
    this.types = {
      for: Array.from({ length: STEPS }, (_, i) => make('for', i)),
      against: Array.from({ length: STEPS }, (_, i) => make('against', i)),
    };
  }

  /** Replaces `owner`'s decorations in `editor` (each type's list is replaced as a whole). */
  apply(editor: vscode.TextEditor, owner: string, buckets: Buckets): void {
    for (const sign of ['for', 'against'] as const) {
      for (let i = 0; i < STEPS; i++) editor.setDecorations(this.types[sign][i]!, buckets[sign][i]!);
    }
    let perEditor = this.shown.get(editor);
    if (!perEditor) this.shown.set(editor, (perEditor = new Map()));
    const count = (rs: vscode.Range[][]) => rs.reduce((n, r) => n + r.length, 0);
    perEditor.set(owner, { for: count(buckets.for), against: count(buckets.against) });
  }

  clear(editor: vscode.TextEditor, owner: string): void {
    const perEditor = this.shown.get(editor);
    if (!perEditor?.has(owner)) return;
    this.apply(editor, owner, emptyBuckets());
    perEditor.delete(owner);
  }

  /** Forgets editors that are no longer visible (their decorations went with them). */
  prune(visible: readonly vscode.TextEditor[]): void {
    for (const e of [...this.shown.keys()]) if (!visible.includes(e)) this.shown.delete(e);
  }

  /** Ranges currently decorated across visible editors. */
  counts(): DecorationCounts {
    const total = { for: 0, against: 0 };
    for (const perEditor of this.shown.values()) {
      for (const c of perEditor.values()) {
        total.for += c.for;
        total.against += c.against;
      }
    }
    return total;
  }

  dispose(): void {
    for (const t of [...this.types.for, ...this.types.against]) t.dispose();
    this.shown.clear();
  }
}
