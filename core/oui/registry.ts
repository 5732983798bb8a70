// The IEEE MAC address registry (MA-L, MA-M, MA-S): longest-prefix lookup of the registrant
// organisation and its country (DESIGN.md §3 "Origin"). Data: the oui-data npm package
// (BSD-2-Clause, IEEE public listings), loaded lazily once per process: from the compact form the
// build writes (compact-registry.ts) when it matches the installed package, else from the JSON.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MacRegistry, Registrant } from '../identify/contracts.js';
import { packageRoot } from '../paths.js';
import { countryCodeForName } from '../vocabulary/countries.js';
import {
  CompactRegistry,
  encodeCompactRegistry,
  type RegistryEntry,
  type RegistryListing,
} from './compact-registry.js';
import { readMac } from './mac.js';
import { OuiDataError, OuiIndex, PREFIX_DIGITS, type PrefixDigits } from './oui-index.js';

/** The IEEE's own MA-L blocks, subdivided into MA-M and MA-S: never the device's registrant. */
const SUBDIVIDED_BLOCK_OWNER = 'IEEE Registration Authority';

/** Largest registry file accepted, bytes (oui-data 2.x is 5.6 MB). */
export const MAX_OUI_FILE_BYTES = 64 * 1024 * 1024;

const BITS: Record<PrefixDigits, Registrant['prefixBits']> = { 9: 36, 7: 28, 6: 24 };

/** Turns one registry text ("Org\naddress…\nCountry") into the registrant facts. */
export function parseRegistrantText(text: string, prefixBits: Registrant['prefixBits']): Registrant {
  const lines = text.split('\n').map((l) => l.trim());
  const organisation = lines[0] || 'unknown';
  // An organisation-only entry ("Private", or an old one without an address) has no country;
  // the last line of a longer one is a country name unless it is an address line ("Sunnyvale CA
  // 94089"), in which case we say null rather than guess from the address.
  const country = lines.length >= 2 ? countryCodeForName(lines.at(-1)!) : null;
  return { organisation: organisation.slice(0, 200), country, prefixBits };
}

export class OuiRegistry implements MacRegistry, RegistryListing {
  readonly #index: OuiIndex;
  readonly #cache = new Map<number, Registrant | null>();

  constructor(bytes: Uint8Array) {
    this.#index = new OuiIndex(bytes);
  }

  get stats() {
    return this.#index.stats;
  }

  lookup(mac: string): Registrant | null {
    const m = readMac(mac);
    // A group or locally administered address has no registrant.
    if (m === null || m.group || m.local) return null;
    const hex = m.hex;
    for (const digits of PREFIX_DIGITS) {
      const n = this.#index.find(digits, Number.parseInt(hex.slice(0, digits), 16));
      if (n < 0) continue;
      // Null for a block the IEEE subdivided with no sub-assignment for this MAC in our data.
      return this.#entry(n, BITS[digits]);
    }
    return null;
  }

  #entry(n: number, bits: Registrant['prefixBits']): Registrant | null {
    const cached = this.#cache.get(n);
    if (cached !== undefined) return cached;
    let registrant: Registrant | null;
    try {
      registrant = parseRegistrantText(this.#index.text(n), bits);
      if (registrant.organisation === SUBDIVIDED_BLOCK_OWNER) registrant = null;
    } catch (err) {
      if (!(err instanceof OuiDataError)) throw err;
      registrant = null; // one malformed entry costs that entry only
    }
    if (registrant) Object.freeze(registrant);
    this.#cache.set(n, registrant);
    return registrant;
  }

  /** All registrants with their prefix (hex), for catalog coverage tools and tests. */
  *all(): IterableIterator<{ prefix: string; registrant: Registrant }> {
    for (const digits of PREFIX_DIGITS) {
      for (const [prefix, n] of this.#index.entries(digits)) {
        const registrant = this.#entry(n, BITS[digits]);
        if (registrant) yield { prefix, registrant };
      }
    }
  }

  /** Every entry, null ones included (a null MA-S entry hides its MA-L block): the compact form's input. */
  *entries(): IterableIterator<RegistryEntry> {
    for (const digits of PREFIX_DIGITS) {
      for (const [hex, n] of this.#index.entries(digits)) {
        yield { digits, prefix: Number.parseInt(hex, 16), registrant: this.#entry(n, BITS[digits]) };
      }
    }
  }
}

/** Path of the packaged registry (node_modules/oui-data/index.json). */
export function ouiDataPath(): string {
  return createRequire(import.meta.url).resolve('oui-data');
}

/** Reads a registry file in the oui-data format (a flat JSON object of prefix → text). */
export function readMacRegistry(file: string): OuiRegistry {
  const size = statSync(file).size;
  if (size > MAX_OUI_FILE_BYTES) {
    throw new OuiDataError(`${file}: ${size} bytes, above the ${MAX_OUI_FILE_BYTES} limit`);
  }
  return new OuiRegistry(readFileSync(file));
}

/** Where the build's compact form of the installed oui-data lives (its name changes with the data). */
export function compactRegistryPath(): string {
  const file = ouiDataPath();
  const pkg = JSON.parse(readFileSync(join(dirname(file), 'package.json'), 'utf8')) as { version: string };
  return join(packageRoot(), 'dist', `oui-${pkg.version}-${statSync(file).size}.bin`);
}

/** Part of the build: index the packaged JSON once and write its compact form. */
export function writeCompactRegistry(path = compactRegistryPath()): { path: string; entries: number } {
  const registry = readMacRegistry(ouiDataPath());
  writeFileSync(path, encodeCompactRegistry(registry.entries()));
  return { path, entries: registry.stats.entries };
}

let shared: RegistryListing | undefined;

/**
 * The packaged registry, loaded on first call and shared by the process afterwards: the build's
 * compact form when it is there and sound, else the JSON indexed in place (oui-index.ts: byte
 * offsets in sorted typed arrays); `node dist/scripts/bench/ident-data.js` measures it.
 */
export function loadMacRegistry(): RegistryListing {
  if (shared) return shared;
  const compact = compactRegistryPath();
  shared =
    (existsSync(compact) && CompactRegistry.fromBinary(readFileSync(compact))) ||
    readMacRegistry(ouiDataPath());
  return shared;
}
