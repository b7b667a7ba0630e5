/**
 * The fixed bank of decoration types shared by text and CSV highlights: STEPS intensity
 * steps for evidence for the assigned cluster and STEPS against it, created once. Colours
 * are theme colours (contributes.colors) so themes, including high contrast, can override
 * them; in high-contrast themes the border colour becomes visible and the sign is also
 * told by the border style (solid = for, dashed = against), not by hue alone. Cells whose
 * relevance is beyond float64 (notExplained.ts) get a dotted warning-coloured outline instead,
 * and their line ends with "not explained: <reason>" in the editor's warning colour.
 */
import * as vscode from 'vscode';

export const STEPS = 5;
export type Sign = 'for' | 'against';

/** Ranges per sign and step (index 0 = faintest), and what is not explained. */
export interface Buckets {
  readonly for: vscode.Range[][];
  readonly against: vscode.Range[][];
  /** Cells whose relevance is beyond float64 (no colour can say how much). */
  readonly notExplained: vscode.Range[];
  /** One per such line, at its end: "not explained: <reason>" (renderOptions.after). */
  readonly notExplainedNotes: vscode.DecorationOptions[];
}

export function emptyBuckets(): Buckets {
  return { for: Array.from({ length: STEPS }, () => []), against: Array.from({ length: STEPS }, () => []), notExplained: [], notExplainedNotes: [] };
}

/** The end-of-line note of a row that is (partly) not explained. */
export function notExplainedNote(line: vscode.TextLine, reason: string): vscode.DecorationOptions {
  return { range: new vscode.Range(line.range.end, line.range.end), renderOptions: { after: { contentText: `not explained: ${reason}` } } };
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
  /** Cells outlined as not explained (values beyond float64). */
  notExplained: number;
}

export class DecorationBank implements vscode.Disposable {
  private readonly types: Record<Sign, vscode.TextEditorDecorationType[]>;
  private readonly notExplainedType: vscode.TextEditorDecorationType;
  private readonly notExplainedNoteType: vscode.TextEditorDecorationType;
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
    const warning = new vscode.ThemeColor('editorWarning.foreground');
    this.notExplainedType = vscode.window.createTextEditorDecorationType({
      borderColor: warning,
      borderStyle: 'dotted',
      borderWidth: '1px',
      borderRadius: '2px',
      overviewRulerColor: warning,
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.notExplainedNoteType = vscode.window.createTextEditorDecorationType({
      after: { color: warning, fontStyle: 'italic', margin: '0 0 0 2em' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
  }

  /** Replaces `owner`'s decorations in `editor` (each type's list is replaced as a whole). */
  apply(editor: vscode.TextEditor, owner: string, buckets: Buckets): void {
    for (const sign of ['for', 'against'] as const) {
      for (let i = 0; i < STEPS; i++) editor.setDecorations(this.types[sign][i]!, buckets[sign][i]!);
    }
    editor.setDecorations(this.notExplainedType, buckets.notExplained);
    editor.setDecorations(this.notExplainedNoteType, buckets.notExplainedNotes);
    let perEditor = this.shown.get(editor);
    if (!perEditor) this.shown.set(editor, (perEditor = new Map()));
    const count = (rs: vscode.Range[][]) => rs.reduce((n, r) => n + r.length, 0);
    perEditor.set(owner, { for: count(buckets.for), against: count(buckets.against), notExplained: buckets.notExplained.length });
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
    const total = { for: 0, against: 0, notExplained: 0 };
    for (const perEditor of this.shown.values()) {
      for (const c of perEditor.values()) {
        total.for += c.for;
        total.against += c.against;
        total.notExplained += c.notExplained;
      }
    }
    return total;
  }

  dispose(): void {
    for (const t of [...this.types.for, ...this.types.against, this.notExplainedType, this.notExplainedNoteType]) t.dispose();
    this.shown.clear();
  }
}
