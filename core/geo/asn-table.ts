// IP range → AS number and organisation, from the @ip-location-db/asn CSV files
// ("start,end,asn,org", inclusive ranges; asn-ipv4-num.csv with decimal addresses, asn-ipv6.csv
// with RFC 4291 text; RouteViews, RIR and DB-IP data, CC BY 4.0). Parsed straight from the bytes
// into sorted typed arrays (one 32-bit word per IPv4 address, four per IPv6 address) so a lookup
// is a binary search and no per-row string is made; an AS name is decoded once per AS.
import { AsnOrgNames } from './asn-org-names.js';

export interface AsnFacts {
  asn: number;
  org: string | null;
}

export interface TableStats {
  ranges: number;
  /** Rows that did not parse (bad numbers, reversed ranges, missing fields): skipped, counted. */
  skippedRows: number;
  /** Ranges overlapping the previous one: the earlier range wins where they overlap. */
  overlaps: number;
}

/** Longest AS name kept, bytes. */
const MAX_ORG_BYTES = 200;
const QUOTE = 0x22;
const COMMA = 0x2c;
const NL = 0x0a;
const CR = 0x0d;
const TWO32 = 4294967296;

/** A table of inclusive ranges whose bounds are `width` 32-bit words, most significant first. */
export class AsnTable {
  readonly width: 1 | 4;
  #starts: Uint32Array;
  #ends: Uint32Array;
  #asns: Uint32Array;
  readonly #orgs = new Map<number, string>();
  /** The binary form's names, decoded on demand (the CSV path fills #orgs instead). */
  #orgNames: AsnOrgNames | null = null;
  readonly stats: TableStats = { ranges: 0, skippedRows: 0, overlaps: 0 };

  /**
   * The table in a compact binary form (written at build time, read without parsing): a JSON
   * header line {format, width, ranges, orgs, orgBytes}, padding to 4 bytes, then starts, ends and
   * asns, the named ASes ascending and the end offset of each name (little-endian 32-bit words),
   * then the names as one UTF-8 blob (see AsnOrgNames).
   */
  toBinary(): Buffer {
    const names = AsnOrgNames.encode(this.#orgs);
    const header = Buffer.from(
      `${JSON.stringify({ format: 2, width: this.width, ranges: this.#asns.length, orgs: names.asns.length, orgBytes: names.blob.length })}\n`,
    );
    const pad = (4 - (header.length % 4)) % 4;
    const words = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    return Buffer.concat([
      header,
      Buffer.alloc(pad, 0x20),
      words(this.#starts),
      words(this.#ends),
      words(this.#asns),
      words(names.asns),
      words(names.ends),
      names.blob,
    ]);
  }

  /** Reads toBinary()'s output; null when it is not one (a stale or damaged cache: parse the CSV). */
  static fromBinary(bin: Uint8Array): AsnTable | null {
    const nl = bin.indexOf(NL);
    if (nl < 0 || nl > 64 * 1024 * 1024) return null;
    let head: { format: number; width: 1 | 4; ranges: number; orgs: number; orgBytes: number };
    try {
      head = JSON.parse(Buffer.from(bin.subarray(0, nl)).toString('utf8'));
    } catch {
      return null;
    }
    const { width, ranges, orgs, orgBytes } = head;
    const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
    if (
      head.format !== 2 ||
      (width !== 1 && width !== 4) ||
      !count(ranges) ||
      !count(orgs) ||
      !count(orgBytes)
    )
      return null;
    const at = (nl + 1 + 3) & ~3;
    const namesAt = at + ranges * (2 * width + 1) * 4;
    const blobAt = namesAt + orgs * 8;
    if (bin.length !== blobAt + orgBytes || (bin.byteOffset + at) % 4 !== 0) return null;
    const words = (from: number, n: number) => new Uint32Array(bin.buffer, bin.byteOffset + from, n);
    const orgAsns = words(namesAt, orgs);
    const orgEnds = words(namesAt + orgs * 4, orgs);
    if (!AsnOrgNames.valid(orgAsns, orgEnds, orgBytes)) return null;
    const table = new AsnTable(
      {
        starts: words(at, ranges * width),
        ends: words(at + ranges * width * 4, ranges * width),
        asns: words(at + ranges * width * 8, ranges),
        orgs: [],
      },
      width,
    );
    table.#orgNames = new AsnOrgNames(orgAsns, orgEnds, bin.subarray(blobAt));
    return table;
  }

  /**
   * From the CSV bytes: `width` 1 for the IPv4 "-num" file (decimal addresses), 4 for the IPv6 text
   * file. (Or from the arrays of an already built table: see fromBinary.)
   */
  constructor(source: Uint8Array | Built, width: 1 | 4) {
    this.width = width;
    if (!(source instanceof Uint8Array)) {
      this.#starts = source.starts;
      this.#ends = source.ends;
      this.#asns = source.asns;
      for (const [asn, org] of source.orgs) this.#orgs.set(asn, org);
      this.stats.ranges = source.asns.length;
      return;
    }
    const csv = source;
    const parsed = parse(csv, width, this.#orgs, this.stats);
    const { n } = parsed;
    const order = sortedOrder(n, (i, j) => cmp(parsed.starts, i * width, parsed.starts, j * width, width));
    // Compacted in place: row x moves to m <= x, so reading ahead of writing is safe when the
    // rows were already in order (the common case: no copy at all).
    const starts = order ? new Uint32Array(n * width) : parsed.starts;
    const ends = order ? new Uint32Array(n * width) : parsed.ends;
    const asns = order ? new Uint32Array(n) : parsed.asns;
    let m = 0;
    for (let x = 0; x < n; x++) {
      const i = order ? order[x]! : x;
      if (m > 0 && cmp(parsed.starts, i * width, ends, (m - 1) * width, width) <= 0) {
        this.stats.overlaps++;
        continue;
      }
      for (let k = 0; k < width; k++) {
        starts[m * width + k] = parsed.starts[i * width + k]!;
        ends[m * width + k] = parsed.ends[i * width + k]!;
      }
      asns[m] = parsed.asns[i]!;
      m++;
    }
    this.#starts = starts.subarray(0, m * width);
    this.#ends = ends.subarray(0, m * width);
    this.#asns = asns.subarray(0, m);
    this.stats.ranges = m;
  }

  /** The AS name the data gives for an AS number, if the AS announces any range in this table. */
  asName(asn: number): string | undefined {
    return this.#orgNames ? this.#orgNames.get(asn) : this.#orgs.get(asn);
  }

  /** `value`: the address as `width` words (IPv4: one word; IPv6: four, most significant first). */
  lookup(value: Uint32Array): AsnFacts | null {
    const w = this.width;
    let lo = 0;
    let hi = this.#asns.length - 1;
    // The last range that starts at or before the value.
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(this.#starts, mid * w, value, 0, w) <= 0) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || cmp(this.#ends, hi * w, value, 0, w) < 0) return null;
    const asn = this.#asns[hi]!;
    return { asn, org: this.asName(asn) || null };
  }
}

function cmp(x: Uint32Array, a: number, y: Uint32Array, b: number, w: number): number {
  for (let k = 0; k < w; k++) {
    const d = x[a + k]! - y[b + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Null when rows are already in order (the packaged files are), else the sorted permutation. */
function sortedOrder(n: number, compare: (i: number, j: number) => number): number[] | null {
  for (let i = 1; i < n; i++) {
    if (compare(i - 1, i) > 0) {
      return Array.from({ length: n }, (_, k) => k).sort((a, b) => compare(a, b) || a - b);
    }
  }
  return null;
}

interface Built {
  starts: Uint32Array;
  ends: Uint32Array;
  asns: Uint32Array;
  orgs: [number, string][];
}

interface Parsed {
  n: number;
  starts: Uint32Array<ArrayBuffer>;
  ends: Uint32Array<ArrayBuffer>;
  asns: Uint32Array<ArrayBuffer>;
}

function grow(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const g = new Uint32Array(a.length * 2);
  g.set(a);
  return g;
}

const groups = new Uint16Array(8);

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * IPv6 text (RFC 4291 §2.2 forms 1 and 2: hex groups with at most one "::"; the dotted IPv4 tail
 * form is not used by the data and is rejected) into four 32-bit words, without allocating.
 */
export function readIpv6Text(b: Uint8Array, from: number, to: number, out: Uint32Array, at: number): boolean {
  if (to <= from || to - from > 39) return false;
  groups.fill(0);
  let count = 0;
  let gap = -1; // index in `groups` where "::" stands
  let i = from;
  if (b[i] === 0x3a) {
    if (b[i + 1] !== 0x3a) return false;
    gap = 0;
    i += 2;
  }
  while (i < to) {
    let v = 0;
    let digits = 0;
    for (; i < to && b[i] !== 0x3a; i++) {
      const h = hexValue(b[i]!);
      if (h < 0 || ++digits > 4) return false;
      v = (v << 4) | h;
    }
    if (digits === 0 || count === 8) return false;
    groups[count++] = v;
    if (i < to) {
      i++; // ':'
      if (b[i] === 0x3a) {
        if (gap >= 0) return false;
        gap = count;
        i++;
      } else if (i === to) return false; // trailing single ':'
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  if (gap >= 0) {
    const tail = count - gap;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k]!;
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  }
  for (let k = 0; k < 4; k++) out[at + k] = ((groups[2 * k]! << 16) | groups[2 * k + 1]!) >>> 0;
  return true;
}

/**
 * Reads a decimal number below 2^32 that ends at a comma, starting at `i`; returns the index of
 * the comma, or -1. Digits and the delimiter are checked in the same pass.
 */
function decimalField(b: Uint8Array, i: number, out: Uint32Array, at: number): number {
  let v = 0;
  const first = i;
  for (let c = b[i]!; c >= 0x30 && c <= 0x39; c = b[++i]!) v = v * 10 + (c - 0x30);
  if (i === first || i - first > 10 || v >= TWO32 || b[i] !== COMMA) return -1;
  out[at] = v;
  return i;
}

/** The index of the next comma at or after `i` within 48 bytes (an IPv6 text field), or -1. */
function commaWithin(b: Uint8Array, i: number): number {
  for (const end = Math.min(b.length, i + 48); i < end; i++) {
    const c = b[i]!;
    if (c === COMMA) return i;
    if (c === NL) return -1;
  }
  return -1;
}

/**
 * One pass over the bytes: the three leading fields are read where they stand, the rest of the
 * line is skipped with Buffer#indexOf (native memchr), no per-row string is made, and an AS name
 * is decoded as UTF-8 only the first time its AS is seen. A JS loop over every byte measured
 * about twice as slow; a latin1 string view plus String#indexOf slower still (the 21 MB copy).
 */
function parse(b: Uint8Array, w: 1 | 4, orgs: Map<number, string>, stats: TableStats): Parsed {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const decoder = new TextDecoder('utf-8');
  let cap = Math.max(16, Math.ceil(b.length / (w === 1 ? 40 : 60)));
  let starts = new Uint32Array(cap * w);
  let ends = new Uint32Array(cap * w);
  let asns = new Uint32Array(cap);
  const asnWord = new Uint32Array(1);
  let n = 0;
  for (let row = 0; row < b.length; ) {
    if (n === cap) {
      cap *= 2;
      starts = grow(starts);
      ends = grow(ends);
      asns = grow(asns);
    }
    let c1: number;
    let c2: number;
    if (w === 1) {
      c1 = decimalField(b, row, starts, n);
      c2 = c1 < 0 ? -1 : decimalField(b, c1 + 1, ends, n);
    } else {
      c1 = commaWithin(b, row);
      c2 = c1 < 0 ? -1 : commaWithin(b, c1 + 1);
      if (c2 >= 0 && !(readIpv6Text(b, row, c1, starts, n * 4) && readIpv6Text(b, c1 + 1, c2, ends, n * 4)))
        c2 = -1;
    }
    const c3 = c2 < 0 ? -1 : decimalField(b, c2 + 1, asnWord, 0);
    let eol = buf.indexOf(NL, c3 < 0 ? row : c3);
    if (eol < 0) eol = b.length;
    const next = eol + 1;
    if (eol > row && b[eol - 1] === CR) eol--;
    if (c3 < 0 || asnWord[0] === 0 || cmp(starts, n * w, ends, n * w, w) > 0) {
      if (eol > row) stats.skippedRows++;
      row = next;
      continue;
    }
    const asn = asnWord[0]!;
    asns[n++] = asn;
    if (!orgs.has(asn)) {
      // The name runs to the end of the line, or is one quoted field with "" escapes.
      let from = c3 + 1;
      let to = eol;
      const quoted = to - from >= 2 && b[from] === QUOTE && b[to - 1] === QUOTE;
      if (quoted) {
        from++;
        to--;
      }
      let org = decoder.decode(b.subarray(from, Math.min(to, from + MAX_ORG_BYTES)));
      if (quoted) org = org.replace(/""/g, '"');
      orgs.set(asn, org.replace(/[\u0000-\u001f\u007f]/g, ' ').trim());
    }
    row = next;
  }
  return { n, starts, ends, asns };
}
