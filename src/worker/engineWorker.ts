/**
 * The engine worker (worker_threads). `EngineWorker.handleMessage` is a pure message → reply
 * function over a session store, so it is tested without a thread; the `parentPort` glue at
 * the bottom only runs inside a worker thread.
 *
 * Every request is answered by exactly one `result` or `error` (protocol/worker.ts). A long
 * request (Fit) runs with its own AbortController: a Cancel aborts it, and because the engine
 * yields to the event loop between chunks, the Cancel message is handled while it runs and the
 * job answers with a 'cancelled' error within ~100 ms.
 */
import path from 'node:path';
import { isMainThread, parentPort, type TransferListItem } from 'node:worker_threads';
import { inspectDataset } from '../engine/data/inspectDataset';
import { CancelledError, OptionError } from '../engine/errors';
import { bindGivenToData, importModel, type ImportedModel } from '../engine/model/importers';
import { parseCentroidsCsv, parseModelFile, serializeModel } from '../engine/model/modelFile';
import { explainItem, explainText, runPipeline, type SessionState } from '../engine/pipeline';
import type { PipelineResult } from '../engine/pipelineTypes';
import type { Progress } from '../engine/types';
import {
  type ErrorMessage,
  FromWorker,
  type FromWorkerMessage,
  type LoadedModel,
  ToWorker,
  type ToWorkerMessage,
} from '../protocol/worker';
import { clusterMeans } from './clusterMeans';
import { readColumnCells } from './columnCells';
import { writeEveryRowExport } from '../engine/export/everyRowExport';

export type Post = (message: FromWorkerMessage, transfer?: readonly TransferListItem[]) => void;

/** At most this many progress events per second per request reach the host. */
const PROGRESS_INTERVAL_MS = 100;

/** Maps an engine error to the protocol's error kinds (the host tells data problems from bugs). */
export function errorMessage(inReplyTo: number, e: unknown): ErrorMessage {
  const err = e instanceof Error ? e : new Error(String(e));
  const kinds: Record<string, ErrorMessage['kind']> = {
    DataError: 'data',
    ModelError: 'model',
    OptionError: 'option',
    CancelledError: 'cancelled',
    AbortError: 'cancelled',
  };
  const kind = kinds[err.name] ?? 'internal';
  return {
    type: FromWorker.Error,
    inReplyTo,
    kind,
    message: kind === 'cancelled' ? 'Cancelled' : err.message,
    ...(kind === 'internal' && err.stack ? { stack: err.stack } : {}),
  };
}

/**
 * Buffers of the result that only the host needs (the session keeps the dataset and model,
 * whose arrays must stay usable here, so those are copied by structured clone instead).
 */
function resultTransfer(result: PipelineResult): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [result.assignments, result.evidence, result.probability, result.rowRelevance, result.tokenRelevance, result.projection];
  if (result.gates) arrays.push(result.gates.rowGates, result.gates.clusterGates);
  if (result.lossHistory) arrays.push(result.lossHistory);
  for (const f of result.flipping ?? []) arrays.push(f.curve);
  return uniqueBuffers(arrays);
}

function uniqueBuffers(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) seen.add(a.buffer);
  return [...seen];
}

function throttle(post: Post, inReplyTo: number): (p: Progress) => void {
  let last = 0;
  let lastStage = '';
  return (progress) => {
    const now = Date.now();
    if (now - last >= PROGRESS_INTERVAL_MS || progress.stage !== lastStage || progress.fraction === 1) {
      last = now;
      lastStage = progress.stage;
      post({ type: FromWorker.Progress, inReplyTo, progress });
    }
  };
}

export class EngineWorker {
  private readonly sessions = new Map<string, SessionState>();
  /** Each session's assignments (the result's copy is transferred to the host). */
  private readonly assignments = new Map<string, Int32Array>();
  /** Running requests by id, and which session a running Fit will fill. */
  private readonly running = new Map<number, { controller: AbortController; sessionId?: string }>();

  /** Number of sessions held (for tests and diagnostics). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Handles one message; resolves once its reply has been posted. Never rejects. */
  async handleMessage(msg: ToWorkerMessage, post: Post): Promise<void> {
    try {
      switch (msg.type) {
        case ToWorker.Cancel: {
          const target = this.running.get(msg.targetId);
          target?.controller.abort();
          post({ type: FromWorker.Result, inReplyTo: msg.id, result: { cancelled: target !== undefined } });
          return;
        }
        case ToWorker.Fit:
          await this.fit(msg.id, msg.sessionId, post, async (signal, onProgress) =>
            runPipeline(msg.source, msg.settings, { signal, onProgress }, msg.model?.unnamedInputs ? await bindGivenToData(msg.model, msg.source.path, msg.settings.labelColumn) : msg.model),
          );
          return;
        case ToWorker.ExplainItem: {
          const item = explainItem(this.session(msg.sessionId), msg.index);
          const arrays: ArrayBufferView[] = [item.unitRelevance, item.perCompetitor, item.competitorShares];
          if (item.tokens) arrays.push(item.tokens.word, item.tokens.start, item.tokens.end);
          if (item.gates) arrays.push(item.gates);
          post({ type: FromWorker.Result, inReplyTo: msg.id, result: item }, uniqueBuffers(arrays));
          return;
        }
        case ToWorker.ExplainText: {
          const text = explainText(this.session(msg.sessionId), msg.text);
          post({ type: FromWorker.Result, inReplyTo: msg.id, result: text }, uniqueBuffers([text.start, text.end, text.relevance, text.topCompetitor]));
          return;
        }
        case ToWorker.LoadModel: {
          const parsed: ImportedModel = msg.path
            ? await importModel(msg.path)
            : msg.fileName.toLowerCase().endsWith('.csv')
              ? { ...parseCentroidsCsv(msg.text, msg.fileName), format: 'centroids CSV' }
              : { ...parseModelFile(msg.text, msg.fileName), format: 'NEON model file' };
          const loaded: LoadedModel = {
            model: parsed.model,
            preprocessing: parsed.preprocessing,
            featureNames: parsed.featureNames,
            notes: parsed.notes,
            ...(parsed.clusterLabels ? { clusterLabels: parsed.clusterLabels } : {}),
            ...(parsed.neon ? { neon: parsed.neon } : {}),
            format: parsed.format,
            ...(parsed.unnamedInputs ? { unnamedInputs: true } : {}),
          };
          post({ type: FromWorker.Result, inReplyTo: msg.id, result: loaded });
          return;
        }
        case ToWorker.Inspect: {
          const controller = new AbortController();
          this.running.set(msg.id, { controller });
          try {
            post({ type: FromWorker.Result, inReplyTo: msg.id, result: await inspectDataset(msg.source, controller.signal, msg.missing ?? {}) });
          } finally {
            this.running.delete(msg.id);
          }
          return;
        }
        case ToWorker.ClusterMeans: {
          const s = this.session(msg.sessionId);
          const means = clusterMeans(s, this.assignments.get(msg.sessionId) ?? new Int32Array(0), s.model.k);
          post({ type: FromWorker.Result, inReplyTo: msg.id, result: means }, uniqueBuffers([means.means]));
          return;
        }
        case ToWorker.DropSession: {
          const dropped = this.sessions.delete(msg.sessionId);
          this.assignments.delete(msg.sessionId);
          post({ type: FromWorker.Result, inReplyTo: msg.id, result: { dropped } });
          return;
        }
        case ToWorker.ColumnCells: {
          const controller = new AbortController();
          this.running.set(msg.id, { controller });
          try {
            post({ type: FromWorker.Result, inReplyTo: msg.id, result: { cells: await readColumnCells(this.session(msg.sessionId), msg.columns, controller.signal) } });
          } finally {
            this.running.delete(msg.id);
          }
          return;
        }
        case ToWorker.ExportEveryRow: {
          const controller = new AbortController();
          this.running.set(msg.id, { controller });
          try {
            const rows = await writeEveryRowExport({
              ...msg,
              source: this.session(msg.sessionId).dataset.source,
              signal: controller.signal,
            });
            post({ type: FromWorker.Result, inReplyTo: msg.id, result: { rows } });
          } finally {
            this.running.delete(msg.id);
          }
          return;
        }
        case ToWorker.ExportModel: {
          const s = this.session(msg.sessionId);
          const text = serializeModel({
            model: s.model,
            preprocessing: s.preprocessing,
            featureNames: s.featureNames,
            neon: { beta: s.neon.beta, evidence: s.neon.evidence, rule: s.neon.rule, ...(s.neon.reference ? { reference: Array.from(s.neon.reference), referenceName: s.neon.referenceName ?? 'the data mean' } : {}) },
            clusterLabels: s.clusterLabels,
            metadata: { createdBy: 'NEON Cluster Explorer', source: path.basename(s.dataset.source), rows: s.dataset.features.rows },
          });
          post({ type: FromWorker.Result, inReplyTo: msg.id, result: { text } });
          return;
        }
      }
    } catch (e) {
      post(errorMessage(msg.id, e));
    }
  }

  private session(sessionId: string): SessionState {
    const s = this.sessions.get(sessionId);
    if (!s) throw new OptionError(`no clustering session "${sessionId}" in the worker; cluster the dataset again`);
    return s;
  }

  /** Runs a fit; a newer Fit for the same session cancels the older one. */
  private async fit(
    id: number,
    sessionId: string,
    post: Post,
    job: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<{ result: PipelineResult; state: SessionState }>,
  ): Promise<void> {
    for (const r of this.running.values()) if (r.sessionId === sessionId) r.controller.abort();
    const controller = new AbortController();
    this.running.set(id, { controller, sessionId });
    try {
      const { result, state } = await job(controller.signal, throttle(post, id));
      if (controller.signal.aborted) throw new CancelledError();
      this.sessions.set(sessionId, state);
      this.assignments.set(sessionId, Int32Array.from(result.assignments));
      post({ type: FromWorker.Result, inReplyTo: id, result }, resultTransfer(result));
    } catch (e) {
      post(errorMessage(id, e));
    } finally {
      this.running.delete(id);
    }
  }
}

// --- worker thread glue: only when this file runs as a worker_threads worker -----------------
if (!isMainThread && parentPort) {
  const port = parentPort;
  const worker = new EngineWorker();
  port.on('message', (msg: ToWorkerMessage) => {
    void worker.handleMessage(msg, (reply, transfer) => port.postMessage(reply, transfer as TransferListItem[] | undefined));
  });
}
