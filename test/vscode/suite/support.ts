// What the extension-host suites share: the extension's test API, the temp workspace, polling
// for an asynchronous state, and reading hovers as a user sees them.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ClusterPanel } from '../../../src/extension/panel/clusterPanel';
import type { NeonTestApi } from '../../../src/extension/testApi';
import type { HostToWebview } from '../../../src/protocol/webview';

export const EXTENSION_ID = 'neon-explorer.neon-cluster-explorer';

/** Activates the extension under test and returns its test API. */
export async function api(): Promise<NeonTestApi> {
  const ext = vscode.extensions.getExtension<NeonTestApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this host`);
  return ext.activate();
}

/** A path inside the open workspace (the temp copy of test/fixtures/e2e-workspace). */
export function workspaceUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e workspace folder must be open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** Polls `probe` every 150 ms until it gives a value (not undefined / false), or fails naming `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The hovers' Markdown with backslash escapes undone (what a reader sees, minus styling). */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/\\(.)/g, '$1');
}

/** The text of every hover at `position` of `doc`. */
export async function hoverAt(doc: vscode.TextDocument, position: vscode.Position): Promise<string> {
  return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position));
}

/**
 * Shows the clusters panel and plays its webview's part: `ready`, then the session message the
 * host answers with. `posted` keeps collecting what the host sends until `stop()`.
 */
export async function panelAfterReady(): Promise<{ panel: ClusterPanel; posted: HostToWebview[]; session: Extract<HostToWebview, { type: 'session' }>; stop(): void }> {
  await vscode.commands.executeCommand('neon.showPanel');
  const panel = (await api()).panel();
  assert.ok(panel, 'the panel is open');
  const posted: HostToWebview[] = [];
  const sub = panel.onDidPost((m) => posted.push(m));
  try {
    await panel.receive({ type: 'ready' });
    const session = await waitFor('session message', () => posted.find((m): m is Extract<HostToWebview, { type: 'session' }> => m.type === 'session'));
    return { panel, posted, session, stop: () => sub.dispose() };
  } catch (e) {
    sub.dispose();
    throw e;
  }
}
