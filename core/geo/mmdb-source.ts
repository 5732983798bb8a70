// MaxMind DB files (the packaged ip-location-db country database, or a user's GeoLite2-Country /
// GeoLite2-ASN shaped file) read with mmdb-lib, which decodes records lazily from the buffer:
// opening costs one file read, not a parse of the whole tree.
import { Reader, type Response } from 'mmdb-lib';
import { FileTooLargeError, readBounded } from '../read-bounded.js';
import { isCountryCode } from '../vocabulary/countries.js';
import type { AsnFacts } from './asn-table.js';

/** Largest MMDB file accepted, bytes (GeoLite2-City is ~70 MB; country and ASN files are smaller). */
export const MAX_MMDB_BYTES = 256 * 1024 * 1024;

export class GeoDataError extends Error {
  override readonly name = 'GeoDataError';
}

/** Reader over one MMDB file; `errors` counts records that failed to decode (treated as absent). */
export class MmdbFile {
  readonly #reader: Reader<Response>;
  readonly file: string;
  errors = 0;

  constructor(file: string) {
    this.file = file;
    let bytes: Buffer;
    try {
      bytes = readBounded(file, MAX_MMDB_BYTES);
    } catch (err) {
      if (err instanceof FileTooLargeError) throw new GeoDataError(err.message);
      throw new GeoDataError(`${file}: cannot read: ${(err as Error).message}`);
    }
    try {
      this.#reader = new Reader<Response>(bytes);
    } catch (err) {
      throw new GeoDataError(`${file}: not a MaxMind DB file: ${(err as Error).message}`);
    }
  }

  get databaseType(): string {
    return this.#reader.metadata.databaseType;
  }

  /** The raw record for an address in text form, or null. A record that fails to decode is null. */
  record(ip: string): Record<string, unknown> | null {
    try {
      return this.#reader.get(ip) as Record<string, unknown> | null;
    } catch (err) {
      // mmdb-lib throws plain Errors on a corrupt data section; one bad record must not stop an
      // analysis, so it is counted and reported as "no data".
      if (!(err instanceof Error)) throw err;
      this.errors++;
      return null;
    }
  }

  /**
   * ISO country from either record shape: ip-location-db's `{ country_code }` or GeoLite2's
   * `{ country: { iso_code } }` (falling back to `registered_country`). Anything that is not an
   * ISO 3166-1 alpha-2 code is null.
   */
  country(ip: string): string | null {
    const r = this.record(ip);
    if (!r) return null;
    const nested = (k: string) => (r[k] as { iso_code?: unknown } | undefined)?.iso_code;
    const code = r.country_code ?? nested('country') ?? nested('registered_country');
    return isCountryCode(code) ? code : null;
  }

  /** AS number and name from a GeoLite2-ASN shaped record. */
  asn(ip: string): AsnFacts | null {
    const r = this.record(ip);
    const asn = r?.autonomous_system_number;
    if (typeof asn !== 'number' || !Number.isInteger(asn) || asn < 1 || asn > 4294967295) return null;
    const org = r?.autonomous_system_organization;
    return { asn, org: typeof org === 'string' && org.trim() ? org.trim().slice(0, 200) : null };
  }
}
