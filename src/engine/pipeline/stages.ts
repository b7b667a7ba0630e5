/**
 * The pipeline's stages as slices of one progress bar, and a clock for their timings.
 * A sub-job (k-means, training, flipping) reports its own 0..1 fraction; `stageHooks`
 * rescales it into the stage's slice, keeps the signal, and names the stage.
 */
import { throwIfAborted, yieldToEventLoop } from '../jobs';
import type { JobHooks } from '../types';

export type PipelineStage =
  | 'loading'
  | 'choosing k'
  | 'fitting'
  | 'neuralizing'
  | 'explaining'
  | 'explaining every row'
  | 'stability'
  | 'summarising'
  | 'quality'
  | 'projection'
  | 'flipping'
  | 'gates';

/** [from, to] of each stage within the whole job; the bar reaches 1 when the result is ready. */
const SLICES: Readonly<Record<PipelineStage, readonly [number, number]>> = {
  loading: [0, 0.15],
  'choosing k': [0.15, 0.3],
  fitting: [0.3, 0.6],
  neuralizing: [0.6, 0.62],
  explaining: [0.62, 0.7],
  // Only a sampled fit (rowBudget.ts) has this stage: the streaming pass over the whole file.
  'explaining every row': [0.7, 0.78],
  // Text only (never with the streaming pass, a table stage): re-fits for clusterwise stability.
  stability: [0.7, 0.78],
  summarising: [0.78, 0.8],
  quality: [0.8, 0.84],
  projection: [0.84, 0.87],
  flipping: [0.87, 0.97],
  gates: [0.97, 0.99],
};

/** Hooks for a sub-job running as `stage`: same signal, progress rescaled into the stage's slice. */
export function stageHooks(hooks: JobHooks | undefined, stage: PipelineStage): JobHooks {
  const [from, to] = SLICES[stage];
  const listener = hooks?.onProgress;
  return {
    signal: hooks?.signal,
    onProgress: listener
      ? (p) => listener({ stage, fraction: from + (to - from) * Math.min(1, Math.max(0, p.fraction ?? 0)), message: p.message ?? (p.stage !== stage ? p.stage : undefined), ...(p.loss !== undefined ? { loss: p.loss } : {}) })
      : undefined,
  };
}

/** Records how long each stage took (ms), announces each stage start and checks for cancellation. */
export class StageClock {
  readonly timings: Record<string, number> = {};
  private current?: { stage: string; start: number };

  constructor(private readonly hooks: JobHooks | undefined) {}

  /** Starts a stage after yielding once, so a Cancel queued during the last one is seen first. */
  async start(stage: PipelineStage): Promise<JobHooks> {
    this.stop();
    await yieldToEventLoop();
    throwIfAborted(this.hooks);
    this.current = { stage, start: performance.now() };
    this.hooks?.onProgress?.({ stage, fraction: SLICES[stage][0] });
    return stageHooks(this.hooks, stage);
  }

  stop(): void {
    if (this.current) this.timings[this.current.stage] = (this.timings[this.current.stage] ?? 0) + performance.now() - this.current.start;
    this.current = undefined;
  }
}
