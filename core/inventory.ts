// The inventory records (DESIGN.md §3 and §4): devices, connections, findings, and the
// `analyze --json` document. Field names here are the tool's public contract.

import type { ObservationSource, ObservationValue } from './observation.js';
import type { ObservationKey } from './observation-keys.js';
import { readMac } from './oui/mac.js';

export const DEVICE_CLASSES = [
  'drone',
  'router',
  'switch',
  'firewall',
  'access-point',
  'base-station',
  'plc',
  'rtu',
  'hmi',
  'ied',
  'camera',
  'nvr',
  'printer',
  'workstation',
  'server',
  'phone',
  'iot',
  'building-controller',
  'gateway',
  'unknown',
] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const IDENTITY_FIELDS = ['vendor', 'model', 'firmware', 'class', 'os'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/** One piece of evidence behind a decision: the observation and the rule that read it. */
export interface Evidence {
  /** An observation key, or 'oui.registrant' for the IEEE registry lookup of the MAC (not an observation). */
  key: ObservationKey | 'oui.registrant';
  value: ObservationValue;
  /** Rule id from signatures/ (e.g. "ssh.banner:huawei-vrp"), or null for direct facts. */
  rule: string | null;
  source: ObservationSource | 'registry' | 'catalog';
}

export interface Candidate {
  value: string;
  confidence: number;
  evidence: Evidence[];
}

/** Why a field has its value: the winning candidate and the ones it beat. */
export interface FieldReason extends Candidate {
  field: IdentityField;
  /** Other values the evidence suggested, weaker than the decided one. */
  conflicts: Candidate[];
}

/** A distinct observation of a device, aggregated over the capture. */
export interface ObservationSummary {
  key: ObservationKey;
  value: ObservationValue;
  source: ObservationSource;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface DeviceRecord {
  /** Stable identity: "mac:xx:xx:xx:xx:xx:xx" or, where no MAC is visible, "ip:a.b.c.d". */
  id: string;
  mac: string | null;
  ips: string[];
  hostnames: string[];
  vendor: string | null;
  vendorCountry: string | null;
  /** Parent company of the vendor, from the catalog. */
  vendorParent: string | null;
  /** Watch lists the vendor is on (ids from signatures/vendors.yaml). */
  watchlists: string[];
  registrant: string | null;
  registrantCountry: string | null;
  randomizedMac: boolean;
  class: DeviceClass | null;
  model: string | null;
  firmware: string | null;
  os: string | null;
  /** Confidence (0..1) of the vendor decision; per-field confidences are in reasons. */
  confidence: number | null;
  reasons: FieldReason[];
  vlans: number[];
  /** Ports this device serves, "tcp/502". */
  services: string[];
  /** Industrial roles, "s7comm:server". */
  roles: string[];
  firstSeen: string;
  lastSeen: string;
  observations: ObservationSummary[];
}

/** What kind of provider a remote's AS belongs to (signatures/providers.yaml `kind`). */
export const PROVIDER_KINDS = ['cloud', 'hosting', 'cdn', 'datacenter', 'isp'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface ConnectionRecord {
  /** DeviceRecord.id of the local side. */
  device: string;
  remoteIp: string;
  /** The remote's service port for outbound traffic; null when the remote was the client (inbound). */
  remotePort: number | null;
  /** The device's own service port for inbound traffic; null for outbound. */
  localPort: number | null;
  /** outbound: the device opened the conversation; inbound: the remote did (a service exposed). */
  direction: 'outbound' | 'inbound';
  proto: 'tcp' | 'udp' | 'icmp' | 'other';
  country: string | null;
  asn: number | null;
  asOrg: string | null;
  /** Provider name from signatures/providers.yaml when the AS is a cloud/hosting/DC. */
  provider: string | null;
  providerKind: ProviderKind | null;
  names: string[];
  packets: number;
  bytes: number;
  firstSeen: string;
  lastSeen: string;
}

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type FindingStatus = 'open' | 'acknowledged' | 'waived' | 'resolved';

export interface Finding {
  id: string;
  rule: string;
  severity: Severity;
  subject: { kind: 'device' | 'connection'; id: string };
  message: string;
  facts: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
  status: FindingStatus;
}

export interface CaptureStats {
  files: number;
  packets: number;
  bytes: number;
  /** Counted, never fatal: name → count (unknown link types, malformed, truncated, evicted…). */
  skipped: Record<string, number>;
  anomalies: Record<string, number>;
  flows: number;
  evictedFlows: number;
  durationMs: number;
}

/** The identity part of a device record: what core/identify decides from the evidence. */
export type Identity = Pick<
  DeviceRecord,
  | 'vendor'
  | 'vendorCountry'
  | 'vendorParent'
  | 'watchlists'
  | 'registrant'
  | 'registrantCountry'
  | 'randomizedMac'
  | 'class'
  | 'model'
  | 'firmware'
  | 'os'
  | 'confidence'
  | 'reasons'
>;

/**
 * An identity with nothing decided: every field null or empty. `randomizedMac` is still a fact of the
 * address itself: the U/L bit of its first octet (locally administered: randomised or assigned, never
 * in the IEEE registry).
 */
export function emptyIdentity(mac: string | null): Identity {
  return {
    vendor: null,
    vendorCountry: null,
    vendorParent: null,
    watchlists: [],
    registrant: null,
    registrantCountry: null,
    randomizedMac: mac !== null && (readMac(mac)?.local ?? false),
    class: null,
    model: null,
    firmware: null,
    os: null,
    confidence: null,
    reasons: [],
  };
}

export interface AnalyzeReport {
  devices: DeviceRecord[];
  connections: ConnectionRecord[];
  findings: Finding[];
  stats: CaptureStats;
}
