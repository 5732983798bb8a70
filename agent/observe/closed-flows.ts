// TCP conversations that ended (FIN both ways, or RST) are finished a few seconds later, not at the
// idle timeout: a busy network closes thousands of connections a minute, and holding each for the
// full idle timeout would fill the flow table with the dead. The linger lets the last ACK and stray
// retransmissions join the flow instead of starting a new one.

/** Capture-time ms a closed conversation is kept before it is finished. */
export const CLOSE_LINGER_MS = 5000;

const FIN_A = 1;
const FIN_B = 2;
const RST = 4;
const QUEUED = 8;

export class ClosedFlows {
  readonly #state: Uint8Array;
  /** Incremented each time a flow id is reused, so a queued id that was finished otherwise is skipped. */
  readonly #generation: Uint32Array;
  #ids: number[] = [];
  #gens: number[] = [];
  #times: number[] = [];
  #head = 0;

  constructor(maxFlows: number) {
    this.#state = new Uint8Array(maxFlows);
    this.#generation = new Uint32Array(maxFlows);
  }

  created(id: number): void {
    this.#state[id] = 0;
    this.#generation[id]!++;
  }

  /** A FIN or RST from `dir` (0: canonical first endpoint, 1: second). */
  tcpFlags(id: number, dir: number, fin: boolean, rst: boolean, ts: number): void {
    let s = this.#state[id]!;
    if (fin) s |= dir ? FIN_B : FIN_A;
    if (rst) s |= RST;
    if (!(s & QUEUED) && ((s & FIN_A && s & FIN_B) || s & RST)) {
      s |= QUEUED;
      this.#ids.push(id);
      this.#gens.push(this.#generation[id]!);
      this.#times.push(ts);
    }
    this.#state[id] = s;
  }

  /** Calls `end` for every queued flow closed before `now - linger` that is still the same flow. */
  expire(now: number, end: (id: number) => void): void {
    this.#drain(now - CLOSE_LINGER_MS, end);
    // Drop the consumed prefix now and then so the queue does not grow for the life of the process.
    if (this.#head > 4096 && this.#head * 2 > this.#ids.length) {
      this.#ids = this.#ids.slice(this.#head);
      this.#gens = this.#gens.slice(this.#head);
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * The loop of expire(), apart from the compaction after it: V8 compiles the loop while it runs, and
   * with the compaction in the same function it threw that code away at the first compaction, a
   * tenth into the bench capture.
   */
  #drain(limit: number, end: (id: number) => void): void {
    while (this.#head < this.#ids.length && this.#times[this.#head]! < limit) {
      const id = this.#ids[this.#head]!;
      const gen = this.#gens[this.#head]!;
      this.#head++;
      if (this.#generation[id] === gen && this.#state[id]! & QUEUED) {
        this.#state[id] = 0;
        end(id);
      }
    }
  }

  /** A flow finished for another reason (idle, evicted, end of input): forget it. */
  ended(id: number): void {
    this.#state[id] = 0;
    this.#generation[id]!++;
  }
}
