// The seams of the identification engine: what rules, the MAC registry and the vendor catalog
// offer the engine that combines their claims into a device identity (DESIGN.md §3).
// Each side is built and tested on its own; these types are the whole of what they share.

import type { DeviceClass, Identity, IdentityField, ObservationSummary } from '../inventory.js';
import type { ObservationValue } from '../observation.js';
import type { ObservationKey } from '../observation-keys.js';

/** One statement a rule makes about a device, read from one observation. */
export interface Claim {
  field: IdentityField;
  /** Canonical value: a catalog vendor name for `vendor`, a DeviceClass for `class`, free text otherwise. */
  value: string;
  /** 0..1, the rule's own certainty that this observation implies this value. */
  certainty: number;
  /** Rule id, "<file stem>:<rule id>" (e.g. "ssh.banner:huawei-vrp"). */
  rule: string;
  /** Generic rules (a bare "Linux" banner) yield only when no specific rule of the file matched. */
  specific: boolean;
}

/** The loaded rule folder: every rule file, keyed by the observation key it reads. */
export interface RuleMatcher {
  /** All claims the rules make about one observed value; [] when nothing matched. */
  match(key: ObservationKey, value: ObservationValue): Claim[];
  /** Keys that have a rule file (an observation of another key is never "unknown"). */
  keys(): ReadonlySet<ObservationKey>;
}

export interface WatchlistMembership {
  /** Watch-list id, e.g. "ndaa-889", "fcc-covered-list", "commerce-entity-list". */
  list: string;
  /** ISO date the vendor was added, where the source gives one. */
  since: string | null;
  /** Where this membership is stated (a URL or a citation). */
  source: string;
}

export interface VendorInfo {
  /** Canonical name, unique in the catalog (e.g. "Siemens", "Rockwell Automation"). */
  name: string;
  /** Headquarters country, ISO 3166-1 alpha-2. */
  country: string;
  parent: string | null;
  classes: readonly DeviceClass[];
  /** NIC, module and chipset makers: their OUI says little about who built the device. */
  chipset: boolean;
  watchlists: readonly WatchlistMembership[];
}

export interface VendorCatalog {
  byName(name: string): VendorInfo | undefined;
  /** The vendor whose aliases match an IEEE registrant organisation name, if any. */
  byRegistrant(organisation: string): VendorInfo | undefined;
  all(): readonly VendorInfo[];
}

export interface Registrant {
  organisation: string;
  /** ISO 3166-1 alpha-2, or null where the registry gives no usable country (e.g. "Private"). */
  country: string | null;
  /** 24 (MA-L), 28 (MA-M) or 36 (MA-S) bits. */
  prefixBits: 24 | 28 | 36;
}

export interface MacRegistry {
  /** Longest-prefix lookup; null for unknown prefixes and for locally administered or group MACs. */
  lookup(mac: string): Registrant | null;
}

/** What identification reads of an observation: an ObservationSummary is one, without its counts and times. */
export type EvidenceFact = Pick<ObservationSummary, 'key' | 'value' | 'source'>;

/** What the engine is given for one device: its MAC (if any) and its aggregated observations. */
export interface DeviceEvidence {
  mac: string | null;
  observations: readonly EvidenceFact[];
}

/** The engine: evidence in, identity (with reasons) out. Pure: the same evidence gives the same identity. */
export interface Identifier {
  identify(evidence: DeviceEvidence): Identity;
  /**
   * The observation keys identify reads, where the engine can say: observations of other keys never
   * change its result, so a caller may leave them out (and build no objects for them).
   */
  readonly keys?: ReadonlySet<ObservationKey>;
}
