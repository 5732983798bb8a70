// A device row of the inventory and what ingest reads of it: the seen facts, the identity (parsed
// only when read) and a key that says whether a newly decided identity differs from the stored one
// without parsing the stored JSON columns.
import type { Identity } from '../../core/inventory.js';
import { type DeviceColumns, identityFromColumns } from './identity-columns.js';

/** The seen facts of a device, merged across batches. */
export interface SeenFacts {
  mac: string | null;
  ips: string[];
  hostnames: string[];
  vlans: number[];
  services: string[];
  roles: string[];
  firstSeen: string;
  lastSeen: string;
  search: string;
}

export interface StoredDevice extends SeenFacts {
  id: number;
  /** Parsed from its columns on first read: a re-reported device compares `identityKey` instead. */
  readonly identity: Identity;
  /** The stored identity as `identityKey` writes it, taken from the columns without parsing them. */
  identityKey: string;
  identifiedWith: string;
}

export interface DeviceRow extends DeviceColumns {
  search: string;
  reasons: string;
  identified_with: string;
}

export function rowToIdentity(r: DeviceRow): Identity {
  return {
    ...identityFromColumns(r),
    reasons: JSON.parse(r.reasons) as Identity['reasons'],
  };
}

/**
 * A text of an identity that is equal exactly when the stored columns would be: the scalar fields,
 * then watchlists and reasons as their columns hold them (JSON text; newlines inside are escaped,
 * so the separators cannot be forged). Reasons compare as stored, their key order included.
 */
export function identityKey(i: Identity): string {
  return keyOf(i, JSON.stringify(i.watchlists), JSON.stringify(i.reasons));
}

function keyOf(i: Omit<Identity, 'watchlists' | 'reasons'>, watchlists: string, reasons: string): string {
  const scalars = [
    i.vendor,
    i.vendorCountry,
    i.vendorParent,
    i.registrant,
    i.registrantCountry,
    i.randomizedMac,
    i.class,
    i.model,
    i.firmware,
    i.os,
    i.confidence,
  ];
  return `${JSON.stringify(scalars)}\n${watchlists}\n${reasons}`;
}

/** identityKey of a stored row, without parsing its JSON columns (JSON.stringify(JSON.parse(t)) is t). */
function rowIdentityKey(r: DeviceRow): string {
  return keyOf(
    {
      vendor: r.vendor,
      vendorCountry: r.vendor_country,
      vendorParent: r.vendor_parent,
      registrant: r.registrant,
      registrantCountry: r.registrant_country,
      randomizedMac: r.randomized_mac === 1,
      class: r.class,
      model: r.model,
      firmware: r.firmware,
      os: r.os,
      confidence: r.confidence,
    },
    r.watchlists,
    r.reasons,
  );
}

export function identityParams(i: Identity): unknown[] {
  return [
    i.vendor,
    i.vendorCountry,
    i.vendorParent,
    JSON.stringify(i.watchlists),
    i.registrant,
    i.registrantCountry,
    i.randomizedMac ? 1 : 0,
    i.class,
    i.model,
    i.firmware,
    i.os,
    i.confidence,
    JSON.stringify(i.reasons),
  ];
}

export const IDENTITY_COLUMNS =
  'vendor, vendor_country, vendor_parent, watchlists, registrant, registrant_country, randomized_mac, class, model, firmware, os, confidence, reasons';

export function toStored(r: DeviceRow): StoredDevice {
  let identity: Identity | undefined;
  return {
    id: r.id,
    mac: r.mac,
    ips: JSON.parse(r.ips) as string[],
    hostnames: JSON.parse(r.hostnames) as string[],
    vlans: JSON.parse(r.vlans) as number[],
    services: JSON.parse(r.services) as string[],
    roles: JSON.parse(r.roles) as string[],
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    search: r.search,
    get identity(): Identity {
      identity ??= rowToIdentity(r);
      return identity;
    },
    identityKey: rowIdentityKey(r),
    identifiedWith: r.identified_with,
  };
}
