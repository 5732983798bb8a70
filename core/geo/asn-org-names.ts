// AS number → AS name for the binary ASN table: sorted AS numbers, end offsets and one UTF-8 blob,
// read where they stand and decoded only for the ASes asked about. A capture names a few hundred
// ASes of ~80,000: parsing them all into a Map at load cost ~60 ms and ~10 MB of heap per run.

/** One name table: `asns` ascending, `ends[i]` the end of name i in `blob` (it starts at ends[i-1]). */
export class AsnOrgNames {
  readonly #asns: Uint32Array;
  readonly #ends: Uint32Array;
  readonly #blob: Uint8Array;
  readonly #decoded = new Map<number, string | undefined>();
  readonly #decoder = new TextDecoder('utf-8');

  constructor(asns: Uint32Array, ends: Uint32Array, blob: Uint8Array) {
    this.#asns = asns;
    this.#ends = ends;
    this.#blob = blob;
  }

  /** Checks what the reader relies on: ascending AS numbers, ends ascending and within the blob. */
  static valid(asns: Uint32Array, ends: Uint32Array, blobBytes: number): boolean {
    if (asns.length !== ends.length) return false;
    let prevEnd = 0;
    for (let i = 0; i < asns.length; i++) {
      if (i > 0 && asns[i]! <= asns[i - 1]!) return false;
      if (ends[i]! < prevEnd || ends[i]! > blobBytes) return false;
      prevEnd = ends[i]!;
    }
    return true;
  }

  /** The three parts of a Map of names, in the layout the constructor reads. */
  static encode(names: ReadonlyMap<number, string>): { asns: Uint32Array; ends: Uint32Array; blob: Buffer } {
    const sorted = [...names.keys()].sort((a, b) => a - b);
    const parts = sorted.map((asn) => Buffer.from(names.get(asn)!, 'utf8'));
    const asns = Uint32Array.from(sorted);
    const ends = new Uint32Array(sorted.length);
    let end = 0;
    parts.forEach((p, i) => {
      end += p.length;
      ends[i] = end;
    });
    return { asns, ends, blob: Buffer.concat(parts) };
  }

  get size(): number {
    return this.#asns.length;
  }

  get(asn: number): string | undefined {
    if (this.#decoded.has(asn)) return this.#decoded.get(asn);
    const asns = this.#asns;
    let lo = 0;
    let hi = asns.length - 1;
    let name: string | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = asns[mid]!;
      if (v === asn) {
        const start = mid === 0 ? 0 : this.#ends[mid - 1]!;
        name = this.#decoder.decode(this.#blob.subarray(start, this.#ends[mid]!));
        break;
      }
      if (v < asn) lo = mid + 1;
      else hi = mid - 1;
    }
    this.#decoded.set(asn, name);
    return name;
  }
}
