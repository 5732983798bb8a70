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

/**
 * First capacity of the queue (a power of two; it doubles when full). Small on purpose: the first
 * doublings then happen while tcpFlags still runs in V8's interpreter, which records the call, so
 * optimised code never meets the growth path cold and is not thrown away for it.
 */
const QUEUE_START = 64;

export class ClosedFlows {
  readonly #state: Uint8Array;
  /** Incremented each time a flow id is reused, so a queued id that was finished otherwise is skipped. */
  readonly #generation: Uint32Array;
  // The queue: a ring of closed flows in capture order (id, its generation, the close time).
  #ids = new Int32Array(QUEUE_START);
  #gens = new Uint32Array(QUEUE_START);
  #times = new Float64Array(QUEUE_START);
  #head = 0;
  #size = 0;

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
      if (this.#size === this.#ids.length) this.#grow();
      const at = (this.#head + this.#size++) & (this.#ids.length - 1);
      this.#ids[at] = id;
      this.#gens[at] = this.#generation[id]!;
      this.#times[at] = ts;
    }
    this.#state[id] = s;
  }

  /** Calls `end` for every queued flow closed before `now - linger` that is still the same flow. */
  expire(now: number, end: (id: number) => void): void {
    const limit = now - CLOSE_LINGER_MS;
    // Fields read on every turn: `end` may queue another flow, and a full queue is replaced.
    while (this.#size > 0 && this.#times[this.#head]! < limit) {
      const at = this.#head;
      const id = this.#ids[at]!;
      const gen = this.#gens[at]!;
      this.#head = (at + 1) & (this.#ids.length - 1);
      this.#size--;
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

  /** Doubles the queue, its entries moved to the front in order. */
  #grow(): void {
    const n = this.#ids.length;
    const ids = new Int32Array(n * 2);
    const gens = new Uint32Array(n * 2);
    const times = new Float64Array(n * 2);
    for (let i = 0; i < this.#size; i++) {
      const at = (this.#head + i) & (n - 1);
      ids[i] = this.#ids[at]!;
      gens[i] = this.#gens[at]!;
      times[i] = this.#times[at]!;
    }
    this.#ids = ids;
    this.#gens = gens;
    this.#times = times;
    this.#head = 0;
  }
}
