// What decoders make of short wire byte strings (an SNI, an ALPN list, a banner), remembered by the
// bytes themselves. Hosts repeat the same few values on every connection, and a value made once is
// also one string object: the evidence store's maps then hash it once, not once per sighting.

/** Entries kept per cache before it is cleared (a bound, not a working-set estimate). */
export const TEXT_CACHE_ENTRIES = 4096;
/** Longer inputs are not remembered: they are rare, and the copy kept to verify a hit would cost. */
export const TEXT_CACHE_MAX_BYTES = 256;

/**
 * A class, not an object literal: V8 tracks a literal's allocation site, and when the GC finds its
 * objects long-lived (these are) it moves the site to old-space allocation and throws away the
 * optimised code of every function that inlined it (the HTTP, TLS and SSH observers among them).
 */
class Entry<T> {
  constructor(
    readonly bytes: Uint8Array,
    readonly value: T,
  ) {}
}

/**
 * Maps byte strings to a value computed from them alone. A hit is verified byte for byte against a
 * kept copy, so a hash collision only costs a recomputation, never a wrong value.
 */
export class BytesCache<T> {
  readonly #entries = new Map<number, Entry<T>>();
  readonly #make: (bytes: Uint8Array) => T;

  constructor(make: (bytes: Uint8Array) => T) {
    this.#make = make;
  }

  get(bytes: Uint8Array): T {
    const n = bytes.length;
    if (n > TEXT_CACHE_MAX_BYTES) return this.#make(bytes);
    // FNV-1a over the bytes, seeded with the length.
    let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
    for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    const hit = this.#entries.get(h);
    if (hit !== undefined && sameBytes(hit.bytes, bytes)) return hit.value;
    return this.#miss(bytes, h);
  }

  /**
   * Makes and remembers a value. A method of its own: misses are rare, and TurboFan then keeps this
   * out of the code it compiles for get() in every observer that inlines it.
   */
  #miss(bytes: Uint8Array, h: number): T {
    const value = this.#make(bytes);
    if (this.#entries.size >= TEXT_CACHE_ENTRIES) this.#entries.clear();
    // A copy, never a view: a Buffer's slice() is a view of memory the capture reader reuses.
    this.#entries.set(h, new Entry(new Uint8Array(bytes), value));
    return value;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
