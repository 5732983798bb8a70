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

/** The store's keys in code-unit order, those `keep` refuses left out: an `order` for orderedFacts. */
export function keyOrder(store: EvidenceStore, keep: ReadonlySet<ObservationKey> | null): ObservationKey[] {
  const keys = keep === null ? store.keys.slice() : store.keys.filter((k) => keep.has(k));
  return keys.sort();
}

/**
 * A device's facts sorted by key, then value (numbers numerically, text by code unit), each made by
 * `make`: the keys of `order` (from keyOrder: the keys in their order, made once per inventory, so a
 * device's keys need no sort), the others left out.
 */
export function orderedFacts<T>(
  rows: FactRows,
  facts: FactMap,
  order: readonly ObservationKey[],
  make: FactMaker<T>,
): T[] {
  const out: T[] = [];
  // Indexed loops: this runs before it is optimised, where for-of allocates an iterator result per step.
  for (let k = 0; k < order.length; k++) {
    const key = order[k]!;
    const of = facts.get(key);
    if (of === undefined) continue;
    if (typeof of !== 'number') {
      const values = Array.from(of.keys());
      sortSmall(values, comparatorFor(values));
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
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
    const byValue: number[] = [];
    for (let r = of; r >= 0; r = rows.next(r)) {
      values.push(rows.value(r));
      byValue.push(r);
    }
    // The rows in the order of their values (both sorts are stable, as the sort of the values was).
    const compare = comparatorFor(values);
    sortSmall(byValue, (a, b) => compare(rows.value(a), rows.value(b)));
    for (let i = 0; i < byValue.length; i++) {
      const r = byValue[i]!;
      out.push(make(key, rows.value(r), rows.source(r), rows.count(r), rows.first(r), rows.last(r)));
    }
  }
  return out;
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
