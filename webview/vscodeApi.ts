/**
 * The one place that talks to the host. acquireVsCodeApi() may be called only once per
 * webview, so it lives here; everything else imports `post`, `onMessage` and the state
 * helpers. State survives the panel being hidden and shown (getState/setState).
 */
import type { HostToWebview, WebviewToHost } from '../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

type HostType = HostToWebview['type'];
type HostMessage<T extends HostType> = Extract<HostToWebview, { type: T }>;
type Handler<T extends HostType> = (message: HostMessage<T>) => void;

const handlers = new Map<HostType, Handler<HostType>[]>();

/** Registers a handler for one message type; several per type run in order. */
export function onMessage<T extends HostType>(type: T, handler: Handler<T>): void {
  const list = handlers.get(type) ?? [];
  list.push(handler as unknown as Handler<HostType>);
  handlers.set(type, list);
}

/** Every host message type, as a record so a new type cannot be forgotten here (it would be dropped). */
const KNOWN_TYPES: Record<HostType, true> = { session: true, empty: true, item: true, progress: true, cancelled: true, error: true, focus: true, revealCluster: true };
const KNOWN: ReadonlySet<string> = new Set(Object.keys(KNOWN_TYPES));

function isHostMessage(data: unknown): data is HostToWebview {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' && KNOWN.has((data as { type: string }).type);
}

/** Starts dispatching host messages, then tells the host the UI is ready for its first message. */
export function start(): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (!isHostMessage(data)) return; // Not ours (e.g. VS Code's own webview plumbing).
    for (const h of handlers.get(data.type) ?? []) {
      try {
        h(data);
      } catch (err) {
        // One broken view must not stop the others from updating; surface it in the console.
        console.error(`[neon] handler for '${data.type}' failed:`, err);
      }
    }
  });
  post({ type: 'ready' });
}

/** What the panel restores after being hidden and shown again. */
export interface PanelState {
  readonly sessionId?: string;
  readonly selectedItem?: number;
  readonly selectedCluster?: number;
  readonly scrollY?: number;
  /** The list of points' own scroll position (px), which the selected item alone does not fix. */
  readonly listScrollTop?: number;
  readonly listFilter?: string;
  readonly showAllColumns?: boolean;
}

export function loadState(): PanelState {
  const raw = api.getState();
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    sessionId: typeof r.sessionId === 'string' ? r.sessionId : undefined,
    selectedItem: num(r.selectedItem),
    selectedCluster: num(r.selectedCluster),
    scrollY: num(r.scrollY),
    listScrollTop: num(r.listScrollTop),
    listFilter: typeof r.listFilter === 'string' ? r.listFilter : undefined,
    showAllColumns: r.showAllColumns === true,
  };
}

let current: PanelState = {};
let loaded = false;

/** Merges `patch` into the saved state (undefined values clear a field). */
export function saveState(patch: Partial<PanelState>): void {
  if (!loaded) {
    current = loadState();
    loaded = true;
  }
  current = { ...current, ...patch };
  api.setState(current);
}
