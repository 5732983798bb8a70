// A device's facts: its endpoints' fact rows merged by key (a key seen on one endpoint is read in
// place), and read back in the inventory's order (by key, then value) for the observation list
// and for identification.
import type { ObservationSource, ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import type { Endpoint, EvidenceStore } from './evidence-store.js';
import type { FactRows } from './fact-rows.js';

/** A fact merged from several endpoints' rows. */
interface MergedFact {
  count: number;
  first: number;
  last: number;
  source: ObservationSource;
}
/** One key of a device: the first row of one endpoint's values, or values merged from several. */
export type KeyFacts = number | Map<ObservationValue, MergedFact>;
export type FactMap = ReadonlyMap<ObservationKey, KeyFacts>;

/** Makes one item of a device's ordered facts (a module-level function: no closure per device). */
export type FactMaker<T> = (
  key: ObservationKey,
  value: ObservationValue,
  source: ObservationSource,
  count: number,
  first: number,
  last: number,
) => T;

/** The facts of a device's endpoints by key; a key seen on one endpoint only is read in place. */
export function mergedFacts(store: EvidenceStore, eps: readonly Endpoint[]): FactMap {
  const rows = store.rows;
  const out = new Map<ObservationKey, KeyFacts>();
  for (const ep of eps) {
    for (let head = ep.firstKey; head >= 0; head = rows.nextKey(head)) {
      const k = store.keyOf(head);
      const into = out.get(k);
      if (into === undefined) {
        out.set(k, head);
        continue;
      }
      // The key is on two endpoints: merge the values in order of first sight.
      let merged: Map<ObservationValue, MergedFact>;
      if (typeof into === 'number') {
        merged = new Map();
        addRows(rows, merged, into);
        out.set(k, merged);
      } else merged = into;
      addRows(rows, merged, head);
    }
  }
  return out;
}

/**
 * A device's facts sorted by key, then value (numbers numerically, text by code unit), each made by
 * `make`; with `keys`, only the facts of those keys (the order of the others is the same).
 */
export function orderedFacts<T>(
  rows: FactRows,
  facts: FactMap,
  keys: ReadonlySet<ObservationKey> | null,
  make: FactMaker<T>,
): T[] {
  const out: T[] = [];
  const names: ObservationKey[] = [];
  for (const key of facts.keys()) if (keys === null || keys.has(key)) names.push(key);
  if (names.length > 1) names.sort();
  for (const key of names) {
    const of = facts.get(key)!;
    if (typeof of !== 'number') {
      const values = Array.from(of.keys());
      values.sort(comparatorFor(values));
      for (const value of values) {
        const f = of.get(value)!;
        out.push(make(key, value, f.source, f.count, f.first, f.last));
      }
      continue;
    }
    // Most keys hold one value: no array of rows to sort.
    if (rows.next(of) < 0) {
      out.push(make(key, rows.value(of), rows.source(of), rows.count(of), rows.first(of), rows.last(of)));
      continue;
    }
    const values: ObservationValue[] = [];
    const order: number[] = [];
    for (let r = of; r >= 0; r = rows.next(r)) {
      values.push(rows.value(r));
      order.push(r);
    }
    // The rows in the order of their values (the sort is stable, as the sort of the values was).
    const compare = comparatorFor(values);
    order.sort((a, b) => compare(rows.value(a), rows.value(b)));
    for (const r of order)
      out.push(make(key, rows.value(r), rows.source(r), rows.count(r), rows.first(r), rows.last(r)));
  }
  return out;
}

/** The values of one key of a device, in the order they were first seen. */
export function valuesOf(rows: FactRows, of: KeyFacts): ObservationValue[] {
  if (typeof of !== 'number') return Array.from(of.keys());
  const out: ObservationValue[] = [];
  for (let r = of; r >= 0; r = rows.next(r)) out.push(rows.value(r));
  return out;
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
