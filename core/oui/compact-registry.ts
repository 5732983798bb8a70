// The IEEE registry in the compact binary form `npm run build` writes from the oui-data package:
// sorted prefixes and the already parsed registrants (organisation, country), read with one file
// read and no parsing. Indexing the 5.6 MB JSON costs 60-90 ms and ~11 MB (the bytes and their
// latin1 text) on every start; this form is 2.0 MB and loads in a few ms.
import type { MacRegistry, Registrant } from '../identify/contracts.js';
import { readMac } from './mac.js';
import { PREFIX_DIGITS, type PrefixDigits } from './oui-index.js';

/** One registry entry; a null registrant (a subdivided IEEE block) still hides its shorter prefixes. */
export interface RegistryEntry {
  digits: PrefixDigits;
  prefix: number;
  registrant: Registrant | null;
}

/** A registry that can also list its registrants (catalog coverage tools, tests). */
export interface RegistryListing extends MacRegistry {
  all(): IterableIterator<{ prefix: string; registrant: Registrant }>;
}

const MAGIC = 0x3158_494f; // "OIX1" little-endian: bump the digit when the layout changes
const HEADER_BYTES = 24;
const BITS: Record<PrefixDigits, Registrant['prefixBits']> = { 9: 36, 7: 28, 6: 24 };
const A = 0x41;
const Z = 0x5a;

/**
 * Layout, little-endian: u32 magic, u32 count per prefix length (9, 7, 6 digits), u32 text bytes,
 * u32 zero; then f64 prefix[n] (ascending within each length, lengths in that order), u32 textStart[n+1],
 * u8 country[2n] (two ASCII capitals, or 0 0 for none), u8 present[n] (0: null registrant),
 * then the organisations as UTF-8.
 */
export function encodeCompactRegistry(entries: Iterable<RegistryEntry>): Uint8Array {
  const byDigits = new Map<PrefixDigits, RegistryEntry[]>(PREFIX_DIGITS.map((d) => [d, []]));
  for (const e of entries) byDigits.get(e.digits)!.push(e);
  const ordered = PREFIX_DIGITS.flatMap((d) => byDigits.get(d)!.sort((a, b) => a.prefix - b.prefix));
  const n = ordered.length;
  const texts = ordered.map((e) => Buffer.from(e.registrant?.organisation ?? '', 'utf8'));
  const textBytes = texts.reduce((s, t) => s + t.length, 0);
  const out = Buffer.alloc(HEADER_BYTES + 8 * n + 4 * (n + 1) + 2 * n + n + textBytes);
  out.writeUInt32LE(MAGIC, 0);
  for (const [i, d] of PREFIX_DIGITS.entries()) out.writeUInt32LE(byDigits.get(d)!.length, 4 + 4 * i);
  out.writeUInt32LE(textBytes, 16);
  let at = HEADER_BYTES;
  for (const e of ordered) at = out.writeDoubleLE(e.prefix, at);
  let text = 0;
  for (let i = 0; i <= n; i++) {
    at = out.writeUInt32LE(text, at);
    if (i < n) text += texts[i]!.length;
  }
  for (const e of ordered) {
    const cc = e.registrant?.country ?? null;
    out[at++] = cc ? cc.charCodeAt(0) : 0;
    out[at++] = cc ? cc.charCodeAt(1) : 0;
  }
  for (const e of ordered) out[at++] = e.registrant ? 1 : 0;
  for (const t of texts) at += t.copy(out, at);
  return out;
}

export class CompactRegistry implements RegistryListing {
  readonly #bytes: Buffer;
  readonly #keys: Float64Array;
  readonly #textStart: Uint32Array;
  readonly #country: Uint8Array;
  readonly #present: Uint8Array;
  readonly #text: number;
  /** [start, end) of each prefix length's rows, in PREFIX_DIGITS order. */
  readonly #ranges: [PrefixDigits, number, number][];
  readonly #cache = new Map<number, Registrant | null>();

  private constructor(bytes: Buffer, counts: number[]) {
    const n = counts[0]! + counts[1]! + counts[2]!;
    // Float64Array needs an 8-aligned offset; a pooled or sliced buffer gets its own copy.
    this.#bytes = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
    const b = this.#bytes;
    let at = b.byteOffset + HEADER_BYTES;
    this.#keys = new Float64Array(b.buffer, at, n);
    at += 8 * n;
    this.#textStart = new Uint32Array(b.buffer, at, n + 1);
    at += 4 * (n + 1);
    this.#country = new Uint8Array(b.buffer, at, 2 * n);
    at += 2 * n;
    this.#present = new Uint8Array(b.buffer, at, n);
    this.#text = at + n - b.byteOffset;
    let start = 0;
    this.#ranges = PREFIX_DIGITS.map((d, i) => {
      const r: [PrefixDigits, number, number] = [d, start, start + counts[i]!];
      start += counts[i]!;
      return r;
    });
  }

  /** The registry in `bytes`, or null when they are not a complete, consistent compact form. */
  static fromBinary(bytes: Buffer): CompactRegistry | null {
    if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC) return null;
    const counts = [bytes.readUInt32LE(4), bytes.readUInt32LE(8), bytes.readUInt32LE(12)];
    const n = counts[0]! + counts[1]! + counts[2]!;
    const textBytes = bytes.readUInt32LE(16);
    if (bytes.length !== HEADER_BYTES + 15 * n + 4 + textBytes) return null;
    const reg = new CompactRegistry(bytes, counts);
    return reg.#consistent(textBytes) ? reg : null;
  }

  /** Offsets ascending within the text, prefixes ascending and in range, countries capitals. */
  #consistent(textBytes: number): boolean {
    const starts = this.#textStart;
    if (starts[0] !== 0 || starts[starts.length - 1] !== textBytes) return false;
    for (let i = 1; i < starts.length; i++) if (starts[i]! < starts[i - 1]!) return false;
    for (const [digits, start, end] of this.#ranges) {
      const max = 16 ** digits;
      for (let i = start; i < end; i++) {
        const k = this.#keys[i]!;
        if (!Number.isInteger(k) || k < 0 || k >= max || (i > start && k <= this.#keys[i - 1]!)) return false;
      }
    }
    const cc = this.#country;
    for (let i = 0; i < cc.length; i += 2) {
      const a = cc[i]!;
      const b = cc[i + 1]!;
      if ((a | b) !== 0 && !(a >= A && a <= Z && b >= A && b <= Z)) return false;
    }
    return true;
  }

  lookup(mac: string): Registrant | null {
    const m = readMac(mac);
    // A group or locally administered address has no registrant.
    if (m === null || m.group || m.local) return null;
    const hex = m.hex;
    for (const [digits, start, end] of this.#ranges) {
      const row = this.#find(start, end, Number.parseInt(hex.slice(0, digits), 16));
      if (row >= 0) return this.#entry(row, BITS[digits]);
    }
    return null;
  }

  *all(): IterableIterator<{ prefix: string; registrant: Registrant }> {
    for (const [digits, start, end] of this.#ranges) {
      for (let row = start; row < end; row++) {
        const registrant = this.#entry(row, BITS[digits]);
        const prefix = this.#keys[row]!.toString(16).toUpperCase().padStart(digits, '0');
        if (registrant) yield { prefix, registrant };
      }
    }
  }

  #find(start: number, end: number, prefix: number): number {
    const keys = this.#keys;
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k === prefix) return mid;
      if (k < prefix) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  #entry(row: number, prefixBits: Registrant['prefixBits']): Registrant | null {
    const cached = this.#cache.get(row);
    if (cached !== undefined) return cached;
    let registrant: Registrant | null = null;
    if (this.#present[row] === 1) {
      const at = this.#text;
      const organisation = this.#bytes.toString(
        'utf8',
        at + this.#textStart[row]!,
        at + this.#textStart[row + 1]!,
      );
      const a = this.#country[2 * row]!;
      const country = a === 0 ? null : String.fromCharCode(a, this.#country[2 * row + 1]!);
      registrant = Object.freeze({ organisation, country, prefixBits });
    }
    this.#cache.set(row, registrant);
    return registrant;
  }
}
