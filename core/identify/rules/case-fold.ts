// Case-insensitive matching as ECMAScript defines it without the u flag, as sets of code units: two
// characters match alike under 'i' when Canonicalize maps them to the same code unit (ECMA-262
// §22.2.2.7.3, rer.[[IgnoreCase]] true, rer.[[Unicode]] false), computed from toUpperCase as the
// spec does, once, on first use.

/** A sorted list of disjoint, non-adjacent inclusive code-unit ranges. */
export type Ranges = [lo: number, hi: number][];

/** §22.2.2.7.3 Canonicalize(rer, ch), ignoreCase without unicode. */
export function canonicalize(ch: number): number {
  const upper = String.fromCharCode(ch).toUpperCase();
  // A character whose upper case is more than one code unit ('ß' → 'SS') stays itself.
  if (upper.length !== 1) return ch;
  const cu = upper.charCodeAt(0);
  // Non-ASCII never folds into ASCII: 'ſ' (U+017F) upper-cases to 'S' but does not match 's'.
  if (ch >= 128 && cu < 128) return ch;
  return cu;
}

interface FoldTable {
  /** Code units whose class has more than one member, ascending. */
  folding: Uint16Array;
  /** The members of each such class, keyed by every member. */
  classes: Map<number, readonly number[]>;
}

let table: FoldTable | undefined;

function foldTable(): FoldTable {
  if (table) return table;
  // Only a code unit whose upper case is another one can share a class: one with itself as upper
  // case is its own canonical form, alone unless another maps to it. A block of 256 whose text
  // upper-cases to itself holds none of the first kind (toUpperCase has no context rules), so only
  // the 21 blocks that change are read one code unit at a time: ~9 ms instead of ~40.
  const byCanon = new Map<number, number[]>();
  for (let lo = 0; lo <= 0xffff; lo += 0x100) {
    const block = String.fromCharCode(...Array.from({ length: 0x100 }, (_, k) => lo + k));
    if (block.toUpperCase() === block) continue;
    for (let ch = lo; ch < lo + 0x100; ch++) {
      const canon = canonicalize(ch);
      if (canon === ch) continue;
      const members = byCanon.get(canon);
      if (members) members.push(ch);
      else byCanon.set(canon, [ch]);
    }
  }
  const classes = new Map<number, readonly number[]>();
  for (const [canon, others] of byCanon) {
    const members = [canon, ...others].sort((a, b) => a - b);
    for (const m of members) classes.set(m, members);
  }
  const folding = Uint16Array.from([...classes.keys()].sort((a, b) => a - b));
  table = { folding, classes };
  return table;
}

/** Every code unit that matches `ch` under 'i' (ch itself included), ascending. */
export function caseClass(ch: number): readonly number[] {
  return foldTable().classes.get(ch) ?? [ch];
}

/** Sorts and merges ranges into disjoint, non-adjacent ones. */
export function normalize(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/**
 * The smallest set holding `ranges` and everything that matches one of its members under 'i': a
 * case-sensitive class of it matches what the ranges match case-insensitively (negated or not,
 * since the result is a union of whole classes).
 */
export function caseClosure(ranges: Ranges): Ranges {
  const { folding, classes } = foldTable();
  const out: Ranges = ranges.map(([lo, hi]) => [lo, hi]);
  for (const [lo, hi] of ranges) {
    // Only the ~2,800 code units with a case partner can add anything.
    let k = lowerBound(folding, lo);
    for (; k < folding.length && folding[k]! <= hi; k++) {
      for (const m of classes.get(folding[k]!)!) if (m < lo || m > hi) out.push([m, m]);
    }
  }
  return normalize(out);
}

function lowerBound(a: Uint16Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
