import { describe, expect, it } from 'vitest';
import { type Clock, RateLimitError, RateLimiter } from '../../../agent/active/rate-limit.js';

/** Most packets in any window of `ms` starting at a send time. */
function maxInWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** A virtual clock: sleepers wake in time order when every caller is waiting. */
function virtualClock(): Clock & { run(): Promise<void> } {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleepers.push({ at: now + ms, wake: resolve });
      }),
    async run() {
      for (;;) {
        // Let every runnable promise settle before moving time.
        await new Promise((r) => setImmediate(r));
        if (!sleepers.length) return;
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift()!;
        now = Math.max(now, next.at);
        next.wake();
      }
    },
  };
}

describe('RateLimiter', () => {
  it('validates its limits', () => {
    expect(() => new RateLimiter({ overallPps: 0, perHostPps: 1, slackMs: 0 })).toThrow(RateLimitError);
    expect(() => new RateLimiter({ overallPps: 10, perHostPps: 20, slackMs: 0 })).toThrow(/per-host/);
    expect(() => new RateLimiter({ overallPps: 10, perHostPps: 5, slackMs: -1 })).toThrow(/slack/);
  });

  it('keeps every one-second window under the overall and per-host limits', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ overallPps: 50, perHostPps: 10, slackMs: 250 }, clock);
    const sends: { host: string; at: number }[] = [];
    const work = Array.from({ length: 8 }, (_, h) =>
      (async () => {
        for (let i = 0; i < 30; i++) {
          const k = 1 + (i % 3);
          await limiter.acquire(`h${h}`, k);
          for (let p = 0; p < k; p++) sends.push({ host: `h${h}`, at: clock.now() });
        }
      })(),
    );
    const all = Promise.all(work);
    await clock.run();
    await all;
    expect(sends.length).toBe(8 * 60);
    expect(limiter.charged).toBe(8 * 60);
    expect(
      maxInWindow(
        sends.map((s) => s.at),
        1250,
      ),
    ).toBeLessThanOrEqual(50);
    for (let h = 0; h < 8; h++) {
      const mine = sends.filter((s) => s.host === `h${h}`).map((s) => s.at);
      expect(maxInWindow(mine, 1250)).toBeLessThanOrEqual(10);
    }
    // And the limiter is not idle either: 480 packets at 50 per 1.25 s need about 12 s, not much more.
    const last = Math.max(...sends.map((s) => s.at));
    expect(last).toBeGreaterThan(10_000);
    expect(last).toBeLessThan(14_000);
  });

  it('splits a charge larger than the per-host budget', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ overallPps: 100, perHostPps: 4, slackMs: 0 }, clock);
    const done = limiter.acquire('a', 10);
    await clock.run();
    await done;
    expect(clock.now()).toBe(2000);
  });

  it('runs one operation at a time per host, hosts in parallel', async () => {
    const limiter = new RateLimiter();
    const log: string[] = [];
    const op = (host: string, id: number) =>
      limiter.withHost(host, async () => {
        log.push(`start ${host}${id}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${host}${id}`);
      });
    await Promise.all([op('a', 1), op('a', 2), op('b', 1)]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('releases the host after a failing operation and honours abort', async () => {
    const limiter = new RateLimiter({ overallPps: 10, perHostPps: 1, slackMs: 0 });
    await expect(limiter.withHost('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await limiter.withHost('a', async () => undefined);
    await limiter.acquire('a', 1);
    const ac = new AbortController();
    const waiting = limiter.acquire('a', 1, ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    // The aborted charge does not block the next caller of another host.
    await limiter.acquire('b', 1);
  });
});

describe('RateLimiter future charges', () => {
  it('records kernel retries at their own times, so later windows count them', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter({ overallPps: 3, perHostPps: 3, slackMs: 0 }, clock);
    const times: number[] = [];
    const work = (async () => {
      // One packet now whose kernel retries follow at +1 s and +2 s: three charged at 0, and the two
      // retries recorded again at 1000 and 2000.
      await limiter.acquire('a', 1, undefined, [1000, 2000]);
      times.push(clock.now());
      // Three more fit only in a window without the retries: (2000, 3000].
      await limiter.acquire('a', 3);
      times.push(clock.now());
    })();
    await clock.run();
    await work;
    expect(times).toEqual([0, 3000]);
  });
});
