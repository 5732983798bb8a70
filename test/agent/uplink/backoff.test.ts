// Exponential backoff with equal jitter: delays grow by the factor up to the cap, each within
// [step/2, step], and a success starts over.
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../agent/uplink/backoff.js';

describe('backoff', () => {
  it('doubles up to the cap, half fixed and half random', () => {
    const lo = new Backoff({ minMs: 1000, maxMs: 8000, random: () => 0 });
    expect([1, 2, 3, 4, 5].map(() => lo.fail())).toEqual([500, 1000, 2000, 4000, 4000]);
    const hi = new Backoff({ minMs: 1000, maxMs: 8000, random: () => 0.999_999 });
    expect([1, 2, 3, 4, 5].map(() => hi.fail())).toEqual([1000, 2000, 4000, 8000, 8000]);
    hi.succeed();
    expect(hi.failures).toBe(0);
    expect(hi.fail()).toBe(1000);
  });

  it('spreads a fleet: random delays of one step cover its upper half', () => {
    const b = () => new Backoff({ minMs: 1000, maxMs: 60_000 });
    const delays = Array.from({ length: 2000 }, () => b().fail());
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
    expect(new Set(delays).size).toBeGreaterThan(300);
  });

  it('refuses nonsense bounds', () => {
    expect(() => new Backoff({ minMs: 0, maxMs: 1 })).toThrow(RangeError);
    expect(() => new Backoff({ minMs: 10, maxMs: 5 })).toThrow(RangeError);
  });
});
