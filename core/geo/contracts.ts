// The seam between connection aggregation and the offline geo/ASN data (DESIGN.md §3 "Connection").
import type { ProviderKind } from '../inventory.js';

export interface RemoteFacts {
  /** ISO 3166-1 alpha-2, null when the data has no entry. */
  country: string | null;
  asn: number | null;
  asOrg: string | null;
  /** Provider name from signatures/providers.yaml when the AS belongs to a cloud, hosting or DC operator. */
  provider: string | null;
  providerKind: ProviderKind | null;
}

export interface GeoLookup {
  /** Facts about a public address; all-null facts for addresses the data does not cover. */
  lookup(ip: string): RemoteFacts;
}
