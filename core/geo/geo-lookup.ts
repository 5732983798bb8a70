// Remote address → country, AS and provider, offline (DESIGN.md §3 "Connection", §7). Sources:
// the packaged ip-location-db country MMDB and ASN CSV (CC BY 4.0: NRO, RouteViews, DB-IP), or a
// user's GeoLite2-Country / GeoLite2-ASN shaped MMDB; providers from signatures/providers.yaml.
// Everything loads on the first lookup that needs it, per address family, so a capture with no
// public IPv6 peer never pays for the IPv6 tables.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../net/ip.js';
import { loadAsnTable } from './asn-cache.js';
import type { AsnFacts } from './asn-table.js';
import type { GeoLookup, RemoteFacts } from './contracts.js';
import { loadProviderCatalog, type ProviderCatalog } from './load-providers.js';
import { MmdbFile } from './mmdb-source.js';
import { embeddedIpv4, isSpecialIpv4, isSpecialIpv6 } from './special-ranges.js';

export interface GeoLookupOptions {
  /** A MaxMind-format country database (GeoLite2-Country shape) instead of the packaged one. */
  countryMmdb?: string;
  /** A MaxMind-format ASN database (GeoLite2-ASN shape) instead of the packaged ASN CSV. */
  asnMmdb?: string;
  /** A providers file, or an already loaded catalog; the shipped signatures/providers.yaml by default. */
  providers?: string | ProviderCatalog;
}

export const NO_FACTS: RemoteFacts = Object.freeze({
  country: null,
  asn: null,
  asOrg: null,
  provider: null,
  providerKind: null,
});

function packageDir(name: string): string {
  return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
}

type Family = 4 | 6;

/** Where a family's country and ASN facts come from, opened on first use. */
interface FamilySources {
  country: () => (ip: string) => string | null;
  asn: () => (ip: string, words: Uint32Array) => AsnFacts | null;
}

export class OfflineGeoLookup implements GeoLookup {
  readonly #opts: GeoLookupOptions;
  readonly #country = new Map<Family, (ip: string) => string | null>();
  readonly #asn = new Map<Family, (ip: string, words: Uint32Array) => AsnFacts | null>();
  readonly #sources: Record<Family, FamilySources>;
  #providers: ProviderCatalog | undefined;
  #userCountry: MmdbFile | undefined;
  #userAsn: MmdbFile | undefined;
  readonly #words4 = new Uint32Array(1);
  readonly #words6 = new Uint32Array(4);
  /** Load time of each source, ms, for benchmarks and `--verbose` output. */
  readonly loadMs: Record<string, number> = {};

  constructor(opts: GeoLookupOptions = {}) {
    this.#opts = opts;
    const timed = <T>(label: string, f: () => T): T => {
      const t0 = performance.now();
      const out = f();
      this.loadMs[label] = Math.round((performance.now() - t0) * 10) / 10;
      return out;
    };
    const family = (f: Family): FamilySources => ({
      country: () => {
        if (opts.countryMmdb) {
          this.#userCountry ??= timed('countryMmdb', () => new MmdbFile(opts.countryMmdb!));
          const db = this.#userCountry;
          return (ip) => db.country(ip);
        }
        const file = join(
          packageDir('@ip-location-db/geo-whois-asn-country-mmdb'),
          `geo-whois-asn-country-ipv${f}.mmdb`,
        );
        const db = timed(`country-ipv${f}`, () => new MmdbFile(file));
        return (ip) => db.country(ip);
      },
      asn: () => {
        if (opts.asnMmdb) {
          this.#userAsn ??= timed('asnMmdb', () => new MmdbFile(opts.asnMmdb!));
          const db = this.#userAsn;
          return (ip) => db.asn(ip);
        }
        const table = timed(`asn-ipv${f}`, () => loadAsnTable(f));
        return (_ip, words) => table.lookup(words);
      },
    });
    this.#sources = { 4: family(4), 6: family(6) };
  }

  get providers(): ProviderCatalog {
    if (!this.#providers) {
      const p = this.#opts.providers;
      this.#providers = typeof p === 'object' ? p : loadProviderCatalog(p);
    }
    return this.#providers;
  }

  lookup(ip: string): RemoteFacts {
    if (typeof ip !== 'string' || ip.length > 64) return NO_FACTS;
    const text = ip.trim();
    const v4 = parseIpv4(text);
    if (v4 !== null) return this.#public(4, v4, null);
    const v6 = parseIpv6(text);
    if (v6 === null) return NO_FACTS;
    const inner = embeddedIpv4(v6);
    if (inner !== null) return this.#public(4, inner, null);
    return this.#public(6, 0, v6);
  }

  #public(family: Family, v4: number, v6: Uint8Array | null): RemoteFacts {
    if (family === 4 ? isSpecialIpv4(v4) : isSpecialIpv6(v6!)) return NO_FACTS;
    let words: Uint32Array;
    let text: string;
    if (family === 4) {
      words = this.#words4;
      words[0] = v4;
      text = formatIpv4(v4);
    } else {
      words = this.#words6;
      for (let k = 0; k < 4; k++) {
        words[k] =
          ((v6![k * 4]! << 24) | (v6![k * 4 + 1]! << 16) | (v6![k * 4 + 2]! << 8) | v6![k * 4 + 3]!) >>> 0;
      }
      text = formatIpv6(v6!);
    }
    let country = this.#country.get(family);
    if (!country) {
      country = this.#sources[family].country();
      this.#country.set(family, country);
    }
    let asn = this.#asn.get(family);
    if (!asn) {
      asn = this.#sources[family].asn();
      this.#asn.set(family, asn);
    }
    const as = asn(text, words);
    const provider = as ? this.providers.find(as.asn, as.org) : undefined;
    return {
      country: country(text),
      asn: as?.asn ?? null,
      asOrg: as?.org ?? null,
      provider: provider?.name ?? null,
      providerKind: provider?.kind ?? null,
    };
  }
}

/** The offline geo/ASN lookup; data files open lazily on the first public address of each family. */
export function createGeoLookup(opts?: GeoLookupOptions): OfflineGeoLookup {
  return new OfflineGeoLookup(opts);
}
