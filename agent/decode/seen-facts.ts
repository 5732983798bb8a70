// Which facts one decoder call has already passed on, so a repeat within the call is dropped (a
// buffer of 200 polls says "unit 1" once); the evidence store counts repeats across calls.

import type { ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';

/** Distinct facts checked by scanning a list before they are kept in Sets. */
export const ONCE_LIST_MAX = 16;

export class SeenFacts {
  // Polling buffers repeat one fact hundreds of times, so no per-fact key string is built. Most
  // calls pass a handful of facts: they are kept in one short list of (side, key, value) triples (no
  // Map and Set per side and key to make). Past ONCE_LIST_MAX distinct facts (a hostile DHCP reply
  // lists ~16,000 addresses) scanning would be quadratic: they move to Sets per side and key.
  #facts: (string | number)[] | null = null;
  #src: Map<ObservationKey, Set<ObservationValue>> | null = null;
  #dst: Map<ObservationKey, Set<ObservationValue>> | null = null;

  /** True the first time this (side, key, value) is seen; values compare as a Set does (SameValueZero). */
  first(about: 'src' | 'dst', key: ObservationKey, v: ObservationValue): boolean {
    if (this.#src === null && this.#dst === null) {
      this.#facts ??= [];
      const facts = this.#facts;
      for (let i = 0; i < facts.length; i += 3) {
        if (facts[i + 1] !== key || facts[i] !== about) continue;
        const w = facts[i + 2]!;
        if (w === v || (Number.isNaN(w) && Number.isNaN(v))) return false;
      }
      if (facts.length < 3 * ONCE_LIST_MAX) {
        facts.push(about, key, v);
        return true;
      }
      this.#toSets(facts);
    }
    return this.#add(about, key, v);
  }

  /** Adds a fact to its side's Sets; false when it was there. */
  #add(about: 'src' | 'dst', key: ObservationKey, v: ObservationValue): boolean {
    if (about === 'src') this.#src ??= new Map();
    else this.#dst ??= new Map();
    const side = (about === 'src' ? this.#src : this.#dst)!;
    let values = side.get(key);
    if (!values) {
      values = new Set();
      side.set(key, values);
    } else if (values.has(v)) return false;
    values.add(v);
    return true;
  }

  /** Moves the listed facts into the Sets, from then on the only record. */
  #toSets(facts: (string | number)[]): void {
    for (let i = 0; i < facts.length; i += 3) {
      this.#add(facts[i] as 'src' | 'dst', facts[i + 1] as ObservationKey, facts[i + 2]!);
    }
    this.#facts = null;
  }
}
