import { rowAtLine } from '../session';
import type { Selection, Session } from '../session';

/**
 * The cluster a table's header row speaks for: the cluster chosen explicitly (Explain
 * Cluster, tree, panel) for this session, else the cluster of the row under the cursor.
 */
export function headerCluster(selection: Selection | undefined, session: Session, cursorLine: number | undefined): number | undefined {
  if (selection?.sessionId === session.id && selection.cluster !== undefined) return selection.cluster;
  const ds = session.result.dataset;
  if (ds.kind !== 'table' || cursorLine === undefined) return undefined;
  const row = rowAtLine(ds.rowLine, cursorLine);
  return row !== undefined ? session.result.assignments[row] : undefined;
}

/** 0-based line of the header: the line before the first record. */
export function headerLine(session: Session): number | undefined {
  const ds = session.result.dataset;
  if (ds.kind !== 'table' || ds.rowLine.length === 0) return undefined;
  const line = ds.rowLine[0]! - 2;
  return line >= 0 ? line : undefined;
}
