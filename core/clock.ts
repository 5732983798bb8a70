// Time as a dependency: code that decides by "now" (waiver expiry, report schedules) takes a Clock,
// so tests move time by hand instead of sleeping or mocking globals.

export interface Clock {
  /** The current instant. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move: for tests and for replaying a schedule. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string | number) {
    this.#ms = new Date(start).getTime();
    if (!Number.isFinite(this.#ms)) throw new RangeError(`ManualClock: bad start time ${String(start)}`);
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(to: Date | string | number): void {
    const ms = new Date(to).getTime();
    if (!Number.isFinite(ms)) throw new RangeError(`ManualClock: bad time ${String(to)}`);
    this.#ms = ms;
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}
