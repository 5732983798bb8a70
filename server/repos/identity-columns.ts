// The columns of a devices row (migration 002) as its three readers select them, and its identity
// columns as the fields of core/inventory.ts Identity: one row shape and one mapping for ingest
// (device-row.ts), the analyst listings (device-repo.ts) and the records that policies and summaries
// read (record-repo.ts).
import type { Identity } from '../../core/inventory.js';

export interface IdentityColumns {
  vendor: string | null;
  vendor_country: string | null;
  vendor_parent: string | null;
  /** JSON array text. */
  watchlists: string;
  registrant: string | null;
  registrant_country: string | null;
  randomized_mac: number;
  class: Identity['class'];
  model: string | null;
  firmware: string | null;
  os: string | null;
  confidence: number | null;
}

/** A devices row as every reader selects it: its own columns and the identity's (not site_id, reasons). */
export interface DeviceColumns extends IdentityColumns {
  id: number;
  key: string;
  mac: string | null;
  /** JSON array texts. */
  ips: string;
  hostnames: string;
  vlans: string;
  services: string;
  roles: string;
  first_seen: string;
  last_seen: string;
}

/** Every Identity field but the reasons (stored apart, and not every reader wants them). */
export function identityFromColumns(r: IdentityColumns): Omit<Identity, 'reasons'> {
  return {
    vendor: r.vendor,
    vendorCountry: r.vendor_country,
    vendorParent: r.vendor_parent,
    watchlists: JSON.parse(r.watchlists) as string[],
    registrant: r.registrant,
    registrantCountry: r.registrant_country,
    randomizedMac: r.randomized_mac === 1,
    class: r.class,
    model: r.model,
    firmware: r.firmware,
    os: r.os,
    confidence: r.confidence,
  };
}
