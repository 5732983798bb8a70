// Exponential backoff with jitter, for uploads while the collector is down and for restarting a
// capture child. "Equal jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015):
// half the delay is fixed, half random, so a fleet of agents that lost the collector at the same
// moment spreads its retries out, yet no agent retries sooner than half its current step.

export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /** Uniform [0, 1): injectable so tests are deterministic. */
  random?: () => number;
}

export class Backoff {
  readonly #min: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #random: () => number;
  #failures = 0;

  constructor(opts: BackoffOptions) {
    if (!(opts.minMs > 0) || !(opts.maxMs >= opts.minMs))
      throw new RangeError('backoff: need 0 < minMs <= maxMs');
    this.#min = opts.minMs;
    this.#max = opts.maxMs;
    this.#factor = opts.factor ?? 2;
    this.#random = opts.random ?? Math.random;
  }

  /** Failures in a row since the last success. */
  get failures(): number {
    return this.#failures;
  }

  /** Records a failure; returns how long to wait before the next attempt, ms. */
  fail(): number {
    const step = Math.min(this.#max, this.#min * this.#factor ** Math.min(this.#failures, 64));
    this.#failures++;
    return Math.round(step / 2 + (this.#random() * step) / 2);
  }

  succeed(): void {
    this.#failures = 0;
  }
}
