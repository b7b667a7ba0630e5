/**
 * Adam (Kingma & Ba 2015): per-parameter step sizes from running first and second moments of
 * the gradient, with bias correction. Updates the parameter arrays in place.
 */
import { OptionError } from '../errors';

export interface AdamOptions {
  readonly learningRate?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

type Settings = { -readonly [K in keyof AdamOptions]-?: number };

const DEFAULTS: Settings = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export class Adam {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private readonly opts: Settings;
  private t = 0;

  constructor(private readonly params: readonly Float64Array[], options: AdamOptions = {}) {
    this.opts = { ...DEFAULTS, ...options };
    const { learningRate, beta1, beta2, epsilon } = this.opts;
    if (!(learningRate > 0)) throw new OptionError(`Adam: learningRate must be > 0, got ${learningRate}`);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new OptionError(`Adam: beta1, beta2 must be in [0, 1), got ${beta1}, ${beta2}`);
    if (!(epsilon > 0)) throw new OptionError(`Adam: epsilon must be > 0, got ${epsilon}`);
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  get learningRate(): number {
    return this.opts.learningRate;
  }

  set learningRate(lr: number) {
    this.opts.learningRate = lr;
  }

  /** One update with gradients in the order of the parameters; `scale` multiplies them first (e.g. 1/batch). */
  step(grads: readonly Float64Array[], scale = 1): void {
    if (grads.length !== this.params.length) throw new OptionError(`Adam: ${grads.length} gradient arrays for ${this.params.length} parameter arrays`);
    this.t++;
    const { learningRate, beta1, beta2, epsilon } = this.opts;
    const c1 = 1 - Math.pow(beta1, this.t);
    const c2 = 1 - Math.pow(beta2, this.t);
    const lr = (learningRate * Math.sqrt(c2)) / c1;
    for (let p = 0; p < this.params.length; p++) {
      const w = this.params[p];
      const g = grads[p];
      const m = this.m[p];
      const v = this.v[p];
      for (let i = 0; i < w.length; i++) {
        const gi = g[i] * scale;
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        w[i] -= (lr * m[i]) / (Math.sqrt(v[i]) + epsilon);
      }
    }
  }
}
