// Facts as rows of store-wide columns (typed arrays growing by doubling, one array of values): a fact
// is a small integer, not a heap object. The distinct values of one key on one endpoint are a chain
// of rows in insertion order, found by a short scan or, past LINEAR_MAX values, by a value → row map.
// The first rows of an endpoint's keys are a chain too (nextKey), so an endpoint needs no Map.
import type { ObservationSource, ObservationValue } from '../../core/observation.js';

/**
 * Values of a chain compared one by one before it gets a map: ~96% of the bench capture's 53 k
 * chains hold ≤ 4 values, and a scan of a few `===` costs less than a Map per key (which every
 * scavenge copied while the engine ran).
 */
const LINEAR_MAX = 8;
const INITIAL_ROWS = 1024;
/** A row's source, by its number in FactColumns.source. */
export const SOURCES: readonly ObservationSource[] = ['passive', 'active'];

/**
 * The columns of the rows as they stand, for a reader that walks many rows (the inventory): plain
 * array reads instead of a method call per field, which is what a cold walk pays most for. Valid
 * while FactRows.generation is unchanged: a row added beyond the arrays replaces them by larger
 * ones. Read only.
 */
export interface FactColumns {
  readonly values: readonly (ObservationValue | undefined)[];
  readonly count: Float64Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  /** Index in SOURCES. */
  readonly source: Uint8Array;
  readonly next: Int32Array;
  readonly key: Int32Array;
  readonly nextKey: Int32Array;
  /** FactRows.generation when these were taken: the arrays are the rows' while it is unchanged. */
  readonly generation: number;
}

export class FactRows {
  #count = new Float64Array(INITIAL_ROWS);
  /** Milliseconds since the Unix epoch, like Observation.ts. */
  #first = new Float64Array(INITIAL_ROWS);
  #last = new Float64Array(INITIAL_ROWS);
  /** How much of `count` the agent has already reported (0 for `analyze`, which reports once). */
  #sent = new Float64Array(INITIAL_ROWS);
  /** Index in SOURCES. */
  #source = new Uint8Array(INITIAL_ROWS);
  /** Next row of the chain (-1: the last); on a free row, the next free row. */
  #next = new Int32Array(INITIAL_ROWS);
  /** On a chain's first row: its last row, its length, its key's number and the next key's first row (-1: none). */
  #tail = new Int32Array(INITIAL_ROWS);
  #length = new Int32Array(INITIAL_ROWS);
  #key = new Int32Array(INITIAL_ROWS);
  #nextKey = new Int32Array(INITIAL_ROWS);
  readonly #values: (ObservationValue | undefined)[] = [];
  /** First row → value → row, for chains longer than LINEAR_MAX. */
  readonly #index = new Map<number, Map<ObservationValue, number>>();
  /** Rows handed out so far (the high-water mark); freed rows are reused first. */
  #used = 0;
  #free = -1;
  #generation = 0;

  /** Counts the times the columns were replaced by larger ones (FactColumns taken before are stale). */
  get generation(): number {
    return this.#generation;
  }

  /** The columns as they stand (see FactColumns: valid while `generation` is unchanged). */
  columns(): FactColumns {
    return {
      generation: this.#generation,
      values: this.#values,
      count: this.#count,
      first: this.#first,
      last: this.#last,
      source: this.#source,
      next: this.#next,
      key: this.#key,
      nextKey: this.#nextKey,
    };
  }

  value(row: number): ObservationValue {
    return this.#values[row]!;
  }
  count(row: number): number {
    return this.#count[row]!;
  }
  first(row: number): number {
    return this.#first[row]!;
  }
  last(row: number): number {
    return this.#last[row]!;
  }
  source(row: number): ObservationSource {
    return SOURCES[this.#source[row]!]!;
  }
  sent(row: number): number {
    return this.#sent[row]!;
  }
  /** The agent reported `count` sightings of this fact. */
  markSent(row: number, count: number): void {
    this.#sent[row] = count;
  }
  /** The row after `row` in its chain, or -1. */
  next(row: number): number {
    return this.#next[row]!;
  }
  /** The key number (the caller's) of the chain that starts at `head`. */
  key(head: number): number {
    return this.#key[head]!;
  }
  /** The first row of the next key's chain after the one that starts at `head`, or -1. */
  nextKey(head: number): number {
    return this.#nextKey[head]!;
  }
  /** The chain of `key` in the key chain that starts at `head`: its first row, or -1. */
  findKey(head: number, key: number): number {
    const keys = this.#key;
    const next = this.#nextKey;
    for (let h = head; h >= 0; h = next[h]!) if (keys[h] === key) return h;
    return -1;
  }
  /** Values in the chain that starts at `head`. */
  length(head: number): number {
    return this.#length[head]!;
  }

  /** Another sighting at `ts`. */
  bump(row: number, ts: number): void {
    this.#count[row]!++;
    // Both stores always run: a store first reached late (the first out-of-order timestamp) sends
    // every function that inlined bump back to V8's compiler.
    const first = this.#first[row]!;
    this.#first[row] = ts < first ? ts : first;
    const last = this.#last[row]!;
    this.#last[row] = ts > last ? ts : last;
  }

  /** The row of `value` in the chain starting at `head`, or -1 (values compare as Map keys do). */
  find(head: number, value: ObservationValue): number {
    if (this.#length[head]! > LINEAR_MAX) return this.#index.get(head)!.get(value) ?? -1;
    const values = this.#values;
    const next = this.#next;
    // biome-ignore lint/suspicious/noSelfCompare: NaN is the one value not equal to itself; Map keys treat it as equal
    const nan = value !== value;
    for (let row = head; row >= 0; row = next[row]!) {
      const v = values[row];
      // biome-ignore lint/suspicious/noSelfCompare: as above
      if (v === value || (nan && v !== v)) return row;
    }
    return -1;
  }

  /**
   * A new chain for key number `key`, of one value seen once at `ts`, linked after the chain that
   * starts at `after` in a key chain (-1: it starts a key chain of its own); returns its first row.
   */
  start(key: number, after: number, value: ObservationValue, ts: number, source: ObservationSource): number {
    const row = this.#take(value, ts, source);
    this.#tail[row] = row;
    this.#length[row] = 1;
    this.#key[row] = key;
    this.#nextKey[row] = -1;
    if (after >= 0) this.#nextKey[after] = row;
    return row;
  }

  /** Adds a value (not in the chain: find() first) at the chain's end; returns its row. */
  append(head: number, value: ObservationValue, ts: number, source: ObservationSource): number {
    const row = this.#take(value, ts, source);
    this.#next[this.#tail[head]!] = row;
    this.#tail[head] = row;
    const length = ++this.#length[head]!;
    if (length > LINEAR_MAX) {
      let index = this.#index.get(head);
      if (index === undefined) {
        index = new Map();
        for (let r = head; r >= 0; r = this.#next[r]!) index.set(this.#values[r]!, r);
        this.#index.set(head, index);
      } else index.set(value, row);
    }
    return row;
  }

  /** Frees every row of every chain of the key chain starting at `head` (values are released). */
  freeKeys(head: number): void {
    for (let h = head; h >= 0; ) {
      const next = this.#nextKey[h]!;
      this.#freeChain(h);
      h = next;
    }
  }

  #freeChain(head: number): void {
    this.#index.delete(head);
    let row = head;
    while (row >= 0) {
      const next = this.#next[row]!;
      this.#values[row] = undefined;
      this.#next[row] = this.#free;
      this.#free = row;
      row = next;
    }
  }

  #take(value: ObservationValue, ts: number, source: ObservationSource): number {
    let row = this.#free;
    if (row >= 0) this.#free = this.#next[row]!;
    else {
      row = this.#used++;
      if (row === this.#count.length) this.#grow();
    }
    this.#values[row] = value;
    this.#count[row] = 1;
    this.#first[row] = ts;
    this.#last[row] = ts;
    this.#sent[row] = 0;
    this.#source[row] = source === 'passive' ? 0 : 1;
    this.#next[row] = -1;
    return row;
  }

  #grow(): void {
    this.#generation++;
    const size = this.#count.length * 2;
    this.#count = grown(this.#count, new Float64Array(size));
    this.#first = grown(this.#first, new Float64Array(size));
    this.#last = grown(this.#last, new Float64Array(size));
    this.#sent = grown(this.#sent, new Float64Array(size));
    this.#source = grown(this.#source, new Uint8Array(size));
    this.#next = grown(this.#next, new Int32Array(size));
    this.#tail = grown(this.#tail, new Int32Array(size));
    this.#length = grown(this.#length, new Int32Array(size));
    this.#key = grown(this.#key, new Int32Array(size));
    this.#nextKey = grown(this.#nextKey, new Int32Array(size));
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
