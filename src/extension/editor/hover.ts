/**
 * Hovers give the numbers behind the colours, so nothing depends on seeing hue: a word's
 * relevance summed over its occurrences and its rank among the document's words (as the CLI
 * and the panel rank words), the hovered occurrence's share, its cluster and the competitor it separates the
 * document from most; a table cell's value, relevance and the row's cluster. Dataset text
 * goes in with appendText (never interpreted as Markdown).
 */
import { count } from '../locale';
import * as vscode from 'vscode';
import type { Engine } from '../engine';
import { clusterName, documentAt, modelDescription } from '../session';
import type { Session, SessionStore } from '../session';
import { cellAt, cellText, splitCsvRecord } from './csvRecord';
import type { CellPiece } from './csvRecord';
import { filledCellLine, readAsMissing } from './filledCell';
import { plain, signed, wordLine } from './format';
import { headerCluster, headerLine } from './headerCluster';
import { escapeMarkdown } from './markdown';
import { cellViewNotExplained, hasRowResults, rowRecordAtLine, rowViewNotExplained } from './rowViews';
import { explanationQuestion } from '../../engine/relevance/question';
import { wordStanding } from '../../engine/relevance/wordStanding';

/** How long a hover waits for the per-competitor breakdown before showing what it has. */
const COMPETITOR_WAIT_MS = 1500;

export class RelevanceHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: SessionStore,
    private readonly engine: Engine,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const found = this.store.findByDocument(doc.uri);
    if (found) {
      return found.session.result.dataset.kind === 'table'
        ? this.tableHover(doc, position, found.session)
        : this.corpusHover(doc, position, found.session, found.path, token);
    }
    return this.openTextHover(doc, position);
  }

  private tableHover(doc: vscode.TextDocument, position: vscode.Position, session: Session): vscode.Hover | undefined {
    const ds = session.result.dataset;
    if (ds.kind !== 'table') return undefined;
    if (position.line === headerLine(session)) return this.headerHover(doc, position, session);
    // Any line of the row's record: a quoted line break puts the rest of the row on the next line (trial 6 D7).
    const found = rowRecordAtLine(session, doc, position.line);
    if (found === undefined) return hasRowResults(session) ? this.notARowHover(doc, position, session) : undefined;
    const { row, record } = found;
    const sourceIndex = cellAt(record, position.line, position.character);
    if (sourceIndex === undefined) return undefined;
    const col = session.lookup.columnOfSourceIndex.get(sourceIndex);
    if (col === undefined) return undefined;
    const { clusters } = session.result;
    const r = row.relevance(col);
    const c = row.cluster;
    const column = ds.columns[col]!;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**NEON** · ');
    appendPlain(md, `${column.name} = ${cellText(doc, record.cells[sourceIndex]!)}`);
    md.appendMarkdown('\n\n');
    const why = notFeatureReason(column);
    if (why !== undefined) {
      appendPlain(md, `Not a feature: ${why}`);
      md.appendMarkdown('\n\n');
    }
    // Rank among the columns that are features (excluded ones carry no relevance) and explained.
    let used = 0;
    let rank = 1;
    ds.columns.forEach((info, u) => {
      if (info.excludedReason !== undefined || info.kind === 'label' || !Number.isFinite(row.relevance(u))) return;
      used++;
      if (row.relevance(u) > r) rank++;
    });
    const feature = column.excludedReason === undefined && column.kind !== 'label';
    const which = row.row >= 0 ? `Row ${row.row}` : `The row on line ${record.firstLine + 1}`;
    const rowReason = rowViewNotExplained(session, row);
    if (rowReason === undefined) {
      const cellReason = feature ? cellViewNotExplained(session, row, col) : undefined;
      // A column that is not a feature carries no relevance: the line above says why, no "+0.000".
      // A numeric cell read as missing was filled with the mean: say so, not float noise as a rank (trial7 D8).
      const filled = feature && cellReason === undefined ? filledCell(session, column, cellText(doc, record.cells[sourceIndex]!), r, row.evidence) : undefined;
      if (filled) {
        appendPlain(md, filled.text);
        if (!filled.noRelevance) appendPlain(md, ` Relevance ${signed(r)} (rank ${rank} of ${used} columns) for ${clusterName(c)} — ${clusters[c]?.label ?? ''}`);
        md.appendMarkdown('\n\n');
        appendPlain(md, `${which} is in ${clusterName(c)} with evidence ${plain(row.evidence)}.`);
      } else if (feature) {
        appendPlain(md, cellReason !== undefined ? `Not explained: ${cellReason}.` : `Relevance ${signed(r)} (rank ${rank} of ${used} columns) for ${clusterName(c)} — ${clusters[c]?.label ?? ''}`);
        md.appendMarkdown('\n\n');
        appendPlain(md, `${which} is in ${clusterName(c)} with evidence ${plain(row.evidence)}.`);
      } else {
        appendPlain(md, `${which} is in ${clusterName(c)} — ${clusters[c]?.label ?? ''} (evidence ${plain(row.evidence)}).`);
      }
    } else {
      // Nothing of the row is explained: one line says where it is and why.
      appendPlain(md, `${which} is in ${clusterName(c)} — ${clusters[c]?.label ?? ''}; not explained: ${rowReason}.`);
    }
    const s = session.result.rowSelection;
    if (s?.method === 'sample') {
      md.appendMarkdown('\n\n');
      const all = count(s.explainedRows ?? s.totalRows ?? 0);
      const text = s.modelGiven
        ? row.inMemory !== undefined
          ? 'One of the rows kept in memory (a uniform random sample).'
          : `Not in the sample kept in memory: assigned and explained with the model in the pass over all ${all} rows.`
        : row.inMemory !== undefined
          ? 'One of the rows the model was fitted on (a uniform random sample).'
          : `Not in the fitted sample: assigned and explained with the fitted model in the pass over all ${all} rows.`;
      appendPlain(md, text);
    }
    appendQuestion(md, session);
    return new vscode.Hover(md, pieceRange(record.cells[sourceIndex]!, position));
  }

  /** A line of a table explained row by row that no row covers: say why, rather than nothing. */
  private notARowHover(doc: vscode.TextDocument, position: vscode.Position, session: Session): vscode.Hover | undefined {
    const header = headerLine(session);
    if (header === undefined || position.line <= header || doc.lineAt(position.line).isEmptyOrWhitespace) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**NEON** · ');
    appendPlain(md, `Line ${position.line + 1} is in no row of ${session.title}: it was skipped when the file was read (the panel's notes name skipped lines and why).`);
    return new vscode.Hover(md, doc.lineAt(position.line).range);
  }

  /** Header cell: the column's mean relevance in the cluster the header is coloured for. */
  private headerHover(doc: vscode.TextDocument, position: vscode.Position, session: Session): vscode.Hover | undefined {
    const ds = session.result.dataset;
    if (ds.kind !== 'table') return undefined;
    const record = splitCsvRecord(doc, position.line, ds.delimiter);
    const sourceIndex = cellAt(record, position.line, position.character);
    const col = sourceIndex !== undefined ? session.lookup.columnOfSourceIndex.get(sourceIndex) : undefined;
    if (sourceIndex === undefined || col === undefined) return undefined;
    const editor = vscode.window.activeTextEditor;
    const cursor = editor?.document === doc ? editor.selection.active.line : undefined;
    const cluster = headerCluster(this.store.selection, session, doc, cursor);
    const column = ds.columns[col]!;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**NEON** · ');
    appendPlain(md, `Column ${column.name}`);
    md.appendMarkdown('\n\n');
    const why = notFeatureReason(column);
    if (why !== undefined) {
      appendPlain(md, `Not a feature: ${why}`);
    } else if (cluster === undefined) {
      appendPlain(md, 'Put the cursor on a row (or run Explain Cluster) to see this column\'s mean relevance for a cluster.');
    } else {
      const summary = session.result.clusters[cluster];
      const top = summary?.top ?? [];
      const at = top.findIndex((f) => f.name === column.name);
      const text =
        at >= 0
          ? `Mean relevance ${signed(top[at]!.relevance)} (rank ${at + 1} of ${top.length}) for ${clusterName(cluster)} — ${summary?.label ?? ''}`
          : `Not among the top columns of ${clusterName(cluster)} — ${summary?.label ?? ''}`;
      appendPlain(md, text);
    }
    return new vscode.Hover(md, pieceRange(record.cells[sourceIndex]!, position));
  }

  private async corpusHover(
    doc: vscode.TextDocument,
    position: vscode.Position,
    session: Session,
    path: string,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const ds = session.result.dataset;
    if (ds.kind !== 'text' || doc.isDirty) return undefined;
    const offset = doc.offsetAt(position);
    const d = documentAt(session.result, session.lookup, path, offset);
    if (d === undefined) return undefined;
    const tokens = ds.tokens;
    const from = tokens.docStart[d]!;
    const to = tokens.docStart[d + 1]!;
    let t = -1;
    for (let i = from; i < to; i++) {
      if (offset >= tokens.start[i]! && offset < tokens.end[i]!) {
        t = i;
        break;
      }
    }
    if (t < 0) return undefined;
    const { tokenRelevance, assignments, clusters } = session.result;
    const c = assignments[d]!;
    const competitor = await this.competitorOfToken(session, d, t - from, token);
    if (token.isCancellationRequested) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**NEON** · ');
    appendPlain(md, `"${ds.vocabulary[tokens.word[t]!] ?? ''}" in ${ds.documents[d]!.name}`);
    md.appendMarkdown('\n\n');
    let line = `${wordLine(wordStanding((i) => tokens.word[i]!, tokenRelevance, from, to, t), tokenRelevance[t]!)} for ${clusterName(c)} — ${clusters[c]?.label ?? ''}`;
    if (competitor !== undefined) line += `; most separates from ${clusterName(competitor)} — ${clusters[competitor]?.label ?? ''}`;
    appendPlain(md, line);
    md.appendMarkdown('\n\n');
    appendPlain(md, `Document evidence ${plain(session.result.evidence[d]!)}, p = ${plain(session.result.probability[d]!, 2)}`);
    appendQuestion(md, session);
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(tokens.start[t]!), doc.positionAt(tokens.end[t]!)));
  }

  /** The competitor k whose share of token `local`'s relevance is largest (ExplainItem). */
  private async competitorOfToken(session: Session, d: number, local: number, token: vscode.CancellationToken): Promise<number | undefined> {
    const timeout = new Promise<undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), COMPETITOR_WAIT_MS);
      token.onCancellationRequested(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    const item = await Promise.race([this.engine.explainItem(session, d).catch(() => undefined), timeout]);
    if (!item) return undefined;
    const K = item.competitorShares.length;
    const T = K > 0 ? item.perCompetitor.length / K : 0;
    let best: number | undefined;
    let bestValue = -Infinity;
    for (let k = 0; k < K; k++) {
      if (k === item.cluster || local >= T) continue;
      const v = item.perCompetitor[k * T + local]!;
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    return best;
  }

  private openTextHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const explained = this.store.textExplanation(doc.uri);
    if (!explained || explained.version !== doc.version) return undefined;
    const session = this.store.get(explained.sessionId);
    if (!session) return undefined;
    const e = explained.explanation;
    const offset = doc.offsetAt(position) - explained.offsetBase;
    let t = -1;
    for (let i = 0; i < e.start.length; i++) {
      if (offset >= e.start[i]! && offset < e.end[i]!) {
        t = i;
        break;
      }
    }
    if (t < 0) return undefined;
    const clusters = session.result.clusters;
    const competitor = e.topCompetitor[t]!;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**NEON** · ');
    appendPlain(md, `"${e.words[t] ?? ''}": this document is not part of a clustered dataset; it is explained with ${modelDescription(session)}`);
    md.appendMarkdown('\n\n');
    let line = `${wordLine(wordStanding((i) => e.words[i] ?? '', e.relevance, 0, e.relevance.length, t), e.relevance[t]!)} for ${clusterName(e.cluster)} — ${clusters[e.cluster]?.label ?? ''}`;
    if (competitor >= 0 && competitor !== e.cluster) line += `; most separates from ${clusterName(competitor)} — ${clusters[competitor]?.label ?? ''}`;
    appendPlain(md, line);
    md.appendMarkdown('\n\n');
    appendPlain(md, `Document evidence ${plain(e.evidence)}, p = ${plain(e.probability, 2)}`);
    appendQuestion(md, session);
    return new vscode.Hover(
      md,
      new vscode.Range(doc.positionAt(explained.offsetBase + e.start[t]!), doc.positionAt(explained.offsetBase + e.end[t]!)),
    );
  }
}

/** The hovered cell's part on the hovered line (a cell over several lines is hovered one line at a time). */
function pieceRange(pieces: readonly CellPiece[], position: vscode.Position): vscode.Range {
  const p = pieces.find((q) => q.line === position.line) ?? pieces[0]!;
  return new vscode.Range(p.line, p.start, p.line, p.end);
}

/** The question the numbers answer (the neon rule's root point, engine relevance/question.ts), in small print. */
function appendQuestion(md: vscode.MarkdownString, session: Session): void {
  md.appendMarkdown('\n\n---\n\n*');
  const words = session.result.dataset.kind === 'text' ? { units: 'words', item: 'document' } : { units: 'columns', item: 'row' };
  appendPlain(md, explanationQuestion(session.result.neon, words));
  md.appendMarkdown('*');
}

function appendPlain(md: vscode.MarkdownString, text: string): void {
  md.appendMarkdown(escapeMarkdown(text));
}

/**
 * Why a table column is not a feature, as the hover says it: the reason column typing or the
 * user's choice gave (identifier, date, constant, free text, left out by you), or "the label
 * column" for the label; undefined for a feature.
 */
export function notFeatureReason(column: { readonly kind: string; readonly excludedReason?: string }): string | undefined {
  if (column.excludedReason !== undefined) return column.excludedReason;
  if (column.kind === 'label') return 'it is the label column (known classes, used only for purity, NMI and ARI).';
  return undefined;
}

/** The filled-cell sentence of a numeric feature cell read as missing (filledCell.ts); undefined for any other cell. */
function filledCell(session: Session, column: { name: string; kind: string }, text: string, relevance: number, evidence: number): { text: string; noRelevance: boolean } | undefined {
  const pre = session.result.preprocessing;
  if (column.kind !== 'numeric' || pre.kind !== 'table' || !readAsMissing(text)) return undefined;
  const t = pre.columns.find((x) => x.column === column.name);
  if (t?.kind !== 'numeric') return undefined;
  // A fitted dataset fills with its own column mean; a loaded or restored model with the mean it was fitted on.
  const meanName = session.origin.kind === 'loaded' || session.restored ? 'the training mean' : 'the column mean';
  return filledCellLine(text, t.mean, meanName, relevance, evidence);
}
