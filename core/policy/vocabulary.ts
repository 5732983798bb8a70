// What a rule may name: the facts of a device or a connection, their types, the operators each
// type takes and the closed vocabularies (classes, countries, provider kinds, sectors, watch lists).
import { DEVICE_CLASSES, PROVIDER_KINDS } from '../inventory.js';
import type { Operator, SubjectKind } from './types.js';

export type FieldType =
  | 'string'
  | 'country'
  | 'class'
  | 'providerKind'
  | 'proto'
  | 'direction'
  | 'sector'
  | 'bool'
  | 'number'
  | 'list'
  | 'watchlists'
  | 'numberList';

export interface FieldSpec {
  type: FieldType;
  description: string;
}

export const PROTOS = ['tcp', 'udp', 'icmp', 'other'] as const;
export const DIRECTIONS = ['outbound', 'inbound'] as const;

/**
 * Japan's designated infrastructure sectors (ESPA Art. 50(1) as amended in 2024, DESIGN.md), plus
 * a few other regulated sectors; operators outside these use "other".
 */
export const SECTORS = [
  'electricity',
  'gas',
  'oil',
  'water',
  'rail',
  'road-freight',
  'ocean-freight',
  'aviation',
  'airports',
  'telecom',
  'broadcasting',
  'post',
  'finance',
  'credit-cards',
  'ports',
  'manufacturing',
  'healthcare',
  'government',
  'other',
] as const;

/** Watch-list ids the vendor catalog uses (core/identify/contracts.ts WatchlistMembership.list). */
export const DEFAULT_WATCHLISTS = ['ndaa-889', 'fcc-covered-list', 'commerce-entity-list'] as const;

/** Classes counted as operational technology for the derived `ot` fact. */
export const OT_CLASSES = ['plc', 'rtu', 'hmi', 'ied', 'building-controller'] as const;

export const DEVICE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  id: { type: 'string', description: 'Device id, "mac:…" or "ip:…"' },
  mac: { type: 'string', description: 'MAC address, lower case, colon separated' },
  ips: { type: 'list', description: 'IP addresses seen for the device' },
  hostnames: { type: 'list', description: 'Names the device announced (from the wire)' },
  vendor: { type: 'string', description: 'Vendor (catalog name)' },
  vendorCountry: { type: 'country', description: "Vendor's headquarters country" },
  vendorParent: { type: 'string', description: 'Parent company of the vendor' },
  watchlists: { type: 'watchlists', description: 'Watch lists the vendor is on' },
  registrant: { type: 'string', description: 'IEEE registrant of the MAC prefix' },
  registrantCountry: { type: 'country', description: "IEEE registrant's country" },
  randomizedMac: { type: 'bool', description: 'The MAC is locally administered (randomised)' },
  class: { type: 'class', description: 'Device class' },
  model: { type: 'string', description: 'Model' },
  firmware: { type: 'string', description: 'Firmware version' },
  os: { type: 'string', description: 'Operating system' },
  confidence: { type: 'number', description: 'Confidence of the vendor decision, 0..1' },
  vlans: { type: 'numberList', description: '802.1Q VLAN ids the device was seen on' },
  services: { type: 'list', description: 'Ports the device serves, "tcp/502"' },
  roles: { type: 'list', description: 'Industrial roles, "s7comm:server"' },
  // Derived facts (core/policy/facts.ts says how each is decided).
  vendorForeign: { type: 'bool', description: 'vendorCountry is known and is not the home country' },
  registrantForeign: { type: 'bool', description: 'registrantCountry is known and is not the home country' },
  ot: {
    type: 'bool',
    description: 'Class is plc/rtu/hmi/ied/building-controller, or the device has an industrial role',
  },
  otSegment: {
    type: 'bool',
    description:
      'On an OT segment: in a configured OT network, or sharing a VLAN or IPv4 /24 with an OT device',
  },
  otSegmentBasis: { type: 'string', description: 'The evidence that decided otSegment' },
  site: { type: 'string', description: 'Site the inventory comes from (context)' },
  sector: { type: 'sector', description: "Operator's sector (context)" },
};

const CONNECTION_OWN: Readonly<Record<string, FieldSpec>> = {
  remoteIp: { type: 'string', description: 'Remote address' },
  direction: {
    type: 'direction',
    description: 'outbound: the device opened the conversation; inbound: the remote did (a service exposed)',
  },
  remotePort: { type: 'number', description: "The remote's service port (outbound); unknown for inbound" },
  localPort: { type: 'number', description: "The device's own service port (inbound); unknown for outbound" },
  servicePort: {
    type: 'number',
    description: 'The port of the side that serves: remotePort for outbound, localPort for inbound',
  },
  proto: { type: 'proto', description: 'tcp, udp, icmp or other' },
  country: { type: 'country', description: 'Country of the remote address (geo data)' },
  foreign: { type: 'bool', description: 'country is known and is not the home country' },
  asn: { type: 'number', description: 'Autonomous system number of the remote address' },
  asOrg: { type: 'string', description: 'Organisation of that AS' },
  provider: { type: 'string', description: 'Cloud/hosting/DC provider name, when the AS is one' },
  providerKind: { type: 'providerKind', description: 'cloud, hosting, cdn, datacenter or isp' },
  names: { type: 'list', description: 'Names seen for the remote (DNS answers, TLS SNI, HTTP Host)' },
  packets: { type: 'number', description: 'Packets, both directions' },
  bytes: { type: 'number', description: 'Bytes, both directions' },
  connections: {
    type: 'number',
    description: 'Connections in the finding: 1, or the size of a groupBy group',
  },
  site: { type: 'string', description: 'Site the inventory comes from (context)' },
  sector: { type: 'sector', description: "Operator's sector (context)" },
};

/** A connection's facts: its own, and the local device's as `device.<field>`. */
export const CONNECTION_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...CONNECTION_OWN,
  ...Object.fromEntries(
    Object.entries(DEVICE_FIELDS)
      .filter(([name]) => name !== 'site' && name !== 'sector')
      .map(([name, spec]) => [`device.${name}`, spec]),
  ),
};

export function fieldsOf(subject: SubjectKind): Readonly<Record<string, FieldSpec>> {
  return subject === 'device' ? DEVICE_FIELDS : CONNECTION_FIELDS;
}

const SCALAR_ENUM_OPS: readonly Operator[] = ['eq', 'ne', 'in', 'notIn', 'exists'];

export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
  string: ['eq', 'ne', 'in', 'notIn', 'matches', 'exists'],
  country: SCALAR_ENUM_OPS,
  class: SCALAR_ENUM_OPS,
  providerKind: SCALAR_ENUM_OPS,
  proto: SCALAR_ENUM_OPS,
  direction: SCALAR_ENUM_OPS,
  sector: SCALAR_ENUM_OPS,
  bool: ['eq', 'exists'],
  number: ['eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'exists'],
  list: ['contains', 'containsAny', 'matches', 'exists'],
  watchlists: ['contains', 'containsAny', 'exists'],
  numberList: ['contains', 'containsAny', 'exists'],
};

/** The closed vocabulary of a field type, or null when any text is allowed. */
export function vocabularyOf(type: FieldType, watchlists: ReadonlySet<string>): ReadonlySet<string> | null {
  switch (type) {
    case 'class':
      return CLASS_SET;
    case 'providerKind':
      return PROVIDER_SET;
    case 'proto':
      return PROTO_SET;
    case 'direction':
      return DIRECTION_SET;
    case 'sector':
      return SECTOR_SET;
    case 'watchlists':
      return watchlists;
    default:
      return null;
  }
}

const CLASS_SET: ReadonlySet<string> = new Set(DEVICE_CLASSES);
const PROVIDER_SET: ReadonlySet<string> = new Set(PROVIDER_KINDS);
const PROTO_SET: ReadonlySet<string> = new Set(PROTOS);
const DIRECTION_SET: ReadonlySet<string> = new Set(DIRECTIONS);
const SECTOR_SET: ReadonlySet<string> = new Set(SECTORS);

/** Field types a groupBy may name: single values, not lists. */
export const GROUPABLE_TYPES: ReadonlySet<FieldType> = new Set([
  'string',
  'country',
  'class',
  'providerKind',
  'proto',
  'direction',
  'sector',
  'bool',
  'number',
]);
