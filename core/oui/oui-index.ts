// A compact index over the IEEE registry as the oui-data package ships it (one flat JSON object:
// hex prefix → "Organisation\naddress…\nCountry"). JSON.parse of the 5.6 MB file costs 70-120 ms
// and ~25 MB of strings on our 2-core box; this index instead records where each value sits in
// the raw bytes (sorted typed arrays per prefix length, no strings made) and decodes an entry only
// when a lookup needs it.

/** Prefix lengths in hex digits, longest first: MA-S (36 bits), MA-M (28), MA-L (24). */
export const PREFIX_DIGITS = [9, 7, 6] as const;
export type PrefixDigits = (typeof PREFIX_DIGITS)[number];

export class OuiDataError extends Error {
  override readonly name = 'OuiDataError';
}

const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function fail(at: number, what: string): never {
  throw new OuiDataError(`IEEE registry data: ${what} at byte ${at}`);
}

export interface IndexStats {
  entries: number;
  /** Keys that are not 6, 7 or 9 hex digits: skipped and counted, never fatal. */
  skippedKeys: number;
  /** Keys seen twice: the first value is kept. */
  duplicateKeys: number;
}

/** One prefix length: keys sorted ascending and, at the same position, the value's byte range. */
class Table {
  keys: Float64Array;
  starts: Uint32Array;
  ends: Uint32Array;
  length = 0;
  /** True while keys arrive in ascending order (the package ships each length sorted). */
  ordered = true;
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
  }
  push(key: number, start: number, end: number): void {
    const n = this.length++;
    if (n > 0 && key <= this.keys[n - 1]!) this.ordered = false;
    this.keys[n] = key;
    this.starts[n] = start;
    this.ends[n] = end;
  }
  /** Trims to size; sorts (stable, first duplicate kept) only when the input was not ordered. */
  finish(stats: IndexStats): void {
    let order: number[] | null = null;
    if (!this.ordered) {
      order = Array.from({ length: this.length }, (_, i) => i);
      order.sort((a, b) => this.keys[a]! - this.keys[b]! || a - b);
    }
    const keys = new Float64Array(this.length);
    const starts = new Uint32Array(this.length);
    const ends = new Uint32Array(this.length);
    let m = 0;
    for (let x = 0; x < this.length; x++) {
      const i = order ? order[x]! : x;
      if (m > 0 && keys[m - 1] === this.keys[i]) {
        stats.duplicateKeys++;
        continue;
      }
      keys[m] = this.keys[i]!;
      starts[m] = this.starts[i]!;
      ends[m] = this.ends[i]!;
      m++;
    }
    this.keys = keys.subarray(0, m);
    this.starts = starts.subarray(0, m);
    this.ends = ends.subarray(0, m);
    this.length = m;
  }
}

/**
 * Entry keys: a quote that starts a string (a quote inside a JSON string is always escaped, so
 * `"` + hex + `"` + `:` can only be a key), then the value's opening quote.
 */
const KEY = /"(?:([0-9A-Fa-f]{6,9})|[^"\\]{0,64})"[ \t\r\n]*:[ \t\r\n]*"/y;

/**
 * One pass over the flat JSON object of string → string, on the bytes viewed as a latin1 string
 * (offsets stay byte offsets). A global regex finds the keys: irregexp runs native code, measured
 * 14 ms against 50-65 ms for a hand-written charCodeAt state machine on the same loaded box, and
 * String#indexOf finds each value's closing quote. Keys that are not 6, 7 or 9 hex digits (or
 * longer than 64 characters, or with escapes) stop the scan as malformed or are counted.
 */
function scan(s: string, stats: IndexStats): Map<PrefixDigits, Table> {
  // Each entry has four quotes: an upper bound on the entries, so the columns never grow.
  let quotes = 0;
  for (let j = s.indexOf('"'); j >= 0; j = s.indexOf('"', j + 1)) quotes++;
  const capacity = (quotes >>> 2) + 1;
  const tables = new Map<PrefixDigits, Table>(PREFIX_DIGITS.map((d) => [d, new Table(capacity)]));
  const t9 = tables.get(9)!;
  const t7 = tables.get(7)!;
  const t6 = tables.get(6)!;
  const skipSpace = (i: number): number => {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    return i;
  };
  let at = skipSpace(0);
  if (s.charCodeAt(at) !== OPEN) fail(at, "expected '{'");
  at = skipSpace(at + 1);
  if (s.charCodeAt(at) === CLOSE) return finish(tables, stats, s, at);
  for (;;) {
    // Sticky: the key must start exactly here, so the whole object is checked, not just searched.
    KEY.lastIndex = at;
    const m = KEY.exec(s);
    if (m === null) fail(at, 'expected "key": "value"');
    const start = KEY.lastIndex;
    let end = s.indexOf('"', start);
    for (;;) {
      if (end < 0) fail(start, 'unterminated string');
      let slashes = 0;
      while (s.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
      if ((slashes & 1) === 0) break;
      end = s.indexOf('"', end + 1);
    }
    // Group 1 is set only for a key of 6 to 9 hex digits.
    const hex = m[1] ?? '';
    const table = hex.length === 6 ? t6 : hex.length === 7 ? t7 : hex.length === 9 ? t9 : null;
    if (table) {
      table.push(Number.parseInt(hex, 16), start, end);
      stats.entries++;
    } else stats.skippedKeys++;
    at = skipSpace(end + 1);
    if (s.charCodeAt(at) === CLOSE) return finish(tables, stats, s, at);
    if (s.charCodeAt(at) !== COMMA) fail(at, "expected ',' or '}'");
    at = skipSpace(at + 1);
  }
}

function finish(
  tables: Map<PrefixDigits, Table>,
  stats: IndexStats,
  s: string,
  close: number,
): Map<PrefixDigits, Table> {
  for (let i = close + 1; i < s.length; i++) if (!isSpace(s.charCodeAt(i))) fail(i, 'text after the object');
  for (const t of tables.values()) t.finish(stats);
  return tables;
}

/** Entry handle: prefix length and position in that length's table. */
export type EntryRef = number;

/** Prefix → byte range of its JSON string value, one sorted table per prefix length. */
export class OuiIndex {
  readonly #bytes: Buffer;
  readonly #tables: Map<PrefixDigits, Table>;
  readonly stats: IndexStats = { entries: 0, skippedKeys: 0, duplicateKeys: 0 };

  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#tables = scan(this.#bytes.toString('latin1'), this.stats);
  }

  /** Handle of the entry for a prefix of `digits` hex digits (given as a number), or -1. */
  find(digits: PrefixDigits, prefix: number): EntryRef {
    const keys = this.#tables.get(digits)!.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k === prefix) return mid * 16 + digits;
      if (k < prefix) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The decoded registry text of an entry: "Organisation\naddress…\nCountry". */
  text(ref: EntryRef): string {
    const t = this.#tables.get((ref % 16) as PrefixDigits)!;
    const at = Math.floor(ref / 16);
    const start = t.starts[at]!;
    const raw = this.#bytes.toString('utf8', start, t.ends[at]!);
    // Only entries with escapes (\n, \", \uXXXX) need a JSON decode; the slice is one string body.
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return fail(start, 'malformed string escape');
    }
  }

  /** Every prefix of one length, as upper-case hex, with its entry handle (tests, tools). */
  *entries(digits: PrefixDigits): IterableIterator<[string, EntryRef]> {
    const keys = this.#tables.get(digits)!.keys;
    for (let i = 0; i < keys.length; i++) {
      yield [keys[i]!.toString(16).toUpperCase().padStart(digits, '0'), i * 16 + digits];
    }
  }
}
