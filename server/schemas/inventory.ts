// API shapes of the inventory: devices (listing row and detail), evidence, reasons, history,
// connections, and the filters the listings take. Field names follow core/inventory.ts.
import { type Static, Type } from 'typebox';
import { DEVICE_CLASSES, PROVIDER_KINDS } from '../../core/inventory.js';
import { Country, Cursor, Format, Id, IsoTime, Limit, NullableString, PageInfo } from './common.js';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const Value = Type.Union([Type.String(), Type.Number()]);

export const EvidenceItem = Type.Object(
  { key: Type.String(), value: Value, rule: NullableString, source: Type.String() },
  { additionalProperties: false },
);
const CandidateSchema = Type.Object(
  { value: Type.String(), confidence: Type.Number(), evidence: Type.Array(EvidenceItem) },
  { additionalProperties: false },
);
export const FieldReason = Type.Object(
  {
    field: Type.String(),
    value: Type.String(),
    confidence: Type.Number(),
    evidence: Type.Array(EvidenceItem),
    conflicts: Type.Array(CandidateSchema),
  },
  { additionalProperties: false },
);

export const ObservationSummary = Type.Object(
  {
    key: Type.String(),
    value: Value,
    source: Type.String(),
    count: Type.Integer(),
    firstSeen: IsoTime,
    lastSeen: IsoTime,
  },
  { additionalProperties: false },
);

/** A device as listings show it: seen facts and decided identity, without the bulky evidence. */
export const Device = Type.Object(
  {
    id: Id,
    key: Type.String({ description: 'the agent-side identity: "mac:…" or "ip:…"' }),
    siteId: Id,
    mac: NullableString,
    ips: Type.Array(Type.String()),
    hostnames: Type.Array(Type.String()),
    vendor: NullableString,
    vendorCountry: NullableString,
    vendorParent: NullableString,
    watchlists: Type.Array(Type.String()),
    registrant: NullableString,
    registrantCountry: NullableString,
    randomizedMac: Type.Boolean(),
    class: NullableString,
    model: NullableString,
    firmware: NullableString,
    os: NullableString,
    confidence: NullableNumber,
    vlans: Type.Array(Type.Integer()),
    services: Type.Array(Type.String()),
    roles: Type.Array(Type.String()),
    firstSeen: IsoTime,
    lastSeen: IsoTime,
  },
  { additionalProperties: false },
);
export type Device = Static<typeof Device>;

export const IdentityChange = Type.Object(
  {
    at: IsoTime,
    cause: Type.String(),
    signatures: Type.String(),
    before: Type.Record(Type.String(), Type.Unknown()),
    after: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type IdentityChange = Static<typeof IdentityChange>;

export const Connection = Type.Object(
  {
    id: Id,
    deviceId: Id,
    device: Type.String({ description: 'the device key, as in `analyze --json`' }),
    siteId: Id,
    remoteIp: Type.String(),
    direction: Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]),
    remotePort: Type.Union([Type.Integer(), Type.Null()]),
    localPort: Type.Union([Type.Integer(), Type.Null()]),
    proto: Type.String(),
    country: NullableString,
    asn: Type.Union([Type.Integer(), Type.Null()]),
    asOrg: NullableString,
    provider: NullableString,
    providerKind: NullableString,
    names: Type.Array(Type.String()),
    packets: Type.Integer(),
    bytes: Type.Integer(),
    firstSeen: IsoTime,
    lastSeen: IsoTime,
  },
  { additionalProperties: false },
);
export type Connection = Static<typeof Connection>;

export const DeviceDetail = Type.Object(
  {
    device: Device,
    reasons: Type.Array(FieldReason),
    observations: Type.Array(ObservationSummary),
    connections: Type.Array(Connection),
    history: Type.Array(IdentityChange),
  },
  { additionalProperties: false },
);

export const DeviceClass = Type.Enum(DEVICE_CLASSES);
/**
 * id: the order devices were first stored (-id: newest first). lastSeenDay: by the UTC day a
 * device was last seen, then by id — day resolution keeps the index cheap to maintain.
 */
export const DEVICE_SORTS = ['id', '-id', 'lastSeenDay', '-lastSeenDay'] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

export const DeviceQuery = Type.Object(
  {
    siteId: Type.Optional(Id),
    class: Type.Optional(DeviceClass),
    vendor: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    vendorCountry: Type.Optional(Country),
    registrantCountry: Type.Optional(Country),
    /** true: only devices of a vendor on some watch list. */
    watchlisted: Type.Optional(Type.Boolean()),
    /** Only devices of vendors on this watch list, e.g. ndaa-889. */
    watchlist: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' })),
    randomized: Type.Optional(Type.Boolean()),
    /** Substring of names and banners, case-insensitive; matched as text, never as a pattern. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    firstSeenAfter: Type.Optional(Type.String({ maxLength: 40 })),
    lastSeenAfter: Type.Optional(Type.String({ maxLength: 40 })),
    lastSeenBefore: Type.Optional(Type.String({ maxLength: 40 })),
    sort: Type.Optional(Type.Enum(DEVICE_SORTS)),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
    format: Type.Optional(Format),
  },
  { additionalProperties: false },
);
export type DeviceQuery = Static<typeof DeviceQuery>;

export const DevicePage = Type.Object(
  { items: Type.Array(Device), page: PageInfo },
  { additionalProperties: false },
);

export const ConnectionQuery = Type.Object(
  {
    siteId: Type.Optional(Id),
    deviceId: Type.Optional(Id),
    country: Type.Optional(Country),
    /** true: only connections to a country other than the operator's own. */
    foreign: Type.Optional(Type.Boolean()),
    asn: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
    providerKind: Type.Optional(Type.Enum(PROVIDER_KINDS)),
    lastSeenAfter: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
    format: Type.Optional(Format),
  },
  { additionalProperties: false },
);
export type ConnectionQuery = Static<typeof ConnectionQuery>;

export const ConnectionPage = Type.Object(
  { items: Type.Array(Connection), page: PageInfo },
  { additionalProperties: false },
);

export const ClassCountry = Type.Object(
  { class: NullableString, vendorCountry: NullableString, devices: Type.Integer() },
  { additionalProperties: false },
);
export const Destination = Type.Object(
  {
    country: Type.String(),
    asn: Type.Union([Type.Integer(), Type.Null()]),
    asOrg: NullableString,
    providerKind: NullableString,
    connections: Type.Integer(),
    devices: Type.Integer(),
    bytes: Type.Integer(),
  },
  { additionalProperties: false },
);

/** Aggregates only: what an analyst's dashboard and a regulator may see. */
export const Summary = Type.Object(
  {
    operatorId: Id,
    operator: Type.String(),
    sector: Type.String(),
    country: Type.String(),
    devices: Type.Integer(),
    watchlisted: Type.Integer(),
    randomizedMacs: Type.Integer(),
    unidentified: Type.Integer({ description: 'devices whose vendor no evidence decided' }),
    byClassCountry: Type.Array(ClassCountry),
    foreignConnections: Type.Integer(),
    topForeignDestinations: Type.Array(Destination),
  },
  { additionalProperties: false },
);
export type Summary = Static<typeof Summary>;
