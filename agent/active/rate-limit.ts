// Packet budgets for active discovery (DESIGN.md §6): an overall and a per-host rate, and one
// operation at a time per host. Callers charge the packets an operation will put on the wire
// before they send it; the limiter delays them until both sliding windows have room.

/** Defaults in the spirit of commercial OT scanners: ~1000 packets/s overall, ~40/s per host. */
export const DEFAULT_RATE_LIMITS: RateLimits = { overallPps: 1000, perHostPps: 40, slackMs: 250 };

export interface RateLimits {
  /** Packets per second the whole scan may send, in any one-second window. */
  overallPps: number;
  /** Packets per second any one host may receive from the scan, in any one-second window. */
  perHostPps: number;
  /**
   * Extra window length, ms. Some charged packets leave later than they are charged (the kernel
   * sends a handshake ACK one round trip after the SYN, a delayed ACK up to 200 ms after data), so
   * budgets are kept over 1 s + slack: any one-second window on the wire then stays under the rate.
   */
  slackMs: number;
}

export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
}

export function checkRateLimits(limits: RateLimits): RateLimits {
  const { overallPps, perHostPps, slackMs } = limits;
  if (!Number.isInteger(overallPps) || overallPps < 1 || overallPps > 100_000) {
    throw new RateLimitError(`overall rate ${overallPps} packets/s is not an integer in 1..100000`);
  }
  if (!Number.isInteger(perHostPps) || perHostPps < 1 || perHostPps > overallPps) {
    throw new RateLimitError(`per-host rate ${perHostPps} packets/s is not an integer in 1..${overallPps}`);
  }
  if (!(slackMs >= 0 && slackMs <= 5000)) throw new RateLimitError(`slack ${slackMs} ms is not in 0..5000`);
  return limits;
}

/** Send times of the packets charged in the last window, oldest first. */
class SlidingWindow {
  #times: number[] = [];
  #head = 0;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Earliest time at which `k` more packets fit (k <= limit). */
  earliest(k: number, now: number): number {
    this.#prune(now);
    const inWindow = this.#times.length - this.#head;
    const over = inWindow + k - this.limit;
    if (over <= 0) return now;
    return this.#times[this.#head + over - 1]! + this.windowMs;
  }

  /** Records `k` packets at `at`; future times (kernel retries) are inserted in order. */
  record(k: number, at: number): void {
    for (let i = 0; i < k; i++) {
      let j = this.#times.length;
      while (j > this.#head && this.#times[j - 1]! > at) j--;
      this.#times.splice(j, 0, at);
    }
  }

  #prune(now: number): void {
    while (this.#head < this.#times.length && this.#times[this.#head]! <= now - this.windowMs) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  idle(now: number): boolean {
    this.#prune(now);
    return this.#head === this.#times.length;
  }
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export class RateLimiter {
  readonly limits: RateLimits;
  readonly #clock: Clock;
  readonly #overall: SlidingWindow;
  readonly #hosts = new Map<string, SlidingWindow>();
  /** The tail of each host's operation chain: one operation at a time per host. */
  readonly #hostLocks = new Map<string, Promise<void>>();
  /** FIFO of charges waiting for the overall window, so no caller starves. */
  #overallTail: Promise<void> = Promise.resolve();
  #charged = 0;

  constructor(limits: RateLimits = DEFAULT_RATE_LIMITS, clock: Clock = realClock) {
    this.limits = checkRateLimits(limits);
    this.#clock = clock;
    this.#overall = new SlidingWindow(limits.overallPps, 1000 + limits.slackMs);
  }

  /** Packets charged so far. */
  get charged(): number {
    return this.#charged;
  }

  /**
   * Waits until `packets` more may be sent to `host`, then charges them. Call it right before the
   * send (or the connect whose handshake it pays for). Large charges are split into window-sized parts.
   * `later`: packets the kernel will send on its own schedule after this one, as delays in ms (ARP
   * retries 1 s apart): charged now and also recorded at their future times, so no window undercounts.
   */
  async acquire(
    host: string,
    packets: number,
    signal?: AbortSignal,
    later: readonly number[] = [],
  ): Promise<void> {
    if (!Number.isInteger(packets) || packets < 0) throw new RateLimitError(`bad packet count ${packets}`);
    let left = packets;
    while (left > 0) {
      const k = Math.min(left, this.limits.perHostPps);
      left -= k;
      await this.#acquireOnce(host, k, signal, left > 0 ? [] : later);
    }
  }

  async #acquireOnce(
    host: string,
    k: number,
    signal?: AbortSignal,
    later: readonly number[] = [],
  ): Promise<void> {
    const window = this.#hostWindow(host);
    // First the host's own budget (only this host's operation charges it), then the shared one.
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      const at = window.earliest(k, now);
      if (at <= now) break;
      await this.#clock.sleep(at - now, signal);
    }
    const turn = this.#overallTail.then(async () => {
      for (;;) {
        signal?.throwIfAborted();
        const now = this.#clock.now();
        const at = Math.max(this.#overall.earliest(k, now), window.earliest(k, now));
        if (at <= now) {
          this.#overall.record(k, now);
          window.record(k, now);
          for (const delay of later) {
            this.#overall.record(1, now + delay);
            window.record(1, now + delay);
          }
          this.#charged += k;
          return;
        }
        await this.#clock.sleep(at - now, signal);
      }
    });
    // A failed (aborted) turn must not block the callers queued behind it.
    this.#overallTail = turn.catch(() => undefined);
    await turn;
  }

  /** Runs `op` when no other operation on `host` is running: one connection at a time per host. */
  async withHost<T>(host: string, op: () => Promise<T>): Promise<T> {
    const previous = this.#hostLocks.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#hostLocks.set(host, tail);
    await previous;
    try {
      return await op();
    } finally {
      release();
      if (this.#hostLocks.get(host) === tail) this.#hostLocks.delete(host);
    }
  }

  #hostWindow(host: string): SlidingWindow {
    let w = this.#hosts.get(host);
    if (!w) {
      w = new SlidingWindow(this.limits.perHostPps, 1000 + this.limits.slackMs);
      this.#hosts.set(host, w);
    }
    // Forget idle hosts so a /16 sweep does not keep 65k windows alive.
    if (this.#hosts.size > 4096) {
      const now = this.#clock.now();
      for (const [h, hw] of this.#hosts) if (h !== host && hw.idle(now)) this.#hosts.delete(h);
    }
    return w;
  }
}
