// A device's facts: its endpoints' fact rows by key (a key seen on one endpoint is read in place,
// one on several merged), and read back in the inventory's order (by key, then value) for the
// observation list and for identification.
import type { ObservationSource, ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import type { Endpoint, EvidenceStore } from './evidence-store.js';
import { type FactColumns, type FactRows, SOURCES } from './fact-rows.js';

/** A fact merged from several endpoints' rows. */
interface MergedFact {
  count: number;
  first: number;
  last: number;
  source: ObservationSource;
}
/** One key of a device: the first row of one endpoint's values, or values merged from several. */
export type KeyFacts = number | Map<ObservationValue, MergedFact>;

/** Makes one item of a device's ordered facts (a module-level function: no closure per device). */
export type FactMaker<T> = (
  key: ObservationKey,
  value: ObservationValue,
  source: ObservationSource,
  count: number,
  first: number,
  last: number,
) => T;

/** In DeviceFacts' heads: the key's values are merged from several endpoints. */
const MERGED = -2;

/**
 * The facts of one device's endpoints by key number (the store's: rows.key), one device at a time.
 * Arrays indexed by key number, not a Map per device: a device's ~13 keys cost two stores each, and
 * nothing is allocated unless a key is on two of its endpoints (its values then merged into a map,
 * in order of first sight). Loading the next device needs no clearing: a key's entry counts only
 * when it was written for the device loaded (its `loadedFor` is the load's number). Rows are read
 * from the store's columns (FactColumns): the store takes no rows while an inventory is built.
 */
export class DeviceFacts {
  readonly rows: FactRows;
  /** The rows' columns, taken again by load() when rows were added beyond them. */
  cols: FactColumns;
  /** The store's key names by number (the store's own list: keys it records later are in it). */
  readonly names: readonly ObservationKey[];
  /** Key number → the first row of its values on the device (MERGED: in #merged). */
  head: Int32Array;
  /** Key number → the number of the load that wrote its head (0: none yet). */
  loadedFor: Int32Array;
  /** The number of the device loaded (1, 2, …). */
  loaded = 0;
  readonly #merged = new Map<number, Map<ObservationValue, MergedFact>>();

  constructor(store: EvidenceStore) {
    this.rows = store.rows;
    this.cols = store.rows.columns();
    this.names = store.keys;
    this.head = new Int32Array(store.keys.length);
    this.loadedFor = new Int32Array(store.keys.length);
  }

  /** Makes these the facts of the device of `eps` (a key seen on one endpoint only is read in place). */
  load(eps: readonly Endpoint[]): void {
    // The store takes no rows while an inventory is built; were it to, stale columns would drop
    // facts without a word, so they are checked (one comparison a device).
    if (this.cols.generation !== this.rows.generation || this.head.length < this.names.length)
      this.#refresh();
    const { key, nextKey } = this.cols;
    const head = this.head;
    const loadedFor = this.loadedFor;
    const load = ++this.loaded;
    if (this.#merged.size > 0) this.#merged.clear();
    for (let e = 0; e < eps.length; e++) {
      for (let h = eps[e]!.firstKey; h >= 0; h = nextKey[h]!) {
        const k = key[h]!;
        if (loadedFor[k] !== load) {
          loadedFor[k] = load;
          head[k] = h;
        } else this.#merge(k, head[k]!, h);
      }
    }
  }

  /** The values of key number `k` (a number of the store's keys), or undefined when the device has none. */
  get(k: number): KeyFacts | undefined {
    if (this.loadedFor[k] !== this.loaded) return undefined;
    const h = this.head[k]!;
    return h === MERGED ? this.#merged.get(k)! : h;
  }

  /** Appends the values of key number `k` (in order of first sight) to `into`. */
  values(k: number, into: ObservationValue[]): void {
    if (this.loadedFor[k] !== this.loaded) return;
    const h = this.head[k]!;
    if (h === MERGED) {
      for (const v of this.#merged.get(k)!.keys()) into.push(v);
      return;
    }
    const { values, next } = this.cols;
    for (let r = h; r >= 0; r = next[r]!) into.push(values[r]!);
  }

  /** Appends the values of key number `k` as text (in order of first sight) to `into`. */
  texts(k: number, into: string[]): void {
    if (this.loadedFor[k] !== this.loaded) return;
    const h = this.head[k]!;
    if (h === MERGED) {
      for (const v of this.#merged.get(k)!.keys()) into.push(String(v));
      return;
    }
    const { values, next } = this.cols;
    for (let r = h; r >= 0; r = next[r]!) into.push(String(values[r]!));
  }

  /** Columns and per-key arrays for rows and keys the store took after these were made. */
  #refresh(): void {
    this.cols = this.rows.columns();
    if (this.head.length < this.names.length) {
      const head = new Int32Array(this.names.length);
      head.set(this.head);
      this.head = head;
      const loadedFor = new Int32Array(this.names.length);
      loadedFor.set(this.loadedFor);
      this.loadedFor = loadedFor;
    }
  }

  /** The key is on two endpoints: its values merged in order of first sight. */
  #merge(k: number, have: number, head: number): void {
    let merged = this.#merged.get(k);
    if (have !== MERGED) {
      merged = new Map();
      addRows(this.rows, merged, have);
      this.#merged.set(k, merged);
      this.head[k] = MERGED;
    }
    addRows(this.rows, merged!, head);
  }
}

/** The numbers of the store's keys in code-unit order of their names, those `keep` refuses left out. */
export function keyOrder(store: EvidenceStore, keep: ReadonlySet<ObservationKey> | null): number[] {
  const names = store.keys;
  const order: number[] = [];
  for (let k = 0; k < names.length; k++) if (keep === null || keep.has(names[k]!)) order.push(k);
  return order.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
}

/** The store's number of each key of `keys` it has (keys it has never recorded are left out). */
export function keyNumbers(store: EvidenceStore, keys: readonly ObservationKey[]): number[] {
  const out: number[] = [];
  for (const key of keys) {
    const k = store.keyNumber(key);
    if (k >= 0) out.push(k);
  }
  return out;
}

/**
 * A device's facts sorted by key, then value (numbers numerically, text by code unit), each made by
 * `make`: the keys of `order` (from keyOrder: key numbers in the order of their names, made once
 * per inventory, so a device's keys need no sort), the others left out.
 */
export function orderedFacts<T>(facts: DeviceFacts, order: readonly number[], make: FactMaker<T>): T[] {
  const { values, next, count, first, last, source } = facts.cols;
  const { head, loadedFor, loaded } = facts;
  const out: T[] = [];
  // Indexed loops: this runs before it is optimised, where for-of allocates an iterator result per step.
  for (let i = 0; i < order.length; i++) {
    const k = order[i]!;
    if (loadedFor[k] !== loaded) continue;
    const h = head[k]!;
    const key = facts.names[k]!;
    if (h === MERGED) {
      mergedFacts(key, facts.get(k) as Map<ObservationValue, MergedFact>, make, out);
      continue;
    }
    // Most keys hold one value: nothing to sort.
    if (next[h]! < 0) {
      out.push(make(key, values[h]!, SOURCES[source[h]!]!, count[h]!, first[h]!, last[h]!));
      continue;
    }
    const rows = rowsByValue(facts.cols, h);
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j]!;
      out.push(make(key, values[r]!, SOURCES[source[r]!]!, count[r]!, first[r]!, last[r]!));
    }
  }
  return out;
}

/** The facts of a key merged from several endpoints, in the order of their values. */
function mergedFacts<T>(
  key: ObservationKey,
  of: Map<ObservationValue, MergedFact>,
  make: FactMaker<T>,
  out: T[],
): void {
  const values = Array.from(of.keys());
  sortSmall(values, comparatorFor(values));
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const f = of.get(value)!;
    out.push(make(key, value, f.source, f.count, f.first, f.last));
  }
}

/**
 * The rows of the chain from `head` in the order of their values: stable, and by the comparisons
 * sortSmall makes (an insertion sort moving each row with its value, no function per chain).
 */
function rowsByValue(cols: FactColumns, head: number): number[] {
  const vals: ObservationValue[] = [];
  const rows: number[] = [];
  for (let r = head; r >= 0; r = cols.next[r]!) {
    vals.push(cols.values[r]!);
    rows.push(r);
  }
  const compare = comparatorFor(vals);
  if (vals.length > SMALL_SORT) return rows.sort((a, b) => compare(cols.values[a]!, cols.values[b]!));
  for (let i = 1; i < vals.length; i++) {
    const v = vals[i]!;
    const r = rows[i]!;
    let j = i - 1;
    while (j >= 0 && compare(vals[j]!, v) > 0) {
      vals[j + 1] = vals[j]!;
      rows[j + 1] = rows[j]!;
      j--;
    }
    vals[j + 1] = v;
    rows[j + 1] = r;
  }
  return rows;
}

/** Longest list sorted by insertion here: a sort call allocates its state (~2 KB a device in all). */
const SMALL_SORT = 16;

/** Sorts in place, stable like Array.prototype.sort (so in the same order): by insertion when short. */
export function sortSmall<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  if (list.length > SMALL_SORT) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= 0 && compare(list[j]!, x) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
  return list;
}

function addRows(rows: FactRows, into: Map<ObservationValue, MergedFact>, head: number): void {
  for (let r = head; r >= 0; r = rows.next(r)) {
    const v = rows.value(r);
    const have = into.get(v);
    if (!have)
      into.set(v, { count: rows.count(r), first: rows.first(r), last: rows.last(r), source: rows.source(r) });
    else {
      have.count += rows.count(r);
      if (rows.first(r) < have.first) have.first = rows.first(r);
      if (rows.last(r) > have.last) have.last = rows.last(r);
    }
  }
}

function compareValues(a: ObservationValue, b: ObservationValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

type Compare = (a: ObservationValue, b: ObservationValue) => number;
const compareNumbers: Compare = (a, b) => (a as number) - (b as number);
const compareTexts: Compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * compareValues narrowed to what the values are: the same order (it agrees with compareValues on
 * all-number and all-text lists), without a type test and two String() calls per comparison
 * (~21 ms of the bench inventory's 33,520 multi-value facts).
 */
function comparatorFor(values: readonly ObservationValue[]): Compare {
  const kind = typeof values[0];
  for (let i = 1; i < values.length; i++) if (typeof values[i] !== kind) return compareValues;
  return kind === 'number' ? compareNumbers : compareTexts;
}
