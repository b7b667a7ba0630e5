import type { Selection, Session } from '../session';
import type { LineSource } from './csvRecord';
import { firstRowLine, rowRecordAtLine } from './rowViews';

/**
 * The cluster a table's header row speaks for: the cluster chosen explicitly (Explain
 * Cluster, tree, panel) for this session, else the cluster of the row under the cursor (on any line of its record).
 */
export function headerCluster(selection: Selection | undefined, session: Session, text: LineSource, cursorLine: number | undefined): number | undefined {
  if (selection?.sessionId === session.id && selection.cluster !== undefined) return selection.cluster;
  const ds = session.result.dataset;
  if (ds.kind !== 'table' || cursorLine === undefined) return undefined;
  return rowRecordAtLine(session, text, cursorLine)?.row.cluster;
}

/** 0-based line of the header: the line before the first record. */
export function headerLine(session: Session): number | undefined {
  const first = firstRowLine(session);
  return first !== undefined && first >= 1 ? first - 1 : undefined;
}
