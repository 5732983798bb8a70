// Per-agent upload rate limit: a token bucket per key. Ours rather than @fastify/rate-limit: that
// plugin counts requests per window per key in a store we would configure anyway, while what we
// want (a burst allowance, a steady refill, Retry-After) is twenty lines with no dependency.

export interface RateLimitOptions {
  /** Requests allowed at once (the bucket size). */
  burst: number;
  /** Sustained requests per second (the refill rate). */
  perSecond: number;
}

export class TokenBuckets {
  readonly #opts: RateLimitOptions;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(opts: RateLimitOptions) {
    if (!(opts.burst >= 1 && opts.perSecond > 0)) throw new Error('rate limit: burst >= 1 and perSecond > 0');
    this.#opts = opts;
  }

  /** Takes one token for `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string, nowMs: number): number {
    const { burst, perSecond } = this.#opts;
    let b = this.#buckets.get(key);
    if (!b) {
      // Bound memory: keys are authenticated agents, but never trust a count to stay small.
      if (this.#buckets.size >= 100_000) this.#buckets.clear();
      b = { tokens: burst, at: nowMs };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * perSecond);
    b.at = nowMs;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / perSecond);
  }
}
